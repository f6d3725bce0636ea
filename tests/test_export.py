"""Exports: a table or view of the database as CSV or JSON, for an editor's spreadsheet."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.store import EXPORTS
from pipelines.store.export import ExportError, export

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(greenfield_store) -> Path:
    """Two releases, a week apart, with one arrest each; one charge text holds a comma."""
    store = greenfield_store
    path = store.path
    for n, (day, name, charge, amount) in enumerate(
        [
            ("2024-03-01", "Marta Quill", 'Larceny over $1,200, "by false pretense"', 5000),
            ("2024-03-08", "Owen Tarrant", "Assault and battery", None),
        ]
    ):
        store.save_release(
            {
                "agency_id": "greenfield-ma-pd",
                "url": f"http://police.greenfield.test/news/{n}",
                "title": f"Arrest {n}",
                "published_at": f"{day}T09:00:00-05:00",
                "body_text": f"{name} was arrested.",
            },
            {
                "incident": {"date": day},
                "people": [
                    {
                        "role": "arrestee",
                        "name": name,
                        "age": 30 + n,
                        "charges": [{"text": charge, "counts": 1, "category": "23H"}],
                        "bond": {
                            "amount": amount,
                            "type": "cash" if amount else "held_without_bail",
                        },
                    }
                ],
            },
        )
    return path


def run(db: Path, table: str, fmt: str, since: str | None = None) -> str:
    out = io.StringIO()
    export(db, table, fmt, out, since=since)
    return out.getvalue()


def test_arrests_as_csv_read_back_by_a_csv_reader(db):
    rows = list(csv.DictReader(io.StringIO(run(db, "arrests", "csv"))))
    assert [r["name"] for r in rows] == ["Marta Quill", "Owen Tarrant"]
    assert rows[0]["charges"] == 'Larceny over $1,200, "by false pretense"'
    assert rows[0]["bond_amount"] == "5000"
    assert rows[1]["bond_amount"] == ""  # held without bail: no amount, not 0
    assert rows[1]["bond_type"] == "held_without_bail"


def test_arrests_as_json_is_one_array_of_objects_with_nulls_and_numbers(db):
    rows = json.loads(run(db, "arrests", "json"))
    assert [(r["name"], r["age"], r["bond_amount"]) for r in rows] == [
        ("Marta Quill", 30, 5000),
        ("Owen Tarrant", 31, None),
    ]


def test_since_keeps_the_releases_published_on_or_after_the_day(db):
    assert [r["name"] for r in json.loads(run(db, "arrests", "json", "2024-03-08"))] == [
        "Owen Tarrant"
    ]
    assert json.loads(run(db, "charges", "json", "2024-03-02"))[0]["text"] == "Assault and battery"
    assert [r["title"] for r in json.loads(run(db, "releases", "json", "2024-03-02"))] == [
        "Arrest 1"
    ]
    assert json.loads(run(db, "charge_counts", "json", "2024-04-01")) == []


def test_an_empty_export_is_still_valid(db):
    assert json.loads(run(db, "arrests", "json", "2030-01-01")) == []
    assert (
        run(db, "arrests", "csv", "2030-01-01")
        .splitlines()[0]
        .startswith("agency,release_date,name,")
    )


def test_every_exportable_table_exports_in_both_formats(db):
    for table in EXPORTS:
        assert isinstance(json.loads(run(db, table, "json")), list), table
        assert next(csv.reader(io.StringIO(run(db, table, "csv")))), table


def test_releases_are_exported_without_their_html(db):
    [first, _] = json.loads(run(db, "releases", "json"))
    assert "body_html" not in first and first["body_text"] == "Marta Quill was arrested."


@pytest.mark.parametrize(
    ("table", "fmt", "since", "message"),
    [
        ("blobs", "csv", None, "unknown table 'blobs': choose one of arrests, "),
        ("arrest", "csv", None, "unknown table 'arrest'"),
        ("arrests", "xlsx", None, "unknown format 'xlsx': choose csv or json"),
        ("arrests", "csv", "March 2024", "since must be a date like 2021-10-01"),
        ("agencies", "csv", "2024-01-01", "agencies has no date to filter by"),
    ],
)
def test_a_wrong_request_is_refused_with_a_clear_message(db, table, fmt, since, message):
    with pytest.raises(ExportError, match="^" + message.replace("(", r"\(")):
        run(db, table, fmt, since)


def test_a_missing_database_is_reported_not_created(tmp_path):
    with pytest.raises(ExportError, match="no such database"):
        run(tmp_path / "nope.db", "arrests", "csv")
    assert not (tmp_path / "nope.db").exists()


def scrapy_export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "export", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_command_writes_the_file_and_a_failure_keeps_the_previous_one(db, tmp_path):
    out = tmp_path / "exports" / "arrests.json"
    done = scrapy_export(
        "--db", str(db), "--table", "arrests", "--format", "json", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text())) == 2
    assert "2 rows of arrests written to" in done.stderr
    done = scrapy_export("--db", str(db), "--table", "pages", "--format", "json", "--out", str(out))
    assert done.returncode == 2
    assert "unknown table 'pages'" in done.stderr
    assert len(json.loads(out.read_text())) == 2
    assert sorted(p.name for p in out.parent.iterdir()) == ["arrests.codebook.csv", "arrests.json"]


def test_scrapy_export_prints_csv_to_standard_output(db):
    result = scrapy_export("--db", str(db), "--table", "arrests")
    assert result.returncode == 0, result.stderr
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 2
