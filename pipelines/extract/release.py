"""Release text → one extraction record (incident date/time/place, people, charges, bond).

`extract()` is a pure function composed of the per-concern modules (dates, location, people,
charges, bond). It never raises: bad input gives empty fields and a `problems` entry.

    extract(text: str, *, published: str | datetime.date | None = None) -> Record

CLI (`__main__.py`):
`python -m pipelines.extract FILE|- [--published YYYY-MM-DD] [--state XX] [--agency NAME]`
prints the record as one JSON object with the contract keys only (`contract_view()`); `--state`
and `--agency` are accepted for compatibility and do not change the output. A missing or
unreadable FILE gives a one-line error on stderr and exit status 2.

The record, every key and what it means, is typed in `pipelines/extract/record.py` (`Record`,
`Incident`, `Person`, `Charge`, `Bond`, `ProblemRecord`): the contract is the keys those types
require; the keys typed `NotRequired` (a charge's "canonical", "confidence", "attempted",
"conspiracy", "degree", "raw"; the record's "problem_records" and "extractor_version") are
`extract()`'s extras, which the CLI does not print.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, cast

from pipelines.extract import bond as bond_mod
from pipelines.extract import charges as charges_mod
from pipelines.extract import dates as dates_mod
from pipelines.extract import location as location_mod
from pipelines.extract import people as people_mod
from pipelines.extract import sanity
from pipelines.extract.html_text import html_to_text
from pipelines.extract.record import (
    Bond,
    BondType,
    Charge,
    Incident,
    Person,
    Record,
    Role,
    contract_keys,
)
from pipelines.extract.scan import compile_guarded
from pipelines.extract.sentences import clean, sentences

EXTRACTOR_VERSION = "0.9.4"
"""Stamped on stored rows; bump when the output of `extract()` changes."""

CHARGE_KEYS = contract_keys(Charge)
BOND_KEYS = contract_keys(Bond)
PERSON_KEYS = contract_keys(Person)
INCIDENT_KEYS = contract_keys(Incident)

_ENGLISH_WORDS = (
    "the and was were with for of to in on at police is a he she said charged arrested".split()
)
# their first letters, looked ahead for first: most words of a text then fail at once
_ENGLISH = re.compile(
    rf"\b(?=[{''.join(sorted({w[0] for w in _ENGLISH_WORDS}))}])(?:{'|'.join(_ENGLISH_WORDS)})\b",
    re.I,
)
_LETTERS = re.compile(r"[A-Za-z]+")
_PLURAL_SUBJECT = re.compile(
    r"\b(?:they|them|their|both|each|all|defendants|suspects|the (?:two|three|four|five|six) "
    r"(?:men|women|suspects|defendants|teens|juveniles|people)|the (?:men|women|pair|trio))\b",
    re.I,
)
_ADDITIONAL = re.compile(r"\b(?:additional(?:ly)?|further|new)\b(?:\s+\w+){0,3}\s*$", re.I)
_SINGULAR_PRONOUN = re.compile(
    r"\b(?:he|she|his|her|him|the (?:man|woman|suspect|defendant|"
    r"driver|juvenile|teen|boy|girl))\b",
    re.I,
)


def _empty(published: dt.date | None, problems: list[str]) -> Record:
    return {
        "published": published.isoformat() if published else None,
        "incident": {"date": None, "time": None, "date_inferred": False, "location": None},
        "people": [],
        "problems": problems,
        "problem_records": [],
    }


def _sentence_start(spans: list[tuple[int, int]], pos: int) -> int:
    for a, b in spans:
        if a <= pos <= b:
            return a
    return max(0, pos - 200)


_LIST_GLUE = re.compile(
    r"[^.;:]{0,80}?(?:,|\band\b|&)[^.;:]{0,80}",
)
_VERB = re.compile(
    r"\b(?:was|were|is|are|has|have|had|after|while|when|who|whom|said|told|then|but|"
    r"because|before|during)\b",
    re.I,
)


def _listed_run(
    text: str, named: list[tuple[int, people_mod.Person]], start: int
) -> list[people_mod.Person]:
    """The people named as one list right before a charge trigger at `start` ("arrested John
    Doe, Ray Roe, and a juvenile on charges of"): the last one named and those joined to them
    by commas and "and" with no verb between."""
    if _VERB.search(text[named[-1][0] : start]):
        return [named[-1][1]]
    run = [named[-1]]
    for x, p in reversed(named[:-1]):
        gap = text[x : run[-1][0]]
        if not _LIST_GLUE.fullmatch(gap) or _VERB.search(gap) or p in [q for _, q in run]:
            break
        run.append((x, p))
    return [p for _, p in reversed(run)]


def _owners(
    text: str,
    spans: list[tuple[int, int]],
    arrestees: list[people_mod.Person],
    start: int,
    limit: int,
) -> list[people_mod.Person]:
    """Who a charge list / bond found at `start` (its subject ends before `limit`) belongs to:
    the arrestee named last before it in the same sentence; everyone for "they"/"each"; the
    latest arrestee for "he"/"she"; the only arrestee when there is one."""
    if not arrestees:
        return []
    s0 = _sentence_start(spans, start)
    in_sentence = [
        (max(x for x in p.positions if s0 <= x < limit), p)
        for p in arrestees
        if any(s0 <= x < limit for x in p.positions)
    ]
    prefix = text[s0:limit]
    if in_sentence:
        named_before = sorted(in_sentence, key=lambda t: t[0])
        inside = [p for x, p in named_before if x >= start]
        if len(inside) > 1:
            return inside  # "charging Lena Ortiz and Paul Graves with": both named in it
        between = text[named_before[-1][0] : limit + 10]  # the verb may start the trigger
        if (
            len(named_before) > 1
            and re.search(r"\b(?:were|are|have)\b", between)
            and not re.search(r"\b(?:was|is|has)\b", between)
            and re.search(
                r"\band\s+(?:[A-Z][\w.'-]*\s+){0,3}$",
                text[named_before[-2][0] : named_before[-1][0]],
            )
        ):
            return [p for _, p in named_before]  # "A, 45, and B, 33, were charged with"
        if _PLURAL_SUBJECT.search(prefix) and re.search(
            r"\b(?:each|both|all|respectively)\b", text[s0:limit], re.I
        ):
            return [p for _, p in named_before]
        group = [p for x, p in named_before if x == named_before[-1][0]]
        if len(group) > 1:
            return group  # "Two 17-year-olds ... were charged with": every member
        run = _listed_run(text, named_before, start)
        if len(run) > 1:
            return run  # "arrested John Doe, Ray Roe, and a juvenile on charges of"
        return [named_before[-1][1]]
    if _PLURAL_SUBJECT.search(prefix) and len(arrestees) > 1:
        before = [p for p in arrestees if any(x < start for x in p.positions)]
        if len(before) > 2 and not re.search(
            r"\b(?:the|all|both|these|those)\s+(?:\w+\s+)?(?:defendants|suspects)\b", prefix, re.I
        ):
            # "Both were cited for trespass": the group named last, in one sentence
            last = max(x for p in before for x in p.positions if x < start)
            s1 = _sentence_start(spans, last)
            group = [p for p in before if any(s1 <= x <= last for x in p.positions)]
            if len(group) > 1:
                return group
        # "The defendants are held without bail" before all of them are named: every one
        return before if len(before) > 1 else arrestees
    if len(arrestees) == 1:
        return arrestees
    # nearest arrestee mentioned before
    before = [
        (max(x for x in p.positions if x < start), p)
        for p in arrestees
        if any(x < start for x in p.positions)
    ]
    if before:
        return [max(before, key=lambda t: t[0])[1]]
    return []


_STOP_WORDS = frozenset("a an the of to in on with by for and or upon at from under over".split())


@lru_cache(maxsize=8192)
def _charge_words(text: str) -> frozenset[str]:
    """Content words of a charge, abbreviations spelled out and cut to a five-letter stem
    ("Aggravated DUI" and "driving under the influence" share "drivi", "influ")."""
    words = re.findall(r"[a-z0-9]+", charges_mod.expand_abbreviations(text.lower()))
    return frozenset(w[:5] for w in words if w not in _STOP_WORDS)


def drop_summary_charges(
    found: list[Charge], lists: list[set[int]], counted: set[int] | None = None
) -> list[Charge]:
    """A person's charges without the short forms that repeat, in another charge list of the
    release, a fuller charge: a summary "charged with attempted murder, assault" beside the
    detailed "second-degree attempted murder, first-degree assault" keeps only the detailed
    list. `lists[i]` holds the charge lists `found[i]` was read from. A summary list before a
    counted list ("is charged with five counts of indecent exposure") also loses the charges
    that describe a counted charge at more length ("indecent exposure to five victims").
    `counted` holds the indices of counted lists."""
    counted = counted or set()
    words = [_charge_words(c["text"]) for c in found]
    dropped: list[bool] = []
    for i in range(len(found)):
        drop = False
        for j in range(len(found)):
            if j == i or lists[i] & lists[j]:
                continue
            if words[i] < words[j] and not (lists[i] & counted and not lists[j] & counted):
                drop = True
            elif (
                not lists[i] & counted
                and lists[j] & counted
                and min(lists[i]) < min(lists[j])
                and (words[j] <= words[i] or len(words[i] & words[j]) >= 2)
            ):
                drop = True
            if drop:
                break
        dropped.append(drop)
    # a list most of whose charges repeat another list is a summary: drop all of it
    # ("charged with scheme to defraud, grand larceny and immigration fraud" before the
    # indictment's "first-degree scheme to defraud and third-degree grand larceny")
    for n in {n for ls in lists for n in ls}:
        members = [i for i, ls in enumerate(lists) if ls == {n}]
        gone = sum(dropped[i] for i in members)
        if len(members) >= 2 and gone >= 2 and gone * 2 >= len(members):
            for i in members:
                dropped[i] = True
    return [c for c, drop in zip(found, dropped, strict=True) if not drop]


def _surname(p: people_mod.Person) -> str | None:
    last = (p.name or "").split()[-1:] if p.name else []
    return last[0] if last and len(last[0]) > 1 else None


_PLURAL_VERB = re.compile(r"\b(?:are|were|have been|remain)\b", re.I)


def _named_in(
    clause: str, arrestees: list[people_mod.Person], sentence: str = ""
) -> list[people_mod.Person]:
    """The arrestees the bond's own clause names: the one whose surname it names ("Moss's
    bail was set at $5,000" is Moss's bond, whoever was named before it); those sharing a
    surname it names in the plural ("The McKinlays are held on $3 million bail"); with a plural
    verb ("Murtaza and Krasnoperov are being held on no bail"), everyone its sentence names up
    to the clause. [] when none is named, or several without a plural."""
    hits, plural = [], []
    for p in arrestees:
        last = _surname(p)
        if last is None or last not in clause:  # both forms below hold the surname
            continue
        if re.search(rf"\b{re.escape(last)}\b", clause):
            hits.append(p)
        elif re.search(rf"\b{re.escape(last)}(?:e?s|\u2019|')(?!\w)", clause):
            plural.append(p)
    if plural and not hits:
        return plural
    if len(hits) == 1 and sentence and _PLURAL_VERB.search(clause):
        group = [
            p
            for p in arrestees
            if _surname(p) and re.search(rf"\b{re.escape(_surname(p))}\b", sentence)
        ]
        if len(group) > 1:
            return group
    return hits if len(hits) == 1 else []


def _bonds_of(
    text: str, spans: list[tuple[int, int]], arrestees: list[people_mod.Person]
) -> dict[int, Bond]:
    """Each arrestee's bond (keyed by id): the first custody decision told of them, unless a
    later one changes it ("bail was raised to", "today reduced it to", "is now") or the first
    was told as an earlier one ("a judge first set bail at"): then the latest stated."""
    chosen: dict[int, bond_mod.BondHit] = {}
    for hit in bond_mod.find_bonds(text):
        s0 = _sentence_start(spans, hit.start)
        named = _named_in(text[hit.start : hit.end], arrestees, text[s0 : hit.end])
        owners = named or _owners(text, spans, arrestees, hit.start, hit.end)
        for owner in owners:
            cur = chosen.get(id(owner))
            if cur is None:
                if not hit.change_only:
                    chosen[id(owner)] = hit
            elif hit.revises or cur.earlier:
                chosen[id(owner)] = hit
    return {
        k: {"amount": h.amount, "type": cast(BondType, h.type), "text": h.text}
        for k, h in chosen.items()
    }


_ADDED_COUNT = re.compile(r"^\s*(?:\w+\s+)?(?:additional|more|further|new)\b", re.I)


def extract(text: str, *, published: str | dt.date | None = None) -> Record:
    """Extract one release: its :class:`~pipelines.extract.record.Record` (every key, and what
    it means, in ``record.py``), with "problem_records" set. People are listed in order of first
    mention, arrestees with their charges and bond; charges carry the extra keys of
    :class:`~pipelines.extract.record.Charge`. Never raises: bad input gives empty fields and
    a ``problems`` line."""
    problems: list[str] = []
    pub = dates_mod.to_date(published)
    if published is not None and pub is None:
        problems.append(f"unreadable publication date: {published!r}")
    try:
        return _extract(text, pub, problems)
    except Exception as exc:  # noqa: BLE001 - extraction must never raise
        return _empty(pub, problems + [f"extraction failed: {type(exc).__name__}: {exc}"])


def _unreadable(text: str) -> str | None:
    """Why ``text`` (cleaned) cannot be extracted from, or None: empty, under five words, or
    too few common English words in its first 5,000 characters (a page in another language,
    a menu)."""
    if not text.strip():
        return "empty text"
    head = text[:5000]
    words = len(_LETTERS.findall(head))
    if words < 5:
        return "text too short to extract from"
    needed = max(2, words * 0.08)
    # counted only until there are enough: most texts have them in their first lines
    if not any(n >= needed for n, _ in enumerate(_ENGLISH.finditer(head), 1)):
        return "text does not look like English"
    return None


def _charges_of_arrestees(
    text: str, spans: list[tuple[int, int]], arrestees: list[people_mod.Person], problems: list[str]
) -> dict[int, list[Charge]]:
    """Each arrestee's charges (by ``id()`` of the person), from the charge lists of the text:
    a list goes to the arrestees it is written about (``_owners``; none: a problem); a charge
    listed twice is kept once, its counts added only when the second list says they are more
    ("additionally charged with two counts of X"); then summary charges are dropped, and where
    an owner has a list of crimes told of ("charged with the rape and sexual assault") beside
    definite ones, the charges only the definite lists name are kept."""
    charges_of: dict[int, list[Charge]] = {id(p): [] for p in arrestees}
    list_of: dict[int, list[set[int]]] = {id(p): [] for p in arrestees}
    lists_by_owner: dict[int, list[charges_mod.ChargeList]] = {id(p): [] for p in arrestees}
    charge_lists = charges_mod.find_charge_lists(text)
    counted = {n for n, cl in enumerate(charge_lists) if cl.counted}
    for n, cl in enumerate(charge_lists):
        owners = _owners(text, spans, arrestees, cl.trigger_start, cl.start)
        if not owners:
            problems.append(f"charges without an arrestee: {cl.charges[0]['text']!r}")
            continue
        added = bool(_ADDITIONAL.search(text[_sentence_start(spans, cl.trigger_start) : cl.start]))
        for owner in owners:
            lists_by_owner[id(owner)].append(cl)
            have = {c["text"].lower(): k for k, c in enumerate(charges_of[id(owner)])}
            for c in cl.charges:
                k = have.get(c["text"].lower())
                if k is None:
                    charges_of[id(owner)].append(c.copy())
                    list_of[id(owner)].append({n})
                    have[c["text"].lower()] = len(charges_of[id(owner)]) - 1
                    continue
                same = charges_of[id(owner)][k]
                if n in list_of[id(owner)][k]:
                    continue
                list_of[id(owner)][k].add(n)
                if added or _ADDED_COUNT.match(c["raw"]) or _ADDED_COUNT.match(same["raw"]):
                    # "additionally charged with two counts of X", "one additional count of X"
                    same["counts"] += c["counts"]
    for key, found in charges_of.items():
        charges_of[key] = drop_summary_charges(found, list_of[key], counted)
        if any(not cl.definite for cl in lists_by_owner[key]):
            # "charged with the rape and sexual assault" beside the list of charges: the crimes
            # told of, not more charges
            defin = {n for n, cl in enumerate(charge_lists) if cl.definite}
            kept = [
                (c, ls)
                for c, ls in zip(found, list_of[key], strict=True)
                if c in charges_of[key] and not ls <= defin
            ]
            charges_of[key] = [c for c, _ in kept]
    _share_same_charges(text, spans, arrestees, charges_of)
    return charges_of


# "Ray Holt, 22, and Lee Park, 21, face the same charges as Roe"
_SAME_CHARGES_AS = compile_guarded(
    r"\b(?:faces?|facing|(?:is|are|was|were|has been|have been) (?:also )?charged with) the same "
    r"(?:charges?|counts?) as (?P<who>(?-i:[A-Z])[\w'\-]+(?:[ \t]+(?-i:[A-Z])[\w'\-]+){0,3})",
    re.I,
)


def _share_same_charges(
    text: str,
    spans: list[tuple[int, int]],
    arrestees: list[people_mod.Person],
    charges_of: dict[int, list[Charge]],
) -> None:
    """ "Ray Holt and Lee Park face the same charges as Roe": each arrestee named before the
    phrase in its sentence, with no charges of their own, gets a copy of Roe's."""
    if "same" not in text:  # the phrase's one fixed word: most releases are done here
        return
    for m in _SAME_CHARGES_AS.finditer(text):
        who = m.group("who")
        surname = people_mod.surname_of(who)
        source = next(
            (p for p in arrestees if p.name and (p.name == who or p.surname == surname)), None
        )
        if source is None or not charges_of[id(source)]:
            continue
        start = _sentence_start(spans, m.start())
        for p in arrestees:
            if p is source or charges_of[id(p)]:
                continue
            if any(start <= pos < m.start() for pos in p.positions):
                charges_of[id(p)] = [c.copy() for c in charges_of[id(source)]]


def _person_record(p: people_mod.Person, charges: list[Charge], bond: Bond | None) -> Person:
    """One person of the record: charges and bond only for an arrestee."""
    is_arrestee = p.role == "arrestee"
    return {
        "role": cast(Role, p.role),
        "name": p.name,
        "age": p.age,
        "residence": p.residence,
        "juvenile": bool(p.juvenile),
        "charges": charges if is_arrestee else [],
        "bond": bond if is_arrestee else None,
    }


def _extract(raw: Any, pub: dt.date | None, problems: list[str]) -> Record:
    """The record of one release (see ``extract``): clean the text, refuse what cannot be
    read, then the incident's date, time and place, the people, each arrestee's charges and
    bond, and the sanity checks of what was found."""
    text, clean_problems = clean(raw if raw is not None else "")
    problems.extend(clean_problems)
    if reason := _unreadable(text):
        return _empty(pub, problems + [reason])

    when = dates_mod.incident_datetime(text, pub)
    records = [
        sanity.problem(d["field"], d["value"], d["reason"]) for d in when.get("problems", [])
    ]
    place = location_mod.incident_location(text)
    incident_date = dates_mod.to_date(when["date"]) or pub
    people = people_mod.find_people(text, incident_date)
    arrestees = [p for p in people if p.role == "arrestee"]
    spans = sentences(text)
    charges_of = _charges_of_arrestees(text, spans, arrestees, problems)
    bond_of = _bonds_of(text, spans, arrestees)
    out_people = [_person_record(p, charges_of.get(id(p), []), bond_of.get(id(p))) for p in people]
    records += sanity.check_people(out_people)
    problems.extend(r["text"] for r in records)
    incident: Incident = {
        "date": when["date"],
        "time": when["time"],
        "date_inferred": bool(when["date_inferred"]),
        "location": place,
    }
    return {
        "published": pub.isoformat() if pub else None,
        "problem_records": records,
        "incident": incident,
        "people": out_people,
        "problems": problems,
    }


def contract_view(record: Record) -> Record:
    """The record with only the contract keys (what the CLI prints): the keys the types of
    ``record.py`` require, none of the ``NotRequired`` ones."""
    people: list[Person] = []
    for p in record.get("people", []):
        q = cast(Person, {k: p.get(k) for k in PERSON_KEYS})
        q["charges"] = [
            cast(Charge, {k: c.get(k) for k in CHARGE_KEYS}) for c in p.get("charges", [])
        ]
        bond = p.get("bond")
        q["bond"] = cast(Bond, {k: bond.get(k) for k in BOND_KEYS}) if bond else None
        people.append(q)
    inc = record.get("incident", {})
    return {
        "published": record.get("published"),
        "incident": cast(Incident, {k: inc.get(k) for k in INCIDENT_KEYS}),
        "people": people,
        "problems": list(record.get("problems", [])),
    }


def text_and_extraction(
    body_html: str, body_text: str, published: str | None
) -> tuple[str, Record]:
    """A release's text (``body_text``, or else the text of ``body_html``) and its extraction,
    stamped with the ``extractor_version`` that made it (what the store keeps)."""
    text = body_text or html_to_text(body_html)
    extraction = extract(text, published=published)
    extraction["extractor_version"] = EXTRACTOR_VERSION
    return text, extraction
