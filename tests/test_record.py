"""The types of `pipelines/extract/record.py` are the records `extract()` really builds.

TypedDicts check nothing at runtime, so these tests hold them to the output: every record,
person, charge, bond, incident and problem of written releases has each key its type requires,
no key its type does not declare, and a value of the declared type.
"""

import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from pipelines.extract import EXTRACTOR_VERSION, contract_view, extract, text_and_extraction
from pipelines.extract.bond import BOND_TYPES
from pipelines.extract.record import (
    Bond,
    BondType,
    Charge,
    Incident,
    Person,
    ProblemRecord,
    Record,
    contract_keys,
)

ROOT = Path(__file__).resolve().parents[1]
WRITTEN = sorted((ROOT / "tests" / "corpus" / "written").glob("*.txt"))

# Written for the project: an invented release (people, places and events are fictional): a
# victim, an arrestee with charges and a cash bond, one released on a promise to appear, and
# one whose bail is over the sanity bound (a problem record).
ORCHARD = """\
ORCHARD VALLEY POLICE ARREST THREE AFTER STORE ROBBERY

On Monday, May 4, at about 9:40 p.m., officers responded to 210 Linden Avenue after a clerk
reported a robbery. The victim, Ana Ruiz, 41, of Orchard Valley, was not hurt.

Officers arrested Marco Vance, 27, of Fairhaven, and charged him with robbery in the second
degree and two counts of assault in the third degree. He is held on a $75,000 cash bond.

Dale Pruitt, 33, of Orchard Valley, was arrested Tuesday and charged with hindering
prosecution. Pruitt was released on a promise to appear.

Lena Stroud, 45, of Fairhaven, was charged with conspiracy to commit robbery. Stroud is held on
$250 million bail.
"""


def _check(value: object, tp: object, where: str) -> None:
    """Fail unless `value` is of type `tp` (str, int, bool, None, object, unions, Literal,
    list[...] and TypedDicts, the types record.py uses), naming the key path at fault."""
    origin = get_origin(tp)
    if tp is object:
        return
    if tp is type(None) or tp is None:
        assert value is None, f"{where}: {value!r} is not None"
    elif origin in (Union, types.UnionType):
        errors = []
        for option in get_args(tp):
            try:
                _check(value, option, where)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(" / ".join(errors))
    elif origin is Literal:
        assert value in get_args(tp), f"{where}: {value!r} not one of {get_args(tp)}"
    elif origin is list:
        assert isinstance(value, list), f"{where}: {value!r} is not a list"
        (item,) = get_args(tp)
        for n, v in enumerate(value):
            _check(v, item, f"{where}[{n}]")
    elif is_typeddict(tp):
        _check_keys(value, tp, where)
    elif tp in (int, str, bool):
        # exact: a bool is not an int count, an int is not a bool flag
        assert type(value) is tp, f"{where}: {value!r} is a {type(value).__name__}, not {tp}"
    else:
        raise AssertionError(f"{where}: the test does not know the type {tp!r}")


def _check_keys(value: object, kind: type, where: str) -> None:
    assert isinstance(value, dict), f"{where}: {value!r} is not a dict"
    required = kind.__required_keys__
    declared = required | kind.__optional_keys__
    missing = sorted(required - set(value))
    undeclared = sorted(set(value) - declared)
    assert not missing, f"{where}: {kind.__name__} keys missing: {missing}"
    assert not undeclared, f"{where}: keys {kind.__name__} does not declare: {undeclared}"
    hints = get_type_hints(kind)
    for key, v in value.items():
        _check(v, hints[key], f"{where}.{key}")


def _records() -> list[tuple[str, Record]]:
    out = [("ORCHARD", extract(ORCHARD, published="2026-05-06"))]
    for path in WRITTEN:
        label = json.loads(path.with_suffix(".json").read_text())
        out.append((path.name, extract(path.read_text(), published=label["input"]["published"])))
    return out


RECORDS = _records()


def test_every_written_record_has_exactly_the_declared_keys_and_types():
    for name, record in RECORDS:
        _check(record, Record, name)


def test_the_examples_hold_every_part_the_types_describe():
    # the key check above is only as good as what it saw: a charge, a bond, a problem record
    people = [p for _, r in RECORDS for p in r["people"]]
    charges = [c for p in people for c in p["charges"]]
    bonds = [p["bond"] for p in people if p["bond"]]
    problems = [q for _, r in RECORDS for q in r["problem_records"]]
    assert len(RECORDS) > 20 and people and charges and bonds and problems
    assert {p["role"] for p in people} >= {"arrestee", "victim"}
    assert {b["amount"] is None for b in bonds} == {True, False}


def test_a_written_person_charge_and_bond_key_by_key():
    record = extract(ORCHARD, published="2026-05-06")
    assert set(record) == set(Record.__annotations__) - {"extractor_version"}
    assert set(record["incident"]) == set(Incident.__annotations__)
    vance = next(p for p in record["people"] if p["name"] == "Marco Vance")
    assert set(vance) == set(Person.__annotations__)
    # extract() sets every key of a charge, the extras too
    assert [set(c) for c in vance["charges"]] == [set(Charge.__annotations__)] * 2
    assert set(vance["bond"]) == set(Bond.__annotations__)
    assert (vance["bond"]["amount"], vance["bond"]["type"]) == (75_000, "cash")
    (problem,) = record["problem_records"]
    assert set(problem) == set(ProblemRecord.__annotations__)
    assert (problem["field"], problem["value"], problem["person"]) == (
        "bond_amount",
        250_000_000,
        3,
    )
    assert record["people"][3]["bond"]["amount"] is None
    assert problem["text"] in record["problems"]


def test_text_and_extraction_adds_the_extractor_version():
    text, record = text_and_extraction(
        "<p>" + ORCHARD.replace("\n\n", "</p><p>") + "</p>", "", "2026-05-06"
    )
    _check(record, Record, "text_and_extraction")
    assert record["extractor_version"] == EXTRACTOR_VERSION
    assert "Marco Vance" in text


def test_contract_view_keeps_the_required_keys_only_in_declared_order():
    view = contract_view(extract(ORCHARD, published="2026-05-06"))
    _check(view, Record, "contract_view")
    assert tuple(view) == contract_keys(Record)
    assert tuple(view["incident"]) == contract_keys(Incident)
    for person in view["people"]:
        assert tuple(person) == contract_keys(Person)
        for charge in person["charges"]:
            assert tuple(charge) == contract_keys(Charge)
        if person["bond"]:
            assert tuple(person["bond"]) == contract_keys(Bond)
    assert contract_keys(Charge) == ("text", "statute", "counts", "category")


def test_bond_types_have_one_home():
    assert BOND_TYPES == get_args(BondType)
    assert BOND_TYPES[0] == "cash" and "held_without_bail" in BOND_TYPES


@pytest.mark.parametrize(
    "extra",
    [["--state", "CT"], ["--agency", "Orchard Valley Police"], ["--state", "", "--agency", "X"]],
)
def test_cli_state_and_agency_are_accepted_and_change_nothing(tmp_path, extra):
    f = tmp_path / "release.txt"
    f.write_text(ORCHARD)
    base = [sys.executable, "-m", "pipelines.extract", str(f), "--published", "2026-05-06"]
    plain = subprocess.run(base, cwd=ROOT, capture_output=True, check=True)
    given = subprocess.run(base + extra, cwd=ROOT, capture_output=True, check=True)
    assert given.stdout == plain.stdout
    assert json.loads(plain.stdout) == contract_view(extract(ORCHARD, published="2026-05-06"))
