"""Formatting carried from a block's Markdown onto a fact's plain text: the marks of each character.

Facts carry plain text; the emphasis and inline code the author wrote are found by aligning that text with
a styled reading of the block's Markdown (the same tokens parse/markdown.py read, where they can be shared).
Besides parse/markdown.py, only this module and render.py import markdown_it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from ..memo import article_cache
from ..parse.markdown import inline_children

# Only these start a mark (emphasis, code, strikethrough, inline HTML): a block without any has no formatting.
_MARKING = re.compile(r"[*_`~<]")


_KRAMDOWN_ATTRS = re.compile(r"\{:[^{}\n]*\}")
_MAX_ALIGN = 4000  # characters of block text a fact is aligned against; longer blocks keep no formatting


_HTML_MARKS = {"b": "strong", "strong": "strong", "dfn": "strong", "i": "em", "em": "em", "code": "code",
               "kbd": "code", "s": "s", "del": "s", "strike": "s", "mark": "mark", "sub": "sub", "sup": "sup"}

Marks = frozenset[str]
NO_MARKS: Marks = frozenset()


def _marks_for(text: str, markup: str) -> list[Marks]:
    """The marks of each character of `text`, taken from the Markdown it came from (empty: none)."""
    styled = _plain_of(markup) if markup and text else None
    if styled is None:
        return []
    plain, folded, char_marks = styled
    # Case-folded, so a sentence the extraction capitalised still lines up (only where lengths stay).
    folded_text = text.lower()
    if len(folded) == len(plain) and len(folded_text) == len(text):
        plain, text = folded, folded_text
    at = _find(plain, text)
    if at >= 0:
        found = char_marks[at : at + len(text)]
        # No mark on the fact's own characters: no marks at all, which _emit writes by its quicker paths.
        return list(found) if any(found) else []
    if len(plain) > _MAX_ALIGN or len(text) > _MAX_ALIGN:
        return []
    out: list[Marks] = [NO_MARKS] * len(text)
    # Facts are cleaned sentences (filler removed, first letter capitalised): align, then copy marks over.
    for a, b, size in matching_blocks(text, plain):
        out[a : a + size] = char_marks[b : b + size]
    return out if any(out) else []


def matching_blocks(a: str, b: str) -> list[tuple[int, int, int]]:
    """The blocks `SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()` finds (before it merges
    neighbours and adds its empty sentinel): the longest common substring, then the same on each side of it.

    difflib compares character by character through a dictionary of positions; str.find on whole pieces finds
    the same blocks (same lengths, same tie-breaks) in a fraction of the time.
    """
    found = []
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        i, j, k = _longest_match(a, b, alo, ahi, blo, bhi)
        if k:
            found.append((i, j, k))
            if alo < i and blo < j:
                todo.append((alo, i, blo, j))
            if i + k < ahi and j + k < bhi:
                todo.append((i + k, ahi, j + k, bhi))
    found.sort()
    return found


def _longest_match(a: str, b: str, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """SequenceMatcher.find_longest_match without junk: the longest a[i:i+k] == b[j:j+k] within the bounds, the
    smallest i among the longest, then the smallest j; (alo, blo, 0) when nothing matches."""
    best_i, best_j, best_k = alo, blo, 0
    for i in range(alo, ahi):
        if i + best_k >= ahi:
            break  # no room left for a longer match
        j = b.find(a[i : i + best_k + 1], blo, bhi)
        if j < 0:
            continue  # nothing longer than the best starts at i
        # a[i:i+k] occurring in b[blo:bhi] is monotone in k: find the largest k by bisection.
        lo, hi = best_k + 1, min(ahi - i, bhi - blo)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            at = b.find(a[i : i + mid], blo, bhi)
            if at >= 0:
                lo, j = mid, at
            else:
                hi = mid - 1
        best_i, best_j, best_k = i, j, lo
    return best_i, best_j, best_k


_BIG_BLOCK = 65536  # characters: beyond this a fact is found through a word index, not a scan of the block


@article_cache(64)
def _plain_of(markup: str) -> tuple[str, str, tuple[Marks, ...]] | None:
    """(plain text, its lower case, each character's marks) of a block's Markdown, made once per block:
    a paragraph with thousands of facts would otherwise be joined again for each one. None when nothing in
    the block is marked (found once per block too, not scanned again for each of its facts)."""
    if not _MARKING.search(markup):
        return None
    plain, char_marks = _styled(markup)
    if not any(char_marks):
        return None
    return plain, plain.lower(), char_marks


def _find(plain: str, text: str) -> int:
    """plain.find(text); in a very long block, only where a word starts (a sentence does), through an index
    built once per block, so that finding every fact of a huge paragraph is not quadratic."""
    if len(plain) <= _BIG_BLOCK or len(text) < _KEY or not text[0].isalnum():
        return plain.find(text)
    for at in _word_starts(plain).get(text[:_KEY], ()):
        if plain.startswith(text, at):
            return at
    return -1


_KEY = 12


@article_cache(8)
def _word_starts(plain: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for m in re.finditer(r"(?<![^\W_])[^\W_]", plain):  # an alphanumeric not preceded by one
        index.setdefault(plain[m.start() : m.start() + _KEY], []).append(m.start())
    return index


@article_cache(256)
def _styled(markup: str) -> tuple[str, tuple[Marks, ...]]:
    """The plain text of inline Markdown (as markdown.py reads it) with each character's marks."""
    pieces: list[str] = []
    marks: list[Marks] = []
    active: list[str] = []

    def add(piece: str, extra: Iterable[str] = ()) -> None:
        pieces.append(piece)
        marks.extend([frozenset((*active, *extra))] * len(piece))

    for child in _inline_tokens(markup):
        t = child.type
        if t == "text":
            add(_KRAMDOWN_ATTRS.sub("", child.content) if "{:" in child.content else child.content)
        elif t == "code_inline":
            add(child.content, ("code",))
        elif t in ("math_inline", "math_inline_double"):
            fence = "$$" if t == "math_inline_double" else "$"
            add(fence + child.content + fence)
        elif t in ("softbreak", "hardbreak"):
            add(" ")
        elif t.endswith("_open") and t[:-5] in ("strong", "em", "s", "mark"):
            active.append(t[:-5])
        elif t.endswith("_close") and t[:-6] in ("strong", "em", "s", "mark") and t[:-6] in active:
            active.remove(t[:-6])
        elif t == "html_inline":
            m = re.match(r"<(/?)([a-zA-Z]+)", child.content)
            mark = _HTML_MARKS.get(m.group(2).lower()) if m else None
            if m and mark:
                if not m.group(1):
                    active.append(mark)
                elif mark in active:
                    active.remove(mark)
    return _collapsed("".join(pieces), marks)


# The runs of white space that collapsing changes: all but a lone space (`\s` is exactly str.isspace), i.e.
# `\s{2,}|[^\S ]`, written to open with `\s` so that the regex engine scans quickly for a place to try.
_CHANGED_SPACE = re.compile(r"\s(?:(?<! )|(?=\s))\s*")


def _collapsed(text: str, marks: Sequence[Marks]) -> tuple[str, tuple[Marks, ...]]:
    """`text` with runs of white space as one space and none at the ends, as markdown.py collapses it, each run
    keeping the marks of its first character. A lone space between words stays as it is, so only the
    other runs are visited (not every space of the block)."""
    pos, end = len(text) - len(text.lstrip()), len(text.rstrip())
    if end <= pos:  # nothing but white space
        return "", ()
    out_text: list[str] = []
    out_marks: list[Marks] = []
    for m in _CHANGED_SPACE.finditer(text, pos, end):
        out_text += (text[pos : m.start()], " ")
        out_marks += marks[pos : m.start() + 1]  # the run's first character gives the space its marks
        pos = m.end()
    out_text.append(text[pos:end])
    out_marks += marks[pos:end]
    return "".join(out_text), tuple(out_marks)


# Nesting deeper than this many `[` could reach the parsers' limits, which differ (20 here, 40 in markdown.py).
_MAX_SHARED_BRACKETS = 8


def _inline_tokens(markup: str) -> list[Any]:
    """The child tokens of `markup` read as inline Markdown by `_inline_parser`.

    markdown.py has read most block Markdown already, with the same rules but for math (`$`) and strikethrough
    (`~`), which fire only on their own characters, and a nesting limit reached only through nested
    brackets: without those its tokens are the same, and the parse is not done twice."""
    if "$" not in markup and "~" not in markup and markup.count("[") <= _MAX_SHARED_BRACKETS:
        children = inline_children(markup)
        if children is not None:
            return children
    tokens = _inline_parser().parseInline(markup)
    return (tokens[0].children or []) if tokens else []


@lru_cache(maxsize=1)
def _inline_parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"maxNesting": 20}).enable(["table", "strikethrough"])
    return md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
