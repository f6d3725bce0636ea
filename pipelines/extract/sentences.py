"""Light clean-up of release text before extraction, and sentence splitting.

`html_text.py` turns pages into text; this module only makes whatever text arrives (plain
text, markdown, a stray HTML fragment) safe and regular for the extraction regexes:
markup removed, quotes and dashes unified, paragraphs kept, runaway length capped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from pipelines.extract import vocab

MAX_CHARS = 60_000
"""Releases are a few KB; anything beyond this is cut (and reported) so regexes stay fast."""

_FRONT_MATTER = re.compile(r"\A\s*---\s*\n.*?\n---\s*\n", re.S)
# bounded so that an unclosed "![" / "[a](" is not scanned to the end of the text again and again
_MD_IMAGE = re.compile(r"!\[[^\]]{0,500}\]\([^)]{0,500}\)")
_MD_LINK = re.compile(r"\[([^\]]{0,500})\]\([^)]{0,500}\)")
_HTML_TAG = re.compile(r"<[^>]{0,500}>")
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|div|br|li|ul|ol|h\d|tr|table|section|article)\b[^>]*>", re.I)
_SCRIPT_OPEN = re.compile(r"<\s*(script|style)\b", re.I)
_SCRIPT_CLOSE = {
    "script": re.compile(r"<\s*/\s*script\s*>", re.I),
    "style": re.compile(r"<\s*/\s*style\s*>", re.I),
}
_EMPHASIS = re.compile(r"\*\*|__|\\(?=[#*_\[\]\-\\])")  # markdown "**bold**", "__x__", escapes
_HEADING_MARK = re.compile(r"^#{1,6}\s*", re.M)  # "## Arrest made": the mark
_SPACE_RUN = re.compile(r"[ ]{2,}")
_SPACED_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": " - ",
        "\u00a0": " ",
        "\u2022": "\n- ",
        "\u25cf": "\n- ",
        "\u00b7": "\n- ",
        "\t": " ",
    }
)


def _strip_scripts(text: str) -> str:
    """The text with each <script>/<style> element (opening tag to its closing tag) replaced by
    a space. An opening tag with no closing tag after it is left alone. Linear time: once a
    closing tag is known to be missing, later opening tags of that name are not searched again.
    """
    out: list[str] = []
    pos = 0
    search_from = 0
    unclosed: set[str] = set()
    while True:
        m = _SCRIPT_OPEN.search(text, search_from)
        if m is None:
            break
        name = m.group(1).lower()
        if name in unclosed:
            search_from = m.end()
            continue
        close = _SCRIPT_CLOSE[name].search(text, m.end())
        if close is None:
            unclosed.add(name)
            search_from = m.end()
            continue
        out.append(text[pos : m.start()])
        out.append(" ")
        pos = search_from = close.end()
    out.append(text[pos:])
    return "".join(out)


def clean(text: str) -> tuple[str, list[str]]:
    """Return (clean text, problems). Never raises; paragraphs stay separated by blank lines.

    Removes YAML front matter, markdown images/links/emphasis, HTML tags and entities, control
    characters; unifies quotes/dashes; caps the length at MAX_CHARS.
    """
    problems: list[str] = []
    if not isinstance(text, str):
        try:
            text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        except Exception:  # noqa: BLE001 - bad input must never raise
            return "", ["input is not text"]
    if len(text) > MAX_CHARS * 4:
        text = text[: MAX_CHARS * 4]
    text = _FRONT_MATTER.sub("", text, count=1)
    text = cut_trailer(text)
    if "<" in text and _HTML_TAG.search(text):
        text = _strip_scripts(text)
        text = _BLOCK_TAG.sub("\n\n", text)
        text = _HTML_TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    # each step below is tried only where its pattern can match (a plain string test first):
    # the texts are the same, and most releases skip most steps
    if _CONTROL.search(text):
        junk = len(_CONTROL.findall(text))
        if junk > len(text) * 0.05:
            problems.append("text contains binary or control characters")
        text = _CONTROL.sub(" ", text)
    if "](" in text or "![" in text:
        text = _MD_IMAGE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
    if "**" in text or "__" in text or "\\" in text:
        text = _EMPHASIS.sub("", text)
    if "#" in text:
        text = _HEADING_MARK.sub("", text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACED_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    text = _GLUED_SENTENCE.sub("\\g<0> ", text.strip())
    text = _unwrap(text)
    if len(text) > MAX_CHARS:
        problems.append(f"text truncated to {MAX_CHARS} characters")
        text = text[:MAX_CHARS]
    return text, problems


_END_MARK = re.compile(
    r"^[ \t]*(?:#{1,3}|-[ \t]*30[ \t]*-|(?:Latest|Recent|Related|More|Other)[ \t]+"
    r"(?:Posts|Articles|News|Stories|Press Releases|Releases)|Share(?:[ \t]+this"
    r"(?:[ \t]+(?:article|story|post|page))?)?[ \t]*:?|Share on (?:Facebook|Twitter|X))[ \t]*$",
    re.M | re.I,
)
_MIN_BODY = 200


# "... a Government Record.All charges are felonies": a sentence glued to the next one (a
# lower-case word, its full stop, a capitalised word); "U.S.", "Dana R.Colt" are not matched
# (the stop is matched first and looked behind from: the regex engine then passes quickly over
# the characters that are no stop; a space is written after it)
_GLUED_SENTENCE = re.compile(r"[.!?](?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_WORDY_LINE = re.compile(r"^[ \t]*(?:\S+[ \t]+){7,}\S+.*$", re.M)  # eight words or more


def _first_prose_end(text: str) -> int | None:
    """Where the first line of prose of ``text`` ends: eight words or more, not a headline (a
    hard-wrapped paragraph's lines count). A site's menus, address block and list of other
    headlines have none: None."""
    return next((m.end() for m in _WORDY_LINE.finditer(text) if not headline_like(m.group())), None)


def cut_trailer(text: str) -> str:
    """The release without what follows its end: the press-release end mark ("#", "###",
    "-30-") or the site's "Share" / "Latest Posts" / "Related News" block. A mark before any
    body text is ignored: within the first few lines, or after only menus and headlines (a
    site whose "More News" column comes before the release). One pass over the text, however
    many marks it holds."""
    body_from = None  # where a mark may end the release: past _MIN_BODY and the first prose
    for m in _END_MARK.finditer(text):
        if body_from is None:
            if len(re.sub(r"\s+", " ", text[: m.start()])) < _MIN_BODY:
                continue  # (marks before the first 200 characters: short prefixes)
            prose_end = _first_prose_end(text)
            if prose_end is None:
                return text
            body_from = prose_end
        if m.start() >= body_from:
            return text[: m.start()]
    return text


_SMALL_WORDS = frozenset(
    "a an the of and or in on at to for with by from as after into over is his her their "
    "who while when where that than via vs".split()
)


@lru_cache(maxsize=16384)  # asked of the same lines many times a release
def headline_like(line: str) -> bool:
    """True for a headline line: all capitals, or Title Case (at least four capitalised content
    words, and at least four in five content words capitalised), not ending a sentence."""
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", line)
    if len(words) < 3 or line.rstrip().endswith((".", ":", ";", ",")):
        return False
    if not any(c.islower() for c in line):
        return True
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    caps = sum(1 for w in big if w[0].isupper())
    return caps >= 4 and caps >= 0.8 * len(big)


def _unwrap(text: str) -> str:
    """Join hard-wrapped lines of a paragraph: a single line break after a long line that does
    not end a sentence, or before a lower-case word, is a space. List lines stay lines."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if (
            out
            and out[-1]
            and line
            and not re.match(r"\s*(?:[-*\u2022]|\d{1,2}[.)])\s", line)
            and not re.match(r"\s*[A-Z][A-Za-z #.]{1,24}:\s", line)
        ):
            prev = out[-1]
            ends = prev.rstrip()[-1:] in ".:;!?\"'"
            if headline_like(prev) and not headline_like(line) and not re.match(r"[a-z(]", line):
                out.append(line)  # a headline is not wrapped into the line after it
                continue
            if prev.rstrip().endswith(")") and re.match(r"[A-Z]", line) and len(line) < 100:
                out.append(line)  # "Battery (720 ILCS 5/12-3)" / "Theft (...)": list lines
                continue
            if (len(prev) >= 60 and not ends) or (
                re.match(r"[a-z(]", line) and not ends and not prev.rstrip().endswith(":")
            ):
                out[-1] = prev.rstrip() + " " + line.lstrip()
                continue
        out.append(line)
    return "\n".join(out)


@lru_cache(maxsize=1)
def places() -> dict[str, tuple[str, ...]]:
    """The US place words of data/places.toml, read once: "state_names" ("Nebraska"),
    "state_postal" ("NE"), "state_abbrevs" ("Neb", "N.Y": written without the final period),
    "suffix_names" ("Street"), "suffix_abbrevs" ("St"), and "street_names" / "street_abbrevs":
    the street types that never end a town name (no "Point", "Run", "Square")."""
    data = vocab.load("places.toml")
    states, suffixes = data["state"], data["suffix"]
    return {
        "state_names": tuple(s["name"] for s in states),
        "state_postal": tuple(s["postal"] for s in states),
        "state_abbrevs": tuple(a for s in states for a in s["abbreviations"]),
        "suffix_names": tuple(s["name"] for s in suffixes),
        "suffix_abbrevs": tuple(a for s in suffixes for a in s["abbreviations"]),
        "street_names": tuple(s["name"] for s in suffixes if not s.get("town_word")),
        "street_abbrevs": tuple(
            a for s in suffixes if not s.get("town_word") for a in s["abbreviations"]
        ),
    }


def alternation(*groups: tuple[str, ...] | list[str]) -> str:
    """A non-capturing regex group matching any of the words (escaped), longest first so that
    "Calif" is tried before "Cal"."""
    words = sorted({w for g in groups for w in g}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


_ABBREV = (
    r"(?:Mr|Mrs|Ms|Dr|Jr|Sr|Mt|Ft|No|Nos|Co|Inc|Ltd|"
    + alternation(vocab.month_abbreviations())
    + r"|Lt|Sgt|Det|Ofc|Off|Capt|Cpl|Dep|Insp|"
    r"Lieut|Gen|Gov|Sen|Rep|Atty|Asst|Supt|Cmdr|U\.S|a\.m|p\.m|approx|vs|v|"
    r"Dept|Div|Ste|Apt|Bldg|E|W|N|S|NE|NW|SE|SW|[A-Z]|"
    + alternation(places()["suffix_abbrevs"], places()["state_abbrevs"])
    + ")"
)
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREV_END = re.compile(rf"(?:^|[\s(]){_ABBREV}\.$")
_ABBREV_WINDOW = 24
"""Characters before a period in which an abbreviation is looked for (longer than any)."""


def ends_with_abbreviation(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with an abbreviation and its period ("Sgt.", "Jan.", "U.S.",
    "Conn."): a period there does not end a sentence. Looks only at the last
    ``_ABBREV_WINDOW`` characters, so asking at every period of a text stays linear."""
    return bool(_ABBREV_END.search(text, max(0, end - _ABBREV_WINDOW - 1), end))


MAX_SENTENCE = 1500
"""A longer span is cut at a space so that per-sentence searches stay cheap; real sentences
in releases are well under 1,000 characters."""


def sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentence spans (start, end offsets). Line breaks always end a sentence;
    a run-on span longer than MAX_SENTENCE characters is cut at a space.

    A period after a common abbreviation ("St.", "Oct.", "Neb.", "a.m." followed by a lower-case
    word) does not end a sentence. The spans of the last few texts are kept: one release's text
    is split by the dates, the places, the people and the charges alike.
    """
    return list(_sentence_spans(text))


@lru_cache(maxsize=8)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        seg = line.group()
        last = 0
        for m in _SENT_END.finditer(seg):
            before = seg[max(last, m.start() - _ABBREV_WINDOW) : m.start()]
            if _ABBREV_END.search(before.rstrip("\"')]")):
                # "Oct. 26" / "St. Louis": not a sentence end unless next word starts a clause
                continue
            spans.append((start + last, start + m.start()))
            last = m.end()
        spans.append((start + last, start + len(seg)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while b - a > MAX_SENTENCE:
            cut = text.rfind(" ", a + 1, a + MAX_SENTENCE)
            cut = cut if cut > a else a + MAX_SENTENCE
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return tuple((a, b) for a, b in out if b > a)
