"""``python -m pipelines.extract FILE|- [--published YYYY-MM-DD] [--state XX] [--agency NAME]``.

Prints the extraction record of one release text as one JSON object with the contract keys only
(``contract_view()``; every key is typed and described in ``pipelines/extract/record.py``).
``--state`` and ``--agency`` are accepted for compatibility and do not change the output. A
missing or unreadable FILE gives a one-line error on stderr and exit status 2; a reader that
stops reading (``| head``) ends it quietly, with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from pipelines.extract import record as record_mod
from pipelines.extract import release
from pipelines.extract.record import Record
from pipelines.extract.release import contract_view, extract

_COMPAT = "accepted for compatibility; does not change the output"


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; prints one JSON object."""
    ap = argparse.ArgumentParser(
        prog="python -m pipelines.extract",
        description=f"{release.__doc__}\n{record_mod.__doc__}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("file", help="release text file, or - for stdin")
    ap.add_argument("--published", help="publication date YYYY-MM-DD")
    ap.add_argument("--state", help=f"two-letter state code ({_COMPAT})")
    ap.add_argument("--agency", help=f"agency name ({_COMPAT})")
    args = ap.parse_args(argv)
    if args.file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(args.file, "rb") as f:
                data = f.read()
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            print(f"pipelines.extract: cannot read {args.file}: {reason}", file=sys.stderr)
            return 2
    text = data.decode("utf-8", errors="replace")
    record: Record = extract(text, published=args.published)
    try:
        json.dump(contract_view(record), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped reading (``| head``): end quietly, as other command-line tools do,
        # with stdout pointed at /dev/null so that the interpreter's last flush cannot fail too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
