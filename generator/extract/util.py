"""Helpers the rules share for turning a found term or span into a cloze or a question."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Block, Fact, Gap
from ..text import LEADING_PRONOUNS, PRONOUNS, STOP_WORDS
from .answers import leaks, leaks_around

MAX_ANSWER_WORDS = 12
MAX_CARD_WORDS = 40  # a front longer than this is not read at a glance (lint's prompt-too-long)
_SET_SEPARATORS = re.compile(r",|;|\band\b|\bor\b")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_SYMBOL = re.compile(r"[A-Z][A-Za-z0-9]{0,2}")
_FIRST_WORD = re.compile(r"[A-Za-z']+")


def _whole_term(term: str) -> re.Pattern[str]:
    """`term` as a whole-word pattern, compiled once per term."""
    return re.compile(r"(?<![\w])" + re.escape(term) + r"(?![\w])")


def cloze(
    rule: str,
    text: str,
    term: str,
    score: float,
    block: Block,
    sentence: str,
    line: int,
    extra: str = "",
    avoid: str = "",
) -> Fact | None:
    """A one-gap cloze fact with the gap on the first whole-word occurrence of `term` in `text`."""
    term = term.strip(" ,;:.\"'“”‘’")
    if term.count("(") != term.count(")"):
        term = term.strip("()")
    m = _whole_term(term).search(text) if term and term in text else None
    if not m:
        return None
    return cloze_spans(
        rule, text, [(m.start(), m.end())], score, block, sentence, line, term=term, extra=extra, avoid=avoid
    )


def cloze_spans(
    rule: str,
    text: str,
    spans: Sequence[tuple[int, int]],
    score: float,
    block: Block,
    sentence: str,
    line: int,
    term: str = "",
    extra: str = "",
    avoid: str = "",
    values: bool = False,
    leak_checked: bool = False,
) -> Fact | None:
    """A cloze fact with one deletion (c1, c2, ...) per span; spans that make a bad answer are dropped.

    `values`: the spans are whole table cells or field values, which may be short symbols ("He", "Ar").
    `leak_checked`: the caller found `leaks_around(text, start, end, avoid)` false for every span (the claim
    rule's ranker asks it of each gap); trimming the span's spaces and punctuation cannot change it (they
    are no word's letters), so it is not asked again."""
    if len(text.split()) > MAX_CARD_WORDS:
        return None
    gaps: list[Gap] = []
    for start, end in sorted(set(spans)):
        while start < end and text[start] in " ,;:":
            start += 1
        while end > start and text[end - 1] in " ,;:.":
            end -= 1
        if gaps and start < gaps[-1].end:
            continue
        answer = text[start:end]
        if not (good_answer(answer) or (values and _symbol(answer))) or (
            not leak_checked and leaks_around(text, start, end, avoid)
        ):
            continue
        gaps.append(Gap(start, end, len(gaps) + 1))
    if not gaps:
        return None
    return Fact(
        rule=rule,
        kind="cloze",
        text=text,
        term=term or text[gaps[0].start : gaps[0].end],
        score=score,
        block=block,
        sentence=sentence,
        line=line,
        gaps=tuple(gaps),
        extra=extra,
    )


def question(
    rule: str,
    prompt: str,
    answer: str,
    term: str,
    score: float,
    block: Block,
    sentence: str,
    line: int,
    extra: str = "",
) -> Fact | None:
    """A Q&A fact, or None when the answer is empty, mere stop words, a set, or given away by the question."""
    answer = answer.strip().rstrip(".;,")
    if not good_answer(answer) or leaks(answer, prompt):
        return None
    prompt = prompt.strip()
    if not prompt.endswith("?"):
        prompt = prompt.rstrip(".:;") + "?"
    return Fact(
        rule=rule,
        kind="qa",
        text=prompt,
        term=term,
        score=score,
        block=block,
        sentence=sentence,
        line=line,
        answer=answer,
        extra=extra,
    )


def good_answer(answer: str) -> bool:
    """Holds a content word, is not a pronoun, is short enough to recall and is not a set of 4+ items."""
    words = _ALNUM.findall(answer)
    if not words or len(words) > MAX_ANSWER_WORDS:
        return False
    if is_set(answer):
        return False
    lowered = [w.lower() for w in words]
    return not all(w in STOP_WORDS or w in PRONOUNS for w in lowered)


def is_set(answer: str) -> bool:
    """An answer that lists four or more things: the learner would have to recall a set."""
    return len([p for p in _SET_SEPARATORS.split(answer) if p.strip()]) >= 4


def _symbol(answer: str) -> bool:
    """A short symbol or code such as a chemical symbol: capitalised, at most three characters."""
    return bool(_SYMBOL.fullmatch(answer.strip()))


def starts_with_pronoun(text: str) -> bool:
    first = _FIRST_WORD.match(text.strip())
    return bool(first and first.group(0).lower() in LEADING_PRONOUNS)
