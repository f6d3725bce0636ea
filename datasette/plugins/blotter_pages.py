"""blotter's Datasette plugin (loaded by ``make serve``): pages that read well.

- bonds print as dollars ($2,000,000) and ``release_id`` links to the release's page;
- a release's page (``datasette/templates/row.html``) gets the release with its agency, the
  people named in it with their charges and bond, and its text as paragraphs
  (``release_page``); the SQL is the store's (``pipelines.store.views.RELEASE_PAGE_SQL``);
- a canned query's input error reads as the message it raises (the ``blotter_error`` filter).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from datasette import hookimpl
from pipelines.store.views import RELEASE_PAGE_SQL

MONEY_COLUMNS = {"bond_amount", "amount"}
MONEY_TABLES = {None, "arrests", "bonds", "release_people"}  # None: a canned or custom query
_JSON_PATH_ERROR = re.compile(r"^JSON path error near '(.*)'$", re.S)


def dollars(value: object) -> str | None:
    """Whole dollars as a reader writes them ($2,000,000), or None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return f"${value:,}"


def readable_error(error: object) -> str:
    """A canned query's own message without SQLite's wrapping (see datasette/metadata.base.yml)."""
    text = str(error or "")
    match = _JSON_PATH_ERROR.match(text)
    return match.group(1) if match else text


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["blotter_error"] = readable_error
    env.filters["dollars"] = lambda value: dollars(value) or ""


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column in MONEY_COLUMNS and table in MONEY_TABLES:
        return dollars(value)
    if column == "release_id" and table != "releases" and isinstance(value, int):
        href = f"{datasette.urls.table(database, 'releases')}/{value}"
        return Markup(f'<a href="{escape(href)}">{value}</a>')
    return None


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or table != "releases" or request is None:
        return {}

    async def release_page() -> dict:
        pks = request.url_vars.get("pks", "")
        if not pks.isdigit():
            return {}
        db = datasette.get_database(database)
        params = {"id": int(pks)}
        rows = [dict(r) for r in await db.execute(RELEASE_PAGE_SQL["release"], params)]
        if not rows:
            return {}
        release = rows[0]
        people = [dict(r) for r in await db.execute(RELEASE_PAGE_SQL["people"], params)]
        versions = (await db.execute(RELEASE_PAGE_SQL["versions"], params)).first()[0]
        paragraphs = [line.strip() for line in (release["body_text"] or "").splitlines()]
        return {
            "release_page": {
                **release,
                "people": people,
                "paragraphs": [p for p in paragraphs if p],
                "earlier_versions": versions,
            }
        }

    return release_page
