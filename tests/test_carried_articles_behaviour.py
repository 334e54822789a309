"""A build gives the same notes whichever shortcut made them: carried from the last build, read back from
the article cache (even one changed under it), rebuilt, or made after other articles filled the memos.

Guarantees kept from the tests that held the build's parent-side fast paths (pendings and package rows
handed over by workers, notes left pickled in the cache, carried articles) to the general computation:
- every deck part's package rows, note count and card count are those of its notes;
- notes left in the cache are read back, or rebuilt when their entry went missing or holds other notes;
- a carried article equals the same article rebuilt and matched again (cache on and off give the same
  decks, GUIDs, mods, retired notes and renumbered clozes);
- an article's notes do not depend on the article memos or on what was built before it;
- the duplicate finder's scan limit (a speed knob) does not change which facts are kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import model
from generator.build import articles, pipeline
from generator.build.article import build_cards
from generator.build.cache import CACHE_DIR
from generator.build.pipeline import plan_build, write_build
from generator.config import Settings
from generator.memo import forget_article
from generator.package.apkg import note_row

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
TISSUE = CELLS.replace("Cells", "Tissue").replace("cell", "tissue").replace("ribosome", "fibroblast")
# The cloze numbers swap (identity gives them back their old numbers) and a definition goes away.
CELLS_EDITED = (
    CELLS.replace("{{c1::nucleus}}", "{{c9::nucleus}}")
    .replace("{{c2::chromosomes}}", "{{c1::chromosomes}}")
    .replace("- **Cytoplasm**: the jelly that fills the cell.\n", "")
)


def _write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _parts_hold_their_notes(build: pipeline.Build) -> int:
    checked = 0
    for parts in build.parts.values():
        for part in parts:
            notes = part.notes()
            assert part.rows() == [(n.guid, n.mod, note_row(n)) for n in notes]
            assert part.count == len(notes) and part.cards == sum(len(n.cards) for n in notes)
            checked += len(notes)
    return checked


def _decks(build: pipeline.Build) -> dict[str, list[tuple[object, ...]]]:
    return {
        deck: [(n.guid, n.mod, n.retired, n.fields, n.cards, n.tags, n.key) for n in notes]
        for deck, notes in build.decks.items()
    }


def _two_builds(project: Path, cache: bool) -> tuple[pipeline.Build, pipeline.Build]:
    """The first build and the second after an edit, each checked and written (`project`/out). A Build is
    read before the next one starts: its notes may still be in cache entries the next build replaces."""
    project.mkdir()
    src = _write(project / "src", {"cells.md": CELLS, "tissue.md": TISSUE})
    out = project / "out"
    builds = []
    for now in (T1, T2):
        build = plan_build([src], Settings(now=now), out, use_cache=cache)
        assert _parts_hold_their_notes(build) > 5
        build.decks  # noqa: B018  (read now: kept on the Build)
        write_build(build, out, use_cache=cache)
        builds.append(build)
        _write(src, {"cells.md": CELLS_EDITED})
    return builds[0], builds[1]


def _written(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def test_carried_and_cached_articles_equal_rebuilt_ones(tmp_path: Path) -> None:
    first_cached, second_cached = _two_builds(tmp_path / "cached", cache=True)
    first_plain, second_plain = _two_builds(tmp_path / "plain", cache=False)
    assert second_cached.carried and not second_plain.carried  # tissue.md did not change: carried
    for cached, plain in ((first_cached, first_plain), (second_cached, second_plain)):
        assert _decks(cached) == _decks(plain)
    assert _written(tmp_path / "cached" / "out") == _written(tmp_path / "plain" / "out")  # decks and lock
    notes = [n for ns in second_cached.decks.values() for n in ns]
    assert any(n.retired for n in notes)  # the definition that went away
    cloze = next(n for n in notes if "nucleus" in n.source.sentence and n.source.path.endswith("cells.md"))
    assert dict(cloze.fields)["Text"] == "The {{c1::nucleus}} holds the {{c2::chromosomes}} of the cell."


@pytest.mark.parametrize("meanwhile", ["untouched", "removed", "replaced", "emptied"])
def test_notes_left_in_the_cache_are_read_back_or_rebuilt(
    tmp_path: Path, meanwhile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _write(tmp_path / "src", {"cells.md": CELLS, "tissue.md": TISSUE})
    reference = _decks(plan_build([src], Settings(now=T1), tmp_path / "ref"))
    out = tmp_path / "out"
    build = plan_build([src], Settings(now=T1), out, use_cache=True)  # the notes stay in the cache entries
    entries = sorted((out / CACHE_DIR).rglob("*.pickle"))
    assert len(entries) >= 2
    if meanwhile == "removed":
        for entry in entries:
            entry.unlink()
    elif meanwhile == "replaced":  # whole, valid entries, but each of the other article's notes
        first, second = entries[0].read_bytes(), entries[1].read_bytes()
        entries[0].write_bytes(second)
        entries[1].write_bytes(first)
    elif meanwhile == "emptied":
        entries[0].write_bytes(b"")
    rebuilt: list[str] = []
    real = articles.build_article  # what an article whose notes went missing is rebuilt with
    monkeypatch.setattr(
        articles, "build_article", lambda file, *a, **k: rebuilt.append(file.name) or real(file, *a, **k)
    )
    assert _decks(build) == reference
    assert len(rebuilt) == {"untouched": 0, "removed": 2, "replaced": 2, "emptied": 1}[meanwhile]
    assert _parts_hold_their_notes(build) > 5


ROOTS = """# Roots

Roots take up water and minerals from the soil.

Deep roots anchor a tree against strong wind.

Root hairs increase the surface that takes up water.
"""


def test_an_articles_notes_do_not_depend_on_what_was_built_before() -> None:
    forget_article()
    alone = build_cards(CELLS, "cells.md")
    for other in (ROOTS, TISSUE, CELLS_EDITED):
        build_cards(other, "other.md")  # fills the article memos; a worker does not always forget them
        assert build_cards(CELLS, "cells.md") == alone
    forget_article()
    assert build_cards(CELLS, "cells.md") == alone


def _compost_facts() -> tuple[list[model.Fact], model.Document]:
    """Facts on one answer whose words mostly overlap: near-duplicates found through the shared answer."""
    facts, blocks = [], []
    extras = ["", " in early spring", " every year", " on cold farms", " near old walls", " after heavy rain",
              " for tall plants", " in small towns"]
    for i, extra in enumerate(extras):
        for j, where in enumerate(["rose beds", "bean rows", "herb pots"]):
            text, line = f"Compost feeds the soil of {where}{extra}.", 3 * i + j + 1
            block = model.Block("paragraph", text, line, (), (model.Sentence(text, line),))
            blocks.append(block)
            facts.append(model.Fact("claim", "cloze", text, "compost", 0.6 + 0.01 * i, block, text, line,
                                    (model.Gap(0, 7, 1),)))
    return facts, model.Document("a.md", "Soil", {}, tuple(blocks))


@pytest.mark.parametrize("limit", [0, 1, 3, 10**6])
def test_the_duplicate_finders_scan_limit_changes_no_kept_fact(
    limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.select import selection as select

    facts, doc = _compost_facts()
    expected = select.select(facts, doc)
    assert len(expected) < len(facts)  # near-duplicates were dropped
    monkeypatch.setattr(select, "_SCAN_LIMIT", limit)
    assert select.select(facts, doc) == expected


SIMILAR = (
    "# Soil care\n\n"
    + "\n\n".join(
        f"Compost {verb} the {noun} of the soil in {season} for {plant}."
        for verb in ("feeds", "improves", "builds")
        for noun in ("structure", "texture")
        for season in ("spring", "autumn")
        for plant in ("roses", "beans", "roses too")
    )
    + "\n"
)


@pytest.mark.parametrize("limit", [0, 1, 10**6])
def test_the_scan_limit_changes_no_note_of_an_article(limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.select import selection as select

    for article in (SIMILAR, CELLS, ROOTS):
        forget_article()
        expected = build_cards(article, "a.md")
        monkeypatch.setattr(select, "_SCAN_LIMIT", limit)
        forget_article()
        assert build_cards(article, "a.md") == expected
        monkeypatch.undo()
    assert len(build_cards(SIMILAR, "a.md")) < SIMILAR.count("Compost")  # near-duplicates were dropped
