"""One writer per database file: the lock on ``<db>.lock`` that every writing blotter run holds.

Every writer (``scrapy ingest``, ``scrapy nightly``, ``scrapy reparse``, ``scrapy demo``, a
Scrapyd job) takes it when it opens the database for writing (:class:`pipelines.store.Store`),
before any migration runs, and holds it until the store is closed or the process ends. It is
an exclusive ``fcntl.flock`` on ``<db>.lock``: it goes with the process, so a killed run never
leaves a stale lock behind. The holder's pid is written into the file, for the message of the
run that is refused.

A second writer waits up to ``BLOTTER_LOCK_WAIT`` seconds (default 0: not at all) for the lock,
then gives up with :class:`Locked`, whose message names the lock file and its holder. The
commands exit with :data:`EXIT_LOCKED` (75) then.

Within one process the lock is shared: a second :class:`Store` on the same file does not wait
for the first. A child process handed the lock's descriptor (``scrapy nightly`` runs its
ingest so) finds it in ``BLOTTER_LOCK_FD`` and uses it instead of locking again.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.exitcodes import EXIT_LOCKED

__all__ = ["EXIT_LOCKED", "Locked", "WriterLock", "lock_path", "run_lock"]
LOCK_FD_ENV = "BLOTTER_LOCK_FD"
LOCK_WAIT_ENV = "BLOTTER_LOCK_WAIT"
_POLL_SECONDS = 0.2


class Locked(Exception):
    """Another process holds the lock; ``str()`` says which lock and which pid."""


def lock_path(db: Path | str) -> Path:
    """The lock file of a database file: ``<db>.lock`` beside it."""
    return Path(f"{os.path.abspath(db)}.lock")


def default_wait() -> float:
    """Seconds a writer waits for the lock: ``BLOTTER_LOCK_WAIT`` (default 0)."""
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, "0") or 0))
    except ValueError:
        return 0.0


def _inherited(path: Path) -> int | None:
    """The descriptor of ``path`` handed down by the parent process, when it is that file."""
    value = os.environ.get(LOCK_FD_ENV, "")
    if not value.isdigit():
        return None
    fd = int(value)
    try:
        held, wanted = os.fstat(fd), os.stat(path)
    except OSError:
        return None
    return fd if (held.st_dev, held.st_ino) == (wanted.st_dev, wanted.st_ino) else None


def _holder(handle) -> str:  # noqa: ANN001 - an open text file
    handle.seek(0)
    return handle.read().strip() or "?"


@contextmanager
def run_lock(path: Path, wait: float = 0.0) -> Iterator[int]:
    """Hold an exclusive lock on ``path`` for the block, waiting up to ``wait`` seconds.

    Raises :class:`Locked` when another process still holds it then. Yields the lock file's
    descriptor: a child process given it keeps the lock held until it ends too.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(handle)
                    waited = f" after waiting {wait:g} s" if wait else ""
                    raise Locked(
                        f"another blotter run holds {path} (pid {holder}){waited}; exiting"
                    ) from None
                time.sleep(_POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield handle.fileno()
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


class WriterLock:
    """The process's hold on a database's lock, shared by every Store of the process."""

    _held: dict[Path, list] = {}  # lock path -> [context manager, users]

    def __init__(self, db: Path | str, wait: float | None = None):
        self.path = lock_path(db)
        self.wait = default_wait() if wait is None else wait
        self._acquired = False

    def acquire(self) -> None:
        """Take the lock (or share this process's hold of it); raises :class:`Locked`."""
        if self._acquired:
            return
        entry = self._held.get(self.path)
        if entry is None:
            if _inherited(self.path) is not None:
                entry = [None, 0]
            else:
                manager = run_lock(self.path, self.wait)
                manager.__enter__()
                entry = [manager, 0]
            self._held[self.path] = entry
        entry[1] += 1
        self._acquired = True

    def release(self) -> None:
        """Let go of this hold; the lock is freed when the process's last hold goes."""
        if not self._acquired:
            return
        self._acquired = False
        entry = self._held.get(self.path)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] <= 0:
            del self._held[self.path]
            if entry[0] is not None:
                entry[0].__exit__(None, None, None)
