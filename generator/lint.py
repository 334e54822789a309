"""Card-quality checks: each note whose cards break a rule of a good flashcard, with the rule and the line.

Rules (SuperMemo's twenty rules, Matuschak's prompt properties; DESIGN.md "Extraction"). Every defect
class the project's evaluator counts has a rule here (its name in brackets where it differs):
  empty-answer          an answer with no word worth recalling                [answer-empty-or-stopwords]
  answer-too-long       an answer of more than 12 words: too much to recall at once
  prompt-too-long       a front of more than 40 words: not read at a glance
  boilerplate           a footer, byline, read time or call to action on the card
  rhetorical            a rhetorical question or address to the reader ("right?", "my friends")
  pronoun-led           a front that starts with "it", "this", "they"...: unreadable alone
  answer-in-prompt      every word of the answer can be read on the front, or a number answer is spelt
                        out beside its gap ("twenty ([...])")
  set-answer            an answer that lists four or more things, or four or more gaps at once
  restated-beside-gap   the answer restated in another unit beside its gap ("[...] (104 °F)")
  gap-splits-word       a gap that cuts a word ("[...]ehost")
  one-letter-answer     a single letter to recall
  navigation            a breadcrumb on the card ("Docs > Tasks > Networking")
  answer-ends-in-verb   the gap swallowed the verb ("Routers operate")
  label-answer          an outline number or label as the answer ("6.1", "Domain 2", "Step 3")
  junk-in-answer        a label ("Think:", "Note:") or an unbalanced quote or bracket in the answer
  cloze-without-gap     a cloze card whose front hides nothing
  gap-too-wide          a cloze gap that hides most of the sentence
  no-question-mark      a question that does not end in "?"                   [question-without-?]
  no-question-word      a question with no question word (what, which, how, name...)
  yes-no-question       a question a learner can answer with yes or no, or an answer of yes/no/true/false [yes-no]
  duplicate             the same card as an earlier one, or the same answer asked again from the same
                        source sentence                                       [duplicate-card]
`lint_notes` is pure; `lint_paths` reads articles as a build would. Only the CLI prints and exits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .errors import GeneratorError
from .model import CardView, Note
from .text import LEADING_PRONOUNS, STOP_WORDS, stems

MAX_ANSWER_WORDS = 12
MAX_PROMPT_WORDS = 40
MAX_SET_ITEMS = 3  # DESIGN.md: never one card asking for a set of more than 3 items
WIDE_GAP_SHARE = 0.6  # a gap hiding more than this share of the card's content words asks for the sentence
_GAP = re.compile(r"\[(?:\.\.\.|…)(?::[^\]]*)?\]")
_CUE = re.compile(r"^\s*\([^)]*\)\s*")  # the "(Section) " context cue in front of a card
_LABEL_PREFIX = re.compile(r"^\s*[A-Z][\w ]{0,40}:\s+")  # "Heat stroke: ..." in front of a card
_YES_NO = re.compile(r"^(is|are|was|were|does|do|did|can|could|should|will|would|has|have|had)\b", re.I)
_YES_NO_ANSWER = re.compile(r"^\s*(yes|no|true|false)\b", re.I)
_SET_SEPARATORS = re.compile(r",|;|\band\b|\bor\b")
_WORD = re.compile(r"[A-Za-z0-9]+")
_BOILERPLATE = re.compile(
    r"\b(subscribe|unsubscribe|newsletter|privacy policy|terms of (use|service)|we use cookies|"
    r"cookie (policy|settings|preferences)|all rights reserved|share (this|on)|follow us|posted (by|on)|"
    r"written by|\d+\s*(min|minute)s?\s+read|last updated|updated on|table of contents|"
    r"related (posts|articles)|read more|leave a (comment|reply)|click here|sign up (for|now|today)|"
    r"buy now|add to cart)\b",
    re.I,
)
_RHETORIC = re.compile(
    r"(\bright\s*\?|\b(isn['’]?t|aren['’]?t|wasn['’]?t) (it|that|this|they)\b[^?]*\?|\bwho wouldn['’]?t\b|"
    r"\bcan you imagine\b|\bdid you know\b|\blet['’]?s be (real|honest)\b|\bmy friends\b|\bguess what\b|"
    r"\bbelieve (it|me)\b)",
    re.I,
)
# Two separators of a breadcrumb between short names: "Home > Docs > Tasks", "Guide / Setup / Networking".
_BREADCRUMB = re.compile(r"[^>›»|/\n]{1,60}\s(?:>|›|»|\||/)\s[^>›»|/\n]{1,60}\s(?:>|›|»|\||/)\s")
# Verbs that end an answer only when the gap took the clause's verb: modals, "is", and the verbs that
# link a term to what it says ("stands", "means"). Base forms such as "use" end relative clauses too.
_VERB_END = frozenset(
    """is are can could may might must shall should will would stands means refers includes operate operates
    requires uses involves contains provides allows causes""".split()
)
_LABEL = re.compile(
    r"^\s*(?:(?:domain|task|step|part|chapter|section|objective|module|unit|lesson|phase|page|figure|table|"
    r"appendix|exhibit|question|item)\s+(?:\d+|[IVXLC]+\b)(?:\.\d+)*(?:\s*[:.)-].*)?|\d+(?:\.\d+)+\.?|"
    r"(?-i:[A-Z]{2,6})\s+(?:task|domain|objective|module|unit|step|section|skill)s?)\s*$",
    re.I,
)
_OPTION_LETTER = re.compile(r"^\s*\(?[A-Ha-h]\)\s+\S")  # "B) Only the resources you use"
_JUNK_LABEL = re.compile(r"^\s*(think|note|tip|remember|hint|example|e\.g\.?|i\.e\.?|see)\s*:", re.I)
_QUESTION_WORD = re.compile(
    r"\b(what|which|who|whom|whose|when|where|why|how|name|list|define|describe|identify|give|state|explain|"
    r"compare|distinguish|is|are|was|were|does|do|did|can|could|should|would|will|according)\b",
    re.I,
)
_NUMBER_WORDS = dict(zip(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split(), range(21), strict=True))
_NUMBER_WORDS.update(thirty=30, forty=40, fifty=50, sixty=60, seventy=70, eighty=80, ninety=90, hundred=100,
                     thousand=1000)
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,4})\b")
# A parenthesis holding a number right beside a gap: the same quantity in another unit or as a figure.
_RESTATED = re.compile(r"(?:GAP\s*\([^()]*\d[^()]*\)|\([^()]*\d[^()]*\)\s*GAP|\d[^\s()]*\s*\(\s*GAP\s*\)|"
                       r"\(\s*GAP\s*\)\s*\d)".replace("GAP", r"\[(?:\.\.\.|…)(?::[^\]]*)?\]"))
RULES = (
    "empty-answer", "answer-too-long", "prompt-too-long", "boilerplate", "rhetorical", "pronoun-led",
    "answer-in-prompt", "set-answer", "restated-beside-gap", "gap-splits-word", "one-letter-answer",
    "navigation", "answer-ends-in-verb", "label-answer", "junk-in-answer", "cloze-without-gap", "gap-too-wide",
    "no-question-mark", "no-question-word", "yes-no-question", "duplicate",
)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Card:
    """One card as the checks read it."""

    kind: str
    prompt: str  # as the learner sees it, gaps as [...]
    answers: tuple[str, ...]
    front: str  # the prompt without its context cue
    visible: str  # the prompt with its gaps blanked


def lint_notes(notes: Iterable[Note]) -> list[Problem]:
    """Every rule each note's cards break, in the order given (one problem per note and rule)."""
    problems: list[Problem] = []
    seen: dict[str, tuple[int, str, int]] = {}  # card key -> (note number, path, line) that asked it first
    for number, note in enumerate(notes):
        found: dict[str, str] = {}
        for card in note.cards:
            for rule, message in card_problems(note.kind, card.prompt, card.answers):
                found.setdefault(rule, message)
            for key in duplicate_keys(note, card):
                first = seen.setdefault(key, (number, note.source.path, note.source.line))
                if first[0] != number:
                    found.setdefault("duplicate", f"same card as {first[1]}:{first[2]}: "
                                                  f"{_show(card.prompt, card.answers)}")
        problems.extend(Problem(note.source.path, note.source.line, rule, message) for rule, message in found.items())
    return problems


def duplicate_keys(note: Note, card: CardView) -> list[str]:
    """What makes two cards the same card: the same prompt and answers, or the same answer asked again of
    one source sentence."""
    answer = " ".join(sorted(stems(" ".join(card.answers))))
    keys = [" ".join(sorted(stems(_GAP.sub(" ", card.prompt)))) + "|" + answer]
    sentence = " ".join(sorted(stems(note.source.sentence)))
    if sentence and answer:
        keys.append(f"sentence:{sentence}|{answer}")
    return keys


def card_problems(kind: str, prompt: str, answers: Sequence[str]) -> list[tuple[str, str]]:
    """(rule, message) for each rule one card breaks (all but `duplicate`, which compares cards)."""
    front = _CUE.sub("", prompt, count=1)
    card = _Card(kind, prompt, tuple(answers), front, _GAP.sub(" ", prompt))
    shown = _show(prompt, card.answers)
    out: list[tuple[str, str]] = []
    for rule, check in _CHECKS:
        detail = check(card)
        if detail is not None:
            out.append((rule, f"{detail}: {shown}" if detail else shown))
    return out


Check = Callable[[_Card], "str | None"]  # None: the card passes; else a detail for the message ("" for none)


def _empty_answer(c: _Card) -> str | None:
    for answer in c.answers or ("",):
        words = [w.lower() for w in _WORD.findall(answer)]
        if all(w in STOP_WORDS or w in LEADING_PRONOUNS for w in words):
            return ""
    return None


def _answer_too_long(c: _Card) -> str | None:
    longest = max((len(a.split()) for a in c.answers), default=0)
    return f"{longest} words" if longest > MAX_ANSWER_WORDS else None


def _prompt_too_long(c: _Card) -> str | None:
    n = len(c.prompt.split())
    return f"{n} words" if n > MAX_PROMPT_WORDS else None


def _boilerplate(c: _Card) -> str | None:
    m = next(filter(None, (_BOILERPLATE.search(t) for t in (c.prompt, *c.answers))), None)
    return repr(m.group(0)) if m else None


def _rhetorical(c: _Card) -> str | None:
    m = _RHETORIC.search(c.prompt)
    return repr(m.group(0)) if m else None


def _pronoun_led(c: _Card) -> str | None:
    for text in (c.front, _LABEL_PREFIX.sub("", c.front, count=1)):
        first = re.match(r"[A-Za-z'’]+", text.strip())
        word = first.group(0).lower().replace("’", "'") if first else ""
        if word in LEADING_PRONOUNS or word.split("'")[0] in LEADING_PRONOUNS:
            return ""
    return None


def _roots(text: str) -> set[str]:
    """Stems with a final "e" or "y" folded, so that "define" meets "defining" ("defin"), "copy" "copies"."""
    return {s[:-1] if len(s) > 3 and s[-1] in "ey" else s for s in stems(text)}


def _answer_in_prompt(c: _Card) -> str | None:
    shown = _roots(c.visible)
    for answer in c.answers:
        a = _roots(answer)
        if a and a <= shown:
            return ""
        m = _LEADING_NUMBER.match(answer)
        if m:
            spelt = [w for w, v in _NUMBER_WORDS.items() if v == int(m.group(1))]
            low = c.visible.lower()
            if any(re.search(rf"\b{w}\b", low) for w in spelt):
                return f"{m.group(1)} is spelt out on the front"
    return None


def _set_answer(c: _Card) -> str | None:
    if len(c.answers) > MAX_SET_ITEMS:
        return f"{len(c.answers)} gaps at once"
    for answer in c.answers:
        items = [p for p in _SET_SEPARATORS.split(answer) if p.strip()]
        if len(items) > MAX_SET_ITEMS:
            return f"{len(items)} items"
    return None


def _restated_beside_gap(c: _Card) -> str | None:
    if not any(ch.isdigit() for a in c.answers for ch in a):
        return None
    m = _RESTATED.search(c.front)
    return repr(m.group(0)) if m else None


def _gap_splits_word(c: _Card) -> str | None:
    for m, answer in zip(_GAP.finditer(c.prompt), c.answers, strict=False):  # a card under lint may not match
        answer = answer.strip()
        before, after = c.prompt[m.start() - 1 : m.start()], c.prompt[m.end() : m.end() + 1]
        if answer and ((before.isalnum() and answer[0].isalnum()) or (after.isalnum() and answer[-1].isalnum())):
            return repr(c.prompt[max(0, m.start() - 10) : m.end() + 10])
    return None


def _one_letter_answer(c: _Card) -> str | None:
    return "" if any(len(a.strip()) == 1 and not a.strip().isdigit() for a in c.answers) else None


def _navigation(c: _Card) -> str | None:
    # Every breadcrumb holds one of its separators twice: a text without one is not scanned.
    m = next(filter(None, (_BREADCRUMB.search(t) for t in (c.front, *c.answers) if _SEPARATORS.search(t))), None)
    return repr(m.group(0).strip()) if m else None


_SEPARATORS = re.compile(r"[>›»|/].*[>›»|/]")


def _answer_ends_in_verb(c: _Card) -> str | None:
    for answer in c.answers:
        words = answer.lower().replace("’", "'").split()
        if len(words) > 1 and words[-1].strip(".,;:") in _VERB_END:
            return repr(words[-1].strip(".,;:"))
    return None


def _label_answer(c: _Card) -> str | None:
    return "" if any(_LABEL.match(a) for a in c.answers) else None


def _junk_in_answer(c: _Card) -> str | None:
    for answer in c.answers:
        if _JUNK_LABEL.match(answer):
            return "a label"
        if _OPTION_LETTER.match(answer):
            return "a multiple-choice option letter"
        if answer.count("“") != answer.count("”") or answer.count('"') % 2 or answer.count("(") != answer.count(")"):
            return "unbalanced quote or bracket"
    return None


def _cloze_without_gap(c: _Card) -> str | None:
    return "" if c.kind == "cloze" and not _GAP.search(c.prompt) else None


def _gap_too_wide(c: _Card) -> str | None:
    if c.kind != "cloze":
        return None
    hidden = stems(" ".join(c.answers))
    seen = stems(c.visible) | hidden
    if len(hidden) >= 3 and len(hidden) / len(seen) > WIDE_GAP_SHARE:
        return f"{len(hidden)} of {len(seen)} words hidden"
    return None


def _no_question_mark(c: _Card) -> str | None:
    return "" if c.kind == "qa" and not c.front.rstrip().endswith("?") else None


def _no_question_word(c: _Card) -> str | None:
    return "" if c.kind == "qa" and not _QUESTION_WORD.search(c.front) else None


def _yes_no_question(c: _Card) -> str | None:
    if any(_YES_NO_ANSWER.match(a) for a in c.answers):
        return "answered yes/no/true/false"
    return "" if c.kind == "qa" and _YES_NO.match(c.front) else None


_CHECKS: tuple[tuple[str, Check], ...] = (
    ("empty-answer", _empty_answer), ("answer-too-long", _answer_too_long), ("prompt-too-long", _prompt_too_long),
    ("boilerplate", _boilerplate), ("rhetorical", _rhetorical), ("pronoun-led", _pronoun_led),
    ("answer-in-prompt", _answer_in_prompt), ("set-answer", _set_answer),
    ("restated-beside-gap", _restated_beside_gap), ("gap-splits-word", _gap_splits_word),
    ("one-letter-answer", _one_letter_answer), ("navigation", _navigation),
    ("answer-ends-in-verb", _answer_ends_in_verb), ("label-answer", _label_answer),
    ("junk-in-answer", _junk_in_answer), ("cloze-without-gap", _cloze_without_gap), ("gap-too-wide", _gap_too_wide),
    ("no-question-mark", _no_question_mark), ("no-question-word", _no_question_word),
    ("yes-no-question", _yes_no_question),
)


def _show(prompt: str, answers: Sequence[str]) -> str:
    short = prompt if len(prompt) <= 100 else prompt[:97] + "..."
    return f"{short!r} -> {' | '.join(answers)!r}"


def lint_paths(paths: Sequence[Path], settings: Settings) -> tuple[list[Problem], list[GeneratorError], int]:
    """Problems of the notes a build of `paths` would make, the articles that could not be read, and how many
    notes were checked. Reads the articles and their curation files; writes nothing."""
    from .build.article import curated_notes, parse_source, read_curation
    from .read.sources import find_sources, read_source

    notes: list[Note] = []
    errors: list[GeneratorError] = []
    for file in find_sources(paths):
        try:
            doc = parse_source(read_source(file))
            notes.extend(curated_notes(doc, settings, read_curation(file))[0])
        except GeneratorError as err:
            errors.append(err)
    return lint_notes(notes), errors, len(notes)
