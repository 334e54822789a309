"""Identity stage: match this build's notes to the lock file, so every fact keeps its GUID across edits.

A note is matched to a lock entry by its fact key first, then by similarity of its source sentence and
answers: within its own article, then (stricter) anywhere in the build, so a reworded fact, a renamed
heading or a renamed file keeps its notes. Cloze numbers follow their answers and are never reused. A
note's `mod` changes exactly when its content (fields, tags) changes, so Anki's "update if newer" applies
real edits and leaves everything else alone. Facts gone from their article are retired: kept in the lock
with their last content, shipped tagged `certdeck::retired`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from ..model import Note
from ..notes.media import media_names
from .ids import content_hash, guid_for
from .lockfile import LOCK_NAME, LockEntry, load_lock, lock_of, snapshot_bytes, snapshot_json  # noqa: F401 (re-exported)
from .lockwrite import dump_lock  # noqa: F401 (re-exported)
from .ordinals import _emptied, _renumber, card_signatures, cloze_ordinals
from .similar import _match

RETIRED_TAG = "certdeck::retired"


@dataclass(frozen=True, slots=True)
class Change:
    """What a build does to one note, against the lock."""

    status: str  # new | changed | unchanged | retired (this build)
    guid: str
    key: str
    kind: str
    path: str
    line: int
    sentence: str
    match: str = ""  # how it was found in the lock: "key" or "similar 0.83"; "" for new notes
    was_path: str = ""  # the article it was in before, when that differs
    fields: tuple[str, ...] = ()  # changed notes: names of fields (and "tags") whose content differs
    retired: bool = False  # shipped tagged certdeck::retired
    emptied: tuple[int, ...] = ()  # cloze numbers gone from the note: Anki keeps them as empty cards


@dataclass(frozen=True, slots=True)
class IdentityReport:
    changes: tuple[Change, ...]  # live notes in build order, then retired ones
    carried: int = 0  # unchanged notes not listed in `changes`: their articles were carried (build/carry.py)

    def of(self, status: str) -> tuple[Change, ...]:
        """The changes with `status` (without the carried notes)."""
        return tuple(c for c in self.changes if c.status == status)

    def counts(self) -> dict[str, int]:
        """How many notes are new, changed, unchanged and retired."""
        counts = dict.fromkeys(("new", "changed", "unchanged", "retired"), 0)
        for c in self.changes:
            counts[c.status] += 1
        counts["unchanged"] += self.carried
        return counts


def note_hash(note: Note) -> str:
    """Hash of what Anki stores for a note: note type, fields and tags (not the deck: cards don't move)."""
    # content_hash ends each part with \x1f: the parts joined by \x1f as one part hash the same text.
    return content_hash("\x1f".join([note.kind, *[v for _, v in note.fields], " ".join(note.tags)]))


class Pending(NamedTuple):
    """What identity needs of one note that has no GUID yet, made where the note is built (`pending_of`).

    A worker process sends these beside the note itself, which the build then keeps pickled until a deck
    or the cards JSON needs it: identity reads only these, and the note only when it must renumber its
    cloze numbers, report which fields changed, or compare it with lock entries by similarity.
    """

    key: str
    kind: str
    path: str
    line: int
    sentence: str
    deck: str
    hash: str  # note_hash
    snapshot: bytes  # snapshot_bytes: the lock's JSON of it
    signatures: tuple[tuple[int, str], ...]  # (cloze number, answer signature) of each card (card_signatures)
    media: tuple[str, ...]  # names of the packaged files its fields refer to
    guid: str  # guid_for(key): the GUID a new note gets unless another note holds it


def pending_of(note: Note) -> Pending:
    """The Pending of a note as notes/make.py makes it (no GUID yet)."""
    src = note.source
    # tuple.__new__ directly: what Pending(...) makes, without its Python-level __new__.
    return _new_tuple(Pending, (note.key, note.kind, src.path, src.line, src.sentence, note.deck, note_hash(note),
                                snapshot_bytes(note), card_signatures(note),
                                tuple(media_names([v for _, v in note.fields])), guid_for(note.key)))


_new_tuple = tuple.__new__


class Stamp(NamedTuple):
    """What identity gave one live note: its GUID and mod, its content hash, and the note itself when its
    cloze numbers had to change (None: the note as built)."""

    guid: str
    mod: int
    hash: str
    renumbered: Note | None = None


def assign_identity(notes: Sequence[Note], lock: Mapping[str, LockEntry], now: int,
                    in_scope: Callable[[str], bool] = lambda path: True, taken: Iterable[str] = (),
                    ) -> tuple[list[Note], dict[str, LockEntry], IdentityReport]:
    """Notes with GUID, cloze numbers and mod set (retired ones after the live ones), the new lock, the report.

    `in_scope(path)` says whether a lock entry's article was part of this build (or is gone for good):
    only those entries can be matched by similarity or retired; the others are carried over untouched.
    `taken`: GUIDs in use besides the lock's (notes the caller keeps out of this), never handed out again.
    """
    stamps, retired, new_lock, report = assign([pending_of(n) for n in notes], lock, now, notes.__getitem__,
                                               in_scope, taken)
    live = [stamped(s.renumbered or note, s.guid, s.mod) for note, s in zip(notes, stamps, strict=True)]
    return [*live, *retired], new_lock, report


def assign(notes: Sequence[Pending], lock: Mapping[str, LockEntry], now: int, note_of: Callable[[int], Note],
           in_scope: Callable[[str], bool] = lambda path: True, taken: Iterable[str] = (),
           ) -> tuple[list[Stamp], list[Note], dict[str, LockEntry], IdentityReport]:
    """assign_identity over Pendings: each live note's Stamp (in order), the retired notes, the new lock, the
    report. `note_of(i)` gives note i itself (see Pending for when it is asked for)."""
    # In an order of their own (not their lock ids, which depend on what else the lock holds), so that
    # matching part of a lock gives what matching all of it gives for that part (build/carry.py carries the
    # rest).
    entries = [(e.key, e) for e in sorted(lock.values(), key=lambda e: (e.key, e.guid))]
    matched = _match(notes, [e for _, e in entries], in_scope, note_of)
    taken = {*taken, *(e.guid for _, e in entries)}
    tried: dict[str, int] = {}
    stamps: list[Stamp] = []
    new_lock: list[LockEntry] = []
    changes: list[Change] = []
    for i, p in enumerate(notes):
        held, how = matched.get(i, (None, ""))
        guid = held.guid if held else _fresh_guid(p.key, taken, tried, p.guid)
        taken.add(guid)
        ordinals: dict[str, int] = {}
        renumbered = None
        h, content = p.hash, p.snapshot
        if p.kind == "cloze":
            mapping, ordinals = cloze_ordinals(p.signatures, held)
            if mapping is not None:
                renumbered = _renumber(note_of(i), mapping)
                h, content = note_hash(renumbered), snapshot_bytes(renumbered)
        if held is None:
            status, mod = "new", now
        elif held.hash == h:
            status, mod = "unchanged", held.mod
        else:
            status, mod = "changed", max(now, held.mod + 1)
        stamps.append(Stamp(guid, mod, h, renumbered))
        new_lock.append(LockEntry(p.key, guid, h, mod, p.path, ordinals, False, content, p.kind))
        was = held.path if held and held.path != p.path else ""
        if status == "changed":
            note = renumbered or note_of(i)
            changes.append(Change(status, guid, p.key, p.kind, p.path, p.line, p.sentence, how, was,
                                  _changed_fields(held, note), False, _emptied(held, note)))
        else:
            changes.append(Change(status, guid, p.key, p.kind, p.path, p.line, p.sentence, how, was))
    used = {id(e) for e, _ in matched.values()}
    retired: list[Note] = []
    for _, entry in entries:
        if id(entry) in used:
            continue
        if not in_scope(entry.path):
            new_lock.append(entry)
            continue
        last = entry.note()
        earlier = entry.retired
        if not earlier:
            if last is not None:
                last = replace(last, tags=tuple(dict.fromkeys((*last.tags, RETIRED_TAG))))
            entry = replace(entry, hash=note_hash(last) if last is not None else entry.hash,
                            mod=max(now, entry.mod + 1), retired=True,
                            snapshot_json=snapshot_bytes(last) if last is not None else None)
        new_lock.append(entry)
        if last is not None:
            retired.append(replace(last, guid=entry.guid, mod=entry.mod, retired=True))
        snapshot = entry.snapshot
        src = snapshot.get("source", {}) if snapshot else {}
        # A note retired by an earlier build is shipped again as it was: importing it changes nothing.
        changes.append(Change("unchanged" if earlier else "retired", entry.guid, entry.key, entry.kind, entry.path,
                              int(src.get("line", 0)), str(src.get("sentence", "")), retired=True))
    return stamps, retired, lock_of(new_lock), IdentityReport(tuple(changes))


# --- matching ---------------------------------------------------------------------------------------


# --- GUIDs, cloze numbers, changed fields --------------------------------------------------------------

def stamped(note: Note, guid: str, mod: int) -> Note:
    """`note` with its GUID and mod (what dataclasses.replace gives, without its per-call introspection)."""
    return Note(note.kind, note.deck, note.fields, note.cards, note.tags, note.source, note.rule, note.score,
                note.key, guid, mod, note.due, note.retired, note.extra)


def _fresh_guid(key: str, taken: set[str], tried: dict[str, int], first: str | None = None) -> str:
    """The first of the key's GUIDs (`guid_for(key)`, then of `key\x1f2`, `key\x1f3`...) not taken.

    `tried`: per key, the number of the GUID it last got. Those before it were taken then and GUIDs are
    never given back, so the search goes on from there: a key many articles share costs one hash per
    note, not one per earlier note. `first`: guid_for(key), when the caller has it already.
    """
    n = tried.get(key, 0) + 1
    guid = (first or guid_for(key)) if n == 1 else guid_for(f"{key}\x1f{n}")
    while guid in taken:  # a colliding key, or a key that once belonged to a note now known by another
        n += 1
        guid = guid_for(f"{key}\x1f{n}")
    tried[key] = n
    return guid


def _changed_fields(held: LockEntry | None, note: Note) -> tuple[str, ...]:
    """Names of the fields (and "tags") whose content differs from the lock's last snapshot."""
    snapshot = held.snapshot if held is not None else None
    if snapshot is None:
        return ()
    before: Mapping[str, Any] = snapshot.get("fields", {})
    names = [name for name, value in note.fields if before.get(name) != value]
    if list(snapshot.get("tags", [])) != list(note.tags):
        names.append("tags")
    return tuple(names)
