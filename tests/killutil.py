"""Kill a build with SIGKILL while its workers run, and see what it leaves behind (Linux /proc; shared by
tests/test_kill_workers.py and bench/kill_loop.py)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid`, now."""
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[1] == pid:
                out.add(int(entry))
    return out


def alive(pids: set[int]) -> set[int]:
    """Those of `pids` still running (a zombie is not running: it only waits to be reaped)."""
    return {pid for pid in pids if (s := _stat(pid)) is not None and s[0] != "Z"}


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def build_command(src: Path, out: Path, jobs: int, cache: bool) -> list[str]:
    return [sys.executable, "-m", "generator", "build", str(src), "-o", str(out), "-q", "--jobs", str(jobs),
            *([] if cache else ["--no-cache"])]


def kill_during_build(src: Path, out: Path, jobs: int, delay: float, wait_for_workers: float = 60.0,
                      grace: float = 5.0) -> tuple[int, int, set[int]]:
    """Start a build, wait until its workers run, SIGKILL it `delay` seconds later; returns (workers seen,
    how many were running when killed, those still running `grace` seconds after the kill)."""
    proc = subprocess.Popen(build_command(src, out, jobs, cache=False), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + wait_for_workers
        while len(seen) < jobs and time.monotonic() < deadline and proc.poll() is None:
            seen |= children(proc.pid)
            time.sleep(0.02)
        end = time.monotonic() + delay
        while time.monotonic() < end and proc.poll() is None:
            seen |= children(proc.pid)
            time.sleep(0.02)
        running = len(alive(seen))
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + grace
    left = alive(seen)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = alive(left)
    return len(seen), running, left


def lock_guids(out: Path) -> set[str]:
    """Every GUID in the output folder's lock file."""
    text = (out / "certdeck.lock.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {entry["guid"] for section in data["articles"].values() for entry in section.values()}
