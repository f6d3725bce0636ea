"""The source list: what a valid entry looks like, and the errors a broken one gives."""

from pathlib import Path

import pytest

from crawler.sources import Source, SourceListError, load_sources, select_sources

ROOT = Path(__file__).resolve().parent.parent

GOOD = """
[[source]]
id = "riverton-oh-pd"
name = "Riverton Police Department"
state = "OH"
timezone = "America/New_York"
platform = "civicplus"
listing_url = "https://www.riverton.example/CivicAlerts.aspx?CID=2"

[[source]]
id = "novato-ca-pd"
name = "Novato Police Department"
state = "CA"
timezone = "America/Los_Angeles"
platform = "nixle"
listing_url = "https://local.nixle.com/novato-police-ca/"
enabled = false
disabled_reason = "Nixle's terms forbid automated access"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_a_valid_list_loads_every_entry(tmp_path):
    sources = load_sources(write(tmp_path, GOOD))
    assert [s.id for s in sources] == ["riverton-oh-pd", "novato-ca-pd"]
    assert sources[0].enabled and not sources[1].enabled
    assert sources[0].netloc == "www.riverton.example"


def test_every_fault_is_named_with_file_entry_and_field(tmp_path):
    text = (
        GOOD.replace('state = "OH"', 'state = "Ohio"')
        .replace('timezone = "America/New_York"', 'timezone = "Mars/Olympus"\ncolour = "blue"')
        .replace("https://www.riverton.example/", "ftp://www.riverton.example/")
    )
    path = write(tmp_path, text)
    with pytest.raises(SourceListError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert str(path) in message
    assert "source #1 ('riverton-oh-pd'): unknown field 'colour'" in message
    assert "field 'state' must be a two-letter US code, got 'Ohio'" in message
    assert "field 'timezone' is not an IANA timezone: 'Mars/Olympus'" in message
    assert "field 'listing_url' must be an http(s) URL" in message


def test_missing_fields_and_duplicate_ids(tmp_path):
    text = GOOD.replace('platform = "civicplus"\n', "") + GOOD.split("[[source]]")[1].join(
        ["[[source]]", ""]
    )
    with pytest.raises(SourceListError) as caught:
        load_sources(write(tmp_path, text))
    assert "source #1 ('riverton-oh-pd'): missing field 'platform'" in str(caught.value)
    assert "source #3 ('riverton-oh-pd'): duplicate id" not in str(caught.value)


def test_duplicate_id_points_at_the_first_use(tmp_path):
    first = GOOD.split("[[source]]")[1]
    with pytest.raises(
        SourceListError,
        match=r"source #2 \('riverton-oh-pd'\): duplicate id "
        r"'riverton-oh-pd' \(first used by source #1\)",
    ):
        load_sources(write(tmp_path, "[[source]]" + first + "[[source]]" + first))


def test_a_disabled_entry_needs_a_reason_and_nixle_cannot_be_enabled(tmp_path):
    text = GOOD.replace("enabled = false\n", "")
    with pytest.raises(SourceListError, match="platform 'nixle' is never crawled"):
        load_sources(write(tmp_path, text))
    text = GOOD.replace('disabled_reason = "Nixle\'s terms forbid automated access"\n', "")
    with pytest.raises(SourceListError, match="'disabled_reason' is required"):
        load_sources(write(tmp_path, text))


def test_generic_platform_needs_its_selectors(tmp_path):
    text = GOOD.replace('platform = "civicplus"', 'platform = "generic"')
    with pytest.raises(SourceListError, match="platform 'generic' needs selectors.link"):
        load_sources(write(tmp_path, text))
    text = text.replace(
        'listing_url = "https://www.riverton.example/CivicAlerts.aspx?CID=2"',
        'listing_url = "https://www.riverton.example/news"\n'
        '[source.selectors]\nlink = "ul.news a"\nbody = "div.story"\n',
    )
    assert load_sources(write(tmp_path, text))[0].selectors == {
        "link": "ul.news a",
        "body": "div.story",
    }


def test_broken_toml_and_missing_file_name_the_file(tmp_path):
    with pytest.raises(SourceListError, match="not valid TOML"):
        load_sources(write(tmp_path, "[[source]\nid ="))
    with pytest.raises(SourceListError, match="(?s)nope.toml: 1 problem.*file not found"):
        load_sources(tmp_path / "nope.toml")


def test_an_unknown_source_id_lists_the_ids_that_exist(tmp_path):
    sources = load_sources(write(tmp_path, GOOD))
    assert [s.id for s in select_sources(sources, "novato-ca-pd")] == ["novato-ca-pd"]
    with pytest.raises(
        SourceListError,
        match="unknown source id 'hartford'; the ids are: novato-ca-pd, riverton-oh-pd",
    ):
        select_sources(sources, "hartford")


@pytest.mark.parametrize("name", ["seeds/sources.toml", "seeds/demo.toml"])
def test_the_bundled_lists_are_valid(name):
    sources = load_sources(ROOT / name)
    assert len({s.id for s in sources}) == len(sources)


def test_the_real_list_covers_25_agencies_10_states_5_platforms():
    sources = load_sources(ROOT / "seeds/sources.toml")
    enabled = [s for s in sources if s.enabled]
    assert len(sources) >= 25
    assert len({s.state for s in sources}) >= 10
    assert len({s.platform for s in enabled}) >= 5
    assert all(s.disabled_reason for s in sources if not s.enabled)


def test_an_agencies_row_reads_back_as_the_same_source(tmp_path):
    text = GOOD.replace(
        'listing_url = "https://www.riverton.example/CivicAlerts.aspx?CID=2"',
        'listing_url = "https://www.riverton.example/CivicAlerts.aspx?CID=2"\n'
        '[source.selectors]\nbody = "div.story"\n',
        1,
    )
    for source in load_sources(write(tmp_path, text)):
        assert Source.from_row(source.as_row()) == source.__class__(
            **{**vars(source), "notes": None}
        )


HOSTS = GOOD.replace(
    'listing_url = "https://www.riverton.example/CivicAlerts.aspx?CID=2"',
    'listing_url = "https://www.riverton.example/CivicAlerts.aspx?CID=2"\n'
    'hosts = ["www.riverton-oh.example"]',
    1,
)


def test_a_source_may_list_hosts_of_its_own(tmp_path):
    source = load_sources(write(tmp_path, HOSTS))[0]
    assert source.hosts == ("www.riverton-oh.example",)
    # the listing's host and each extra host, with or without www.
    assert source.same_site("https://riverton.example/CivicAlerts.aspx?AID=7")
    assert source.same_site("https://www.riverton-oh.example/CivicAlerts.aspx?AID=7")
    assert source.same_site("https://riverton-oh.example/DocumentCenter/View/9/Release")
    assert not source.same_site("https://riverton-oh.example.evil.test/")
    assert not source.same_site("https://www.riverton-ohio.example/")
    assert Source.from_row(source.as_row()).hosts == source.hosts


def test_hosts_are_validated_like_the_other_fields(tmp_path):
    bad = HOSTS.replace(
        'hosts = ["www.riverton-oh.example"]',
        'hosts = ["https://www.riverton-oh.example/news", "www.riverton.example", "a b", 7]',
    )
    with pytest.raises(SourceListError) as caught:
        load_sources(write(tmp_path, bad))
    message = str(caught.value)
    assert "field 'hosts' holds 'https://www.riverton-oh.example/news', which is not a host" in (
        message
    )
    assert "field 'hosts' repeats the listing URL's own host 'www.riverton.example'" in message
    assert "field 'hosts' holds 'a b'" in message and "field 'hosts' holds 7" in message
    not_a_list = HOSTS.replace('["www.riverton-oh.example"]', '"www.riverton-oh.example"')
    with pytest.raises(SourceListError, match="field 'hosts' must be a list of host names"):
        load_sources(write(tmp_path, not_a_list))


def test_a_feed_on_another_host_needs_that_host_listed(tmp_path):
    text = GOOD.replace(
        'platform = "civicplus"',
        'platform = "civicplus"\nfeed_url = "https://riverton-oh.example/RSSFeed.aspx?ModID=1"',
        1,
    )
    with pytest.raises(SourceListError, match="'feed_url' is on 'riverton-oh.example'.*hosts"):
        load_sources(write(tmp_path, text))
    listed = text.replace(
        'platform = "civicplus"', 'platform = "civicplus"\nhosts = ["riverton-oh.example"]', 1
    )
    assert load_sources(write(tmp_path, listed))[0].feed_url.startswith("https://riverton-oh")
