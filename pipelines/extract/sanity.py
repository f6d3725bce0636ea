"""Sanity bounds on an extraction: values no release means are nulled, each with a problem.

A problem is a `record.ProblemRecord` {"field", "value", "reason", "person", "text"}: the field
at fault ("incident_date", "age", "bond_amount"), the value as read, why it was not believed,
the index of the person in the record's "people" (None for the incident), and the one-line text
that also goes to the record's "problems" list of strings.

Bounds (every one nulls the field and keeps the rest of the record):
- incident date: after publication, more than 20 years before it without a written year, or a
  written weekday that is not the date's weekday (checked in `dates.incident_datetime`);
- age: outside AGE_RANGE (10 to 100) for an arrestee ("Ray Holt, 152" is a misread, and no
  child under 10 is arrested); over 100 for anyone else (a victim may be a 3-year-old child);
- bond amount: over MAX_BOND ($100 million); the bond's type and text are kept.
"""

from __future__ import annotations

from pipelines.extract.record import Person, ProblemRecord

AGE_RANGE = (10, 100)
MAX_BOND = 100_000_000


def problem(field: str, value: object, reason: str, person: int | None = None) -> ProblemRecord:
    """One structured problem, with the text line written from it."""
    who = f"person {person + 1} " if person is not None else ""
    return {
        "field": field,
        "value": value,
        "reason": reason,
        "person": person,
        "text": f"{who}{field} {value!r} not kept: {reason}",
    }


def check_people(people: list[Person]) -> list[ProblemRecord]:
    """Null the ages and bond amounts of `people` (record dicts, changed in place) that are out
    of bounds; return one problem for each."""
    out: list[ProblemRecord] = []
    low, high = AGE_RANGE
    for n, p in enumerate(people):
        age = p.get("age")
        too_young = age is not None and age < low and p.get("role") == "arrestee"
        if age is not None and (too_young or age > high):
            out.append(problem("age", age, f"an age outside {low} to {high}", n))
            p["age"] = None
        bond = p.get("bond")
        amount = bond.get("amount") if bond else None
        if bond and amount is not None and amount > MAX_BOND:
            out.append(problem("bond_amount", amount, f"a bond over ${MAX_BOND:,}", n))
            bond["amount"] = None
    return out
