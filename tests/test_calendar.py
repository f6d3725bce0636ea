"""The month and weekday names of data/calendar.toml: one home, read by the extraction's dates,
its sentence splitter and the crawl's publication dates. Every entry's example is read as that
month or weekday."""

from __future__ import annotations

import datetime as dt

from crawler.platforms.published import _plain_date
from pipelines.extract import dates, vocab
from pipelines.extract.sentences import sentences


def test_every_month_example_is_read_as_its_month():
    for entry in vocab.section("calendar.toml", "month"):
        hits = dates.find_dates(entry["example"], dt.date(2026, 6, 1))
        assert hits, entry["example"]
        assert hits[0].date.month == entry["number"], entry["example"]


def test_every_weekday_example_is_read_as_its_weekday():
    for entry in vocab.section("calendar.toml", "weekday"):
        hits = dates.find_dates(entry["example"], dt.date(2026, 6, 1))
        assert hits, entry["example"]
        hit = hits[0]  # the weekday written beside a date, else the date of a weekday alone
        read = hit.weekday if hit.weekday is not None else hit.date.weekday()
        assert read == entry["number"], entry["example"]


def test_every_form_of_a_month_is_known_with_its_number():
    assert vocab.months()["sept"] == vocab.months()["sep"] == vocab.months()["september"] == 9
    assert vocab.month_names()[0] == "January" and vocab.month_names()[-1] == "December"
    assert "May" not in vocab.month_abbreviations()  # a full name: "in May." ends a sentence
    assert vocab.weekdays()["monday"] == 0 and vocab.weekdays()["sunday"] == 6


def test_a_month_abbreviation_does_not_end_a_sentence():
    text = "He was arrested on Sept. 30 in the lot. He was held."
    assert len(sentences(text)) == 2


def test_the_crawl_reads_publication_dates_with_the_same_names():
    assert _plain_date("Tuesday, Sept. 30, 2025") == dt.date(2025, 9, 30)
    assert _plain_date("Wednesday, January 7, 2026") == dt.date(2026, 1, 7)
