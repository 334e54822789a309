"""The build's parent-side fast paths give what the general paths give.

Workers hand each note's Pending (what identity needs) and package row beside the pickled note; the parent
matches, packages and writes the lock from those, and unpickles a note only when it must. Each shortcut is
held here to the straightforward computation from the notes themselves.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import pipeline
from generator.build.article import ArticleResult, build_article, build_cards
from generator.build.articles import _build_task, _cache_key, _Task
from generator.build.cache import ArticleCache
from generator.build.entries import _result
from generator.build.parts import _Article, _Carried, _Stamped
from generator.config import Settings
from generator.identity.match import assign_identity, pending_of
from generator.package.apkg import note_row
from generator.package.export import cards_json, cards_json_chunks, note_to_json

T1, T2 = 1_700_000_000, 1_700_086_400
CELLS = """---
deck: Biology::Cells
---
# Cells

A ribosome is a molecular machine that builds proteins from amino acids.

A lysosome is an organelle that breaks down waste material inside the cell.

The {{c1::nucleus}} holds the {{c2::chromosomes}} of the cell.

- **Membrane**: the thin layer around the cell.
- **Cytoplasm**: the jelly that fills the cell.
"""


def _write(src: Path, name: str, text: str) -> None:
    src.mkdir(exist_ok=True)
    (src / name).write_text(text, encoding="utf-8")


def test_cards_json_in_pieces_is_one_json_dump_of_the_document() -> None:
    notes, _, _ = assign_identity(build_cards(CELLS, "cells.md"), {}, T1)
    for some in (notes, notes[:1], []):
        reference = json.dumps({"schema": "certdeck.cards/1", "notes": [note_to_json(n) for n in some]},
                               indent=1, ensure_ascii=False) + "\n"
        assert "".join(cards_json_chunks(iter(some))) == reference == cards_json(some)


def test_a_workers_entry_gives_the_pendings_and_rows_of_its_notes(tmp_path: Path) -> None:
    _write(tmp_path / "src", "cells.md", CELLS)
    file = tmp_path / "src" / "cells.md"
    task = _Task(file, file.parent, Settings(), None, None)
    result = _result(_build_task(task), None, packed=True, cache=ArticleCache(None, Settings()))
    assert result.packed is not None and not result.notes  # the notes came pickled
    article = _Article(result, lambda: build_article(file, Settings(), file.parent))
    pendings = article.pendings()
    notes = article.notes()
    assert notes == build_article(file, Settings(), file.parent).notes
    assert pendings == [pending_of(n) for n in notes]
    assert article.rows() == [note_row(n) for n in notes]


@pytest.mark.parametrize("meanwhile", ["untouched", "removed", "replaced"])
def test_notes_left_in_the_cache_entry_are_read_back_or_rebuilt(tmp_path: Path, meanwhile: str) -> None:
    _write(tmp_path / "src", "cells.md", CELLS)
    file, settings = tmp_path / "src" / "cells.md", Settings()
    cache = ArticleCache(tmp_path / "cache", settings)
    key = _cache_key(cache, file, file.parent, settings.article_limit())
    task = _Task(file, file.parent, settings, cache.folder, key)
    result = _result(_build_task(task), key, packed=True, cache=cache)
    assert result.packed is None and result.notes_in is cache and not result.notes  # not held in memory
    entry = cache._file(key)
    if meanwhile == "removed":
        entry.unlink()
    elif meanwhile == "replaced":  # a whole, valid entry, but of other notes
        other = tmp_path / "src" / "other.md"
        other.write_text(CELLS.replace("ribosome", "centrosome"), encoding="utf-8")
        entry.write_bytes(_build_task(_Task(other, other.parent, settings, None, None))[0])
    rebuilt: list[int] = []

    def rebuild() -> ArticleResult:
        rebuilt.append(1)
        return build_article(file, settings, file.parent)

    notes = _Article(result, rebuild).notes()
    assert notes == build_article(file, settings, file.parent).notes
    assert rebuilt == ([] if meanwhile == "untouched" else [1])


def _parts_hold_their_notes(build: pipeline.Build) -> int:
    """Every part's package rows are those of its notes; returns how many notes were checked."""
    checked = 0
    for parts in build.parts.values():
        for part in parts:
            notes = part.notes()
            assert part.rows() == [(n.guid, n.mod, note_row(n)) for n in notes]
            assert part.count == len(notes) and part.cards == sum(len(n.cards) for n in notes)
            checked += len(notes)
    return checked


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no cache"])
def test_renumbered_carried_and_retired_notes_package_as_their_notes(tmp_path: Path, cache: bool) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _write(src, "cells.md", CELLS)
    _write(src, "other.md", CELLS.replace("Cells", "Tissue").replace("cell", "tissue"))
    first = pipeline.plan_build([src], Settings(now=T1), out, use_cache=cache)
    assert _parts_hold_their_notes(first) > 5
    pipeline.write_build(first, out, use_cache=cache)
    # The cloze numbers swap (identity gives them back their old numbers) and a definition goes away.
    _write(src, "cells.md", CELLS.replace("{{c1::nucleus}}", "{{c9::nucleus}}").replace("{{c2::chromosomes}}",
                                                                                         "{{c1::chromosomes}}")
           .replace("- **Cytoplasm**: the jelly that fills the cell.\n", ""))
    second = pipeline.plan_build([src], Settings(now=T2), out, use_cache=cache)
    renumbered = [p for parts in second.parts.values() for p in parts if isinstance(p, _Stamped)
                  and any(s.renumbered is not None for _, s in p._stamps())]
    assert renumbered, "the swapped cloze was renumbered"
    assert any(isinstance(p, _Carried) for parts in second.parts.values() for p in parts) == cache
    assert any(n.retired for notes in second.decks.values() for n in notes)
    _parts_hold_their_notes(second)
    cloze = next(n for notes in second.decks.values() for n in notes if "nucleus" in n.source.sentence
                 and n.source.path.endswith("cells.md"))
    assert dict(cloze.fields)["Text"] == "The {{c1::nucleus}} holds the {{c2::chromosomes}} of the cell."
