"""Card-quality checks: each note whose cards break a rule of a good flashcard, with the rule and the line.

Rules (SuperMemo's twenty rules, Matuschak's prompt properties; DESIGN.md "Extraction"):
  answer-too-long     an answer of more than 12 words: too much to recall at once
  set-answer          an answer that lists four or more things: the learner must recall a set
  yes-no-question     a question a learner can answer with yes or no
  answer-in-prompt    every word of the answer can be read on the front
  pronoun-led         a front that starts with "it", "this", "they"...: unreadable alone
  prompt-too-long     a front of more than 40 words: not read at a glance
  no-question-mark    a question that does not end in "?"
  empty-answer        an answer with no word worth recalling
  duplicate           the same front and answer as an earlier card
`lint_notes` is pure; `lint_paths` reads articles as a build would. Only the CLI prints and exits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .config import Settings
from .errors import GeneratorError
from .model import Note
from .text import LEADING_PRONOUNS, STOP_WORDS, stems

MAX_ANSWER_WORDS = 12
MAX_PROMPT_WORDS = 40
_GAP = re.compile(r"\[\.\.\.(?::[^\]]*)?\]")
_CUE = re.compile(r"^\s*\([^)]*\)\s*")  # the "(Section) " context cue in front of a card
_YES_NO = re.compile(r"^(is|are|was|were|does|do|did|can|could|should|will|would|has|have|had)\b", re.I)
_SET_SEPARATORS = re.compile(r",|;|\band\b|\bor\b")
RULES = (
    "answer-too-long",
    "set-answer",
    "yes-no-question",
    "answer-in-prompt",
    "pronoun-led",
    "prompt-too-long",
    "no-question-mark",
    "empty-answer",
    "duplicate",
)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


def lint_notes(notes: Iterable[Note]) -> list[Problem]:
    """Every rule each note's cards break, in the order given (one problem per note and rule)."""
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    for note in notes:
        found: dict[str, str] = {}
        for card in note.cards:
            for rule, message in _card_problems(note.kind, card.prompt, card.answers):
                found.setdefault(rule, message)
            key = (
                " ".join(sorted(stems(_GAP.sub(" ", card.prompt))))
                + "|"
                + " ".join(sorted(stems(" ".join(card.answers))))
            )
            if key in seen and seen[key] != (note.source.path, note.source.line):
                where = seen[key]
                found.setdefault(
                    "duplicate", f"same card as {where[0]}:{where[1]}: {_show(card.prompt, card.answers)}"
                )
            seen.setdefault(key, (note.source.path, note.source.line))
        problems.extend(
            Problem(note.source.path, note.source.line, rule, message) for rule, message in found.items()
        )
    return problems


def _card_problems(kind: str, prompt: str, answers: tuple[str, ...]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    shown = _show(prompt, answers)
    front = _CUE.sub("", prompt, count=1)
    visible = _GAP.sub(" ", prompt)
    for answer in answers:
        words = re.findall(r"[A-Za-z0-9]+", answer)
        if not words or all(w.lower() in STOP_WORDS or w.lower() in LEADING_PRONOUNS for w in words):
            out.append(("empty-answer", shown))
        if len(answer.split()) > MAX_ANSWER_WORDS:
            out.append(("answer-too-long", f"{len(answer.split())} words: {shown}"))
        if len([p for p in _SET_SEPARATORS.split(answer) if p.strip()]) >= 4:
            out.append(("set-answer", shown))
        a = stems(answer)
        if a and a <= stems(visible):
            out.append(("answer-in-prompt", shown))
    if kind == "qa":
        if _YES_NO.match(front):
            out.append(("yes-no-question", shown))
        if not front.rstrip().endswith("?"):
            out.append(("no-question-mark", shown))
    first = re.match(r"[A-Za-z'’]+", front.strip())
    if first and first.group(0).lower().replace("’", "'") in LEADING_PRONOUNS:
        out.append(("pronoun-led", shown))
    if len(prompt.split()) > MAX_PROMPT_WORDS:
        out.append(("prompt-too-long", f"{len(prompt.split())} words: {shown}"))
    return out


def _show(prompt: str, answers: tuple[str, ...]) -> str:
    short = prompt if len(prompt) <= 100 else prompt[:97] + "..."
    return f"{short!r} -> {' | '.join(answers)!r}"


def lint_paths(paths: Sequence[Path], settings: Settings) -> tuple[list[Problem], list[GeneratorError], int]:
    """Problems of the notes a build of `paths` would make, the articles that could not be read, and how many
    notes were checked. Reads the articles and their curation files; writes nothing."""
    from .pipeline import curated_notes, parse_source, read_curation
    from .read import find_sources, read_source

    notes: list[Note] = []
    errors: list[GeneratorError] = []
    for file in find_sources(paths):
        try:
            doc = parse_source(read_source(file))
            notes.extend(curated_notes(doc, settings, read_curation(file))[0])
        except GeneratorError as err:
            errors.append(err)
    return lint_notes(notes), errors, len(notes)
