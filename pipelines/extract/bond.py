"""Bond and bail: amounts in whole dollars, a bond type, and the raw phrase.

Amounts: "$2 million", "$1.5 million", "$75K", "$250,000". Types come from the ordered rules in
`pipelines/extract/data/bond.toml`. "Held without bail" has amount None (never 0). A release with no
bond wording yields no bond at all.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from price_parser import Price

BOND_TYPES = (
    "cash",
    "surety",
    "cash_or_surety",
    "personal_recognizance",
    "promise_to_appear",
    "summons",
    "held_without_bail",
    "unspecified",
)
NO_AMOUNT_TYPES = ("held_without_bail", "personal_recognizance", "promise_to_appear", "summons")

MONEY = re.compile(
    r"\$\s?(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s?(?P<mult>million|thousand|mil\b|[kKmM]\b))?"
)
_MULT = {"million": 1_000_000, "mil": 1_000_000, "m": 1_000_000, "thousand": 1_000, "k": 1_000}

_KEYWORD = re.compile(
    r"\b(?:bail|bond|bonds|recognizance|R\.?O\.?R|promise to appear|summons(?:ed)?|"
    r"notice to appear|appearance ticket|ticketed to appear|cited and released|remanded|"
    r"ordered detained|released on (?:a )?citation|cited to appear|pretrial release|"
    r"pretrial detention|detained (?:\w+ )?(?:pending|until|without))\b",
    re.I,
)
# Bond talk that is not about this release's custody decision.
_NOT_BOND = re.compile(
    r"bail (?:bonds? )?(?:agent|agency|agencies|business|company|licensee|industry|reform|"
    r"schedule|bondsm[ae]n)|bail[- ]?bonds(?:man|men)?\b|bond(?:s)? agent|bonds? issued|"
    r"bond (?:fund|measure|issue|rating|market)|\bposted? (?:his |her |their |a )?bond\b(?!.*\$)|"
    r"able to post|bonded out|bond(?:ed)? (?:out|release)|"
    r"out on bond (?:from|in) (?:a|an) (?:prior|previous|earlier)|"
    r"James Bond|bonding",
    re.I,
)


@dataclass(frozen=True)
class BondHit:
    """One custody decision found in the text."""

    start: int
    end: int
    amount: int | None
    type: str
    text: str


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, re.Pattern], ...]:
    path = resources.files("pipelines.extract") / "data" / "bond.toml"
    with path.open("rb") as f:
        data = tomllib.load(f)
    return tuple((r["type"], re.compile(r["pattern"], re.I)) for r in data["rule"])


def parse_money(text: str) -> int | None:
    """The first dollar amount in `text` in whole dollars: "$2 million" → 2000000,
    "$75K" → 75000, "$250,000" → 250000. None when there is no "$" amount."""
    m = MONEY.search(text)
    if not m:
        return None
    price = Price.fromstring("$" + m.group("num"), decimal_separator=".")
    value = price.amount_float
    if value is None:
        return None
    mult = m.group("mult")
    if mult:
        value *= _MULT[mult.lower()]
    return int(round(value))


def bond_type(phrase: str, has_amount: bool = True) -> str | None:
    """The bond type a phrase states (first matching rule of bond.toml), "unspecified" for a
    bare amount, or None when the phrase states neither a type nor an amount."""
    for typ, rx in _rules():
        if rx.search(phrase):
            return typ
    return "unspecified" if has_amount else None


_BOUNDARY = re.compile(r",\s|;|\.\s|\.$|\n|\s(?:and|but|while|after|before|which|who)\s")


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end], bounded by ", ", ";", ". ", line breaks and
    conjunctions; "$100,000" keeps its comma because a boundary comma has a space after it."""
    left = max(0, start - 160)
    for m in _BOUNDARY.finditer(text, left, start):
        left = m.end()
    m = _BOUNDARY.search(text, end, min(len(text), end + 160))
    right = m.start() if m else min(len(text), end + 160)
    return left, right


def find_bonds(text: str) -> list[BondHit]:
    """Every custody decision in `text`: amount (or None), type and the raw phrase, in text
    order. Several decisions in one sentence ("Sumpter was ordered held without bail, Bailey's
    bail was set at $100,000 cash or $50,000 bond") give several hits; "$100,000 cash or
    $50,000 bond" is one hit (cash_or_surety, the first amount)."""
    hits: list[BondHit] = []
    seen: set[tuple[int, int]] = set()
    for km in _KEYWORD.finditer(text):
        a, b = _clause(text, km.start(), km.end())
        if (a, b) in seen:
            continue
        clause = text[a:b]
        # a clause that is only "$X cash or $Y bond" continues after the conjunction
        if _NOT_BOND.search(text[max(a, km.start() - 40) : min(b, km.end() + 40)]):
            continue
        monies = list(MONEY.finditer(clause))
        if (
            not monies
            and text[b : b + 4] in (" or ", " or$")
            or not monies
            and re.match(r"\s+or\s+\$", text[b:])
        ):
            b2 = _clause(text, b + 4, b + 5)[1]
            clause = text[a:b2]
            b = b2
            monies = list(MONEY.finditer(clause))
        if not monies:
            # "set bail at $2 million, $500,000 and $50,000 respectively": amount in the next
            # comma piece
            nxt = re.match(r"[\s,]*(?:of|at|in the amount of)?\s*\$", text[b:])
            if nxt:
                b2 = _clause(text, b + nxt.end(), b + nxt.end() + 1)[1]
                clause = text[a:b2]
                b = b2
                monies = list(MONEY.finditer(clause))
        amount = None
        pstart, pend = km.start(), km.end()
        if monies:
            m0 = monies[0]
            if len(monies) >= 2 and re.search(r"\bor\b", clause):
                # "$100,000 cash or $50,000 bond" / "$250,000 bond or $100,000 cash": the cash
                # (or plain "bail") figure is the amount
                for mm in monies:
                    follow = clause[mm.end() : mm.end() + 20].lower()
                    if re.match(r"\s*(?:in\s+)?(?:cash|bail)\b", follow):
                        m0 = mm
                        break
            amount = parse_money(m0.group(0))
            pstart = min(pstart, a + m0.start())
            pend = max(pend, a + monies[-1].end() if len(monies) <= 2 else a + m0.end())
        typ = bond_type(clause, amount is not None)
        if typ is None:
            continue
        if amount is None and typ not in NO_AMOUNT_TYPES:
            continue
        if typ == "held_without_bail":
            amount = None
        seen.add((a, b))
        raw = re.sub(r"\s+", " ", clause).strip(" ,.;:")
        hits.append(BondHit(a, b, amount, typ, raw))
    return _totals_first(text, hits)


_TOTAL = re.compile(r"\btotal(?:ing|ling|s)?\b|\bcombined\b|\baggregate\b", re.I)


def _totals_first(text: str, hits: list[BondHit]) -> list[BondHit]:
    """Bonds set per charge with a stated total ("$50,000 on the burglary charge and $26,500
    on the theft charge, for a total bond of $76,500"): the total stands for the sentence, the
    per-charge amounts before it in that sentence are dropped."""
    out: list[BondHit] = []
    for h in hits:
        if h.amount is not None and _TOTAL.search(h.text):
            s0 = max(text.rfind(". ", 0, h.start), text.rfind("\n", 0, h.start)) + 1
            out = [o for o in out if o.start < s0 or o.amount is None]
        out.append(h)
    return out
