"""Writing the lock file: its sorted text, one article's section at a time (lockfile.py reads it).

`lock_chunks` streams the document so that a lock of many thousand notes is never held twice; a section
an earlier lock already had (build/carry.py) is copied as its bytes.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .lockfile import _ARTICLES_B, _HEAD_B, _NOTE_B, _STYLED_HEAD_B, LockEntry, _enc


def dump_lock(lock: Mapping[str, LockEntry]) -> str:
    """Deterministic, sorted lock file text: one JSON document, one note per line."""
    return b"".join(lock_chunks(lock)).decode("utf-8", "surrogatepass")


SectionStats = dict[str, tuple[int, str]]  # article path -> (live entries, sha256 of their lines)


Carried = tuple[int, str, Any]  # an article's live lines as an earlier lock had them: (count, sha256, bytes)


def lock_chunks(lock: Mapping[str, LockEntry] | Iterable[LockEntry],
                carried: Mapping[str, Carried] | None = None, stats: SectionStats | None = None,
                styles: Mapping[str, tuple[str, int]] | None = None) -> Iterator[bytes]:
    """`dump_lock`'s text as UTF-8, in pieces, one article's section at a time (to write a big lock without
    holding all of it twice).

    The sections are sorted by article path; in each, the live notes sorted by lock id, then the retired
    ones. `carried`: article path -> the live lines of its section as an earlier lock had them (joined by
    ",\n", a bytes-like object), copied as they are; `lock` then holds no live entry of that article.
    `stats`, if given, gets each section's count and digest of live lines (what a later build needs to know
    a section again). `styles`: note type -> (CSS hash, mod), written on the first line before the articles.
    """
    by_path: dict[str, list[LockEntry]] = {}
    for entry in lock.values() if isinstance(lock, Mapping) else lock:
        by_path.setdefault(entry.path, []).append(entry)
    carried = carried or {}
    if styles:
        pairs = ", ".join(f'{_enc(k)}: {{"css": {_enc(h)}, "mod": {int(m)}}}' for k, (h, m) in sorted(styles.items()))
        yield _STYLED_HEAD_B + pairs.encode() + b"}" + _ARTICLES_B
    else:
        yield _HEAD_B
    first = True
    for path in sorted(by_path.keys() | carried.keys()):
        live, retired = section_lines(by_path.get(path, ()))
        if path in carried:
            if live:
                raise ValueError(f"{path}: live entries beside a carried section")
            count, sha, chunk = carried[path]
        else:
            chunk = b",\n".join(live)
            count, sha = len(live), hashlib.sha256(chunk).hexdigest() if stats is not None else ""
        if stats is not None:
            stats[path] = (count, sha)
        if not count and not retired:
            continue  # an article without notes has no section
        head = f'{"" if first else ","}\n{json.dumps(path, ensure_ascii=False)}: {{\n'
        yield head.encode("utf-8", "surrogatepass")
        if count:
            yield chunk
        if retired:
            yield (b",\n" if count else b"") + b",\n".join(retired)
        yield b"\n}"
        first = False
    yield b"}}\n" if first else b"\n}}\n"


def section_lines(entries: Iterable[LockEntry]) -> tuple[list[bytes], list[bytes]]:
    """One article's entry lines: (live ones, retired ones), each sorted by lock id.

    A live note's lock id is its fact key (`key #GUID` for the second and later of a key, by GUID, which only
    a hand-edited lock has); a retired one's is always `key #GUID`, so the live lines never depend on them.
    """
    live: dict[str, list[LockEntry]] = {}
    retired: list[tuple[str, LockEntry]] = []
    for entry in entries:
        if entry.retired:
            retired.append((f"{entry.key} #{entry.guid}", entry))
        else:
            live.setdefault(entry.key, []).append(entry)
    named: list[tuple[str, LockEntry]] = []
    for key, group in live.items():
        if len(group) == 1:
            named.append((key, group[0]))
        else:
            named.extend((key if n == 0 else f"{key} #{e.guid}", e)
                         for n, e in enumerate(sorted(group, key=lambda e: e.guid)))
    return [entry_line(i, e) for i, e in sorted(named)], [entry_line(i, e) for i, e in sorted(retired)]


def entry_line(lock_id: str, e: LockEntry) -> bytes:
    """An entry's line in its article's section: `"id": {"guid": ..., "note": {...}}`, UTF-8."""
    parts = [f'{_enc(lock_id)}: {{"guid": {_enc(e.guid)}, "mod": {int(e.mod)}, "hash": {_enc(e.hash)}']
    if e.kind_hint:
        parts.append(f', "kind": {_enc(e.kind_hint)}')
    if e.retired:
        parts.append(', "retired": true')
    if e.ordinals:
        parts.append(', "ordinals": {' + ", ".join(f"{_enc(a)}: {int(n)}" for a, n in sorted(e.ordinals.items()))
                     + "}")
    head = "".join(parts).encode("utf-8", "surrogatepass")
    # The note's content last, as the bytes it already is: one line per note, nothing re-encoded.
    return head + _NOTE_B + e.snapshot_json + b"}" if e.snapshot_json is not None else head + b"}"
