"""extract(): the whole record for a release, the CLI and the item pipeline."""

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.crawl import ExtractPipeline
from pipelines.extract import EXTRACTOR_VERSION, contract_view, extract

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
SAMPLE = SHARED / "hartford-2021-10-26-sample.txt"
SAMPLE_LABEL = SHARED / "hartford-2021-10-26-sample.expected.json"

# Written for the project: an invented release (people, places and events are fictional).
MILLBROOK = """\
MILLBROOK POLICE ARREST TWO AFTER SHOTS FIRED AT BAKERY

On Saturday, March 5, at approximately 2215 hours, Millbrook Police officers responded to the
400 block of Canal Street for a report of shots fired.

Officers located Rafael Ortiz, 29, and Dwayne Hale, 22, both of Millbrook, inside a parked
vehicle. A loaded handgun was recovered from the glove box. No one was injured, said Sergeant
Lena Marsh.

Ortiz was charged with criminal possession of a firearm (53a-217), unlawful discharge of a
firearm (53-203) and two counts of reckless endangerment in the first degree. He is being held
on a $250,000 cash or surety bond.

Hale was charged with interfering with an officer and was released on a written promise to
appear.

A 16-year-old passenger was also arrested and charged with possession of marijuana. His name is
not being released because of his age.
"""


def arrestees(record):
    return [p for p in record["people"] if p["role"] == "arrestee"]


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared corpus not present")
def test_hartford_sample_matches_its_expected_file():
    label = json.loads(SAMPLE_LABEL.read_text())
    inp = label["input"]
    got = extract(SAMPLE.read_text(), published=inp["published"])
    exp = label["expected"]
    assert {k: got["incident"][k] for k in exp["incident"]} == exp["incident"]
    people = arrestees(got)
    assert len(people) == len(exp["people"]) == 1
    (p,), (e,) = people, exp["people"]
    for key in ("role", "name", "age", "residence", "juvenile"):
        assert p[key] == e[key]
    assert [(c["text"], c["counts"]) for c in p["charges"]] == [
        (c["text"], c["counts"]) for c in e["charges"]
    ]
    assert {k: p["bond"][k] for k in e["bond"]} == e["bond"]
    assert all(q["name"] != "Aaron Boisvert" for q in people)


def test_written_release_with_three_arrestees():
    got = extract(MILLBROOK, published="2022-03-07")
    assert got["incident"] == {
        "date": "2022-03-05",
        "time": "22:15",
        "date_inferred": True,
        "location": "400 block of Canal Street",
    }
    people = {p["name"]: p for p in arrestees(got)}
    assert set(people) == {"Rafael Ortiz", "Dwayne Hale", None}
    ortiz = people["Rafael Ortiz"]
    assert (ortiz["age"], ortiz["residence"]) == (29, "Millbrook")
    assert [(c["text"], c["statute"], c["counts"], c["category"]) for c in ortiz["charges"]] == [
        ("Criminal possession of a firearm", "53a-217", 1, "520"),
        ("Unlawful discharge of a firearm", "53-203", 1, "520"),
        ("Reckless endangerment in the first degree", None, 2, "90Z"),
    ]
    assert (ortiz["bond"]["amount"], ortiz["bond"]["type"]) == (250_000, "cash_or_surety")
    hale = people["Dwayne Hale"]
    assert [c["text"] for c in hale["charges"]] == ["Interfering with an officer"]
    assert hale["bond"]["type"] == "promise_to_appear" and hale["bond"]["amount"] is None
    teen = people[None]
    assert (teen["age"], teen["juvenile"]) == (16, True)
    assert [c["category"] for c in teen["charges"]] == ["35A"]
    assert all(p["name"] != "Lena Marsh" for p in arrestees(got))


def test_no_bond_wording_gives_null_bond():
    got = extract(
        "Kim Lowe, 44, of Easton, was arrested and charged with larceny. Police said "
        "the investigation continues.",
        published="2022-01-10",
    )
    (p,) = arrestees(got)
    assert p["bond"] is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty text"),
        ("\x00\x01\x02" * 50, "empty text"),
        (
            "Le suspect a été arrêté hier soir près de la gare centrale de la ville.",
            "text does not look like English",
        ),
    ],
)
def test_bad_input_gives_empty_fields_and_a_problem(text, problem):
    got = extract(text)
    assert got["people"] == [] and got["incident"]["date"] is None
    assert any(problem in p for p in got["problems"])


def test_html_fragment_and_huge_text_do_not_raise():
    got = extract("<p>Officers arrested <b>Ana Cole</b>, 33, of Troy.</p><script>x()</script>")
    assert [p["name"] for p in arrestees(got)] == ["Ana Cole"]
    big = extract("Police said the road is closed. " * 40_000)
    assert any("truncated" in p for p in big["problems"])


def test_contract_view_has_exactly_the_contract_keys():
    view = contract_view(extract(MILLBROOK, published="2022-03-07"))
    assert set(view) == {"published", "incident", "people", "problems"}
    person = view["people"][0]
    assert set(person) == {"role", "name", "age", "residence", "juvenile", "charges", "bond"}
    assert set(person["charges"][0]) == {"text", "statute", "counts", "category"}
    assert set(person["bond"]) == {"amount", "type", "text"}


def test_cli_prints_one_json_object(tmp_path):
    f = tmp_path / "release.txt"
    f.write_text(MILLBROOK)
    out = subprocess.run(
        [sys.executable, "-m", "pipelines.extract", str(f), "--published", "2022-03-07"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["incident"]["time"] == "22:15"


def test_item_pipeline_fills_extraction():
    @dataclass
    class Item:
        body_text: str
        published_at: str | None
        state: str | None
        agency_name: str | None
        extraction: dict | None = None

    item = Item(MILLBROOK, "2022-03-07T09:00:00-05:00", "CT", "X")
    item = asyncio.run(ExtractPipeline(workers=0).process_item(item))
    expected = extract(MILLBROOK, published="2022-03-07")
    assert item.extraction == {**expected, "extractor_version": EXTRACTOR_VERSION}
    assert item.extraction["published"] == "2022-03-07"
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_item_pipeline_extracts_the_same_in_a_worker_process():
    @dataclass
    class Item:
        body_text: str
        published_at: str | None
        state: str | None
        agency_name: str | None
        extraction: dict | None = None

    async def run() -> Item:
        pipeline = ExtractPipeline(workers=1)
        pipeline.open_spider()
        try:
            return await pipeline.process_item(
                Item(MILLBROOK, "2022-03-07T09:00:00-05:00", "CT", "X")
            )
        finally:
            pipeline.close_spider()

    item = asyncio.run(run())
    expected = extract(MILLBROOK, published="2022-03-07")
    assert item.extraction == {**expected, "extractor_version": EXTRACTOR_VERSION}


# --- wording patterns of real releases, first round ----------------------------------------


def test_summary_paragraph_short_forms_give_way_to_the_detailed_list():
    text = (
        "District Attorney Ruth Ames today announced that a 30-year-old man has been charged "
        "with attempted murder, assault and other charges.\n\n"
        "The District Attorney identified the defendant as Elias Crane, 30, of Maple Hill. He "
        "is charged with second-degree attempted murder, first-degree assault and "
        "criminal possession of a weapon."
    )
    (person,) = arrestees(extract(text, published="2022-05-02"))
    assert [c["text"] for c in person["charges"]] == [
        "Second-degree attempted murder",
        "First-degree assault",
        "Criminal possession of a weapon",
    ]


def test_additional_charges_add_to_the_counts():
    text = (
        "Ira Dunn, 41, of Oakvale, was charged with three felony counts of forgery. "
        "Dunn has been additionally charged with two felony counts of forgery."
    )
    (person,) = arrestees(extract(text, published="2022-05-02"))
    assert [(c["text"], c["counts"]) for c in person["charges"]] == [("Forgery", 5)]


def test_two_named_subjects_with_a_plural_verb_share_the_charges():
    text = (
        "Lena Moss, 45, Harbor City, and Carl Poe, 33, Elmdale, were charged with one felony "
        "count each of human trafficking and pimping."
    )
    people = arrestees(extract(text, published="2022-05-02"))
    assert [[c["text"] for c in p["charges"]] for p in people] == [
        ["Human trafficking", "Pimping"],
        ["Human trafficking", "Pimping"],
    ]


def test_possessive_mention_does_not_take_the_charges():
    text = (
        "Co-defendant Rosa Lind, 35, Elmdale, is charged with grand theft.\n\n"
        "Co-defendant Owen B. Tate, 25, Fairview, Lind's boyfriend, is charged with one felony "
        "count of burglary."
    )
    people = {p["name"]: p for p in arrestees(extract(text, published="2022-05-02"))}
    assert [c["text"] for c in people["Owen B. Tate"]["charges"]] == ["Burglary"]
    assert [c["text"] for c in people["Rosa Lind"]["charges"]] == ["Grand theft"]


def test_site_footer_after_share_is_ignored():
    text = (
        "Nina Roe, 29, of Elmdale, is charged with one felony count of vandalism. Roe is "
        "being held on $20,000 bail. The Elmdale Police Department investigated this case "
        "and a deputy district attorney is prosecuting it.\nShare\nLatest Posts\n"
        "Mother Charged with Murder After Fire\nJune 9, 2026\nPress\n"
    )
    (person,) = arrestees(extract(text, published="2022-05-02"))
    assert [c["text"] for c in person["charges"]] == ["Vandalism"]


def test_a_more_news_column_before_the_release_does_not_end_it():
    """A site whose menu, address and "More News" column of other headlines come before the
    release: the release is read, and its own trailer still cut."""
    text = (
        "County Attorney's Office > Newsroom\nSkip to main content\nHome\nAbout Us\n"
        "Victim Services\nDiversion Programs\nCommunity Outreach\nCareers\nResources\n"
        "Research and Data\nFind Your Case\nContact Us\n400 Main Street, Suite 2\nElmdale, Ohio\n"
        "555-010-4400\nMore News\nMay 2, 2026\nCounty Attorney Files Charges in Decades-Old "
        "Warehouse Fire\nApr 28, 2026\nMan Accused of Arson Appears in Court for Hearing\n"
        "News Releases\n"
        "Nina Roe, 29, of Elmdale, is charged with one felony count of vandalism after a "
        "break-in at the county garage. Roe is being held on $20,000 bail.\nShare\n"
        "Latest Posts\nMother Charged with Murder After Fire\n"
    )
    (person,) = arrestees(extract(text, published="2026-05-04"))
    assert (person["name"], person["age"]) == ("Nina Roe", 29)
    assert [c["text"] for c in person["charges"]] == ["Vandalism"]


def test_a_sentence_glued_to_the_next_ends_the_charge():
    """ "... Forgery of a Public Record.Both charges are felonies": the full stop with no space
    after it still ends the sentence, and "Co-conspirator" is a role, not part of a name."""
    text = (
        "On May 2, 2026, clerk Tara Venn was charged with Forgery of a Public Record. "
        "Co-conspirator Abel Ruiz Mora was also charged with Forgery of a Public Record.Both "
        "charges are third degree felonies."
    )
    charged = {p["name"]: [c["text"] for c in p["charges"]] for p in arrestees(extract(text))}
    assert charged == {
        "Tara Venn": ["Forgery of a Public Record"],
        "Abel Ruiz Mora": ["Forgery of a Public Record"],
    }


# --- wording patterns of real releases, second round (all examples invented) ---------------


def arrestee_charges(text, **kw):
    return {
        p["name"] or f"<{p['age']}>": [(c["text"], c["counts"]) for c in p["charges"]]
        for p in extract(text, **kw)["people"]
        if p["role"] == "arrestee"
    }


def test_an_additional_count_adds_to_the_earlier_counts():
    text = (
        "Karl Brandt, 49, Elmwood, will be charged tomorrow in an amended complaint with one "
        "additional felony count of arson of a structure. He was previously charged in March "
        "with two felony counts of arson of a structure and one felony count of attempted arson."
    )
    assert arrestee_charges(text) == {
        "Karl Brandt": [("Arson of a structure", 3), ("Attempted arson", 1)]
    }


def test_summary_list_that_repeats_the_indictment_is_dropped():
    text = (
        "District Attorney Ruth Ames today announced that a man has been charged with scheme "
        "to defraud, grand larceny and notary fraud for posing as a lawyer.\n\n"
        "The District Attorney identified the defendant as Omar Fitch, 48, of Midland. He is "
        "charged with first-degree scheme to defraud and third-degree grand larceny."
    )
    assert arrestee_charges(text) == {
        "Omar Fitch": [("First-degree scheme to defraud", 1), ("Third-degree grand larceny", 1)]
    }


def test_counted_list_wins_over_the_longer_summary_wording():
    text = (
        "Police seek more victims of a man arrested on charges of indecent exposure to four "
        "women in Bayside. Rex Hollis, 33, Bayside, is charged with four misdemeanor counts of "
        "indecent exposure and one felony count of stalking."
    )
    assert arrestee_charges(text) == {"Rex Hollis": [("Indecent exposure", 4), ("Stalking", 1)]}


def test_lead_dui_gives_way_to_aggravated_dui():
    text = (
        "A Fargo woman was arrested for driving under the influence early Sunday. The driver, "
        "Jana Moe, 24, of Fargo, was hurt.\n\nMoe was arrested for aggravated DUI and driving "
        "without insurance."
    )
    assert arrestee_charges(text) == {
        "Jana Moe": [("Aggravated DUI", 1), ("Driving without insurance", 1)]
    }


def test_the_crimes_told_of_are_not_more_charges():
    text = (
        "Ty Lowe, 30, of Dover, is charged with first-degree rape and third-degree robbery. "
        "Lowe was later charged with the rape and sexual assault."
    )
    assert arrestee_charges(text) == {
        "Ty Lowe": [("First-degree rape", 1), ("Third-degree robbery", 1)]
    }


def test_both_were_cited_means_the_group_just_named():
    text = (
        "Cole Ames, 34, of Granby, was cited with reckless endangerment and released.\n\n"
        "Officers then located two 17-year-olds, one from Weston and one from Granby, inside "
        "the yard. Both were cited for unlawful trespass and released to a parent."
    )
    people = [p for p in extract(text)["people"] if p["role"] == "arrestee"]
    assert [(p["age"], p["residence"], [c["text"] for c in p["charges"]]) for p in people] == [
        (34, "Granby", ["Reckless endangerment"]),
        (17, "Weston", ["Unlawful trespass"]),
        (17, "Granby", ["Unlawful trespass"]),
    ]


def test_the_juvenile_was_arrested_takes_the_juveniles_charges():
    text = (
        "Officers stopped Leon Varga, 19, of Eastmoor, and recovered a handgun. A second man "
        "fled and was caught. He was identified as a 16-year-old male of Eastmoor.\n\n"
        "Varga was charged with carrying a firearm.\n\n"
        "The juvenile was arrested on charges of possession of ammunition and resisting arrest."
    )
    assert arrestee_charges(text) == {
        "Leon Varga": [("Carrying a firearm", 1)],
        "<16>": [("Possession of ammunition", 1), ("Resisting arrest", 1)],
    }


def test_a_statute_list_line_is_not_joined_to_the_next():
    text = (
        "Ray Olin, 37, of Maywood, was charged with:\n\n"
        "Aggravated Battery (720 ILCS 5/12-3.05)\n"
        "Unlawful Possession of a Weapon by a Felon (720 ILCS 5/24-1.1)\n"
        "Driving Under the Influence of Alcohol (625 ILCS 5/11-501)\n\n"
        "Bond was set at $50,000."
    )
    assert [c[0] for c in arrestee_charges(text)["Ray Olin"]] == [
        "Aggravated Battery",
        "Unlawful Possession of a Weapon by a Felon",
        "Driving Under the Influence of Alcohol",
    ]


def test_item_pipeline_takes_only_the_item():
    import inspect

    assert list(inspect.signature(ExtractPipeline.process_item).parameters) == ["self", "item"]


def _who_has_what(record):
    return [
        (p["name"], [c["text"] for c in p["charges"]], p["bond"] and p["bond"]["amount"])
        for p in record["people"]
        if p["role"] == "arrestee"
    ]


def test_each_person_header_gets_their_own_bulleted_charges():
    text = (
        "Officers arrested two people after a search at a home on Birch Lane.\n\n"
        "Marcus Delaney, 31, of Riverton\n- Possession of a controlled substance\n\n"
        "Devon Hollis, 45, of Riverton\n- Failure to appear\n"
    )
    assert _who_has_what(extract(text, published="2024-06-10")) == [
        ("Marcus Delaney", ["Possession of a controlled substance"], None),
        ("Devon Hollis", ["Failure to appear"], None),
    ]


def test_a_list_of_people_shares_the_charges_and_the_bail_each():
    text = (
        "Police arrested Harold Finch, 71, and Nicholas \u201cNick\u201d Moreau, 37, both of "
        "Cedar Falls, and Dale Wicks, 54, of Ashby, on Tuesday. All three were charged with "
        "burglary and theft. They are being held on $1 million bail each."
    )
    assert _who_has_what(extract(text, published="2024-06-10")) == [
        ("Harold Finch", ["Burglary", "Theft"], 1_000_000),
        ("Nicholas Moreau", ["Burglary", "Theft"], 1_000_000),
        ("Dale Wicks", ["Burglary", "Theft"], 1_000_000),
    ]


def test_charging_two_people_with_a_list_gives_both_the_list():
    text = (
        "Detectives obtained warrants charging Lena Ortiz and Paul Graves with conspiracy, "
        "burglary."
    )
    assert _who_has_what(extract(text)) == [
        ("Lena Ortiz", ["Conspiracy", "Burglary"], None),
        ("Paul Graves", ["Conspiracy", "Burglary"], None),
    ]


def test_a_group_of_unnamed_teens_shares_the_charge():
    text = (
        "Two 17-year-olds, one from Northfield and one from Granby, were arrested and charged "
        "with criminal mischief."
    )
    assert _who_has_what(extract(text)) == [
        (None, ["Criminal mischief"], None),
        (None, ["Criminal mischief"], None),
    ]


def test_arrested_name_list_on_charges_gives_everyone_the_charge():
    text = (
        "Deputies responded to a burglary call at a church. Deputies have arrested Ray D. Cole, "
        "Kyle Whitby, and one juvenile on charges of commercial burglary."
    )
    names = _who_has_what(extract(text))
    assert ("Ray D. Cole", ["Commercial burglary"], None) in names
    assert ("Kyle Whitby", ["Commercial burglary"], None) in names


def test_cli_names_a_missing_file_and_exits_2(tmp_path):
    missing = tmp_path / "no-such-release.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.extract", str(missing)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.returncode == 2
    assert str(missing) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_cli_ends_quietly_when_its_reader_stops_reading(tmp_path):
    # as with `python -m pipelines.extract FILE | head -1`, with the reader gone before the
    # first write, so that the write fails whatever the timing
    f = tmp_path / "release.txt"
    f.write_text(MILLBROOK)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pipelines.extract", str(f)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert proc.stderr == ""


def test_module_docstring_states_the_contract():
    # the contract's one home is record.py; release.py (and the CLI's --help) point to it
    import pipelines.extract.record as mod
    import pipelines.extract.release as release

    for key in ("published", "incident", "date_inferred", "people", "juvenile", "problems"):
        assert f'"{key}"' in mod.__doc__
    for bond_type in ("cash_or_surety", "personal_recognizance", "held_without_bail"):
        assert bond_type in mod.__doc__
    assert "pipelines/extract/record.py" in release.__doc__


def _bonds(text):
    return {
        p["name"]: (p["bond"] or {}).get("type")
        for p in extract(text, published="2024-03-01")["people"]
        if p["role"] == "arrestee"
    }


def test_a_bond_told_of_several_people_goes_to_each():
    # a plural surname, a plural verb after two names, "their", "the defendants"
    text = (
        "Dana Voss, 51, and Lee Voss, 49, of Ashby were charged with grand theft. "
        "The Vosses are in custody on $2 million bail."
    )
    assert _bonds(text) == {"Dana Voss": "unspecified", "Lee Voss": "unspecified"}
    text = (
        "Omar Reyes, 31, and Tim Noll, 40, were charged with robbery. Ann Marsh, 25, was "
        "charged with theft. Reyes and Noll are being held without bail."
    )
    assert _bonds(text) == {
        "Omar Reyes": "held_without_bail",
        "Tim Noll": "held_without_bail",
        "Ann Marsh": None,
    }
    text = (
        "Omar Reyes, 31, and Tim Noll, 40, were charged with robbery. "
        "Their bail is set at $1 million."
    )
    assert _bonds(text) == {"Omar Reyes": "unspecified", "Tim Noll": "unspecified"}
    text = (
        "Omar Reyes, 31, was charged with murder along with two co-defendants. The defendants "
        "are being held without bail. Tim Noll, 40, and Ann Marsh, 25, were also charged."
    )
    assert list(_bonds(text).values()) == ["held_without_bail"] * 3


def test_co_defendants_who_face_the_same_charges_get_them():
    text = (
        "Dale Roe, 22, Mission Hills, was charged today with two felony counts of murder and "
        "one count of attempted murder. Ray Holt, 22, Van Nuys, and Lee Park, 21, West "
        "Hollywood, face the same charges as Roe. Ann Lee, 30, was charged with perjury."
    )
    people = {p["name"]: [(c["text"], c["counts"]) for c in p["charges"]] for p in
              extract(text, published="2007-08-17")["people"]}  # fmt: skip
    roe = [("Murder", 2), ("Attempted murder", 1)]
    perjury = [("Perjury", 1)]
    assert people == {"Dale Roe": roe, "Ray Holt": roe, "Lee Park": roe, "Ann Lee": perjury}
