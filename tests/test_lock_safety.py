"""A learner's reviews are safe (issue #13, items 1-4): partial builds, the working directory, concurrent
builds and damaged lock files never cost a note its GUID.

Decks are imported with the official anki package where the question is what a learner ends up with.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.config import Settings
from generator.errors import GeneratorError
from generator.lockfile import LOCK_NAME, load_lock
from generator.pipeline import plan_build, write_build
from tests.ankiutil import collection, import_package

T1, T2, T3 = 1_700_000_000, 1_700_086_400, 1_700_172_800
SHARED = "A ribosome is a molecular machine that builds proteins from amino acids."
ALPHA = f"# Alpha\n\n{SHARED}\n\nA lysosome is an organelle that breaks down waste material inside the cell.\n"
BETA = f"# Beta\n\n{SHARED}\n\nA centriole is a structure that organises the spindle during cell division.\n"
ROOT = Path(__file__).resolve().parent.parent


def lock_in(out: Path) -> dict[str, tuple[str, str, int]]:
    """GUID -> (article, key, mod) of every entry of the lock in `out`."""
    lock = load_lock((out / LOCK_NAME).read_bytes(), "lock")
    return {e.guid: (e.path, e.key, e.mod) for e in lock.values()}


def build(paths: list[Path], out: Path, now: int) -> None:
    write_build(plan_build(paths, Settings(now=now), out), out)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.md").write_text(ALPHA, encoding="utf-8")
    (tmp_path / "src" / "b.md").write_text(BETA, encoding="utf-8")
    return tmp_path


# --- 1. partial builds -----------------------------------------------------------------------------

def test_a_partial_build_never_takes_the_guid_of_an_article_left_out(project: Path) -> None:
    src, out = Path("src"), Path("out")
    build([src / "a.md"], out, T1)
    alpha = lock_in(out)
    later = plan_build([src / "b.md"], Settings(now=T2), out)
    assert later.report.counts() == {"new": 2, "changed": 0, "unchanged": 0, "retired": 0}
    write_build(later, out)
    both = lock_in(out)
    assert {g: v for g, v in both.items() if v[0] == "src/a.md"} == alpha  # a's entries exactly as they were
    assert len(both) == 4  # four notes, four GUIDs
    again = plan_build([src / "a.md"], Settings(now=T3), out)
    assert again.report.counts() == {"new": 0, "changed": 0, "unchanged": 2, "retired": 0}
    write_build(again, out)
    assert lock_in(out) == both  # settled: nothing moves any more
    with collection(project / "anki") as col:
        for apkg in sorted(out.glob("*.apkg")):
            import_package(col, apkg)
        assert col.note_count() == 4


def test_builds_of_halves_then_of_all_settle_at_once(project: Path) -> None:
    src, out = Path("src"), Path("out")
    for n in range(6):
        (src / f"c{n}.md").write_text(f"# Part {n}\n\n{SHARED}\n\nA part {n} cell holds exactly {n + 2} organelles.\n",
                                      encoding="utf-8")
    files = sorted(src.glob("*.md"))
    build(files[::2], out, T1)
    build(files[1::2], out, T2)
    halves = lock_in(out)
    whole = plan_build([src], Settings(now=T3), out)
    assert whole.report.counts()["unchanged"] == len(halves) and whole.report.counts()["changed"] == 0
    write_build(whole, out)
    assert lock_in(out) == halves


def test_a_renamed_file_built_alone_keeps_its_notes(project: Path) -> None:
    src, out = Path("src"), Path("out")
    build([src / "a.md"], out, T1)
    before = {g: k for g, (_, k, _) in lock_in(out).items()}
    (src / "a.md").rename(src / "renamed.md")
    build([src / "renamed.md"], out, T2)
    after = lock_in(out)
    assert {g: k for g, (_, k, _) in after.items()} == before
    assert {p for p, _, _ in after.values()} == {"src/renamed.md"}


# --- 3. the working directory ---------------------------------------------------------------------

def test_identity_does_not_depend_on_the_working_directory(project: Path, tmp_path_factory: pytest.TempPathFactory,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    build([Path("src")], Path("out"), T1)
    before = (project / "out" / LOCK_NAME).read_bytes()
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    plan = plan_build([project / "src"], Settings(now=T2), project / "out")
    assert plan.report.counts() == {"new": 0, "changed": 0, "unchanged": 4, "retired": 0}
    assert {n.source.path for notes in plan.decks.values() for n in notes} == {"src/a.md", "src/b.md"}
    sources = {dict(n.fields)["Source"] for notes in plan.decks.values() for n in notes}
    assert all(str(project) not in s and "src/" in s for s in sources), sources
    write_build(plan, project / "out")
    assert (project / "out" / LOCK_NAME).read_bytes() == before
    monkeypatch.chdir(project / "src")  # relative paths from below the project root
    assert plan_build([Path("a.md")], Settings(now=T2), Path("../out")).report.counts()["unchanged"] == 2


def test_errors_still_name_the_file_as_it_was_given(project: Path, tmp_path_factory: pytest.TempPathFactory,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "src" / "bin.md").write_bytes(b"\x00\x01binary")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    result = CliRunner().invoke(app, ["plan", str(project / "src"), "-o", str(project / "out")])
    assert result.stderr.splitlines() == [f"error: {project / 'src' / 'bin.md'}: binary file, not text"]


def test_the_repository_lock_is_the_same_from_any_working_directory(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "source", repo / "source")
    shutil.copytree(ROOT / "decks", repo / "decks")
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    keys = set(json.loads((repo / "decks" / LOCK_NAME).read_text(encoding="utf-8"))["articles"])
    assert keys == {"source/peer-support-empathy.md"}
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["plan", str(repo / "source"), "-o", str(repo / "decks"), "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    assert counts["new"] == counts["changed"] == counts["retired"] == 0


# --- 2. two builds at once ------------------------------------------------------------------------

def _articles(folder: Path, prefix: str, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"{prefix}{n:03d}.md").write_text(
            f"# {prefix.upper()} {n}\n\n"
            f"A {prefix}{n}-cell is a cell that holds exactly {n + 3} nuclei in its body.\n\n"
            f"The {prefix}{n}-pump is a protein that moves {n + 7} ions across the membrane.\n\n"
            f"A {prefix}{n}-body is an organelle that stores {n + 11} kinds of enzymes.\n", encoding="utf-8")


def _certdeck(*args: str) -> "subprocess.Popen[str]":
    return subprocess.Popen([sys.executable, "-m", "generator", *args], text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "SOURCE_DATE_EPOCH": str(T1)})


def test_two_builds_at_once_into_one_folder_keep_both_builds_notes(tmp_path: Path) -> None:
    _articles(tmp_path / "left", "l", 60)
    _articles(tmp_path / "right", "r", 60)
    out = tmp_path / "out"
    procs = [_certdeck("build", str(tmp_path / side), "-o", str(out), "--jobs", "1", "--no-cache", "-q")
             for side in ("left", "right")]
    results = [(p.communicate(timeout=300)[1], p.returncode) for p in procs]
    assert results == [("", 0), ("", 0)]
    paths = {path for path, _, _ in lock_in(out).values()}
    assert len(paths) == 120 and {p.split("/")[0] for p in paths} == {"left", "right"}
    assert len(lock_in(out)) == 360


def test_a_build_waits_for_the_folder_then_builds(tmp_path: Path) -> None:
    import fcntl

    (tmp_path / "a.md").write_text(ALPHA, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another build holds the folder
        proc = _certdeck("build", str(tmp_path / "a.md"), "-o", str(out), "--jobs", "1", "-q")
        time.sleep(2)
        assert proc.poll() is None and not (out / LOCK_NAME).exists()  # waiting, nothing read or written yet
    finally:
        os.close(fd)
    assert proc.communicate(timeout=60)[1] == "" and proc.returncode == 0
    assert len(lock_in(out)) == 2


def test_a_build_that_waits_too_long_gives_one_error(tmp_path: Path) -> None:
    import fcntl

    (tmp_path / "a.md").write_text(ALPHA, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        started = time.monotonic()
        result = CliRunner().invoke(app, ["build", str(tmp_path / "a.md"), "-o", str(out), "--wait", "1", "-q"])
        waited = time.monotonic() - started
    finally:
        os.close(fd)
    assert result.exit_code == 1 and 1 <= waited < 10
    assert result.stderr.splitlines() == [f"error: {out}: another certdeck build is writing to this folder (waited "
                                          "1 s); try again when it is done"]
    assert not list(out.iterdir())


def test_writing_a_build_planned_before_another_build_wrote_fails(project: Path) -> None:
    """For callers of the Python API that plan and write without holding the folder in between."""
    src, out = Path("src"), Path("out")
    build([src / "a.md"], out, T1)
    late = plan_build([src / "a.md"], Settings(now=T2), out)
    build([src / "b.md"], out, T2)
    before = (out / LOCK_NAME).read_bytes()
    with pytest.raises(GeneratorError, match="the lock file changed since this build read it"):
        write_build(late, out)
    assert (out / LOCK_NAME).read_bytes() == before
