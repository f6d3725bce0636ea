"""Fixtures shared by several test modules."""

import pytest

from pipelines.store import Store

GREENFIELD = {
    "id": "greenfield-ma-pd",
    "name": "Greenfield Police Department",
    "state": "MA",
    "timezone": "America/New_York",
    "platform": "wordpress",
    "listing_url": "http://police.greenfield.test/news/",
}


@pytest.fixture
def greenfield_store(tmp_path):
    """An empty database at ``tmp_path/t.db`` that knows one agency, Greenfield (MA)."""
    store = Store(tmp_path / "t.db")
    store.upsert_agencies([GREENFIELD])
    yield store
    store.close()
