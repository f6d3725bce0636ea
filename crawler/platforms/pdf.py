"""Releases published as PDF: bytes → title, publication date and text, with ``pypdf``.

Pure: bytes in, ``ReleasePage`` out. The title is the PDF's own ``/Title``, else what the page
that linked it called it, else the first line of text. The publication date is the PDF's
``/CreationDate`` (else ``/ModDate``), else the linking page's date, else the HTTP
``Last-Modified`` header: for many PDF-only departments the file's own dates are all there is.
The text keeps one paragraph per block: lines wrapped inside a paragraph are joined again.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime
from email.utils import parsedate_to_datetime
from html import escape
from typing import TYPE_CHECKING

from crawler.platforms.pages import PageError, ReleasePage
from crawler.platforms.published import date_problem, localize
from crawler.sources import Source

if TYPE_CHECKING:
    from pypdf import PdfReader

PDF_MAGIC = b"%PDF-"
_SENTENCE_END = (".", "!", "?", ":", '"', "”", ")")

logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged-but-readable files are common


def is_pdf(body: bytes, content_type: str | None = None) -> bool:
    """Whether a response is a PDF: by its first bytes, or its Content-Type when it has none."""
    if body[:1024].lstrip().startswith(PDF_MAGIC):
        return True
    return bool(content_type and "application/pdf" in content_type.lower() and not body.strip())


def paragraphs(text: str) -> list[str]:
    """Lines of extracted PDF text regrouped into paragraphs.

    A blank line ends a paragraph; so does a line well short of the page's full lines (a
    heading, a paragraph's last line), or a shorter one that ends a sentence.
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]
    full = max((len(line) for line in lines), default=0)
    result: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                result.append(" ".join(current))
                current = []
            continue
        current.append(line)
        short = len(line) < 0.6 * full
        if short or (line.endswith(_SENTENCE_END) and len(line) < 0.8 * full):
            result.append(" ".join(current))
            current = []
    if current:
        result.append(" ".join(current))
    return result


def _page_text(page) -> str:
    """A page's text with its blank lines (layout mode keeps vertical gaps); plain mode if
    layout mode fails on an odd file."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # noqa: BLE001 - layout mode is the fragile one; plain mode still reads
        return page.extract_text() or ""


def _metadata_date(reader: PdfReader) -> tuple[datetime | None, str | None]:
    from pypdf.errors import PyPdfError

    meta = reader.metadata
    if meta is None:
        return None, None
    for key, attribute in (("/CreationDate", "creation_date"), ("/ModDate", "modification_date")):
        raw = meta.get(key)
        try:
            moment = getattr(meta, attribute)
        except (ValueError, TypeError, PyPdfError):
            moment = None
        if moment is not None:
            return moment, str(raw)
    return None, None


def parse_pdf(
    data: bytes,
    url: str,
    source: Source,
    title_hint: str | None = None,
    published_hint: str | None = None,
    last_modified: str | None = None,
    fetched_at: datetime | None = None,
) -> ReleasePage:
    """Title, publication date (ISO 8601, agency's offset), body HTML and text of a PDF release.

    ``title_hint`` and ``published_hint`` (ISO 8601) come from the page or feed item that linked
    the PDF; ``last_modified`` is the HTTP header. The date is the first of the file's own, the
    hint and the header that passes the date check (not before 1995, not after ``fetched_at``).
    Raises ``PageError`` naming the URL when the file cannot be read or holds no text (a scan
    without a text layer).
    """
    # imported with the first PDF (about 70 ms, once): pypdf is 6 MB of a crawl's memory, and
    # most sources publish no PDF
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n\n".join(_page_text(page) for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PageError(f"{url}: unreadable PDF ({type(exc).__name__}: {exc})") from None
    blocks = paragraphs(text)
    if not blocks:
        raise PageError(f"{url}: PDF has no text layer (a scan?); nothing to extract")
    body_html = (
        '<div class="pdf-text">\n'
        + "\n".join(f"<p>{escape(block, quote=False)}</p>" for block in blocks)
        + "\n</div>"
    )
    meta = reader.metadata
    meta_title = " ".join(str(meta.title).split()) if meta is not None and meta.title else ""
    title = meta_title or title_hint or blocks[0][:200]
    methods = {"body": "pdf", "title": "pdf" if meta_title or not title_hint else "link"}
    candidates: list[tuple[str | None, str | None, str]] = []
    moment, raw = _metadata_date(reader)
    if moment is not None:
        candidates.append((localize(moment, source.timezone), raw, "pdf"))
    if published_hint:
        candidates.append((published_hint, published_hint, "link"))
    if last_modified:
        try:
            header = localize(parsedate_to_datetime(last_modified), source.timezone)
        except (TypeError, ValueError):
            header = None
        candidates.append((header, last_modified, "http"))
    published_at = published_raw = None
    for iso, raw_text, method in candidates:
        if iso and date_problem(iso, fetched_at, source.timezone) is None:
            published_at, published_raw, methods["date"] = iso, raw_text, method
            break
    return ReleasePage(
        title=title,
        published_at=published_at,
        published_raw=published_raw,
        body_html=body_html,
        methods=methods,
    )
