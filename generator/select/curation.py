"""Curation: a person's decisions about an article's generated facts, in `ARTICLE.curation.yaml` beside it.

```yaml
reject:            # never a card from these sentences
  - "Bandages come in many colours and sizes."
pin:               # always keep the card made from these sentences, whatever the budget
  - "A tourniquet is a band that stops the blood flow to a limb."
edit:              # this wording instead of the generated one
  - sentence: "Direct pressure is the first way to stop bleeding."
    cloze: "{{c1::Direct pressure}} is the first way to stop bleeding."
  - sentence: "An adult has about five litres of blood."
    question: "How much blood does an adult have?"
    answer: "About five litres"
```
A decision names the source sentence its card came from (the card's back and the cards JSON show it). It
holds while the sentence changes slightly (similarity >= CURATION_MIN), so a rejected fact does not come
back after a typo fix, and an edited wording survives a small rewording of its source.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..errors import GeneratorError
from ..extract.markup import parse_clozes
from ..extract.trace import record_fact
from ..model import Document, Fact
from ..safepath import read_bounded
from ..text import normalize

CURATION_SUFFIX = ".curation.yaml"
CURATION_MIN = 0.7
_ACTIONS = ("reject", "pin", "edit")


@dataclass(frozen=True, slots=True)
class Decision:
    action: str  # reject | pin | edit
    sentence: str  # the source sentence the decision is about
    line: int  # 1-based line in the curation file
    cloze: str = ""  # edit: new wording with {{cN::...}} deletions
    question: str = ""  # edit: new Q&A wording
    answer: str = ""
    extra: str = ""  # edit: text for the back


@dataclass(frozen=True, slots=True)
class Curation:
    path: str
    decisions: tuple[Decision, ...]


def curation_file(article: Path) -> Path:
    """Where an article's curation file lives: `notes.md` -> `notes.curation.yaml` beside it."""
    return article.with_name(article.stem + CURATION_SUFFIX)


MAX_CURATION_BYTES = 8 << 20  # 1,000 decisions are about 100 KB


def read_curation_bytes(path: Path, shown: str) -> bytes | None:
    """The curation file's bytes; None if there is none (or it is not a regular file: a FIFO or a device is
    never read); GeneratorError if it cannot be read or is larger than MAX_CURATION_BYTES."""
    import os

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as err:
        raise GeneratorError(f"cannot read curation file: {err.strerror or err}", shown) from None
    return read_bounded(fd, MAX_CURATION_BYTES, "curation file", shown)


def load_curation(text: str, path: str) -> Curation:
    """Parse a curation file; a mistake in it is a GeneratorError naming its line."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise GeneratorError(f"bad curation file: {getattr(err, 'problem', None) or err}", path,
                             mark.line + 1 if mark is not None else None) from None
    except RecursionError:  # PyYAML composes nested collections recursively: bounded as front matter is
        raise GeneratorError("bad curation file: nested too deeply", path, 1) from None
    if root is None:
        return Curation(path, ())
    if not isinstance(root, yaml.MappingNode):
        raise GeneratorError("a curation file maps reject / pin / edit to lists", path, root.start_mark.line + 1)
    decisions: list[Decision] = []
    for key_node, value in root.value:
        action = _scalar(key_node, path)
        if action not in _ACTIONS:
            raise GeneratorError(f"unknown key {action!r} (use reject, pin or edit)", path,
                                 key_node.start_mark.line + 1)
        if not isinstance(value, yaml.SequenceNode):
            raise GeneratorError(f"{action}: must be a list", path, value.start_mark.line + 1)
        for item in value.value:
            decisions.append(_decision(action, item, path))
    return Curation(path, tuple(decisions))


def _decision(action: str, node: Any, path: str) -> Decision:
    import yaml

    line = node.start_mark.line + 1
    if action != "edit":
        sentence = _scalar(node, path)
        if not sentence.strip():
            raise GeneratorError(f"{action}: empty sentence", path, line)
        return Decision(action, sentence, line)
    if not isinstance(node, yaml.MappingNode):
        raise GeneratorError("edit: each entry needs sentence and cloze (or question and answer)", path, line)
    values = {_scalar(k, path): _scalar(v, path) for k, v in node.value}
    unknown = sorted(set(values) - {"sentence", "cloze", "question", "answer", "extra"})
    if unknown:
        raise GeneratorError(f"edit: unknown key {unknown[0]!r}", path, line)
    d = Decision("edit", values.get("sentence", ""), line, values.get("cloze", ""), values.get("question", ""),
                 values.get("answer", ""), values.get("extra", ""))
    if not d.sentence.strip():
        raise GeneratorError("edit: sentence is missing", path, line)
    if bool(d.cloze) == bool(d.question or d.answer) or (not d.cloze and not (d.question and d.answer)):
        raise GeneratorError("edit: give either cloze, or question and answer", path, line)
    if d.cloze and not parse_clozes(d.cloze)[1]:
        raise GeneratorError("edit: cloze has no {{c1::...}} deletion", path, line)
    return d


def _scalar(node: Any, path: str) -> str:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise GeneratorError("expected a text value here", path, node.start_mark.line + 1)
    return str(node.value)


def apply_curation(facts: Sequence[Fact], curation: Curation, doc: Document
                   ) -> tuple[list[Fact], list[GeneratorError]]:
    """The facts with the decisions applied, and a warning for each decision that matched no sentence.

    Linear in the facts and the decisions: each decision finds its sentence through an index (an exact
    match by its words, else the few sentences that could be alike enough), never by comparing it with
    every sentence of the article (a 256 KB article with 1,000 rejections took 73 s that way)."""
    out: list[Fact | None] = list(facts)  # None: removed
    keys = [normalize(f.sentence) for f in facts]
    index = _SentenceIndex(keys)
    for i, key in enumerate(keys):
        index.add(key, i)
    text_index: _TextIndex | None = None  # the article's sentences, for edits no rule found
    warnings: list[GeneratorError] = []
    rejected: set[str] = set()
    order = {a: n for n, a in enumerate(_ACTIONS)}  # rejections first: a rejected sentence stays rejected
    for d in sorted(curation.decisions, key=lambda d: (order[d.action], d.line)):
        at = index.best(d.sentence, lambda i: out[i] is not None)
        hits: list[Fact] = [f for f in (out[i] for i in at) if f is not None]
        if d.action == "reject":
            rejected.update(normalize(f.sentence) for f in hits)
            for f in hits: record_fact(f, "curation", "curation: rejected (%s:%d)", curation.path, d.line)  # noqa: E701
            for i in at:
                out[i] = None
        elif d.action == "pin":
            for i, f in zip(at, hits, strict=True):  # `at` holds only live facts: `hits` are they
                out[i] = replace(f, pinned=True)
        else:
            live = [(i, f) for i, f in zip(at, hits, strict=True) if normalize(f.sentence) not in rejected]
            kept = [i for i, _ in live]
            hits = [f for _, f in live]
            if hits:
                base: Fact | None = hits[0]
            else:
                if text_index is None:
                    text_index = _text_index(doc)
                base = _fact_from_text(d.sentence, text_index, rejected)
            edited = _edited(d, base)
            if edited is not None:
                for i in kept:
                    out[i] = None
                out.append(edited)
                index.add(normalize(edited.sentence), len(out) - 1)
                hits = [edited]
        if not hits:
            warnings.append(GeneratorError(f"curation: no card comes from {_short(d.sentence)} any more "
                                           f"({d.action} not applied)", curation.path, d.line))
    return [f for f in out if f is not None], warnings


class _SentenceIndex:
    """Sentences (normalized) -> the items on them, to find the one most like a given sentence without
    comparing it with all of them.

    identity.sentence_similarity is difflib's ratio over the words, 2M / (a + b) with M matched words; M is
    at most the words the two share (counting repeats) and at most the shorter length, so a score >=
    CURATION_MIN needs M >= need(a) and M >= need(b) (`_need`). Order every word (with its repeat number) by
    how many sentences hold it, rarest first: the rarest word the two share is then among the first
    `a - need(a) + 1` words of one and the first `b - need(b) + 1` of the other (prefix filtering). The index
    holds each sentence's first words only, a query looks up its own first words: every sentence alike
    enough is among the candidates, and the scores are exactly those of a comparison with every sentence.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        self.items: dict[str, list[int]] = {}  # normalized sentence -> items, in order
        self.postings: dict[tuple[str, int], list[str]] = {}  # (word, repeat) -> sentences it opens
        self.rank: dict[tuple[str, int], int] = {}  # how many sentences hold a word, fixed from here on
        self.tokens: dict[str, frozenset[tuple[str, int]]] = {}  # sentence -> its words with repeat numbers
        for key in set(keys):
            for token in _tokens(key.split()):
                self.rank[token] = self.rank.get(token, 0) + 1

    def _prefix(self, words: list[str]) -> list[tuple[str, int]]:
        tokens = sorted(_tokens(words), key=lambda t: (self.rank.get(t, 0), t))
        return tokens[: len(words) - _need(len(words)) + 1]

    def add(self, key: str, item: int) -> None:
        held = self.items.get(key)
        if held is None:
            self.items[key] = [item]
            self.tokens[key] = frozenset(_tokens(key.split()))
            for token in self._prefix(key.split()):
                self.postings.setdefault(token, []).append(key)
        else:
            held.append(item)

    def best(self, sentence: str, alive: Callable[[int], bool]) -> list[int]:
        """The live items on the sentence most like `sentence` (score >= CURATION_MIN; ties: all), in order."""
        key = normalize(sentence)
        exact = [i for i in self.items.get(key, ()) if alive(i)]
        if exact:  # a score of 1.0 is only ever the same words
            return exact
        words = key.split()
        candidates: set[str] = set()
        for token in self._prefix(words) if words else ():
            candidates.update(self.postings.get(token, ()))
        scores: dict[str, float] = {}
        # identity.sentence_similarity(sentence, other), computed only where difflib's cheap upper bounds
        # (lengths, then shared words) reach CURATION_MIN: below it a score decides nothing.
        matcher = SequenceMatcher(None, words, (), autojunk=False)
        mine, a = frozenset(_tokens(words)), len(words)
        for other in candidates:
            theirs = self.tokens[other]
            b = len(theirs)
            if 2 * min(a, b) < CURATION_MIN * (a + b) or 2 * len(mine & theirs) < CURATION_MIN * (a + b):
                continue
            if any(alive(i) for i in self.items[other]):
                matcher.set_seq2(other.split())
                scores[other] = matcher.ratio()
        best = max(scores.values(), default=0.0)
        if best < CURATION_MIN:
            return []
        return sorted(i for other, score in scores.items() if score == best for i in self.items[other] if alive(i))


def _need(length: int) -> int:
    """The fewest shared words that let a sentence of `length` words score CURATION_MIN with any other
    (2M / (a + b) >= t with M <= a gives M >= t * b / (2 - t)); at least 1. Rounded down a hair: a smaller
    need only adds candidates."""
    return max(1, math.ceil(CURATION_MIN * length / (2 - CURATION_MIN) - 1e-9))


def _tokens(words: Sequence[str]) -> list[tuple[str, int]]:
    """Each word with its repeat number: ("a", 0), ("b", 0), ("a", 1) for "a b a"."""
    seen: dict[str, int] = {}
    out = []
    for w in words:
        n = seen.get(w, 0)
        seen[w] = n + 1
        out.append((w, n))
    return out


# The article's sentences that an edit can be placed on (block, sentence), and an index of their texts.
_TextIndex = tuple[list[tuple[Any, Any]], _SentenceIndex]


def _text_index(doc: Document) -> _TextIndex:
    """The article's sentences that an edit can be placed on, in order, and an index of them."""
    sentences = [(block, sent) for block in doc.blocks if not (block.skip or block.kind in ("heading", "code"))
                 for sent in block.sentences or ()]
    keys = [normalize(sent.text) for _, sent in sentences]
    index = _SentenceIndex(keys)
    for i, key in enumerate(keys):
        index.add(key, i)
    return sentences, index


def _fact_from_text(sentence: str, text_index: _TextIndex, rejected: set[str]) -> Fact | None:
    """A placeholder fact on the article's sentence most like `sentence` (the first of the best), for an edit
    no rule found."""
    sentences, index = text_index
    at = index.best(sentence, lambda i: normalize(sentences[i][1].text) not in rejected)
    if not at:
        return None
    block, sent = sentences[at[0]]
    return Fact("curation", "cloze", sent.text, "", 0.0, block, sent.text, sent.line)


def _edited(d: Decision, base: Fact | None) -> Fact | None:
    """`base` reworded as decision `d` says, pinned."""
    if base is None:
        return None
    if d.cloze:
        text, gaps = parse_clozes(d.cloze)
        term = " / ".join(text[g.start : g.end] for g in sorted(gaps, key=lambda g: (g.ordinal, g.start)))
        return replace(base, rule="curation", kind="cloze", text=text, term=term, gaps=gaps, answer="", score=1.0,
                       extra=d.extra or base.extra, pinned=True)
    return replace(base, rule="curation", kind="qa", text=d.question.strip(), term=d.question.strip(), gaps=(),
                   answer=d.answer.strip(), score=1.0, extra=d.extra or base.extra, pinned=True)


def _short(sentence: str) -> str:
    return repr(sentence if len(sentence) <= 60 else sentence[:57] + "...")
