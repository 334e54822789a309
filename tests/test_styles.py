"""Style changes reach learners: the lock keeps each note type's CSS hash; a build whose CSS changed stamps
the note types newer, so Anki's default import (update if newer) applies it, and nothing else moves."""
from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.identity.lockfile import LOCK_NAME, load_lock, load_styles, section_spans
from generator.notes import templates
from generator.package import apkg as package
from tests.ankiutil import collection, import_package
from tests.rebuild_scenarios import APKG, V1_TIME, V2_TIME, build, make_v1

NEW_CSS = templates.CSS + "\n.card .cd-context { letter-spacing: 0.02em; }\n"


def model_mods(apkg: Path, tmp: Path) -> dict[str, int]:
    with zipfile.ZipFile(apkg) as zf:
        (tmp / "c.anki2").write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(tmp / "c.anki2")
    models = json.loads(conn.execute("select models from col").fetchone()[0])
    conn.close()
    (tmp / "c.anki2").unlink()
    return {m["name"]: m["mod"] for m in models.values()}


@pytest.fixture
def restyle(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Call it to turn certdeck into a version whose CSS differs from the one that built v1."""
    def switch() -> None:
        monkeypatch.setattr(templates, "CSS", NEW_CSS)
        package._models.cache_clear()
    yield switch
    monkeypatch.undo()
    package._models.cache_clear()


def test_lock_keeps_css_hashes_and_reads_back(tmp_path: Path) -> None:
    make_v1(tmp_path)
    data = (tmp_path / "out" / LOCK_NAME).read_bytes()
    styles = load_styles(data)
    assert styles == {k: (package.css_digest(templates.CSS), V1_TIME) for k in ("cloze", "qa")}
    assert data.split(b"\n", 1)[0].endswith(b'"articles": {')
    assert section_spans(data)  # still laid out for the incremental build
    assert load_lock(data, "lock") and json.loads(data)["styles"]["cloze"]["mod"] == V1_TIME
    # an unchanged rebuild a day later keeps the stamp, and the package is the same
    first = (tmp_path / "out" / APKG).read_bytes()
    build(tmp_path, V2_TIME)
    assert load_styles((tmp_path / "out" / LOCK_NAME).read_bytes()) == styles
    assert (tmp_path / "out" / APKG).read_bytes() == first


def test_css_only_rebuild_lands_and_reviews_stay(tmp_path: Path, restyle: Callable[[], None]) -> None:
    root = make_v1(tmp_path)  # built, imported, every card studied (with the old CSS)
    restyle()
    with collection(root / "anki") as col:
        old_css = col.models.by_name(templates.CLOZE_MODEL_NAME)["css"]
        studied = col.db.all("select id, ivl, due, reps, queue from cards order by id")
        reviews = col.db.scalar("select count() from revlog")
        notes = col.db.all("select guid, mod, flds from notes order by guid")
    assert old_css != NEW_CSS
    result = build(root, V2_TIME)
    assert not result.report.of("changed")
    assert load_styles((root / "out" / LOCK_NAME).read_bytes())["cloze"] == (package.css_digest(NEW_CSS), V2_TIME)
    mods = model_mods(root / "out" / APKG, tmp_path)
    assert set(mods.values()) == {V2_TIME}  # newer than every note (all still V1_TIME)
    with collection(root / "anki") as col:
        import_package(col, root / "out" / APKG)  # Anki desktop's default options
        for name in (templates.CLOZE_MODEL_NAME, templates.QA_MODEL_NAME):
            assert col.models.by_name(name)["css"] == NEW_CSS
        assert not [m for m in col.models.all_names_and_ids() if m.name.endswith("+")]
        assert col.db.all("select id, ivl, due, reps, queue from cards order by id") == studied
        assert col.db.scalar("select count() from revlog") == reviews
        assert col.db.all("select guid, mod, flds from notes order by guid") == notes


def test_without_the_stamp_a_css_only_rebuild_is_lost(tmp_path: Path, restyle: Callable[[], None]) -> None:
    """Why the stamp is needed: the same rebuild with the note types at the notes' mod does not restyle."""
    root = make_v1(tmp_path)
    restyle()
    build(root, V2_TIME)
    apkg = root / "out" / APKG
    unstamped = tmp_path / "unstamped.apkg"
    shutil.copy(apkg, unstamped)
    with zipfile.ZipFile(unstamped) as zf:
        db = zf.read("collection.anki2")
    (tmp_path / "c.anki2").write_bytes(db)
    conn = sqlite3.connect(tmp_path / "c.anki2")
    models = json.loads(conn.execute("select models from col").fetchone()[0])
    for m in models.values():
        m["mod"] = V1_TIME
    conn.execute("update col set models = ?", (json.dumps(models),))
    conn.commit()
    conn.close()
    with zipfile.ZipFile(apkg) as src, zipfile.ZipFile(unstamped, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, (tmp_path / "c.anki2").read_bytes() if item.filename == "collection.anki2"
                         else src.read(item.filename))
    with collection(root / "anki") as col:
        import_package(col, unstamped)
        assert col.models.by_name(templates.CLOZE_MODEL_NAME)["css"] != NEW_CSS
