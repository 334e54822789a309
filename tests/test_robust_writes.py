"""Nothing half-written: a full disk or a build killed with SIGKILL while writing leaves the previous decks,
cards JSON and lock file whole and loadable, and the next build cleans up after it. Also the 20 MB article:
it finishes, and its peak memory stays under the bound README.md states.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from generator.identity.lockfile import load_lock
from tests.ankiutil import collection, import_package, rendered_cards
from tests.hostile import huge_article
from tests.test_robust import build

ROOT = Path(__file__).resolve().parent.parent
V1 = "# Cells\n\nA ribosome is a molecular machine that builds proteins from amino acids.\n"
V2 = V1 + "\nA nucleus is the organelle that holds the genome of the cell.\n"
MEMORY_LIMIT_MB = 400  # README.md, "Limits": peak memory of one build of any single article


def previous_build(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A source folder built once (v1), then edited (v2): what a second build must not damage."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "cells.md").write_text(V1)
    code, err, _ = build(str(src), "-o", str(out), "--json", str(out / "cards.json"))
    assert (code, err) == (0, [])
    (src / "cells.md").write_text(V2)
    return src, out, {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def assert_previous_intact(out: Path, before: dict[str, bytes], tmp_path: Path) -> None:
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")} == before
    assert load_lock(before["certdeck.lock.json"].decode(), "lock")  # parses, with the v1 notes
    assert json.loads(before["cards.json"])["notes"]
    with zipfile.ZipFile(out / "Cells.apkg") as zf:
        assert zf.testzip() is None
    with collection(tmp_path / "anki") as col:  # and a real Anki still imports the old deck
        import_package(col, out / "Cells.apkg")
        cards = rendered_cards(col)
        assert len(cards) == 1 and "ribosome is a molecular machine" in cards[0]["answer"]


def enospc(*_args: object, **_kw: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["zip", "sqlite", "fsync", "lock"])
def test_full_disk_leaves_the_previous_files_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   where: str) -> None:
    src, out, before = previous_build(tmp_path)
    if where == "zip":  # the package's bytes stop fitting part way through the zip
        monkeypatch.setattr(shutil, "copyfileobj", enospc)
    elif where == "sqlite":  # SQLite's own error, not an OSError
        real = sqlite3.connect

        class Full:
            def __init__(self, *a: object, **k: object) -> None:
                self.conn = real(*a, **k)  # type: ignore[arg-type]

            def __getattr__(self, name: str) -> object:
                return getattr(self.conn, name)

            def cursor(self) -> object:
                raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(sqlite3, "connect", Full)
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", enospc)
    else:  # decks written, then the lock file does not fit
        from generator.build import pipeline

        def chunks(*_args: object) -> object:  # the disk fills up half way through the lock file
            yield "{"
            enospc()

        monkeypatch.setattr(pipeline, "lock_chunks", chunks)
    code, err, _ = build(str(src), "-o", str(out), "--json", str(out / "cards.json"))
    assert code == 1
    what = {"zip": "Cells.apkg: cannot write deck: No space left on device",
            "sqlite": "Cells.apkg: cannot write deck: database or disk is full",
            "fsync": "Cells.apkg: cannot write deck: No space left on device",
            "lock": "certdeck.lock.json: cannot write lock file: No space left on device"}[where]
    assert err == [f"error: {out}/{what}; the previous file is unchanged"]
    assert not list(out.glob(".certdeck-*"))  # no temporary file left behind
    if where == "lock":  # the new deck and JSON are in place (complete); the lock is the previous one
        assert (out / "certdeck.lock.json").read_bytes() == before["certdeck.lock.json"]
        assert len(json.loads((out / "cards.json").read_text())["notes"]) == 2
        return
    assert_previous_intact(out, before, tmp_path)


def test_a_really_full_disk(tmp_path: Path) -> None:
    """A 512 KiB tmpfs: the second build's bigger deck does not fit (needs root to mount)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        src = tmp_path / "src"
        src.mkdir()
        (src / "cells.md").write_text(V1)
        out = mnt / "out"
        assert build(str(src), "-o", str(out))[0] == 0
        before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        filler = mnt / "filler"
        free = shutil.disk_usage(mnt).free
        filler.write_bytes(b"\0" * max(0, free - 30_000))  # leave less room than a new package needs
        (src / "cells.md").write_text(V2 + "".join(f"\nA gadget{i} is a tool that makes part {i} of a car.\n"
                                                   for i in range(300)))
        code, err, _ = build(str(src), "-o", str(out))
        assert code == 1
        assert len(err) == 1 and err[0].startswith(f"error: {out}/Cells.apkg: cannot write deck: ")
        assert err[0].endswith(("No space left on device; the previous file is unchanged",
                                "database or disk is full; the previous file is unchanged"))
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
        assert not list(out.glob(".certdeck-*"))
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


KILLER = textwrap.dedent("""
    import os, shutil, signal, sys
    import generator.package.apkg as package
    where = sys.argv.pop(1)
    if where == "zip":  # in the middle of writing the package's zip
        real = shutil.copyfileobj
        def copy(src, dst, length=0):
            dst.write(src.read(1000))
            os.kill(os.getpid(), signal.SIGKILL)
        shutil.copyfileobj = copy
    else:  # a file complete under its temporary name, just before the rename
        real_publish = package._publish
        def publish(tmp, target):
            if target.name.endswith(where):
                os.kill(os.getpid(), signal.SIGKILL)
            real_publish(tmp, target)
        package._publish = publish
    from generator.cli import main
    main()
""")


@pytest.mark.parametrize("where", ["zip", ".apkg", "cards.json", "lock.json"])
def test_sigkill_while_writing_leaves_the_previous_files_loadable(tmp_path: Path, where: str) -> None:
    src, out, before = previous_build(tmp_path)
    run = subprocess.run([sys.executable, "-c", KILLER, where, "build", str(src), "-o", str(out), "--json",
                          str(out / "cards.json"), "-q", "--jobs", "1", "--no-cache"],
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert run.returncode == -9, run.stderr
    if where in ("zip", ".apkg"):
        assert_previous_intact(out, before, tmp_path)
    else:  # killed later: whatever was renamed is complete, the rest is the previous file
        assert load_lock((out / "certdeck.lock.json").read_text(), "lock")
        assert json.loads((out / "cards.json").read_text())["notes"]
    # The next build finishes the job and removes what the killed one left behind.
    code, err, _ = build(str(src), "-o", str(out), "--json", str(out / "cards.json"))
    assert (code, err) == (0, [])
    assert not list(out.glob(".certdeck-*"))
    assert len(json.loads((out / "cards.json").read_text())["notes"]) == 2


MEASURE = textwrap.dedent("""
    import resource, subprocess, sys
    run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"{run.returncode}\\n{peak}\\n{run.stderr}", end="")
""")


def test_a_20_mb_article_finishes_under_the_memory_bound(tmp_path: Path) -> None:
    """20 MB whose first paragraph is one 1,000,000-character line: the line is built in full, the text
    past the 1 MB read limit is skipped with one warning, and the build's peak RSS stays under the bound."""
    article = tmp_path / "huge.md"
    text = huge_article(20_000_000)
    article.write_text(text, encoding="utf-8")
    line = text[: 1024 * 1024].rindex("\n\n") + 2  # the text is ASCII: characters are bytes
    cut_line = text[:line].count("\n") + 1
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "generator", "build", str(article), "-o", str(out), "--json", str(tmp_path / "c.json"),
           "-q", "--jobs", "1", "--no-cache"]
    run = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=900)  # a hang guard, not a timing
    code, peak_mb, stderr = run.stdout.split("\n", 2)
    assert (int(code), stderr) == (0, f"warning: {article}:{cut_line}: article is larger than 1 MB; the text from "
                                      "here on is skipped (split the file, or raise max-article-mb)\n")
    assert int(peak_mb) < MEMORY_LIMIT_MB, f"peak RSS {peak_mb} MB"
    notes = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["notes"]
    assert all(n["source"]["line"] < cut_line for n in notes)
    assert max(n["source"]["line"] for n in notes) > 3  # the blocks after the long line were read too
    tail = text.split("\n")[2][-50_000:]  # the last 5% of the 1 MB line was read and made cards too
    assert sum(n["source"]["line"] == 3 for n in notes) > 1000
    assert any(n["source"]["sentence"] in tail for n in notes if n["source"]["line"] == 3)
