"""Scrapyd, as the README's "Scrapyd" section says: install, deploy, schedule the demo, check.

Scrapyd runs in a virtualenv of its own (``.venv-scrapyd`` in the checkout, made once from the
package registry: the locked dependencies, then ``setuptools<81`` and Scrapyd); the test skips
when that cannot be installed. Scrapyd is started on 127.0.0.1 on a free port, the project is
deployed with ``scrapyd-deploy`` (which must leave the checkout as it was), the demo crawl is
scheduled through ``schedule.json`` and its database compared with ``make demo``'s. A job that
crashes is told apart in Scrapyd's log (``Process died``), since ``listjobs.json`` lists every
ended job as "finished".
"""

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from crawler.commands.demo import LOCAL_SETTINGS, crawl_demo
from sitegen.server import DemoServer
from tests.test_merge import snapshot

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-scrapyd"
# what the README's Scrapyd section installs before and beside the locked dependencies
PIP = "pip>=23.3"  # an older pip refuses the lock (see the Makefile's install step)
SCRAPYD_PACKAGES = ("setuptools<81", "scrapyd==1.6.0", "scrapyd-client==2.0.3")
pytestmark = pytest.mark.e2e


def scrapyd_venv() -> Path:
    """``.venv-scrapyd``, installed (once per lock and package list) or the test skipped."""
    lock = (ROOT / "requirements.lock").read_bytes()
    wanted = hashlib.sha256(lock + repr((PIP, SCRAPYD_PACKAGES)).encode()).hexdigest()
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text() == wanted:
        return VENV
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(VENV)],
        [*pip, PIP],
        [*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock")],
        [*pip, *SCRAPYD_PACKAGES],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            reason = f"cannot install Scrapyd from the package registry: {last}"
            if os.environ.get("BLOTTER_REQUIRE_SCRAPYD"):  # set by .ci/run: CI must run it
                pytest.fail(reason)
            pytest.skip(reason)
    stamp.write_text(wanted)
    return VENV


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url: str, data: dict | list | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=30) as answer:
        return json.loads(answer.read())


def checkout_files() -> set[str]:
    """Every file of the checkout outside .git, the virtualenvs and byte-code caches."""
    skip = {".git", ".venv", ".venv-scrapyd", ".venv-tools", "__pycache__", "data"}
    found = set()
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip]
        found |= {os.path.relpath(os.path.join(folder, f), ROOT) for f in files}
    return found


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    """A Scrapyd on 127.0.0.1 with blotter deployed: (base URL, its log file, work dir)."""
    venv = scrapyd_venv()
    work = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    # the README's scrapyd.conf, on a free port; eggs, logs and queues go to its directory
    (work / "scrapyd.conf").write_text(f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\n")
    log = work / "scrapyd.log"
    with log.open("wb") as out:
        daemon = subprocess.Popen(
            [str(venv / "bin" / "scrapyd")],
            cwd=work,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if call(f"{url}/daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"Scrapyd did not start:\n{log.read_text()}")
        yield deploy(venv, url, work), log, work
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)


def deploy(venv: Path, url: str, work: Path) -> str:
    """``scrapyd-deploy`` to a target of the user's config file; return Scrapyd's URL."""
    config = work / "config"
    config.mkdir()
    (config / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {url}/\nproject = blotter\n")
    before = checkout_files()
    git_before = git_status()
    done = subprocess.run(
        [str(venv / "bin" / "scrapyd-deploy"), "test", "-p", "blotter"],
        cwd=ROOT,
        env={**os.environ, "XDG_CONFIG_HOME": str(config)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"status": "ok"' in done.stdout, done.stdout + done.stderr
    assert checkout_files() == before, "scrapyd-deploy left files in the checkout"
    assert git_status() == git_before
    return url


def git_status() -> str:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines() if done.returncode == 0 else []
    return "\n".join(line for line in lines if "__pycache__" not in line)


def schedule(url: str, **args: str) -> str:
    settings = [("setting", s) for s in args.pop("settings", [])]
    answer = call(
        f"{url}/schedule.json",
        [("project", "blotter"), ("spider", "releases"), *args.items(), *settings],
    )
    assert answer["status"] == "ok", answer
    return answer["jobid"]


def wait_for(url: str, job: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = call(f"{url}/listjobs.json?project=blotter")
        if any(j["id"] == job for j in jobs["finished"]):
            return
        time.sleep(1)
    pytest.fail(f"job {job} did not end")


def ended(log: Path, job: str) -> str:
    """How Scrapyd's own log says a job ended: "finished" or "died: exitstatus=N"."""
    for _ in range(30):  # the line is written as the job moves to "finished"
        for line in log.read_text(errors="replace").splitlines():
            if f"job={job!r}" in line and "Process finished:" in line:
                return "finished"
            if f"job={job!r}" in line and "Process died:" in line:
                return "died: " + line.split("Process died: ")[1].split()[0]
        time.sleep(0.5)
    return "not ended"


def test_the_demo_scheduled_on_scrapyd_equals_make_demo(scrapyd, tmp_path):
    url, log, work = scrapyd
    db = tmp_path / "scrapyd.db"
    with DemoServer(ROOT / "seeds" / "demo" / "sites") as server:
        job = schedule(
            url,
            sources=str(ROOT / "seeds" / "demo.toml"),
            settings=[f"BLOTTER_DB={db}", f"BLOTTER_PROXY={server.proxy_url}", *LOCAL_SETTINGS],
        )
        wait_for(url, job)
    assert ended(log, job) == "finished", log.read_text()
    expected = tmp_path / "demo.db"
    assert crawl_demo(expected).returncode == 0
    assert snapshot(db) == snapshot(expected)
    assert snapshot(db)["releases"]


def test_relative_paths_are_taken_from_blotter_home(scrapyd, tmp_path):
    url, log, work = scrapyd
    with DemoServer(ROOT / "seeds" / "demo" / "sites") as server:
        job = schedule(
            url,
            sources="seeds/demo.toml",
            source="hartford-ct-pd",
            settings=[
                f"BLOTTER_HOME={ROOT}",
                f"BLOTTER_DB={tmp_path / 'home.db'}",
                f"BLOTTER_PROXY={server.proxy_url}",
                *LOCAL_SETTINGS,
            ],
        )
        wait_for(url, job)
    assert ended(log, job) == "finished", log.read_text()
    assert snapshot(tmp_path / "home.db")["agencies"][0][0] == "hartford-ct-pd"


def test_a_crashed_job_is_seen_as_died_not_finished(scrapyd, tmp_path):
    url, log, work = scrapyd
    # relative to Scrapyd's own directory, where there is no source list: the job cannot start
    job = schedule(url, sources="seeds/sources.toml", settings=[f"BLOTTER_DB={tmp_path}/x.db"])
    wait_for(url, job)
    assert ended(log, job) == "died: exitstatus=2"
    job_log = next((work / "logs" / "blotter" / "releases").glob(f"{job}.log")).read_text()
    assert "seeds/sources.toml: 1 problem(s) in the source list" in job_log
    assert not (tmp_path / "x.db").exists()
