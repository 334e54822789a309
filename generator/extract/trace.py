"""Why text made no card: drop records, kept only while a collector listens (`certdeck explain`, build warnings).

Every stage that leaves text out says so in one line at the place it does:

    record_drop(line, text, "filter", "boilerplate (subscribe, footer, call to action)")
    record_fact(fact, "select", "below the score threshold (%.2f < %.2f)", fact.score, MIN_SCORE)
    record_block(block, "page", "page furniture: navigation breadcrumb")

With no collector listening to every drop (a build watches only block drops, for its warnings) each call
is one context-variable read and a return; the message is formatted only when someone listens, so call
sites pass constants and arguments, never an f-string. `line` is 0 when the caller does not know it: the
text alone then says which sentence it was. Stages, in the order text meets them:

    author    <!-- certdeck: skip --> and friends          page      page roles (navigation, byline, ...)
    section   a whole section skipped (exercises, ...)     filter    sentence filters (noise, rhetoric, ...)
    select    score threshold, duplicates, markup, budget  curation  the curation file's decisions

`page` and `section` drops are blocks: build warnings count their words (see `Collector.block_words`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from ..model import Block, Fact

BLOCK_STAGES = ("page", "section")  # drops of whole blocks of text that are not subject content


@dataclass(frozen=True, slots=True)
class Drop:
    """One piece of text left out, and why."""

    line: int  # 1-based; 0 when the stage did not know it
    text: str  # the sentence, clause or block as the stage saw it
    stage: str
    reason: str  # in a user's words
    rule: str = ""  # for a candidate fact dropped after extraction: the rule that found it, its score, its card
    score: float = 0.0
    prompt: str = ""
    words: int = 0  # for a block drop: how many words of the article it removed


class Collector:
    """What the stages dropped while this collector was active, in the order they dropped it."""

    def __init__(self, blocks_only: bool = False) -> None:
        self.blocks_only = blocks_only  # a build's warnings need only the block drops: less to keep
        self.drops: list[Drop] = []
        self._blocks: set[tuple[int, str]] = set()  # (line, reason) of block drops: several rules may ask

    def add(self, drop: Drop) -> None:
        if not drop.reason:  # the stage that dropped it said why already
            return
        if drop.stage in BLOCK_STAGES:
            key = (drop.line, drop.reason)
            if key in self._blocks:
                return
            self._blocks.add(key)
        elif self.blocks_only:
            return
        self.drops.append(drop)

    def block_words(self) -> dict[str, int]:
        """Words removed by page-role and section filters, by reason."""
        out: dict[str, int] = {}
        for d in self.drops:
            if d.stage in BLOCK_STAGES:
                out[d.reason] = out.get(d.reason, 0) + d.words
        return out


_ACTIVE: ContextVar[Collector | None] = ContextVar("certdeck_trace", default=None)


def tracing(blocks: bool = False) -> bool:
    """Whether a collector listens to every drop (`blocks`: to block drops at least): guard a call whose
    arguments cost something to work out."""
    collector = _ACTIVE.get()
    return collector is not None and (blocks or not collector.blocks_only)


def record_drop(line: int, text: str, stage: str, reason: str, *args: Any) -> None:
    """Text at `line` left out by `stage`; `reason % args` says why."""
    collector = _ACTIVE.get()
    if collector is None or collector.blocks_only:  # a build's own watch: nothing to format or keep
        return
    collector.add(Drop(line, text, stage, reason % args if args else reason))


def record_block(block: Block, stage: str, reason: str, *args: Any) -> None:
    """A whole block left out (a page role, a skipped section)."""
    collector = _ACTIVE.get()
    if collector is None:
        return
    collector.add(Drop(block.line, block.text, stage, reason % args if args else reason,
                       words=len(block.text.split())))


def record_fact(fact: Fact, stage: str, reason: str, *args: Any) -> None:
    """A candidate fact a rule found, left out by a later stage."""
    collector = _ACTIVE.get()
    if collector is None or collector.blocks_only:
        return
    collector.add(Drop(fact.line, fact.sentence, stage, reason % args if args else reason, fact.rule,
                       fact.score, shown_prompt(fact)))


def record_unkept(before: Iterable[Fact], after: Sequence[Fact], stage: str, why: Callable[[Fact], str]) -> None:
    """Each fact of `before` that is not in `after`, with `why(fact)`."""
    if not tracing():
        return
    kept = {id(f) for f in after}
    for fact in before:
        if id(fact) not in kept:
            record_fact(fact, stage, "%s", why(fact))


@contextmanager
def collecting(blocks_only: bool = False) -> Iterator[Collector]:
    """Collect every drop recorded inside the `with` block (in this thread or task).

    `blocks_only` (a build's own watch, for its warnings) keeps only the block drops, and joins a collector
    already active instead (`certdeck explain` running a build), which then sees everything."""
    active = _ACTIVE.get()
    if blocks_only and active is not None:
        yield active
        return
    collector = Collector(blocks_only)
    token = _ACTIVE.set(collector)
    try:
        yield collector
    finally:
        _ACTIVE.reset(token)


def shown_prompt(fact: Fact) -> str:
    """The card a fact would make, in one line: cloze text with its gaps as [...], or question -> answer."""
    if fact.kind == "qa":
        return f"{fact.text} -> {fact.answer}"
    text, answers, end = [], [], 0
    for gap in sorted(fact.gaps, key=lambda g: g.start):
        text.append(fact.text[end : gap.start] + "[...]")
        answers.append(fact.text[gap.start : gap.end])
        end = gap.end
    text.append(fact.text[end:])
    return "".join(text) + (f" -> {' | '.join(answers)}" if answers else "")
