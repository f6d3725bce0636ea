"""Every rule of the extraction's data files is checked against its own examples.

A rule in `charges.toml`, `bond.toml` or `charge_phrases.toml` and each vocabulary table of
`charge_words.toml` carries `examples` (texts it must match, or [text, what it must give]) and,
where useful, `not_examples` (texts it must leave to another rule). A rule without examples is
a failure here, so a new rule cannot be added without saying what it is for.
"""

import re

import pytest

from pipelines.extract import vocab
from pipelines.extract.bond import MONEY, bond_type
from pipelines.extract.charges import (
    classify,
    cut_trailing_clauses,
    find_charge_lists,
    parse_charge,
    split_charge_list,
)


def _rules(name, key="rule"):
    return [
        pytest.param(rule, id=f"{name}:{n}:{rule.get('canonical') or rule.get('type') or ''}")
        for n, rule in enumerate(vocab.section(name, key))
    ]


@pytest.mark.parametrize("rule", _rules("charges.toml"))
def test_charge_rule_classifies_its_examples(rule):
    assert rule.get("examples"), "a charge rule needs examples"
    expected = (rule["canonical"], rule["code"])
    for text in rule["examples"]:
        assert classify(text)[:2] == expected, text
    for text in rule.get("not_examples", []):
        assert classify(text)[:2] != expected, text


def test_every_nibrs_code_of_the_charge_rules_exists():
    codes = set(vocab.section("nibrs.toml", "codes"))
    used = {rule["code"] for rule in vocab.section("charges.toml", "rule")}
    assert used - codes == set()
    assert "90Z" in codes  # what an unmatched charge is given


@pytest.mark.parametrize("rule", _rules("bond.toml"))
def test_bond_rule_types_its_examples(rule):
    assert rule.get("examples"), "a bond rule needs examples"
    for text in rule["examples"]:
        assert bond_type(text, bool(MONEY.search(text))) == rule["type"], text
    for text in rule.get("not_examples", []):
        assert bond_type(text, bool(MONEY.search(text))) != rule["type"], text


@pytest.mark.parametrize("rule", _rules("charge_phrases.toml", "trailing_clause"))
def test_trailing_clause_rule_cuts_its_examples(rule):
    assert rule.get("examples"), "a trailing-clause rule needs examples"
    for written, kept in rule["examples"]:
        assert cut_trailing_clauses(written) == kept
    for text in rule.get("not_examples", []):
        assert re.search(rule["pattern"], text) is None, text


def test_offence_names_with_and_stay_one_charge():
    table = vocab.section("charge_phrases.toml", "keep_and")
    assert table["examples"] and table["not_examples"]
    for text in table["examples"]:
        assert split_charge_list(text) == [text]
    for text in table["not_examples"]:
        assert len(split_charge_list(text)) > 1, text


WORDS = vocab.load("charge_words.toml")


@pytest.mark.parametrize(("text", "counts"), WORDS["number_words"]["examples"])
def test_number_words(text, counts):
    assert parse_charge(text)["counts"] == counts


@pytest.mark.parametrize(("text", "counts"), WORDS["count_kinds"]["examples"])
def test_count_kinds(text, counts):
    assert parse_charge(text)["counts"] == counts


@pytest.mark.parametrize(("text", "degree"), WORDS["degree_ordinals"]["examples"])
def test_degree_ordinals(text, degree):
    assert parse_charge(text)["degree"] == degree


def test_charge_gerunds():
    for text in WORDS["charge_gerunds"]["examples"]:
        assert find_charge_lists(f"A man was {text}."), text
    for text in WORDS["charge_gerunds"]["not_examples"]:
        assert find_charge_lists(f"She is {text}.") == [], text


@pytest.mark.parametrize(("text", "items"), WORDS["offence_heads"]["examples"])
def test_offence_heads(text, items):
    assert split_charge_list(text) == items


@pytest.mark.parametrize(
    ("text", "charge"), WORDS["months"]["examples"] + WORDS["weekdays"]["examples"]
)
def test_dates_and_days_are_not_part_of_a_charge(text, charge):
    assert parse_charge(text)["text"] == charge


def test_every_vocabulary_table_has_examples():
    for key, table in WORDS.items():
        assert table.get("examples"), key
