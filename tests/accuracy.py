"""Accuracy of ``pipelines.extract.extract`` against hand-labelled releases.

Run from the repository root::

    python -m tests.accuracy [--set written|real|heldout|first-contact|all] [--verbose]

Label sets
----------
* ``written``: ``tests/corpus/written/<slug>.json``, the release text beside it in
  ``<slug>.txt``; the Hartford sample (``../shared/corpus/hartford-2021-10-26-sample.*``)
  is counted with this set when present.
* ``real``: ``tests/corpus/real_labels/<slug>.json``; the text is read from
  ``../shared/corpus/real/<input.file>`` (relative to the repository root). Markdown front
  matter (between leading ``---`` lines) is stripped. A JSON source file holding a list of
  releases is addressed as ``<file>.json#<index>`` and its item's ``text`` is used. When
  ``../shared/corpus/real`` is absent the set is reported as skipped, not failed.
* ``heldout``: ``tests/corpus/heldout/`` (see its README), releases the extractor was not tuned
  on: ``written/<slug>.json`` with the text beside it, and ``real_labels/<slug>.json`` read like
  the ``real`` set (skipped when ``../shared/corpus/real`` is absent). It has **no threshold**:
  its figures are reported and never make the run fail.

* ``first-contact``: ``tests/corpus/first_contact/<slug>.json`` (see its README), real releases
  of offices scored *before* any rule was changed for them; read like the ``real`` set. Printed
  per office (the folder of ``input.file``): the figures recorded at first contact
  (``scores.json``, written once per office by ``--record-first-contact``), any later
  ``--record-checkpoint``, and today's. Its gate: each office in ``NEW_OFFICES`` reaches a mean
  field score (the mean of ``MEAN_FIELDS``) of ``NEW_OFFICE_MINIMUM`` today; one below it is
  reported beside the table, and does not fail the run (the set is a measure, not a gate).

Each label is ``{"input": {"file", "published", "agency", "state"}, "expected": {...}}``;
``extract(text, published=...)`` is called on its text (``agency`` and ``state`` say where the
release is from; the extraction does not read them).

Matching and scoring
--------------------
* **Arrestees** are people with ``role == "arrestee"`` (expected people are all arrestees).
  A predicted arrestee matches an expected one with the same normalized name
  (lowercase, punctuation removed, whitespace collapsed). Unnamed expected arrestees
  (``name`` null) are then paired, in order of appearance, with unmatched unnamed predicted
  arrestees of the same ``age`` and ``juvenile`` flag. Matched pairs are true positives;
  unmatched predictions are false positives, unmatched expected arrestees false negatives.
  Reported as precision / recall / F1.
* **Charges** are compared per matched person as multisets of
  ``(normalized text, counts)`` (``counts`` defaults to 1). The multiset intersection gives
  the true positives; the charges of an unmatched expected arrestee are all false negatives
  and those of an unmatched predicted arrestee all false positives. Precision / recall / F1.
  ``statute`` and ``category`` are reported as accuracy over the matched charge pairs whose
  label has that key (statutes compared with spaces and a leading "§"/"CGS" removed).
* **Bond amount** and **bond type** are accuracies. Every expected arrestee whose label has
  a non-null ``bond`` is one item: it is right only if its matched prediction has a bond
  with the same amount (resp. type); a missing person or missing bond counts wrong. An
  expected arrestee whose label says ``"bond": null`` adds a wrong item when its matched
  prediction carries a bond (a false bond), and nothing otherwise. Labels without a
  ``bond`` key are not scored.
* **Incident date** is an accuracy over labels that include ``incident.date`` (an expected
  null counts too: the prediction must then be null). ``incident.time`` and
  ``incident.location`` (normalized like names) are reported the same way, for information.
* ``age``, ``residence`` and ``juvenile`` are reported as accuracy over matched arrestees
  whose label has the key.

The run fails (exit status 1) when any scored set other than those in ``UNTHRESHOLDED_SETS``
is below a threshold in ``THRESHOLDS``.
An extraction that raises is recorded as a problem of that file and scored as an empty
prediction.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
WRITTEN_DIR = REPO_ROOT / "tests" / "corpus" / "written"
REAL_LABEL_DIR = REPO_ROOT / "tests" / "corpus" / "real_labels"
SHARED_DIR = REPO_ROOT.parent / "shared" / "corpus"
REAL_TEXT_DIR = SHARED_DIR / "real"
HARTFORD_LABEL = SHARED_DIR / "hartford-2021-10-26-sample.expected.json"
HELDOUT_DIR = REPO_ROOT / "tests" / "corpus" / "heldout"
FIRST_CONTACT_DIR = REPO_ROOT / "tests" / "corpus" / "first_contact"
FIRST_CONTACT_SCORES = FIRST_CONTACT_DIR / "scores.json"

# The mean field score of a set: the mean of these figures (F1 for arrestees and charges,
# accuracy for the others), over those that have anything to score.
MEAN_FIELDS = ("arrestees", "charges", "bond_amount", "bond_type", "incident_date")
# Offices first met in the first-contact set must reach this mean field score once tuned.
NEW_OFFICE_MINIMUM = 0.90
NEW_OFFICES = frozenset({"los_angeles_ca", "harris_tx", "miami_dade_fl"})

THRESHOLDS: dict[str, float] = {
    "charges": 0.95,
    "arrestees": 0.95,
    "bond_amount": 0.95,
    "bond_type": 0.95,
    "incident_date": 0.95,
}

# Sets that are reported only: a held-out set must not gate the build (or invite tuning to it).
UNTHRESHOLDED_SETS: frozenset[str] = frozenset({"heldout"})

_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


# --------------------------------------------------------------------------- normalizing


def normalize(text: str | None) -> str:
    """Lowercase, drop punctuation, collapse whitespace; ``None`` becomes ``""``."""
    if not text:
        return ""
    text = _PUNCT.sub("", text.lower().replace("_", " "))
    return _SPACE.sub(" ", text).strip()


def normalize_statute(statute: str | None) -> str:
    """Compare statutes without spaces, a leading section sign or a "CGS"/"C.G.S." prefix."""
    if not statute:
        return ""
    s = statute.lower().replace("§", "").replace(" ", "")
    s = re.sub(r"^(c\.?g\.?s\.?)", "", s)
    return s.strip("()")


def strip_front_matter(text: str) -> str:
    """Remove a YAML front-matter block (between leading ``---`` lines) if the text has one."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return text
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[i + 1 :])
    return text


# --------------------------------------------------------------------------- tallies


@dataclass
class PRF:
    """True positive / false positive / false negative counts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


@dataclass
class Acc:
    """Right / total counts."""

    right: int = 0
    total: int = 0

    def add(self, other: Acc) -> None:
        self.right += other.right
        self.total += other.total

    def record(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None


PRF_FIELDS = ("arrestees", "charges")
ACC_FIELDS = (
    "bond_amount",
    "bond_type",
    "incident_date",
    "incident_time",
    "incident_location",
    "age",
    "residence",
    "juvenile",
    "statute",
    "category",
)


@dataclass
class Score:
    """Tallies for one release or a whole set, plus the mismatches that explain them."""

    prf: dict[str, PRF] = field(default_factory=lambda: {k: PRF() for k in PRF_FIELDS})
    acc: dict[str, Acc] = field(default_factory=lambda: {k: Acc() for k in ACC_FIELDS})
    mismatches: list[str] = field(default_factory=list)

    def add(self, other: Score, prefix: str = "") -> None:
        for k, v in other.prf.items():
            self.prf[k].add(v)
        for k, v in other.acc.items():
            self.acc[k].add(v)
        self.mismatches.extend(f"{prefix}{m}" for m in other.mismatches)

    def metric(self, name: str) -> float | None:
        """The thresholded figure for ``name``: F1 for PRF fields, accuracy otherwise."""
        return self.prf[name].f1 if name in self.prf else self.acc[name].value


# --------------------------------------------------------------------------- matching


def arrestees(people: Iterable[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The people whose role is ``arrestee`` (label people without a role count as arrestees)."""
    return [p for p in people or [] if p.get("role", "arrestee") == "arrestee"]


def match_people(
    predicted: list[dict[str, Any]], expected: list[dict[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair predicted and expected arrestees.

    Returns ``(pairs, unmatched_predicted, unmatched_expected)`` where ``pairs`` holds
    ``(predicted_index, expected_index)``. Named people match on normalized name (first
    unused prediction wins); unnamed expected people then match unused unnamed predictions
    with equal age and juvenile flag, in order.
    """
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for ei, exp in enumerate(expected):
        name = normalize(exp.get("name"))
        if not name:
            continue
        for pi, pred in enumerate(predicted):
            if pi not in used and normalize(pred.get("name")) == name:
                used.add(pi)
                pairs.append((pi, ei))
                break
    for ei, exp in enumerate(expected):
        if normalize(exp.get("name")):
            continue
        for pi, pred in enumerate(predicted):
            if (
                pi not in used
                and not normalize(pred.get("name"))
                and pred.get("age") == exp.get("age")
                and bool(pred.get("juvenile")) == bool(exp.get("juvenile"))
            ):
                used.add(pi)
                pairs.append((pi, ei))
                break
    matched_e = {ei for _, ei in pairs}
    pairs.sort(key=lambda pair: pair[1])
    return (
        pairs,
        [pi for pi in range(len(predicted)) if pi not in used],
        [ei for ei in range(len(expected)) if ei not in matched_e],
    )


def charge_key(charge: dict[str, Any]) -> tuple[str, int]:
    """The identity of a charge for scoring: normalized text and counts (default 1)."""
    counts = charge.get("counts")
    return normalize(charge.get("text")), int(counts) if counts is not None else 1


def match_charges(
    predicted: list[dict[str, Any]], expected: list[dict[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair charges with equal :func:`charge_key` (a multiset intersection).

    Returns ``(pairs, unmatched_predicted, unmatched_expected)`` as index lists.
    """
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for ei, exp in enumerate(expected):
        key = charge_key(exp)
        for pi, pred in enumerate(predicted):
            if pi not in used and charge_key(pred) == key:
                used.add(pi)
                pairs.append((pi, ei))
                break
    matched_e = {ei for _, ei in pairs}
    return (
        pairs,
        [pi for pi in range(len(predicted)) if pi not in used],
        [ei for ei in range(len(expected)) if ei not in matched_e],
    )


def _label(person: dict[str, Any]) -> str:
    if person.get("name"):
        return str(person["name"])
    return f"<unnamed age={person.get('age')} juvenile={bool(person.get('juvenile'))}>"


def _charge_label(charge: dict[str, Any]) -> str:
    _text, counts = charge_key(charge)
    return f"{charge.get('text')!r}" + (f" x{counts}" if counts != 1 else "")


# --------------------------------------------------------------------------- scoring


def score_charges(pred: dict[str, Any] | None, exp: dict[str, Any], who: str) -> Score:
    """Score the charges (and their statute/category) of one expected arrestee.

    ``pred`` is the matched predicted arrestee, or ``None`` when nobody matched.
    """
    score = Score()
    exp_charges = exp.get("charges") or []
    pred_charges = (pred or {}).get("charges") or []
    pairs, un_p, un_e = match_charges(pred_charges, exp_charges)
    tally = score.prf["charges"]
    tally.tp += len(pairs)
    tally.fp += len(un_p)
    tally.fn += len(un_e)
    for ei in un_e:
        score.mismatches.append(f"{who}: missing charge {_charge_label(exp_charges[ei])}")
    for pi in un_p:
        score.mismatches.append(f"{who}: extra charge {_charge_label(pred_charges[pi])}")
    for pi, ei in pairs:
        e, p = exp_charges[ei], pred_charges[pi]
        if "statute" in e:
            ok = normalize_statute(e["statute"]) == normalize_statute(p.get("statute"))
            score.acc["statute"].record(ok)
            if not ok:
                score.mismatches.append(
                    f"{who}: charge {e['text']!r} statute {p.get('statute')!r}, "
                    f"expected {e['statute']!r}"
                )
        if "category" in e:
            ok = (e["category"] or None) == (p.get("category") or None)
            score.acc["category"].record(ok)
            if not ok:
                score.mismatches.append(
                    f"{who}: charge {e['text']!r} category {p.get('category')!r}, "
                    f"expected {e['category']!r}"
                )
    return score


def score_bond(pred: dict[str, Any] | None, exp: dict[str, Any], who: str) -> Score:
    """Score bond amount and type of one expected arrestee (see the module docstring)."""
    score = Score()
    if "bond" not in exp:
        return score
    exp_bond = exp["bond"]
    pred_bond = (pred or {}).get("bond")
    if exp_bond is None:
        if pred_bond is not None:
            score.acc["bond_amount"].record(False)
            score.acc["bond_type"].record(False)
            score.mismatches.append(
                f"{who}: bond {pred_bond.get('amount')!r}/{pred_bond.get('type')!r}, expected none"
            )
        return score
    pred_bond = pred_bond or {}
    for key, metric in (("amount", "bond_amount"), ("type", "bond_type")):
        ok = bool(pred_bond) and pred_bond.get(key) == exp_bond.get(key)
        score.acc[metric].record(ok)
        if not ok:
            got = pred_bond.get(key) if pred_bond else "no bond"
            score.mismatches.append(f"{who}: bond {key} {got!r}, expected {exp_bond.get(key)!r}")
    return score


def score_person_fields(pred: dict[str, Any], exp: dict[str, Any], who: str) -> Score:
    """Accuracy of age, residence and juvenile for one matched arrestee."""
    score = Score()
    for key in ("age", "residence", "juvenile"):
        if key not in exp:
            continue
        if key == "residence":
            ok = normalize(exp[key]) == normalize(pred.get(key))
        elif key == "juvenile":
            ok = bool(exp[key]) == bool(pred.get(key))
        else:
            ok = exp[key] == pred.get(key)
        score.acc[key].record(ok)
        if not ok:
            score.mismatches.append(f"{who}: {key} {pred.get(key)!r}, expected {exp[key]!r}")
    return score


def score_incident(pred: dict[str, Any] | None, exp: dict[str, Any] | None) -> Score:
    """Accuracy of incident date, time and location for the keys the label includes."""
    score = Score()
    if not exp:
        return score
    pred = pred or {}
    for key in ("date", "time", "location"):
        if key not in exp:
            continue
        if key == "location":
            ok = normalize(exp[key]) == normalize(pred.get(key))
        else:
            ok = (exp[key] or None) == (pred.get(key) or None)
        score.acc[f"incident_{key}"].record(ok)
        if not ok:
            score.mismatches.append(f"incident {key} {pred.get(key)!r}, expected {exp[key]!r}")
    return score


def score_release(predicted: dict[str, Any], expected: dict[str, Any]) -> Score:
    """Score one extraction result against one label's ``expected`` object."""
    score = Score()
    if "incident" in expected:
        score.add(score_incident(predicted.get("incident"), expected["incident"]))
    if "people" not in expected:
        return score
    pred_people = arrestees(predicted.get("people"))
    exp_people = arrestees(expected["people"])
    pairs, un_p, un_e = match_people(pred_people, exp_people)
    people = score.prf["arrestees"]
    people.tp += len(pairs)
    people.fp += len(un_p)
    people.fn += len(un_e)
    for pi, ei in pairs:
        pred, exp = pred_people[pi], exp_people[ei]
        who = _label(exp)
        score.add(score_person_fields(pred, exp, who))
        score.add(score_charges(pred, exp, who))
        score.add(score_bond(pred, exp, who))
    for ei in un_e:
        exp = exp_people[ei]
        who = _label(exp)
        score.mismatches.append(f"missing arrestee {who}")
        score.add(score_charges(None, exp, who))
        score.add(score_bond(None, exp, who))
    for pi in un_p:
        pred = pred_people[pi]
        who = _label(pred)
        score.mismatches.append(f"extra arrestee {who}")
        for charge in pred.get("charges") or []:
            score.prf["charges"].fp += 1
            score.mismatches.append(f"{who}: extra charge {_charge_label(charge)}")
    return score


# --------------------------------------------------------------------------- loading


@dataclass
class Case:
    """One labelled release: where it came from, its text and its label."""

    name: str
    text: str
    label: dict[str, Any]


def read_source_text(path: Path) -> str:
    """Read a release text; ``file.json#N`` picks item N's ``text``; ``.md`` loses front matter."""
    fragment = None
    if "#" in path.name:
        base, fragment = path.name.split("#", 1)
        path = path.with_name(base)
    raw = path.read_text(encoding="utf-8")
    if fragment is not None:
        item = json.loads(raw)[int(fragment)]
        return item["text"] if isinstance(item, dict) else str(item)
    if path.suffix.lower() == ".md":
        return strip_front_matter(raw)
    return raw


def load_cases(label_paths: Iterable[Path], text_dir_for: Callable[[Path], Path]) -> list[Case]:
    """Load labels and their texts; ``text_dir_for(label_path)`` says where ``input.file`` is."""
    cases = []
    for path in sorted(label_paths):
        label = json.loads(path.read_text(encoding="utf-8"))
        text = read_source_text(text_dir_for(path) / label["input"]["file"])
        cases.append(Case(path.name, text, label))
    return cases


def written_cases() -> list[Case]:
    """The written corpus plus the Hartford sample when ``../shared`` is present."""
    paths = list(WRITTEN_DIR.glob("*.json"))
    if HARTFORD_LABEL.exists():
        paths.append(HARTFORD_LABEL)
    return load_cases(paths, lambda p: p.parent)


def real_cases() -> list[Case] | None:
    """The real-release labels, or ``None`` when ``../shared/corpus/real`` is absent."""
    if not REAL_TEXT_DIR.is_dir():
        return None
    return load_cases(REAL_LABEL_DIR.glob("*.json"), lambda _p: REAL_TEXT_DIR)


def heldout_cases() -> list[Case]:
    """The held-out set: its written releases, plus its real-release labels when
    ``../shared/corpus/real`` is present (they are silently left out otherwise)."""
    cases = load_cases((HELDOUT_DIR / "written").glob("*.json"), lambda p: p.parent)
    if REAL_TEXT_DIR.is_dir():
        cases += load_cases((HELDOUT_DIR / "real_labels").glob("*.json"), lambda _p: REAL_TEXT_DIR)
    return cases


def first_contact_cases() -> dict[str, list[Case]] | None:
    """The first-contact labels by office (the folder of ``input.file``), or ``None`` when
    ``../shared/corpus/real`` is absent."""
    if not REAL_TEXT_DIR.is_dir():
        return None
    offices: dict[str, list[Case]] = {}
    labels = [p for p in FIRST_CONTACT_DIR.glob("*.json") if p != FIRST_CONTACT_SCORES]
    for case in load_cases(labels, lambda _p: REAL_TEXT_DIR):
        offices.setdefault(office_of(case), []).append(case)
    return dict(sorted(offices.items()))


def office_of(case: Case) -> str:
    """The office a label belongs to: the folder its text is in (``da-more/harris_tx/…``)."""
    return Path(case.label["input"]["file"]).parent.name


def mean_field_score(score: Score) -> float | None:
    """The mean of :data:`MEAN_FIELDS` over those with anything scored."""
    values = [v for v in (score.metric(k) for k in MEAN_FIELDS) if v is not None]
    return sum(values) / len(values) if values else None


def figures(score: Score) -> dict[str, float | None]:
    """A set's :data:`MEAN_FIELDS` and their mean, rounded to 3 places."""
    out = {k: score.metric(k) for k in MEAN_FIELDS}
    out["mean"] = mean_field_score(score)
    return {k: None if v is None else round(v, 3) for k, v in out.items()}


def read_first_contact_scores() -> dict[str, dict]:
    """The recorded first-contact figures per office ({} when none were recorded)."""
    if not FIRST_CONTACT_SCORES.exists():
        return {}
    return json.loads(FIRST_CONTACT_SCORES.read_text(encoding="utf-8"))["offices"]


def record_first_contact(
    offices: dict[str, list[Case]], extract: Callable[..., dict[str, Any]], note: str
) -> list[str]:
    """Score and record the offices that have no first-contact entry yet; return their names.

    An office's first contact is recorded once: an existing entry is never overwritten.
    """
    from pipelines.extract import EXTRACTOR_VERSION

    data = {"about": FIRST_CONTACT_ABOUT, "offices": read_first_contact_scores()}
    added = []
    for office, cases in offices.items():
        if office in data["offices"]:
            continue
        data["offices"][office] = {
            "releases": len(cases),
            "labels": sorted(c.name for c in cases),
            "extractor_version": EXTRACTOR_VERSION,
            "measured": note,
            **figures(score_cases(cases, extract)),
        }
        added.append(office)
    FIRST_CONTACT_SCORES.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return added


FIRST_CONTACT_ABOUT = (
    "Each office's scores the first time the extractor met its labelled releases, before any "
    "rule was changed for them (python -m tests.accuracy --record-first-contact). Never edited."
)


def read_checkpoints() -> list[dict]:
    """Later recorded figures (``--record-checkpoint``), oldest first."""
    if not FIRST_CONTACT_SCORES.exists():
        return []
    return json.loads(FIRST_CONTACT_SCORES.read_text(encoding="utf-8")).get("checkpoints", [])


def record_checkpoint(
    offices: dict[str, list[Case]], extract: Callable[..., dict[str, Any]], note: str
) -> None:
    """Append today's figures of every office, with a note saying what changed since."""
    from pipelines.extract import EXTRACTOR_VERSION

    data = json.loads(FIRST_CONTACT_SCORES.read_text(encoding="utf-8"))
    data.setdefault("checkpoints", []).append(
        {
            "measured": note,
            "extractor_version": EXTRACTOR_VERSION,
            "offices": {o: figures(score_cases(c, extract)) for o, c in offices.items()},
        }
    )
    FIRST_CONTACT_SCORES.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def format_first_contact(offices: dict[str, list[Case]], now: dict[str, Score]) -> str:
    """The first-contact table: per office, the figures at first contact, at each recorded
    checkpoint, and now."""
    recorded = read_first_contact_scores()
    checkpoints = read_checkpoints()
    total = sum(len(c) for c in offices.values())
    lines = [
        f"== first contact: {len(offices)} offices, {total} releases "
        f"(first-contact figures from {FIRST_CONTACT_SCORES.relative_to(REPO_ROOT)})",
        "",
        f"{'office':<16}{'releases':>9}  {'when':<6}"
        + "".join(f"{k:>14}" for k in (*MEAN_FIELDS, "mean")),
    ]
    firsts: list[float] = []
    for office, cases in offices.items():
        rows = [("first", recorded.get(office))]
        rows += [(f"#{i + 1}", c["offices"].get(office)) for i, c in enumerate(checkpoints)]
        rows.append(("now", figures(now[office])))
        for i, (when, figs) in enumerate(rows):
            head = f"{office:<16}{len(cases):>9}" if i == 0 else " " * 25
            if figs is None:
                lines.append(f"{head}  {when:<6}  (not recorded)")
                continue
            cells = "".join(f"{_fmt(figs.get(k)):>14}" for k in (*MEAN_FIELDS, "mean"))
            mark = ""
            if when == "now" and office in NEW_OFFICES:
                ok = (figs["mean"] or 0) >= NEW_OFFICE_MINIMUM
                mark = f"   >= {NEW_OFFICE_MINIMUM:.2f} {'ok' if ok else 'BELOW'}"
            lines.append(f"{head}  {when:<6}{cells}{mark}")
        if recorded.get(office, {}).get("mean") is not None:
            firsts.append(recorded[office]["mean"])
    lines.append("")
    if firsts:
        lines.append(
            f"mean first-contact score over {len(firsts)} offices: {sum(firsts) / len(firsts):.3f}"
        )
    for office in offices:
        if office in recorded:
            lines.append(f"first  {office}: {recorded[office]['measured']}")
            break
    for i, checkpoint in enumerate(checkpoints):
        means = [f["mean"] for f in checkpoint["offices"].values() if f.get("mean") is not None]
        mean = f"{sum(means) / len(means):.3f}" if means else "n/a"
        lines.append(f"#{i + 1}     mean {mean}: {checkpoint['measured']}")
    return "\n".join(lines)


def run_case(case: Case, extract: Callable[..., dict[str, Any]]) -> Score:
    """Extract one case and score it; an exception is a mismatch and an empty prediction."""
    inp = case.label.get("input", {})
    try:
        predicted = extract(case.text, published=inp.get("published"))
    except Exception:  # a crash is scored as an empty prediction, it does not stop the run
        predicted = {}
        last = traceback.format_exc().strip().splitlines()[-1]
        crash = Score()
        crash.mismatches.append(f"extract() raised {last}")
        score = score_release(predicted, case.label["expected"])
        score.add(crash)
        return score
    return score_release(predicted, case.label["expected"])


def score_cases(cases: list[Case], extract: Callable[..., dict[str, Any]]) -> Score:
    """Score every case and sum the tallies; mismatches are prefixed with the file name."""
    total = Score()
    for case in cases:
        total.add(run_case(case, extract), prefix=f"{case.name}: ")
    return total


# --------------------------------------------------------------------------- reporting


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def format_table(set_name: str, n_cases: int, score: Score) -> str:
    """A plain-text table of one set's figures, thresholded rows marked (none for a reported-only
    set)."""
    thresholded = set_name not in UNTHRESHOLDED_SETS
    mark = _threshold_mark if thresholded else (lambda _key, _score: "")
    title = f"== {set_name}: {n_cases} releases"
    if not thresholded:
        title += " (reported only, no threshold)"
    lines = [title, ""]
    lines.append(f"{'field':<20}{'P':>7}{'R':>7}{'F1':>7}   {'counts':<26}threshold")
    for key in PRF_FIELDS:
        t = score.prf[key]
        counts = f"tp={t.tp} fp={t.fp} fn={t.fn}"
        lines.append(
            f"{key:<20}{_fmt(t.precision):>7}{_fmt(t.recall):>7}{_fmt(t.f1):>7}   "
            f"{counts:<26}{mark(key, score)}".rstrip()
        )
    lines.append("")
    lines.append(f"{'field':<20}{'acc':>7}   {'counts':<26}threshold")
    for key in ACC_FIELDS:
        a = score.acc[key]
        counts = f"{a.right}/{a.total}"
        lines.append(f"{key:<20}{_fmt(a.value):>7}   {counts:<26}{mark(key, score)}".rstrip())
    return "\n".join(lines)


def _threshold_mark(key: str, score: Score) -> str:
    if key not in THRESHOLDS:
        return ""
    value = score.metric(key)
    if value is None:
        return f">= {THRESHOLDS[key]:.2f} (nothing scored)"
    verdict = "ok" if value >= THRESHOLDS[key] else "BELOW"
    return f">= {THRESHOLDS[key]:.2f} {verdict}"


def failures(score: Score, set_name: str | None = None) -> list[str]:
    """The thresholded fields below their threshold (fields with nothing scored pass).

    A set named in ``UNTHRESHOLDED_SETS`` never fails.
    """
    if set_name in UNTHRESHOLDED_SETS:
        return []
    out = []
    for key, minimum in THRESHOLDS.items():
        value = score.metric(key)
        if value is not None and value < minimum:
            out.append(f"{key} {value:.3f} < {minimum:.2f}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Score the chosen sets, print their tables; return 1 if any set misses a threshold."""
    parser = argparse.ArgumentParser(prog="python -m tests.accuracy", description=__doc__)
    parser.add_argument(
        "--set", choices=("written", "real", "heldout", "first-contact", "all"), default="all"
    )
    parser.add_argument("--verbose", action="store_true", help="list every mismatch")
    parser.add_argument(
        "--record-first-contact",
        metavar="NOTE",
        help="score the first-contact offices not yet recorded and record them (once per office)",
    )
    parser.add_argument(
        "--record-checkpoint",
        metavar="NOTE",
        help="append every office's figures today, with a note of what changed since",
    )
    args = parser.parse_args(argv)

    from pipelines.extract import extract

    sets: list[tuple[str, list[Case] | None]] = []
    if args.set in ("written", "all"):
        sets.append(("written", written_cases()))
    if args.set in ("real", "all"):
        sets.append(("real", real_cases()))
    if args.set in ("heldout", "all"):
        sets.append(("heldout", heldout_cases()))

    failed = []
    for name, cases in sets:
        if cases is None:
            print(f"== {name}: skipped ({REAL_TEXT_DIR} is absent)\n")
            continue
        if not cases:
            print(f"== {name}: no labels found\n")
            continue
        score = score_cases(cases, extract)
        print(format_table(name, len(cases), score))
        if args.verbose and score.mismatches:
            print("\nmismatches:")
            for line in score.mismatches:
                print(f"  {line}")
        below = failures(score, name)
        if below:
            failed.append(f"{name}: " + ", ".join(below))
        print()
    if args.set in ("first-contact", "all"):
        failed += first_contact_report(
            extract, args.verbose, args.record_first_contact, args.record_checkpoint
        )
    if failed:
        print("FAILED thresholds:\n  " + "\n  ".join(failed))
        return 1
    print("all thresholds met")
    return 0


def first_contact_report(
    extract: Callable[..., dict[str, Any]],
    verbose: bool,
    record: str | None = None,
    checkpoint: str | None = None,
) -> list[str]:
    """Print the first-contact table (recording new offices first when asked), and the new
    offices below :data:`NEW_OFFICE_MINIMUM`; return the failed thresholds (none: reported only)."""
    offices = first_contact_cases()
    if offices is None:
        print(f"== first contact: skipped ({REAL_TEXT_DIR} is absent)\n")
        return []
    if record:
        added = record_first_contact(offices, extract, record)
        print(f"first contact recorded for: {', '.join(added) or 'no new office'}\n")
    if checkpoint:
        record_checkpoint(offices, extract, checkpoint)
    now = {office: score_cases(cases, extract) for office, cases in offices.items()}
    print(format_first_contact(offices, now))
    if verbose:
        for office, score in now.items():
            if score.mismatches:
                print(f"\nmismatches ({office}):")
                for line in score.mismatches:
                    print(f"  {line}")
    below = []
    for office in sorted(NEW_OFFICES & set(now)):
        mean = mean_field_score(now[office])
        if mean is not None and mean < NEW_OFFICE_MINIMUM:
            below.append(f"{office}: mean {mean:.3f} < {NEW_OFFICE_MINIMUM:.2f}")
    if below:
        # reported, not a threshold of the run: first contact is a measure, not a gate
        print(f"new offices below the {NEW_OFFICE_MINIMUM:.2f} target: " + "; ".join(below))
    print()
    return []


if __name__ == "__main__":
    sys.exit(main())
