"""Structure rule: a sentence that says what a command does, with the command in inline code, asks for it.

"`lsmod` prints the status of loaded modules" and "Modules are removed with `modprobe -r`" become clozes
whose gap is the whole code span (one deletion per command in the sentence). A gap of another rule that
cuts a command in two, or swallows it with the words around it ("[...] to find ..." -> "modprobe uses
uname -r"), is never kept: `cuts_command` tells extract() which facts those are.
"""

from __future__ import annotations

import re

from ..model import Block, Document, Fact
from .commands import COMMANDS, is_command, program
from .filters import is_noise
from .util import MAX_CARD_WORDS, cloze_spans

SCORE = 0.8
MAX_SPANS = 3  # more commands in one sentence is a list of tools, not a statement about one
_CODE_SPAN = re.compile(r"(?<!`)`([^`\n]{1,80})`(?!`)")
_PART = re.compile(r"(?<=[.!?])\s+(?=[a-z])")
_POINTING = re.compile(r"^(it|this|that|these|those|they|he|she)\b", re.I)  # the card could not be read alone
_FIRST_PERSON = re.compile(r"\b(i|we|let['’]?s|us|our|my|you'll)\b", re.I)


def inline_commands(doc: Document) -> list[Fact]:
    """Cloze facts: a statement about a command, its command (inline code) as the gap."""
    facts: list[Fact] = []
    for block in doc.blocks:
        if block.kind not in ("paragraph", "list_item", "quote") or "`" not in block.markup:
            continue
        commands = command_spans(block)
        if not commands:
            continue
        for sentence in block.sentences:
            # A sentence that starts with a command starts lower-case: the splitter runs it into the one before.
            for part in _PART.split(sentence.text):
                fact = _statement(part, sentence.line, commands, block)
                if fact is not None:
                    facts.append(fact)
    return facts


def command_spans(block: Block) -> tuple[str, ...]:
    """The inline code spans of a block that are command lines (`modprobe -r`, not `/proc/modules`)."""
    return _spans(block.markup)


def _spans(markup: str) -> tuple[str, ...]:
    found = []
    for m in _CODE_SPAN.finditer(markup):
        code = " ".join(m.group(1).split())
        if code and is_command(code) and (program(code) in COMMANDS or len(code.split()) > 1):
            found.append(code)
    return tuple(dict.fromkeys(found))


def _statement(text: str, line: int, commands: tuple[str, ...], block: Block) -> Fact | None:
    s = text.strip()
    if (is_noise(s) or s.rstrip().endswith(":") or _FIRST_PERSON.search(s) or len(s.split()) > MAX_CARD_WORDS
            or _POINTING.match(s)
            or s.lower().startswith(("retired", "deprecated", "note"))):
        return None
    spans: list[tuple[int, int]] = []
    for start, end in _find(s, commands):
        if not any(s[a:z].lower() == s[start:end].lower() for a, z in spans):  # a repeat would give it away
            spans.append((start, end))
    if not spans or len(spans) > MAX_SPANS:
        return None
    rest = s
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + rest[end:]
    if len(re.findall(r"[A-Za-z]{2,}", rest)) < 4:
        return None  # "Run `lsmod`." says nothing about what it does
    term = s[spans[0][0] : spans[0][1]]
    return cloze_spans("inline-command", s, spans, SCORE, block, text, line, term=term)


def cuts_command(fact: Fact) -> bool:
    """Whether a cloze gap of another rule cuts a command span, or hides it together with other words; or
    cuts into any other inline code span (`/[...]` of a path)."""
    if fact.kind != "cloze" or "`" not in fact.block.markup:
        return False
    commands = command_spans(fact.block)
    for start, end in _find(fact.text, commands) if commands else ():
        for gap in fact.gaps:
            if gap.start < end and start < gap.end and (gap.start, gap.end) != (start, end):
                return True
    for start, end in _find(fact.text, _code(fact.block.markup)):
        for gap in fact.gaps:
            if start < gap.start < end or start < gap.end < end:
                return True
    return False


def _code(markup: str) -> tuple[str, ...]:
    found = (" ".join(m.group(1).split()) for m in _CODE_SPAN.finditer(markup))
    return tuple(dict.fromkeys(c for c in found if len(c) >= 2))


def _find(text: str, commands: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the commands stand in `text`, the longest first (`depmod -n`, not the `depmod` inside it)."""
    spans: list[tuple[int, int]] = []
    for code in sorted(commands, key=len, reverse=True):
        for m in re.finditer(r"(?<![\w-])" + re.escape(code) + r"(?![\w-])", text, re.I):
            if not any(a < m.end() and m.start() < z for a, z in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)
