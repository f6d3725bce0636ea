"""What was extracted from a release: its incident columns, ``people``, ``charges``, ``bonds``
and ``extraction_problems``, replaced as a whole whenever the extraction changes."""

from __future__ import annotations

import hashlib
import json

from pipelines.extract.name_parts import split_name
from pipelines.extract.record import Record
from pipelines.store.connection import StoreBase

DERIVED_TABLES = ("extraction_problems", "bonds", "charges", "people")
"""The tables of extracted rows, children first (the order they are deleted in)."""


def extraction_hash(extraction: Record) -> str:
    """A hash of everything an extraction says (its extractor version aside)."""
    content = {k: v for k, v in extraction.items() if k != "extractor_version"}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def problem_rows(extraction: Record) -> list[dict]:
    """The problems of an extraction as rows of ``extraction_problems`` (without ids): one per
    structured record of ``problem_records`` ({"field", "value", "reason", "person"}: the index
    of the person in ``people`` or None), then one per ``problems`` string that no record
    stands for (field and value NULL, the string as the reason)."""
    rows = []
    told = set()
    for rec in extraction.get("problem_records") or []:
        told.add(rec.get("text"))
        rows.append(
            {
                "person": rec.get("person"),
                "field": rec.get("field"),
                "value": _text_or_none(rec.get("value")),
                "reason": str(rec.get("reason") or rec.get("text") or "problem"),
            }
        )
    for text in extraction.get("problems") or []:
        if text not in told:
            rows.append({"person": None, "field": None, "value": None, "reason": str(text)})
    return rows


def person_row(release_id: int, position: int, person: dict, version: str | None) -> dict:
    """One ``people`` row: the person's name split into first and last, role "other" by
    default, ``juvenile`` as 0/1."""
    first_name, last_name = split_name(person.get("name"))
    return {
        "release_id": release_id,
        "position": position,
        "role": person.get("role") or "other",
        "name": person.get("name"),
        "first_name": first_name,
        "last_name": last_name,
        "age": person.get("age"),
        "residence": person.get("residence"),
        "juvenile": int(bool(person.get("juvenile"))),
        "extractor_version": version,
    }


def charge_rows(release_id: int, person_id: int, person: dict, version: str | None) -> list[dict]:
    """The ``charges`` rows of one person, in the order the release lists them."""
    return [
        {
            "release_id": release_id,
            "person_id": person_id,
            "position": n,
            "text": charge.get("text"),
            "statute": charge.get("statute"),
            "counts": charge.get("counts"),
            "canonical": charge.get("canonical"),
            "category": charge.get("category"),
            "confidence": _text_or_none(charge.get("confidence")),
            "extractor_version": version,
        }
        for n, charge in enumerate(person.get("charges") or [])
    ]


def bond_row(release_id: int, person_id: int, bond: dict, version: str | None) -> dict:
    """The ``bonds`` row of one person's bond (type "unspecified" when none was said)."""
    return {
        "release_id": release_id,
        "person_id": person_id,
        "amount": bond.get("amount"),
        "type": bond.get("type") or "unspecified",
        "text": bond.get("text"),
        "extractor_version": version,
    }


class Extraction(StoreBase):
    """Writing one release's extraction in place of the one stored before."""

    def _replace_extraction(self, release_id: int, extraction: Record) -> None:
        version = extraction.get("extractor_version")
        self._delete_extraction(release_id)
        self._write_incident(release_id, extraction, version)
        person_ids = [
            self._write_person(release_id, position, person, version)
            for position, person in enumerate(extraction.get("people") or [])
        ]
        self._write_problems(release_id, extraction, person_ids, version)

    def _delete_extraction(self, release_id: int) -> None:
        for table in DERIVED_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE release_id = ?", [release_id])

    def _write_incident(self, release_id: int, extraction: Record, version: str | None) -> None:
        """The release row's incident columns, problems summary, version and extraction hash."""
        incident = extraction.get("incident") or {}
        self.db.execute(
            "UPDATE releases SET incident_date = ?, incident_time = ?, date_inferred = ?, "
            "location = ?, extraction_problems = ?, extractor_version = ?, "
            "extraction_sha256 = ? WHERE id = ?",
            [
                incident.get("date"),
                incident.get("time"),
                int(bool(incident.get("date_inferred"))),
                incident.get("location"),
                json.dumps(extraction.get("problems") or []),
                version,
                extraction_hash(extraction),
                release_id,
            ],
        )

    def _write_person(
        self, release_id: int, position: int, person: dict, version: str | None
    ) -> int:
        """One person with their charges and bond; returns the person's row id."""
        person_id = self._insert("people", person_row(release_id, position, person, version))
        for charge in charge_rows(release_id, person_id, person, version):
            self._insert("charges", charge)
        bond = person.get("bond")
        if bond:
            self._insert("bonds", bond_row(release_id, person_id, bond, version))
        return person_id

    def _write_problems(
        self, release_id: int, extraction: Record, person_ids: list[int], version: str | None
    ) -> None:
        """Each problem, tied to its person's row when its index names one of ``person_ids``."""
        for problem in problem_rows(extraction):
            person = problem.pop("person")
            in_range = isinstance(person, int) and 0 <= person < len(person_ids)
            self._insert(
                "extraction_problems",
                {
                    "release_id": release_id,
                    "person_id": person_ids[person] if in_range else None,
                    **problem,
                    "extractor_version": version,
                },
            )


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)
