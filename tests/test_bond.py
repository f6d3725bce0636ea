"""Bond: amount in whole dollars, type, raw phrase."""

import pytest

from pipelines.extract.bond import find_bonds, parse_money


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$2 million", 2_000_000),
        ("$1.5 million", 1_500_000),
        ("$75K", 75_000),
        ("$250,000", 250_000),
        ("$7,500", 7_500),
        ("no money", None),
    ],
)
def test_parse_money(text, amount):
    assert parse_money(text) == amount


@pytest.mark.parametrize(
    ("text", "amount", "typ"),
    [
        ("Cajigas remains in custody on a $2 million bond.", 2_000_000, "unspecified"),
        ("Bond was set at $250,000 cash or surety.", 250_000, "cash_or_surety"),
        ("She was held on a $75K cash-only bond.", 75_000, "cash"),
        ("He was released on a $10,000 surety bond.", 10_000, "surety"),
        ("He is being held without bail pending trial.", None, "held_without_bail"),
        ("He was released on a written promise to appear.", None, "promise_to_appear"),
        ("She was released on her own recognizance.", None, "personal_recognizance"),
        ("The driver was summonsed on motor vehicle charges.", None, "summons"),
        ("He was held in lieu of $50,000 bail.", 50_000, "unspecified"),
    ],
)
def test_one_bond(text, amount, typ):
    (hit,) = find_bonds(text)
    assert (hit.amount, hit.type) == (amount, typ)


def test_several_decisions_in_one_sentence():
    text = (
        "Ortiz was ordered held without bail, Lyle's bail was set at $100,000 cash or "
        "$50,000 bond and Maren's bail was set at $20,000."
    )
    got = [(h.amount, h.type) for h in find_bonds(text)]
    assert got == [
        (None, "held_without_bail"),
        (100_000, "cash_or_surety"),
        (20_000, "unspecified"),
    ]


def test_posting_bond_in_an_old_case_is_not_a_bond():
    assert find_bonds("He was able to post bond and issued a court date in that case.") == []


def test_bail_agents_are_not_bonds():
    assert find_bonds("She worked as a licensed bail bonds agent in Fullerton.") == []


def test_held_without_bail_is_never_zero():
    (hit,) = find_bonds("He was held without bond.")
    assert hit.amount is None


def _one(text):
    return [(h.amount, h.type) for h in find_bonds(text)]


def test_pretrial_detention_is_held_without_bail():
    assert _one(
        "Pruitt remains detained after prosecutors filed a petition to deny pretrial release."
    ) == [(None, "held_without_bail")]
    assert _one("A judge ordered Pruitt detained pending trial.") == [(None, "held_without_bail")]


def test_bonds_per_charge_with_a_total_give_the_total():
    text = (
        "Bond was set at $50,000 on the burglary charge and $26,500 on the theft charge, "
        "for a total bond of $76,500."
    )
    assert _one(text) == [(76_500, "unspecified")]


# --- bond history and co-defendants: invented examples ---


def _bonds(text):
    from pipelines.extract import extract

    return {
        p["name"]: p["bond"] and (p["bond"]["amount"], p["bond"]["type"])
        for p in extract(text, published="2024-05-01")["people"]
        if p["role"] == "arrestee"
    }


PERSON = "Ray Holt, 52, of Akron, was charged with burglary. "


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        ("Bail was raised from $20,000 to $100,000.", (100_000, "unspecified")),
        (
            "A judge first set bail at $100,000. Today the judge reduced it to $20,000.",
            (20_000, "unspecified"),
        ),
        (
            "A judge first set bail at $100,000, but on Monday lowered it to $20,000.",
            (20_000, "unspecified"),
        ),
        ("Bail was set at $10,000. His bail is now $50,000 cash.", (50_000, "cash")),
        # a change asked for is not a change made
        (
            "He is held on $50,000 bail. Prosecutors will ask that bail be increased to $100,000.",
            (50_000, "unspecified"),
        ),
        # a figure that is not bail does not change it
        ("Bail was set at $10,000. The store reduced the price to $20.", (10_000, "unspecified")),
    ],
)
def test_bond_history_gives_the_latest_bond(later, expected):
    assert _bonds(PERSON + later) == {"Ray Holt": expected}


@pytest.mark.parametrize(
    "wording",
    [
        "He was ordered detained pending trial.",
        "He will remain detained.",
        "A judge ordered him to remain detained until trial.",
        "He was remanded.",
    ],
)
def test_detention_wording_is_held_without_bail(wording):
    assert _bonds(PERSON + wording) == {"Ray Holt": (None, "held_without_bail")}


@pytest.mark.parametrize(
    "custody",
    [
        "Holt was remanded, while Moss was held on $5,000 bail.",
        "Holt was remanded and Moss's bail was set at $5,000.",
        "Holt was remanded. Bail for Moss was set at $5,000.",
        "Judge Lee remanded Holt and set bail for Moss at $5,000.",
        "Moss was held on $5,000 bail; Holt was remanded.",
    ],
)
def test_one_codefendants_remand_is_not_anothers_bail(custody):
    text = "Ray Holt, 52, and Ann Moss, 29, both of Akron, were charged with burglary. " + custody
    assert _bonds(text) == {
        "Ray Holt": (None, "held_without_bail"),
        "Ann Moss": (5_000, "unspecified"),
    }


@pytest.mark.parametrize(
    "wording", ["He was released without bail.", "He was released on his own recognizance."]
)
def test_release_without_bail_is_personal_recognizance(wording):
    assert _bonds(PERSON + wording) == {"Ray Holt": (None, "personal_recognizance")}


@pytest.mark.parametrize(
    "custody",
    [
        "Holt's bond was set at $30,000 and Moss's at $15,000.",
        "Bail was set at $30,000 for Holt and $15,000 for Moss.",
    ],
)
def test_amounts_for_two_codefendants_in_one_sentence(custody):
    text = "Ray Holt, 52, and Ann Moss, 29, both of Akron, were charged with burglary. " + custody
    assert _bonds(text) == {
        "Ray Holt": (30_000, "unspecified"),
        "Ann Moss": (15_000, "unspecified"),
    }


def test_an_amount_after_the_bail_that_is_not_a_person_s_is_not_a_bond():
    text = PERSON + "Bail was set at $50,000 and $10,000 in restitution was ordered."
    assert _bonds(text) == {"Ray Holt": (50_000, "unspecified")}


def test_insurance_company_bond_or_cash_is_cash_or_surety():
    text = PERSON + "A judge set bail at $50,000 insurance company bond or $25,000 cash."
    assert _bonds(text) == {"Ray Holt": (25_000, "cash_or_surety")}


def test_custody_on_another_case_is_not_this_bond():
    text = (
        "Ray Holt will be held on $500,000 bail once he is returned to Ohio. He is being held "
        "without bail at the Lorne County Jail, in Iowa, on a federal immigration case."
    )
    assert [(h.amount, h.type) for h in find_bonds(text)] == [(500000, "unspecified")]
    text = "Holt is being held on $20,000 bail in an unrelated case."
    assert find_bonds(text) == []
