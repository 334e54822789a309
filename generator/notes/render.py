"""Field HTML: how a fact's text, and any Markdown inside it, becomes the HTML of an Anki field.

Facts carry plain text (markup removed) with cloze gaps as offsets into it. The formatting the author
wrote (emphasis, inline code) is carried back from the block's Markdown by aligning the plain text with
a styled reading of that Markdown; `$...$` / `$$...$$` become MathJax `\\(...\\)` / `\\[...\\]`, also
inside and around clozes; lines that look like a list or a table become one. Block Markdown (answers
and extras written by an author) goes through `markdown_html`: lists, tables, code blocks highlighted
by Pygments with inline styles, images through a resolver.

Every field ends in `finish`: the allow-list sanitizer (nh3) removes anything that could run or load
something (script, style, iframe, event handlers, javascript:/data: URLs, foreign image sources), then
`{` and `}` become character references (no source text can open a cloze or close one early), then the
cloze markers are written. Cloze syntax travels as private-use characters until then, so neither
Markdown nor the sanitizer can break it. Besides parse.py, this is the one module that imports
markdown_it (to read a block's inline Markdown for its formatting).
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import compress
from operator import ne
from typing import Any, Callable, Iterable, Sequence

from ..memo import article_cache
from ..model import Gap
from ..parse.markdown import inline_children

# Cloze syntax while HTML is built and sanitized: OPEN + ordinal digits + OPEN_END, HINT, CLOSE.
OPEN, OPEN_END, HINT, CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_PLACEHOLDERS = re.compile("[\ue000-\ue003]")
_CLOZE_REGION = re.compile("\ue000(\\d+)\ue001(.*?)(?:\ue002(.*?))?\ue003", re.S)

# Pandoc's rules: `$` then a non-space, a non-space then `$`, and no digit right after the closing `$`,
# so "costs $5 and $10" stays text. `[^$\n]` cannot pass the next `$`: each span is scanned once.
_MATH = re.compile(r"(?<![\\$])\$\$(?P<display>[^$]+?)\$\$|(?<![\\$\w])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$"
                   r"(?![\d$])")
# Only these start a mark (emphasis, code, strikethrough, inline HTML): a block without any has no formatting.
_MARKING = re.compile(r"[*_`~<]")
_BULLET = re.compile(r"^[ \t]*(?:[-*+•]|(?P<num>\d{1,3})[.)])[ \t]+")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
# Each run of blanks has one place to go (no `[ \t]*` next to another): linear on a line of spaces.
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?(?:[ \t]*\|[ \t]*:?-{2,}:?)*(?:[ \t]*\|)?[ \t]*$")
_KRAMDOWN_ATTRS = re.compile(r"\{:[^{}\n]*\}")
_MAX_ALIGN = 4000  # characters of block text a fact is aligned against; longer blocks keep no formatting

# Marks a character can carry, in the order their tags nest, and the tag each one writes.
_MARK_TAGS = {"strong": "b", "em": "i", "s": "s", "mark": "mark", "sub": "sub", "sup": "sup", "code": "code"}
_MARK_ORDER = tuple(_MARK_TAGS)
_HTML_MARKS = {"b": "strong", "strong": "strong", "dfn": "strong", "i": "em", "em": "em", "code": "code",
               "kbd": "code", "s": "s", "del": "s", "strike": "s", "mark": "mark", "sub": "sub", "sup": "sup"}

Marks = frozenset[str]
NO_MARKS: Marks = frozenset()
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


# ---------------------------------------------------------------------------------------------------
# Sanitizing and finishing

_TAGS = {"b", "strong", "i", "em", "u", "s", "del", "mark", "sub", "sup", "small", "code", "kbd", "pre",
         "span", "div", "p", "br", "hr", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
         "tr", "th", "td", "img", "blockquote", "a"}
_ATTRIBUTES = {"img": {"src", "alt", "title"}, "a": {"href", "title"}, "ol": {"start"},
               "th": {"colspan", "rowspan", "style"}, "td": {"colspan", "rowspan", "style"}, "span": {"style"}}
_CLASSES = {"span": {"cd-crumbs", "cd-file", "cd-origin"}, "pre": {"cd-code"}, "div": {"cd-images"}}
_STYLE_PROPERTIES = {"color", "background-color", "font-weight", "font-style", "text-decoration", "text-align"}
# Removed together with their content (the rest of the text of an unknown tag is kept).
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
                      "textarea", "select", "title", "frameset", "frame", "applet", "canvas", "audio", "video"}
# The names media.py gives packaged images: nothing else may be an image source on a card.
MEDIA_NAME = re.compile(r"^cd-[0-9a-f]{12}-[a-z0-9][a-z0-9_-]{0,59}\.[a-z0-9]{1,5}$")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Only our packaged media (a bare unique name): no remote, data: or path-climbing sources.
        return value if MEDIA_NAME.match(value) else None
    if tag == "a" and attribute == "href":
        return value if re.match(r"^https?://", value, re.I) else None
    return value


# What the sanitizer can change in a fragment with no tags: it parses and re-serializes HTML, which keeps
# every other character as it is (checked for each code point, alone and between letters) and writes our
# own `&amp;` `&lt;` `&gt;` back unchanged. Most fields are plain escaped text and skip the parse.
# Searched as two patterns: one that opens with a character class and one that opens with `&` are each found
# by the regex engine's quick scan for their first character; the alternation of the two is tried at every place.
_NEEDS_SANITIZER_CHAR = re.compile(r"[<>\x00\r\xa0\ufeff\ud800-\udfff]")
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt);)")


# Tags certdeck writes itself (the marks _emit nests, the breadcrumb's spans) that the sanitizer keeps exactly as
# written, attribute included, as long as they nest properly: a fragment made of them and of text that needs no
# sanitizing comes back unchanged, so it skips the parse too.
_OWN_OPEN_TAGS = {f"<{tag}>": tag for tag in ("b", "i", "s", "mark", "sub", "sup", "code", "span")} | {
    '<span class="cd-crumbs">': "span", '<span class="cd-file">': "span"}
_OWN_CLOSE_TAGS = {f"</{tag}>": tag for tag in ("b", "i", "s", "mark", "sub", "sup", "code", "span")}
_TAG_LIKE = re.compile(r"<[^<>]*>")
_NEEDS_SANITIZER_IN_TEXT_CHAR = re.compile(r"[\x00\r\xa0\ufeff\ud800-\udfff]")


def sanitize(fragment: str) -> str:
    """`fragment` reduced to the allow-list: safe tags, attributes, classes, style properties and URLs."""
    if not (_NEEDS_SANITIZER_CHAR.search(fragment) or _BARE_AMPERSAND.search(fragment)) or _only_own_tags(fragment):
        return fragment
    return str(_sanitizer()(fragment))


def _only_own_tags(fragment: str) -> bool:
    """Whether every tag of `fragment` is one of _OWN_OPEN_TAGS / _OWN_CLOSE_TAGS, properly nested, every `<`
    and `>` is part of one, and the text needs no sanitizing: then the sanitizer would return it unchanged."""
    if _NEEDS_SANITIZER_IN_TEXT_CHAR.search(fragment) or _BARE_AMPERSAND.search(fragment):
        return False
    open_tags: list[str] = []
    count = 0
    for m in _TAG_LIKE.finditer(fragment):
        tag = m.group()
        name = _OWN_OPEN_TAGS.get(tag)
        if name is not None:
            open_tags.append(name)
        elif not open_tags or _OWN_CLOSE_TAGS.get(tag) != open_tags.pop():
            return False
        count += 1
    return not open_tags and fragment.count("<") == count == fragment.count(">")


@lru_cache(maxsize=1)
def _sanitizer() -> Callable[[str], str]:
    """nh3 with our allow-list; a reusable Cleaner (nh3 >= 0.2.19) is ~5x faster per field than nh3.clean."""
    import nh3

    options: dict[str, Any] = dict(
        tags=_TAGS, clean_content_tags=_DROP_WITH_CONTENT, attributes=_ATTRIBUTES, attribute_filter=_attribute_filter,
        strip_comments=True, url_schemes={"http", "https"}, allowed_classes=_CLASSES,
        filter_style_properties=_STYLE_PROPERTIES)
    if hasattr(nh3, "Cleaner"):
        return nh3.Cleaner(**options).clean  # type: ignore[no-any-return]
    return lambda fragment: nh3.clean(fragment, **options)  # type: ignore[no-any-return]


def finish(fragment: str) -> str:
    """Sanitize, protect braces, and turn cloze placeholders into Anki's `{{cN::answer::hint}}`."""
    clean = no_av_tags(sanitize(fragment))
    clean = clean.replace("{", "&#123;").replace("}", "&#125;")
    if clean.isascii():  # a flag, not a scan: no placeholder is ASCII
        return clean
    # A `::` inside an answer would start a hint: colons there become references too.
    clean = _CLOZE_REGION.sub(_cloze_markup, clean)
    return _PLACEHOLDERS.sub("", clean)


# Anki plays `[sound:FILE]` and speaks `[anki:tts ...]` wherever a field holds one: from source text that
# is never a tag, so its `[` is written as a reference (the card shows the same text, nothing plays).
_AV_TAG = re.compile(r"\[(?=\s*(?:sound|anki)\s*:)", re.IGNORECASE)


def no_av_tags(fragment: str) -> str:
    """`fragment` with every `[sound:` / `[anki:` written as text, so Anki plays and speaks nothing."""
    return _AV_TAG.sub("&#91;", fragment) if "[" in fragment else fragment


def safe_field(value: str) -> str:
    """A field that did not come from this build (the lock file's last content of a note) made as safe as a
    fresh one: the same allow-list sanitizer, and no sound or TTS tag. Its cloze markup is kept."""
    return no_av_tags(sanitize(value))


def _cloze_markup(m: re.Match[str]) -> str:
    answer = m.group(2).replace(":", "&#58;")
    hint = "" if m.group(3) is None else "::" + m.group(3).replace(":", "&#58;")
    return f"{{{{c{m.group(1)}::{answer}{hint}}}}}"


def field_problems(field: str) -> list[str]:
    """What in a finished field could run or load something (empty for every field certdeck writes)."""
    checks = (
        (r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|link|meta|base|form|frame)\b", "forbidden tag"),
        (r"<[^>]*[\s/]on[a-z]+\s*=", "event handler attribute"),
        (r"(href|src)\s*=\s*[\"']?\s*(javascript|data|vbscript|file)\s*:", "javascript:/data: URL"),
    )
    problems = [label for pattern, label in checks if re.search(pattern, field, re.I)]
    for m in re.finditer(r"<img\b[^>]*?\ssrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", field, re.I):
        if not MEDIA_NAME.match(html.unescape(m.group(1) or m.group(2) or m.group(3) or "")):
            problems.append("image that is not packaged media")
    return problems


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
        if _BULLET.match(line):
            ordered = bool(_BULLET.match(line).group("num"))  # type: ignore[union-attr]
            tag = "ol" if ordered else "ul"
            items = []
            while i < len(spans) and (m := _BULLET.match(text[spans[i][0] : spans[i][1]])) \
                    and bool(m.group("num")) == ordered:
                items.append(f"<li>{_emit(text, spans[i][0] + m.end(), spans[i][1], marks, gaps)}</li>")
                i += 1
            out.append(f"<{tag}>{''.join(items)}</{tag}>")
            continue
        if _TABLE_ROW.match(line):
            rows = []
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


@lru_cache(maxsize=256)  # a few combinations of marks, asked at every change of marks
def _ordered(marks: Marks) -> tuple[str, ...]:
    return tuple(m for m in _MARK_ORDER if m in marks)


# ---------------------------------------------------------------------------------------------------
# Formatting carried from the block's Markdown onto the fact's plain text


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
    """The plain text of inline Markdown (as parse.py reads it) with each character's marks."""
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
    """`text` with runs of white space as one space and none at the ends, as parse.py collapses it, each run
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


# Nesting deeper than this many `[` could reach the parsers' limits, which differ (20 here, 40 in parse.py).
_MAX_SHARED_BRACKETS = 8


def _inline_tokens(markup: str) -> list[Any]:
    """The child tokens of `markup` read as inline Markdown by `_inline_parser`.

    parse.py has read most block Markdown already, with the same rules but for math (`$`) and strikethrough
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
