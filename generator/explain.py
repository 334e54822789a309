"""Say why: for each sentence or block of an article, the card it became or what left it out.

`explain_file` runs the build's own pipeline (`build_article`, build/article.py) with a drop collector active
(extract/trace.py), so what it reports is what a build does; nothing here decides anything again. Each
note and each drop is then placed on the sentence it came from, by line and words. `coverage_warnings`
is what a build warns about an article: most of its text skipped as page furniture or skipped sections,
or no card at all. Pure: the CLI prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .errors import GeneratorError
from .extract.exercise import task_blocks
from .extract.mcq import mcq_blocks
from .extract.roles import block_role
from .extract.trace import BLOCK_STAGES, Collector, Drop, collecting
from .model import Block, Document, Note
from .text import normalize

SKIPPED_SHARE = 0.5  # more of an article's words than this skipped by page-role or section filters: a warning
_NO_RULE = "no rule found a fact worth recalling in it (not a definition, claim, list or other structure it knows)"
_AUTHOR_SKIP = "excluded by the author (<!-- certdeck: skip --> or off)"
_OF_KIND = {
    "heading": "a heading: the context shown on the cards below it",
    "code": "a code block: no card of its own",
    "html": "raw HTML: no card",
}


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence of a paragraph or quote, or a whole list item, table row, definition, heading or code block."""

    line: int
    kind: str
    text: str
    skipped: bool = False  # excluded by the author (<!-- certdeck: skip -->)


@dataclass(frozen=True, slots=True)
class Verdict:
    unit: Unit
    notes: tuple[Note, ...]  # the notes that came from it
    drops: tuple[Drop, ...]  # what was left out of it, and why

    def reasons(self) -> list[str]:
        """Why the unit gave no card, in a user's words (the stage's own, or why no stage saw a fact)."""
        if self.unit.kind == "html" and "certdeck:" in self.unit.text:
            return ["a certdeck comment (it acts on the text after it)"]
        if self.unit.skipped:  # whatever a filter said of it, the author's skip is why it makes no card
            return [] if any(d.rule for d in self.drops) else [_AUTHOR_SKIP]
        seen = list(dict.fromkeys(d.reason for d in self.drops if not d.rule))
        if seen or any(d.rule for d in self.drops):
            return seen
        return [_OF_KIND.get(self.unit.kind, _NO_RULE)]


@dataclass(frozen=True)
class Explanation:
    path: str
    verdicts: list[Verdict]
    notes: int  # notes the whole article gives
    warnings: list[GeneratorError] = field(default_factory=list)


def explain_file(file: Path, settings: Settings, line: int | None = None) -> Explanation:
    """Why each sentence or block of the article `file` did or did not become a card (only those at `line`)."""
    from .build.article import build_article, parse_source
    from .memo import forget_article
    from .read.sources import display_path, read_source

    path = display_path(file)
    source = read_source(file, path, settings.article_limit())
    doc = parse_source(source)
    forget_article()  # memos answered without recording: every stage must meet this article afresh
    with collecting() as collector:
        result = build_article(file, settings, file.parent)
    if result.error is not None:
        raise result.error
    verdicts = place(units_of(doc), result.notes, collector.drops)
    if line is not None:
        verdicts = [v for v in verdicts if v.unit.line in _lines_at(doc, line)]
        if not verdicts:
            raise GeneratorError("no sentence or block starts at or spans this line", path, line)
    warnings = [*result.warnings, *result.errors]
    return Explanation(path, verdicts, len(result.notes), warnings)


def units_of(doc: Document) -> list[Unit]:
    """The article as a reader meets it: each sentence of a paragraph or quote, each other block whole."""
    units: list[Unit] = []
    for block in doc.blocks:
        if block.kind in ("paragraph", "quote") and len(block.sentences) > 1:
            units.extend(Unit(s.line, block.kind, s.text, block.skip) for s in block.sentences)
        else:
            units.append(Unit(block.line, block.kind, block.text, block.skip))
    return units


def place(units: Sequence[Unit], notes: Sequence[Note], drops: Sequence[Drop]) -> list[Verdict]:
    """Each unit with the notes and drops that came from it (by line where known, then by words)."""
    got_notes: dict[int, list[Note]] = {}
    got_drops: dict[int, list[Drop]] = {}
    for note in notes:
        at = _best(units, note.source.line, note.source.sentence)
        if at is not None:
            got_notes.setdefault(at, []).append(note)
    for drop in drops:
        at = _best(units, drop.line, drop.text)
        if at is not None:
            got_drops.setdefault(at, []).append(drop)
    return [Verdict(u, tuple(got_notes.get(i, ())), tuple(got_drops.get(i, ()))) for i, u in enumerate(units)]


def _best(units: Sequence[Unit], line: int, text: str) -> int | None:
    """The unit a sentence (or clause of one) at `line` (0: unknown) belongs to."""
    words = set(normalize(text).split())
    if line:
        at_line = [i for i, u in enumerate(units) if u.line == line]
        if not at_line:  # a line inside a block: the last unit starting before it
            before = [i for i, u in enumerate(units) if u.line <= line]
            at_line = before[-1:]
        if len(at_line) == 1 or not words:
            return at_line[0] if at_line else None
        candidates = at_line
    else:
        candidates = list(range(len(units)))
    best, best_share = None, 0.0
    for i in candidates:
        share = len(words & set(normalize(units[i].text).split())) / max(1, len(words))
        if share > best_share:
            best, best_share = i, share
    if not line and best_share < 0.6:  # text alone, and no sentence holds most of it: a stage's own rewording
        return None
    return best if best is not None else (candidates[0] if candidates else None)


def _lines_at(doc: Document, line: int) -> set[int]:
    """The first lines of the units a user means by LINE: those starting there, else the block spanning it."""
    starts = {u.line for u in units_of(doc)}
    if line in starts:
        return {line}
    block: Block | None = None
    for b in doc.blocks:
        if b.line <= line:
            block = b
    if block is None:
        return set()
    return {u.line for u in units_of(Document(doc.path, doc.title, doc.meta, (block,)))}


def coverage_warnings(doc: Document, notes: int, collector: Collector, why_none: Sequence[Drop] = ()
                      ) -> list[GeneratorError]:
    """A build's warnings about what an article lost: most of its words to page-role or section filters, or
    every card. `why_none`: the drops of a full trace, for an article that gave no card."""
    out: list[GeneratorError] = []
    removed = skipped_words(doc, collector)
    gone = sum(removed.values())
    if gone:  # most articles lose no block: their words are not counted
        total = sum(len(b.text.split()) for b in doc.blocks if b.kind not in _NOT_TEXT)
        if total and gone > SKIPPED_SHARE * total:
            grouped: dict[str, int] = {}
            for reason, words in removed.items():  # one share per kind of filter, whatever section it named
                grouped[_short(reason)] = grouped.get(_short(reason), 0) + words
            parts = ", ".join(f"{reason} {words / total:.0%}" for reason, words in
                              sorted(grouped.items(), key=lambda item: (-item[1], item[0])) if words * 100 >= total)
            out.append(GeneratorError(f"{gone / total:.0%} of the text skipped as page furniture or skipped "
                                      f"sections ({parts})", doc.path))
    if not notes:
        out.append(GeneratorError(f"no cards: {_why_no_cards(why_none)}", doc.path))
    return out


_NOT_TEXT = ("code", "html", "heading")


def skipped_words(doc: Document, collector: Collector) -> dict[str, int]:
    """Words of the article's blocks left out whole, by reason: their page role (extract/roles.py), else a
    block drop the stages recorded (a skipped section)."""
    recorded = {d.line: d.reason for d in collector.drops if d.stage in BLOCK_STAGES}
    asked = mcq_blocks(doc) | task_blocks(doc)  # a quiz's or exercise's lines: skipped by prose, asked as Q&A
    out: dict[str, int] = {}
    for block in doc.blocks:
        if block.kind in _NOT_TEXT or id(block) in asked:
            continue
        reason = block_role(block, doc) or recorded.get(block.line, "")
        if reason:
            out[reason] = out.get(reason, 0) + len(block.text.split())
    return out


def _short(reason: str) -> str:
    """A reason without its explanation in parentheses: "section 'Examples'"."""
    return reason.rsplit(" (", 1)[0] if reason.endswith(")") else reason


def _why_no_cards(drops: Sequence[Drop]) -> str:
    facts = [d for d in drops if d.rule]
    if not facts:
        skipped = [d for d in drops if d.stage in BLOCK_STAGES or d.stage == "author"]
        if skipped and not any(d.stage == "filter" for d in drops):
            return "all of its text was skipped"
        return "0 sentences looked like facts worth recalling"
    counts: dict[str, int] = {}
    for d in facts:
        key = _short(d.reason)
        counts[key] = counts.get(key, 0) + 1
    detail = ", ".join(f"{n} {why}" for why, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    noun = "candidate" if len(facts) == 1 else "candidates"
    return f"{len(facts)} {noun} found, none kept ({detail})"
