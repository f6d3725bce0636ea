"""``scrapy check-source ID|URL``: what blotter reads from a source, and a verdict.

Fetches the source's first listing page (its feed, then its listing page, when it has both)
and the newest release it links to, and prints what was read: the release links found, the
next page, the newest release's title, date, body length and first words, the strategy that
produced each (which selector alternative, feed items, wp-json), and a verdict: ``verified``,
or ``broken`` with the reason (a page that no longer matches its selectors says so).

``ID`` is a source of ``--sources`` (seeds/sources.toml) or of the discovered list
(``--discovered``, data/discovered.toml); a ``URL`` is checked as a listing of ``--platform``,
or of the platform its markup fingerprints as. ``--demo`` checks against the demo sites.
Exit codes: 0 verified, 1 broken, 2 an unknown source or a bad list.
"""

from __future__ import annotations

import argparse
import sys

from crawler.checking import CheckingCommand, no_extra, url_source
from crawler.discovery.check import report_lines, verdict
from crawler.sources import PLATFORMS, SourceListError


class Command(CheckingCommand):
    def syntax(self) -> str:
        return "ID|URL [--sources FILE] [--discovered FILE] [--platform P] [--demo] [--proxy URL]"

    def short_desc(self) -> str:
        return "Fetch a source's listing and newest release; print what was read and a verdict"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--platform", choices=PLATFORMS, help="platform of a URL")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        no_extra(args, 1)
        if not args:
            print("blotter: check-source needs a source id or a listing URL", file=sys.stderr)
            self.exitcode = 2
            return
        wanted = args[0]
        if wanted.startswith(("http://", "https://")):
            source = url_source(wanted, opts.platform)
        else:
            try:
                listed = {s.id: s for s in self.listed(opts)}
                _, found = self.discovered(opts)
            except SourceListError as exc:
                print(f"blotter: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
            known = {**{s.id: s for s in found}, **listed}
            if wanted not in known:
                print(
                    f"blotter: unknown source {wanted!r}: not in {opts.sources} nor in "
                    f"{opts.discovered}",
                    file=sys.stderr,
                )
                self.exitcode = 2
                return
            source = known[wanted]
        results = self.check([source], opts)
        if not results:
            print(f"blotter: {source.id}: the check did not run", file=sys.stderr)
            self.exitcode = 2
            return
        result = results[0]
        for line in report_lines(result["source"], result["listings"], result["release"]):
            print(line)
        status, _ = verdict(result["listings"], result["release"])
        self.exitcode = 0 if status == "verified" else 1
