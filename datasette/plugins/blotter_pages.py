"""blotter's Datasette plugin (loaded by ``make serve``): pages that read well.

- bonds print as dollars ($2,000,000) and ``release_id`` links to the release's page;
- a release's page (``datasette/templates/row.html``) gets the release with its agency, the
  people named in it with their charges and bond, and its text as paragraphs
  (``release_page``), read by the store (``pipelines.store.views.release_page``);
- a canned query's input error reads as the message it raises (the ``blotter_error`` filter).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from datasette import hookimpl
from pipelines.store.views import release_page as read_release_page

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
        page = await read_release_page(datasette.get_database(database), int(pks))
        return {"release_page": page} if page else {}

    return release_page
