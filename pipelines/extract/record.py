"""The extraction record: what `extract()` returns, as types (the contract's one home).

A record is plain JSON-ready data (dicts, lists, strings, ints, bools, None), so these are
`TypedDict`s: they cost nothing at runtime, `json.dumps` takes them as they are, and a type
checker sees every key. A key typed `NotRequired` is one that `extract()` adds beyond the
contract: the CLI (`python -m pipelines.extract`) prints only the required keys, through
`contract_view()`; the store keeps the rest.

The shape, as the CLI prints it:

    {"published": "YYYY-MM-DD" | null,
     "incident": {"date": "YYYY-MM-DD" | null, "time": "HH:MM" | null,
                  "date_inferred": bool, "location": str | null},
     "people": [{"role": "arrestee" | "victim" | "officer" | "other",
                 "name": str | null, "age": int | null, "residence": str | null,
                 "juvenile": bool,
                 "charges": [{"text": str, "statute": str | null, "counts": int,
                              "category": str | null}],
                 "bond": {"amount": int | null, "type": str, "text": str} | null}],
     "problems": [str]}

Bond "type" is one of: cash, surety, cash_or_surety, personal_recognizance, promise_to_appear,
summons, held_without_bail, unspecified. A charge's "category" is a NIBRS offense code ("13A",
"520", "35A", "90Z"). "time" is 24-hour; "location" is a street address, block or intersection
as written. `extract()` also sets "problem_records" (the structured problems, for the store's
`extraction_problems` table; each one's "text" is also in "problems") and each charge's
"canonical", "confidence", "attempted", "conspiracy", "degree" and "raw".

`tests/test_record.py` checks that the records `extract()` builds have exactly the keys
declared here, so the types cannot drift from the output.
"""

# No `from __future__ import annotations` here: on Python 3.11 a TypedDict whose annotations
# are strings counts a `NotRequired` key as required (`__required_keys__`), and
# `contract_keys()` reads those.
from typing import Literal, NotRequired, TypedDict

Role = Literal["arrestee", "victim", "officer", "other"]
"""Who a person is in the release: arrested (or charged, cited, summoned), a victim, a police
officer or official, or anyone else named (a witness, a prosecutor, a relative)."""

BondType = Literal[
    "cash",
    "surety",
    "cash_or_surety",
    "personal_recognizance",
    "promise_to_appear",
    "summons",
    "held_without_bail",
    "unspecified",
]
"""The kind of custody decision a bond records (the rules are in `data/bond.toml`;
`bond.BOND_TYPES` is this list as a tuple)."""


class Charge(TypedDict):
    """One charge against an arrestee, in the order the release lists them.

    - ``text``: the charge as written, trimmed: count words, statute and class tags removed,
      first letter upper-case ("Reckless endangerment in the first degree").
    - ``statute``: the statute cited beside it ("53a-217"), else None.
    - ``counts``: how many counts (1 unless the release gives a number: "two counts of").
    - ``category``: its NIBRS offense code ("13A", "520", "35A"; "90Z" when no rule maps it),
      from the ordered rules of `data/charges.toml` (the contract allows None; `extract()`
      always gives a code).

    Beyond the contract (not printed by the CLI; `charges.parse_charge()` sets them all):

    - ``canonical``: the taxonomy's name for the offense ("Aggravated assault").
    - ``confidence``: how sure that mapping is: "high", "medium" or "low" (low for 90Z).
    - ``attempted`` / ``conspiracy``: the charge is of an attempt / a conspiracy.
    - ``degree``: the degree it names ("second-degree assault" → 2), else None.
    - ``raw``: the list item it was read from, whitespace collapsed.
    """

    text: str
    statute: str | None
    counts: int
    category: str | None
    canonical: NotRequired[str]
    confidence: NotRequired[str]
    attempted: NotRequired[bool]
    conspiracy: NotRequired[bool]
    degree: NotRequired[int | None]
    raw: NotRequired[str]


class Bond(TypedDict):
    """The bond or bail set for an arrestee: the custody decision the release tells of.

    - ``amount``: whole dollars ("$1.5 million" → 1500000); None when none is given or none
      applies ("held without bail" is None, never 0), or when over the sanity bound (see
      `sanity.py`).
    - ``type``: one of :data:`BondType`.
    - ``text``: the phrase it was read from, as written.
    """

    amount: int | None
    type: BondType
    text: str


class Person(TypedDict):
    """A person the release names or describes, in order of first mention.

    - ``role``: one of :data:`Role`.
    - ``name``: the full name as written ("Rafael Ortiz"), None for one not named ("a
      16-year-old passenger").
    - ``age``: in years (from "29", "a 29-year-old" or a date of birth), else None; None too
      when outside the sanity bounds of `sanity.py`.
    - ``residence``: the town or address they are said to be from ("of Millbrook"), else None.
    - ``juvenile``: under 18, or described as a juvenile, teen, minor or child.
    - ``charges``: an arrestee's charges (always [] for anyone else).
    - ``bond``: an arrestee's bond, None when the release tells of none (always None for
      anyone else).
    """

    role: Role
    name: str | None
    age: int | None
    residence: str | None
    juvenile: bool
    charges: list[Charge]
    bond: Bond | None


class Incident(TypedDict):
    """When and where the incident happened.

    - ``date``: "YYYY-MM-DD", else None (never a court date or the release's own date line).
    - ``time``: "HH:MM", 24-hour, else None.
    - ``date_inferred``: the date was worked out rather than written in full (a weekday or
      "yesterday" read against the publication date, a year-less "March 5").
    - ``location``: a street address, block or intersection as written, else None.
    """

    date: str | None
    time: str | None
    date_inferred: bool
    location: str | None


class ProblemRecord(TypedDict):
    """A value the extractor did not believe and left out (see `sanity.py`), for the store's
    `extraction_problems` table.

    - ``field``: the field at fault ("incident_date", "age", "bond_amount").
    - ``value``: the value as read.
    - ``reason``: why it was not believed.
    - ``person``: the index in the record's ``people`` of the person it concerns, None for the
      incident.
    - ``text``: the one-line text written from it, which is also in the record's ``problems``.
    """

    field: str
    value: object
    reason: str
    person: int | None
    text: str


class Record(TypedDict):
    """The extraction of one release.

    - ``published``: the publication date given to `extract()`, "YYYY-MM-DD", else None.
    - ``incident``: its :class:`Incident`.
    - ``people``: every :class:`Person` named or described, in order of first mention.
    - ``problems``: one line for each thing met that the reader should know of (unreadable
      input, a value not believed, charges with no arrestee to own them).

    Beyond the contract (not printed by the CLI):

    - ``problem_records``: the structured problems of `sanity.py` (:class:`ProblemRecord`);
      `extract()` always sets it.
    - ``extractor_version``: the `EXTRACTOR_VERSION` that made the record; set by
      `text_and_extraction()`, which is what the crawl and a reparse store.
    """

    published: str | None
    incident: Incident
    people: list[Person]
    problems: list[str]
    problem_records: NotRequired[list[ProblemRecord]]
    extractor_version: NotRequired[str]


def contract_keys(kind: type) -> tuple[str, ...]:
    """The keys a record type requires, in their declared order: the keys `contract_view()`
    keeps and the CLI prints (``contract_keys(Bond) == ("amount", "type", "text")``)."""
    required = kind.__required_keys__  # type: ignore[attr-defined]
    return tuple(k for k in kind.__annotations__ if k in required)
