"""Helpers the rules share for turning a found term or span into a cloze or a question."""

from __future__ import annotations

import re
from typing import Sequence

from ..model import Block, Fact, Gap
from ..text import LEADING_PRONOUNS, PRONOUNS, STOP_WORDS
from .spans import leaks

MAX_ANSWER_WORDS = 12
MAX_CARD_WORDS = 40  # a front longer than this is not read at a glance (lint's prompt-too-long)
_SET_SEPARATORS = re.compile(r",|;|\band\b|\bor\b")


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
    m = re.search(r"(?<![\w])" + re.escape(term) + r"(?![\w])", text) if term else None
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
) -> Fact | None:
    """A cloze fact with one deletion (c1, c2, ...) per span; spans that make a bad answer are dropped.

    `values`: the spans are whole table cells or field values, which may be short symbols ("He", "Ar")."""
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
        rest = text[:start] + " " + text[end:] + " " + avoid
        if not (good_answer(answer) or values and _symbol(answer)) or leaks(answer, rest):
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
    words = re.findall(r"[A-Za-z0-9]+", answer)
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
    return bool(re.fullmatch(r"[A-Z][A-Za-z0-9]{0,2}", answer.strip()))


def starts_with_pronoun(text: str) -> bool:
    first = re.match(r"[A-Za-z']+", text.strip())
    return bool(first and first.group(0).lower() in LEADING_PRONOUNS)
