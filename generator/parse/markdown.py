"""Parsing stage: Markdown (or plain text) -> Document of Blocks with sections, sentences and lines.

Only this module imports markdown_it. Lines are 1-based lines of the source file.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from ..errors import GeneratorError
from ..memo import on_forget
from ..model import Block, Document, Image, Sentence
from ..text import split_sentences
from .notesyntax import read_note_syntax

_KRAMDOWN_ATTRS = re.compile(r"\{:[^{}\n]*\}")
_SPACES = re.compile(r"\s+")
_DIRECTIVE = re.compile(r"<!--\s*certdeck:\s*(skip|off|on)\s*-->", re.I)
_MAX_BLOCK_CHARS = 20_000  # longer blocks are split for sentences in pieces; keeps work per block bounded
# Deeper nesting is not parsed (markdown-it skips what is inside): bounds the parser's recursion and its work.
MAX_NESTING = 40
_CONTAINERS = ("blockquote_open", "list_item_open", "dd_open")
_MAX_EMPHASIS_CHARS = 500  # longer bold spans name no term; nested ones would make the work quadratic


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin

    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").use(deflist_plugin)


# The inline tokens of the last article parsed, by content: marks.py reads the same inline Markdown again for
# its formatting, and where its reading cannot differ (see `inline_children`) takes these instead of a parse.
_LAST_INLINE: dict[str, list[Any]] = {}
on_forget(_LAST_INLINE.clear)


def inline_children(content: str) -> list[Any] | None:
    """The child tokens markdown-it made of inline Markdown `content` in the last article parsed, if it was
    there (None if not). Exactly what `parseInline(content)` gives with this parser's inline rules: the
    article had no link reference definitions (none then resolve a `[label]`), and inline parsing of the
    same string with the same rules and options is the same, whatever block it sits in."""
    return _LAST_INLINE.get(content)


def _remember_inline(tokens: list[Any], env: Mapping[str, Any]) -> None:
    _LAST_INLINE.clear()  # one article's at a time: bounded whoever calls, with or without forget_article
    if "references" not in env:  # the reference rule adds the key only when the article defines one
        for tok in tokens:
            if tok.type == "inline":
                _LAST_INLINE[tok.content] = tok.children or []


def parse_markdown(text: str, path: str, meta: Mapping[str, Any] | None = None) -> Document:
    """Parse one article into a Document; never raises on any text."""
    meta = dict(meta or {})
    text = read_note_syntax(text)
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    _remember_inline(tokens, env)
    blocks: list[Block] = []
    section: list[tuple[int, str]] = []
    heading_path: tuple[str, ...] = ()  # the headings of `section`, as each block records them (made once per heading)
    lists: list[tuple[int, bool]] = []  # (list id, ordered) for each open list
    list_counter = 0
    quote_depth = 0
    header: tuple[str, ...] = ()
    row: list[str] = []
    row_line = 0
    in_head = False
    dt: str | None = None
    skips = _Skips()
    pending_images: tuple[Image, ...] = ()
    too_deep: list[int] = []  # lines of containers whose content the parser skipped
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        t = tok.type
        line = tok.map[0] + 1 if tok.map else 0
        skips.see(tok)
        if tok.level >= MAX_NESTING - 1 and t in _CONTAINERS and tokens[i + 1].nesting == -1:
            too_deep.append(line)
        if t == "heading_open":
            level = int(tok.tag[1])
            plain, emph, _ = _inline_text(tokens[i + 1])
            plain = _said_once(plain)
            while section and section[-1][0] >= level:
                section.pop()
            section.append((level, plain))
            blocks.append(_block("heading", plain, line, heading_path[: len(section) - 1], [], emph,
                                 tokens[i + 1].content, level=level))
            heading_path = tuple([s for _, s in section])
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            list_counter += 1
            lists.append((list_counter, t == "ordered_list_open"))
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "blockquote_open":
            quote_depth += 1
        elif t == "blockquote_close":
            quote_depth -= 1
        elif t == "thead_open":
            in_head, header = True, ()
        elif t == "thead_close":
            in_head = False
        elif t == "tr_open":
            row, row_line = [], line
        elif t in ("th_open", "td_open"):
            row.append(_inline_text(tokens[i + 1])[0])
        elif t == "tr_close":
            if in_head:
                header = tuple(row)
            elif any(row):
                text_row = " | ".join(c for c in row)
                blocks.append(_block("table_row", text_row, row_line, heading_path, [Sentence(text_row, row_line)],
                                     (), text_row, cells=tuple(row), header=header))
        elif t == "dt_open":
            dt = _inline_text(tokens[i + 1])[0]
        elif t == "html_block":
            # Kept raw (never shown on a card): components can carry an author's own flashcards.
            raw = tok.content.rstrip("\n")
            if raw.strip():
                blocks.append(_block("html", raw, line, heading_path, [], (), raw))
        elif t == "code_block" or t == "fence":
            code = tok.content.rstrip("\n")
            if code.strip():
                blocks.append(_block("code", code, line, heading_path, [], (), code))
        elif t == "inline" and tokens[i - 1].type == "paragraph_open":
            plain, emph, breaks = _inline_text(tok)
            images = _images(tok, line)
            if images and not plain:
                # An image alone in its paragraph illustrates the text just before it (else the next block).
                if blocks and blocks[-1].kind != "heading" and blocks[-1].section == heading_path:
                    blocks[-1] = replace(blocks[-1], images=blocks[-1].images + images)
                else:
                    pending_images += images
            images, pending_images = pending_images + images if plain else (), () if plain else pending_images
            if not plain and tok.content.lstrip().startswith("<"):
                # A paragraph that is only an inline component (`<Carousel :cards="[...]" />`): raw, like HTML.
                blocks.append(_block("html", tok.content, line, heading_path, [], (), tok.content))
            if plain:
                if dt is not None and _inside(tokens, i, "dd_open"):
                    # A term may have several definitions, so dt stays set until the list closes.
                    blocks.append(_block("definition", plain, line, heading_path, _sentences(plain, line, breaks),
                                         emph, tok.content, cells=(dt, plain), images=images))
                else:
                    kind = "list_item" if lists and _inside(tokens, i, "list_item_open") else (
                        "quote" if quote_depth else "paragraph")
                    lid, ordered = lists[-1] if kind == "list_item" else (-1, False)
                    blocks.append(_block(kind, plain, line, heading_path, _sentences(plain, line, breaks), emph,
                                         tok.content, list_id=lid, ordered=ordered,
                                         depth=len(lists) + quote_depth, images=images))
        elif t == "dl_close":
            dt = None
        i += 1
    blocks = skips.apply(blocks)
    title = _title(meta, blocks, path)
    warnings: tuple[GeneratorError, ...] = ()
    if too_deep:
        more = f" (and {len(too_deep) - 1} more places)" if len(too_deep) > 1 else ""
        warnings = (GeneratorError(f"lists or quotes nested too deeply; the text inside them is skipped{more}",
                                   path, too_deep[0]),)
    return Document(path=path, title=title, meta=meta, blocks=tuple(blocks), stem=PurePath(path).stem,
                    warnings=warnings)


class _Skips:
    """Blocks the author excluded with HTML comments.

    `<!-- certdeck: skip -->` excludes the next block (a paragraph, a whole list, table or quote; before a
    heading, its whole section); `<!-- certdeck: off -->` ... `<!-- certdeck: on -->` excludes a stretch.
    """

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []  # 1-based first and last line excluded
        self.sections: list[tuple[int, int]] = []  # (heading line, level) of excluded sections
        self.pending: int | None = None  # nesting level of a `skip` waiting for its block
        self.off_from: int | None = None

    def see(self, tok: Any) -> None:
        if tok.type == "html_block":
            for m in _DIRECTIVE.finditer(tok.content):
                word, line = m.group(1).lower(), tok.map[0] + 1
                if word == "skip":
                    self.pending = tok.level
                elif word == "off" and self.off_from is None:
                    self.off_from = line
                elif word == "on" and self.off_from is not None:
                    self.ranges.append((self.off_from, line))
                    self.off_from = None
        elif self.pending is not None and tok.nesting == 1 and tok.level == self.pending and tok.map:
            if tok.type == "heading_open":
                self.sections.append((tok.map[0] + 1, int(tok.tag[1])))
            else:
                self.ranges.append((tok.map[0] + 1, tok.map[1]))
            self.pending = None

    def apply(self, blocks: list[Block]) -> list[Block]:
        ranges = list(self.ranges)
        if self.off_from is not None:
            ranges.append((self.off_from, 1 << 62))
        ranges.extend(self._section_ranges(blocks))
        if not ranges:
            return blocks
        # Merged and searched by bisection: an article full of directives stays linear, not blocks x ranges.
        merged: list[list[int]] = []
        for a, z in sorted(ranges):
            if merged and a <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], z)
            else:
                merged.append([a, z])
        starts = [a for a, _ in merged]

        def skipped(line: int) -> bool:
            k = bisect_right(starts, line) - 1
            return k >= 0 and line <= merged[k][1]

        return [replace(b, skip=True) if skipped(b.line) else b for b in blocks]

    def _section_ranges(self, blocks: list[Block]) -> list[tuple[int, int]]:
        """(first, last line) of each skipped section: up to the next heading of the same or a higher level."""
        if not self.sections:
            return []
        out: list[tuple[int, int]] = []
        starts = sorted(self.sections)
        open_: list[tuple[int, int]] = []  # (start, level), levels increasing
        k = 0
        for b in blocks:
            if b.kind != "heading":
                continue
            while k < len(starts) and starts[k][0] < b.line:
                open_.append(starts[k])
                k += 1
            while open_ and open_[-1][1] >= b.level and open_[-1][0] < b.line:
                out.append((open_.pop()[0], b.line - 1))
        open_.extend(starts[k:])
        out.extend((start, 1 << 62) for start, _ in open_)
        return out


def _inside(tokens: list[Any], i: int, opener: str) -> bool:
    """Whether the paragraph at tokens[i] sits directly in a block opened by `opener`."""
    depth = tokens[i].level - 2  # inline is 1 deeper than paragraph_open, which is 1 deeper than its parent
    for j in range(i - 1, -1, -1):
        if tokens[j].level == depth and tokens[j].nesting == 1:
            return bool(tokens[j].type == opener)
    return False


_EXERCISE_HEADING = re.compile(r"^\s*(?:\[\d+\]|\d+[.)]|Q\d+\b|Question\b)|.*\?", re.I)


_MENU_WORDS = frozenset(
    "home about contact blog posts writeups archive archives tags categories search projects resume cv "
    "portfolio menu subscribe login signup".split()
)


def _said_once(heading: str) -> str:
    """"SHORING SHORING" (a plain-text file's title line typed twice above its rule) said once."""
    words = heading.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return heading


def _site_menu(heading: str) -> bool:
    """A pasted site's menu bar ("About Writeups Contact"): two or more of its few words are menu names."""
    words = heading.lower().split()
    return len(words) <= 6 and sum(w in _MENU_WORDS for w in words) >= 2


_PART_LABEL = re.compile(r"^\W*(?:part|chapter|section|unit|module|day|week|lesson)\s+[\dIVX]+\W*$", re.I)


def _title(meta: Mapping[str, Any], blocks: list[Block], path: str) -> str:
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    headings = [b for b in blocks if b.kind == "heading" and not _site_menu(b.text)]
    # The first level-1 heading: a pasted page's menu lines above its title read as smaller headings.
    first = next((b.text for b in headings if b.level == 1 and not _PART_LABEL.match(b.text)),
                 headings[0].text if headings else "")
    if first and not _EXERCISE_HEADING.match(first):
        return first
    # Exercise notes open on their first question ("[1] What is MongoDB?"): the file names the deck.
    return PurePath(path).stem.replace("-", " ").replace("_", " ").strip() or "Untitled"


def _block(kind: Any, text: str, line: int, section: tuple[str, ...], sentences: list[Sentence],
           emphasis: tuple[str, ...], markup: str, **kw: Any) -> Block:
    return Block(kind, text, line, section, tuple(sentences), emphasis, markup, **kw)


def _sentences(plain: str, line: int, breaks: list[int]) -> list[Sentence]:
    out = []
    for start in range(0, len(plain), _MAX_BLOCK_CHARS):
        for offset, sent in split_sentences(plain[start : start + _MAX_BLOCK_CHARS]):
            at = start + offset
            out.append(Sentence(sent, line + bisect_right(breaks, at)))  # breaks are ascending
    return out


def _images(inline: Any, line: int) -> tuple[Image, ...]:
    """The Markdown images of an inline token, each with the line it is on."""
    found, at = [], line
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            at += 1
        elif child.type == "image":
            found.append(Image(str(child.attrGet("src") or ""), child.content, at))
    return tuple(found)


def _inline_text(inline: Any) -> tuple[str, tuple[str, ...], list[int]]:
    """(plain text, emphasised spans, offsets of line breaks) of an inline token."""
    parts: list[str] = []
    length = 0
    spans: list[tuple[int, int]] = []  # emphasised (start, end) offsets, cut out once the text is joined
    open_at: list[int] = []
    breaks: list[int] = []
    for child in inline.children or ():
        t = child.type
        piece = ""
        if t in ("text", "code_inline"):
            piece = child.content
        elif t in ("softbreak", "hardbreak"):
            piece = " "
            breaks.append(length + 1)
        elif t in ("strong_open", "mark_open"):
            open_at.append(length)
        elif t in ("strong_close", "mark_close") and open_at:
            spans.append((open_at.pop(), length))
        elif t == "html_inline":
            tag = child.content.lower()
            if tag.startswith(("<dfn", "<b>", "<strong")):
                open_at.append(length)
            elif tag.startswith(("</dfn", "</b>", "</strong")) and open_at:
                spans.append((open_at.pop(), length))
        if piece:
            parts.append(piece)
            length += len(piece)
    joined = "".join(parts)
    emphasis = [_collapse_spaces(_without_attrs(joined[start:end])) for start, end in spans
                if end - start <= _MAX_EMPHASIS_CHARS]
    plain = _without_attrs(joined)
    # Line-break offsets are approximate once spaces collapse; they only place sentences on lines.
    shift = len(plain) - len(plain.lstrip())
    return _collapse_spaces(plain), tuple(e for e in emphasis if e), [b - shift for b in breaks]


def _without_attrs(text: str) -> str:
    """`text` without kramdown attribute lists (`{: ...}`); most text has none, so no scan."""
    return _KRAMDOWN_ATTRS.sub("", text) if "{:" in text else text


def _collapse_spaces(text: str) -> str:
    """Runs of white space as one space, none at the ends: `_SPACES.sub(" ", text).strip()` (`\\s` is exactly
    what str.split and str.strip take for white space), without a regex match per word."""
    return " ".join(text.split())
