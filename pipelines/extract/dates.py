"""Incident date and time of a release.

Candidate spans are found with regular expressions (month-name dates with optional weekday and
year, numeric m/d/y dates, bare weekdays with a part of day, relative words such as "last night";
clock times such as "1:30 a.m.", "0130 hours", "18:20 hours"). Month and weekday names are those
of data/calendar.toml. A month-name date is built from the month, day and year it writes; a
year-less one takes the year of the publication date's past in which its written weekday (if any)
is true, and only without a publication date is it left to one reused dateparser parser (English
only, relative to today, preferring the past). `dateparser.search_dates` is never used.

Dates of history ("His most recent arrest was on Friday, Oct. 15"), of court dates, of
publication stamps and of birth are not incident dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.extract import vocab
from pipelines.extract.scan import compile_guarded, may_hold
from pipelines.extract.sentences import alternation, sentences

MONTHS = vocab.months()
"""Every written form of a month (lower case) to its number: "sept" -> 9 (data/calendar.toml)."""
WEEKDAYS = vocab.weekdays()
"""Weekday names (lower case) to their number, 0 = Monday (data/calendar.toml)."""

_WD = "(?P<wd>" + "|".join(name.capitalize() for name in WEEKDAYS) + ")"
_MON = "(?P<mon>" + alternation(tuple(f.capitalize() for f in MONTHS)) + ")"
_MON3 = "(?:" + "|".join(sorted({f[:3].capitalize() for f in MONTHS})) + ")"
_PART = r"(?P<part>morning|afternoon|evening|night|overnight)"
MONTH_DATE = compile_guarded(
    rf"\b(?:{_WD}\s*,?\s*(?:(?:early|late)\s+)?(?:{_PART}\s*,?\s*)?(?:the\s+)?)?{_MON}\.?\s+"
    r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:-|/)\s*\d)(?:\s*,?\s*(?P<year>(?:19|20)\d\d)\b)?"
)
NUMERIC_DATE = re.compile(r"\b(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>(?:19|20)?\d\d)\b")
WEEKDAY_ONLY = compile_guarded(
    rf"\b(?:(?P<mod>early|late|last|this|on|overnight)\s+)?{_WD}(?:\s+{_PART})?\b"
    r"(?!\s*,?\s*(?:early\s+|late\s+)?(?:morning\s*,?\s*|afternoon\s*,?\s*|evening\s*,?\s*|night\s*,?\s*)?"
    rf"(?:the\s+)?{_MON3})",
    re.I,
)
RELATIVE = compile_guarded(
    r"\b(?P<rel>yesterday|last night|earlier today|this morning|this afternoon|this evening|"
    r"tonight|today|overnight|early this morning|late last night)\b",
    re.I,
)
TIME_12 = compile_guarded(r"\b(?P<h>[01]?\d)(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?", re.I)
TIME_HOURS = compile_guarded(r"\b(?P<h>[0-2]?\d):?(?P<mi>[0-5]\d)\s*(?:hours|hrs|hr)\b\.?", re.I)
TIME_WORD = compile_guarded(r"\b(?P<w>noon|midnight)\b", re.I)

# Context words that say a date is not the incident's.
_NOT_INCIDENT = re.compile(
    r"\b(?:most recent|previous(?:ly)?|prior|last arrest|history|was released|released from|"
    r"arraign|court|hearing|sentenc|scheduled|due\b|return(?:ed)? to|trial|convicted|pleaded|"
    r"posted on|last modified|original release|update[d]?\b|published|"
    r"press release|for immediate release|expected to|will be|deadline|until|through|"
    r"expires?|effective|announced|since|in \d{4}|bail hearing|warrant was issued|"
    r"appearance|appear (?:in|before)|set for|judge|jury|preliminary|plea\b|"
    r"postponed|adjourned|reschedul|being held|conference|as of|when:|indicted)",
    re.I,
)
# A sentence about a court date to come ("A hearing is set for Oct. 1", "He is due back in court
# on Thursday, Oct. 1"): none of its dates is the incident's.
_COURT_SENTENCE = re.compile(
    r"\b(?:hearing|arraign\w*|sentenc\w*|trial|plea|court|judge|jury|appear\w*)\b[^.;]{0,80}?"
    r"\b(?:is|are|was|were|has been|have been)\s+(?:\w+\s+)?(?:set|scheduled|expected|due|slated|"
    r"calendared|continued|postponed)\b"
    r"|\b(?:is|are)\s+(?:set|scheduled|due|expected|slated)\s+(?:back\s+)?(?:to\s+(?:be\s+)?"
    r"(?:appear|return|arraign\w*|sentenc\w*|tried|enter)|in court|for (?:a |an |his |her |their )?"
    r"(?:hearing|arraignment|sentencing|trial|court|plea))"
    r"|\b(?:next|scheduled|upcoming)\s+(?:court\s+)?(?:date|hearing|appearance|court)\b"
    r"|\bwill\s+(?:be\s+)?(?:appear|arraign\w*|sentenc\w*|return to court|be back in court)",
    re.I,
)
# "Oct. 1 for a hearing", "Oct. 1 in Superior Court": a court date named after it
_COURT_AFTER = re.compile(
    r"\s*,?\s*(?:(?:19|20)\d\d\s*,?\s*)?(?:at\s+[\d:]+\s*[ap]\.?\s?m\.?\s*,?\s*)?"
    r"(?:for\s+(?:a\s+|an\s+|his\s+|her\s+|their\s+|the\s+)?(?:\w+\s+)?(?:hearing|arraignment|"
    r"sentencing|trial|plea|court|conference)|in\s+(?:\w+\s+){0,3}(?:court|Court))",
)
_INCIDENT_CUE = compile_guarded(
    r"(?:occurred|happened|responded|dispatched|incident|shooting|stabbing|crash|collision|"
    r"arrested|arrest(?!ed)|robbery|burglary|call|report(?:ed)?|took place|located|found|stopped|"
    r"observed|fled|assault|fire|attack|struck|pursuit|traffic stop|at approximately|at about|"
    r"around)",
    re.I,
)


@dataclass(frozen=True)
class DateHit:
    """A date candidate: where it is, what it resolved to, and whether anything was guessed."""

    start: int
    end: int
    date: dt.date
    inferred: bool
    kind: str  # "month", "numeric", "weekday", "relative"
    part_of_day: str | None = None
    weekday: int | None = None  # the weekday written with a month-name date (0 = Monday)
    year_written: bool = False  # the year is in the text ("June 2, 1991")

    @property
    def weekday_contradicts(self) -> bool:
        """True when the written weekday is not the weekday of the resolved date
        ("Thursday, Oct. 1, 2024" where Oct. 1, 2024 is a Tuesday)."""
        return self.weekday is not None and self.weekday != self.date.weekday()


def to_date(value: str | dt.date | dt.datetime | None) -> dt.date | None:
    """Coerce an ISO string ("2021-10-26", "2021-10-26T09:00:00-04:00") or date to a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


@lru_cache(maxsize=64)
def _parser(base: dt.date | None):
    """One reused English-only dateparser parser per relative base (the publication date)."""
    import dateparser.date  # noqa: PLC0415 - imported lazily: ~100 ms

    settings = {
        "PREFER_DATES_FROM": "past",
        "TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time(12))
    return dateparser.date.DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=4096)
def parse_with_dateparser(phrase: str, base: dt.date | None) -> tuple[dt.date | None, tuple]:
    """Parse one short date phrase with dateparser relative to `base`; (date, parts read).

    Cached per (phrase, base). Returns (None, ()) when dateparser cannot read it.
    """
    try:
        data = _parser(base).get_date_data(phrase)
    except Exception:  # noqa: BLE001 - dateparser must never break extraction
        return None, ()
    if data is None or data.date_obj is None:
        return None, ()
    return data.date_obj.date(), tuple(getattr(data, "parts", ()) or ())


def _weekday_year(month: int, day: int, weekday: int | None, base: dt.date | None) -> int | None:
    """Year for a year-less month/day: the latest on or before base (+1 day) whose weekday fits,
    looking back about a year; when the weekday fits no date that close ("On Sunday, Aug. 4"
    in a year where Aug. 4 is a Friday), the latest such month/day on or before base."""
    if base is None:
        return None
    limit = base + dt.timedelta(days=1)
    candidates = []
    for year in range(base.year, base.year - 7, -1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if d <= limit:
            candidates.append(d)
    if not candidates:
        return None
    if weekday is None:
        return candidates[0].year
    for d in candidates:
        if d < base - dt.timedelta(days=400):
            break
        if d.weekday() == weekday:
            return d.year
    return candidates[0].year


def _month_hit(m: re.Match, base: dt.date | None) -> DateHit | None:
    month = MONTHS[m.group("mon").lower().rstrip(".")]
    day = int(m.group("day"))
    wd = m.group("wd")
    weekday = WEEKDAYS[wd.lower()] if wd else None
    if m.group("year"):
        # month, day and year are all read: the date needs no parser ("Feb. 30, 2026": none)
        try:
            parsed = dt.date(int(m.group("year")), month, day)
        except ValueError:
            return None
        return DateHit(m.start(), m.end(), parsed, False, "month", m.group("part"), weekday, True)
    year = _weekday_year(month, day, weekday, base)
    if year is None:
        parsed, _ = parse_with_dateparser(f"{m.group('mon')} {day}", base)
        if parsed is None:
            return None
        return DateHit(m.start(), m.end(), parsed, True, "month", m.group("part"), weekday)
    try:
        return DateHit(
            m.start(), m.end(), dt.date(year, month, day), True, "month", m.group("part"), weekday
        )
    except ValueError:
        return None


def _numeric_hit(m: re.Match) -> DateHit | None:
    y = int(m.group("y"))
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        return DateHit(
            m.start(),
            m.end(),
            dt.date(y, int(m.group("m")), int(m.group("d"))),
            False,
            "numeric",
            year_written=True,
        )
    except ValueError:
        return None


def _weekday_hit(m: re.Match, base: dt.date) -> DateHit:
    weekday = WEEKDAYS[m.group("wd").lower()]
    back = (base.weekday() - weekday) % 7
    mod = (m.group("mod") or "").lower()
    if mod == "last" and back == 0:
        back = 7
    part = (m.group("part") or "").lower() or None
    return DateHit(m.start(), m.end(), base - dt.timedelta(days=back), True, "weekday", part)


def _relative_hit(m: re.Match, base: dt.date) -> DateHit:
    rel = m.group("rel").lower()
    days = 1 if rel in ("yesterday", "last night", "late last night") else 0
    part = "night" if "night" in rel else None
    return DateHit(m.start(), m.end(), base - dt.timedelta(days=days), True, "relative", part)


def find_dates(text: str, published: str | dt.date | None = None) -> list[DateHit]:
    """Every date candidate in `text`, in text order, resolved against the publication date.

    Weekday-only and relative candidates ("early Sunday", "last night") need a publication date
    and are skipped without one. A month-day without year takes the latest year, on or before
    publication, in which the written weekday (if any) is true.
    """
    base = to_date(published)
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for m in MONTH_DATE.finditer(text):
        h = _month_hit(m, base)
        if h:
            hits.append(h)
            taken.append((m.start(), m.end()))
    for m in NUMERIC_DATE.finditer(text) if "/" in text else ():
        h = _numeric_hit(m)
        if h:
            hits.append(h)
            taken.append((m.start(), m.end()))
    if base is not None:
        # every WEEKDAY_ONLY match names a day in full, in some case ("Sunday", "SUNDAY")
        for m in WEEKDAY_ONLY.finditer(text) if may_hold(text, WEEKDAYS) else ():
            if not m.group("wd")[0].isupper():
                continue
            if any(a <= m.start() < b for a, b in taken):
                continue
            hits.append(_weekday_hit(m, base))
        for m in RELATIVE.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            hits.append(_relative_hit(m, _stamp_base(text, m.start(), base) or base))
    hits.sort(key=lambda h: h.start)
    return hits


def find_times(text: str) -> list[tuple[int, int, str]]:
    """Every clock time in `text` as (start, end, "HH:MM"), in text order."""
    out: list[tuple[int, int, str]] = []
    for m in TIME_12.finditer(text):
        h = int(m.group("h"))
        if h < 1 or h > 12:
            continue
        mi = int(m.group("mi") or 0)
        pm = m.group("ap").lower() == "p"
        h = (h % 12) + (12 if pm else 0)
        out.append((m.start(), m.end(), f"{h:02d}:{mi:02d}"))
    # every TIME_HOURS match ends in "hours", "hrs" or "hr"
    for m in TIME_HOURS.finditer(text) if may_hold(text, ("hr", "hour")) else ():
        h = int(m.group("h"))
        if h > 23:
            continue
        raw = m.group(0)
        if ":" not in raw and len(re.sub(r"\D", "", raw)) != 4:
            continue
        out.append((m.start(), m.end(), f"{h:02d}:{m.group('mi')}"))
    for m in TIME_WORD.finditer(text):
        out.append((m.start(), m.end(), "12:00" if m.group("w").lower() == "noon" else "00:00"))
    out.sort()
    return out


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in spans:
        if a <= pos <= b:
            return a, b
    return pos, pos


_STAMP_BEFORE = re.compile(
    r"(?:(?:original(?:ly)?\s+)?release[d]?|update[d]?|posted|published|last modified|"
    r"for immediate release|date)\s*(?:on|:)?\s*[-:]?\s*$",
    re.I,
)


def _is_stamp_line(text: str, h: DateHit) -> bool:
    """A date that is a publication/update stamp: alone on its line ("Monday, March 2, 2015",
    "November 1, 2021 Jeremy Hale"), after "Posted on", "Update on", "Original Release on", after
    a byline ("Admin | May 2, 2025") or heading a headline ("June 5, 2026: Man Charged ...")."""
    ls = text.rfind("\n", 0, h.start) + 1
    le = text.find("\n", h.end)
    le = len(text) if le == -1 else le
    before = text[ls : h.start]
    after = text[h.end : le]
    if _STAMP_BEFORE.search(before[-40:]):
        return True
    if re.fullmatch(r"\s*[\w.' ]{1,40}\|\s*", before):
        return True  # a byline: "Admin | August 12, 2024"
    if re.fullmatch(r"\s*[A-Z][\w .,()]{0,30}?\s*[-\u2013\u2014]\s*", before) and h.year_written:
        return True  # a dateline: "Miami-June 26, 2025 \u2013 The State Attorney ..."
    if not before.strip(" *_#,-") and h.year_written and re.match(r"\s*:\s+\S", after):
        return True  # a dated headline: "June 5, 2026: Man Charged With Murder"
    if (
        not before.strip(" *_#,-")
        and len(after.split()) <= 4
        and not re.search(r"\d{1,2}:\d\d|[ap]\.?m\b|hours", after, re.I)
    ):
        return True
    if not before.strip(" *_#,-") and re.fullmatch(
        r"\s*,?\s*(?:at\s+)?\d{1,2}(?::\d\d)?\s*[ap]\.?\s?m\.?\s*(?:-\s.*)?", after, re.I
    ):
        return True  # "July 16, 2021 at 3:30 p.m." heading an update block
    return False


def _stamp_base(text: str, pos: int, base: dt.date | None) -> dt.date | None:
    """Relative words under an "Original Release on Oct. 18, 2021" / "Update on ..." stamp
    resolve against that stamp's date, not the page's publication date."""
    best = None
    for m in re.finditer(r"(?:release[d]?|update[d]?)\s+(?:on\s+)?", text[:pos], re.I):
        mm = MONTH_DATE.match(text, m.end())
        if mm and mm.group("year"):
            h = _month_hit(mm, base)
            if h:
                best = h.date
    return best or base


_ARREST_WORDS = compile_guarded(
    r"\b(?:arrested|into custody|in custody|apprehended|surrendered|turned (?:himself|herself) in|"
    r"extradited|located and arrested|booked)\b",
    re.I,
)
_CRIME_WORDS = compile_guarded(
    r"\b(?:occurred|happened|responded|dispatched|shooting|shot|stabb\w*|crash\w*|collision|"
    r"robbery|robbed|burglar\w*|theft|stole|assault\w*|fire|reported|call(?:ed)?|killed|"
    r"struck|attack\w*|pursuit|chase|fled|flee\w*|stolen|speeding)\b",
    re.I,
)


_TIME_STAMP_BEFORE = compile_guarded(
    r"(?:\bupdate[sd]?|\bposted|\bpublished|\breleased?|\blast modified|\bmodified|\bedited|"
    r"\bas of|\bdate)\b[^\n.]{0,40}$",
    re.I,
)


def _stamp_time(text: str, start: int, end: int) -> bool:
    """A clock time that stamps the release or an update ("UPDATE 2:29 p.m.", "Posted 6:10
    a.m.", "June 10, 2024 6:10 AM" alone on its line), not the time of the crime."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    line = text[ls : len(text) if le == -1 else le]
    before = text[ls:start]
    if _TIME_STAMP_BEFORE.search(before):
        return True
    rest = (before + " " + text[end : len(text) if le == -1 else le]).strip(" *_#,:-|")
    return bool(line.strip()) and not re.search(r"[a-z]{3,}", MONTH_DATE.sub("", rest))


_ANNOUNCE_AFTER = re.compile(
    r"\s*,?\s*(?:[\w.']+\s+){0,5}?(?:(?:also|jointly)\s+)?(?:announced|said|"
    r"stated|released|confirmed|issued|published)\b"
)


def _arrest_only(sentence: str) -> bool:
    """True for a sentence that dates an arrest and tells of no crime ("Banks was taken into
    custody on Feb. 8 in Prichard, Ala.")."""
    return bool(_ARREST_WORDS.search(sentence)) and not _CRIME_WORDS.search(sentence)


@dataclass(frozen=True)
class _Ctx:
    """What the candidate passes of `incident_datetime` look at besides the candidate."""

    text: str
    spans: list[tuple[int, int]]
    base: dt.date | None
    times: list[tuple[int, int, str]]

    def sentence(self, h: DateHit) -> tuple[int, int]:
        return _sentence_of(self.spans, h.start)


# The act of the crime named just before a date ("for killing Amy Cole on Oct. 8, 2020",
# "in the death of Ed Lamb on April 28, 2021"): it dates the crime even after court words.
_CRIME_ACT = compile_guarded(
    r"\b(?:kill(?:ing|ed)|murder(?:ing|ed)|death of|death|shooting|shot|stabb(?:ing|ed)|"
    r"rap(?:ing|ed)|robb(?:ing|ed)|robbery|beat(?:ing)?|assault(?:ing|ed)?|attack(?:ing|ed)?|"
    r"molest\w*|abus(?:ing|ed)|strangl\w*|struck|crash|burglar\w*|kidnapp\w*|carjack\w*)\b",
    re.I,
)


def _last_end(pattern: re.Pattern, s: str) -> int:
    ends = [m.end() for m in pattern.finditer(s)]
    return ends[-1] if ends else -1


def _stamp(ctx: _Ctx, h: DateHit) -> bool:
    """A publication stamp ("Admin | August 12, 2024", "June 5, 2026: Man Charged ...") or the
    time of an advisory's event ("WHEN:\nMay 2, 2025 11:30 a.m.")."""
    if re.search(r"\b(?:WHEN|When|DATE|Date)\s*:\s*$", ctx.text[max(0, h.start - 12) : h.start]):
        return True
    return _is_stamp_line(ctx.text, h)


def _announcing(ctx: _Ctx, h: DateHit) -> bool:
    """The day of the announcement or charging, not the crime: "Ogg said Thursday.", "joined
    partners today to announce", "police today announced charges", "today's decision", "was
    charged today with", "Today, the District Attorney announced ..."."""
    if h.kind not in ("weekday", "relative"):
        return False
    a, _b = ctx.sentence(h)
    if _ANNOUNCE_AFTER.match(ctx.text, h.end) or re.match(
        r"\s*,?\s*(?:to\s+)?(?:announce|unveil|launch|mark|celebrate|honor)\b",
        ctx.text[h.end : h.end + 30],
        re.I,
    ):
        return True
    if re.match(r"['\u2019]s\b", ctx.text[h.end : h.end + 3]):
        return True  # "today's decision"
    if re.search(
        r"\b(?:said|announced|stated|confirmed|reported|charged|indicted|filed|arraigned)\s+"
        r"(?:on\s+)?$",
        ctx.text[max(a, h.start - 20) : h.start],
        re.I,
    ):
        return True  # "Ogg said Thursday", "was charged today with"
    _a, b = ctx.sentence(h)
    sent = ctx.text[a:b]
    return (
        h.kind == "relative"
        and bool(re.search(r"\b(?:announced|said|stated|unveiled|released|proud)\b", sent, re.I))
        and not _ARREST_WORDS.search(sent)
    )  # "Today, District Attorney Sean Teare announced ..."


def _court_date(ctx: _Ctx, h: DateHit) -> bool:
    """A court date: "A hearing is set for Oct. 1", "Oct. 1 in Superior Court", "agreed on
    Monday to 40 years in prison"."""
    a, b = ctx.sentence(h)
    return bool(
        _COURT_SENTENCE.search(ctx.text[a:b])
        or _COURT_AFTER.match(ctx.text, h.end)
        or _IN_COURT_AFTER.match(ctx.text[h.end : min(b, h.end + 40)])
        or _TERM_AFTER.match(ctx.text[h.end : h.end + 40])
    )


# "Oct. 1 at 9 a.m. in Department 12" / "Monday before the Superior Court"
_IN_COURT_AFTER = re.compile(
    r"\s*,?\s*(?:at\s+[\d:]+\s*[ap]\.?m\.?\s*,?\s*)?(?:in|before)\s+(?:Department|Dept|"
    r"court|the\s+\w+\s+(?:court|Justice))",
    re.I,
)
# "agreed on Monday to 40 years in prison"
_TERM_AFTER = re.compile(
    r"\s*,?\s*to\s+(?:a\s+)?(?:\w+[- ])?(?:\d+|life)[- ](?:years?|months?)\b", re.I
)


# a date of birth: "DOB: 9/20/88", "(dob 12/26/97", "born on May 3"; the word right before it,
# so that "Roe (dob 12/26/97) was arrested on March 3, 2023" keeps the arrest's date
_BIRTH_BEFORE = re.compile(r"\b(?:born|DOB|d\.o\.b\.?)[\s:(]*(?:on\s+|in\s+)?$", re.I)


def _other_context(ctx: _Ctx, h: DateHit) -> bool:
    """History, court, birth, publication or statistics words just before the date ("His most
    recent arrest was on Oct. 15", "convicted on May 2", "as of Jan. 31, 2024") -- unless the
    crime's act comes after them, nearer the date: "convicted of murder for killing Amy Cole on
    Oct. 8, 2020" dates the killing."""
    a, _b = ctx.sentence(h)
    before = ctx.text[max(a, h.start - 70) : h.start]
    if _BIRTH_BEFORE.search(before):
        return True
    court = _last_end(_NOT_INCIDENT, before)
    if court < 0 and not re.search(r"\bas of\s*$", before, re.I):
        return False
    if re.search(r"\bas of\s*$", before, re.I):
        return True
    near = ctx.text[max(a, h.start - 200) : h.start]
    offset = len(near) - len(before)
    return _last_end(_CRIME_ACT, near) <= court + offset


def _after_publication(ctx: _Ctx, h: DateHit) -> bool:
    """A date after the release's publication (a court date to come)."""
    return ctx.base is not None and h.date > ctx.base + dt.timedelta(days=1)


def _old_without_crime(ctx: _Ctx, h: DateHit) -> bool:
    """Older than three years: kept only with its year written and a crime in its sentence
    ("On June 2, 1991, Amy Cole was killed"), or in the next one when its own sentence tells
    of the incident ("on July 17, 1996, at approximately 10:45 p.m., the defendant was
    confronted by a rival. The defendant then stabbed the rival")."""
    if ctx.base is None or h.date >= ctx.base - dt.timedelta(days=3 * 366):
        return False
    if not h.year_written:
        return True
    a, b = ctx.sentence(h)
    sent = ctx.text[a:b]
    if _CRIME_WORDS.search(sent) or _CRIME_ACT.search(sent):
        return False
    if not _INCIDENT_CUE.search(sent):
        return True
    following = next((ctx.text[c:d] for c, d in ctx.spans if c >= b), "")
    return not (_CRIME_WORDS.search(following) or _CRIME_ACT.search(following))


def _after_year_or_birth(ctx: _Ctx, h: DateHit) -> bool:
    """A month date right after a year or "birth" ("born 1990 May 3", "birth June 1")."""
    return (
        h.kind == "month"
        and h.start >= 3
        and bool(re.search(r"\b(?:19|20)\d\d\s*$|birth", ctx.text[max(0, h.start - 15) : h.start]))
    )


REJECTS = (
    _stamp,
    _announcing,
    _court_date,
    _other_context,
    _after_publication,
    _old_without_crime,
    _after_year_or_birth,
)
"""The passes that each reject a date candidate as not the incident's, in order."""


_COURT_WORDS = compile_guarded(r"arraign|court|hearing", re.I)

OLD_YEARS = 20
"""A date without a written year resolved to more than this many years before publication is
not believed (null, with a problem); a written year ("on June 2, 1991") is kept however old."""


def incident_datetime(text: str, published: str | dt.date | None = None) -> dict:
    """The incident's date and time: {"date", "time", "date_inferred", "raw", "problems"}.

    Picks the first date candidate that is not in a history/court/publication context and not
    after publication; the time is the clock time in the same sentence (else the first clock
    time in an incident context). Values are None when the release does not say. Dates of
    court events (hearings, arraignments, sentencing, trials, pleas) are never chosen. A date
    older than three years counts only with its year written and a crime told of in its
    sentence (an old case: "On June 2, 1991, Amy Cole was killed").

    Sanity: a chosen date whose written weekday contradicts it, that falls after publication,
    or that lies more than OLD_YEARS years before it without a written year is nulled, and
    "problems" lists {"field": "incident_date", "value", "reason"} for it.
    """
    base = to_date(published)
    spans = sentences(text)
    hits = find_dates(text, base)
    times = [t for t in find_times(text) if not _stamp_time(text, t[0], t[1])]
    ctx = _Ctx(text, spans, base, times)
    chosen = _first_incident_candidate(ctx, hits)
    if chosen is not None:
        chosen = _crime_date_in_arrest_sentence(text, spans, hits, chosen)
        chosen = _written_date_over_today(ctx, hits, chosen)
    time, chosen = _incident_time(ctx, hits, chosen)
    return _incident_result(text, chosen, time, base)


def _first_incident_candidate(ctx: _Ctx, hits: list[DateHit]) -> DateHit | None:
    """The first date not rejected by REJECTS ("a hearing is set for Oct. 1" is not), a
    weekday/relative date only in a sentence about the incident; an earlier date after an
    arrest-only sentence wins ("He was arrested on July 23 ... on June 2, the defendant ran a
    red light": the crime came first). A weekday in a crime sentence with no incident cue is
    the fallback when nothing else is found."""
    text, spans, times = ctx.text, ctx.spans, ctx.times
    chosen: DateHit | None = None
    fallback: DateHit | None = None
    for h in hits:
        a, b = _sentence_of(spans, h.start)
        if any(reject(ctx, h) for reject in REJECTS):
            continue
        if h.kind in ("weekday", "relative"):
            sent = text[a:b]
            if not _INCIDENT_CUE.search(sent) and not any(a <= t[0] <= b for t in times):
                if _CRIME_WORDS.search(sent) or _CRIME_ACT.search(sent):
                    fallback = fallback or h  # "today I want to thank" dates nothing
                continue
        if chosen is None:
            chosen = h
            if not _arrest_only(text[a:b]):
                break
        elif h.date < chosen.date and not _arrest_only(text[a:b]):
            chosen = h
            break
    return chosen if chosen is not None else fallback


def _written_date_over_today(ctx: _Ctx, hits: list[DateHit], chosen: DateHit) -> DateHit:
    """A written date of the crime, within a year before, beats the release's own "today":
    "was arrested today after a stabbing ... On Friday, June 7, 2024, officers were called"."""
    if chosen.kind != "relative" or chosen.date != ctx.base:
        return chosen
    text, spans = ctx.text, ctx.spans
    later = [
        h
        for h in hits
        if h.start > chosen.end
        and h.kind in ("month", "numeric")
        and h.date < chosen.date
        and h.date >= chosen.date - dt.timedelta(days=366)
        and not _is_stamp_line(text, h)
        and not _NOT_INCIDENT.search(text[max(0, h.start - 70) : h.start])
        and _INCIDENT_CUE.search(text[slice(*_sentence_of(spans, h.start))])
    ]
    return later[0] if later else chosen


def _incident_time(
    ctx: _Ctx, hits: list[DateHit], chosen: DateHit | None
) -> tuple[str | None, DateHit | None]:
    """(time, date): the clock time nearest the chosen date in its sentence ("On May 4 at
    about 1:15 a.m."); else the first time in a sentence about the incident, not in court
    ("Officers responded at 11:40 p.m."), which may also bring that sentence's date."""
    text, spans, times, base = ctx.text, ctx.spans, ctx.times, ctx.base
    if chosen is not None:
        a, b = _sentence_of(spans, chosen.start)
        same = [t for t in times if a <= t[0] <= b]
        if same:
            return min(same, key=lambda t: abs(t[0] - chosen.start))[2], chosen
    for t0, _t1, hhmm in times:
        a, b = _sentence_of(spans, t0)
        if chosen is not None and a > chosen.start + 600:
            break
        sent = text[a:b]
        before = text[max(a, t0 - 70) : t0]
        if _NOT_INCIDENT.search(before) or _COURT_WORDS.search(sent):
            continue
        if _INCIDENT_CUE.search(sent):
            if chosen is None:
                in_sentence = [
                    h for h in hits if a <= h.start <= b and (base is None or h.date <= base)
                ]
                if in_sentence:
                    chosen = in_sentence[0]
            return hhmm, chosen
    return None, chosen


def _incident_result(
    text: str, chosen: DateHit | None, time: str | None, base: dt.date | None
) -> dict:
    """The record of `incident_datetime`, the date nulled with a problem when `_date_doubt`
    doubts it (a weekday that contradicts it, a date after publication, too old)."""
    if chosen is None:
        return {"date": None, "time": time, "date_inferred": False, "raw": None, "problems": []}
    raw = text[chosen.start : chosen.end]
    reason = _date_doubt(chosen, base)
    if reason:
        return {
            "date": None,
            "time": time,
            "date_inferred": False,
            "raw": raw,
            "problems": [{"field": "incident_date", "value": raw, "reason": reason}],
        }
    return {
        "date": chosen.date.isoformat(),
        "time": time,
        "date_inferred": chosen.inferred,
        "raw": raw,
        "problems": [],
    }


def _crime_date_in_arrest_sentence(
    text: str, spans: list[tuple[int, int]], hits: list[DateHit], chosen: DateHit
) -> DateHit:
    """In one sentence that dates both an arrest and the crime ("Tim Ray was arrested at 4 p.m.
    today in connection with a robbery that happened about 1:15 a.m. Tuesday", "arrested on
    Feb. 12 in connection with the Jan. 30 burglary"), the crime's earlier date, not the
    arrest's: `chosen` when its own words are no arrest."""
    a, b = _sentence_of(spans, chosen.start)
    if not _ARREST_WORDS.search(text[max(a, chosen.start - 50) : chosen.start]):
        return chosen
    for h in hits:
        if h is chosen or not a <= h.start < b or h.start < chosen.end:
            continue
        if not chosen.date - dt.timedelta(days=366) <= h.date < chosen.date:
            continue
        if _is_stamp_line(text, h) or _NOT_INCIDENT.search(text[max(a, h.start - 70) : h.start]):
            continue
        around = text[max(chosen.end, h.start - 50) : min(b, h.end + 30)]
        if _CRIME_WORDS.search(around) and not _ARREST_WORDS.search(around):
            return h
    return chosen


def _date_doubt(h: DateHit, base: dt.date | None) -> str | None:
    """Why a chosen incident date cannot be believed, or None (see incident_datetime)."""
    if h.weekday_contradicts:
        return (
            f"the weekday written does not fit the date: {h.date.isoformat()} is a "
            f"{h.date.strftime('%A')}"
        )
    if base is not None and h.date > base + dt.timedelta(days=1):
        return f"{h.date.isoformat()} is after publication ({base.isoformat()})"
    if (
        base is not None
        and not h.year_written
        and h.date < base - dt.timedelta(days=round(OLD_YEARS * 365.25))
    ):
        return f"{h.date.isoformat()} is more than {OLD_YEARS} years before publication"
    return None
