"""A learner's reviews are safe (issue #13, items 1-4): partial builds, the working directory, concurrent
builds and damaged lock files never cost a note its GUID.

Decks are imported with the official anki package where the question is what a learner ends up with.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.build.pipeline import plan_build, write_build
from generator.cli import app
from generator.config import Settings
from generator.errors import GeneratorError
from generator.identity.lockfile import LOCK_NAME, load_lock
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


def _certdeck(*args: str) -> subprocess.Popen[str]:
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


# --- 4. damaged lock files ------------------------------------------------------------------------

def _three_articles(project: Path) -> tuple[Path, bytes, dict[str, tuple[str, str, int]]]:
    (project / "src" / "c.md").write_text(CELLS_C, encoding="utf-8")
    build([Path("src")], Path("out"), T1)
    lock_path = project / "out" / LOCK_NAME
    return lock_path, lock_path.read_bytes(), lock_in(project / "out")


CELLS_C = ("# Gamma\n\nThe nucleus is the organelle that holds the chromosomes of the cell.\n\n"
           "A vacuole is a sac that stores water and nutrients inside the cell.\n")


def _line_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


def _replan(project: Path) -> tuple[object, list[str]]:
    plan = plan_build([Path("src")], Settings(now=T2), Path("out"))
    return plan, [str(w) for w in plan.warnings]


def _guid_of_line(data: bytes, line: int) -> str:
    return json.loads(b"{" + data.split(b"\n")[line - 1].rstrip(b",") + b"}").popitem()[1]["guid"]


def test_a_truncated_lock_keeps_every_entry_before_the_cut(project: Path) -> None:
    lock_path, data, before = _three_articles(project)
    lines = data.split(b"\n")
    cut_line = len(lines) - 3  # the last entry of the last article (then "}", "}}", ""), cut in the middle
    cut = sum(len(x) + 1 for x in lines[: cut_line - 1]) + len(lines[cut_line - 1]) // 2
    lock_path.write_bytes(data[:cut])
    lost = _guid_of_line(data, cut_line)
    plan, warnings = _replan(project)
    assert warnings == [f"out/{LOCK_NAME}:{cut_line}: damaged lock entry left out (cut short): the note of GUID "
                        f"{lost} loses it and comes back as a new note"]
    assert plan.report.counts() == {"new": 1, "changed": 0, "unchanged": len(before) - 1, "retired": 0}


@pytest.mark.parametrize("damage", ["null entry", "null note", "null file", "not UTF-8", "duplicate GUID"])
def test_a_damaged_lock_keeps_every_entry_that_still_parses(project: Path, damage: str) -> None:
    lock_path, data, before = _three_articles(project)
    lines = data.split(b"\n")
    at = 3  # the first entry line of the first article (a.md has two)
    guid = _guid_of_line(data, at)
    if damage == "null entry":
        lines[at - 1] = lines[at - 1].split(b": {", 1)[0] + b": null,"
        expect = [f"out/{LOCK_NAME}:{at}: damaged lock entry left out (the entry is null, not an object): its note "
                  "loses its GUID and comes back as a new note"]
        new = 1
    elif damage == "null note":
        lines[at - 1] = lines[at - 1].split(b', "note": ', 1)[0] + b', "note": null},'
        expect, new = [], 0  # the GUID survives; the note's content is rebuilt
    elif damage == "null file":
        lines = [b"null", b""]
        expect = [f"out/{LOCK_NAME}:1: not a lock entry, skipped: null",
                  f"out/{LOCK_NAME}: no note of the lock file could be read: every note is new"]
        new = len(before)
    elif damage == "not UTF-8":
        lines[at - 1] = lines[at - 1].replace(b"Cells", b"Ce\xff\xfells", 1).replace(b'"Text": "', b'"Text": "\xc3', 1)
        expect = [f"out/{LOCK_NAME}:{at}: bytes that are not UTF-8 replaced by U+FFFD in the note of GUID {guid}"]
        new = 0
    else:
        other = _guid_of_line(data, at + 1)
        lines[at] = lines[at].replace(other.encode(), guid.encode())
        expect = [f"out/{LOCK_NAME}:{at + 1}: GUID {guid} is also on line {at}: that entry is kept, this one left out"]
        new = 1
    lock_path.write_bytes(b"\n".join(lines))
    plan, warnings = _replan(project)
    assert warnings == expect
    if damage == "null note":  # read as any JSON: no warning needed, nothing lost
        assert plan.report.counts()["new"] == 0
    assert plan.report.counts()["new"] == new
    assert not any("move it away" in w or "delete" in w for w in warnings)
    write_build(plan, Path("out"))
    after = lock_in(project / "out")
    assert len(after) == len(before)  # one GUID per note again
    assert len(set(after)) == len(after)
    if new == 0:
        assert set(after) == set(before)


def test_a_damaged_line_in_a_carried_section_is_recovered_not_fatal(project: Path) -> None:
    (project / "src" / "c.md").write_text(CELLS_C, encoding="utf-8")
    out = Path("out")
    write_build(plan_build([Path("src")], Settings(now=T1), out, use_cache=True), out, use_cache=True)
    before = lock_in(project / out)
    lock_path = project / out / LOCK_NAME
    lock_path.write_bytes(lock_path.read_bytes().replace(b'"Text": "', b'"Text": "\xff', 1))
    plan = plan_build([Path("src")], Settings(now=T2), out, use_cache=True)
    assert [w.line for w in plan.warnings] == [3] and not plan.errors
    assert plan.report.counts()["new"] == 0
    write_build(plan, out, use_cache=True)
    assert set(lock_in(project / out)) == set(before)


def test_a_lock_of_another_schema_is_left_alone(project: Path) -> None:
    out = project / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text('{"schema": "certdeck.lock/9", "articles": {}}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "src", "-o", "out"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: out/{LOCK_NAME}: lock file of schema 'certdeck.lock/9', which "
                                          "this certdeck does not know (written by a newer one?); the build leaves "
                                          "it alone"]


def _lock_of(folder: Path, text: str, base: Path | None, now: int) -> Path:
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "a.md").write_text(text, encoding="utf-8")
    if base is not None:
        (folder / "out").mkdir()
        shutil.copy(base, folder / "out" / LOCK_NAME)
    here = Path.cwd()
    os.chdir(folder)
    try:
        build([Path("src")], Path("out"), now)
    finally:
        os.chdir(here)
    return folder / "out" / LOCK_NAME


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_git_merge_conflict_keeps_every_guid_of_both_sides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two branches edit the same article: one adds a fact, the other rewords one. `git merge-file` makes
    the conflict exactly as `git merge` does; the build reads it and every GUID of both sides lives on."""
    old = "A centriole is a structure that organises the spindle during cell division."
    new = "A centriole is a small structure that anchors the spindle during cell division in animals."
    base_text = f"# Cells\n\n{SHARED}\n\n{old}\n"
    base = _lock_of(tmp_path / "base", base_text, None, T1)
    ours = _lock_of(tmp_path / "ours", base_text + f"\n{new}\n", base, T2)
    theirs = _lock_of(tmp_path / "theirs", base_text.replace(old, new), base, T3)
    merged = subprocess.run(["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs",
                             str(ours), str(base), str(theirs)], capture_output=True, check=False).stdout
    assert b"<<<<<<< ours" in merged and b">>>>>>> theirs" in merged
    work = tmp_path / "work"
    (work / "out").mkdir(parents=True)
    (work / "out" / LOCK_NAME).write_bytes(merged)
    shutil.copytree(tmp_path / "ours" / "src", work / "src")  # the article as the merge leaves it: both edits
    (work / "src" / "a.md").write_text(base_text.replace(old, new) + f"\n{old}\n", encoding="utf-8")
    monkeypatch.chdir(work)
    plan, warnings = _replan(work)
    starts = [n for n, line in enumerate(merged.split(b"\n"), 1) if line.startswith(b"<<<<<<<")]
    ends = [n for n, line in enumerate(merged.split(b"\n"), 1) if line.startswith(b">>>>>>>")]
    assert warnings == [f"out/{LOCK_NAME}:{start}: git merge conflict (to line {end}) resolved: every note of both "
                        "sides kept" for start, end in zip(starts, ends, strict=True)]
    write_build(plan, Path("out"))
    both = set(lock_in(tmp_path / "ours" / "out")) | set(lock_in(tmp_path / "theirs" / "out"))
    assert both <= set(lock_in(work / "out"))
    assert plan.report.counts()["new"] == 0


def test_one_fact_with_a_guid_on_each_side_keeps_the_newer_live_and_the_other_retired(project: Path) -> None:
    build([Path("src") / "a.md"], Path("out"), T1)
    lock_path = project / "out" / LOCK_NAME
    data = lock_path.read_bytes()
    lines = data.split(b"\n")
    at = 3  # the first entry of a.md: same fact, another GUID and a newer mod on the other branch
    ours_guid = _guid_of_line(data, at)
    theirs = lines[at - 1].replace(ours_guid.encode(), b"TheirsGuid01").replace(str(T1).encode(), str(T2).encode(), 1)
    lines[at - 1 : at] = [b"<<<<<<< HEAD", lines[at - 1], b"=======", theirs, b">>>>>>> other"]
    lock_path.write_bytes(b"\n".join(lines))
    plan, warnings = _replan(project)
    assert warnings == [
        f"out/{LOCK_NAME}:3: git merge conflict (to line 7) resolved: every note of both sides kept",
        f"out/{LOCK_NAME}:4: git merge conflict: one fact has GUIDs TheirsGuid01 (line 6, newer: kept live) and "
        f"{ours_guid} (kept as retired)"]
    live = {c.guid for c in plan.report.changes if not c.retired}
    assert "TheirsGuid01" in live and ours_guid not in live
    retired = [n for notes in plan.decks.values() for n in notes if n.retired]
    assert [n.guid for n in retired] == [ours_guid] and "certdeck::retired" in retired[0].tags
    write_build(plan, Path("out"))
    assert ours_guid in lock_in(project / "out") and "TheirsGuid01" in lock_in(project / "out")


def _children(pid: int) -> list[str]:
    """The process ids whose parent is `pid` (from /proc: no `ps` needed)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            found.append(stat.parent.name)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_builds_workers_do_not_hold_the_folder(tmp_path: Path) -> None:
    """The folder is held from reading the lock on, while workers build articles: it goes with the build
    process, so a build killed with SIGKILL (whose workers may linger) leaves the folder free."""
    import signal

    _articles(tmp_path / "many", "k", 400)
    (tmp_path / "a.md").write_text(ALPHA, encoding="utf-8")
    out = tmp_path / "out"
    # No pipes: lingering workers would hold them open.
    first = subprocess.Popen([sys.executable, "-m", "generator", "build", str(tmp_path / "many"), "-o", str(out),
                              "--jobs", "2", "--no-cache", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[str] = []
    deadline = time.monotonic() + 20
    while len(workers) < 2 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
        workers = _children(first.pid)
    try:
        if first.poll() is not None or len(workers) < 2:
            pytest.skip("the build finished before its workers could be seen")
        first.kill()
        first.wait()
        second = _certdeck("build", str(tmp_path / "a.md"), "-o", str(out), "--wait", "0", "-q")
        assert second.communicate(timeout=60)[1] == "" and second.returncode == 0
    finally:
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(int(pid), signal.SIGKILL)
