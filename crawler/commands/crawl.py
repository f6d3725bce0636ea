"""``scrapy crawl releases``: Scrapy's own crawl command, with blotter's exit codes.

Scrapyd (and anyone running the spider directly) starts ``scrapy crawl``; Scrapy's command exits
0 however the crawl went. This one exits as ``scrapy ingest`` does (:mod:`pipelines.exitcodes`):
2 when the crawl could not start (a bad source list or argument),
1 when a source failed, 3 when the run was interrupted, 4 on a storage error, 75 when another
run holds the database's lock, so a failing job is seen as failed.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler.cli import ignore_late_signals
from pipelines.exitcodes import EXIT_INTERRUPTED, EXIT_USAGE


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("scrapy crawl takes one spider name (releases)")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        ignore_late_signals()  # the run is recorded: its exit code must be the last word
        if self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_USAGE  # nothing crawled: a bad source list or argument
            return
        code = crawler.stats.get_value("blotter/exit_code") if crawler.stats else None
        if code is None and crawler.stats and crawler.stats.get_value("blotter/run_id"):
            code = EXIT_INTERRUPTED  # stopped before the run could finish (a second signal)
        self.exitcode = code or 0
