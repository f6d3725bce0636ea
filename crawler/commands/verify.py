"""``scrapy verify``: check every enabled and every discovered source; mark each.

Runs the checks of ``scrapy check-source`` over the enabled sources of ``--sources`` and the
candidates of the discovered list (``--discovered``; social-only ones are not crawlable and are
left out), then records each verdict, ``verified`` or ``broken`` with the reason, in the
database (``source_checks``, shown by ``make coverage``) and in the discovered list
(``status``, ``status_reason``, ``checked_at``). Prints one line per source.
Exit codes: 0 all verified, 1 some broken, 2 a bad list or nothing to check.
"""

from __future__ import annotations

import argparse
import sys

from crawler.checking import CheckingCommand, no_extra
from crawler.discovery.check import verdict
from crawler.sources import SourceListError


class Command(CheckingCommand):
    def syntax(self) -> str:
        return "[--sources FILE] [--discovered FILE] [--db DB] [--demo] [--proxy URL]"

    def short_desc(self) -> str:
        return "Check every enabled and discovered source; mark each verified or broken"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        no_extra(args, 0)
        try:
            listed = [s for s in self.listed(opts) if s.enabled]
            _, found = self.discovered(opts)
        except SourceListError as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        checks = [("listed", s) for s in listed] + [("discovered", s) for s in found]
        if not checks:
            print(
                f"blotter: nothing to check in {opts.sources} or {opts.discovered}",
                file=sys.stderr,
            )
            self.exitcode = 2
            return
        origins = [origin for origin, _ in checks]
        results = self.check([source for _, source in checks], opts)
        self.record(results, origins, opts)
        broken = 0
        width = max(len(source.id) for _, source in checks)
        for result in results:
            source, origin = result["source"], origins[result["index"]]
            status, reason = verdict(result["listings"], result["release"])
            broken += status == "broken"
            mark = "!" if status == "broken" else " "
            print(f"{mark} {source.id:<{width}}  {origin:<10}  {status:<8}  {reason}")
        print(
            f"verify: {len(results)} source(s) checked, {len(results) - broken} verified, "
            f"{broken} broken; recorded in {self.settings.get('BLOTTER_DB')}"
            f" and {opts.discovered}"
        )
        self.exitcode = 1 if broken else 0
