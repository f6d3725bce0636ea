"""Defendants, victims and names written in forms other than "Name, 31, of Town" (invented text)."""

import pytest

from pipelines.extract import extract

PUB = "2024-03-07"


def people(text: str) -> list[tuple]:
    got = extract(text, published=PUB)
    return [(p["role"], p["name"], p["age"], p["residence"]) for p in got["people"]]


def arrestees(text: str) -> list[tuple]:
    return [p[1:] for p in people(text) if p[0] == "arrestee"]


@pytest.mark.parametrize(
    "surname", ["Lane", "Church", "Major", "West", "Justice", "Park", "Bond", "Public"]
)
def test_a_surname_that_is_a_common_word_is_kept(surname):
    text = f"Ashley {surname}, 28, of Ogden was charged with burglary after a break-in at a home."
    assert arrestees(text) == [(f"Ashley {surname}", 28, "Ogden")]


def test_the_surname_to_is_kept_and_a_headline_to_is_not_a_name():
    # "To" is a Vietnamese and Chinese surname and the word of "Dale Ames To Face Trial"
    text = "Minh Tam To, 41, of Westminster was charged with burglary of a store on Bolsa Avenue."
    assert arrestees(text) == [("Minh Tam To", 41, "Westminster")]
    text = "Dale Ames To Face Trial\n\nDale Ames, 52, of Ogden was charged with arson on Monday."
    assert arrestees(text) == [("Dale Ames", 52, "Ogden")]


def test_a_place_ending_in_a_common_word_is_still_no_person():
    text = "Officers went to North Park and arrested Dale Ames, 30, of Vale, for burglary there."
    assert arrestees(text) == [("Dale Ames", 30, "Vale")]


def test_an_initial_glued_to_the_surname():
    text = "Dana R.Colt, 30, of Elko was charged with forgery and was held at the county jail."
    assert arrestees(text) == [("Dana R. Colt", 30, "Elko")]


def test_a_surname_ending_in_s_is_not_cut_to_a_stopword():
    text = 'Police arrested Tony "Tiny" Mars, 25, of Vale, for burglary of a shop on the avenue.'
    assert arrestees(text) == [("Tony Mars", 25, "Vale")]


@pytest.mark.parametrize(
    "alias",
    ["also known as 'Flaco',", "a.k.a. \u201cFlaco,\u201d", 'aka "Flaco,"', 'AKA "Flaco,"',
     "Also Known As 'Flaco',"],
)  # fmt: skip
def test_an_alias_in_quotes_stays_one_person(alias):
    text = f"Luis Ortega, {alias} was charged with murder and is held in the county jail."
    assert arrestees(text) == [("Luis Ortega", None, None)]


def test_compound_and_two_part_surnames_keep_the_first_name():
    text = (
        "Juan De La Rosa, 33, and Ana Ruiz-Soto, 29, both of Vale, were arrested and charged "
        "with theft, and Jose Garcia Lopez, 40, of Ely was charged with receiving stolen goods."
    )
    assert arrestees(text) == [
        ("Juan De La Rosa", 33, "Vale"),
        ("Ana Ruiz-Soto", 29, "Vale"),
        ("Jose Garcia Lopez", 40, "Ely"),
    ]


def test_charges_announced_against_a_defendant():
    text = (
        "District Attorney Sue Grant announced charges today against Ray Holt, 52, of Vale, in "
        "the robbery of a bank. He was charged with robbery and is held on $50,000 bail."
    )
    assert arrestees(text) == [("Ray Holt", 52, "Vale")]


def test_an_arrest_warrant_for_a_name_with_no_age():
    text = (
        "Detectives obtained an arrest warrant for Dale Ames on a charge of burglary, and he was "
        "arrested at his home in the city."
    )
    assert arrestees(text) == [("Dale Ames", None, None)]
    text = "Detectives obtained an arrest warrant for Dale Ames on a charge of burglary of a home."
    assert arrestees(text) == [("Dale Ames", None, None)]


def test_a_date_of_birth_gives_the_age():
    text = "Police said Jane Roe, DOB: 9-20-88, was arrested for theft and was booked at the jail."
    assert arrestees(text) == [("Jane Roe", 35, None)]


def test_the_defendant_identified_as():
    text = "The defendant, identified as Carl Boyd, 41, pleaded guilty to fraud in the case today."
    assert arrestees(text) == [("Carl Boyd", 41, None)]


def test_convicted_and_sentenced_defendants_are_arrestees():
    text = (
        "The District Attorney said Omar Pike, 35, was convicted of robbery by a jury on "
        "Tuesday. Nora Quist, 50, was sentenced today to 10 years in prison for fraud."
    )
    assert arrestees(text) == [("Omar Pike", 35, None), ("Nora Quist", 50, None)]


def test_a_list_of_defendants_after_an_intro():
    text = (
        "The following defendants were charged in the case:\n"
        "Al Ford, 22, of Vale\nBo Green, 31\n- Cy Hill, 45, of Ely\n"
        "All three are held at the county jail on charges of robbery."
    )
    assert arrestees(text) == [
        ("Al Ford", 22, "Vale"),
        ("Bo Green", 31, None),
        ("Cy Hill", 45, "Ely"),
    ]


def test_a_list_ends_at_a_prose_line():
    text = (
        "The following people were arrested over the weekend:\n"
        "- Al Ford, 22, of Vale, for theft\n"
        "Officers thanked the store manager.\n"
        "Bo Green, 31, of Vale, said the store was busy."
    )
    assert arrestees(text) == [("Al Ford", 22, "Vale")]


def test_the_victim_named_after_the_act_is_no_arrestee():
    text = (
        "Police said Marco Diaz, 30, was charged in the shooting death of his brother, Paul "
        "Kent, 33, at the home they shared."
    )
    assert people(text) == [("arrestee", "Marco Diaz", 30, None), ("victim", "Paul Kent", 33, None)]
    text = (
        "A man was charged in the shooting death of his brother, Paul Kent, 33, police said. "
        "The suspect, Marco Diaz, 30, is held without bail."
    )
    assert arrestees(text) == [("Marco Diaz", 30, None)]


def test_a_teenage_victim_is_no_unnamed_juvenile_arrestee():
    for text in (
        "Reed Moss, 19, of Vale was charged with murder in the death of a 16-year-old boy who "
        "was shot at the park.",
        "A 16-year-old was killed in the shooting. Reed Moss, 19, of Vale, was charged with "
        "murder and is held at the jail.",
    ):
        got = people(text)
        assert ("victim", None, 16, None) in got
        assert [p for p in got if p[0] == "arrestee"] == [("arrestee", "Reed Moss", 19, "Vale")]


def test_residence_forms():
    assert arrestees(
        "Ben Ochoa, 24, from Park Slope, Brooklyn, was arrested for assault by the police."
    ) == [("Ben Ochoa", 24, "Park Slope")]
    assert arrestees(
        "A Temecula man, Rick Hale, 44, was arrested for DUI after a crash on the highway."
    ) == [("Rick Hale", 44, "Temecula")]
    assert arrestees(
        "Rick Hale, 44, a Temecula man, was arrested for DUI after a crash on the highway."
    ) == [("Rick Hale", 44, "Temecula")]
    assert arrestees(
        "Police said Vic Lund of Ogden was arrested for theft at the store on the weekend."
    ) == [("Vic Lund", None, "Ogden")]


def test_a_list_after_charges_against_on_one_line():
    text = (
        "The District Attorney's Office filed charges against three men: Al Ford, 22, Bo Green, "
        "31, and Cy Hill, 45. They are accused of robbery."
    )
    assert arrestees(text) == [("Al Ford", 22, None), ("Bo Green", 31, None), ("Cy Hill", 45, None)]


@pytest.mark.parametrize(
    "headline",
    [
        "Statement Regarding the Conviction of Jamal Roe",
        "Statement on the Re-sentencing of Jamal Roe",
        "Statement on the jury's verdict in the murder trial of Jamal Roe",
    ],
)
def test_the_defendant_of_court_news_in_a_headline(headline):
    text = f"{headline}\nThe jury's verdict is a testament to the work of the prosecutors."
    assert [p[0] for p in arrestees(text)] == ["Jamal Roe"]


def test_a_titled_defendant_of_court_news_is_an_arrestee():
    text = (
        "Statement Regarding Guilty Plea by Former Bay City Mayor Tom Roe\n"
        "The plea shows that no one is above the law."
    )
    assert [p[0] for p in arrestees(text)] == ["Tom Roe"]


def test_an_officer_who_was_charged_is_an_arrestee():
    text = (
        "A judge dismissed an indictment today against former Bay City Police Officer Dale Ames "
        "who was charged with murder in the shooting of a man."
    )
    assert [p[0] for p in arrestees(text)] == ["Dale Ames"]


@pytest.mark.parametrize(
    "sentence",
    [
        "A jury today found Dale Ray Ames guilty on all counts of murder.",
        "Dale Ray Ames faces up to life in prison when he is sentenced next month.",
        "In fact, the defendant, Dale Ray Ames, had left a clinic and attacked a man.",
    ],
)
def test_verdict_faces_and_the_defendant_comma(sentence):
    assert [p[0] for p in arrestees(sentence)] == ["Dale Ray Ames"]


def test_a_two_word_surname_alone_later_is_the_same_person():
    text = (
        "Cody James Gray Wolf, 29, of Vale, was arrested after a chase.\n"
        "Gray Wolf faces charges of eluding and theft."
    )
    assert [p[0] for p in arrestees(text)] == ["Cody James Gray Wolf"]


@pytest.mark.parametrize(
    "text",
    [
        "Update on the Criminal Charges Filed Against Oren Roe & Alon Roe\nMore to follow.",
        "Police will announce the arrest of Oren Roe and his twin brother Alon Roe today.",
    ],
)
def test_two_defendants_joined_by_and_or_a_relation(text):
    assert [p[0] for p in arrestees(text)] == ["Oren Roe", "Alon Roe"]


def test_a_case_named_after_its_defendant():
    text = "Statement on the Guilty Verdict in the Frank Roe Trial\nJustice was served today."
    assert [p[0] for p in arrestees(text)] == ["Frank Roe"]


def test_the_arrest_of_a_spelled_out_age():
    text = "The State Attorney announces the arrest of thirty-seven-year-old Ana Roe for theft."
    assert [p[0] for p in arrestees(text)] == ["Ana Roe"]


def test_a_list_broken_by_markup_lines_shares_the_charge():
    text = (
        "Charged in the operation were 27-year-old\nDale Ames\n, 38-year-old\nTim Cole\n, and "
        "27-year-old\nRoy Lamb\n.\nEach is charged with one count of theft."
    )
    assert [p[:2] for p in arrestees(text)] == [
        ("Dale Ames", 27),
        ("Tim Cole", 38),
        ("Roy Lamb", 27),
    ]


def test_an_officer_indicted_as_the_object_is_an_arrestee():
    text = (
        "Statement on Indictment of Dale Ames\n"
        "A grand jury on Thursday indicted Bay County Sheriff\u2019s Office Sgt. Dale Ames on a "
        "charge of murder."
    )
    assert [p[0] for p in arrestees(text)] == ["Dale Ames"]


def test_the_object_of_sentenced_is_an_arrestee():
    text = "A jury sentenced Dale Ray Ames, 22, to 50 years after convicting him of murder."
    assert [p[0] for p in arrestees(text)] == ["Dale Ray Ames"]


def test_an_officer_identified_as_the_defendant_is_an_arrestee():
    text = (
        "The District Attorney identified the defendant as Police Officer Dale Ames, 27, of Vale."
    )
    assert [p[:2] for p in arrestees(text)] == [("Dale Ames", 27)]


def test_a_military_base_is_no_person():
    text = "Dale Ames, 21, of Vale, stationed at Marine Corps Base Camp Lee, was charged with DUI."
    assert [p[0] for p in arrestees(text)] == ["Dale Ames"]
