"""Between the articles and the decks: what the built articles give identity, and identity's stamps laid out
as each deck's parts (parts.py).
"""
from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import GeneratorError
from ..identity.lockfile import LockEntry
from ..identity.match import Pending, Stamp
from ..model import Note
from ..notes.media import MediaFile
from .cache import SectionRecord
from .parts import DeckPart, _Article, _Carried, _Listed, _Stamped


@dataclass
class Gathered:
    """What the built articles give identity: their notes' Pendings, in order, and what else they made."""

    errors: list[GeneratorError]
    media: dict[str, MediaFile]  # article path + image reference -> packaged file
    built: set[str]  # paths of the articles built (from the cache or afresh)
    pendings: list[Pending]  # the notes identity matches (those of the articles not carried)
    starts: list[int]  # where the notes of each article identity matches start in `pendings`
    matched: list[_Article]

    def note_of(self, i: int) -> Note:
        at = bisect.bisect_right(self.starts, i) - 1
        return self.matched[at].notes()[i - self.starts[at]]


def gather(articles: Sequence[_Article], carried: Mapping[str, Any], shown: Mapping[str, str],
           warnings: list[GeneratorError]) -> Gathered:
    """The articles' errors, images and Pendings (their warnings go to `warnings`), naming files as given."""
    errors: list[GeneratorError] = []
    media: dict[str, MediaFile] = {}
    built: set[str] = set()
    pendings: list[Pending] = []
    starts: list[int] = []
    matched: list[_Article] = []
    for article in articles:
        result = article.result
        if result.error is not None:
            errors.append(_as_given(result.error, shown))
            continue
        built.add(result.path)
        warnings.extend(_as_given(w, shown) for w in result.warnings)
        errors.extend(_as_given(e, shown) for e in result.errors)
        media.update({f"{result.path}\0{src}": f for src, f in result.media.items()})
        if result.path not in carried:
            starts.append(len(pendings))
            matched.append(article)
            pendings.extend(article.pendings())
    return Gathered(errors, media, built, pendings, starts, matched)


def deck_parts(articles: Sequence[_Article], gathered: Gathered, stamps: Sequence[Stamp],
               carried: Mapping[str, tuple[Any, SectionRecord, Any]]
               ) -> tuple[dict[str, list[DeckPart]], dict[str, SectionRecord]]:
    """Each deck's parts in article order (identity's `stamps` on the matched notes, the carried articles as
    they are), and the section record of each article whose notes form one deck's part, by cache key."""
    pendings, starts, matched = gathered.pendings, gathered.starts, gathered.matched
    parts: dict[str, list[DeckPart]] = {}
    sections_made: dict[str, SectionRecord] = {}
    # each matched article's (start, end) in `pendings`; strict=False: with no article matched, `starts` is
    # empty and the ends still hold len(pendings)
    ends = [*starts[1:], len(pendings)]
    note_spans = dict(zip(map(id, matched), zip(starts, ends, strict=False), strict=True))
    for article in articles:
        result = article.result
        if result.error is not None:
            continue
        if result.path in carried:
            _, record, lines = carried[result.path]
            if result.key:
                sections_made[result.key] = record
            if record.live:
                parts.setdefault(record.deck, []).append(_Carried(article, record, lines))
            continue
        start, end = note_spans[id(article)]
        by_deck: dict[str, list[int]] = {}
        for i in range(start, end):
            by_deck.setdefault(pendings[i].deck, []).append(i)
        made = [_Stamped(article, [i - start for i in group], [pendings[i] for i in group], [stamps[i] for i in group])
                for group in by_deck.values()]
        for deck, part in zip(by_deck, made, strict=True):
            parts.setdefault(deck, []).append(part)
        if result.key and result.notes_sha and len(made) <= 1:
            whole = made[0] if made else _Stamped(article, [], [], [])
            sections_made[result.key] = SectionRecord(result.path, whole.count, "", whole.digest, whole.cards,
                                                      next(iter(by_deck), ""), tuple(whole.media_names()),
                                                      result.notes_sha, tuple(s.guid for s in stamps[start:end]))
    return parts, sections_made


def add_retired(parts: dict[str, list[DeckPart]], retired_notes: Sequence[Note], new_lock: Mapping[str, LockEntry]
                ) -> None:
    """Add each deck's retired notes to its parts, last."""
    hashes = {e.guid: e.hash for e in new_lock.values()}
    retired: dict[str, list[Note]] = {}
    for note in retired_notes:
        retired.setdefault(note.deck, []).append(note)
    for deck, group in retired.items():
        parts.setdefault(deck, []).append(_Listed(group, hashes))


def _as_given(err: GeneratorError, shown: Mapping[str, str]) -> GeneratorError:
    """`err` naming its file as the user gave it (a note names it relative to the project root)."""
    given = shown.get(err.path) if err.path is not None else None
    return err if given is None or given == err.path else GeneratorError(err.message, given, err.line)
