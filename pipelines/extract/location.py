"""Incident location: a street address, a block ("600 block of Maryland Avenue") or an
intersection ("Blue Hill Avenue and Morton Street"), as written."""

from __future__ import annotations

import re

from pipelines.extract.scan import compile_guarded
from pipelines.extract.sentences import alternation, places, sentences

# street types of data/places.toml, full or abbreviated ("Street", "St")
_SUFFIX = alternation(places()["suffix_names"], places()["suffix_abbrevs"])
_DIR = r"(?:North|South|East|West|Northeast|Northwest|Southeast|Southwest|N|S|E|W|NE|NW|SE|SW)"
# bounded: an unbounded word re-matched one huge hyphenated token from every word boundary
_WORD = r"(?:[A-Z][A-Za-z'\-]{0,40}|\d+(?:st|nd|rd|th))"
_STREET = (
    rf"(?:{_DIR}\.?\s+)?(?:{_WORD}\s+){{0,3}}?{_WORD}\s+{_SUFFIX}\b\.?"
    rf"(?:\s+{_DIR}\b\.?)?"
)
# Route/highway names without a suffix ("Highway 75", "Interstate 29", "U.S. 20")
_ROUTE = r"(?:Highway|Hwy\.?|Interstate|I-|Route|Rt\.?|U\.S\.|US|State Route|County Road)\s*\d+"
# A street type before a letter or number ("Avenue L", "Avenue J")
_LETTER_STREET = r"(?:Avenue|Ave\.?|Street)\s+(?:[A-Z]|\d{1,3})\b(?![.'\w])"
_ANY_STREET = rf"(?:{_STREET}|{_ROUTE}|{_LETTER_STREET})"
# Every street above starts with a capital or a digit: the patterns below look ahead for one
# first, so the words of a text that start otherwise fail at once (the matches are the same).
_STREET_START = r"(?=[A-Z0-9])"
# plural street types, capitalized or not ("Avenues", "avenues"), and abbreviations ("Aves.")
_PLURAL_TYPES = (
    "Streets", "Avenues", "Roads", "Boulevards", "Drives", "Lanes", "Courts", "Places",
    "Terraces", "Ways", "Highways", "Parkways",
)  # fmt: skip
_PLURAL_ABBREVIATIONS = ("Sts", "Aves", "Rds")
_PLURAL_SUFFIX = (
    "(?:"
    + "|".join(f"[{t[0]}{t[0].lower()}]{t[1:]}" for t in _PLURAL_TYPES)
    + "|"
    + "|".join(rf"{a}\.?" for a in _PLURAL_ABBREVIATIONS)
    + ")"
)
# a text holding none of these words has no shared intersection: the pattern is not tried
_PLURAL_WORDS = (
    *_PLURAL_TYPES,
    *(t[0].lower() + t[1:] for t in _PLURAL_TYPES),
    *_PLURAL_ABBREVIATIONS,
)
# "Dumont and Montauk Avenues": two streets that share one (plural) street type
SHARED_INTERSECTION = compile_guarded(
    rf"\b{_STREET_START}(?:{_DIR}\.?\s+)?(?:{_WORD}\s+){{0,2}}?{_WORD}\s+(?:and|&)\s+"
    rf"(?:{_DIR}\.?\s+)?"
    rf"(?:{_WORD}\s+){{0,2}}?{_WORD}\s+{_PLURAL_SUFFIX}(?![\w])\.?"
)

BLOCK = re.compile(rf"\b(?P<n>\d{{1,6}})\s+block\s+of\s+(?P<street>{_ANY_STREET})")
INTERSECTION = re.compile(
    rf"\b{_STREET_START}(?P<a>{_ANY_STREET})\s+(?:and|&)\s+"
    rf"(?P<b>{_ANY_STREET}|{_WORD}(?:\s+{_WORD})?"
    rf"(?=\s+(?:in|on|at|near|around|for|,|\.)|[,.]))"
)
ADDRESS = compile_guarded(rf"\b(?P<n>\d{{1,6}}[A-Z]?)\s+(?P<street>{_STREET})")

_NOT_INCIDENT = compile_guarded(
    r"(?:headquarters|Justice Center|Law Enforcement Center|courthouse|District Attorney's|"
    r"located at \d+ \w+ \w+ (?:St|Street)\b.*(?:office|center)|reside[sd]? at|lives? at|"
    r"residence at|mailing|P\.?O\.? Box|Suite|\bcall\b|\bcontact\b)",
    re.I,
)


# a roster label before the place ("Arrested: Ann Roe, 12 Elm St"): her address, no incident
_LABEL = re.compile(r"(?:Accused|Arrested|Suspect|Name)\s*:", re.I)


def _tidy(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = s.rstrip(",")
    # "At El Toro Road and Toledo Way" at a sentence start: the preposition is no street name
    s = re.sub(r"^(?:At|On|Near|In|Along|Outside)\s+(?=[A-Z0-9])", "", s)
    # "1921 Main St." is written "1921 Main St": a final period is never part of the place
    return s.rstrip(".").rstrip()


def find_locations(text: str) -> list[tuple[int, str, str]]:
    """All location mentions as (offset, kind, text) in text order; kind is block,
    intersection or address."""
    out: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    # each pattern is tried only where a word that all its matches hold is in the text
    for m in BLOCK.finditer(text) if "block" in text else ():
        out.append((m.start(), "block", _tidy(f"{m.group('n')} block of {m.group('street')}")))
        taken.append(m.span())
    shared = any(word in text for word in _PLURAL_WORDS)
    for m in SHARED_INTERSECTION.finditer(text) if shared else ():
        first = m.group(0).split()[0]
        if first in ("The", "At", "On", "In", "Near", "Of", "And", "Between"):
            continue
        out.append((m.start(), "intersection", _tidy(m.group(0))))
        taken.append(m.span())
    for m in INTERSECTION.finditer(text):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
            continue
        out.append((m.start(), "intersection", _tidy(m.group(0))))
        taken.append(m.span())
    for m in ADDRESS.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if re.search(r"(?:\$|#|No\.|\d[,.]?)\s*$", before):
            continue
        if re.match(r"\d+\s+(?:years?|counts?|days?|months?)\b", m.group(0), re.I):
            continue
        out.append((m.start(), "address", _tidy(m.group(0))))
        taken.append(m.span())
    out.sort()
    return out


def incident_location(text: str) -> str | None:
    """The first location that is not an agency office, a defendant's home address or a
    court: "1921 Main St", "600 block of Maryland Avenue", "Blue Hill Avenue and Morton Street".
    None when the release names no street place."""
    spans = sentences(text)
    for pos, _kind, loc in find_locations(text):
        sent = next((text[a:b] for a, b in spans if a <= pos < b), "")
        before = sent[: max(0, pos - next((a for a, b in spans if a <= pos < b), pos))]
        if _NOT_INCIDENT.search(before[-60:]) or (":" in before and _LABEL.search(before)):
            continue
        if re.search(r"\b(?:DOB|d\.o\.b\.?|\d{1,2}/\d{1,2}/\d{2,4})\s*$", before):
            continue
        if _kind == "block":
            exact = _address_on_block(text, loc, pos)
            if exact:
                return exact
        return loc
    return None


def _street_key(street: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", street.lower())
    return words[0] if words else ""


def _address_on_block(text: str, block: str, pos: int) -> str | None:
    """An exact address later in the release on the street of a block ("the 3300 block of
    Division Street ... at 3315 Division Street"): the more exact place of the incident."""
    m = re.match(r"(?P<n>\d+) block of (?P<street>.+)$", block)
    if not m:
        return None
    key, hundred = _street_key(m.group("street")), int(m.group("n")) // 100
    for a in ADDRESS.finditer(text, pos + len(block)):
        before = text[max(0, a.start() - 60) : a.start()]
        if _NOT_INCIDENT.search(before) or re.search(r"(?:\$|#|No\.|\d[,.]?)\s*$", before):
            continue
        num = re.match(r"\d+", a.group("n"))
        if _street_key(a.group("street")) == key and num and int(num.group(0)) // 100 == hundred:
            return _tidy(a.group(0))
    return None
