"""Property-based tests: the public extraction functions never raise and keep their shapes."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extract import extract
from pipelines.extract.bond import BOND_TYPES, find_bonds, parse_money
from pipelines.extract.charges import find_charge_lists, parse_charge, split_charge_list
from pipelines.extract.dates import incident_datetime
from pipelines.extract.location import find_locations, incident_location
from pipelines.extract.people import find_people
from pipelines.extract.sentences import MAX_SENTENCE, clean, sentences

WORDS = st.sampled_from(
    "He was charged with arrested bond bail $2 million $75K 1:30 a.m. 0130 hours Tuesday, Oct. 26 "
    "of Hartford , 31 , and ; : \n\n 600 block of Main Street Jose Cajigas held without bail "
    "two counts of burglary (53a-101) 10/26/21 <p> </b> a 15-year-old male".split(" ")
)
JUNK = st.text(max_size=400)
PHRASES = st.lists(WORDS, max_size=80).map(" ".join)
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.one_of(JUNK, PHRASES), st.one_of(st.none(), DATES))
def test_extract_never_raises_and_keeps_the_contract(text, published):
    r = extract(text, published=published)
    assert set(r) == {"published", "incident", "people", "problems", "problem_records"}
    assert isinstance(r["problems"], list)
    for p in r["people"]:
        assert p["role"] in ("arrestee", "victim", "officer", "other")
        assert isinstance(p["juvenile"], bool)
        for c in p["charges"]:
            assert c["text"] and c["text"][0] == c["text"][0].upper() and c["counts"] >= 1
        if p["bond"]:
            assert p["bond"]["type"] in BOND_TYPES
            assert p["bond"]["amount"] is None or p["bond"]["amount"] > 0


@FAST
@given(st.one_of(JUNK, PHRASES), DATES)
def test_incident_date_is_never_after_publication(text, published):
    r = incident_datetime(text, published)
    if r["date"]:
        assert dt.date.fromisoformat(r["date"]) <= published + dt.timedelta(days=1)
    if r["time"]:
        h, m = map(int, r["time"].split(":"))
        assert 0 <= h < 24 and 0 <= m < 60


@FAST
@given(st.one_of(JUNK, PHRASES))
def test_pure_functions_never_raise(text):
    find_bonds(text)
    parse_money(text)
    find_charge_lists(text)
    split_charge_list(text)
    parse_charge(text)
    incident_location(text)
    find_people(text)


@FAST
@given(st.integers(min_value=1, max_value=999_999_999))
def test_money_round_trips(n):
    assert parse_money(f"${n:,}") == n


@FAST
@given(st.sampled_from(["held without bail", "held without bond", "no bond", "bail was denied"]))
def test_no_bail_is_never_an_amount(phrase):
    (hit,) = find_bonds(f"He was {phrase}.")
    assert hit.amount is None and hit.type == "held_without_bail"


# Hostile inputs that once took time growing with the square of their length (timed at 100 KB
# by `python -m pipelines.extract.bench --adversarial`). Here, at about 10 KB, they only have to
# come back whole: no exception and the contract shape.
ADVERSARIAL = [
    "![",
    "[a](",
    "<script>",
    "the man was held on bail ",
    "John Smith, 31, of Hartford, ",
    "a 31-year-old man was arrested and ",
    "He met J. R. Smith and the police and ",
    "St. ",
    "the man was seen Monday and ",
    "charged with theft and ",
    "Smith-",
]


@pytest.mark.parametrize("phrase", ADVERSARIAL)
def test_adversarial_repetition_returns_the_contract(phrase):
    text = phrase * (10_000 // len(phrase))
    r = extract(text, published="2022-06-15")
    assert set(r) == {"published", "incident", "people", "problems", "problem_records"}
    assert set(r["incident"]) >= {"date", "time", "date_inferred", "location"}
    for p in r["people"]:
        assert p["role"] in ("arrestee", "victim", "officer", "other")


def test_adversarial_pieces_do_not_raise():
    assert clean("![" * 5000)[0] == "![" * 5000
    assert isinstance(find_locations("Smith-" * 1700), list)
    spans = sentences("St. " * 2500)
    assert spans and all(b - a <= MAX_SENTENCE for a, b in spans)
