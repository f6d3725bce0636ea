"""Quiet terminal output for ``scrapy ingest``: what a person watching a crawl needs, no more.

At ``INFO`` (the default) the terminal shows blotter's own lines (progress every 30 s, one line
per failed source with its reason, the closing summary) and Scrapy's warnings, each error as
one line without its traceback. Scrapy's start-up listings (versions, settings, middlewares),
its stats dump and its per-request download errors (the failed source's line says the same)
are left out. ``-L DEBUG`` or ``--logfile FILE`` keep Scrapy's full output, tracebacks
included: the quiet handler is installed only for a terminal at ``INFO`` or above. With the
``BLOTTER_FULL_LOG`` setting (a file name) the full log, tracebacks and DEBUG lines included,
is also appended to that file while the terminal stays quiet (``make nightly`` keeps one beside
each run's log).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from scrapy.settings import Settings

# Scrapy's INFO chatter a person at a terminal does not read (kept at -L DEBUG / --logfile)
_CHATTY = (
    "scrapy.utils.log",
    "scrapy.middleware",
    "scrapy.addons",
    "scrapy.crawler",
    "scrapy.statscollectors",
    "scrapy.core.engine",
    "scrapy.extensions.logstats",
    "scrapy.extensions.telnet",
)
# Loggers whose errors are failed requests: the spider records each against its source
_REQUEST_ERRORS = (
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.downloadermiddlewares.retry",
    "scrapy.core.scraper",
)
_REQUEST_ERROR_WORDS = ("Error downloading", "Gave up retrying")


class QuietFilter(logging.Filter):
    """Let through what a person at a terminal needs (see the module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        if record.levelno < logging.WARNING and name.startswith(_CHATTY):
            return False
        if name.startswith(_REQUEST_ERRORS) and any(
            w in str(record.msg) for w in _REQUEST_ERROR_WORDS
        ):
            return False
        return True


class OneLineFormatter(logging.Formatter):
    """A formatter that prints a record's message on one line, never its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            text = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        first, *rest = text.splitlines() or [""]
        if rest or saved[0]:
            first += " (details: -L DEBUG or --logfile FILE)"
        return first


def wants_quiet(settings: Settings) -> bool:
    """Whether the crawl logs to the terminal at INFO or above (the quiet handler's case)."""
    level = logging.getLevelName(str(settings.get("LOG_LEVEL", "INFO")).upper())
    return (
        settings.getbool("LOG_ENABLED", True)
        and not settings.get("LOG_FILE")
        and isinstance(level, int)
        and level >= logging.INFO
    )


def install_quiet_console(settings: Settings) -> bool:
    """Log to stderr through :class:`QuietFilter` instead of Scrapy's own root handler.

    Call before the crawler process is made (``process_options``); return whether it was
    installed (not at ``-L DEBUG``, nor with a log file).
    """
    if not wants_quiet(settings):
        return False
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(settings.get("LOG_LEVEL", "INFO"))
    handler.setFormatter(
        OneLineFormatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT"))
    )
    handler.addFilter(QuietFilter())
    logging.root.addHandler(handler)
    logging.root.setLevel(logging.NOTSET)
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    if full := settings.get("BLOTTER_FULL_LOG"):
        Path(full).parent.mkdir(parents=True, exist_ok=True)
        detail = logging.FileHandler(full, mode="a", encoding="utf-8")
        detail.setLevel(logging.DEBUG)
        detail.setFormatter(
            logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT"))
        )
        logging.root.addHandler(detail)
    return True


UNREACHABLE = (
    "DNSLookupError",
    "CannotResolveHostError",
    "DownloadConnectionRefusedError",
    "DownloadTimeoutError",
    "ConnectionRefusedError",
    "ConnectError",
    "TCPTimedOutError",
    "NoRouteError",
    "TimeoutError",
    "ConnectionLost",
)
"""Failures that say the site could not be reached at all (no answer was received)."""

OFFLINE_HINT = (
    "blotter: every source failed with DNS or connection errors: this machine looks offline "
    "(check its network, DNS or proxy, then run again)"
)
