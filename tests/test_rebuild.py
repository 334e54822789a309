"""Rebuild after an edit, re-import into a learner's studied collection (official anki package, desktop's
default import options): nothing duplicates, every review is kept, edits land, new facts arrive, gone ones
are retired. One studied v1 collection is built per module and copied for each scenario."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.rebuild_scenarios import (
    APKG,
    SCENARIOS,
    V1_TIME,
    V2_TIME,
    Scenario,
    build,
    make_v1,
    rebuild_and_reimport,
)

RETIRED = "certdeck::retired"


@pytest.fixture(scope="module")
def v1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_v1(tmp_path_factory.mktemp("v1"))


def _guid_of(v1: Path, fragment: str) -> str:
    notes = json.loads((v1 / "v1.cards.json").read_text(encoding="utf-8"))["notes"]
    found = [n["guid"] for n in notes if fragment in n["source"]["sentence"]]
    assert len(found) == 1, (fragment, found)
    return found[0]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_rebuild_keeps_every_review_and_duplicates_nothing(v1: Path, tmp_path: Path, scenario: Scenario) -> None:
    o = rebuild_and_reimport(v1, tmp_path, scenario)
    assert not o.log.conflicting and not o.log.missing_notetype
    # Nothing duplicates: every note the learner had is in the new package (live or retired) under its
    # GUID, and no two live notes hold the same source sentence.
    assert o.orphaned == [] and o.same_sentence == []
    assert o.matched == len(o.notes_before) == 11
    # Every studied card keeps its review history and schedule, exactly.
    assert len(o.reviewed_cards) == 13
    assert o.kept == o.reviewed_cards
    # Exactly the notes whose content changed were updated; the others are untouched (same mod, same text).
    touched = {c.guid for c in o.build.report.changes if c.status in ("changed", "retired")}
    assert o.updated == len(touched)
    for guid, before in o.notes_before.items():
        after = o.notes_after[guid]
        if guid in touched:
            assert after["mod"] > before["mod"] and after != before
        else:
            assert after == before
    if scenario.everything_updated:
        assert touched == set(o.notes_before)
    # Edited facts show their new text on the learner's cards, under the GUID they had.
    for old, new in scenario.edited.items():
        shown = " ".join(q + " " + a for q, a in o.rendered[_guid_of(v1, old)].values())
        assert new in shown and old not in shown
    # New facts arrive as new notes, and nothing else does.
    added = [g for g in o.notes_after if g not in o.notes_before]
    assert o.added == len(added) == len(scenario.new)
    for fragment in scenario.new:
        assert any(fragment in o.notes_after[g]["fields"][-2] for g in added)
        assert any(fragment in a for g in added for _, a in o.rendered[g].values())
    # Facts gone from the source are reported, and the learner's note is tagged so it can be suspended.
    retired = o.build.report.of("retired")
    assert len(retired) == len(scenario.retired)
    for fragment in scenario.retired:
        change = next(c for c in retired if fragment in c.sentence)
        assert change.guid == _guid_of(v1, fragment)
        assert RETIRED in o.notes_after[change.guid]["tags"]


def test_no_change_rebuild_imports_with_nothing_changed(v1: Path, tmp_path: Path) -> None:
    o = rebuild_and_reimport(v1, tmp_path, SCENARIOS[0])
    assert o.build.report.counts() == {"new": 0, "changed": 0, "unchanged": 11, "retired": 0}
    assert (o.added, o.updated, len(o.log.duplicate)) == (0, 0, 11)  # matched, not newer: left alone
    assert o.notes_after == o.notes_before and o.cards_after == o.cards_before
    assert (tmp_path / "out" / "certdeck.lock.json").read_bytes() == (v1 / "out" / "certdeck.lock.json").read_bytes()
    assert (tmp_path / "v2.cards.json").read_bytes() == (v1 / "v1.cards.json").read_bytes()


def test_dropped_cloze_deletion_keeps_the_other_numbers(v1: Path, tmp_path: Path) -> None:
    """The author removes c2 and renumbers c3 to c2: the punctures card keeps number 3 and its history."""
    scenario = next(s for s in SCENARIOS if s.name == "drop a cloze deletion")
    o = rebuild_and_reimport(v1, tmp_path, scenario)
    guid = _guid_of(v1, "abrasions, lacerations and punctures")
    cards = o.rendered[guid]
    assert "[...]" in cards[2][0] and "punctures" in cards[2][1]  # card of c3, as before
    assert "[...]" in cards[0][0] and "abrasions" in cards[0][1]
    assert all("lacerations" not in q + a for q, a in cards.values())
    note = next(n for notes in o.build.decks.values() for n in notes if n.guid == guid)
    assert "{{c1::abrasions}}" in note.fields[0][1] and "{{c3::punctures}}" in note.fields[0][1]
    change = next(c for c in o.build.report.changes if c.guid == guid)
    assert change.emptied == (2,)


def test_two_builds_of_the_same_input_are_identical(tmp_path: Path, v1: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name / "src").mkdir(parents=True)
        (tmp_path / name / "src" / "first-aid.md").write_text((v1 / "src" / "first-aid.md").read_text())
        build(tmp_path / name, V1_TIME, "cards.json")
    for name in ("cards.json", "out/certdeck.lock.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    # A rebuild a day later on top of the lock changes nothing either.
    build(tmp_path / "a", V2_TIME, "again.json")
    assert (tmp_path / "a" / "again.json").read_bytes() == (tmp_path / "b" / "cards.json").read_bytes()
    assert (tmp_path / "a" / "out" / "certdeck.lock.json").read_bytes() == \
        (tmp_path / "b" / "out" / "certdeck.lock.json").read_bytes()
    assert (tmp_path / "a" / "out" / APKG).is_file()


def test_retired_note_is_in_cards_json_and_comes_back_with_its_guid(v1: Path, tmp_path: Path) -> None:
    scenario = next(s for s in SCENARIOS if s.name == "delete a paragraph")
    rebuild_and_reimport(v1, tmp_path, scenario)
    notes = json.loads((tmp_path / "v2.cards.json").read_text(encoding="utf-8"))["notes"]
    gone = [n for n in notes if n["retired"]]
    assert [n["guid"] for n in gone] == [_guid_of(v1, "raise their legs")]
    assert RETIRED in gone[0]["tags"] and "raise their legs" in gone[0]["source"]["sentence"]
    assert all(RETIRED not in n["tags"] for n in notes if not n["retired"])
    # The author puts the paragraph back: the same note returns, untagged.
    (tmp_path / "src" / "first-aid.md").write_text((v1 / "src" / "first-aid.md").read_text())
    again = build(tmp_path, V2_TIME + 60)
    back = next(c for c in again.report.changes if c.guid == gone[0]["guid"])
    assert (back.status, back.retired) == ("changed", False)
    assert again.report.counts()["new"] == 0
