"""A build killed with SIGKILL leaves no worker behind, and the next build keeps every GUID (issue #13, item 13).

The small version of bench/kill_loop.py: a few kills of a two-worker build at different moments.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import big_article
from tests.killutil import ROOT, build_command, kill_during_build, lock_guids

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def test_a_killed_build_leaves_no_worker_and_keeps_every_guid(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for i in range(24):
        (src / f"article_{i:02d}.md").write_text(big_article(12_000, seed=i), encoding="utf-8")
    done = subprocess.run(build_command(src, out, 2, cache=True), cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    guids = lock_guids(out)
    assert len(guids) > 100
    for delay in (0.0, 0.3, 0.8):
        seen, running, left = kill_during_build(src, out, jobs=2, delay=delay)
        assert seen == 2 and running == 2, (seen, running)  # the workers were there, at work, when it was killed
        assert left == set(), f"workers left running after the build was killed: {sorted(left)}"
    again = subprocess.run(build_command(src, out, 2, cache=True), cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert lock_guids(out) == guids
