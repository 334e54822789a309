"""Identity without Anki: matching to the lock, collisions, scope, cloze numbers, mod times, the lock file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build.article import build_cards
from generator.build.pipeline import plan_build, write_build
from generator.config import Settings
from generator.errors import GeneratorError
from generator.identity.lockfile import LOCK_NAME, LockEntry, load_lock
from generator.identity.lockwrite import dump_lock
from generator.identity.match import RETIRED_TAG, assign_identity
from generator.model import Note

T1, T2, T3 = 1_700_000_000, 1_700_086_400, 1_700_172_800
CELLS = """# Cells

A ribosome is a molecular machine that builds proteins from amino acids.

A lysosome is an organelle that breaks down waste material inside the cell.

The {{c1::nucleus}} holds the {{c2::chromosomes}} of the cell.
"""


def notes_of(text: str, path: str = "cells.md") -> list[Note]:
    return build_cards(text, path)


def run(notes: list[Note], lock: dict[str, LockEntry], now: int, **kw: object):  # type: ignore[no-untyped-def]
    return assign_identity(notes, lock, now, **kw)  # type: ignore[arg-type]


def by_sentence(notes: list[Note]) -> dict[str, Note]:
    return {n.source.sentence: n for n in notes}


def test_unchanged_notes_keep_guid_and_mod_changed_ones_get_a_newer_mod() -> None:
    first, lock, _ = run(notes_of(CELLS), {}, T1)
    assert {n.mod for n in first} == {T1}
    again, _, report = run(notes_of(CELLS.replace("waste material", "waste")), lock, T2)
    assert [n.guid for n in again] == [n.guid for n in first]
    changed = {c.sentence: c for c in report.changes if c.status == "changed"}
    assert list(changed) == ["A lysosome is an organelle that breaks down waste inside the cell."]
    assert changed[next(iter(changed))].match.startswith("similar")
    mods = {n.source.sentence: n.mod for n in again}
    assert mods["A lysosome is an organelle that breaks down waste inside the cell."] == T2
    assert mods["A ribosome is a molecular machine that builds proteins from amino acids."] == T1


def test_a_changed_note_is_newer_than_before_even_when_the_clock_is_behind() -> None:
    first, lock, _ = run(notes_of(CELLS), {}, T2)
    again, _, _ = run(notes_of(CELLS.replace("molecular machine", "tiny machine")), lock, T1)
    old = {n.guid: n.mod for n in first}
    assert [n.mod for n in again if n.mod != old[n.guid]] == [T2 + 1]


def test_an_unrelated_fact_does_not_take_a_deleted_facts_note() -> None:
    first, lock, _ = run(notes_of(CELLS), {}, T1)
    text = CELLS.replace("A lysosome is an organelle that breaks down waste material inside the cell.",
                         "A vacuole is a sac that stores water and nutrients in plant cells.")
    again, _, report = run(notes_of(text), lock, T2)
    lysosome = by_sentence(first)["A lysosome is an organelle that breaks down waste material inside the cell."]
    assert [c.guid for c in report.of("retired")] == [lysosome.guid]
    assert [c.sentence for c in report.of("new")] == [
        "A vacuole is a sac that stores water and nutrients in plant cells."]
    assert len({n.guid for n in again}) == len(again)


def test_facts_sharing_a_key_keep_distinct_stable_guids() -> None:
    a, b = notes_of(CELLS, "a.md"), notes_of(CELLS, "b.md")
    first, lock, _ = run(a + b, {}, T1)
    assert len({n.guid for n in first}) == len(first) == 6
    assert sum(" #" in k for k in lock) == 3  # the second of each pair is keyed "key #GUID"
    again, lock2, _ = run(a + b, lock, T2)
    assert [n.guid for n in again] == [n.guid for n in first] and dump_lock(lock2) == dump_lock(lock)
    # a.md loses its copy of the ribosome sentence: b.md's note keeps its own GUID.
    ribosome = "A ribosome is a molecular machine that builds proteins from amino acids.\n"
    a2 = notes_of(CELLS.replace(ribosome, ""), "a.md")
    third, _, report = run(a2 + b, lock, T3)
    ribo = "A ribosome is a molecular machine that builds proteins from amino acids."
    b_ribo = next(n for n in first if n.source.path == "b.md" and n.source.sentence == ribo)
    a_ribo = next(n for n in first if n.source.path == "a.md" and n.source.sentence == ribo)
    assert next(n for n in third if n.source.path == "b.md" and n.source.sentence == ribo and not n.retired).guid \
        == b_ribo.guid
    assert [c.guid for c in report.of("retired")] == [a_ribo.guid]


def test_a_renamed_and_edited_file_keeps_its_notes() -> None:
    first, lock, _ = run(notes_of(CELLS, "cells.md"), {}, T1)
    moved = notes_of(CELLS.replace("builds proteins", "assembles proteins"), "biology/cells-intro.md")
    again, _, report = run(moved, lock, T2)
    assert sorted(n.guid for n in again) == sorted(n.guid for n in first)
    assert report.counts() == {"new": 0, "changed": 3, "unchanged": 0, "retired": 0}
    assert {c.was_path for c in report.changes} == {"cells.md"}


def test_a_fact_that_changes_kind_is_a_new_note() -> None:
    """Anki skips a matched note whose note type differs, so a cloze never becomes a Q&A under one GUID."""
    first, lock, _ = run(notes_of("# Cells\n\nQ: What holds the chromosomes?\nA: The nucleus\n"), {}, T1)
    again, _, report = run(notes_of("# Cells\n\nThe {{c1::nucleus}} holds the chromosomes.\n"), lock, T2)
    assert report.counts()["new"] == 1 and report.counts()["retired"] == 1
    assert again[0].guid != first[0].guid


def test_articles_outside_the_build_are_not_retired() -> None:
    first, lock, _ = run(notes_of(CELLS, "a.md") + notes_of(CELLS.replace("cell", "body"), "b.md"), {}, T1)
    again, lock2, report = run(notes_of(CELLS, "a.md"), lock, T2, in_scope=lambda p: p == "a.md")
    assert report.counts()["retired"] == 0 and len(again) == 3
    assert {e.guid for e in lock2.values()} == {n.guid for n in first}
    assert [e for e in lock2.values() if e.retired] == []


def test_cloze_numbers_follow_their_answers_and_are_never_reused() -> None:
    _, lock, _ = run(notes_of(CELLS), {}, T1)
    # The author swaps the numbers: each answer keeps its own.
    swapped, lock, _ = run(notes_of(CELLS.replace("{{c1::nucleus}}", "{{c9::nucleus}}")
                                    .replace("{{c2::chromosomes}}", "{{c1::chromosomes}}")), lock, T2)
    cloze = next(n for n in swapped if n.rule == "markup")
    assert dict(cloze.fields)["Text"] == "The {{c1::nucleus}} holds the {{c2::chromosomes}} of the cell."
    # c2 goes; a new deletion gets number 3, not 2 (card 2 may hold another answer's history).
    text = CELLS.replace("holds the {{c2::chromosomes}} of the cell", "holds the chromosomes of the {{c2::cell}}")
    third, lock, report = run(notes_of(text), lock, T3)
    cloze = next(n for n in third if n.rule == "markup")
    assert dict(cloze.fields)["Text"] == "The {{c1::nucleus}} holds the chromosomes of the {{c3::cell}}."
    assert [c.ord for c in cloze.cards] == [1, 3]
    assert next(c for c in report.changes if c.guid == cloze.guid).emptied == (2,)
    entry = next(e for e in lock.values() if e.guid == cloze.guid)
    assert dict(entry.ordinals) == {"cell": 3, "chromosomes": 2, "nucleus": 1}


def test_lock_file_round_trips_and_is_sorted(tmp_path: Path) -> None:
    _, lock, _ = run(notes_of(CELLS), {}, T1)
    text = dump_lock(lock)
    assert dump_lock(load_lock(text, "x")) == text
    data = json.loads(text)
    # certdeck.lock/3: grouped by article (the path is the section's), each sorted by lock id
    assert data["schema"] == "certdeck.lock/3" and list(data["articles"]) == ["cells.md"]
    section = data["articles"]["cells.md"]
    assert list(section) == sorted(section) and len(section) == 3
    entry = next(v for v in section.values() if v["note"]["rule"] == "markup")
    assert set(entry) == {"guid", "hash", "mod", "kind", "ordinals", "note"}
    assert entry["note"]["source"]["path"] == "cells.md" and entry["note"]["fields"]["Text"].startswith("The {{c1::")


def _as_lock_v2(lock: dict[str, LockEntry]) -> str:
    """The layout certdeck.lock/2 wrote (one section for all notes, the path in each entry), as 7a7f9e9 did."""
    lines = []
    for lock_id, e in sorted(lock.items()):
        item: dict[str, object] = {"guid": e.guid, "mod": e.mod, "hash": e.hash, "path": e.path}
        if e.kind_hint:
            item["kind"] = e.kind_hint
        if e.retired:
            item["retired"] = True
        if e.ordinals:
            item["ordinals"] = dict(sorted(e.ordinals.items()))
        head = json.dumps(item, ensure_ascii=False, separators=(", ", ": "))
        if e.snapshot_json is not None:
            head = head[:-1] + ', "note": ' + e.snapshot_json.decode("utf-8") + "}"
        lines.append(f"{json.dumps(lock_id, ensure_ascii=False)}: {head}")
    return '{"schema": "certdeck.lock/2", "notes": {\n' + ",\n".join(lines) + "\n}}\n"


def test_lock_files_of_the_previous_layout_read_the_same_and_keep_every_note() -> None:
    a, b = notes_of(CELLS, "a.md"), notes_of(CELLS.replace("waste material", "waste"), "b.md")
    first, lock, _ = run(a + b, {}, T1)
    _, lock, _ = run(a, lock, T2)  # b.md's notes retire
    old = _as_lock_v2(lock)
    assert load_lock(old, "x") == load_lock(dump_lock(lock), "x") == lock
    assert load_lock(json.dumps(json.loads(old), indent=2), "x") == lock  # reformatted, too
    again, lock2, report = run(a, load_lock(old, "x"), T3)
    assert [n.guid for n in again[:3]] == [n.guid for n in first if n.source.path == "a.md"]
    assert sorted(n.guid for n in again[3:] if n.retired) == sorted(n.guid for n in first if n.source.path == "b.md")
    assert report.counts() == {"new": 0, "changed": 0, "unchanged": 6, "retired": 0}
    assert dump_lock(lock2) == dump_lock(lock)


def test_a_lock_file_laid_out_differently_reads_the_same() -> None:
    """Reformatted by hand or by a tool, it is still the same lock (read as any JSON, written back as ours)."""
    _, lock, _ = run(notes_of(CELLS), {}, T1)
    text = dump_lock(lock)
    pretty = json.dumps(json.loads(text), indent=2)
    assert load_lock(pretty, "x") == load_lock(text, "x")
    assert dump_lock(load_lock(pretty, "x")) == text


def test_a_damaged_note_content_is_reported_retired_but_not_shipped() -> None:
    _, lock, _ = run(notes_of(CELLS), {}, T1)
    text = dump_lock(lock).replace('"deck": "Cells", ', "", 1)  # one snapshot loses a key it needs
    damaged = load_lock(text, "x")
    again, _, report = run(notes_of("# Cells\n"), damaged, T2)
    assert report.counts()["retired"] == 3 and len(again) == 2


def test_old_lock_files_are_read_and_every_note_is_refreshed_once() -> None:
    first, lock, _ = run(notes_of(CELLS), {}, T1)
    old = {"schema": "certdeck.lock/1",
           "notes": {e.key: {"guid": e.guid, "hash": "0", "mod": e.mod, "path": e.path} for e in lock.values()}}
    again, _, report = run(notes_of(CELLS), load_lock(json.dumps(old), "lock"), T2)
    assert [n.guid for n in again] == [n.guid for n in first]
    assert report.counts() == {"new": 0, "changed": 3, "unchanged": 0, "retired": 0}


@pytest.mark.parametrize("text", ["{", '{"schema": "other", "notes": {}}',
                                  ('{"schema": "certdeck.lock/2", "notes": {"a": {"guid": "x", "hash": "h", "mod": 1},'
                                   ' "b": {"guid": "x", "hash": "h", "mod": 1}}}'),
                                  ('{"schema": "certdeck.lock/2", "notes": {"a": {"guid": "x", "hash": "h", "mod": 1,'
                                   ' "note": {"kind": "cloze"}}}}')])
def test_a_damaged_lock_file_is_one_error(text: str) -> None:
    with pytest.raises(GeneratorError, match="lock file is damaged"):
        load_lock(text, "decks/certdeck.lock.json")


def test_an_article_that_fails_to_read_keeps_its_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src, out = Path("src"), Path("out")
    src.mkdir()
    (src / "a.md").write_text(CELLS, encoding="utf-8")
    write_build(plan_build([src], Settings(now=T1), out), out)
    (src / "a.md").write_bytes(b"# Cells\x00\xff")
    build = plan_build([src], Settings(now=T2), out)
    assert len(build.errors) == 1 and build.report.counts()["retired"] == 0
    write_build(build, out)
    lock = load_lock((out / LOCK_NAME).read_text(encoding="utf-8"), "lock")
    assert len(lock) == 3 and not any(e.retired for e in lock.values())


def test_a_deleted_article_retires_its_notes_and_ships_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src, out = Path("src"), Path("out")
    src.mkdir()
    (src / "a.md").write_text(CELLS, encoding="utf-8")
    (src / "b.md").write_text("# Cells\n\nA centriole is a structure that organises the spindle.\n", encoding="utf-8")
    write_build(plan_build([src], Settings(now=T1), out), out)
    (src / "b.md").unlink()
    build = plan_build([src], Settings(now=T2), out)
    assert [c.path for c in build.report.of("retired")] == ["src/b.md"]
    shipped = [n for n in build.decks["Cells"] if n.retired]
    assert len(shipped) == 1 and RETIRED_TAG in shipped[0].tags and shipped[0].mod == T2
    write_build(build, out)
    again = plan_build([src], Settings(now=T3), out)  # still retired: nothing changes any more
    assert again.report.counts() == {"new": 0, "changed": 0, "unchanged": 4, "retired": 0}
    assert [n.mod for n in again.decks["Cells"] if n.retired] == [T2]


def test_retired_false_keeps_retired_notes_out_of_the_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src, out = Path("src"), Path("out")
    src.mkdir()
    (src / "a.md").write_text(CELLS, encoding="utf-8")
    write_build(plan_build([src], Settings(now=T1), out), out)
    (src / "a.md").write_text(CELLS.replace("A ribosome is a molecular machine that builds proteins from amino "
                                            "acids.\n", ""), encoding="utf-8")
    build = plan_build([src], Settings(now=T2, retired=False), out)
    assert build.report.counts()["retired"] == 1
    assert not any(n.retired for n in build.decks["Cells"]) and len(build.decks["Cells"]) == 2
    assert sum(e.retired for e in build.lock.values()) == 1  # still known: it stays retired, never re-added


def test_a_gap_moved_to_another_term_keeps_the_note() -> None:
    """New extraction rules may gap another word of the same sentence: still the same note."""
    first, lock, _ = run(notes_of("# Cells\n\nThe {{c1::nucleus}} holds the chromosomes of the cell.\n"), {}, T1)
    again, _, report = run(notes_of("# Cells\n\nThe nucleus holds the {{c1::chromosomes}} of the cell.\n"), lock, T2)
    assert again[0].guid == first[0].guid
    assert [(c.status, c.match) for c in report.changes] == [("changed", "same sentence")]


def test_two_reworded_facts_each_keep_their_own_note() -> None:
    text = ("# Pumps\n\nA centrifugal pump is a machine that moves water by spinning an impeller.\n\n"
            "A piston pump is a machine that moves water by pushing a piston.\n")
    first, lock, _ = run(notes_of(text), {}, T1)
    reworded = text.replace("moves water by spinning", "moves fluid by spinning").replace(
        "moves water by pushing", "moves fluid by pushing")
    again, _, report = run(notes_of(reworded), lock, T2)
    assert [n.guid for n in again] == [n.guid for n in first]
    assert [c.status for c in report.changes] == ["changed", "changed"]


def test_a_gap_moved_to_another_word_keeps_its_card_number() -> None:
    """Nothing of the old deletion survives: the new gap takes over card 1 rather than leaving it empty."""
    _, lock, _ = run(notes_of("# Cells\n\nThe {{c1::nucleus}} holds the chromosomes of the cell.\n"), {}, T1)
    again, lock, report = run(notes_of("# Cells\n\nThe nucleus holds the {{c1::chromosomes}} of the cell.\n"),
                              lock, T2)
    assert dict(again[0].fields)["Text"] == "The nucleus holds the {{c1::chromosomes}} of the cell."
    assert report.changes[0].emptied == ()
    assert dict(next(iter(lock.values())).ordinals) == {"chromosomes": 1}


def test_a_dropped_deletion_is_not_reused_by_a_new_one() -> None:
    """Some deletions survive: a new one gets a new number, the dropped one's card stays its own (empty)."""
    _, lock, _ = run(notes_of("# W\n\nWounds: {{c1::abrasions}}, {{c2::lacerations}} and {{c3::punctures}}.\n"),
                     {}, T1)
    again, _, report = run(notes_of("# W\n\nWounds: {{c1::abrasions}}, {{c2::burns}} and {{c3::punctures}}.\n"),
                           lock, T2)
    assert dict(again[0].fields)["Text"] == "Wounds: {{c1::abrasions}}, {{c4::burns}} and {{c3::punctures}}."
    assert report.changes[0].emptied == (2,)
