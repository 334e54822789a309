"""Field HTML: how a fact's text, and any Markdown inside it, becomes the HTML of an Anki field.

Facts carry plain text (markup removed) with cloze gaps as offsets into it. The formatting the author
wrote (emphasis, inline code) is carried back from the block's Markdown (marks.py); `$...$` / `$$...$$`
become MathJax `\\(...\\)` / `\\[...\\]`, also inside and around clozes; lines that look like a list or
a table become one. Block Markdown (answers and extras written by an author) goes through
`markdown_html`: lists, tables, code blocks highlighted by Pygments with inline styles, images through a
resolver. Every field ends in `finish` (finish.py). Cloze syntax travels as private-use characters until
then, so neither Markdown nor the sanitizer can break it.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from operator import ne
from typing import Any

from ..memo import article_cache
from ..model import Gap
from .finish import _PLACEHOLDERS, CLOSE, HINT, OPEN, OPEN_END, finish
from .marks import Marks, _marks_for

# Pandoc's rules: `$` then a non-space, a non-space then `$`, and no digit right after the closing `$`,
# so "costs $5 and $10" stays text. `[^$\n]` cannot pass the next `$`: each span is scanned once.
_MATH = re.compile(r"(?<![\\$])\$\$(?P<display>[^$]+?)\$\$|(?<![\\$\w])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$"
                   r"(?![\d$])")
_BULLET = re.compile(r"^[ \t]*(?:[-*+•]|(?P<num>\d{1,3})[.)])[ \t]+")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
# Each run of blanks has one place to go (no `[ \t]*` next to another): linear on a line of spaces.
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?(?:[ \t]*\|[ \t]*:?-{2,}:?)*(?:[ \t]*\|)?[ \t]*$")

# Marks a character can carry, in the order their tags nest, and the tag each one writes.
_MARK_TAGS = {"strong": "b", "em": "i", "s": "s", "mark": "mark", "sub": "sub", "sup": "sup", "code": "code"}
_MARK_ORDER = tuple(_MARK_TAGS)

ImageResolver = Callable[[str], "str | None"]  # Markdown image source -> media name, or None to leave out


# ---------------------------------------------------------------------------------------------------
# Public field builders


@article_cache(1024)  # an article's notes repeat their cues and sentences (half the calls on a corpus)
def text_field(text: str, markup: str = "") -> str:
    """Field HTML for plain text (a sentence, question, answer or cue), with `markup`'s formatting."""
    return finish(_fragment(text, (), markup))


def cloze_field(text: str, gaps: Sequence[Gap], markup: str = "") -> str:
    """Field HTML with Anki cloze markup for `gaps` (offsets into `text`), everything else escaped."""
    return finish(_fragment(text, gaps, markup))


def source_field(title: str, section: Sequence[str], path: str, line: int | None = None) -> str:
    """The breadcrumb on a card's back: article › section › subsection, then the file (and line, if given)."""
    return _source_field(title, tuple(section), path, line)


@article_cache(256)  # the same for every note of a section
def _source_field(title: str, section: tuple[str, ...], path: str, line: int | None) -> str:
    crumbs = " › ".join(dict.fromkeys((title, *section)))
    where = _esc(path) + (f", line {int(line)}" if line is not None else "")
    return finish(f'<span class="cd-crumbs">{_esc(crumbs)}</span> <span class="cd-file">{where}</span>')


def images_html(images: Iterable[tuple[str, str]]) -> str:
    """`<img>` tags for (media name, alt text) pairs."""
    return "".join(f'<img src="{html.escape(name)}" alt="{html.escape(alt)}">' for name, alt in images)


def markdown_html(markdown: str, images: ImageResolver | None = None) -> str:
    """Field HTML for a piece of block Markdown: paragraphs, lists, tables, code, math, images, clozes."""
    return finish(_markdown_fragment(markdown, images))


def _esc(text: str) -> str:
    """html.escape(text, quote=False), without its extra call."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------------
# Plain text with gaps -> HTML fragment (placeholders for clozes, not yet sanitized)


def _fragment(text: str, gaps: Sequence[Gap], markup: str) -> str:
    if not text.isascii():  # no placeholder is ASCII
        text = _PLACEHOLDERS.sub("", text)
    marks = _marks_for(text, markup)
    if "\n" not in text.strip("\n"):
        return _emit(text, 0, len(text), marks, gaps)
    return _lines(text, marks, gaps)


def _lines(text: str, marks: Sequence[Marks], gaps: Sequence[Gap]) -> str:
    """Multi-line text: runs of bullet lines become lists, runs of `| a | b |` rows a table."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    out: list[str] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        line = text[s:e]
        first = _BULLET.match(line)
        if first:
            ordered = bool(first.group("num"))
            tag = "ol" if ordered else "ul"
            items = []
            while i < len(spans) and (m := _BULLET.match(text[spans[i][0] : spans[i][1]])) \
                    and bool(m.group("num")) == ordered:
                items.append(f"<li>{_emit(text, spans[i][0] + m.end(), spans[i][1], marks, gaps)}</li>")
                i += 1
            out.append(f"<{tag}>{''.join(items)}</{tag}>")
            continue
        if _TABLE_ROW.match(line):
            rows: list[str] = []
            header = i + 1 < len(spans) and bool(_TABLE_RULE.match(text[spans[i + 1][0] : spans[i + 1][1]]))
            while i < len(spans) and _TABLE_ROW.match(text[spans[i][0] : spans[i][1]]):
                rs, re_ = spans[i]
                if not _TABLE_RULE.match(text[rs:re_]):
                    cell = "th" if header and not rows else "td"
                    rows.append("<tr>" + "".join(f"<{cell}>{_emit(text, cs, ce, marks, gaps)}</{cell}>"
                                                 for cs, ce in _cells(text, rs, re_)) + "</tr>")
                i += 1
            out.append(f"<table>{''.join(rows)}</table>")
            continue
        if line.strip():
            out.append(f"<div>{_emit(text, s, e, marks, gaps)}</div>")
        i += 1
    return "".join(out)


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    row = text[start:end]
    first, last = row.index("|"), row.rindex("|")
    cells, pos = [], first + 1
    for m in re.finditer(r"(?<!\\)\|", row[first + 1 : last + 1]):
        cs, ce = pos, first + 1 + m.start()
        raw = row[cs:ce]
        lead = len(raw) - len(raw.lstrip())
        cells.append((start + cs + lead, start + cs + len(raw.rstrip())))
        pos = ce + 1
    return cells


def _emit(text: str, start: int, end: int, marks: Sequence[Marks], gaps: Sequence[Gap]) -> str:
    """HTML for text[start:end]: marks as nested tags, math as MathJax, gaps (clipped) as placeholders."""
    if not marks and not gaps and "$" not in text[start:end]:
        return _esc(text[start:end])  # nothing to mark: what the loop below writes for a single run
    opens: dict[int, int] = {}  # position -> ordinal of the gap opening there
    closes: dict[int, str] = {}  # position -> hint of the gap closing there ("" for none)
    for gap in gaps:
        s, e = max(gap.start, start), min(gap.end, end)
        if s < e:
            opens[s] = gap.ordinal
            closes[e] = gap.hint if e == gap.end else ""
    out: list[str] = []
    if not marks and "$" not in text[start:end]:
        # No marks and no math (most cloze fields): escaped runs between gap edges, each edge's markers (a gap
        # closing before one opening) between them, as the loop below writes them in that case.
        pos = start
        for i in sorted({*opens, *closes}):
            out.append(_esc(text[pos:i]))
            if i in closes:
                out.append(HINT + _esc(closes[i]) + CLOSE if closes[i] else CLOSE)
            if i in opens:
                out.append(f"{OPEN}{opens[i]}{OPEN_END}")
            pos = i
        out.append(_esc(text[pos:end]))
        return "".join(out)
    stack: list[str] = []

    def set_marks(want: Sequence[str]) -> None:
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] == want[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(f"</{_MARK_TAGS[stack.pop()]}>")
        for mark in want[keep:]:
            out.append(f"<{_MARK_TAGS[mark]}>")
            stack.append(mark)

    def marker(i: int) -> None:
        # Tags never straddle a cloze boundary: close them, write the marker, reopen as needed.
        if i in closes:
            set_marks(())
            out.append((HINT + _esc(closes[i]) if closes[i] else "") + CLOSE)
        if i in opens:
            set_marks(())
            out.append(f"{OPEN}{opens[i]}{OPEN_END}")

    # Math needs a `$` in the range: without one the pattern is not tried at every place of it.
    math = {m.start(): m for m in _MATH.finditer(text, start, end)} if text.find("$", start, end) >= 0 else {}
    # Where something happens (a gap edge, math, a change of marks): the text between two such points is
    # written as one escaped run, which is what writing it character by character gives.
    stops = {*opens, *closes, *math, end}
    if marks:
        # Each k with marks[k] != marks[k - 1], compared at C level rather than one Python step a character.
        stops.update(compress(range(start + 1, end), map(ne, marks[start + 1 : end], marks[start : end - 1])))
    ordered_stops = sorted(stops)
    i = start
    while i < end:
        marker(i)
        m = math.get(i)
        if not m:
            set_marks(_ordered(marks[i]) if marks else ())
            j = ordered_stops[bisect_right(ordered_stops, i)]
            out.append(_esc(text[i:j]))
            i = j
            continue
        # Math is one unit for marks; gaps may sit around it or inside it (Anki reveals clozes in MathJax).
        group = "display" if m.group("display") is not None else "inline"
        body_start, body_end = m.start(group), m.end(group)
        for j in range(i + 1, body_start):
            marker(j)
        set_marks(_ordered(marks[i] - {"code"}) if marks else ())
        out.append("\\[" if group == "display" else "\\(")
        for j in range(body_start, body_end):
            if j in closes:
                out.append((HINT + _esc(closes[j]) if closes[j] else "") + CLOSE)
            if j in opens:
                out.append(f"{OPEN}{opens[j]}{OPEN_END}")
            out.append(_esc(text[j]))
        if body_end in closes:
            hint = closes.pop(body_end)
            out.append((HINT + _esc(hint) if hint else "") + CLOSE)
        out.append("\\]" if group == "display" else "\\)")
        for j in range(body_end + 1, m.end()):
            marker(j)
        i = m.end()
    set_marks(())
    marker(end)
    return "".join(out)


def _ordered(marks: Marks) -> tuple[str, ...]:
    return tuple(m for m in _MARK_ORDER if m in marks)


# ---------------------------------------------------------------------------------------------------
# Block Markdown -> HTML fragment


def _markdown_fragment(markdown: str, images: ImageResolver | None) -> str:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"maxNesting": 20, "html": True}).enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    for rule, display in (("math_inline", False), ("math_inline_double", True), ("math_block", True),
                          ("math_block_label", True)):
        md.add_render_rule(rule, _math_rule(display))
    md.add_render_rule("fence", lambda _self, tokens, idx, _options, _env: _code_block(tokens[idx].content,
                                                                                       tokens[idx].info))
    md.add_render_rule("code_block", lambda _self, tokens, idx, _options, _env: _code_block(tokens[idx].content,
                                                                                            ""))

    def image(_self: Any, tokens: Any, idx: int, _options: Any, _env: Any) -> str:
        tok = tokens[idx]
        name = images(str(tok.attrGet("src") or "")) if images else None
        if not name:
            return ""
        alt = "".join(c.content for c in tok.children or ())
        return images_html([(name, alt)])

    md.add_render_rule("image", image)
    return str(md.render(_cloze_placeholders(_PLACEHOLDERS.sub("", markdown))))


def _math_rule(display: bool) -> Callable[..., str]:
    def render(_self: Any, tokens: Any, idx: int, _options: Any, _env: Any) -> str:
        body = _esc(tokens[idx].content.strip())
        return f"\\[{body}\\]" if display else f"\\({body}\\)"

    return render


def _cloze_placeholders(markdown: str) -> str:
    """Author cloze syntax `{{cN::answer::hint}}` as placeholders that survive Markdown and sanitizing."""
    from ..text import find_clozes

    # Neither answer nor hint holds `{{` or `}}` (tempered); found by a linear scan, not a backtracking regex.
    out, pos = [], 0
    for start, end, digits, answer, hint in find_clozes(markdown, tempered=True):
        out.append(markdown[pos:start])
        out.append(f"{OPEN}{digits}{OPEN_END}{answer}{'' if hint is None else HINT + hint}{CLOSE}")
        pos = end
    out.append(markdown[pos:])
    return "".join(out)


def _code_block(code: str, info: str) -> str:
    """A code block highlighted by Pygments with inline styles (no external CSS, no classes)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    language = info.strip().split()[0] if info.strip() else ""
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    body = highlight(code, lexer, HtmlFormatter(nowrap=True, noclasses=True, style="github-dark"))
    return f'<pre class="cd-code"><code>{body.rstrip(chr(10))}</code></pre>\n'
