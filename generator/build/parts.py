"""A deck's notes in parts, an article's at a time: stamped by identity in this build, carried as the last
build wrote them, or the deck's retired notes. An article's notes stay pickled until a part needs them.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import GeneratorError
from ..identity.lockfile import parse_line
from ..identity.match import Pending, Stamp, note_hash, pending_of, stamped
from ..identity.ordinals import cloze_ordinals, fix_ordinals
from ..model import Note
from ..notes.media import media_names
from .article import ArticleResult
from .cache import CacheMiss, SectionRecord
from .entries import _unpacked

if TYPE_CHECKING:
    from ..package.apkg import PackRow


class DeckPart:
    """Some of a deck's notes, in order: one article's, or the deck's retired notes."""

    digest: str  # see note_digest
    count: int  # notes
    cards: int

    def notes(self) -> list[Note]:
        raise NotImplementedError

    def rows(self) -> list[tuple[str, int, PackRow]]:
        """(GUID, mod, package row) of each note, in order: what its deck's package is written from."""
        from ..package.apkg import note_row

        return [(n.guid, n.mod, note_row(n)) for n in self.notes()]

    def media_names(self) -> list[str]:
        raise NotImplementedError


class _Listed(DeckPart):
    """Notes given as they are (the retired ones, made from the lock's snapshots)."""

    def __init__(self, notes: list[Note], hashes: Mapping[str, str]) -> None:
        self._notes = notes
        self.digest = note_digest((n.guid, n.mod, hashes.get(n.guid, "")) for n in notes)
        self.count = len(notes)
        self.cards = sum(len(n.cards) for n in notes)

    def notes(self) -> list[Note]:
        return self._notes

    def media_names(self) -> list[str]:
        return media_names(v for n in self._notes for _, v in n.fields)


class _Article:
    """One article's built notes as they came (pickled, from a worker or the cache), with their Pendings and
    package rows: each is unpickled only when something asks for it, and its notes only once."""

    def __init__(self, result: ArticleResult, rebuild: Callable[[], ArticleResult]) -> None:
        self.result, self.rebuild = result, rebuild
        self._notes: list[Note] | None = None
        self._count: int | None = None  # how many Pendings the entry gave, once they were read

    def notes(self) -> list[Note]:
        if self._notes is None:
            notes = _unpacked(self.result, self.rebuild).notes
            self._check(len(notes), self._count)
            self._notes = notes
        return self._notes

    def pendings(self) -> list[Pending]:
        """Each note's Pending (from the worker or the cache entry; else made from the notes). The pickled
        ones are let go once read: each is asked for once, and they are the biggest part of an entry."""
        pending = self.result.pending
        if pending is not None:
            from .cache import unpack

            self.result = replace(self.result, pending=None)
            try:
                value = unpack(pending)
                if isinstance(value, tuple) and all(type(p) is Pending for p in value):
                    self._count = len(value)
                    if self._notes is not None:
                        self._check(len(self._notes), self._count)
                    return list(value)
            except CacheMiss:
                pass
            self.result = replace(self.result, rows=None)  # damaged: the notes decide
        return [pending_of(n) for n in self.notes()]

    def rows(self) -> list[PackRow]:
        """Each note's package row as built (before identity renumbers any cloze)."""
        if self.result.rows is not None and self._count is not None:
            from .cache import unpack

            try:
                value = unpack(self.result.rows)
                if isinstance(value, tuple) and len(value) == self._count \
                        and all(type(r) is tuple and len(r) == 6 for r in value):
                    return list(value)
            except CacheMiss:
                pass
        from ..package.apkg import note_row

        return [note_row(n) for n in self.notes()]

    def _check(self, notes: int, pendings: int | None) -> None:
        if pendings is not None and notes != pendings:  # only a planted cache entry could do this
            raise GeneratorError("internal error (an article's notes and their records differ); please report "
                                 "it, and build with --no-cache meanwhile", self.result.path)


class _ArticlePart(DeckPart):
    """Notes of one article, stamped: `_stamps()` gives (index among the article's notes, Stamp) of each."""

    article: _Article

    def _stamps(self) -> list[tuple[int, Stamp]]:
        raise NotImplementedError

    def notes(self) -> list[Note]:
        notes = self.article.notes()
        return [stamped(s.renumbered or notes[j], s.guid, s.mod) for j, s in self._stamps()]

    def rows(self) -> list[tuple[str, int, PackRow]]:
        from ..package.apkg import note_row

        rows = self.article.rows()
        return [(s.guid, s.mod, note_row(s.renumbered) if s.renumbered else rows[j]) for j, s in self._stamps()]


class _Stamped(_ArticlePart):
    """Notes identity has stamped in this build (those of `article` at `indexes`)."""

    def __init__(self, article: _Article, indexes: list[int], pendings: Sequence[Pending], stamps: Sequence[Stamp]
                 ) -> None:
        self.article = article
        self._pairs = list(zip(indexes, stamps, strict=True))
        self.digest = note_digest((s.guid, s.mod, s.hash) for s in stamps)
        self.count = len(stamps)
        self.cards = sum(len(p.signatures) for p in pendings)
        self._media = [name for p, s in zip(pendings, stamps, strict=True)
                       for name in (p.media if s.renumbered is None else
                                    media_names(v for _, v in s.renumbered.fields))]

    def _stamps(self) -> list[tuple[int, Stamp]]:
        return self._pairs

    def media_names(self) -> list[str]:
        return list(self._media)


class _Carried(_ArticlePart):
    """An article no input of which changed since the last build, whose lock lines are as that build wrote
    them: identity would give its notes exactly the entries those lines hold, so the lines are copied and
    its notes stay pickled in the cache until a deck or the cards JSON needs them."""

    def __init__(self, article: _Article, record: SectionRecord, lines: Any) -> None:
        self.article, self.record, self.lines = article, record, lines
        self.digest, self.count, self.cards = record.digest, record.live, record.cards
        self._made: list[tuple[int, Stamp]] | None = None

    def _stamps(self) -> list[tuple[int, Stamp]]:
        if self._made is None:
            self._made = self._stamp()
        return self._made

    def _stamp(self) -> list[tuple[int, Stamp]]:
        """What identity would stamp on each note: the entry of its key in the carried lines."""
        lines = bytes(self.lines).split(b",\n") if self.record.live else []
        entries = {e.key: e for e in (parse_line(line, self.record.path) for line in lines)}
        out = []
        for j, p in enumerate(self.article.pendings()):
            entry = entries[p.key]
            renumbered = None
            h = p.hash
            if p.kind == "cloze":
                note = fix_ordinals(self.article.notes()[j], entry)[0] \
                    if cloze_ordinals(p.signatures, entry)[0] is not None else None
                if note is not None:
                    renumbered, h = note, note_hash(note)
            if h != entry.hash:  # cannot happen while identity is what it is: never ship it
                raise GeneratorError("internal error (a carried note differs from its lock entry); please report "
                                     "it, and build with --no-cache meanwhile", p.path, p.line)
            out.append((j, Stamp(entry.guid, entry.mod, h, renumbered)))
        return out

    def media_names(self) -> list[str]:
        return list(self.record.media)


def note_digest(notes: Iterable[tuple[str, int, str]]) -> str:
    """Digest of notes as packaged: GUID, mod and content hash (note type, fields, tags) each, in order."""
    return hashlib.sha256("".join(f"{g}\x1d{m}\x1d{h}\x1e" for g, m, h in notes).encode()).hexdigest()
