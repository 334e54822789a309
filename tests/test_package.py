"""Packaging: the batched genanki writer matches stock genanki row for row, deflates, leaves no temp files."""
from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from generator.build.pipeline import plan_build
from generator.config import Settings
from generator.model import CardView, Gap, Note, SourceRef
from generator.notes.make import cloze_cards, cloze_html
from generator.package import apkg as package
from tests.ankiutil import collection, import_package, rendered_cards

TABLES = ("col", "notes", "cards", "revlog", "graves")


def _rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
        out["schema"] = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        return out
    finally:
        conn.close()


def _unzip_collection(apkg: Path, folder: Path) -> Path:
    with zipfile.ZipFile(apkg) as zf:
        zf.extract("collection.anki2", folder)
    return folder / "collection.anki2"


def _stock_genanki_db(notes: list[Note], deck: str, db: Path) -> Path:
    """What stock genanki writes for the same notes (Package.write_to_db, as write_to_file would)."""
    import itertools

    import genanki

    stamp = package.package_timestamp(notes)
    conn = sqlite3.connect(db)
    genanki.Package(package.to_genanki(notes, deck)).write_to_db(conn.cursor(), stamp,
                                                                   itertools.count(stamp * 1000))
    conn.commit()
    conn.close()
    return db


def _seed_and_fixture_notes(root: Path) -> dict[str, list[Note]]:
    sources = [root / "source", root / "tests" / "golden"]
    return plan_build(sources, Settings(now=1_700_000_000), root / "no-such-out").decks


def test_batched_package_holds_exactly_the_rows_stock_genanki_writes(tmp_path: Path, root: Path) -> None:
    decks = _seed_and_fixture_notes(root)
    assert sum(len(n) for n in decks.values()) >= 15
    decks["Bench::Many"] = _synthetic_notes(300)  # Q&A notes and clozes with several numbers too
    for i, (deck, notes) in enumerate(sorted(decks.items())):
        apkg = package.write_deck(notes, tmp_path, deck)
        ours = _rows(_unzip_collection(apkg, tmp_path / f"ours{i}"))
        stock = _rows(_stock_genanki_db(notes, deck, tmp_path / f"stock{i}.anki2"))
        assert ours == stock, deck
        assert len(ours["notes"]) == len(notes)
        assert len(ours["cards"]) == sum(len(n.cards) for n in notes)


def test_package_is_deflated_and_leaves_no_temporary_files(tmp_path: Path, root: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # genanki's own writer would leave its db here
    out = tmp_path / "out"
    out.mkdir()
    deck, notes = next(iter(_seed_and_fixture_notes(root).items()))
    apkg = package.write_deck(notes, out, deck)
    assert sorted(p.name for p in out.iterdir()) == [apkg.name]
    assert list(scratch.iterdir()) == []
    with zipfile.ZipFile(apkg) as zf:
        info = zf.getinfo("collection.anki2")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size < info.file_size / 2
        assert sorted(zf.namelist()) == ["collection.anki2", "media"]


def test_failed_write_keeps_the_previous_deck_and_leaves_nothing(tmp_path: Path, root: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    deck, notes = next(iter(_seed_and_fixture_notes(root).items()))
    apkg = package.write_deck(notes, tmp_path, deck)
    before = apkg.read_bytes()

    def broken_write(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "open", broken_write)
    with pytest.raises(OSError):
        package.write_deck(notes[:1], tmp_path, deck)
    assert apkg.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [apkg.name]


def _synthetic_notes(n: int) -> list[Note]:
    """Many distinct notes shaped like real ones (cloze with 1-3 gaps, Q&A), as the bench packages 100k."""
    notes = []
    for i in range(n):
        term = f"term{i}"
        ref = SourceRef("bench/a.md", i + 1, ("Unit", f"Part {i % 7}"), f"{term} is fact number {i}.")
        if i % 4 == 3:
            fields = (("Question", f"What is {term}?"), ("Answer", f"fact number {i}"), ("Extra", ""),
                      ("Context", "Unit"), ("Sentence", ref.sentence), ("Source", "Unit · bench/a.md"))
            notes.append(Note("qa", "Bench::Many", fields, (CardView(1, f"What is {term}?", (f"fact number {i}",)),),
                              ("bench", f"part-{i % 7}"), ref, "definition", 0.5, f"qa|{i}"))
            continue
        text = f"{term} is fact number {i} and also item {i * 7} of list {i % 13}."
        gaps = tuple(Gap(*span, ordinal=k + 1) for k, span in enumerate(
            [(0, len(term)), (text.index("item"), text.index("item") + 4), (text.index("list"),
                                                                            text.index("list") + 4)][: 1 + i % 3]))
        fields = (("Text", cloze_html(text, gaps)), ("Extra", ""), ("Context", "Unit"), ("Sentence", text),
                  ("Source", "Unit · bench/a.md"))
        notes.append(Note("cloze", "Bench::Many", fields, cloze_cards(text, gaps), ("bench",), ref, "claim", 0.5,
                          f"cloze|{i}"))
    return [replace(note, guid=f"g{i:07d}", mod=1_700_000_000 + i % 5) for i, note in enumerate(notes)]


def test_many_note_package_imports_into_real_anki(tmp_path: Path) -> None:
    notes = _synthetic_notes(600)
    apkg = package.write_deck(notes, tmp_path, "Bench::Many")
    with collection(tmp_path / "anki") as col:
        log = import_package(col, apkg)
        assert len(log.new) == 600 and not log.duplicate
        cards = rendered_cards(col)
        assert len(cards) == sum(len(n.cards) for n in notes)
        by_guid = {n.guid: n for n in notes}
        for card in cards[::37]:
            note = by_guid[card["guid"]]
            view = next(c for c in note.cards if c.ord == card["ord"] + 1) if note.kind == "cloze" else note.cards[0]
            for answer in view.answers:
                assert answer in card["answer"]
            if note.kind == "cloze":
                assert "[...]" in card["question"]
        ordered = sorted((c["due"], c["guid"]) for c in cards if c["ord"] == 0)
        assert [g for _, g in ordered] == [n.guid for n in notes]  # document order kept


@pytest.mark.parametrize("count", [0, 1, package.ROWS_PER_INSERT - 1, package.ROWS_PER_INSERT,
                                   package.ROWS_PER_INSERT + 1, 2 * package.ROWS_PER_INSERT + 5])
def test_batched_inserts_give_the_rows_one_insert_per_row_gives(count: int) -> None:
    rows = [(i, f"text {i}", i * 3) for i in range(count)]
    batched, single = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    for conn in (batched, single):
        conn.execute("CREATE TABLE t (id integer primary key, a text, b integer, c integer, d text)")
    package._insert_rows(batched.cursor(), "t", "(?,?,-1,?,'')", iter(rows))
    single.executemany("INSERT INTO t VALUES (?,?,-1,?,'')", rows)
    query = "SELECT id, a, b, c, d, typeof(b), typeof(d) FROM t ORDER BY rowid"
    assert batched.execute(query).fetchall() == single.execute(query).fetchall()
    assert len(batched.execute(query).fetchall()) == count
