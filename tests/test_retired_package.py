"""Retired notes never reach a first-time learner (issue #13, item 5): they leave DECK.apkg for
DECK.retired.apkg, which a learner who has them imports to have them tagged. Checked with the official anki
package: a fresh collection, a studied one, and the repository's own shipped decks."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.identity.lockfile import LOCK_NAME
from generator.identity.match import RETIRED_TAG
from tests.ankiutil import collection, import_package
from tests.rebuild_scenarios import APKG, RETIRED_APKG, SCENARIOS, V2_TIME, _cards, _notes, build, make_v1

ROOT = Path(__file__).resolve().parent.parent
DELETE = next(s for s in SCENARIOS if s.name == "delete a paragraph")


@pytest.fixture(scope="module")
def v1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_v1(tmp_path_factory.mktemp("v1"))


def _tags(col) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {guid: tags.split() for guid, tags in col.db.all("select guid, tags from notes")}


def _v2(v1: Path, work: Path) -> Path:
    for name in ("src", "out", "anki"):
        shutil.copytree(v1 / name, work / name)
    DELETE.edit(work / "src")
    build(work, V2_TIME)
    return work


def test_a_first_import_never_gets_a_retired_note(v1: Path, tmp_path: Path) -> None:
    work = _v2(v1, tmp_path)
    with collection(tmp_path / "fresh") as col:
        import_package(col, work / "out" / APKG)
        tags = _tags(col)
    assert len(tags) == 10 and not any(RETIRED_TAG in t for t in tags.values())
    with collection(tmp_path / "retired-only") as col:
        import_package(col, work / "out" / RETIRED_APKG)
        retired = _tags(col)
    assert len(retired) == 1 and all(RETIRED_TAG in t for t in retired.values())
    assert not set(retired) & set(tags)


def test_a_learner_who_has_the_notes_keeps_every_review_and_can_find_the_retired_one(v1: Path, tmp_path: Path) -> None:
    work = _v2(v1, tmp_path)
    with collection(work / "anki") as col:
        cards_before = _cards(col)
        import_package(col, work / "out" / APKG)
        import_package(col, work / "out" / RETIRED_APKG)
        assert _cards(col) == cards_before  # every card, its schedule and its review count, exactly
        found = col.find_notes(f"tag:{RETIRED_TAG}")
        assert len(found) == 1 and "raise their legs" in col.get_note(found[0]).fields[-2]
        assert len(_notes(col)) == 11


def test_a_revived_fact_takes_its_retired_package_away(v1: Path, tmp_path: Path) -> None:
    work = _v2(v1, tmp_path)
    assert (work / "out" / RETIRED_APKG).exists()
    shutil.rmtree(work / "src")
    shutil.copytree(v1 / "src", work / "src")
    build(work, V2_TIME + 86_400)
    assert not (work / "out" / RETIRED_APKG).exists()


def test_the_build_line_counts_retired_notes_truthfully(v1: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    work = _v2(v1, tmp_path)
    monkeypatch.chdir(work)
    result = CliRunner().invoke(app, ["build", "src", "-o", "out", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"First Aid::Bleeding: 10 notes, 12 cards -> out/{APKG}",
        f"First Aid::Bleeding: 1 retired notes, 1 cards -> out/{RETIRED_APKG}",
        "notes: 0 new, 0 changed, 10 unchanged, 0 retired, 1 retired earlier"]


def test_the_shipped_decks_carry_no_retired_note_as_a_new_card(tmp_path: Path) -> None:
    lock = json.loads((ROOT / "decks" / LOCK_NAME).read_text(encoding="utf-8"))
    entries = [e for section in lock["articles"].values() for e in section.values()]
    live = {e["guid"] for e in entries if not e.get("retired")}
    retired = {e["guid"] for e in entries if e.get("retired")}
    packages = sorted((ROOT / "decks").glob("*.apkg"))
    decks = [p for p in packages if not p.name.endswith(".retired.apkg")]
    with collection(tmp_path / "first") as col:
        for deck in decks:
            import_package(col, deck)
        tags = _tags(col)
    assert set(tags) == live and not any(RETIRED_TAG in t for t in tags.values())
    if retired:
        with collection(tmp_path / "retired") as col:
            for package in packages:
                if package.name.endswith(".retired.apkg"):
                    import_package(col, package)
            tags = _tags(col)
        assert set(tags) == retired and all(RETIRED_TAG in t for t in tags.values())
