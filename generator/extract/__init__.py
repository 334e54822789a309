"""Extraction stage: run every rule over a Document and return all candidate facts (over-generated).

RULES is ordered data: adding a rule is one module plus one entry here. Structure rules come first
(they are the most reliable source, DESIGN.md "Extraction"), then prose rules; `select` ranks them.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Block, Document, Fact
from .answered import answered, answered_blocks
from .claim import claim
from .components import components
from .definition import definition
from .enumeration import enumeration
from .exercise import exercise, task_blocks
from .filters import is_title_echo
from .glossary import glossary
from .inline_command import cuts_command, inline_commands
from .lists import list_items
from .markup import markup, qa_blocks
from .mcq import mcq, mcq_blocks
from .mnemonic import mnemonic, mnemonic_blocks, names_own_exam, own_acronyms
from .question_heading import question_heading
from .trace import record_fact, tracing

Rule = Callable[[Document], list[Fact]]
RULES: Sequence[tuple[str, Rule]] = (
    ("markup", markup),
    ("components", components),
    ("glossary", glossary),
    ("list", list_items),
    ("question-heading", question_heading),
    ("exercise", exercise),
    ("mcq", mcq),
    ("answered", answered),
    ("mnemonic", mnemonic),
    ("inline-command", inline_commands),
    ("definition", definition),
    ("enumeration", enumeration),
    ("claim", claim),
)


def extract(doc: Document, rules: Sequence[tuple[str, Rule]] = RULES) -> list[Fact]:
    """Every candidate fact the rules find, except from blocks the author excluded or that repeat a title."""
    facts: list[Fact] = []
    echoes: dict[int, tuple[Block, bool]] = {}  # facts share blocks; each held, so its id stays its own
    # Blocks a structure rule reads as a whole (an exercise's task, a multiple-choice question): theirs alone.
    owner = (dict.fromkeys(task_blocks(doc), "exercise") | dict.fromkeys(mcq_blocks(doc), "mcq")
             | dict.fromkeys(mnemonic_blocks(doc), "mnemonic") | dict.fromkeys(answered_blocks(doc), "answered")
             | dict.fromkeys(qa_blocks(doc), "markup"))
    own = own_acronyms(doc)  # the deck's own exam: its name is never asked
    for name, rule in rules:
        for fact in rule(doc):
            block = fact.block
            if (block.skip or owner.get(id(block), name) != name or cuts_command(fact)
                    or names_own_exam(fact, own)):
                if tracing(): record_fact(fact, "author" if block.skip else "select", "excluded by the author (<!-- certdeck: skip --> or off)" if block.skip else f"the {owner[id(block)]} rule reads this block whole" if owner.get(id(block), name) != name else "the gap would cut a command in two" if cuts_command(fact) else "names the deck's own exam or certification")  # noqa: E701,E501
                continue
            seen = echoes.get(id(block))
            if seen is None or seen[0] is not block:
                seen = echoes[id(block)] = (block, is_title_echo(block, doc))
            if seen[1]: record_fact(fact, "filter", "repeats the title or a heading")  # noqa: E701
            if not seen[1]:
                facts.append(fact)
    return facts
