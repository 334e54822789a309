"""The last gate before a card reaches a learner: no card with a defect `certdeck lint` reports, no card
asked twice. It runs on notes (their cards as a learner sees them), after selection and note making."""
from __future__ import annotations

from collections.abc import Sequence

from ..extract.trace import record_fact
from ..lint import card_problems, duplicate_keys
from ..model import Fact, Note


def is_symbol(answer: str) -> bool:
    """"He" in a table of elements is helium, not a pronoun: a short capitalised symbol is an answer."""
    text = answer.strip()
    return 0 < len(text) <= 3 and text[:1].isupper() and text.isalnum()


def sound_notes(facts: Sequence[Fact], notes: list[Note]) -> list[Note]:
    """The notes whose cards have none of the defects `certdeck lint` reports (a leaked answer, a gap too
    wide, a yes/no question ...): the last gate before a card reaches a learner. Author markup and curation
    (pinned facts) are the author's decision and always pass."""
    kept = []
    seen: set[str] = set()  # a card asked again (two rules, one sentence) is a duplicate
    for fact, note in zip(facts, notes, strict=True):  # make_notes: one note per fact
        problems = [] if fact.pinned else [p for c in note.cards for p in card_problems(note.kind, c.prompt, c.answers)
                                           if not (p[0] == "empty-answer" and all(map(is_symbol, c.answers)))]
        keys = {key for c in note.cards for key in duplicate_keys(note, c)}
        if not problems and not fact.pinned and keys & seen:
            problems = [("duplicate", "")]
        if problems:
            record_fact(fact, "lint", "the card would have a defect: %s", problems[0][0])
            continue
        seen |= keys
        kept.append(note)
    return kept
