"""``scrapy crawl releases``: Scrapy's own command, with the exit codes of ``scrapy ingest``.

Scrapyd (and anything else that runs the spider directly) starts ``scrapy crawl``; Scrapy's
command exits 0 even when every source failed. This one exits 2 when the crawl could not start
(a bad source list or argument: nothing crawled), 1 when a source failed (its error is in
``source_runs``), else 0, so that a failed job is seen as failed: Scrapyd logs
``Process died: exitstatus=…`` for it instead of ``Process finished``.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's usage errors
            return
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 2
        elif crawler.stats.get_value("blotter/failed_sources"):
            self.exitcode = 1
