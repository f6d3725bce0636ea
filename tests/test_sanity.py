"""Sanity bounds: values no release means are nulled, each with a structured problem."""

from pipelines.extract import contract_view, extract
from pipelines.extract.dates import incident_datetime
from pipelines.extract.sanity import check_people


def fields(record: dict) -> list[tuple]:
    return [(r["field"], r["value"], r["person"]) for r in record["problem_records"]]


def test_a_court_date_is_never_the_incident_date():
    # Oct. 1, 2025 is a Wednesday; the hearing is after publication (Sept. 18, 2025)
    text = "Pat Ruiz, 30, of Elko was charged with theft. A hearing is set for Thursday, Oct. 1."
    got = extract(text, published="2025-09-18")
    assert got["incident"]["date"] is None
    text = "Omar Salas was arrested Tuesday on a charge of theft. He is due in court on Oct. 1."
    assert extract(text, published="2025-09-18")["incident"]["date"] == "2025-09-16"


def test_court_wording_of_every_kind_is_skipped():
    for court in (
        "His arraignment is scheduled for Sept. 30.",
        "Sentencing is set for Sept. 29.",
        "Trial is scheduled to begin Sept. 22.",
        "He is expected to enter a plea on Sept. 25.",
        "She will be arraigned Sept. 26 in Superior Court.",
        "The next court date is Sept. 24.",
    ):
        text = f"Ray Holt, 52, of Vale was charged with fraud. {court}"
        got = extract(text, published="2025-09-18")
        assert got["incident"]["date"] is None, court


def test_an_old_case_with_its_year_keeps_that_date():
    text = (
        "On June 2, 1991, Amy Cole was killed in her home. Ed Marsh, 60, of Vale was charged "
        "today with her murder."
    )
    assert extract(text, published="2024-03-07")["incident"]["date"] == "1991-06-02"


def test_a_date_without_year_takes_the_latest_not_after_publication():
    text = "On May 4, officers responded to a burglary. Ed Marsh, 60, was charged."
    assert extract(text, published="2024-03-07")["incident"]["date"] == "2023-05-04"
    assert extract(text, published="2024-06-07")["incident"]["date"] == "2024-05-04"


def test_a_weekday_that_contradicts_its_date_nulls_it_with_a_problem():
    # Jan. 5, 2024 was a Friday
    text = "On Monday, Jan. 5, 2024, officers arrested Lu Vance, 30, for burglary."
    got = extract(text, published="2024-01-10")
    assert got["incident"]["date"] is None
    assert fields(got) == [("incident_date", "Monday, Jan. 5, 2024", None)]
    assert any("Friday" in p for p in got["problems"])
    # the CLI keeps its shape: problems are strings there
    view = contract_view(got)
    assert set(view) == {"published", "incident", "people", "problems"}
    assert all(isinstance(p, str) for p in view["problems"])


def test_a_written_date_after_publication_is_not_the_incident():
    got = incident_datetime(
        "Officers arrested Lu Vance on Jan. 20, 2024, for burglary.", "2024-01-10"
    )
    assert got["date"] is None


def test_an_age_out_of_bounds_is_nulled_with_a_problem():
    text = "Ray Holt, 99, of Vale and Ned Orr, 13, of Vale were charged with burglary."
    got = extract(text, published="2024-01-10")
    assert [p["age"] for p in got["people"]] == [99, 13]
    assert got["problem_records"] == []
    people = [
        {"role": "arrestee", "name": "Ray Holt", "age": 152, "bond": None},
        {"role": "arrestee", "name": "Ned Orr", "age": 4, "bond": None},
        {"role": "victim", "name": None, "age": 4, "bond": None},
    ]
    problems = check_people(people)
    assert [p["age"] for p in people] == [None, None, 4]
    assert [(p["field"], p["value"], p["person"]) for p in problems] == [
        ("age", 152, 0),
        ("age", 4, 1),
    ]


def test_a_bond_over_100_million_is_nulled_with_a_problem():
    people = [
        {"role": "arrestee", "age": 30, "bond": {"amount": 250_000_000, "type": "cash"}},
        {"role": "arrestee", "age": 30, "bond": {"amount": 100_000_000, "type": "cash"}},
    ]
    problems = check_people(people)
    assert people[0]["bond"] == {"amount": None, "type": "cash"}
    assert people[1]["bond"]["amount"] == 100_000_000
    assert [(p["field"], p["value"], p["person"]) for p in problems] == [
        ("bond_amount", 250_000_000, 0)
    ]
