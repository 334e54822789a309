"""Selection stage: drop what is not worth a card, merge near-duplicate facts, rank by score; document order.

There is no quota: the number of cards follows the facts found, never the length of the text (a long post
of anecdotes gets few cards or none). `extract.worth` decides what is not worth a card at all.

Two facts are near-duplicates when the words of one card are (almost) all words of the other: the same
sentence found by two rules, or a summary restating an earlier sentence. The better-ranked one stays:
pinned facts (author markup, curation) first, then by score, then structure before prose.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..extract.markup import has_markup
from ..extract.trace import record_fact, record_unkept, tracing
from ..extract.worth import why_unworthy
from ..model import Document, Fact
from ..text import content_words

# Structure and author markup are more reliable than prose rules (DESIGN.md, Extraction).
RULE_PRIORITY = {
    "markup": 0,
    "component": 1,
    "glossary": 1,
    "field": 1,
    "table": 1,
    "list": 1,
    "question-heading": 2,
    "exercise": 2,
    "mcq": 2,
    "answered": 2,
    "mnemonic": 2,
    "inline-command": 2,
    "definition": 3,
    "abbreviation": 3,
    "enumeration": 4,
    "number": 5,
    "procedure": 6,
    "cause": 6,
    "contrast": 6,
    "claim": 7,
}
MIN_SCORE = 0.4
DUPLICATE_OVERLAP = 0.75  # share of the smaller card's words found in the other card


def select(facts: Sequence[Fact], doc: Document) -> list[Fact]:
    """The facts worth a note, deduplicated, in document order.

    Pinned facts (author markup, curation) beat automatic ones and are always kept; automatic facts on a
    sentence with markup are dropped (they would show it raw), and so are those `why_unworthy` rejects.
    """
    candidates = [
        f
        for f in facts
        if f.pinned
        or (f.score >= MIN_SCORE and not has_markup(f.sentence) and not has_markup(f.text)
            and not why_unworthy(f, doc))
    ]
    record_unkept(facts, candidates, "select", lambda f: f"below the score threshold ({f.score:.2f} < {MIN_SCORE:.2f})" if f.score < MIN_SCORE else "its sentence holds author markup (the markup card stands for it)" if has_markup(f.sentence) or has_markup(f.text) else why_unworthy(f, doc))  # noqa: E501
    kept: list[tuple[Fact, set[str], set[str]]] = []
    entries = [(f, _words(_full_text(f))) for f in candidates]  # each fact's words, found once
    index = _OverlapIndex([words for _, words in entries])
    for fact, words in sorted(entries, key=lambda entry: _rank(entry[0])):
        answers = _words(" ".join(_answers(fact)))
        ranked = index.ranked(words)
        if any(_duplicate(words, answers, kept[k][1], kept[k][2]) and not _other_line(fact, kept[k][0])
               for k in index.candidates(words, answers, ranked)):
            if tracing(): record_fact(fact, "select", "duplicate of the %s card from line %d", *next((kept[k][0].rule, kept[k][0].line) for k in index.candidates(words, answers, ranked) if _duplicate(words, answers, kept[k][1], kept[k][2]) and not _other_line(fact, kept[k][0])))  # noqa: E701,E501
            continue
        index.add(words, answers, len(kept), ranked)
        kept.append((fact, words, answers))
    return sorted((f for f, _, _ in kept), key=lambda f: (f.line, RULE_PRIORITY.get(f.rule, 9), f.text))


def _other_line(fact: Fact, other: Fact) -> bool:
    """Two command lines of one task (an exercise's steps), or two parts of one long list, are two facts,
    however alike they read."""
    return (fact.rule == other.rule and fact.rule in ("exercise", "list") and fact.sentence != other.sentence
            and fact.block.section == other.block.section)


def _full_text(fact: Fact) -> str:
    # A Q&A's extra is the rest of its answer ("A: Trench pins. They ..."): a card on it repeats the note.
    return f"{fact.text} {fact.answer} {fact.extra}" if fact.kind == "qa" else fact.text


def _words(text: str) -> set[str]:
    """Content words, plural folded: "gadget0" and "gadget1" stay apart, "disorders" meets "disorder"."""
    return set(map(_plural_folded, content_words(text)))


def _plural_folded(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _answers(fact: Fact) -> list[str]:
    return [fact.answer] if fact.kind == "qa" else [fact.text[g.start : g.end] for g in fact.gaps]


def _duplicate(words: set[str], answers: set[str], other: set[str], other_answers: set[str]) -> bool:
    """Same content, and either the same answer or cards of about the same size (one sentence, two rules)."""
    if not words or not other:
        return False
    if len(words & other) / min(len(words), len(other)) < DUPLICATE_OVERLAP:
        return False
    shared = {w for w in answers & other_answers if not w.isdigit()}
    if shared or (answers and answers == other_answers):  # numbers alone do not make two answers the same
        return True
    # No shared answer: the same sentence asked twice (two rules) still counts, a sibling sentence does not.
    return len(words & other) / len(words | other) >= 0.9


_SCAN_LIMIT = 16  # kept facts sharing an answer word that are checked one by one; more are indexed by word


class _OverlapIndex:
    """Finds, among the kept facts, every one that _duplicate might call a near-duplicate of a new fact.

    Comparing each fact with every kept one is quadratic in the article's length, so candidates come from
    prefix filtering (words ordered rarest first; exact, not a heuristic). A duplicate shares at least
    o = ceil(3/4 s) words (s: the smaller set's size), so the two sets meet within the smaller one's first
    s - o + 1 words; and either the two share an answer word, or their Jaccard similarity is >= 0.9, so their
    first |set| - ceil(0.9 |set|) + 1 words meet. For the answer branch, the kept facts are listed by answer
    word: most answers are asked once or twice, and their few facts are checked one by one; an answer shared
    by more than _SCAN_LIMIT kept facts is indexed by prefix word and by word, so that a term asked in
    thousands of sentences does not make every one of them a candidate (and an answer never asked before
    costs one lookup).
    """

    def __init__(self, word_sets: Sequence[set[str]]) -> None:
        df: dict[str, int] = {}
        for words in word_sets:
            for w in words:
                df[w] = df.get(w, 0) + 1
        self.df = df
        # Each word's place in the rarest-first order, found once: a fact's words then sort by a plain lookup.
        self.place = {w: i for i, w in enumerate(sorted(df, key=lambda w: (df[w], w)))}
        self.by_jaccard_prefix: dict[str, list[int]] = {}
        # answer word -> (kept, its words, its overlap prefix) of each kept fact with that answer word
        self.by_answer: dict[str, list[tuple[int, set[str], list[str]]]] = {}
        # only for answer words listed more than _SCAN_LIMIT times:
        self.by_answer_prefix: dict[str, dict[str, list[int]]] = {}  # answer word -> overlap-prefix word -> kept
        self.by_answer_word: dict[str, dict[str, list[int]]] = {}  # answer word -> any word -> kept

    def ranked(self, words: set[str]) -> list[str]:
        """`words` rarest first: every prefix the index uses is a slice of this (sorted once per fact)."""
        try:
            return sorted(words, key=self.place.__getitem__)  # the same order: places follow (df, word)
        except KeyError:  # a word the index was not built with
            return sorted(words, key=lambda w: (self.df.get(w, 0), w))

    @staticmethod
    def _prefix(ranked: list[str], needed: int) -> list[str]:
        """The rarest len(words) - needed + 1 words: a set sharing `needed` words with `words` meets them."""
        return ranked[: len(ranked) - needed + 1]

    @staticmethod
    def _overlap_needed(size: int) -> int:
        return (3 * size + 3) // 4  # ceil(0.75 * size); DUPLICATE_OVERLAP is 0.75

    @staticmethod
    def _jaccard_needed(size: int) -> int:
        return (9 * size + 9) // 10  # ceil(0.9 * size)

    def candidates(self, words: set[str], answers: set[str], ranked: list[str] | None = None) -> list[int]:
        """Kept facts (by position) that may be near-duplicates of a fact with `words` and `answers`."""
        if not words:
            return []
        ranked = self.ranked(words) if ranked is None else ranked
        found: set[int] = set()
        for w in self._prefix(ranked, self._jaccard_needed(len(words))):
            found.update(self.by_jaccard_prefix.get(w, ()))
        prefix: list[str] | None = None
        for a in answers:
            listed = self.by_answer.get(a)
            if not listed:
                continue
            if prefix is None:
                prefix = self._prefix(ranked, self._overlap_needed(len(words)))
            # A kept set no larger than this one: its prefix meets `words`; at least as large: this prefix meets it.
            by_prefix = self.by_answer_prefix.get(a)
            if by_prefix is None:
                for position, kept_words, kept_prefix in listed:
                    if not words.isdisjoint(kept_prefix) or not kept_words.isdisjoint(prefix):
                        found.add(position)
                continue
            for w in words:
                found.update(by_prefix.get(w, ()))
            by_word = self.by_answer_word[a]
            for w in prefix:
                found.update(by_word.get(w, ()))
        return sorted(found)

    def add(self, words: set[str], answers: set[str], position: int, ranked: list[str] | None = None) -> None:
        if not words:
            return
        ranked = self.ranked(words) if ranked is None else ranked
        for w in self._prefix(ranked, self._jaccard_needed(len(words))):
            self.by_jaccard_prefix.setdefault(w, []).append(position)
        if not answers:
            return
        prefix = self._prefix(ranked, self._overlap_needed(len(words)))
        for a in answers:
            listed = self.by_answer.setdefault(a, [])
            listed.append((position, words, prefix))
            if a in self.by_answer_prefix:
                self._index(a, position, words, prefix)
            elif len(listed) > _SCAN_LIMIT:  # from now on this answer's facts are found through words
                self.by_answer_prefix[a], self.by_answer_word[a] = {}, {}
                for entry in listed:
                    self._index(a, *entry)

    def _index(self, answer: str, position: int, words: set[str], prefix: list[str]) -> None:
        by_prefix = self.by_answer_prefix[answer]
        for w in prefix:
            by_prefix.setdefault(w, []).append(position)
        by_word = self.by_answer_word[answer]
        for w in words:
            by_word.setdefault(w, []).append(position)


def _rank(fact: Fact) -> tuple[int, float, int, int, str]:
    return (0 if fact.pinned else 1, -fact.score, RULE_PRIORITY.get(fact.rule, 9), fact.line, fact.text)
