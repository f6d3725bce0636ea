"""Page templates of the demo and benchmark sites (``sitegen/templates/``), rendered by Jinja2.

Templates hold the markup; the renderers in ``demo_sites.py`` prepare the values (URLs, dates,
teasers) and join repeated fragments. ``esc`` escapes element text (quotes kept as typed),
``attr`` a double-quoted attribute value. Output is byte-for-byte what the sites have always
been (``make sites-check``). A template's final newline is not part of its output.
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def esc(text: object) -> str:
    """HTML-escape text for element content (quotes stay as typed)."""
    return html.escape(str(text), quote=False)


def esc_attr(text: object) -> str:
    """HTML-escape text for a double-quoted attribute value."""
    return html.escape(str(text), quote=True)


@cache
def environment() -> Environment:
    """The one Jinja2 environment: no autoescaping (values are escaped where written)."""
    env = Environment(
        loader=PackageLoader("sitegen", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )
    env.filters["esc"] = esc
    env.filters["attr"] = esc_attr
    return env


def render(name: str, **values: Any) -> str:
    """Render the template ``name`` (e.g. ``"civicplus/chrome.html"``) with ``values``."""
    return environment().get_template(name).render(**values)
