"""What an agency's homepage says about where it publishes: pure functions, HTML in, findings out.

- :func:`fingerprint`: the platform the markup was made with (rules in ``fingerprints.toml``).
- :func:`find_feeds`: feeds the page advertises (``<link rel="alternate">``) or links to.
- :func:`find_listings`: links that look like the news / press-release listing, best first
  (rules in ``links.toml``).
- :func:`find_police_page`: on a city's or county's homepage, the link to its police
  department's or sheriff's own page.
- :func:`feed_guesses`: the feed addresses a platform serves by convention (CivicPlus
  ``RSSFeed.aspx?ModID=1``, WordPress ``/feed/`` and ``/wp-json/``, Drupal ``rss.xml``,
  Squarespace ``?format=rss``), to be confirmed by fetching them.

Every finding carries its evidence: what matched, and where.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.platforms.texts import joined_text

HERE = resources.files("crawler.discovery")  # inside an egg too
FINGERPRINTS_FILE = HERE / "fingerprints.toml"
LINKS_FILE = HERE / "links.toml"
PLATFORMS = (
    "civicplus",
    "govaccess",
    "opencities",
    "wordpress",
    "drupal",
    "squarespace",
    "revize",
    "wix",
    "social",
    "unknown",
)
_POLICE_WORDS = re.compile(r"\b(police|sheriff|marshal|public safety|constable)", re.I)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "edu", "k12", "ci", "us", "state"}


@dataclass(frozen=True)
class Rule:
    """One rule of a data file: a compiled pattern, where it looks, its weight and example."""

    kind: str
    where: str
    pattern: re.Pattern
    weight: int
    what: str
    example: str


@dataclass(frozen=True)
class Evidence:
    """What matched (``matched``), found where (``where``: a URL), by which rule (``what``)."""

    what: str
    matched: str
    where: str
    weight: int = 0

    def __str__(self) -> str:
        return f"{self.what}: {self.matched!r} on {self.where}"


@dataclass(frozen=True)
class Fingerprint:
    """A page's platform (one of :data:`PLATFORMS`), its score and the evidence for it."""

    platform: str
    score: int
    evidence: tuple[Evidence, ...] = ()
    scores: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """A candidate link: absolute ``url``, its text, score and why it scored."""

    url: str
    text: str
    score: int
    evidence: tuple[Evidence, ...] = ()


@cache
def _rules(path: Path, section: str) -> tuple[Rule, ...]:
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    rules = []
    for number, raw in enumerate(table.get(section, []), start=1):
        try:
            pattern = re.compile(raw["pattern"], re.I)
        except (KeyError, re.error) as exc:
            raise ValueError(f"{path}: [[{section}]] #{number}: bad pattern ({exc})") from None
        rules.append(
            Rule(
                kind=raw.get("platform", section),
                where=raw.get("in", "html"),
                pattern=pattern,
                weight=int(raw.get("weight", 0)),
                what=raw.get("what", f"{section} rule #{number}"),
                example=raw["example"],
            )
        )
    return tuple(rules)


def fingerprint_rules() -> tuple[Rule, ...]:
    """The rules of ``fingerprints.toml``."""
    return _rules(FINGERPRINTS_FILE, "rule")


def link_rules(section: str) -> tuple[Rule, ...]:
    """The ``listing``, ``skip`` or ``police`` rules of ``links.toml``."""
    return _rules(LINKS_FILE, section)


@cache
def _threshold() -> int:
    with FINGERPRINTS_FILE.open("rb") as handle:
        return int(tomllib.load(handle).get("threshold", 3))


def fingerprint(html: str, url: str) -> Fingerprint:
    """The platform of a page, from its markup and address.

    Each platform scores the weights of its rules that match (a rule counts once); the best
    score wins when it reaches the threshold. A social-media address is ``social``; no
    platform above the threshold is ``unknown`` (with whatever evidence there was).
    """
    scores: dict[str, int] = {}
    evidence: dict[str, list[Evidence]] = {}
    for rule in fingerprint_rules():
        found = rule.pattern.search(url if rule.where == "url" else html or "")
        if not found:
            continue
        scores[rule.kind] = scores.get(rule.kind, 0) + rule.weight
        snippet = " ".join(found.group(0).split())[:120]
        evidence.setdefault(rule.kind, []).append(Evidence(rule.what, snippet, url, rule.weight))
    if scores.get("social", 0) >= _threshold():
        return Fingerprint("social", scores["social"], tuple(evidence["social"]), scores)
    ranked = sorted(
        ((score, PLATFORMS.index(p), p) for p, score in scores.items()), key=lambda t: (-t[0], t[1])
    )
    if ranked and ranked[0][0] >= _threshold():
        platform = ranked[0][2]
        return Fingerprint(platform, ranked[0][0], tuple(evidence[platform]), scores)
    every = tuple(e for found in evidence.values() for e in found)
    return Fingerprint("unknown", ranked[0][0] if ranked else 0, every, scores)


# -- addresses ----------------------------------------------------------------------------------


def site_family(url: str) -> str:
    """The registrable part of a URL's host: ``police.riverton.test`` → ``riverton.test``,
    ``www.ci.anytown.mn.us`` → ``anytown.mn.us``, ``co.mineral.mt.us`` → ``mineral.mt.us``."""
    host = (urlsplit(url).hostname or "").lower()
    labels = [label for label in host.split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    keep = 2
    if labels[-1] == "us" or (labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2):
        keep = 3  # anytown.mn.us, city.gov.uk-style
    family = labels[-keep:]
    while family and family[0] in _SECOND_LEVEL | {"www"} and keep < len(labels):
        keep += 1
        family = labels[-keep:]
    return ".".join(family)


def same_family(a: str, b: str) -> bool:
    """Whether two URLs belong to one organisation's sites (the same :func:`site_family`)."""
    return bool(site_family(a)) and site_family(a) == site_family(b)


def absolute(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``, without its fragment; None for non-http links."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    joined = urljoin(base, href)
    parts = urlsplit(joined)
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _relative(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _anchors(page: Selector, url: str) -> list[tuple[str, str]]:
    found = []
    for anchor in page.css("a[href]"):
        link = absolute(url, anchor.attrib.get("href"))
        if link:
            text = (
                joined_text(anchor)
                or anchor.attrib.get("title", "")
                or anchor.attrib.get("aria-label", "")
            )
            found.append((link, " ".join(text.split())))
    return found


def page_title(html: str) -> str:
    """The page's ``<title>``, whitespace collapsed."""
    return " ".join(Selector(text=html or "<html/>").css("title::text").get(default="").split())


def is_police_site(html: str, url: str) -> bool:
    """Whether a page is a police department's or sheriff's own site rather than a city's
    or county's: its title, site name or address says police, sheriff, marshal."""
    page = Selector(text=html or "<html/>")
    names = " ".join(
        [
            page.css("title::text").get(default=""),
            page.css('meta[property="og:site_name"]::attr(content)').get(default=""),
        ]
    )
    host = urlsplit(url).hostname or ""
    return bool(_POLICE_WORDS.search(names)) or bool(
        re.search(r"(^|\.)(police|pd|sheriff)\.|(police|sheriff|pd)[a-z]*\.", host)
    )


# -- feeds --------------------------------------------------------------------------------------


def find_feeds(html: str, url: str) -> list[Link]:
    """Feeds a page names: ``<link rel="alternate">`` of an RSS/Atom type (comment feeds left
    out), then links to CivicPlus ``RSSFeed.aspx?ModID=1``, ``/feed/``, ``rss.xml`` or
    ``?format=rss``. Same organisation's sites only; in page order, no repeats."""
    page = Selector(text=html or "<html/>")
    feeds: dict[str, Link] = {}
    for node in page.css('link[rel~="alternate"]'):
        kind = (node.attrib.get("type") or "").lower()
        title = " ".join((node.attrib.get("title") or "").split())
        link = absolute(url, node.attrib.get("href"))
        if not link or kind not in _FEED_TYPES or not same_family(link, url):
            continue
        if "comments" in title.lower() or "/comments/feed" in link:
            continue
        proof = Evidence("feed autodiscovery <link rel=alternate>", title or kind, url, 5)
        feeds.setdefault(link, Link(link, title, 5, (proof,)))
    pattern = re.compile(
        r"RSSFeed\.aspx\?ModID=1(&|$)|/feed/?$|/rss\.xml$|[?&]format=rss$|/rss/?$", re.I
    )
    for link, text in _anchors(page, url):
        if pattern.search(link) and same_family(link, url) and "/comments/" not in link:
            proof = Evidence("link to a feed", text or _relative(link), url, 3)
            feeds.setdefault(link, Link(link, text, 3, (proof,)))
    return list(feeds.values())


def feed_guesses(platform: str, homepage: str, listing: str | None) -> list[tuple[str, str]]:
    """Feed addresses the platform serves by convention, to confirm by fetching: ``(url, why)``.

    CivicPlus: the News Flash RSS page ``/rss.aspx`` (it lists ``RSSFeed.aspx?ModID=1&CID=…``)
    and the all-categories feed; WordPress: the listing's feed, ``/feed/``, and ``/wp-json/``;
    Drupal: ``/rss.xml``; Squarespace: the listing with ``?format=rss``.
    """
    root = absolute(listing or homepage, "/") or homepage
    guesses: list[tuple[str, str]] = []
    if platform == "civicplus":
        guesses += [
            (urljoin(root, "/rss.aspx"), "CivicPlus RSS page /rss.aspx"),
            (
                urljoin(root, "/RSSFeed.aspx?ModID=1&CID=All-newsflash.xml"),
                "CivicPlus News Flash feed RSSFeed.aspx?ModID=1",
            ),
        ]
    elif platform == "wordpress":
        if listing and "/category/" in listing:
            guesses.append(
                (listing.rstrip("/") + "/feed/", "WordPress category feed <listing>/feed/")
            )
        guesses.append((urljoin(root, "/feed/"), "WordPress site feed /feed/"))
        guesses.append((urljoin(root, "/wp-json/"), "WordPress REST API /wp-json/"))
    elif platform == "drupal":
        guesses.append((urljoin(root, "/rss.xml"), "Drupal front-page feed /rss.xml"))
    elif platform == "squarespace" and listing:
        sep = "&" if urlsplit(listing).query else "?"
        guesses.append((f"{listing}{sep}format=rss", "Squarespace collection feed ?format=rss"))
    return guesses


def civicplus_feed_for(feeds: list[str], listing: str | None) -> str | None:
    """Of CivicPlus ``RSSFeed.aspx?ModID=1&CID=…`` feeds, the one of the listing's category
    (``CivicAlerts.aspx?CID=2`` → ``CID=Police-News-2``), else the all-categories one."""
    category = None
    if listing:
        query = dict(parse_qsl(urlsplit(listing).query))
        category = query.get("CID") or query.get("cat")
    news = [f for f in feeds if re.search(r"ModID=1(&|$)", f)]
    if category:
        for feed in news:
            cid = dict(parse_qsl(urlsplit(feed).query)).get("CID", "")
            if re.search(rf"(^|-){re.escape(category)}(\.xml)?$", cid):
                return feed
    for feed in news:
        if "all-newsflash" in feed.lower():
            return feed
    return news[0] if len(news) == 1 else None


# -- listings and the police page ---------------------------------------------------------------


def _score(
    link: str, text: str, rules: tuple[Rule, ...], where: str, full_url: bool = False
) -> tuple[int, list]:
    score, proof = 0, []
    for rule in rules:
        subject = text if rule.where == "text" else (link if full_url else _relative(link))
        if subject and rule.pattern.search(subject):
            score += rule.weight
            shown = text if rule.where == "text" else _relative(link)
            proof.append(Evidence(f"{rule.where}: {rule.what}", shown, where, rule.weight))
    return score, proof


def _skipped(link: str, text: str) -> bool:
    for rule in link_rules("skip"):
        subject = text if rule.where == "text" else _relative(link)
        if subject and rule.pattern.search(subject):
            return True
    return False


def find_listings(html: str, url: str, police_only: bool = False) -> list[Link]:
    """Links of a page that look like its news / press-release listing, best first.

    Scored by ``links.toml``: the link's text ("Press Releases", "News Flash", "Police News")
    and address (``CivicAlerts.aspx?CID=N``, ``/category/press-releases/``, ``/news``). Single
    articles, files, feeds and "Read more" links are never listings; links off the
    organisation's sites are ignored. With ``police_only``, a link must mention the police or
    sheriff (in its text or address) or score on its text alone at least 5. The same address
    linked several times keeps its best score, plus one per extra link (menus and "View all").
    """
    page = Selector(text=html or "<html/>")
    best: dict[str, Link] = {}
    seen: dict[str, int] = {}
    for link, text in _anchors(page, url):
        if (
            not same_family(link, url)
            or _skipped(link, text)
            or link.rstrip("/") == url.rstrip("/")
        ):
            continue
        score, proof = _score(link, text, link_rules("listing"), url)
        if score < 3:
            continue
        if police_only and not (_POLICE_WORDS.search(text) or _POLICE_WORDS.search(link)):
            text_score = sum(e.weight for e in proof if e.what.startswith("text:"))
            if text_score < 5:
                continue
        seen[link] = seen.get(link, 0) + 1
        if link not in best or score > best[link].score - (seen[link] - 2):
            best[link] = Link(link, text, score, tuple(proof))
    ranked = [
        Link(link.url, link.text, link.score + seen[link.url] - 1, link.evidence)
        for link in best.values()
    ]
    return sorted(ranked, key=lambda link: -link.score)


def find_police_page(html: str, url: str) -> Link | None:
    """On a city's or county's homepage, the best link to its police department's or sheriff's
    own page (same organisation's sites), or None."""
    page = Selector(text=html or "<html/>")
    best: Link | None = None
    for link, text in _anchors(page, url):
        if not same_family(link, url) or link.rstrip("/") == url.rstrip("/"):
            continue
        if re.search(r"news|release", text, re.I):
            continue
        score, proof = _score(link, text, link_rules("police"), url, full_url=True)
        if score >= 4 and (best is None or score > best.score):
            best = Link(link, text, score, tuple(proof))
    return best
