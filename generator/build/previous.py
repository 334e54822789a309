"""What the last build left: its lock file (read, or repaired when damaged), its note types' styles, and
the articles carried over as their lock lines (carry.py).
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import GeneratorError
from ..identity.lockfile import LockEntry, load_styles, section_spans
from ..identity.lockrepair import read_lock
from ..read.sources import display_path
from ..safepath import read_lock_bytes
from .article import ArticleResult
from .cache import SectionRecord, SectionRecords
from .carry import _carry


@dataclass(frozen=True)
class Previous:
    """The last build's lock as this build matches against it."""

    lock: dict[str, LockEntry]  # its entries, but for the carried sections
    carried: dict[str, tuple[ArticleResult, SectionRecord, Any]]  # path -> its result, record, lock lines
    carried_guids: list[str]  # the GUIDs of the carried lines
    had_lock: bool  # whether a lock file existed before this build
    styles: dict[str, tuple[str, int]]  # note type -> (CSS hash, mod): see style_stamps
    lock_seen: tuple[int, int, int] | None  # the lock file as read (lock_signature), None if none


def read_previous(lock_path: Path, results: Sequence[ArticleResult], records: SectionRecords,
                  settings: Settings, warnings: list[GeneratorError]) -> Previous:
    """Read the lock file at `lock_path` (what of a damaged one cannot be kept goes to `warnings`), and carry
    the articles whose lines in it are as the last build wrote them (see carry.py)."""
    try:
        lock_seen = lock_signature(lock_path)
    except OSError as err:
        raise GeneratorError(f"cannot read lock file: {err}", str(lock_path)) from None
    lock_data = read_lock_bytes(lock_path, str(lock_path))
    had_lock = lock_data is not None
    from ..package.apkg import style_stamps  # genanki is not imported by it

    styles = style_stamps(load_styles(lock_data), settings.build_time())
    spans = None
    if records.records and lock_data is not None:
        try:
            spans = section_spans(lock_data)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            spans = None  # load_lock says what is wrong with it
    carried: dict[str, tuple[ArticleResult, SectionRecord, Any]] = {}
    carried_guids: list[str] = []
    if spans is not None and lock_data is not None:
        # the carried lines stay where they are in the lock's bytes, until the new lock is written
        try:
            lock, carried_guids = _carry(results, records, lock_data, spans, carried, str(lock_path))
        except GeneratorError:  # a damaged line: read_lock recovers what it can, nothing is carried
            carried.clear()
            spans = None
    if spans is None or lock_data is None:
        lock, repaired = read_lock(lock_data, display_path(lock_path))
        warnings.extend(repaired)
    return Previous(lock, carried, carried_guids, had_lock, styles, lock_seen)


def lock_signature(lock_path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of the lock file, None if there is none: a new lock is a new file (renamed over
    the old one), so any write changes it."""
    try:
        st = os.stat(lock_path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)
