"""Identity stage: match this build's notes to the lock file, so every fact keeps its GUID across edits.

A note is matched to a lock entry by its fact key first, then by similarity of its source sentence and
answers: within its own article, then (stricter) anywhere in the build, so a reworded fact, a renamed
heading or a renamed file keeps its notes. Cloze numbers follow their answers and are never reused. A
note's `mod` changes exactly when its content (fields, tags) changes, so Anki's "update if newer" applies
real edits and leaves everything else alone. Facts gone from their article are retired: kept in the lock
with their last content, shipped tagged `certdeck::retired`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any, NamedTuple

from .ids import content_hash, guid_for
from .lockfile import LOCK_NAME, LockEntry, dump_lock, load_lock, lock_of, snapshot_bytes, snapshot_json  # noqa: F401 (re-exported)
from ..notes.media import media_names
from ..model import CardView, Note
from ..text import normalize

RETIRED_TAG = "certdeck::retired"
SAME_ARTICLE_MIN = 0.6  # similarity a reworded fact needs to keep its note within its article
ELSEWHERE_MIN = 0.8  # ... and across articles (a renamed file, a section moved to another file)
_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")


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
    carried: int = 0  # unchanged notes not listed in `changes`: their articles were carried (pipeline.py)

    def of(self, status: str) -> tuple[Change, ...]:
        """The changes with `status` (without the carried notes)."""
        return tuple(c for c in self.changes if c.status == status)

    def counts(self) -> dict[str, int]:
        """How many notes are new, changed, unchanged and retired."""
        counts = {s: 0 for s in ("new", "changed", "unchanged", "retired")}
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
    """The Pending of a note as notes.py makes it (no GUID yet)."""
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
    live = [stamped(s.renumbered or note, s.guid, s.mod) for note, s in zip(notes, stamps)]
    return [*live, *retired], new_lock, report


def assign(notes: Sequence[Pending], lock: Mapping[str, LockEntry], now: int, note_of: Callable[[int], Note],
           in_scope: Callable[[str], bool] = lambda path: True, taken: Iterable[str] = (),
           ) -> tuple[list[Stamp], list[Note], dict[str, LockEntry], IdentityReport]:
    """assign_identity over Pendings: each live note's Stamp (in order), the retired notes, the new lock, the
    report. `note_of(i)` gives note i itself (see Pending for when it is asked for)."""
    # In an order of their own (not their lock ids, which depend on what else the lock holds), so that
    # matching part of a lock gives what matching all of it gives for that part (pipeline.py carries the
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

@dataclass(frozen=True, slots=True)
class _Features:
    kind: str
    path: str
    words: tuple[str, ...]  # normalised words of the source sentence
    answers: str  # normalised answers, joined
    distinct: frozenset[str] = field(default=frozenset(), compare=False)  # the words, once each

    @property
    def repeats(self) -> int:
        return len(self.words) - len(self.distinct)


def _features_of_note(note: Note) -> _Features:
    answers = " / ".join(normalize(a) for c in note.cards for a in c.answers)
    words = tuple(normalize(note.source.sentence).split())
    return _Features(note.kind, note.source.path, words, answers, frozenset(words))


def _features_of_entry(entry: LockEntry) -> _Features:
    sentence, answers = entry.sentence_and_answers()
    words = tuple(normalize(sentence).split())
    return _Features(entry.kind, entry.path, words, " / ".join(normalize(a) for a in answers), frozenset(words))


def similarity(a: _Features, b: _Features) -> float:
    """0..1: how alike two facts are; their source sentences weigh three times as much as their answers."""
    sentence = SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()
    return 0.75 * sentence + 0.25 * _answer_similarity(a, b)


def sentence_similarity(a: str, b: str) -> float:
    """0..1: how alike two sentences are, word by word, after normalising case, quotes and punctuation."""
    return SequenceMatcher(None, normalize(a).split(), normalize(b).split(), autojunk=False).ratio()


def _match(notes: Sequence[Pending], entries: Sequence[LockEntry], in_scope: Callable[[str], bool],
           note_of: Callable[[int], Note]) -> dict[int, tuple[LockEntry, str]]:
    """Note index -> (lock entry, how it matched): by key, then by similarity in the article, then anywhere."""
    matched: dict[int, tuple[LockEntry, str]] = {}
    free = list(entries)
    by_key: dict[str, list[LockEntry]] = {}
    for entry in free:
        by_key.setdefault(entry.key, []).append(entry)
    # Facts sharing a key (the same sentence in two articles) each keep theirs: every note first looks in
    # its own article (a live entry before a retired one), and only then elsewhere. So a note whose article
    # did not change finds the very entry the last build gave it, whatever other articles do.
    for own_article in (True, False):
        for i, note in enumerate(notes):
            same_key = by_key.get(note.key)
            if not same_key or i in matched:
                continue
            path = note.path
            if own_article:
                mine = [e for e in same_key if e.path == path]
                if not mine:
                    continue
                held = mine[0] if len(mine) == 1 else min(mine, key=lambda e: (e.retired, e.guid))
            else:
                # Another article's entry only if that article is in this build or gone from disk: a partial
                # build never takes the GUID of a note that an article left out of it still has.
                theirs = [e for e in same_key if in_scope(e.path)]
                if not theirs:
                    continue
                held = min(theirs, key=lambda e: e.guid)
            same_key.remove(held)
            matched[i] = (held, "key")
    used = {id(e) for e, _ in matched.values()}
    pool = [e for e in free if id(e) not in used and in_scope(e.path)]
    rest = [i for i in range(len(notes)) if i not in matched]
    if not pool or not rest:
        return matched
    note_features = {i: _features_of_note(note_of(i)) for i in rest}
    entry_features = [_features_of_entry(e) for e in pool]
    taken: set[int] = set()
    # The same sentence (a rule now gaps another term, or keys are made differently): no scoring needed.
    by_sentence: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for j, f in enumerate(entry_features):
        by_sentence.setdefault((f.kind, f.words), []).append(j)
    for i, a in note_features.items():
        same = [j for j in by_sentence.get((a.kind, a.words), ()) if j not in taken]
        if a.words and same:
            j = min(same, key=lambda j: (entry_features[j].path != a.path, entry_features[j].answers != a.answers,
                                         pool[j].guid))
            matched[i] = (pool[j], "same sentence")
            taken.add(j)
    note_features = {i: f for i, f in note_features.items() if i not in matched}
    for same_article, threshold in ((True, SAME_ARTICLE_MIN), (False, ELSEWHERE_MIN)):
        free_entries = [f if j not in taken else _Features("", "", (), "") for j, f in enumerate(entry_features)]
        candidates = _candidates(note_features, free_entries, same_article)
        hopeless: set[int] = set()  # entries only get taken, so a note with no match now never gets one
        while True:  # rounds: a note whose best entry went to a closer note tries its next best
            pairs = []
            for i, a in note_features.items():
                if i in matched or i in hopeless:
                    continue
                best = _best_entry(a, [j for j in candidates.get(i, ()) if j not in taken], entry_features, threshold)
                if best is None:
                    hopeless.add(i)
                else:
                    pairs.append((-best[0], i, pool[best[1]].guid, best[1]))
            progress = False
            for neg, i, _, j in sorted(pairs):
                if i not in matched and j not in taken:
                    matched[i] = (pool[j], f"similar {-neg:.2f}")
                    taken.add(j)
                    progress = True
            if not progress:
                break
        note_features = {i: f for i, f in note_features.items() if i not in matched}
    return matched


def _best_entry(a: _Features, candidates: list[int], entries: Sequence[_Features], threshold: float
                ) -> tuple[float, int] | None:
    """(score, index) of the entry most like `a` scoring at least `threshold`, trying likely ones first."""
    bounded = []
    for j in candidates:
        b = entries[j]
        # SequenceMatcher's ratio never exceeds the share of words the two have in common.
        # Words in common, counted with repeats, are at most the distinct ones plus the fewer repeats.
        common = len(a.distinct & b.distinct) + min(a.repeats, b.repeats)
        bound = 0.75 * 2 * common / max(1, len(a.words) + len(b.words)) + 0.25
        if bound >= threshold:
            bounded.append((-bound, j))
    best: tuple[float, int] | None = None
    floor = threshold
    for neg_bound, j in sorted(bounded):
        if -neg_bound < floor:
            break
        b = entries[j]
        sentence = SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()
        if 0.75 * sentence + 0.25 < floor:
            continue
        score = 0.75 * sentence + 0.25 * _answer_similarity(a, b)
        if score > floor or (best is None and score >= floor):
            best, floor = (score, j), score
    return best


def _answer_similarity(a: _Features, b: _Features) -> float:
    if not a.answers and not b.answers:
        return 1.0
    return SequenceMatcher(None, a.answers, b.answers, autojunk=False).ratio()


def _candidates(notes: Mapping[int, _Features], entries: Sequence[_Features], same_article: bool
                ) -> dict[int, list[int]]:
    """Entries worth scoring per note: in its article, all of its kind; elsewhere, those sharing one of the
    note's three rarest words (a near-identical sentence shares most words, so one of those)."""
    out: dict[int, list[int]] = {}
    if same_article:
        by_path: dict[tuple[str, str], list[int]] = {}
        for j, f in enumerate(entries):
            if f.kind:
                by_path.setdefault((f.kind, f.path), []).append(j)
        for i, f in notes.items():
            out[i] = by_path.get((f.kind, f.path), [])
        return out
    postings: dict[str, list[int]] = {}
    for j, f in enumerate(entries):
        for w in f.distinct if f.kind else ():
            postings.setdefault(w, []).append(j)
    for i, f in notes.items():
        rare = sorted(f.distinct, key=lambda w: (len(postings.get(w, ())), w))[:3]
        out[i] = sorted({j for w in rare for j in postings.get(w, ()) if entries[j].kind == f.kind
                         and entries[j].path != f.path})
    return out


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


def fix_ordinals(note: Note, held: LockEntry | None) -> tuple[Note, dict[str, int]]:
    """Give each cloze number the number its answer had before; new answers get numbers never used.

    The exception is a note none of whose previous deletions survive (a rule now gaps another word of the
    same sentence, say): its new deletions take over the previous numbers, in order, so the learner's card
    keeps going instead of turning into an empty card next to a new one. Returns the renumbered note and the
    answer -> number map to keep (removed answers included, so their numbers are never reused).
    """
    mapping, keep = cloze_ordinals(card_signatures(note), held)
    return (note if mapping is None else _renumber(note, mapping)), keep


def card_signatures(note: Note) -> tuple[tuple[int, str], ...]:
    """Each card's (cloze number, signature of its answers): what fix_ordinals follows a deletion by."""
    cards = note.cards
    if len(cards) == 1 and len(cards[0].answers) == 1:  # most notes: one card, one answer, no repeat to number
        card = cards[0]
        return ((card.ord, " ".join(card.answers[0].casefold().split())),)
    return _signatures(cards)


def _signatures(cards: Sequence[CardView]) -> tuple[tuple[int, str], ...]:
    """card_signatures of any cards: the answers of a card joined by " / ", the second and later card with
    the same answers numbered (" #2")."""
    signatures: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for card in cards:
        sig = " / ".join(" ".join(a.casefold().split()) for a in card.answers)
        seen[sig] = seen.get(sig, 0) + 1
        signatures.append((card.ord, sig if seen[sig] == 1 else f"{sig} #{seen[sig]}"))
    return tuple(signatures)


def cloze_ordinals(signatures: Sequence[tuple[int, str]], held: LockEntry | None
                   ) -> tuple[dict[int, int] | None, dict[str, int]]:
    """fix_ordinals on a note's card_signatures: (old -> new cloze number, or None when no number changes;
    the answer -> number map to keep)."""
    held_ordinals = held.ordinals if held is not None else {}
    if not held_ordinals:
        return None, {sig: ord_ for ord_, sig in signatures}
    if all(held_ordinals.get(sig) == ord_ for ord_, sig in signatures):  # the usual rebuild: nothing to renumber
        return None, dict(held_ordinals)
    mapping: dict[int, int] = {}
    keep = dict(held_ordinals)
    live = set()
    for ord_, sig in signatures:
        if sig in held_ordinals:
            mapping[ord_] = held_ordinals[sig]
            live.add(sig)
    free = [(s, n) for s, n in held_ordinals.items() if s not in live]
    pairs = sorted((-SequenceMatcher(None, sig, s, autojunk=False).ratio(), ord_, s, n)
                   for ord_, sig in signatures if ord_ not in mapping for s, n in free)
    claimed: set[str] = set()
    for neg, ord_, s, n in pairs:
        if -neg < 0.8 or ord_ in mapping or s in claimed:
            continue
        mapping[ord_] = n
        claimed.add(s)
        del keep[s]  # the answer was reworded: its number now belongs to the new wording
    previous = sorted(_previous_ordinals(held))
    if previous and not set(previous) & set(mapping.values()):
        # Nothing of the note's last deletions survives: the new ones take over their cards, in order.
        for (ord_, _), n in zip([x for x in signatures if x[0] not in mapping], previous):
            mapping[ord_] = n
        for s in [s for s, n in keep.items() if n in previous]:
            del keep[s]
    high = max(held_ordinals.values(), default=0)
    for ord_, sig in signatures:
        if ord_ not in mapping:
            high += 1
            mapping[ord_] = high
        keep[sig] = mapping[ord_]
    return (None if all(k == v for k, v in mapping.items()) else mapping), dict(sorted(keep.items()))


def _previous_ordinals(held: LockEntry | None) -> set[int]:
    """The cloze numbers the note had in the last build (from the lock's snapshot of it)."""
    snapshot = held.snapshot if held is not None else None
    return {int(c["ord"]) for c in snapshot.get("cards", [])} if snapshot else set()


def _renumber(note: Note, mapping: Mapping[int, int]) -> Note:
    fields = tuple((name, _CLOZE_NUMBER.sub(lambda m: f"{{{{c{mapping.get(int(m.group(1)), int(m.group(1)))}::",
                                                 value)) for name, value in note.fields)
    cards = tuple(sorted((replace(c, ord=mapping.get(c.ord, c.ord)) for c in note.cards), key=lambda c: c.ord))
    return replace(note, fields=fields, cards=cards)


def _emptied(held: LockEntry | None, note: Note) -> tuple[int, ...]:
    """Cloze numbers the note had in the last build and has no more (Anki leaves those cards empty)."""
    snapshot = held.snapshot if held is not None and note.kind == "cloze" else None
    if snapshot is None:
        return ()
    before = {int(c["ord"]) for c in snapshot.get("cards", [])}
    return tuple(sorted(before - {c.ord for c in note.cards}))


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
