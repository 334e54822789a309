"""Matching notes to lock entries: by fact key, else by similarity to the entry most like the note.

Two facts are alike by their source sentences (word by word) and, a quarter of the weight, their answers.
A note is matched within its own article first (SAME_ARTICLE_MIN), then anywhere in the build, more strictly
(ELSEWHERE_MIN), so a reworded fact, a renamed heading or a renamed file keeps its notes.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from ..model import Note
from ..text import normalize
from .lockfile import LockEntry

if TYPE_CHECKING:
    from .match import Pending


SAME_ARTICLE_MIN = 0.6  # similarity a reworded fact needs to keep its note within its article
ELSEWHERE_MIN = 0.8  # ... and across articles (a renamed file, a section moved to another file)


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
