"""What the rules for structured text share: lists with their lead-in, and which list items are fragments.

A list's lead-in is what names it: the parent item of a nested list ("Six key principles:" above its
items), the paragraph just before it when that paragraph ends with ":" or is only a bold or title-like
label ("**Arterial**", "Heat Cramps"), else the section heading.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..memo import on_forget
from ..model import Block, Document

_PRONOUN_LED = re.compile(r"^(it|this|that|they|these|those|he|she|we|you|i)\b", re.I)
_PAREN_TAIL = re.compile(r"\s*\([^()]*\)\s*$")
# Labels that introduce a remark rather than name a term ("**Example**: ...", "Note: ...").
ADMONITION = re.compile(
    r"^(examples?|e\.g|note|notes|tip|tips|warning|caution|important|remember|hint|answer|"
    r"question|summary|source|see also|key points?|(?:key )?takeaways?|exam tip|why|how|what|"
    r"overview|recap|in summary|things to know)$",
    re.I,
)
# A lead that counts its items ("the ten knowledge areas", "5 steps"): a set to learn whole.
COUNTED = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.I)
FRAGMENT_WORDS = 8  # list items up to this long without a sentence end are fragments, not sentences
# "Term- definition" (the dash on the term, as notes are often typed) counts as "Term - definition".
_GLOSSARY_LINE = re.compile(
    # a colon only with a space after it: "5:4 conduction", "P:QRS ratio" are ratios, not a term and its meaning
    r"^(?P<term>[^:;.!?—–]{1,60}?)\s*(?::(?=\s)|\s[—–-]\s|[—–]|(?<=[\w)])-(?=\s))\s*(?P<definition>\S.{1,})$"
)


_R = TypeVar("_R")


def memo_by_identity(size: int) -> Callable[[Callable[..., _R]], Callable[..., _R]]:
    """A bounded memo of a function of an article's blocks (and small hashable arguments), keyed on the very
    tuple of blocks passed. lru_cache would hash every block and sentence of the article on every call; the
    memo holds the tuple, so its id stays its own while the entry lasts. An equal tuple that is another
    object is simply computed again. Emptied with the article memos (memo.forget_article)."""

    def wrap(function: Callable[..., _R]) -> Callable[..., _R]:
        entries: dict[tuple[Any, ...], tuple[object, _R]] = {}  # (id(blocks), *rest) -> (blocks, result)
        on_forget(entries.clear)

        @functools.wraps(function)
        def memoised(blocks: object, *rest: Any) -> _R:
            key = (id(blocks), *rest)
            entry = entries.get(key)
            if entry is not None and entry[0] is blocks:
                return entry[1]
            result = function(blocks, *rest)
            if len(entries) >= size:
                del entries[next(iter(entries))]  # the oldest
            entries[key] = (blocks, result)
            return result

        return memoised

    return wrap


@dataclass(frozen=True, slots=True)
class ListGroup:
    items: tuple[Block, ...]
    lead: str  # what names the list ("" when only the section heading does)
    lead_block: Block | None
    ordered: bool


def label_of(block: Block) -> str:
    """A paragraph that is only a label: all bold, or short and title-like without a sentence end."""
    text = block.text.strip()
    if block.kind != "paragraph" or not text or len(text.split()) > 8:
        return ""
    bare = text.rstrip(":").strip()
    if any(e.strip(" :") == bare for e in block.emphasis):
        return bare
    if text[-1] in ".!?;," or not text[0].isupper() or ":" in bare:
        return ""
    return bare


def lead_in(block: Block) -> str:
    """A paragraph that introduces what follows: ends with ":" (and is not itself a glossary line)."""
    text = block.text.strip()
    if block.kind not in ("paragraph", "list_item") or not text.endswith(":") or len(text.split()) > 25:
        return ""
    return text.rstrip(":").strip()


def list_groups(doc: Document) -> tuple[ListGroup, ...]:
    return groups_of_blocks(doc.blocks)


def groups_of_blocks(blocks: tuple[Block, ...]) -> tuple[ListGroup, ...]:
    groups: list[ListGroup] = []
    by_list: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.kind == "list_item":
            by_list.setdefault(b.list_id, []).append(i)
    for _lid, idxs in by_list.items():
        first = idxs[0]
        items = tuple(blocks[i] for i in idxs)
        lead, lead_block = "", None
        prev = blocks[first - 1] if first > 0 else None
        if prev is not None and prev.kind == "list_item" and prev.depth == items[0].depth - 1:
            lead, lead_block = prev.text.rstrip(":").strip(), prev
            if len(lead.split()) <= 2 or _PRONOUN_LED.match(lead):
                outer = next((g for g in groups if prev in g.items), None)
                if outer and outer.lead and not _PRONOUN_LED.match(outer.lead):
                    lead = (
                        f"{outer.lead} — {lead[0].lower() + lead[1:] if _PRONOUN_LED.match(lead) else lead}"
                    )
                elif _PRONOUN_LED.match(lead):
                    lead = ""
            if re.search(r"\b(you|your|we|our)\b", lead, re.I):
                lead = ""
        elif prev is not None and prev.kind == "paragraph" and prev.section == items[0].section:
            lead = label_of(prev) or lead_in(prev)
            if ADMONITION.match(lead.strip()):
                lead, prev = "", None  # "Key Takeaways": a label that names no subject
            if _PRONOUN_LED.match(lead) or re.search(r"\b(you|your|we|our|I)\b", lead):
                lead = ""  # "Things you need to know:" names nothing
            lead_block = prev if lead else None
        groups.append(ListGroup(items, lead.strip(), lead_block, items[0].ordered))
    groups.sort(key=lambda g: g.items[0].line)
    return tuple(groups)


def is_fragment(block: Block) -> bool:
    """A short list item that is a phrase rather than a sentence."""
    text = block.text.strip()
    if block.kind != "list_item" or not text or text.endswith(":") or _PRONOUN_LED.match(text):
        return False
    core = _PAREN_TAIL.sub("", text) or text  # "Benefits owner (accountable business role)" is a phrase
    n = len(core.split())
    if glossary_parts(block):
        return False
    return n <= 4 or (n <= FRAGMENT_WORDS and text[-1] not in ".!?")


def glossary_parts(block: Block) -> tuple[str, str] | None:
    """(term, definition) of a `Term: definition` / `Term - definition` / `**Term** — definition` line."""
    if block.kind not in ("list_item", "paragraph") or len(block.sentences) > 3:
        return None
    text = block.text
    if block.kind == "list_item" and "\n" in block.markup:
        own_line = _term_on_its_own_line(block.markup)
        if own_line:
            return own_line
    if ":" not in text and "-" not in text and "—" not in text and "–" not in text:
        return None  # every separator _GLOSSARY_LINE takes is one of these
    m = _GLOSSARY_LINE.match(text)
    if not m:
        return None
    term, definition = m.group("term").strip(), m.group("definition").strip()
    if not definition or len(definition) < 2 or ADMONITION.match(term.strip("*_ ")):
        return None
    if any(term == e.rstrip(":").strip() for e in block.emphasis):
        return term, definition
    words = term.split()
    if 0 < len(words) <= 4 and term[0].isupper() and not term.endswith(",") and block.kind == "list_item":
        return term, definition
    return None


_OWN_LINE_TERM = re.compile(r"^\s*`?(?P<term>[\w.+/-]+(?: [\w.+/-]+){0,2})`?\s*$")


def _term_on_its_own_line(markup: str) -> tuple[str, str] | None:
    """"lvextend" over "Extend the size of a logical volume" (a definition list written as an item): the
    term on its own first line, its description on the next, capitalised."""
    lines = [ln.strip() for ln in markup.split("\n") if ln.strip()]
    if len(lines) != 2:
        return None
    m = _OWN_LINE_TERM.match(lines[0])
    description = lines[1]
    if not m or not description[:1].isupper() or len(description.split()) < 3:
        return None
    return m.group("term"), description


def list_fragments(group: ListGroup) -> list[Block]:
    """The items of a list asked inside one list note: its fragments, when it has at least two."""
    items = [b for b in group.items if is_fragment(b) and not glossary_parts(b)]
    return items if len(items) >= 2 else []


def in_list_note(block: Block, doc: Document) -> bool:
    """Whether a list item is asked inside its list's note (so the prose rules leave it alone)."""
    group = group_of(block, doc)
    return group is not None and block in list_fragments(group)


def group_of(block: Block, doc: Document) -> ListGroup | None:
    return next((g for g in list_groups(doc) if block in g.items), None)
