"""Homepages for the demo agencies: the front doors `make discover` starts from.

Each demo site (``seeds/demo/content/<host>.toml``) gets a homepage (``index.html``) in its
platform's markup, with the navigation real department sites have: a menu with the news
listing among calendars, agendas, records requests and employment links, a quick-links box,
the feeds the platform advertises (``<link rel="alternate">``) and the platform's footer. Where
``seeds/demo/homepages.toml`` says the registry lists a city's site rather than the
department's, that city homepage is rendered too, with its "Police" link in a Departments menu
beside the city's own news; a police page can also sit on the city's site (``police_page``).
CivicPlus sites get the ``/rss.aspx`` page listing their News Flash feeds.

``homepage_files(content, homepages)`` returns ``{path under sites/: bytes}``; the demo site
generator (:mod:`sitegen.demo_sites`) adds them to its tree. Deterministic, like the sites.
"""

from __future__ import annotations

import tomllib
from html import escape
from pathlib import Path

HOMEPAGES_FILE = Path(__file__).resolve().parent.parent / "seeds" / "demo" / "homepages.toml"
COPYRIGHT_YEAR = 2026


class HomepageError(ValueError):
    """A homepages description that cannot be rendered; the message names the entry."""


def load_homepages(path: Path = HOMEPAGES_FILE) -> list[dict]:
    """The ``[[agency]]`` entries of ``homepages.toml``."""
    with path.open("rb") as handle:
        return tomllib.load(handle).get("agency", [])


def _e(text: str) -> str:
    return escape(text, quote=True)


def _town(agency: str) -> str:
    for suffix in (" Police Department", " Sheriff's Office", " Police"):
        if agency.endswith(suffix):
            return agency[: -len(suffix)]
    return agency


def _nav(items: list[tuple[str, str]]) -> str:
    return "\n".join(f'<li><a href="{_e(href)}">{_e(text)}</a></li>' for text, href in items)


def _menu(site: dict, entry: dict) -> list[tuple[str, str]]:
    """The department's main menu: its news among the links every department site has."""
    return [
        ("Home", "/"),
        ("About Us", "/#about"),
        (entry["news_label"], entry["news"]),
        ("Records Requests", "/#records"),
        ("Community Programs", "/#community"),
        ("Employment", "/#careers"),
        ("Contact Us", "/#contact"),
    ]


def _quick_links() -> str:
    links = [
        ("File a Report Online", "/#report"),
        ("Pay a Parking Ticket", "/#pay"),
        ("Crime Map", "/#map"),
        ("Calendar", "/#calendar"),
        ("Sex Offender Registry", "/#registry"),
    ]
    return '<ul class="quickLinks">' + _nav(links) + "</ul>"


def _page(head: str, body_class: str, body: str, title: str) -> bytes:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n{head}</head>\n"
        f'<body class="{body_class}">\n{body}\n</body>\n</html>\n'
    ).encode()


def _feed_link(href: str, title: str, kind: str = "application/rss+xml") -> str:
    return f'<link rel="alternate" type="{kind}" title="{_e(title)}" href="{_e(href)}">\n'


def _civicplus(site: dict, entry: dict) -> bytes:
    agency, state = site["agency"], site["state"]
    head = (
        '<link rel="stylesheet" href="/-1128608620.css">\n'
        '<link rel="stylesheet" href="/Assets/Styles/Print.css" media="print">\n'
    )
    body = f"""<input type="hidden" id="cpcDomain" value="https://cp-demo.civicplus.test">
<div id="divSiteWrapper">
<header id="bannerContainer"><div class="siteLogo"><a href="/">{_e(agency)}</a></div>
<p class="siteTagline">{_e(_town(agency))}, {state}</p></header>
<nav id="mainNav" aria-label="Main"><ul class="rootNav">
{_nav([("Home", "/"), ("Divisions", "/552/Divisions"), ("Services", "/553/Services")])}
<li><a href="{_e(entry["news"])}">{_e(entry["news_label"])}</a></li>
{_nav([("Agenda Center", "/AgendaCenter"), ("Contact Us", "/Directory.aspx")])}
</ul></nav>
<main id="moduleContent"><h1>Welcome to the {_e(agency)}</h1>
<div class="widget newsFlash"><h2 class="widgetHeader">News Flash</h2>
<a class="widgetViewAll" href="{_e(entry["news"])}">View All</a></div>
<div class="widget QuickLinks"><h2 class="widgetHeader">Quick Links</h2>{_quick_links()}</div>
</main>
<footer id="footer"><ul class="footerLinks">
{
        _nav(
            [
                ("Site Map", "/sitemap"),
                ("Accessibility", "/accessibility"),
                ("RSS", "/rss.aspx"),
                ("Notify Me®", "/list.aspx"),
            ]
        )
    }
</ul>
<span class="cpBylineTextTS">Government Websites by <a href="https://connect.civicplus.test/referral">CivicPlus&reg;</a></span>
</footer></div>"""
    return _page(head, "civicengage home", body, f"{agency}, {state} | Official Website")


def _civicplus_rss(site: dict, entry: dict) -> bytes:
    feeds = [("News Flash", entry["feed"], "Police News")] if entry.get("feed") else []
    feeds.append(("Calendar", "/RSSFeed.aspx?ModID=58&CID=All-calendar.xml", "All Calendars"))
    rows = "\n".join(
        f'<tr><td>{_e(module)}</td><td><a href="{_e(href)}">{_e(name)}</a></td></tr>'
        for module, href, name in feeds
    )
    body = f"""<div id="divSiteWrapper"><h1>RSS Feeds</h1>
<p>Subscribe to {_e(site["agency"])} news in your feed reader.</p>
<table class="rssFeeds"><tr><th>Module</th><th>Feed</th></tr>
{rows}
</table>
<span class="cpBylineTextTS">Government Websites by <a href="https://connect.civicplus.test/referral">CivicPlus&reg;</a></span></div>"""
    return _page("", "civicengage", body, f"RSS • {site['agency']}")


def _wordpress(site: dict, entry: dict) -> bytes:
    agency, host = site["agency"], site["host"]
    head = (
        '<meta name="generator" content="WordPress 6.6.2">\n'
        f"{_feed_link(entry['feed'], f'{agency} &raquo; Feed')}"
        f"{_feed_link('/comments/feed/', f'{agency} &raquo; Comments Feed')}"
        '<link rel="https://api.w.org/" href="/wp-json/">\n'
        "<link rel='stylesheet' id='agency-style-css' "
        "href='/wp-content/themes/agency/style.css?ver=2.4' media='all'>\n"
        "<script src='/wp-includes/js/jquery/jquery.min.js?ver=3.7.1'></script>\n"
    )
    body = f"""<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
<p class="site-title"><a href="/" rel="home">{_e(agency)}</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
{_nav(_menu(site, entry))}
</ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<section class="hero"><h1>Serving {_e(_town(agency))} since 1911</h1>
<p><a class="button" href="{_e(entry["news"])}">Latest {_e(entry["news_label"])}</a></p></section>
<aside class="widget widget_links"><h2 class="widget-title">Quick Links</h2>{_quick_links()}</aside>
</main></div>
<footer id="colophon" class="site-footer"><p>&copy; {COPYRIGHT_YEAR} {_e(agency)} &middot;
<a href="https://wordpress.org/">Proudly powered by WordPress</a></p>
<p class="host">{_e(host)}</p></footer>"""
    return _page(head, "home page-template-default", body, f"{agency} – Official site")


def _drupal(site: dict, entry: dict) -> bytes:
    agency = site["agency"]
    head = (
        '<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">\n'
        '<link rel="icon" href="/sites/default/files/favicon.ico">\n'
        '<script type="application/json" data-drupal-selector="drupal-settings-json">'
        '{"path":{"baseUrl":"\\/","currentPath":"node\\/1"}}</script>\n'
    )
    body = f"""<a href="#main-content" class="visually-hidden focusable skip-link">
Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<header role="banner"><a href="/" rel="home" class="site-branding__name">{_e(agency)}</a>
<nav role="navigation" aria-labelledby="block-main-menu"><ul class="menu menu--main">
{_nav(_menu(site, entry))}
</ul></nav></header>
<main id="main-content" role="main"><h1 class="page-title">Welcome</h1>
<div class="views-element-container"><h2>Recent {_e(entry["news_label"])}</h2>
<a class="more-link" href="{_e(entry["news"])}">More {_e(entry["news_label"].lower())}</a></div>
<div class="block-quick-links"><h2>Quick Links</h2>{_quick_links()}</div></main>
<footer role="contentinfo"><p>&copy; {COPYRIGHT_YEAR} {_e(agency)}</p></footer></div>"""
    return _page(head, "path-frontpage", body, f"Home | {agency}")


def _opencities(site: dict, entry: dict) -> bytes:
    agency, state = site["agency"], site["state"]
    town = _town(agency)
    head = '<link rel="stylesheet" href="/files/assets/public/css/oc-theme.css">\n'
    body = f"""<header class="oc-header"><a class="oc-logo" href="/">{_e(town)}, {state}</a>
<nav class="oc-main-nav"><ul>
{
        _nav(
            [
                ("Home", "/"),
                ("Police", "/Government/Departments/Police"),
                (entry["news_label"], entry["news"]),
                ("CompStat Reports", "/#compstat"),
                ("Contact Us", "/#contact"),
            ]
        )
    }
</ul></nav></header>
<main class="oc-page"><h1>{_e(agency)}</h1>
<section class="oc-news-feature"><h2>{_e(agency)} news</h2>
<a class="oc-view-all" href="{_e(entry["news"])}">View all news</a></section>
<section class="oc-quick-links"><h2>I want to</h2>{_quick_links()}</section></main>
<footer class="oc-footer"><a href="/#privacy">Privacy</a> &middot;
<a href="https://granicus.test/opencities">Powered by OpenCities</a></footer>"""
    return _page(head, "oc-home", body, f"{agency} - {town}")


def _govaccess(site: dict, entry: dict) -> bytes:
    town = _town(site["agency"])
    police = entry.get("police_page", "/")
    head = '<link rel="stylesheet" href="/Areas/GovAccess/Styles/site.css">\n'
    body = f"""<a href="#main">Skip to Main Content</a>
<header class="ga-header"><a href="/">City of {_e(town)}, {site["state"]}</a>
<nav class="ga-nav"><ul>
{
        _nav(
            [
                ("Home", "/"),
                ("Our City", "/our-city"),
                ("Police", police),
                ("Agendas & Minutes", "/Home/Components/Calendar/Event/Index"),
                ("News", "/Home/Components/News/News"),
                ("Contact Us", "/#contact"),
            ]
        )
    }
</ul></nav></header>
<main id="main"><h1>Welcome to the City of {_e(town)}</h1>
<section class="ga-news"><h2>City news</h2>
<a href="/Home/Components/News/News">All news</a></section>
<section><h2>Documents</h2><a href="/Home/ShowDocument?id=1204">Adopted Budget</a></section>
{_quick_links()}</main>
<footer class="ga-footer">Government websites by
<a href="https://granicus.test/govaccess">Granicus govAccess</a></footer>"""
    return _page(head, "ga-home", body, f"City of {town}, {site['state']} | Official Website")


def _govaccess_police(site: dict, entry: dict) -> bytes:
    agency = site["agency"]
    body = f"""<header class="ga-header"><a href="/">City of {_e(_town(agency))}, {
        site["state"]
    }</a></header>
<main id="main"><h1>{_e(agency)}</h1>
<p>The {_e(agency)} serves the city's residents around the clock.</p>
<nav class="ga-subnav"><ul>
{
        _nav(
            [
                ("Patrol Division", "/our-city/departments/police/patrol"),
                (entry["news_label"], entry["news"]),
                ("Records", "/our-city/departments/police/records"),
                ("Join the Department", "/our-city/departments/police/careers"),
            ]
        )
    }
</ul></nav></main>
<footer class="ga-footer">Government websites by
<a href="https://granicus.test/govaccess">Granicus govAccess</a></footer>"""
    return _page("", "ga-page", body, f"Police | City of {_town(agency)}")


def _squarespace(site: dict, entry: dict) -> bytes:
    agency = site["agency"]
    head = (
        "<!-- This is Squarespace. --><!-- port-alden-pd -->\n"
        '<link rel="stylesheet" href="https://static1.squarespace.test/static/versioned-site-css/'
        '5f1a/site.css">\n'
        '<script>Static.SQUARESPACE_CONTEXT = {"website":{"siteTitle":"'
        f'{_e(agency)}"' + "}};</script>\n"
    )
    body = f"""<header class="Header"><a class="Header-branding" href="/">{_e(agency)}</a>
<nav class="Header-nav"><div class="Header-nav-inner">
<a href="/" class="Header-nav-item">Home</a>
<a href="{_e(entry["news"])}" class="Header-nav-item">{_e(entry["news_label"])}</a>
<a href="/about" class="Header-nav-item">About</a>
<a href="/contact" class="Header-nav-item">Contact</a></div></nav></header>
<main class="Main"><section class="Index-page"><h1>{_e(agency)}</h1>
<p><a href="/news">Read our latest news</a></p>
<img src="https://images.squarespace-cdn.test/content/v1/5f1a/cruiser.jpg" alt=""></section></main>
<footer class="Footer">&copy; {COPYRIGHT_YEAR} {_e(agency)}</footer>"""
    return _page(head, "homepage", body, agency)


def _city_civicplus(city: dict, site: dict) -> bytes:
    name = city["name"]
    body = f"""<input type="hidden" id="cpcDomain" value="https://cp-demo.civicplus.test">
<div id="divSiteWrapper">
<header id="bannerContainer"><div class="siteLogo"><a href="/">{_e(name)}</a></div></header>
<nav id="mainNav" aria-label="Main"><ul class="rootNav">
<li><a href="/549/Government">Government</a><ul class="subNav">
<li><a href="/AgendaCenter">Agendas &amp; Minutes</a></li>
<li><a href="/560/City-Council">City Council</a></li></ul></li>
<li><a href="/550/Departments">Departments</a><ul class="subNav">
<li><a href="/561/Public-Works">Public Works</a></li>
<li><a href="/562/Parks-Recreation">Parks &amp; Recreation</a></li>
<li><a href="{_e(city["police"])}">Police</a></li>
<li><a href="/563/Fire-Department">Fire Department</a></li></ul></li>
<li><a href="/551/Community">Community</a></li>
<li><a href="/548/I-Want-To">I Want To...</a></li>
</ul></nav>
<main id="moduleContent"><h1>Welcome to the {_e(name)}, {site["state"]}</h1>
<div class="widget newsFlash"><h2 class="widgetHeader">City News Flash</h2>
<a class="widgetViewAll" href="/CivicAlerts.aspx?CID=1">View All</a></div>
<div class="widget QuickLinks"><h2 class="widgetHeader">Quick Links</h2>{_quick_links()}</div>
</main>
<footer id="footer"><a href="/rss.aspx">RSS</a>
<span class="cpBylineTextTS">Government Websites by <a href="https://connect.civicplus.test/referral">CivicPlus&reg;</a></span>
</footer></div>"""
    return _page("", "civicengage home", body, f"{name}, {site['state']} | Official Website")


RENDERERS = {
    "civicplus": _civicplus,
    "wordpress": _wordpress,
    "drupal": _drupal,
    "opencities": _opencities,
    "govaccess": _govaccess,
    "squarespace": _squarespace,
}


def _server_path(href: str) -> str:
    """The file under a site's root that the demo server answers ``href`` (a path) from."""
    path, _, query = href.partition("?")
    name = path.strip("/")
    if query:
        return f"{name}@{query}"
    return f"{name}/index.html" if name else "index.html"


def homepage_files(content: list[dict], homepages: list[dict]) -> dict[Path, bytes]:
    """Every homepage file, keyed by path relative to ``sites/`` (``<host>/index.html`` …).

    ``content`` is the parsed ``seeds/demo/content/*.toml``, ``homepages`` the entries of
    ``homepages.toml``. Raises ``HomepageError`` for an entry naming no demo site, or missing
    ``news``/``news_label``.
    """
    sites = {data["site"]["host"]: data["site"] for data in content}
    files: dict[Path, bytes] = {}
    for number, entry in enumerate(homepages, start=1):
        host = entry.get("host")
        if host not in sites:
            raise HomepageError(f"homepages.toml: agency #{number}: no demo site {host!r}")
        for key in ("news", "news_label"):
            if not entry.get(key):
                raise HomepageError(f"homepages.toml: agency #{number} ({host}): missing {key!r}")
        site = sites[host]
        files[Path(host) / "index.html"] = RENDERERS[site["platform"]](site, entry)
        if site["platform"] == "civicplus":
            files[Path(host) / "rss.aspx"] = _civicplus_rss(site, entry)
        if page := entry.get("police_page"):
            files[Path(host) / _server_path(page)] = _govaccess_police(site, entry)
        if city := entry.get("city"):
            files[Path(city["host"]) / "index.html"] = _city_civicplus(city, site)
            files[Path(city["host"]) / "robots.txt"] = b"User-agent: *\nDisallow: /Search\n"
    return files
