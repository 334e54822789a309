"""The lock file `certdeck.lock.json`: each fact's key -> GUID, cloze numbers, content hash, mod and last content.

It is meant to be committed beside the decks: the text is deterministic and sorted, one note per line
(still one JSON document), so that its diff shows which notes a rebuild changed. Schema `certdeck.lock/3`
groups the notes by article: `{"schema": ..., "articles": {PATH: {LOCK_ID: ENTRY, ...}, ...}}`, articles
sorted by path, in each the live notes sorted by lock id, then the retired ones. An article's section is
therefore a run of lines that only that article's notes decide, and a rebuild that did not touch the
article can copy it as it is (build/carry.py). A note's last content is kept as its JSON text and only parsed
when needed (a note that changed or retired). Schemas `certdeck.lock/2` (one section for all, the path in
each entry) and `certdeck.lock/1` (the walking skeleton's, without last content: its facts can be retired
but not shipped) are still read.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any

from ..errors import GeneratorError
from ..memo import on_forget
from ..model import CardView, Kind, Note, SourceRef
from ..notes.templates import CLOZE_FIELDS, QA_FIELDS
from ..package.export import note_to_json

LOCK_NAME = "certdeck.lock.json"
MAX_DECK_CHARS = 1000  # a deck name from the lock longer than this is not shipped
MAX_DECK_LEVELS = 11  # as notes.MAX_DECK_LEVELS: Anki refuses to import deeper decks
LOCK_SCHEMA = "certdeck.lock/3"
_OLD_SCHEMAS = ("certdeck.lock/1", "certdeck.lock/2")
_SNAPSHOT_KEYS = frozenset(("deck", "kind", "fields", "cards", "tags", "source", "rule", "score"))
_HEAD = f'{{"schema": "{LOCK_SCHEMA}", "articles": {{'
_V2_HEAD = '{"schema": "certdeck.lock/2", "notes": {'
_NOTE = ', "note": '
_HEAD_B = _HEAD.encode()
_STYLED_HEAD_B = f'{{"schema": "{LOCK_SCHEMA}", "styles": {{'.encode()  # with each note type's CSS hash
_ARTICLES_B = b', "articles": {'
_GUID_B = b'{"guid": "'
_NOTE_B = _NOTE.encode()
_enc = encode_basestring  # what json.dumps(s, ensure_ascii=False) gives, without its per-call set-up


@dataclass(frozen=True, slots=True)
class LockEntry:
    key: str  # the fact's identity key when it was last seen
    guid: str
    hash: str  # of the note's note type, fields and tags
    mod: int  # seconds since the epoch: when the note's content last changed
    path: str  # the article it was last seen in
    ordinals: Mapping[str, int] = field(default_factory=dict)  # cloze: answer -> number, removed ones too
    retired: bool = False  # gone from its article; shipped tagged certdeck::retired
    # The note's last content (see snapshot_of) as UTF-8 JSON text: bytes, as the lock file holds it (and
    # half the memory of a str with one character beyond Latin-1 in it).
    snapshot_json: bytes | None = None
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
        # Hand-edited and reviewed in pull requests: what reaches a card passes the checks fresh notes do.
        from ..notes.finish import safe_field
        from ..text import clean_tag

        deck = str(s["deck"])
        if len(deck) > MAX_DECK_CHARS or deck.count("::") >= MAX_DECK_LEVELS or not deck.strip():
            raise ValueError(f"deck name {_short(deck)} is empty, longer than {MAX_DECK_CHARS} characters or "
                             f"nested deeper than {MAX_DECK_LEVELS} levels")
        tags = tuple(t for t in (clean_tag(str(t)) for t in s["tags"]) if t)
        return Note(kind=kind, deck=deck, fields=tuple((n, safe_field(str(stored[n]))) for n in names),
                    cards=tuple(CardView(int(c["ord"]), str(c["prompt"]), tuple(str(a) for a in c["answers"]))
                                for c in s["cards"]),
                    tags=tags,
                    source=SourceRef(str(src["path"]), int(src["line"]), tuple(str(x) for x in src["section"]),
                                     str(src["sentence"])),
                    rule=str(s["rule"]), score=float(s["score"]), key=self.key, guid=self.guid, mod=self.mod,
                    retired=self.retired)


def snapshot_bytes(note: Note) -> bytes:
    """snapshot_json as UTF-8, as LockEntry keeps it."""
    return snapshot_json(note).encode("utf-8", "surrogatepass")


def snapshot_json(note: Note) -> str:
    """The JSON text the lock keeps of a note (see snapshot_of): exactly what
    `json.dumps(snapshot_of(note), ensure_ascii=False, separators=(", ", ": "))` gives, written directly
    (one per note of a build: the general encoder's dict building and dispatch cost more than the text)."""
    enc = _enc
    src = note.source
    sentence = src.sentence
    encoded_sentence = enc(sentence)
    # The notes of a section share their deck, tags, path and section, and most share their Extra,
    # Context and Source fields; the Sentence field is mostly the source sentence itself: each of those is
    # escaped once, not once per note.
    memo = _ENCODED
    if len(memo) > _ENCODED_MAX:
        memo.clear()
    frame_key = (note.deck, note.kind, note.tags, src.path, src.section)
    try:
        frame = memo.get(frame_key)
        if frame is None:
            frame = memo[frame_key] = _frame(*frame_key)
    except TypeError:  # tags or section given as lists
        frame = _frame(*frame_key)
    rule, score = note.rule, note.score
    # Keyed by value only where equal values print alike: a float but 0.0 (-0.0 == 0.0, 1 == 1.0 == True).
    if type(score) is float and score and type(rule) is str:
        tail_key = (rule, score)
        tail = memo.get(tail_key)
        if tail is None:
            tail = memo[tail_key] = _tail(rule, score)
    else:
        tail = _tail(rule, score)
    fields = []
    encoded: str | None  # None only between a memo miss and its encoding
    for name, value in note.fields:
        if value == sentence:
            encoded = encoded_sentence
        else:
            encoded = memo.get(value)
            if encoded is None:
                encoded = memo[value] = enc(value)
        encoded_name = memo.get(name)
        if encoded_name is None:
            encoded_name = memo[name] = enc(name)
        fields.append(f"{encoded_name}: {encoded}")
    cards = ", ".join(f'{{"ord": {int(c.ord)}, "prompt": {enc(c.prompt)}, '
                      f'"answers": [{", ".join(map(enc, c.answers))}]}}'
                      for c in note.cards)
    head, before_line, before_sentence = frame
    return (f'{head}{", ".join(fields)}}}, "cards": [{cards}{before_line}{int(src.line)}{before_sentence}'
            f'{encoded_sentence}{tail}')


# snapshot_json's escaped strings and JSON pieces, by what they were made of: emptied with the article's
# memos (most reuse is within an article) and whenever it grows past a bound (the parent process snapshots
# retired notes without emptying it).
_ENCODED: dict[Any, Any] = {}
_ENCODED_MAX = 1 << 12
on_forget(_ENCODED.clear)


def _frame(deck: str, kind: str, tags: Sequence[str], path: str, section: Sequence[str]) -> tuple[str, str, str]:
    """snapshot_json's text around a note's fields, cards, line and sentence: (before the fields, between the
    cards and the line, between the line and the sentence)."""
    enc = _enc
    return (f'{{"deck": {enc(deck)}, "kind": {enc(kind)}, "fields": {{',
            f'], "tags": [{", ".join(map(enc, tags))}], "source": {{"path": {enc(path)}, "line": ',
            f', "section": [{", ".join(map(enc, section))}], "sentence": ')


def _tail(rule: str, score: float) -> str:
    return f'}}, "rule": {_enc(rule)}, "score": {_number(score)}}}'


def _number(value: float) -> str:
    return float.__repr__(value) if type(value) is float and value == value and abs(value) != float("inf") \
        else json.dumps(value)


def snapshot_of(note: Note) -> dict[str, Any]:
    """What the lock keeps of a note so that it can still be packaged once its fact is gone."""
    # The cards JSON entry less what identity assigns (guid) and the build decides (retired).
    return {k: v for k, v in note_to_json(note).items() if k not in ("guid", "retired")}


def load_lock(text: str | bytes | None, path: str) -> dict[str, LockEntry]:
    """Parse a lock file's text (or its bytes); None (no file yet) gives an empty lock."""
    if text is None:
        return {}
    try:
        data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
        sections = split_sections(data)
        lock = entries_of(sections) if sections is not None else _load_v2_lines(data.decode("utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        lock = None  # not laid out as dump_lock writes it (edited by hand, say): read it as any JSON
    try:
        if lock is None:
            lock = _load_document(text)
        check_guids(e.guid for e in lock.values())
        return lock
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        # lockrepair.read_lock recovers what it can of a damaged lock: never suggest dropping it.
        raise GeneratorError(f"lock file is damaged ({err})", path) from None


def check_guids(guids: Iterable[str]) -> None:
    """ValueError if two facts of a lock have the same GUID."""
    seen: set[str] = set()
    for guid in guids:
        if guid in seen:
            raise ValueError("two facts have the same GUID")
        seen.add(guid)


def split_sections(data: bytes) -> dict[str, list[bytes]] | None:
    """The lines of each article's section (UTF-8, no trailing commas), as dump_lock writes them; None if the
    file is not laid out that way (an older schema, or reformatted)."""
    spans = section_spans(data)
    return None if spans is None else {path: data[a:b].split(b",\n") for path, (a, b) in spans.items()}


def section_spans(data: bytes) -> dict[str, tuple[int, int]] | None:
    """Where each article's lines are in `data` (start, end: the lines joined by ",\n"), as dump_lock writes
    them; None if the file is not laid out that way. Nothing is copied: a big lock is never decoded whole."""
    head = _head_length(data)
    if head and data[head : head + 2] == b"}}" and not data[head + 2 :].strip():
        return {}
    if not head or data[head : head + 1] != b"\n" or not data.endswith(b"\n}}\n"):
        return None
    spans: dict[str, tuple[int, int]] = {}
    # A raw line break only ever ends a line (JSON escapes them in strings), entry lines start with a
    # quote and end with "}": so "\n}" starts an article's closing line, and ",\n" only ever joins lines.
    at, end = head + 1, len(data) - 4  # the last section closes right before "\n}}\n"
    while at < end:
        header_end = data.index(b": {\n", at)
        close = data.index(b"\n}", header_end)
        path = json.loads(data[at:header_end])
        if not isinstance(path, str) or path in spans or data.find(b"\n", at, header_end) >= 0 \
                or close == header_end + 3:
            raise ValueError("not dump_lock's layout")
        spans[path] = (header_end + 4, close)
        at = close + 2
        if data[at : at + 2] == b",\n":
            at += 2
        elif at != end:
            raise ValueError("not dump_lock's layout")
    return spans


def _head_length(data: bytes) -> int:
    """Length of the lock's opening `{"schema": ..., "articles": {` (with the note-type styles between, if
    any), as dump_lock writes it; 0 if the file does not open so."""
    if data.startswith(_HEAD_B):
        return len(_HEAD_B)
    if not data.startswith(_STYLED_HEAD_B):
        return 0
    line = data[: data.find(b"\n") if b"\n" in data else len(data)]
    at = line.rfind(_ARTICLES_B)
    return at + len(_ARTICLES_B) if at > 0 and line[at + len(_ARTICLES_B) :] in (b"", b"}}") else 0


def load_styles(data: bytes | None) -> dict[str, tuple[str, int]]:
    """Note type -> (hash of its CSS, when that CSS was first built) from a lock file's first line; {} for a
    lock without them (or none)."""
    if not data or not data.startswith(_STYLED_HEAD_B):
        return {}
    try:
        line = data[: data.find(b"\n")] if b"\n" in data else data
        styles = json.loads(line[: line.rfind(_ARTICLES_B)] + b"}")["styles"]
        return {str(kind): (str(v["css"]), int(v["mod"])) for kind, v in styles.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}  # the notes are what matters; styles are then taken as changed


def entries_of(sections: Mapping[str, Iterable[bytes]]) -> dict[str, LockEntry]:
    """Every entry of the sections split_sections gives, keyed as lock_of keys them."""
    return lock_of(parse_line(line, path) for path, lines in sections.items() for line in lines)


def parse_line(line: bytes | str, path: str | None) -> LockEntry:
    """One entry line of an article's section (`path`: the section's; None: the line's own, as in lock/2)."""
    if isinstance(line, str):
        line = line.encode("utf-8", "surrogatepass")
    # Inside a JSON string every quote is escaped, so the first `, "note": ` is the entry's own "note" key.
    at = line.find(_NOTE_B)
    head = json.loads(b"{" + (line[:at] + b"}}" if at >= 0 else line + b"}"))
    (lock_id, v), = head.items()
    content = line[at + len(_NOTE_B) : -1] if at >= 0 else None  # kept as it is until needed
    if content is not None and not (content.startswith(b"{") and content.endswith(b"}")):
        raise ValueError("not dump_lock's layout")
    if content is not None:
        content.decode("utf-8")  # ValueError if it is not UTF-8
    return _entry(lock_id, v, content, path)


def line_guid(line: bytes) -> str:
    """The GUID of an entry line, without parsing the line (its first field)."""
    at = line.index(_GUID_B) + len(_GUID_B)
    guid = line[at : line.index(b'"', at)]
    if b"\\" in guid:
        raise ValueError("not dump_lock's layout")
    return guid.decode("utf-8")


def _load_v2_lines(text: str) -> dict[str, LockEntry]:
    """The layout certdeck.lock/2 was written in: one note per line, sorted by lock id."""
    lines = text.split("\n")
    if lines[0] == _V2_HEAD + "}}" and not "".join(lines[1:]).strip():
        return {}
    if lines[0] != _V2_HEAD or lines[-2:] != ["}}", ""]:
        raise ValueError("not dump_lock's layout")
    return lock_of(parse_line(line.removesuffix(","), None) for line in lines[1:-2])


def _load_document(text: str | bytes) -> dict[str, LockEntry]:
    data = json.loads(text)
    schema = data.get("schema")
    if schema != LOCK_SCHEMA and schema not in _OLD_SCHEMAS:
        raise ValueError(f"schema is not {LOCK_SCHEMA}")
    items: list[tuple[str, Any, str | None]]  # (lock id, entry, article path; None in old lock files)
    if schema == LOCK_SCHEMA:
        items = [(lock_id, v, str(path)) for path, section in data["articles"].items()
                 for lock_id, v in section.items()]
    else:
        items = [(lock_id, v, None) for lock_id, v in data["notes"].items()]
    entries = []
    for lock_id, v, path in items:
        snapshot = v.get("note")
        if snapshot is not None and not (isinstance(snapshot, dict) and snapshot.keys() >= _SNAPSHOT_KEYS):
            raise TypeError(f"{lock_id!r}: note lacks {sorted(_SNAPSHOT_KEYS - set(snapshot or ()))}")
        content = json.dumps(snapshot, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8", "surrogatepass") \
            if snapshot is not None else None
        entries.append(_entry(lock_id, v, content, path))
    if schema == "certdeck.lock/1":  # content hashes were taken differently: every note counts as changed once
        entries = [LockEntry(e.key, e.guid, "", e.mod, e.path) for e in entries]
    return lock_of(entries)


def _entry(lock_id: str, v: Mapping[str, Any], content: bytes | None, path: str | None) -> LockEntry:
    guid = v["guid"]
    key = lock_id.removesuffix(f" #{guid}") if isinstance(guid, str) else lock_id
    ordinals = {str(a): int(n) for a, n in v["ordinals"].items()} if "ordinals" in v else {}
    kind = str(v.get("kind", ""))
    if kind not in ("", "cloze", "qa"):
        raise ValueError(f"{lock_id!r}: kind is {kind!r}")
    check_entry(lock_id, guid, v["mod"])
    return LockEntry(key, guid, str(v["hash"]), int(v["mod"]), str(v.get("path", "")) if path is None else path,
                     ordinals, bool(v.get("retired", False)), content, kind)


# The GUIDs certdeck makes (ids.guid_for): 12 characters of URL-safe base64, nothing HTML or Anki's field
# separator (\x1f) could hide in. `mod`: whole seconds, bounded far below SQLite's 64-bit integers.
_GUID = re.compile(r"[A-Za-z0-9_-]{12}")
MAX_MOD = 10**12  # seconds: the year 33658


def check_entry(lock_id: str, guid: Any, mod: Any) -> None:
    """ValueError unless an entry's GUID is one certdeck makes and its `mod` a bounded whole number."""
    if not isinstance(guid, str) or not _GUID.fullmatch(guid):
        raise ValueError(f"{_short(lock_id)}: guid {_short(str(guid))} is not a certdeck GUID "
                         f"(12 characters A-Z a-z 0-9 - _)")
    if type(mod) is not int or not 0 <= mod <= MAX_MOD:
        raise ValueError(f"{_short(lock_id)}: mod {_short(str(mod))} is not a whole number of seconds "
                         f"from 0 to {MAX_MOD}")


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def lock_of(entries: Iterable[LockEntry]) -> dict[str, LockEntry]:
    """Entries keyed for use in memory: by fact key; facts sharing a key get `key #GUID` after the first."""
    by_key: dict[str, list[LockEntry]] = {}
    for entry in entries:
        by_key.setdefault(entry.key, []).append(entry)
    out: dict[str, LockEntry] = {}
    for key, group in by_key.items():
        if len(group) == 1:
            out[key] = group[0]
            continue
        for n, entry in enumerate(sorted(group, key=lambda e: e.guid)):
            out[key if n == 0 else f"{key} #{entry.guid}"] = entry
    return dict(sorted(out.items()))
