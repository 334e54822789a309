"""An article's result as a cache entry, and back, its notes left pickled until something asks for them.

An entry holds the notes, their Pendings and their package rows each pickled on their own, so that a build
that does not need an article's notes (identity matches Pendings, packaging writes rows) never unpickles them.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import GeneratorError
from ..identity.match import pending_of
from ..model import Note
from ..notes.media import MediaFile
from .article import ArticleResult
from .cache import ArticleCache, CacheMiss


def _to_entry(result: ArticleResult) -> tuple[Any, ...]:
    """A cache entry's value: plain containers and certdeck's data classes; images with their file stats;
    the notes, their Pendings and their package rows each pickled on their own, so that an article whose
    notes a build does not need is read without them (the entry's checksum covers them all the same)."""
    from ..package.apkg import note_row
    from .cache import pack

    media = tuple((src, f.name, str(f.path), *_stat(f.path)) for src, f in result.media.items())
    return (result.path, result.warnings, result.error, result.errors, media, pack(result.notes),
            pack(tuple(pending_of(n) for n in result.notes)), pack(tuple(note_row(n) for n in result.notes)))


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _from_entry(value: Any, key: str | None = None, packed: bool = False, fresh: bool = False,
                stored_in: ArticleCache | None = None) -> ArticleResult:
    """An ArticleResult from a cache entry's value; CacheMiss if it has another shape or an image changed.
    With `packed`, its notes are left pickled (ArticleResult.packed), or, when the entry is stored as
    `key` in `stored_in`, left there (ArticleResult.notes_in). `fresh`: just built, so its images need no
    second look."""
    try:
        path, warnings, error, errors, media, notes_data, pending, rows = value
        ok = (isinstance(path, str) and isinstance(notes_data, bytes) and isinstance(pending, bytes)
              and isinstance(rows, bytes)
              and all(isinstance(w, GeneratorError) for w in [*warnings, *errors])
              and (error is None or isinstance(error, GeneratorError)))
        files = {}
        for src, name, file, size, mtime in media:
            if not fresh and _stat(Path(file)) != (size, mtime):
                raise CacheMiss("an image changed")
            files[src] = MediaFile(name, Path(file))
    except (TypeError, ValueError):
        raise CacheMiss("entry of another shape") from None
    if not ok:
        raise CacheMiss("entry of another shape")
    on_disk = packed and stored_in is not None and stored_in.enabled and key is not None
    result = ArticleResult(path, [], list(warnings), error, list(errors), files, 0, key,
                           None if on_disk else notes_data, hashlib.sha256(notes_data).hexdigest(), pending, rows,
                           stored_in if on_disk else None)
    return result if packed else _unpacked(result, None)


def _unpacked(result: ArticleResult, rebuild: Callable[[], ArticleResult] | None) -> ArticleResult:
    """`result` with its notes unpickled; CacheMiss if they are damaged and there is no `rebuild`."""
    if result.packed is None and result.notes_in is None:
        return result
    from .cache import unpack

    try:
        notes = unpack(result.packed if result.packed is not None else _stored_notes(result))
        if not (isinstance(notes, list) and all(isinstance(n, Note) for n in notes)):
            raise CacheMiss("entry of another shape")
    except CacheMiss:
        if rebuild is None:
            raise
        notes = rebuild().notes  # the same pure function of the same bytes: the same notes
    return replace(result, notes=notes, packed=None, notes_in=None)


def _stored_notes(result: ArticleResult) -> bytes:
    """The pickled notes of `result` from its cache entry; CacheMiss unless they are the very bytes the
    build read (the entry may have been removed or replaced meanwhile)."""
    assert result.notes_in is not None and result.key is not None
    value = result.notes_in.get(result.key)
    data = value[5] if isinstance(value, tuple) and len(value) == 8 else None
    if not isinstance(data, bytes) or hashlib.sha256(data).hexdigest() != result.notes_sha:
        raise CacheMiss("the entry changed")
    return data


def _result(built: tuple[bytes, bool], key: str | None, packed: bool, cache: ArticleCache) -> ArticleResult:
    from .cache import loads

    entry, stored = built
    return _from_entry(loads(entry), key, packed, fresh=True, stored_in=cache if stored else None)
