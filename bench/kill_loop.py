"""Kill a build of the benchmark corpus with SIGKILL, again and again: no process may be left behind, and the
build after the kills must keep every GUID (issue #13, item 13; the small version is tests/test_kill_workers.py).

    PYTHONPATH=. python3 bench/kill_loop.py                    # 1,000 articles, 20 kills, --jobs 2
    PYTHONPATH=. python3 bench/kill_loop.py --articles 100 --kills 5

Each kill comes at a random moment (fixed seed) of a `--no-cache` build, between its workers starting and
70% of a whole `--no-cache` build's time. Linux only (reads /proc). Exit status 1 if anything was left or any
GUID changed.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from tests.killutil import build_command, kill_during_build, lock_guids  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="certdeck-kill-") as tmp:
        src, out = Path(tmp) / "corpus", Path(tmp) / "out"
        generate(args.articles, src)
        started = time.monotonic()
        first = subprocess.run(build_command(src, out, args.jobs, cache=False), cwd=ROOT, capture_output=True,
                               text=True)
        whole = time.monotonic() - started
        if first.returncode not in (0, 1):
            print(first.stderr, file=sys.stderr)
            return 1
        guids = lock_guids(out)
        print(f"{args.articles} articles: first build {whole:.1f} s, {len(guids)} GUIDs in the lock")
        failures = mid_build = 0
        for n in range(1, args.kills + 1):
            delay = rng.uniform(0, 0.7 * whole)
            seen, running, left = kill_during_build(src, out, args.jobs, delay)
            failures += bool(left)
            mid_build += running == args.jobs
            print(f"kill {n:2d} at {delay:5.1f} s after the workers started: {seen} workers seen, {running} running "
                  f"when killed, {len(left)} left after 5 s" + (f" {sorted(left)}" if left else ""))
        last = subprocess.run(build_command(src, out, args.jobs, cache=False), cwd=ROOT, capture_output=True,
                              text=True)
        after = lock_guids(out)
        kept = len(guids & after)
        print(f"build after the kills: exit {last.returncode}, {kept} of {len(guids)} GUIDs kept, "
              f"{len(after - guids)} new")
        ok = not failures and after == guids and last.returncode == first.returncode
        print(f"{mid_build} of {args.kills} kills came while all {args.jobs} workers were at work")
        print("PASS: no process left, every GUID kept" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
