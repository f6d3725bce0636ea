"""What users query: the `arrests` and `charge_counts` views and the full-text search."""

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.commands.demo import crawl_demo
from crawler.reparse import reparse
from pipelines.store import Store, migrations

pytestmark = pytest.mark.e2e

CAJIGAS_CHARGES = [
    "criminal attempt to commit murder",
    "criminal possession of a firearm",
    "unlawful discharge of a firearm",
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("query") / "demo.db"
    assert crawl_demo(db).returncode == 0
    return db


@pytest.fixture
def demo(demo_db):
    store = Store(demo_db)
    yield store
    store.close()


@pytest.fixture
def store(greenfield_store):
    return greenfield_store


def release(body: str, title: str = "Arrest Made in Burglary", url: str = "/news/1") -> dict:
    return {
        "agency_id": "greenfield-ma-pd",
        "url": "http://police.greenfield.test" + url,
        "title": title,
        "published_at": "2024-03-05T09:00:00-05:00",
        "body_text": body,
    }


def arrestee(name: str, *charges: str, bond: dict | None = None) -> dict:
    return {
        "role": "arrestee",
        "name": name,
        "charges": [{"text": text, "counts": 1, "category": "220"} for text in charges],
        "bond": bond,
    }


# -- arrests ----------------------------------------------------------------------------------


def test_arrests_lists_cajigas_with_his_three_charges_in_order_and_his_bond(demo):
    [row] = demo.query("SELECT * FROM arrests WHERE name = 'Jose Cajigas'")
    assert row["agency"] == "Hartford Police Department"
    assert (row["release_date"], row["incident_date"]) == ("2021-10-26", "2021-10-26")
    assert (row["age"], row["residence"]) == (31, "Hartford")
    assert row["charges"].lower().split("; ") == CAJIGAS_CHARGES
    assert row["charge_count"] == 3
    assert (row["bond_amount"], row["bond_type"]) == (2000000, "unspecified")
    assert row["release_title"] == "Man Held on $2 Million Bond After Shooting at Officer"
    assert row["url"].startswith("http://police.hartford.test/")


def test_arrests_has_one_row_per_arrested_person(demo):
    [(rows, people)] = [
        tuple(r.values())
        for r in demo.query("SELECT count(*), count(DISTINCT person_id) FROM arrests")
    ]
    [arrestees] = demo.query("SELECT count(*) AS n FROM people WHERE role = 'arrestee'")
    assert rows == people == arrestees["n"] > 0


def test_charges_are_joined_in_the_order_of_the_release_and_a_second_bond_adds_no_row(store):
    store.save_release(
        release("Dana Whitcomb, 44, was charged."),
        {"people": [arrestee("Dana Whitcomb", "Burglary", "Larceny", "Trespass")]},
    )
    # Rows written out of order, as a later correction might: position decides, not id.
    store.db.execute("UPDATE charges SET position = 2 - position")
    person = store.query("SELECT id, release_id FROM people")[0]
    for amount in (5000, 10000):
        bond = {"release_id": person["release_id"], "person_id": person["id"], "amount": amount}
        store.db["bonds"].insert(bond | {"type": "cash"})
    [row] = store.query("SELECT charges, charge_count, bond_amount FROM arrests")
    assert row == {"charges": "Trespass; Larceny; Burglary", "charge_count": 3, "bond_amount": 5000}


def test_counts_over_one_are_written_beside_the_charge(store):
    store.save_release(
        release("Two counts of burglary."),
        {
            "people": [
                {
                    "role": "arrestee",
                    "name": "Rory Kettle",
                    "charges": [{"text": "Burglary", "counts": 2}, {"text": "Larceny"}],
                }
            ]
        },
    )
    assert store.query("SELECT charges FROM arrests") == [
        {"charges": "Burglary (2 counts); Larceny"}
    ]


def test_victims_and_officers_are_not_arrests(store):
    store.save_release(
        release("A clerk was hurt."),
        {"people": [{"role": "victim", "name": "Ellen Park"}, arrestee("Tom Rusk", "Robbery")]},
    )
    assert [r["name"] for r in store.query("SELECT name FROM arrests")] == ["Tom Rusk"]


def test_a_file_made_before_the_new_arrests_view_is_upgraded_on_open(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="005_arrests_one_row_and_fts_trigger")
    assert "release_title" not in {c.name for c in old["arrests"].columns}
    old.close()
    store = Store(path)
    assert "release_title" in {c.name for c in store.db["arrests"].columns}
    store.close()


# -- charge_counts ----------------------------------------------------------------------------


def test_charge_counts_adds_up_to_every_charge_by_agency_month_and_category(demo):
    [total] = demo.query("SELECT sum(charges) AS n FROM charge_counts")
    assert total["n"] == demo.count("charges")
    [hartford] = demo.query(
        "SELECT * FROM charge_counts WHERE agency_id = 'hartford-ct-pd' AND month = '2021-10' "
        "AND category = (SELECT category FROM charges c JOIN people p ON p.id = c.person_id "
        "WHERE p.name = 'Jose Cajigas' ORDER BY c.position LIMIT 1)"
    )
    assert hartford["charges"] >= 1 and hartford["people"] >= 1
    keys = demo.query(
        "SELECT agency_id, month, category, count(*) AS n FROM charge_counts GROUP BY 1, 2, 3"
    )
    assert all(k["n"] == 1 for k in keys)


def test_an_uncategorized_charge_counts_as_90Z(store):
    store.save_release(
        release("Charged with loitering."),
        {"people": [{"role": "arrestee", "name": "Al Brisk", "charges": [{"text": "Loitering"}]}]},
    )
    assert store.query("SELECT month, category, charges FROM charge_counts") == [
        {"month": "2024-03", "category": "90Z", "charges": 1}
    ]


# -- full-text search -------------------------------------------------------------------------


def test_a_search_for_cajigas_returns_the_hartford_release(demo):
    [hit] = demo.search_releases("Cajigas")
    assert hit["agency_id"] == "hartford-ct-pd"
    assert hit["title"] == "Man Held on $2 Million Bond After Shooting at Officer"
    assert "[Cajigas]" in hit["snippet"]


def test_search_ignores_word_endings(demo):
    titles = {hit["title"] for hit in demo.search_releases("shootings")}
    assert "Man Held on $2 Million Bond After Shooting at Officer" in titles


def test_a_changed_release_is_found_by_its_new_words_and_not_its_old_ones(store):
    store.save_release(release("Officers recovered a stolen wheelbarrow on Elm Street."))
    assert [h["title"] for h in store.search_releases("wheelbarrow")] == ["Arrest Made in Burglary"]
    outcome = store.save_release(
        release("Officers recovered a stolen snowblower on Elm Street.", title="Snowblower Found")
    )
    assert outcome == "updated"
    assert store.search_releases("wheelbarrow") == []
    assert store.search_releases("Burglary") == []
    assert [h["title"] for h in store.search_releases("snowblower")] == ["Snowblower Found"]
    assert len(store.search_releases("Elm")) == 1


def test_an_unchanged_fetch_leaves_the_index_as_it_was(store):
    store.save_release(release("Officers recovered a stolen kayak."))
    assert store.save_release(release("Officers recovered a stolen kayak.")) == "unchanged"
    store.db.execute("UPDATE releases SET last_seen_at = '2030-01-01', location = 'Elm St'")
    assert len(store.search_releases("kayak")) == 1
    assert_index_matches_releases(store)


def test_search_stays_right_after_a_reparse(demo_db, tmp_path):
    db = tmp_path / "copy.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    store = Store(db)
    # A stored text from an older, worse parser: the reparse rebuilds it from the archive.
    store.db.execute(
        "UPDATE releases SET body_text = 'garbled zanzibar text', title = 'garbled' "
        "WHERE body_text LIKE '%Cajigas%'"
    )
    assert store.search_releases("Cajigas") == []
    assert len(store.search_releases("zanzibar")) == 1
    store.close()
    report = reparse(str(db), log=lambda _: None)
    assert report.changed >= 1 and report.errors == 0
    store = Store(db)
    assert store.search_releases("zanzibar") == []
    assert [h["agency_id"] for h in store.search_releases("Cajigas")] == ["hartford-ct-pd"]
    assert_index_matches_releases(store)
    store.close()


def test_deleting_a_release_removes_it_from_the_index(store):
    store.save_release(release("A stolen canoe was recovered."))
    store.db.execute("DELETE FROM releases")
    assert store.search_releases("canoe") == []
    assert_index_matches_releases(store)


def assert_index_matches_releases(store: Store) -> None:
    """FTS5's own check that the index holds exactly the words of the `releases` rows."""
    store.db.execute("INSERT INTO releases_fts (releases_fts, rank) VALUES ('integrity-check', 1)")


def test_the_index_of_a_crawled_database_is_consistent(demo):
    assert_index_matches_releases(demo)
