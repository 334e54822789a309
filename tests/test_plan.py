"""`certdeck plan`: a dry run against the lock file, as text and as JSON; it writes nothing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app

ARTICLE = """# Cells

A ribosome is a molecular machine that builds proteins from amino acids.

A lysosome is an organelle that breaks down waste material inside the cell.
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "cells.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def test_plan_without_a_lock_says_every_note_is_new_and_writes_nothing(project: Path) -> None:
    result = CliRunner().invoke(app, ["plan"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "plan: 2 new, 0 changed, 0 unchanged, 0 retired " \
                       "(no lock file at decks/certdeck.lock.json yet: every note is new)"
    assert len(lines) == 3 and all(line.startswith("new        cloze  ") for line in lines[1:])
    assert "source/cells.md:3" in lines[1] and "source/cells.md:5" in lines[2]
    assert not (project / "decks").exists()


def test_plan_after_an_edit_lists_each_note(project: Path) -> None:
    assert CliRunner().invoke(app, ["build", "-q"]).exit_code == 0
    lock = (project / "decks" / "certdeck.lock.json").read_bytes()
    (project / "source" / "cells.md").write_text(
        ARTICLE.replace("builds proteins", "assembles proteins").replace(
            "A lysosome is an organelle that breaks down waste material inside the cell.\n",
            "A vacuole is a sac that stores water and nutrients in plant cells.\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "plan: 1 new, 1 changed, 0 unchanged, 1 retired (against decks/certdeck.lock.json)"
    changed = next(line for line in lines if line.startswith("changed"))
    assert '"A ribosome is a molecular machine that assembles proteins from amino ..."' in changed
    assert "[changed: Text, Sentence; matched by similar 0." in changed
    retired = next(line for line in lines if line.startswith("retired"))
    assert "lysosome" in retired and "gone from the source: tagged certdeck::retired" in retired
    assert next(line for line in lines if line.startswith("new")).count("vacuole") == 1
    assert (project / "decks" / "certdeck.lock.json").read_bytes() == lock  # a dry run

    data = json.loads(CliRunner().invoke(app, ["plan", "--json"]).stdout)
    assert data["schema"] == "certdeck.plan/1" and data["lock_found"] is True
    assert data["counts"] == {"new": 1, "changed": 1, "unchanged": 0, "retired": 1}
    assert {n["status"] for n in data["notes"]} == {"new", "changed", "retired"}
    assert set(data["notes"][0]) == {"status", "guid", "kind", "path", "line", "sentence", "match", "was_path",
                                     "fields", "retired", "emptied_cloze_numbers"}

    build = CliRunner().invoke(app, ["build"])
    assert build.exit_code == 0
    assert build.stdout.splitlines()[1:] == [
        "Cells: 1 retired notes, 1 cards -> decks/Cells.retired.apkg",
        "notes: 1 new, 1 changed, 0 unchanged, 1 retired",
        "retired: source/cells.md:5: A lysosome is an organelle that breaks down waste material inside the cell."]


def test_plan_reports_what_a_damaged_lock_lost(project: Path) -> None:
    """Issue #13: a damaged lock is read for what it still holds, never refused (see test_lock_safety.py)."""
    (project / "decks").mkdir()
    (project / "decks" / "certdeck.lock.json").write_text("{", encoding="utf-8")
    result = CliRunner().invoke(app, ["plan"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: decks/certdeck.lock.json:1: not a lock entry, skipped: {",
        "warning: decks/certdeck.lock.json: no note of the lock file could be read: every note is new"]
