"""The benchmarks' child processes: run one from the project root, time it, measure its memory.

``bench.run`` and ``bench.scale`` run every crawl through :func:`run_child`: wall seconds from
launch to exit, the child's own peak RSS (``ru_maxrss`` from ``os.wait4``) and, when asked,
the peak of the summed RSS of its whole process tree (the crawl and its extraction worker),
sampled once a second from ``/proc``.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Child:
    """A finished subprocess: exit code, wall seconds and its own peak RSS in MB; with
    ``tree_rss=True``, the peak RSS of its process tree in MB too (else None)."""

    returncode: int
    wall_seconds: float
    peak_rss_mb: float
    tree_peak_rss_mb: float | None = None


def run_child(command: list[str], log: Path, *, tree_rss: bool = False) -> Child:
    """Run ``command`` from the project root, output to ``log``; measure it with ``os.wait4``
    (and, with ``tree_rss``, sample its process tree's RSS while it runs: :class:`TreeRss`)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        if tree_rss:
            with TreeRss(process.pid) as sampler:
                _, status, usage = os.wait4(process.pid, 0)
        else:
            sampler = None
            _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Child(
        process.returncode,
        wall,
        usage.ru_maxrss / 1024,  # ru_maxrss: KiB on Linux
        sampler.peak_kib / 1024 if sampler is not None else None,
    )


def _children() -> dict[int, list[int]]:
    """Every running process's children, by parent pid (from ``/proc/PID/stat``)."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _rss_kib(pid: int) -> int:
    """A process's resident set size in KiB (0 when it has gone)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeRss:
    """Samples the summed RSS of a process and all its descendants once a second."""

    def __init__(self, pid: int, interval: float = 1.0):
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, todo, total = _children(), [self.pid], 0
            while todo:
                pid = todo.pop()
                total += _rss_kib(pid)
                todo.extend(tree.get(pid, []))
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
