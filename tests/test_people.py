"""People: names, ages, residences, juveniles and roles."""

import datetime as dt
import re

import pytest

from pipelines.extract.people import find_people


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


# --- wording patterns of real releases, second round (all examples invented) ---------------


def roles(text):
    return {p.name or f"<{p.age}>": p.role for p in find_people(text)}


def test_victim_as_object_of_the_accused_act_is_not_an_arrestee():
    text = (
        "Owen Pratt, 25, Millstone, is charged with one felony count of murder. Pratt is "
        "accused of causing the crash that killed 26-year-old passenger Luis Arroyo. Pratt is "
        "accused of removing Arroyo from the car."
    )
    assert roles(text)["Owen Pratt"] == "arrestee"
    assert roles(text)["Luis Arroyo"] != "arrestee"


def test_patient_at_the_defendants_clinic_is_not_an_arrestee():
    text = (
        "Ivan Petrov, 51, Bayside, is charged with involuntary manslaughter. Petrov is accused "
        "of performing surgery on 60-year-old Mei Lin Chow at the defendant's clinic."
    )
    assert roles(text)["Mei Lin Chow"] != "arrestee"


def test_relative_living_with_the_defendant_is_not_an_arrestee():
    text = (
        "Kyle Dorn, 30, is charged with murder. The defendant lived with his cousin, "
        "22-year-old Sam Ortiz and other relatives."
    )
    assert roles(text)["Sam Ortiz"] != "arrestee"


def test_doctor_title_does_not_hide_an_arrestee():
    text = (
        "Dr. Helen Marsh Voss, 66, of Fairport, has been charged with three felony counts of "
        "sexual battery. Voss was arrested on May 2."
    )
    assert arrested(text) == [("Helen Marsh Voss", 66, "Fairport", False)]


def test_street_address_in_a_neighbourhood():
    text = "The defendant was identified as Paul Ekwe, 36, of 88 Union Street in Park Slope."
    assert arrested(text) == [("Paul Ekwe", 36, "Park Slope", False)]


def test_town_with_a_lower_case_particle_and_will_be():
    text = (
        "Ramon Ibarra, 18, Villa de Oro, will be arraigned Thursday. Ibarra is charged with theft."
    )
    assert arrested(text) == [("Ramon Ibarra", 18, "Villa de Oro", False)]


def test_street_and_town_is_not_a_person():
    text = "Ann Colby, 34, of Cedar Hill Road, Harlow, was charged with trespass."
    assert arrested(text) == [("Ann Colby", 34, "Harlow", False)]


def test_noun_then_town_of_an_unnamed_juvenile():
    text = (
        "A second suspect was stopped. He was identified as a 16-year-old juvenile male "
        "of Eastmoor."
    )
    assert arrested(text) == [(None, 16, "Eastmoor", True)]


def test_age_group_with_one_town_each():
    text = (
        "Officers located two 17-year-olds, one from Northfield and one from Granby, in a "
        "storage yard. Both were cited for unlawful trespass."
    )
    assert arrested(text) == [(None, 17, "Northfield", True), (None, 17, "Granby", True)]


def test_age_group_all_from_town():
    text = "A 14-year-old and two 15-year-olds, all from Summerton, were each charged with theft."
    assert arrested(text) == [
        (None, 14, "Summerton", True),
        (None, 15, "Summerton", True),
        (None, 15, "Summerton", True),
    ]


def test_the_juvenile_was_charged_refers_to_the_unnamed_juvenile():
    text = (
        "Investigators found that the 14-year-old female had posted the threat. The juvenile "
        "was taken to the detention center and charged with harassment."
    )
    assert arrested(text) == [(None, 14, None, True)]


def test_referred_for_appropriate_charges_is_not_an_arrest():
    text = (
        "Investigators identified and located the 15-year-old male responsible and have "
        "referred him to the County Attorney's Office for appropriate charges."
    )
    assert arrested(text) == []


def test_unnamed_lead_arrestee_is_the_named_arrestee():
    text = (
        "A 42-year-old teacher was arraigned today. Dale Ortiz, Westfield, is charged with "
        "three felony counts of fraud."
    )
    assert arrested(text) == [("Dale Ortiz", 42, "Westfield", False)]
    text = (
        "A 20-year-old man was indicted for a fatal crash. The defendant was identified as "
        "Troy Bell, 20, of Flatlands. His girlfriend, 20-year-old Ana Diaz, died."
    )
    assert arrested(text) == [("Troy Bell", 20, "Flatlands", False)]


def test_a_sentenced_lead_defendant_is_the_named_defendant():
    """A prosecutor's lead describes the defendant ("A 41-year-old Alvin woman was sentenced"),
    the next paragraph names her: one arrestee, with the lead's age and town."""
    text = (
        "A 41-year-old Alvin woman was sentenced to 30 years in prison for burning down her "
        "landlord's house, District Attorney Rhea Vance announced. Marla Quist, 41, set the fire "
        "on June 3, 2022, after an eviction notice."
    )
    assert arrested(text) == [("Marla Quist", 41, "Alvin", False)]


def test_a_relative_clause_between_the_described_defendant_and_the_verb():
    """ "A 52-year-old Katy man who stabbed his neighbor, leaving him blind in one eye, has been
    convicted": the long "who" clause does not hide that he is the one convicted."""
    text = (
        "A 52-year-old Katy man who stabbed his neighbor during an argument over a fence, leaving "
        "him blind in one eye, has been convicted of aggravated assault. Dwight Pell attacked the "
        "man in his driveway."
    )
    assert arrested(text) == [("Dwight Pell", 52, "Katy", False)]
    text = "A 23-year-old man who was shot in the leg during the robbery was treated and released."
    assert arrested(text) == []
    text = (
        "A Reno man who fled after being charged with the murder of a 29-year-old woman has been "
        "sentenced to life in prison."
    )
    # the woman of "the murder of a 29-year-old woman" is not the one sentenced
    assert 29 not in [age for _, age, _, _ in arrested(text)]


def test_an_age_written_after_a_name_is_that_persons():
    """ "Voss, then 37 years old, is accused" and "Ann Voss turned 18 years old and is accused"
    are Voss's ages, not an unnamed person's."""
    for text in (
        "Police arrested Carl Voss, 61, on Monday. In 1990, Voss, then 37 years old, is accused "
        "of killing a neighbor.",
        "Carl Voss, 61, was arrested. On May 2, 2007, his daughter Ann Voss turned 18 years old "
        "and is accused of failing to report her income.",
    ):
        assert all(name is not None for name, *_ in arrested(text)), text


def test_a_list_of_three_with_a_nickname_keeps_every_person():
    text = (
        "Police arrested Harold Finch, 71, and Nicholas \u201cNick\u201d Moreau, 37, both of "
        "Cedar Falls, and Dale Wicks, 54, of Ashby, on Tuesday."
    )
    assert arrested(text) == [
        ("Harold Finch", 71, "Cedar Falls", False),
        ("Nicholas Moreau", 37, "Cedar Falls", False),
        ("Dale Wicks", 54, "Ashby", False),
    ]


def test_unnamed_juveniles_alone_and_in_a_group():
    assert arrested("Officers arrested a 16-year-old juvenile male of Brookfield for robbery.") == [
        (None, 16, "Brookfield", True)
    ]
    text = "Two 17-year-olds, one from Northfield and one from Granby, were arrested."
    assert arrested(text) == [(None, 17, "Northfield", True), (None, 17, "Granby", True)]


def test_charging_two_named_people_makes_both_arrestees():
    text = "Detectives obtained warrants charging Lena Ortiz and Paul Graves with burglary."
    assert [a[0] for a in arrested(text)] == ["Lena Ortiz", "Paul Graves"]


def test_an_alias_keeps_age_and_town():
    text = "Officers arrested Raymond Boyle, a.k.a. Ray Dunn, 48, of Alden, on a robbery charge."
    assert arrested(text) == [("Raymond Boyle", 48, "Alden", False)]


def test_accented_town_names_are_whole():
    text = "Officers arrested Ren\u00e9e Thibodeaux, 33, of Belle Rivi\u00e8re on a theft charge."
    assert arrested(text) == [("Ren\u00e9e Thibodeaux", 33, "Belle Rivi\u00e8re", False)]


def test_held_for_questioning_is_not_an_arrest():
    text = (
        "Officers arrested Marc Ellison, 41, of Dover on a charge of theft. A second man, Paul "
        "Grady, 38, was detained for questioning and released."
    )
    assert [a[0] for a in arrested(text)] == ["Marc Ellison"]


# --------------------------------------------------------------------------- where a name is


def test_a_surname_counts_only_where_it_stands_alone():
    from pipelines.extract.people import _occurrences

    text = "Smith's car hit Smith-Jones; Smith fled. Smithson saw it, and so did Smith"
    assert [text[i : i + 12] for i in _occurrences(text, "Smith")] == ["Smith fled. ", "Smith"]


def test_a_possessive_is_someone_elses_thing_but_a_quote_is_not():
    from pipelines.extract.people import _occurrences

    assert _occurrences("Williams' boyfriend was arrested", "Williams") == []
    assert _occurrences("Smith's car", "Smith") == []
    assert _occurrences("Smith's", "Smith") == []  # at the end of the text too
    # a closing quote reads like the plural possessive ("Williams' boyfriend")
    assert _occurrences("the 'Smith' case", "Smith") == []
    assert _occurrences("Smith, 'Smith's' and Smith's-era", "Smith") == [0]


def test_a_hyphenated_name_hides_both_halves():
    from pipelines.extract.people import _occurrences

    assert _occurrences("Ana Smith-Jones was charged", "Smith") == []
    assert _occurrences("Ana Smith-Jones was charged", "Jones") == []
    assert _occurrences("Ana Smith-Jones was charged", "Smith-Jones") == [4]


def test_a_surname_at_the_very_end_or_start_counts():
    from pipelines.extract.people import _occurrences

    assert _occurrences("Ames", "Ames") == [0]
    assert _occurrences("Bond was set for Ames", "Ames") == [17]
    assert _occurrences("Ren\u00e9e Thibodeaux and Thibodeauxs", "Thibodeaux") == [6]


def test_a_first_name_before_a_surname_with_initials_between():
    from pipelines.extract.people import _first_name_before

    text = "Chase R. Ames and his brother Chance Ames"
    assert _first_name_before(text, text.index("Ames"), "Chase Ames")
    assert not _first_name_before(text, text.rindex("Ames"), "Chase Ames")
    assert _first_name_before(text, text.rindex("Ames"), "Chance Ames")
    assert not _first_name_before("Purchase Ames", 9, "Chase Ames")  # inside a longer word


# --------------------------------------------------------------------------- the vocabulary


def _vocabulary_examples():
    from pipelines.extract import vocab

    for key, table in vocab.load("people.toml").items():
        assert table.get("examples"), f"data/people.toml [{key}] needs examples"
        for text, person in table["examples"]:
            yield pytest.param(text, person, id=f"{key}:{person}")


@pytest.mark.parametrize(("text", "person"), list(_vocabulary_examples()))
def test_the_vocabulary_of_people_reads_its_examples(text, person):
    read = [f"{p.name or '-'}, {p.age}, {p.role}" for p in find_people(text)]
    assert person in read


def test_every_pass_says_what_wording_it_reads():
    from pipelines.extract import people

    passes = [*people._MENTION_PASSES, *people._PEOPLE_PASSES, *people._ROLE_PASSES]
    for step in passes:
        assert step.__doc__ and re.search(r"\"[^\"]+\"", step.__doc__), step.__name__
    for form in (*people._NAMED_FORMS, *people._INTROS):
        assert re.search(r"\"[^\"]+\" -> ", form.example), form


# --- who someone is, written where a name goes: no person is named "Man" or "Today" ---


def test_a_headlines_36_year_old_man_is_no_one_named_man():
    text = (
        "PRESS RELEASE: 36-year-old Man Charged with Stealing From Elderly Neighbors\n\n"
        "MIAMI - Calvin Roe, 36, was arrested and charged with grand theft."
    )
    assert arrested(text) == [("Calvin Roe", 36, None, False)]


def test_today_before_an_age_is_no_name():
    text = "Today, 36-year-old Dana Holt was charged with theft after a store clerk reported her."
    assert [p.name for p in find_people(text)] == ["Dana Holt"]


def test_a_victim_told_by_relation_stays_unnamed():
    text = (
        "A Garden Grove man was charged with murder in the death of his 3-year-old Daughter, "
        "police said. Ray Holt, 30, was booked."
    )
    people = {(p.name, p.role, p.age) for p in find_people(text)}
    assert people == {("Ray Holt", "arrestee", 30), (None, "victim", 3)}


def test_son_after_a_given_name_is_a_surname():
    text = "Minh Son, 41, of Garden Grove was arrested Friday and charged with robbery."
    assert arrested(text) == [("Minh Son", 41, "Garden Grove", False)]


# --- the lead's "a Town man", named later: the town is the named defendant's residence ---


def residences(text):
    return {p.name: p.residence for p in find_people(text) if p.role == "arrestee"}


def test_the_leads_town_goes_to_the_defendant_named_later():
    text = (
        "A Baytown man was sentenced to 40 years in prison for robbing a neighbor. "
        "Marcus Roe, 33, pleaded guilty on Monday."
    )
    assert residences(text) == {"Marcus Roe": "Baytown"}


def test_a_town_couple_gives_its_town_to_both_defendants():
    text = "A Westminster couple was charged with fraud. Ana Roe, 44, and Leo Roe, 49, were booked."
    assert residences(text) == {"Ana Roe": "Westminster", "Leo Roe": "Westminster"}


def test_a_defendants_own_town_is_kept_and_a_victims_town_is_not_given():
    own = "A Houston man was charged with theft. Dale Ames, 35, of Pasadena was booked."
    assert residences(own) == {"Dale Ames": "Pasadena"}
    victim = "A Houston man was killed on Monday. Police charged Dale Ames, 35, with murder."
    assert residences(victim) == {"Dale Ames": None}


def test_a_word_that_describes_the_person_is_no_town():
    text = "A Black man was charged with theft on Monday. Dale Ames, 35, was booked."
    assert residences(text) == {"Dale Ames": None}


def test_name_age_town_lists_give_each_their_town():
    text = (
        "Defendants Lin Wu, 40, Montebello, Bo Chen, 56, Monterey Park, and Mei Bai, 42, "
        "Alhambra, were charged with pimping. Dale Ames, 31, Aliso Viejo, and Ray Holt, 35, "
        "Miami, both former bail agents, face the same charges."
    )
    assert residences(text) == {
        "Lin Wu": "Montebello",
        "Bo Chen": "Monterey Park",
        "Mei Bai": "Alhambra",
        "Dale Ames": "Aliso Viejo",
        "Ray Holt": "Miami",
    }
