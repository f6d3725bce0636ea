"""Charges: splitting lists, counts, statutes and NIBRS categories."""

import pytest

from pipelines.charges import classify, find_charge_lists, parse_charge, split_charge_list


def charges(text):
    return [
        (c["text"], c["counts"], c["statute"]) for cl in find_charge_lists(text) for c in cl.charges
    ]


def test_list_broken_across_paragraphs_gives_three_charges():
    text = (
        "He was charged with:\n\nCriminal attempt to commit murder\n\nCriminal possession "
        "of a firearm and unlawful\n\nDischarge of a firearm.\n\nHe remains in custody."
    )
    assert [c[0] for c in charges(text)] == [
        "Criminal attempt to commit murder",
        "Criminal possession of a firearm",
        "Unlawful discharge of a firearm",
    ]


def test_statutes_in_parentheses():
    text = (
        "Charges: Disorderly Conduct (53a-182), Possession of a Pistol Without a Permit "
        "(29-35), and Criminal Possession of a Firearm (C.G.S. §53a-217)"
    )
    assert charges(text) == [
        ("Disorderly Conduct", 1, "53a-182"),
        ("Possession of a Pistol Without a Permit", 1, "29-35"),
        ("Criminal Possession of a Firearm", 1, "53a-217"),
    ]


def test_counts_written_three_ways():
    text = (
        "He was charged with burglary (x2), larceny (2 counts) and two counts of robbery (53a-134)."
    )
    assert charges(text) == [("Burglary", 2, None), ("Larceny", 2, None), ("Robbery", 2, "53a-134")]


def test_prosecutor_style_felony_counts():
    text = (
        "Dana Velez, 40, Orchard Hills, is charged with two felony counts of grand theft and faces"
    )
    assert charges(text) == [("Grand theft", 2, None)]


def test_history_is_not_a_charge():
    text = "His most recent arrest was on Friday, Oct. 15, for violation of probation."
    assert charges(text) == []
    assert charges("He was previously convicted of robbery in 2015.") == []


def test_class_labels_are_not_charges():
    text = (
        "She was charged with first-degree burglary, first-degree criminal contempt, "
        "felonies; second-degree menacing, a misdemeanor."
    )
    assert [c[0] for c in charges(text)] == [
        "First-degree burglary",
        "First-degree criminal contempt",
        "Second-degree menacing",
    ]


def test_keep_and_inside_charge_names():
    assert split_charge_list("breaking and entering, assault and battery") == [
        "breaking and entering",
        "assault and battery",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Criminal attempt to commit murder", "13A"),
        ("Attempted murder", "13A"),
        ("Murder", "09A"),
        ("Criminal possession of a firearm", "520"),
        ("Possession of narcotics with intent to sell", "35A"),
        ("Possession of drug paraphernalia", "35B"),
        ("Operating under the influence", "90D"),
        ("Theft of a motor vehicle", "240"),
        ("Larceny in the sixth degree", "23H"),
        ("Burglary in the third degree", "220"),
        ("Robbery in the first degree", "120"),
        ("Violation of probation", "90Z"),
        ("Aggravated sexual assault", "11A"),
        ("Poss. of CS", "35A"),
    ],
)
def test_classify(text, code):
    assert classify(text)[1] == code


def test_unmapped_charge_is_kept_as_90z_low():
    c = parse_charge("Interfering with an officer")
    assert (c["category"], c["confidence"]) == ("90Z", "low")


def test_attempted_and_degree_flags():
    c = parse_charge("attempted robbery in the second degree")
    assert (
        c["attempted"]
        and c["degree"] == 2
        and c["text"] == "Attempted robbery in the second degree"
    )
