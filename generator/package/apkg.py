"""Packaging stage: Notes -> one .apkg per deck with genanki. The only module that imports genanki.

genanki stays the packager: its schema, collection row, note-type and deck JSON, note and card row layout
and id scheme are what we write. What we change is how the rows get there. Stock genanki builds one
Note object per note, recomputes each note's cards (a regex scan per cloze note) and its validation on
every note, and inserts one row at a time; it also never compresses and leaves its temporary database
behind. `BatchPackage` streams the rows of our already-checked notes through one `executemany` per table
into a temporary database with the journal off, creates genanki's indexes after the inserts, deflates the
zip, and removes every temporary file. tests/test_package.py checks that its database holds exactly the
rows stock genanki writes for the same notes.

Files are written to a temporary name in the output folder and renamed, so a failed or killed build
leaves the previous deck intact.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..identity.ids import stable_id
from ..model import Note
from ..notes import templates

ZIP_LEVEL = 1  # deflate level: level 1 already shrinks a collection 3-8x; higher levels cost far more time


def _genanki() -> Any:
    """genanki, imported without the `cached_property` package's own `import asyncio` (about 30 ms).

    genanki takes only the `cached_property` decorator from that package, for plain methods, where the
    standard library's `functools.cached_property` does the same (caches the value in the instance). It
    gets that one while it is imported; the stand-in is removed right after, so anything that imports
    `cached_property` later gets the real package.
    """
    if "genanki" not in sys.modules and "cached_property" not in sys.modules:
        import functools
        import types

        stand_in = types.ModuleType("cached_property")
        stand_in.cached_property = functools.cached_property  # type: ignore[attr-defined]  # a new module: no attributes yet
        sys.modules["cached_property"] = stand_in
        try:
            import genanki
        finally:
            if sys.modules.get("cached_property") is stand_in:
                del sys.modules["cached_property"]
    import genanki

    return genanki


@lru_cache(maxsize=1)
def _models() -> dict[str, Any]:
    g = _genanki()
    cloze = g.Model(templates.CLOZE_MODEL_ID, templates.CLOZE_MODEL_NAME,
                    fields=[{"name": n} for n in templates.CLOZE_FIELDS], templates=templates.CLOZE_TEMPLATES,
                    css=templates.CSS, model_type=g.Model.CLOZE)
    qa = g.Model(templates.QA_MODEL_ID, templates.QA_MODEL_NAME,
                 fields=[{"name": n} for n in templates.QA_FIELDS], templates=templates.QA_TEMPLATES,
                 css=templates.CSS)
    return {"cloze": cloze, "qa": qa}


def css_digest(css: str) -> str:
    """The hash of a note type's CSS the lock keeps."""
    import hashlib

    return hashlib.sha256(css.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def style_stamps(previous: Mapping[str, tuple[str, int]], now: int) -> dict[str, tuple[str, int]]:
    """Note type -> (hash of its CSS, when that CSS was first built): `previous`'s stamp while the CSS is the
    same, `now` once it changed (or was never recorded).

    A note type's `mod` in a package is the newest of its notes' mods and this stamp: Anki's import updates
    a note type only when the package's is newer, so a build that changes nothing but CSS still restyles
    the learner's cards, and an unchanged build still makes the same package. Templates and fields never
    change (templates.py): that would make Anki import a "Name+" copy.
    """
    out = {}
    for kind, css in (("cloze", templates.CSS), ("qa", templates.CSS)):  # as _models gives them
        digest = css_digest(css)
        kept = previous.get(kind)
        out[kind] = kept if kept is not None and kept[0] == digest else (digest, now)
    return out


def deck_id(name: str) -> int:
    """A deck's ID, derived from its name so rebuilds land in the same deck."""
    return stable_id("deck:" + name)


def deck_file_name(deck: str) -> str:
    """File name of a deck's package: its name with `::` as `__` and unsafe characters as `_`."""
    safe = "".join(c if c.isalnum() or c in "-_. " else "_" for c in deck.replace("::", "__"))
    return safe.strip(" .").replace(" ", "_")[:120] + ".apkg"


def package_timestamp(notes: Sequence[Note]) -> int:
    """The package's timestamp: the newest note's mod, so the same notes give the same package."""
    return timestamp_of(n.mod for n in notes)


def timestamp_of(mods: Iterable[int]) -> int:
    """package_timestamp of notes with these mods."""
    return max(mods, default=0) or 1


# A note's row in the package, less what identity gives it (GUID, mod) and its place in the deck: note type,
# tags as genanki writes them, fields joined as genanki joins them, where the sort field is in them, and the
# card ords genanki would give it. Plain values, so a worker process can send it as it is.
PackRow = tuple[str, str, str, int, int, tuple[int, ...]]


@lru_cache(maxsize=1)
def row_kinds() -> dict[str, tuple[int, int, bool, list[tuple[int, bool, list[int]]]]]:
    """Per note type: (genanki model id, sort field index, cloze or not, card requirements)."""
    return {kind: (m.model_id, m.sort_field_index, kind == "cloze", _requirements(m)) for kind, m in _models().items()}


def note_row(note: Note) -> PackRow:
    """The PackRow of a note: genanki's Note._format_tags and _format_fields, its sort field, and its card
    ords without genanki's per-note regex scan (cloze: one card per cloze number, c1 is ord 0, which make.py
    lists in `note.cards` once each, ascending; Q&A: genanki's required-field rule)."""
    _, sort_field, cloze, required = row_kinds()[note.kind]
    values = [v for _, v in note.fields]
    ords = tuple(c.ord - 1 for c in note.cards) if cloze else tuple(_qa_ords(values, required))
    start = sum(len(v) + 1 for v in values[:sort_field])
    return (note.kind, " " + " ".join(note.tags) + " ", "\x1f".join(values), start, start + len(values[sort_field]),
            ords)


_ORIGIN = re.compile(r'<span class="cd-origin">(.*?)</span>')


def deck_description(fields: Iterable[str]) -> str:
    """The deck's description: where its converted articles came from and their licenses (make.py puts
    them in each note's Source field), one line each, in order of first use; '' when there are none."""
    seen: dict[str, None] = {}
    for flds in fields:
        if "cd-origin" in flds:  # most notes have none: skip the regex
            for m in _ORIGIN.finditer(flds):
                seen.setdefault(m.group(1))
    if not seen:
        return ""
    return "<br>".join(f"Cards made with certdeck {origin}" for origin in seen)


def to_genanki(notes: Sequence[Note], deck: str) -> Any:
    """A stock genanki Deck holding `notes` (pure: writes nothing); the reference `BatchPackage` matches."""
    g = _genanki()
    models = _models()

    class StampedNote(g.Note):  # type: ignore[misc,name-defined]  # g: genanki, imported on first use
        """A note that carries its own modification time instead of the build time."""

        def __init__(self, mod: int, **kw: Any) -> None:
            super().__init__(**kw)
            self.mod = mod

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
            super().write_to_db(cursor, self.mod, deck_id, id_gen)

    d = g.Deck(deck_id(deck), deck, deck_description("\x1f".join(v for _, v in n.fields) for n in notes))
    for due, note in enumerate(notes):
        d.add_note(StampedNote(note.mod, model=models[note.kind], fields=[v for _, v in note.fields],
                               tags=list(note.tags), guid=note.guid, due=due))
    return d


@lru_cache(maxsize=1)
def _batch_classes() -> tuple[type, type]:
    """genanki subclasses, made on first use so that importing this module does not import genanki."""
    g = _genanki()
    tables, indexes = _split_schema(g.package.APKG_SCHEMA)

    class BatchDeck(g.Deck):  # type: ignore[misc,name-defined]  # g: genanki, imported on first use
        """A genanki Deck whose notes come as rows: (GUID, mod, PackRow) each, in deck order.

        genanki writes the deck and note-type JSON as usual; the notes and cards then go in with one
        `executemany` each, from generators, so no per-note Python object outlives its row. `kinds`: the
        note types in use, in order of first use (genanki adds them so).
        """

        def __init__(self, rows: Iterable[tuple[str, int, PackRow]], name: str, kinds: Iterable[str],
                     model_mods: Mapping[str, int] | None = None) -> None:
            # A sequence is read twice, for the description (where the notes come from) and then for the
            # notes; rows that stream in (100,000 notes, bench/) are read once and the deck gets none.
            description = deck_description(row[2][2] for row in rows) if isinstance(rows, Sequence) else ""
            super().__init__(deck_id(name), name, description)
            self.batch = rows
            models = _models()
            for kind in kinds:
                self.add_model(models[kind])
            self.model_mods = {models[k].model_id: mod for k, mod in (model_mods or {}).items()}

        def write_to_db(self, cursor: Any, timestamp: float, id_gen: Any) -> None:
            super().write_to_db(cursor, timestamp, id_gen)  # deck + note types; self.notes is empty
            if any(mod > timestamp for mod in self.model_mods.values()):  # a CSS change newer than the notes
                models = json.loads(cursor.execute("SELECT models FROM col").fetchone()[0])
                for model in models.values():
                    model["mod"] = max(int(model["mod"]), self.model_mods.get(int(model["id"]), 0))
                cursor.execute("UPDATE col SET models = ?", (json.dumps(models),))
            first = next(id_gen)
            cards: list[tuple[tuple[int, ...], int]] = []  # each note's card ords and mod, from the notes pass
            # The columns genanki writes as constants (usn -1, csum/flags 0, data "", the deck id) are
            # literals in the statements, so only the values that vary are bound: the same stored rows
            # for a third of the binding work.
            _insert_rows(cursor, "notes", "(?,?,?,?,-1,?,?,?,0,0,'')", self._note_rows(first, cards))
            if not cards:
                return  # genanki's id_gen is not used further (no note: the `first` above is never written)
            _insert_rows(cursor, "cards", f"(?,?,{int(self.deck_id)},?,?,-1,0,0,?,0,0,0,0,0,0,0,0,'')",
                         self._card_rows(first, cards))
            for _ in range(len(cards) + sum(len(c) for c, _ in cards) - 1):  # leave id_gen where genanki would
                next(id_gen)

        def _note_rows(self, first: int, cards: list[tuple[tuple[int, ...], int]]) -> Iterator[tuple[Any, ...]]:
            """(id, guid, mid, mod, tags, flds, sfld) of each note; each note's (card ords, mod) go to `cards`."""
            model_ids = {kind: v[0] for kind, v in row_kinds().items()}
            keep = cards.append
            nid = first
            for guid, mod, (kind, tags, flds, sort_start, sort_end, ords) in self.batch:
                keep((ords, mod))
                yield (nid, guid, model_ids[kind], mod, tags, flds, flds[sort_start:sort_end])
                nid += 1 + len(ords)

        def _card_rows(self, first: int, cards: list[tuple[tuple[int, ...], int]]) -> Iterator[tuple[Any, ...]]:
            """(id, nid, ord, mod, due) of each card, ids counted as genanki's id_gen would give them."""
            nid = first
            for due, (ords, mod) in enumerate(cards):
                cid = nid
                for ord_ in ords:
                    cid += 1
                    yield (cid, nid, ord_, mod, due)
                nid = cid + 1

    class BatchPackage(g.Package):  # type: ignore[misc,name-defined]  # g: genanki, imported on first use
        """A genanki Package written with its indexes after the inserts, deflated, leaving no temp files."""

        def write_to_db(self, cursor: Any, timestamp: float, id_gen: Any) -> None:
            # statement by statement: executescript would commit the caller's transaction
            for statement in tables:
                cursor.execute(statement)
            cursor.execute(g.package.APKG_COL)
            for deck in self.decks:
                deck.write_to_db(cursor, timestamp, id_gen)
            for statement in indexes:
                cursor.execute(statement)

        def write_to_file(self, file: Any, timestamp: float | None = None) -> None:
            """Write the package to `file` (a path); unlike genanki's, removes its temporary database."""
            stamp = float(timestamp if timestamp is not None else 1)
            folder = os.path.dirname(os.path.abspath(file))
            fd, db_path = tempfile.mkstemp(prefix=".certdeck-", suffix=".anki2.tmp", dir=folder)
            os.close(fd)
            try:
                conn = sqlite3.connect(db_path, isolation_level=None)
                try:
                    # a scratch database: no rollback journal, no fsyncs; the zip is what must be durable
                    conn.execute("PRAGMA journal_mode=OFF")
                    conn.execute("PRAGMA synchronous=OFF")
                    # bigger pages (16 KiB measured best): fewer page splits and re-reads while the indexes
                    # are built; a slightly smaller file to deflate. A 4 MiB page cache takes the same CPU
                    # time as 16 MiB at 100,000 notes, and the same bytes, for 14 MiB less peak memory.
                    conn.execute("PRAGMA page_size=16384")
                    conn.execute("PRAGMA cache_size=-4096")
                    conn.execute("BEGIN")
                    # ids count from the package timestamp in ms, as genanki does, so equal input gives
                    # an equal package
                    self.write_to_db(conn.cursor(), stamp, _count(int(stamp) * 1000))
                    conn.execute("COMMIT")
                finally:
                    conn.close()
                names = getattr(self, "media_names", None) or [os.path.basename(str(p)) for p in self.media_files]
                _zip_package(file, db_path, list(zip(names, self.media_files, strict=True)), stamp)
            finally:
                os.unlink(db_path)

    return BatchDeck, BatchPackage


def _zip_package(file: Any, db_path: str, media: Sequence[tuple[str, Any]], timestamp: float) -> None:
    """The .apkg zip as genanki lays it out (collection.anki2, media map, numbered media files), deflated,
    every entry dated by the package timestamp so that equal notes give byte-identical packages."""
    import shutil
    import time

    date = max(time.gmtime(timestamp)[:6], (1980, 1, 1, 0, 0, 0))

    def entry(name: str, size: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=date)
        info.compress_type = zipfile.ZIP_DEFLATED
        # ZipFile.open(info, "w") takes the level from the entry, not the archive (3.13 names it publicly)
        setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", ZIP_LEVEL)
        info.external_attr = 0o644 << 16
        info.file_size = size
        return info

    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as zf:
        for name, path in [("collection.anki2", db_path), *((str(i), str(p)) for i, (_, p) in enumerate(media))]:
            with _open_regular(path) as src, zf.open(entry(name, os.fstat(src.fileno()).st_size), "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            if name == "collection.anki2":  # genanki's media map: index -> name in the package
                data = json.dumps({str(i): media_name for i, (media_name, _) in enumerate(media)}).encode()
                zf.writestr(entry("media", len(data)), data)


# Rows per INSERT statement: the per-statement cost spread over many rows. Measured with bench/ (packaging
# 100,000 notes, 5 interleaved runs each, 2026-12-07, busy machine): 1.12 s with it, 1.71 s with one row a
# statement (medians; 9% by the median of the paired ratios; CPU 1.06 s against 1.13 s): it pays, it stays.
ROWS_PER_INSERT = 64


def _open_regular(path: str) -> Any:
    """`path` opened for reading, if it is still the regular file media.py checked (resolved, so never a
    link): an image swapped for a symlink or a FIFO since is OSError, never followed or waited on."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"not a regular file: {path}")
    return os.fdopen(fd, "rb")


def _insert_rows(cursor: Any, table: str, row: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """INSERT `rows` into `table` in order, ROWS_PER_INSERT rows a statement, streamed.

    `row` is one row's VALUES tuple: `?` for each value in a row of `rows`, literals for the rest. A
    statement of many rows costs sqlite3 one step, one reset and one call instead of one per row (40%
    less time for card rows); SQLite inserts them one by one in the same order, so the rows, their ids
    and the file are the same.
    """
    width = row.count("?")
    rows = iter(rows)
    flatten = itertools.chain.from_iterable
    rest: list[tuple[Any, ...]] = []

    def full_batches() -> Iterator[tuple[Any, ...]]:
        while True:
            values = tuple(flatten(itertools.islice(rows, ROWS_PER_INSERT)))
            if len(values) < width * ROWS_PER_INSERT:
                rest.append(values)
                return
            yield values

    cursor.executemany(f"INSERT INTO {table} VALUES " + ",".join([row] * ROWS_PER_INSERT), full_batches())
    if rest and rest[0]:
        cursor.execute(f"INSERT INTO {table} VALUES " + ",".join([row] * (len(rest[0]) // width)), rest[0])


def _count(start: int) -> Iterator[int]:
    return itertools.count(start)


def _requirements(model: Any) -> list[tuple[int, bool, list[int]]]:
    """A note type's card requirements (genanki's `Model._req`, computed once per note type) as
    (ord, any field suffices, the fields' indexes); only Q&A notes use them."""
    if model.model_type == model.CLOZE:
        return []
    return [(ord_, any_or_all == "any", list(required)) for ord_, any_or_all, required in model._req]


def _qa_ords(values: Sequence[str], required: Sequence[tuple[int, bool, Sequence[int]]]) -> list[int]:
    """The ords whose required fields `values` fills (genanki's rule for a standard note type)."""
    ords = []
    for ord_, any_field, fields in required:
        present = (bool(values[i]) for i in fields)
        if any(present) if any_field else all(present):
            ords.append(ord_)
    return ords


def _split_schema(schema: str) -> tuple[list[str], list[str]]:
    """genanki's schema as (tables, indexes): indexes are cheaper to build once after the inserts."""
    statements = [s.strip() for s in schema.split(";") if s.strip()]
    indexes = [s for s in statements if s.upper().startswith("CREATE INDEX")]
    return [s for s in statements if s not in indexes], indexes


def write_deck(notes: Sequence[Note], out_dir: Path, deck: str,
               media: Sequence[Path] | Mapping[str, Path] = (), file_name: str | None = None) -> Path:
    """Write `notes` as the package of `deck` in `out_dir`, atomically; returns its path.

    `media`: files to package under their own base names, or a mapping of package name -> file.
    `file_name`: the package's name in `out_dir` (default: deck_file_name(deck)).
    """
    rows = ((n.guid, n.mod, note_row(n)) for n in notes)  # made as they are written
    return write_rows(rows, dict.fromkeys(n.kind for n in notes), package_timestamp(notes), out_dir, deck, media,
                      file_name)


def write_rows(rows: Iterable[tuple[str, int, PackRow]], kinds: Iterable[str], timestamp: int, out_dir: Path,
               deck: str, media: Sequence[Path] | Mapping[str, Path] = (), file_name: str | None = None,
               model_mods: Mapping[str, int] | None = None) -> Path:
    """write_deck from each note's (GUID, mod, PackRow) in deck order; `kinds`: the note types in use, in
    order of first use; `timestamp`: package_timestamp of the notes; `model_mods`: note type -> the least
    `mod` it gets (its style stamp, see style_stamps)."""
    batch_deck, batch_package = _batch_classes()
    target = out_dir / (file_name or deck_file_name(deck))
    named = list(media.items()) if isinstance(media, Mapping) else [(os.path.basename(str(p)), p) for p in media]
    package = batch_package(batch_deck(rows, deck, kinds, model_mods), media_files=[str(p) for _, p in named])
    package.media_names = [name for name, _ in named]
    fd, tmp_zip = tempfile.mkstemp(prefix=".certdeck-", suffix=".apkg.tmp", dir=out_dir)
    os.close(fd)
    try:
        package.write_to_file(tmp_zip, timestamp=timestamp)
        with open(tmp_zip, "rb+") as fh:
            os.fsync(fh.fileno())
        _publish(tmp_zip, target)
    finally:
        if os.path.exists(tmp_zip):
            os.unlink(tmp_zip)
    return target


def write_text_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write `text` (or its pieces, in order) to `path` through a temporary file in the same folder and a
    rename."""
    fd, tmp = tempfile.mkstemp(prefix=".certdeck-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for piece in [text] if isinstance(text, str) else text:
                fh.write(piece)
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
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: after a crash the folder holds the new file, not an empty or old entry."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is still atomic
    finally:
        os.close(fd)
