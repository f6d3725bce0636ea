"""A person's name split into first and last name (nameparser), for sorting and matching.

``split_name("Gregory P. Nolan")`` is ``("Gregory", "Nolan")``: the middle name or initial and
suffixes such as "Jr." are left out of both parts (``name`` keeps the whole name as written);
particles stay with the last name (``"Mary de la Cruz"`` → ``("Mary", "de la Cruz")``), and
"Last, First" is understood. A single word is a first name with no last name; no name gives
``(None, None)``.
"""

from __future__ import annotations

from functools import lru_cache

from nameparser import HumanName


@lru_cache(maxsize=4096)
def split_name(name: str | None) -> tuple[str | None, str | None]:
    """``(first_name, last_name)`` of a person's name as written; None for a missing part."""
    if not name or not name.strip():
        return None, None
    parsed = HumanName(name.strip())
    return (parsed.first or None), (parsed.last or None)
