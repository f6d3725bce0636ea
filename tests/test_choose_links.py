"""Which release links of a listing page an incremental crawl fetches, and whether it pages on."""

from crawler.spiders.releases import choose_links

LINKS = ["http://pd.test/news/2", "http://pd.test/news/1?utm_source=x"]
KNOWN = {"http://pd.test/news/1"}  # canonical: the tracking parameter is not part of the key


def test_a_full_pass_fetches_every_link_and_pages_on():
    assert choose_links(LINKS, KNOWN, full_pass=True, not_modified=True) == (LINKS, True)


def test_a_changed_page_with_new_links_fetches_them_and_pages_on():
    assert choose_links(LINKS, KNOWN, full_pass=False, not_modified=False) == (LINKS[:1], True)


def test_a_changed_page_with_nothing_new_rechecks_every_link_and_stops():
    known = KNOWN | {"http://pd.test/news/2"}
    assert choose_links(LINKS, known, full_pass=False, not_modified=False) == (LINKS, False)


def test_a_304_page_fetches_only_links_an_interrupted_run_missed():
    assert choose_links(LINKS, KNOWN, full_pass=False, not_modified=True) == (LINKS[:1], True)
    known = KNOWN | {"http://pd.test/news/2"}
    assert choose_links(LINKS, known, full_pass=False, not_modified=True) == ([], False)


def test_links_are_known_by_the_key_the_listing_made_and_a_full_pass_needs_none():
    keys = {"http://pd.test/news/2": "k2", "http://pd.test/news/1?utm_source=x": "k1"}
    assert choose_links(LINKS, {"k1"}, full_pass=False, not_modified=False, key=keys.get) == (
        LINKS[:1],
        True,
    )

    def no_key(link: str) -> str:
        raise AssertionError(f"a full pass looked up the key of {link}")

    assert choose_links(LINKS, set(), full_pass=True, not_modified=False, key=no_key) == (
        LINKS,
        True,
    )
