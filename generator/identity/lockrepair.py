"""Reading a damaged lock file: every entry that still parses is kept, git merge conflicts are resolved.

A lock file is committed with the decks, so it meets truncated writes, hand edits, bad bytes and git merge
conflicts. Dropping it would cost every learner their notes' identities (a new GUID is a new note), so
`read_lock` never rejects a lock that is merely damaged: it reads it line by line (dump_lock writes one
note per line), keeps each entry that parses, and says, per line of the file, what it could not keep. A
git conflict (`<<<<<<<` / `=======` / `>>>>>>>`) keeps every GUID of both sides: one GUID on both sides is
one note (the newer `mod` wins); one fact with a GUID on each side keeps the newer live and the other as
retired, so neither side's learners lose theirs.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..errors import GeneratorError
from .lockfile import LOCK_SCHEMA, LockEntry, _entry, load_lock, lock_of, parse_line, snapshot_bytes

_HEADER = re.compile(r'\s*("(?:[^"\\]|\\.)*")\s*:\s*\{\s*')
_GUID = re.compile(r'"guid"\s*:\s*"([^"\\]{1,64})"')
_SCHEMA = re.compile(r'\s*\{\s*"schema"\s*:\s*"([^"\\]*)"')
_CLOSERS = frozenset(("", "}", "},", "}}", "}},", "}}}"))


@dataclass(frozen=True)
class _Found:
    line: int  # in the file, from 1
    side: str  # "" outside a merge conflict, else "ours" or "theirs"
    conflict: int  # the line of the conflict's `<<<<<<<` (0 outside one)
    entry: LockEntry


def read_lock(data: bytes | None, path: str) -> tuple[dict[str, LockEntry], list[GeneratorError]]:
    """The lock file's entries and a warning for each thing a damaged one lost or that was repaired.

    Raises GeneratorError only for a lock of another schema (a newer certdeck's, say): reading it as ours
    and writing ours over it would lose it.
    """
    if data is None:
        return {}, []
    try:
        return load_lock(data, path), []
    except GeneratorError:
        pass
    schema = _SCHEMA.match(data[:200].decode("utf-8", "replace"))
    if schema and not schema.group(1).startswith("certdeck.lock/"):
        raise GeneratorError(f"not a certdeck lock file (schema {schema.group(1)!r}); the build leaves it alone",
                             path)
    if schema and schema.group(1) not in (LOCK_SCHEMA, "certdeck.lock/2"):
        raise GeneratorError(f"lock file of schema {schema.group(1)!r}, which this certdeck does not know (written "
                             "by a newer one?); the build leaves it alone", path)
    return recover_lock(data, path)


def recover_lock(data: bytes, path: str) -> tuple[dict[str, LockEntry], list[GeneratorError]]:
    """read_lock for a lock that does not parse as a whole: each line that holds an entry is read on its own."""
    warnings: list[GeneratorError] = []
    found = list(_entries(data, path, warnings))
    kept = _resolve(found, path, warnings)
    warnings.sort(key=lambda w: w.line or 0)  # in the order of the file
    if not kept:
        warnings.append(GeneratorError("no note of the lock file could be read: every note is new", path))
    return lock_of(kept), warnings


def _entries(data: bytes, path: str, warnings: list[GeneratorError]) -> Iterator[_Found]:
    """Every entry line that parses, with where it is; a warning for each line that held one and does not."""
    article: str | None = None
    side, conflict, before = "", 0, None
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, 1):
        raw = raw.removesuffix(b"\r")
        if raw.startswith(b"<<<<<<<"):
            side, conflict, before = "ours", number, article
            continue
        if raw.startswith(b"|||||||") and side:
            side = "base"  # diff3's common ancestor: what both sides changed, neither side's note
            continue
        if raw.rstrip() == b"=======" and side:
            side, article = "theirs", before
            continue
        if raw.startswith(b">>>>>>>") and side:
            warnings.append(GeneratorError(f"git merge conflict (to line {number}) resolved: every note of both "
                                           "sides kept", path, conflict))
            side, conflict = "", 0
            continue
        if side == "base":
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", "replace")
            guid = _GUID.search(text)
            warnings.append(GeneratorError("bytes that are not UTF-8 replaced by U+FFFD"
                                           + (f" in the note of GUID {guid.group(1)}" if guid else ""), path, number))
        stripped = text.strip()
        if stripped in _CLOSERS:
            if stripped.startswith("}") and article is not None and stripped in ("}", "},"):
                article = None
            continue
        if number == 1 and _SCHEMA.match(stripped):
            continue
        header = _HEADER.fullmatch(text)
        if header:
            try:
                article = str(json.loads(header.group(1)))
            except ValueError:
                article = None
            continue
        entry, reason = _entry_of(stripped.removesuffix(","), article)
        if entry is None:
            cut = number == len(lines)  # dump_lock ends the file with a line break: a last line without one was cut
            if stripped.startswith('"') or _GUID.search(text) or article is not None:
                warnings.append(GeneratorError(_lost(text, "cut short" if cut else reason), path, number))
            else:
                warnings.append(GeneratorError(f"not a lock entry, skipped: {stripped[:40]}", path, number))
            continue
        yield _Found(number, side, conflict, entry)


def _entry_of(text: str, article: str | None) -> tuple[LockEntry | None, str]:
    """An entry line parsed as dump_lock writes it, else as any JSON member; (None, why) if neither."""
    try:
        entry = parse_line(text, article)
        return (entry, "") if entry.path else (None, "no article")
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        pass
    try:
        (lock_id, value), = json.loads("{" + text + "}").items()
    except ValueError as err:
        return None, "not JSON" if "Expecting" in str(err) or "Unterminated" in str(err) else str(err)
    if not isinstance(value, dict):
        return None, f"the entry is {json.dumps(value)[:20]}, not an object"
    note = value.get("note")
    content = json.dumps(note, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8", "surrogatepass") \
        if isinstance(note, dict) else None
    try:
        entry = _entry(lock_id, value, content, article)
    except ValueError as err:  # check_entry's word on a field: it says what is wrong
        return None, str(err)
    except (KeyError, TypeError, AttributeError) as err:
        return None, f"a field is missing or of the wrong type ({type(err).__name__}: {err})"
    return (entry, "") if entry.path else (None, "no article")


def _lost(text: str, reason: str) -> str:
    guid = _GUID.search(text)
    what = f"the note of GUID {guid.group(1)} loses it" if guid else "its note loses its GUID"
    return f"damaged lock entry left out ({reason}): {what} and comes back as a new note"


def _resolve(found: list[_Found], path: str, warnings: list[GeneratorError]) -> list[LockEntry]:
    """One entry per GUID (the newer mod); a fact that has a GUID on each side of a conflict keeps the newer
    live and the other retired."""
    by_guid: dict[str, _Found] = {}
    for f in found:
        other = by_guid.get(f.entry.guid)
        if other is None:
            by_guid[f.entry.guid] = f
            continue
        rank = (f.entry.mod, not f.entry.retired), (other.entry.mod, not other.entry.retired)
        newer, older = (f, other) if rank[0] > rank[1] else (other, f)
        by_guid[f.entry.guid] = newer
        if not (f.conflict and f.conflict == other.conflict):  # both sides of a conflict: one note, the newer
            which = "that newer entry" if rank[0] != rank[1] else "that entry"
            warnings.append(GeneratorError(f"GUID {f.entry.guid} is also on line {newer.line}: {which} is kept, "
                                           "this one left out", path, older.line))
    kept = sorted(by_guid.values(), key=lambda f: f.line)
    by_fact: dict[tuple[str, str, int], list[_Found]] = {}
    for f in kept:
        if f.conflict and not f.entry.retired:
            by_fact.setdefault((f.entry.path, f.entry.key, f.conflict), []).append(f)
    retire: dict[int, _Found] = {}
    for group in by_fact.values():
        sides = {f.side for f in group}
        if len(sides) < 2:
            continue  # one side's own facts sharing a key: each its own note, as the build made them
        newest = max(group, key=lambda f: (f.entry.mod, f.side == "theirs"))
        for f in group:
            if f.side != newest.side:
                retire[f.line] = f
                warnings.append(GeneratorError(f"git merge conflict: one fact has GUIDs {newest.entry.guid} (line "
                                               f"{newest.line}, newer: kept live) and {f.entry.guid} (kept as "
                                               "retired)", path, f.line))
    return [_retired(f.entry) if f.line in retire else f.entry for f in kept]


def _retired(entry: LockEntry) -> LockEntry:
    """`entry` retired as a build retires a note (tagged, a newer mod so that the tag reaches learners)."""
    from .match import RETIRED_TAG, note_hash

    note = entry.note()
    if note is None:
        return replace(entry, retired=True, mod=entry.mod + 1)
    note = replace(note, tags=tuple(dict.fromkeys((*note.tags, RETIRED_TAG))))
    return replace(entry, retired=True, mod=entry.mod + 1, hash=note_hash(note), snapshot_json=snapshot_bytes(note))
