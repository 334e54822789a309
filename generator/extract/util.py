"""Helpers the rules share for turning a found term into a cloze or a question."""
from __future__ import annotations

import re

from ..model import Block, Fact, Gap
from ..text import PRONOUNS, STOP_WORDS


def cloze(rule: str, text: str, term: str, score: float, block: Block, sentence: str, line: int,
          extra: str = "") -> Fact | None:
    """A one-gap cloze fact with the gap on the first whole-word occurrence of `term` in `text`."""
    term = term.strip(" ,;:.\"'“”‘’()")
    if not good_answer(term):
        return None
    m = re.search(r"(?<![\w])" + re.escape(term) + r"(?![\w])", text)
    if not m:
        return None
    return Fact(rule=rule, kind="cloze", text=text, term=term, score=score, block=block, sentence=sentence,
                line=line, gaps=(Gap(m.start(), m.end(), 1),), extra=extra)


def question(rule: str, prompt: str, answer: str, term: str, score: float, block: Block, sentence: str,
             line: int, extra: str = "") -> Fact | None:
    """A Q&A fact, or None when the answer is empty or mere stop words."""
    answer = answer.strip().rstrip(".;,")
    if not good_answer(answer):
        return None
    prompt = prompt.strip()
    if not prompt.endswith("?"):
        prompt = prompt.rstrip(".:;") + "?"
    return Fact(rule=rule, kind="qa", text=prompt, term=term, score=score, block=block, sentence=sentence,
                line=line, answer=answer, extra=extra)


def good_answer(answer: str) -> bool:
    """Holds a content word, is not a pronoun, and is short enough to recall (<= 12 words)."""
    words = re.findall(r"[A-Za-z0-9]+", answer)
    if not words or len(words) > 12:
        return False
    lowered = [w.lower() for w in words]
    return not all(w in STOP_WORDS or w in PRONOUNS for w in lowered)


def starts_with_pronoun(text: str) -> bool:
    first = re.match(r"[A-Za-z']+", text.strip())
    return bool(first and first.group(0).lower() in PRONOUNS)
