"""People: names, ages, residences, juveniles and roles."""

import datetime as dt

from pipelines.people import find_people


def arrested(text, on=None):
    return [
        (p.name, p.age, p.residence, p.juvenile)
        for p in find_people(text, on)
        if p.role == "arrestee"
    ]


def test_name_age_town():
    assert arrested("Darnell Price, 31, of Westbury was arrested Tuesday.") == [
        ("Darnell Price", 31, "Westbury", False)
    ]


def test_age_before_name_with_state_suffix():
    assert arrested("Police arrested 52-year-old Irene Kolb of Pender, Neb. on Friday.") == [
        ("Irene Kolb", 52, "Pender", False)
    ]


def test_both_of_town():
    text = "Rafael Ortiz, 29, and Dwayne Hale, 22, both of Millbrook, were charged with burglary."
    assert arrested(text) == [
        ("Rafael Ortiz", 29, "Millbrook", False),
        ("Dwayne Hale", 22, "Millbrook", False),
    ]


def test_prosecutor_style_town_without_of():
    text = "Dana Velez, 40, Orchard Hills, is charged with two felony counts of grand theft."
    assert arrested(text) == [("Dana Velez", 40, "Orchard Hills", False)]


def test_accused_block_with_date_of_birth():
    text = "Accused: Larkin, Tomas 3/4/90 27 Birch Ln Glastonbury CT\nCharges: Breach of peace"
    assert arrested(text, dt.date(2021, 10, 26)) == [("Tomas Larkin", 31, "Glastonbury", False)]


def test_unnamed_juvenile():
    text = (
        "A 15-year-old male was arrested and charged with robbery. His name is not being "
        "released because of his age."
    )
    assert arrested(text) == [(None, 15, None, True)]


def test_name_and_age_in_different_sentences_are_merged():
    text = (
        "The officer was approached by a man, identified as Jose Ruiz, who asked for help.\n\n"
        "The officer engaged Ruiz, age 31, of Hartford, in conversation.\n\n"
        "Ruiz was taken into custody."
    )
    assert arrested(text) == [("Jose Ruiz", 31, "Hartford", False)]


def test_spokesperson_and_victim_are_not_arrestees():
    text = (
        "Ray Dunn, 30, of Salem, was arrested, said Lieutenant Aaron Voss. The victim, "
        "identified as 61-year-old Carla Reyes of Salem, was treated at a hospital."
    )
    people = {p.name: p.role for p in find_people(text)}
    assert people["Ray Dunn"] == "arrestee"
    assert people.get("Carla Reyes") == "victim"
    assert people.get("Aaron Voss", "other") in ("officer", "other")


def test_middle_initial_a_is_not_the_article():
    text = "Co-defendant Lionel A. Strand, 25, Fairview, is charged with one count of theft."
    assert arrested(text) == [("Lionel A. Strand", 25, "Fairview", False)]


def test_place_after_an_article_is_not_a_person():
    text = "Nora Vance, 35, Millbrook, a former Glendale City Clerk, is charged with grand theft."
    assert [p[0] for p in arrested(text)] == ["Nora Vance"]


def test_brothers_sharing_a_surname_keep_their_own_sentences():
    text = (
        "Officers arrested 19-year-old Colt R. Brennan of Ashby and his brother 21-year-old "
        "Wade Brennan of Ashby.\n\nColt Brennan was charged with eluding.\n\n"
        "Wade Brennan was charged with theft."
    )
    people = {p.name: p for p in find_people(text)}
    colt, wade = people["Colt R. Brennan"], people["Wade Brennan"]
    colt_sentence = text.index("Colt Brennan was")
    wade_sentence = text.index("Wade Brennan was")
    assert colt_sentence + 5 in colt.positions and colt_sentence + 5 not in wade.positions
    assert wade_sentence + 5 in wade.positions and wade_sentence + 5 not in colt.positions


def test_a_misspaced_surname_is_the_same_person():
    text = (
        "Police arrested 18-year-old Rhett Van Osdel of Ashby.\n\n"
        "Rhett Van Os Del was charged with theft."
    )
    assert [p[0] for p in arrested(text)] == ["Rhett Van Osdel"]


def test_a_title_ending_the_previous_sentence_does_not_make_an_officer():
    text = (
        "Marsh was charged with Assaulting a Peace Officer.\n\n"
        "Dana Marsh, 40, of Ashby was booked into the county jail."
    )
    people = find_people(text)
    assert [p.role for p in people if p.name == "Dana Marsh"] == ["arrestee"]
