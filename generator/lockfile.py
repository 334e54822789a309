"""The lock file `certdeck.lock.json`: each fact's key -> GUID, cloze numbers, content hash, mod and last content.

It is meant to be committed beside the decks: the text is deterministic and sorted, one note per line
(still one JSON document), so that its diff shows which notes a rebuild changed. A note's last content is
kept as its JSON text and only parsed when needed (a note that changed or retired): most notes of a rebuild
never need it. Schema `certdeck.lock/1` (the walking skeleton's) is still read; it has no last content, so
its facts can be retired but not shipped.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Iterator

from .errors import GeneratorError
from .export import note_to_json
from .model import CardView, Kind, Note, SourceRef
from .templates import CLOZE_FIELDS, QA_FIELDS

LOCK_NAME = "certdeck.lock.json"
LOCK_SCHEMA = "certdeck.lock/2"
_OLD_SCHEMAS = ("certdeck.lock/1",)
_SNAPSHOT_KEYS = frozenset(("deck", "kind", "fields", "cards", "tags", "source", "rule", "score"))
_HEAD = f'{{"schema": "{LOCK_SCHEMA}", "notes": {{'
_NOTE = ', "note": '


@dataclass(frozen=True, slots=True)
class LockEntry:
    key: str  # the fact's identity key when it was last seen
    guid: str
    hash: str  # of the note's note type, fields and tags
    mod: int  # seconds since the epoch: when the note's content last changed
    path: str  # the article it was last seen in
    ordinals: Mapping[str, int] = field(default_factory=dict)  # cloze: answer -> number, removed ones too
    retired: bool = False  # gone from its article; shipped tagged certdeck::retired
    snapshot_json: str | None = None  # the note's last content (see snapshot_of), as JSON text
    kind_hint: str = ""  # `cloze` or `qa` as the lock file says; "" in lock files without it

    @property
    def snapshot(self) -> Mapping[str, Any] | None:
        """The note's last content, parsed (each call parses again: keep the result)."""
        if self.snapshot_json is None:
            return None
        try:
            data = json.loads(self.snapshot_json)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    @property
    def kind(self) -> str:
        """`cloze` or `qa`."""
        if self.kind_hint:
            return self.kind_hint
        snapshot = self.snapshot
        return str(snapshot.get("kind", "")) if snapshot else self.key.split("|", 1)[0]

    def sentence_and_answers(self) -> tuple[str, list[str]]:
        """The source sentence and the answers of the note, as last seen."""
        snapshot = self.snapshot
        if snapshot:
            answers = [str(a) for c in snapshot.get("cards", []) for a in c.get("answers", [])]
            return str(snapshot.get("source", {}).get("sentence", "")), answers
        parts = self.key.split("|", 2)  # lock/1 keys are "kind|term|sentence", already normalised
        return (parts[2], [parts[1]]) if len(parts) == 3 else (self.key, [])

    def note(self) -> Note | None:
        """The note as last built, from the snapshot (None when the lock has no usable content for it)."""
        try:
            return self._note()
        except (KeyError, TypeError, ValueError, AttributeError):  # a hand-edited snapshot: report, don't ship
            return None

    def _note(self) -> Note | None:
        s = self.snapshot
        if not s:
            return None
        kind: Kind = "cloze" if s["kind"] == "cloze" else "qa"
        order = CLOZE_FIELDS if kind == "cloze" else QA_FIELDS
        stored: Mapping[str, str] = s["fields"]
        names = [n for n in order if n in stored] + sorted(n for n in stored if n not in order)
        src = s["source"]
        return Note(kind=kind, deck=str(s["deck"]), fields=tuple((n, str(stored[n])) for n in names),
                    cards=tuple(CardView(int(c["ord"]), str(c["prompt"]), tuple(str(a) for a in c["answers"]))
                                for c in s["cards"]),
                    tags=tuple(str(t) for t in s["tags"]),
                    source=SourceRef(str(src["path"]), int(src["line"]), tuple(str(x) for x in src["section"]),
                                     str(src["sentence"])),
                    rule=str(s["rule"]), score=float(s["score"]), key=self.key, guid=self.guid, mod=self.mod,
                    retired=self.retired)


def snapshot_json(note: Note) -> str:
    """The JSON text the lock keeps of a note (see snapshot_of)."""
    return json.dumps(snapshot_of(note), ensure_ascii=False, separators=(", ", ": "))


def snapshot_of(note: Note) -> dict[str, Any]:
    """What the lock keeps of a note so that it can still be packaged once its fact is gone."""
    # The cards JSON entry less what identity assigns (guid) and the build decides (retired).
    return {k: v for k, v in note_to_json(note).items() if k not in ("guid", "retired")}


def load_lock(text: str | None, path: str) -> dict[str, LockEntry]:
    """Parse a lock file's text; None (no file yet) gives an empty lock."""
    if text is None:
        return {}
    try:
        lock = _load_lines(text)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        lock = None  # not laid out as dump_lock writes it (edited by hand, say): read it as any JSON
    try:
        if lock is None:
            lock = _load_document(text)
        guids = [e.guid for e in lock.values()]
        if len(set(guids)) != len(guids):
            raise ValueError("two facts have the same GUID")
        return lock
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise GeneratorError(f"lock file is damaged ({err}); move it away to start identities afresh",
                             path) from None


def _load_lines(text: str) -> dict[str, LockEntry]:
    """The fast way, for the layout dump_lock writes: each note's content stays JSON text until needed."""
    lines = text.split("\n")
    if lines[0] == _HEAD + "}}" and not "".join(lines[1:]).strip():
        return {}
    if lines[0] != _HEAD or lines[-2:] != ["}}", ""]:
        raise ValueError("not dump_lock's layout")
    lock: dict[str, LockEntry] = {}
    for line in lines[1:-2]:
        line = line.removesuffix(",")
        # Inside a JSON string every quote is escaped, so this is the entry's own "note" key: the last one.
        at = line.find(_NOTE)
        head = json.loads("{" + (line[:at] + "}}" if at >= 0 else line + "}"))
        (lock_id, v), = head.items()
        content = line[at + len(_NOTE) : -1] if at >= 0 else None
        if content is not None and not (content.startswith("{") and content.endswith("}")):
            raise ValueError("not dump_lock's layout")
        lock[lock_id] = _entry(lock_id, v, content)
    return lock


def _load_document(text: str) -> dict[str, LockEntry]:
    data = json.loads(text)
    schema = data.get("schema")
    if schema != LOCK_SCHEMA and schema not in _OLD_SCHEMAS:
        raise ValueError(f"schema is not {LOCK_SCHEMA}")
    lock = {}
    for lock_id, v in data["notes"].items():
        snapshot = v.get("note")
        if snapshot is not None and not (isinstance(snapshot, dict) and _SNAPSHOT_KEYS <= snapshot.keys()):
            raise TypeError(f"{lock_id!r}: note lacks {sorted(_SNAPSHOT_KEYS - set(snapshot or ()))}")
        content = json.dumps(snapshot, ensure_ascii=False, separators=(", ", ": ")) if snapshot is not None else None
        lock[lock_id] = _entry(lock_id, v, content)
    if schema in _OLD_SCHEMAS:  # content hashes were taken differently: every note counts as changed once
        lock = {k: LockEntry(e.key, e.guid, "", e.mod, e.path) for k, e in lock.items()}
    return lock


def _entry(lock_id: str, v: Mapping[str, Any], content: str | None) -> LockEntry:
    guid = str(v["guid"])
    key = lock_id.removesuffix(f" #{guid}")
    ordinals = {str(a): int(n) for a, n in v["ordinals"].items()} if "ordinals" in v else {}
    kind = str(v.get("kind", ""))
    if kind not in ("", "cloze", "qa"):
        raise ValueError(f"{lock_id!r}: kind is {kind!r}")
    return LockEntry(key, guid, str(v["hash"]), int(v["mod"]), str(v.get("path", "")), ordinals,
                     bool(v.get("retired", False)), content, kind)


def dump_lock(lock: Mapping[str, LockEntry]) -> str:
    """Deterministic, sorted lock file text: one JSON document, one note per line."""
    return "".join(lock_chunks(lock))


def lock_chunks(lock: Mapping[str, LockEntry]) -> Iterator[str]:
    """`dump_lock`'s text in pieces, to write a big lock without holding all of it in memory twice."""
    yield _HEAD
    first = True
    for lock_id, e in sorted(lock.items()):
        item: dict[str, Any] = {"guid": e.guid, "mod": e.mod, "hash": e.hash, "path": e.path}
        if e.kind_hint:
            item["kind"] = e.kind_hint
        if e.retired:
            item["retired"] = True
        if e.ordinals:
            item["ordinals"] = dict(sorted(e.ordinals.items()))
        head = json.dumps(item, ensure_ascii=False, separators=(", ", ": "))
        # The note's content last, as the text it already is: one line per note, nothing re-encoded.
        if e.snapshot_json is not None:
            head = head[:-1] + _NOTE + e.snapshot_json + "}"
        yield f"{chr(10) if first else ',' + chr(10)}{json.dumps(lock_id, ensure_ascii=False)}: {head}"
        first = False
    yield "}}\n" if first else "\n}}\n"
