"""Packaging stage: Notes -> one .apkg per deck with genanki. The only module that imports genanki.

Files are written to a temporary name in the output folder and renamed, so a failed or killed build
leaves the previous deck intact.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
import zipfile
import json
import itertools
from pathlib import Path
from typing import Any, Mapping, Sequence

from .ids import stable_id
from .model import Note
from . import templates


def _genanki() -> Any:
    import genanki

    return genanki


def _models() -> dict[str, Any]:
    g = _genanki()
    cloze = g.Model(templates.CLOZE_MODEL_ID, templates.CLOZE_MODEL_NAME,
                    fields=[{"name": n} for n in templates.CLOZE_FIELDS], templates=templates.CLOZE_TEMPLATES,
                    css=templates.CSS, model_type=g.Model.CLOZE)
    qa = g.Model(templates.QA_MODEL_ID, templates.QA_MODEL_NAME,
                 fields=[{"name": n} for n in templates.QA_FIELDS], templates=templates.QA_TEMPLATES,
                 css=templates.CSS)
    return {"cloze": cloze, "qa": qa}


def deck_id(name: str) -> int:
    """A deck's ID, derived from its name so rebuilds land in the same deck."""
    return stable_id("deck:" + name)


def deck_file_name(deck: str) -> str:
    """File name of a deck's package: its name with `::` as `__` and unsafe characters as `_`."""
    safe = "".join(c if c.isalnum() or c in "-_. " else "_" for c in deck.replace("::", "__"))
    return safe.strip(" .").replace(" ", "_")[:120] + ".apkg"


def to_genanki(notes: Sequence[Note], deck: str) -> Any:
    """A genanki Deck holding `notes` (pure: writes nothing)."""
    g = _genanki()
    models = _models()

    class StampedNote(g.Note):  # type: ignore[misc,name-defined]
        """A note that carries its own modification time instead of the build time."""

        def __init__(self, mod: int, **kw: Any) -> None:
            super().__init__(**kw)
            self.mod = mod

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
            super().write_to_db(cursor, self.mod, deck_id, id_gen)

    d = g.Deck(deck_id(deck), deck)
    for due, note in enumerate(notes):
        d.add_note(StampedNote(note.mod, model=models[note.kind], fields=[v for _, v in note.fields],
                               tags=list(note.tags), guid=note.guid, due=due))
    return d


def write_deck(notes: Sequence[Note], out_dir: Path, deck: str,
               media: Sequence[Path] | Mapping[str, Path] = ()) -> Path:
    """Write `notes` as the package of `deck` in `out_dir`, atomically; returns its path.

    `media`: files to package under their own base names, or a mapping of package name -> file.
    """
    g = _genanki()
    target = out_dir / deck_file_name(deck)
    named = list(media.items()) if isinstance(media, Mapping) else [(os.path.basename(str(p)), p) for p in media]
    package = g.Package(to_genanki(notes, deck), media_files=[str(p) for _, p in named])
    timestamp = max((n.mod for n in notes), default=0) or 1
    fd, tmp_zip = tempfile.mkstemp(prefix=".certdeck-", suffix=".apkg.tmp", dir=out_dir)
    os.close(fd)
    fd, tmp_db = tempfile.mkstemp(prefix=".certdeck-", suffix=".anki2.tmp", dir=out_dir)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp_db)
        try:
            cursor = conn.cursor()
            # genanki's own writer, in one transaction; id_gen counts from the newest note's mod so
            # repeated builds of the same input give the same package.
            package.write_to_db(cursor, timestamp, itertools.count(int(timestamp) * 1000))
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(tmp_zip, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.write(tmp_db, "collection.anki2")
            zf.writestr("media", json.dumps({str(i): name for i, (name, _) in enumerate(named)}))
            for i, (_, p) in enumerate(named):
                zf.write(p, str(i))
        with open(tmp_zip, "rb+") as fh:
            os.fsync(fh.fileno())
        _publish(tmp_zip, target)
    finally:
        for leftover in (tmp_zip, tmp_db):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return target


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=".certdeck-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _publish(tmp: str, target: Path) -> None:
    """Give a finished temporary file the usual permissions (mkstemp makes it 0600) and rename it."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, target)
