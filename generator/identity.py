"""Identity stage: give each note its GUID and modification time from the lock file.

The lock (certdeck.lock.json beside the decks) maps each fact's key to its GUID, content hash and
modification time. A note's `mod` changes exactly when its content changes, so Anki's "update if
newer" applies real edits and leaves untouched notes alone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Sequence

from .errors import GeneratorError
from .ids import content_hash, guid_for
from .model import Note

LOCK_NAME = "certdeck.lock.json"
LOCK_SCHEMA = "certdeck.lock/1"


@dataclass(frozen=True, slots=True)
class LockEntry:
    guid: str
    hash: str
    mod: int
    path: str


@dataclass(frozen=True, slots=True)
class IdentityReport:
    new: tuple[str, ...]  # keys
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    retired: tuple[str, ...]


def note_hash(note: Note) -> str:
    """Hash of everything a note shows: deck, fields and tags."""
    return content_hash(note.deck, *(v for _, v in note.fields), " ".join(note.tags))


def assign_identity(notes: Sequence[Note], lock: dict[str, LockEntry], now: int
                    ) -> tuple[list[Note], dict[str, LockEntry], IdentityReport]:
    """Notes with GUID and mod set, the new lock, and what changed against the old one."""
    out: list[Note] = []
    new_lock: dict[str, LockEntry] = {}
    new, changed, unchanged = [], [], []
    for note in notes:
        h = note_hash(note)
        held = lock.get(note.key)
        if held is None:
            entry = LockEntry(guid_for(note.key), h, now, note.source.path)
            new.append(note.key)
        elif held.hash != h:
            entry = LockEntry(held.guid, h, max(now, held.mod + 1), note.source.path)
            changed.append(note.key)
        else:
            entry = LockEntry(held.guid, h, held.mod, note.source.path)
            unchanged.append(note.key)
        new_lock[note.key] = entry
        out.append(replace(note, guid=entry.guid, mod=entry.mod))
    retired = tuple(sorted(k for k in lock if k not in new_lock))
    return out, new_lock, IdentityReport(tuple(new), tuple(changed), tuple(unchanged), retired)


def load_lock(text: str | None, path: str) -> dict[str, LockEntry]:
    """Parse a lock file's text; None (no file yet) gives an empty lock."""
    if text is None:
        return {}
    try:
        data = json.loads(text)
        if data.get("schema") != LOCK_SCHEMA:
            raise ValueError(f"schema is not {LOCK_SCHEMA}")
        return {k: LockEntry(str(v["guid"]), str(v["hash"]), int(v["mod"]), str(v.get("path", "")))
                for k, v in data["notes"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise GeneratorError(f"lock file is damaged ({err}); move it away to start identities afresh",
                             path) from None


def dump_lock(lock: dict[str, LockEntry]) -> str:
    """Deterministic, sorted, diff-friendly lock file text."""
    notes: dict[str, Any] = {k: {"guid": e.guid, "hash": e.hash, "mod": e.mod, "path": e.path}
                             for k, e in sorted(lock.items())}
    return json.dumps({"schema": LOCK_SCHEMA, "notes": notes}, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
