"""Scrapy settings for blotter: polite defaults for real department sites.

Values a user is expected to change are read from the environment too:
``BLOTTER_CONTACT`` (who to write to about the crawler), ``BLOTTER_DB``, ``BLOTTER_SOURCES``.
"""

import os

from pipelines.store import DEFAULT_DB

BOT_NAME = "blotter"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# -- what to crawl and where to store it ---------------------------------------------------------
# relative BLOTTER_SOURCES / BLOTTER_DB paths are taken from BLOTTER_HOME when it is set (a
# Scrapyd job runs in Scrapyd's directory, not the checkout), else from the current directory
BLOTTER_HOME = os.environ.get("BLOTTER_HOME") or None
BLOTTER_SOURCES = os.environ.get("BLOTTER_SOURCES", "seeds/sources.toml")
BLOTTER_DB = os.environ.get("BLOTTER_DB", DEFAULT_DB)
BLOTTER_MAX_LISTING_PAGES = 200  # a listing deeper than this is cut and recorded as an error
BLOTTER_EXTRACT_WORKERS = None  # extraction processes beside the crawl; None: 1 if 2+ CPUs, else 0
BLOTTER_PROXY = None  # e.g. the demo server; every request (robots.txt too) goes through it

# -- politeness -----------------------------------------------------------------------------------
BLOTTER_CONTACT = os.environ.get("BLOTTER_CONTACT", "https://github.com/blotter-project/blotter")
USER_AGENT = f"blotter/0.1 (+{BLOTTER_CONTACT}; press-release archiver; polite, obeys robots.txt)"
ROBOTSTXT_OBEY = True
# Per site: at most 2 requests at once and 1 s between them (AutoThrottle may only slow down).
# Across sites: many at once. A request waiting out its site's delay counts against
# CONCURRENT_REQUESTS, so with thousands of small sites 16 was the bound (64 min for 18,000
# agencies with nothing new); 96 keeps ~96 sites busy without one CPU falling behind.
CONCURRENT_REQUESTS = 96
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0  # = DOWNLOAD_DELAY: a site's first requests wait no longer
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2  # a 429/503 with Retry-After first slows the site down (RetryAfterMiddleware)
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
# Sites in turn without counting every site's downloads on each pop (crawler/scheduler.py), and
# at most 8 requests at once to one IP address, whatever host names share it (platforms).
SCHEDULER_PRIORITY_QUEUE = "crawler.scheduler.SlotRotationQueue"
BLOTTER_SCHEDULER_LOOKAHEAD = 16
BLOTTER_DNS_THREADS = 32  # names the address guard looks up at once, off the crawl's thread
# Scrapy's DNS cache holds 10,000 names by default: a crawl of every US agency has ~18,000
DNSCACHE_SIZE = 131072
BLOTTER_CONCURRENT_REQUESTS_PER_IP = 8
# A release page yields one item: Scrapy's default of 100 parallel item slots per response only
# costs 100 asyncio tasks per page (measured: a sixth of the ingest's time in `make bench`).
CONCURRENT_ITEMS = 8
# Pages waiting for their extraction hold their response, item and text in memory. Past 256 KB
# of them (Scrapy's default: 5 MB) the engine starts no new download until they drain: with 96
# downloads at once they otherwise piled up while the worker started (make bench N=500: peak
# RSS 111 -> 107 MB, pages/s unchanged). Downloads in flight still finish; one large PDF only
# pauses new requests until it is stored.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 256 * 1024

# -- safety: no remote code execution or telnet consoles on a crawler --------------------------
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
# -- safety: only http and https, ever (crawler/guard.py refuses the rest with an error first) --
DOWNLOAD_HANDLERS = {"file": None, "data": None, "s3": None, "ftp": None}
# listing URLs and redirects to loopback, link-local or private addresses are refused, except
# for the demo and the tests (which serve on 127.0.0.1) or when set to true
BLOTTER_ALLOW_PRIVATE = os.environ.get("BLOTTER_ALLOW_PRIVATE", "false").lower() in ("1", "true")

BLOTTER_ROBOTS_TTL = 86400  # a robots.txt fetched within a day is reused from the archive

DOWNLOADER_MIDDLEWARES = {
    # before anything else: no file:, ftp:, data:, s3: (nor private addresses) ever goes out
    "crawler.guard.URLGuardMiddleware": 40,
    # then: a request of a source whose time budget ran out is dropped unsent
    "crawler.budget.BudgetMiddleware": 45,
    # on the way back before RedirectMiddleware (600): a redirect to such a URL is named
    "crawler.guard.RedirectGuardMiddleware": 650,
    # first: a redirect to another host is refused before its robots.txt is fetched
    "crawler.middlewares.StayOnSiteMiddleware": 50,
    # after decompression (590) on the way back, so pages are archived as the site meant them
    "crawler.archive.ArchiveMiddleware": 580,
    # before RetryMiddleware (550) sees the answer: honour a site's Retry-After
    "crawler.middlewares.RetryAfterMiddleware": 560,
    "crawler.middlewares.ProxyMiddleware": 740,
    # next to the downloader: counts each attempt that really went out
    "crawler.archive.RequestCountMiddleware": 990,
}
EXTENSIONS = {
    # the crawl's one Store and its run accounting, shared by the spider, middlewares, pipelines
    "pipelines.crawl.CrawlRun": 100,
    "crawler.extensions.progress.Progress": 500,  # a line every BLOTTER_PROGRESS_INTERVAL s
    "crawler.budget.Budget": 510,  # time budgets per source and per run
}
# a source still crawling this long after its first request is interrupted (Retry-After waits
# count); a run this long after its start too (0: no limit; scrapy nightly sets 6 h)
BLOTTER_SOURCE_BUDGET_S = float(os.environ.get("BLOTTER_SOURCE_BUDGET_S", 15 * 60))
BLOTTER_RUN_BUDGET_S = float(os.environ.get("BLOTTER_RUN_BUDGET_S", 0))
BLOTTER_PROGRESS_INTERVAL = 30
BLOTTER_MAX_LINKS_PER_PAGE = 1000  # release links followed per listing page; more is an error
ITEM_PIPELINES = {
    "pipelines.crawl.ExtractPipeline": 300,
    "pipelines.crawl.StorePipeline": 900,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("BLOTTER_LOG_LEVEL", "INFO")
