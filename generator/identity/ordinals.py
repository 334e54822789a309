"""Cloze numbers: each answer keeps the number it had in the lock, and no number is ever used twice.

A card is its note's cloze number: a deletion that moves to another number would show the learner's review
history on another card. Removed answers keep their numbers in the lock so that none is reused.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from ..model import CardView, Note
from .lockfile import LockEntry

_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")


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
        # strict=False: new deletions beyond the old numbers are numbered below; old numbers left over stay unused
        for (ord_, _), n in zip([x for x in signatures if x[0] not in mapping], previous, strict=False):
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
