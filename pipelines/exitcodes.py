"""Exit codes of blotter's commands: one table, shared by every command (see the README).

| code | meaning |
|---|---|
| 0 | ok: every source crawled (or the command did what it was asked) |
| 1 | some sources failed (their errors are in the summary and in ``source_runs``) |
| 2 | bad arguments or a bad source list: nothing was crawled |
| 3 | interrupted: a signal (Ctrl-C, SIGTERM), closespider or a time budget stopped the run |
| 4 | storage error: the database is full, read-only, corrupt or locked by another program |
| 75 | lock held: another blotter run is writing the same database (``EX_TEMPFAIL``) |
"""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 3
EXIT_STORAGE = 4
EXIT_LOCKED = 75  # EX_TEMPFAIL from sysexits.h: "try again later"

RUN_EXIT = {"ok": EXIT_OK, "failed": EXIT_FAILED, "interrupted": EXIT_INTERRUPTED}
"""The exit code of a crawl that ended with this ``crawl_runs.status``."""
