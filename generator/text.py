"""Small, pure text helpers shared by the stages: sentence splitting, normalising, word lists."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import filterfalse
from typing import NamedTuple

from .memo import article_cache

# Candidate sentence ends: terminal punctuation, optional closing quotes/brackets, then space.
# The lookbehind starts a match only at the first mark of a run: "!!!!..." is scanned once, not once per mark.
# It follows the first mark (`(?<![.!?…]).` before it, as a pair) so that the pattern opens with a character
# class, which the regex engine finds by a quick scan instead of trying the pattern at every place.
_BOUNDARY = re.compile(r"[.!?…](?<![.!?…].)[.!?…]*[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "dr mr mrs ms prof sr jr st vs etc e.g i.e eg ie fig no vol pp al approx ca cf dept est inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k mt ft min max".split()
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just let me
    more most my myself now of off on once only or other our ours ourselves out over own same she should
    so some such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves may might must shall one not no nor""".split()
)
_is_stop_word = STOP_WORDS.__contains__
PRONOUNS = frozenset(
    "it this that they these those he she we you i them him her its their our your his there here one".split()
)
# Words that open a prompt a learner cannot read alone ("It creates...", "They may...").
LEADING_PRONOUNS = frozenset("it this that they these those he she we you i".split())
_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "edly", "ies", "ied", "ed",
             "ers", "er", "ly", "es", "s")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split plain text into (offset, sentence) pairs; linear in the input, no backtracking."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start : m.start()].rsplit(None, 1)
        last = before[-1].lower().rstrip(".") if before else ""
        if text[m.start()] == "." and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
            continue
        piece = text[start : m.end()].strip()
        if piece:
            out.append((start + _lead(text, start), piece))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append((start + _lead(text, start), tail))
    return out


def _lead(text: str, start: int) -> int:
    n = start
    while n < len(text) and text[n].isspace():
        n += 1
    return n - start


def words(text: str) -> list[str]:
    """Word tokens of `text`, as written."""
    return _WORD.findall(text)


def content_words(text: str) -> list[str]:
    """Lower-cased words of `text` that are not stop words."""
    return list(_content_words(text))


@article_cache(1 << 12)  # per-article reuse is what pays; a bounded cache keeps workers small
def _content_words(text: str) -> tuple[str, ...]:
    # Memoised: the rules ask for the same sentences' words many times (callers get their own list).
    # ASCII text can be lower-cased before the scan (same words, one call); other text may change length.
    if not text.isascii():
        found = [w.lower() for w in _WORD.findall(text)]
    elif "'" in text:
        found = _WORD.findall(text.lower())
    else:  # without an apostrophe a word is a run of letters and digits: split where there is none
        found = text.lower().translate(_NOT_WORD_TO_SPACE).split()
    return tuple(filterfalse(_is_stop_word, found))


# Every ASCII character `_WORD` cannot match (all but letters and digits; the apostrophe is handled apart).
_NOT_WORD_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


# Kept across articles: 4.8 s of CPU for 100 articles with this and the other lru_caches, 5.8 s without
# (bench/, medians of 5 interleaved runs, 2026-12-07); the others saved 4% together and went.
@lru_cache(maxsize=1 << 14)
def stem(word: str) -> str:
    """A crude stem that over-merges (``treat``/``treatment``): used where a false match is the safe side."""
    w = word.lower().replace("’", "'").split("'")[0]
    if len(w) <= 3 or w.isdigit():
        return w
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix in ("ing", "ings", "ed", "edly", "er", "ers") and len(w) > 3 and w[-1] == w[-2] \
                    and w[-1] not in "aeiouls":
                w = w[:-1]  # "planning" -> "plan", "stopped" -> "stop"
            break
    return w[:6]


def stems(text: str) -> set[str]:
    """Stems of the content words of `text`."""
    return set(_stems(text))


@article_cache(1 << 12)
def _stems(text: str) -> frozenset[str]:
    return frozenset(map(stem, _content_words(text)))


def content_stems(text: str) -> tuple[str, ...]:
    """Stems of the content words of `text`, in order and with repeats."""
    return tuple(map(stem, _content_words(text)))


def count_content_words(text: str) -> int:
    """`len(content_words(text))`, without copying the memoised words."""
    return len(_content_words(text))


# `stems(text)` as the memoised frozenset itself, for read-only tests in hot loops: no copy, no extra call.
stem_set = _stems


class _StemIndex(NamedTuple):
    starts: tuple[int, ...]  # offsets of the words `_WORD` finds, in order
    ends: tuple[int, ...]
    first: dict[str, int]  # stem of a content word -> index of its first word
    last: dict[str, int]  # ... and of its last word


@article_cache(1 << 12)
def _stem_index(text: str) -> _StemIndex:
    # ASCII text is lower-cased before the scan: same offsets, same words, one call instead of one a word.
    ascii_text = text.isascii()
    matches = list(_WORD.finditer(text.lower() if ascii_text else text))
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, m in enumerate(matches):
        low = m.group(0) if ascii_text else m.group(0).lower()
        if low not in STOP_WORDS:
            word_stem = stem(low)
            if word_stem not in first:
                first[word_stem] = i
            last[word_stem] = i
    return _StemIndex(tuple([m.start() for m in matches]), tuple([m.end() for m in matches]), first, last)


_NONE: frozenset[str] = frozenset()


def stems_outside(text: str, start: int, end: int, wanted: Iterable[str]) -> bool:
    """Whether every stem in `wanted` is in `stems(text[:start] + " " + text[end:])`, without building and
    scanning that string: the gap rules ask this of every candidate span of a sentence.

    Exact, not approximate: `_WORD` has no lookbehind and no match holds a space, so the words of the
    prefix are the sentence's words that end by `start` plus a rescan of the piece a word cut by `start`
    leaves; the words of the suffix are those starting at or after `end`, unless `end` cuts a word, when
    the suffix is rescanned whole.
    """
    index = _stem_index(text)
    n = len(index.starts)
    k = bisect_right(index.ends, start)  # words[:k] lie wholly before `start`
    # Between two words `_WORD` finds there is no letter or digit: the piece after words[:k] holds a word
    # only where `start` cuts words[k] (most gaps start at a word: no slice, no memo look-up).
    cut = _stems(text[index.ends[k - 1] if k else 0 : start]) if k < n and index.starts[k] < start else _NONE
    j = bisect_left(index.starts, end)  # words[j:] lie wholly after `end`
    after = _NONE
    if j and index.ends[j - 1] > end:  # `end` falls inside a word: the suffix starts mid-word
        after, j = _stems(text[end:]), n
    first, last = index.first, index.last
    for w in wanted:  # noqa: SIM110 - a plain loop: this runs for every candidate gap, and all(<genexpr>) costs more
        if not (first.get(w, n) < k or last.get(w, -1) >= j or w in cut or w in after):
            return False
    return True


_NORMAL_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _folded(text: str) -> str:
    """What `normalize` finds words in: NFKC, curly quotes and long dashes made plain, lower case."""
    if text.isascii():  # ASCII text is already NFKC and has no curly quotes or long dashes
        return text.lower()
    if not unicodedata.is_normalized("NFKC", text):  # a fast check: most text with a curly quote already is
        text = unicodedata.normalize("NFKC", text)
    # One replace a character: the same as translate() with the six of them, many times faster.
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return text.replace("—", "-").replace("–", "-").lower()


def normalize(text: str) -> str:
    """Fold case, quotes, dashes and spacing, for comparing and keying facts."""
    return " ".join(_NORMAL_WORD.findall(_folded(text)))


def normalizes_to_any(text: str, normals: Iterable[str]) -> bool:
    """Whether `normalize(text)` is one of `normals` (each a `normalize` result); a long text whose first
    word opens none of them is not normalized whole (its normal form opens with that word)."""
    normals = tuple(normals)
    folded = _folded(text)
    first = _NORMAL_WORD.search(folded)
    head = first.group() if first else ""
    if all(n.partition(" ")[0] != head for n in normals):
        return False
    return " ".join(_NORMAL_WORD.findall(folded)) in normals


def slugify(text: str) -> str:
    """A lower-case, dash-separated tag or file name made of `text`'s words."""
    return "-".join(normalize(text).replace("'", "").split())[:60] or "untitled"


# A word of a tag made from a heading or file name: letters and digits of any script (`[a-z0-9]` alone
# turned `Célula` into `c-lula` and dropped `日本語`).
_TAG_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def tag_slug(text: str) -> str:
    """A tag made of a heading or file name: lower case, words joined by dashes, `::` levels kept.

    ASCII text gives exactly what slugify gives (existing notes keep their tags); other scripts keep their
    letters."""
    if text.isascii() and "::" not in text:
        return slugify(text)
    parts = []
    for part in text.split("::"):
        words = _TAG_WORD.findall(_folded(part)) if not part.isascii() else normalize(part).split()
        slug = "-".join(w.replace("'", "") for w in words)
        if slug:
            parts.append(slug)
    return "::".join(parts)[:60].strip(":") or "untitled"


# What Anki does not allow in a tag: whitespace separates tags, `"` ends a search term, control characters.
_TAG_FORBIDDEN = re.compile(r'[\s"\x00-\x1f\x7f\u3000]+')


def clean_tag(tag: str) -> str:
    """`tag` as Anki can hold it: Unicode and `::` levels kept; spaces, quotes and control characters become
    `-`, and empty `::` levels are dropped ("" when nothing is left)."""
    parts = (_TAG_FORBIDDEN.sub("-", part).strip("-") for part in tag.split("::"))
    return "::".join(p for p in parts if p)


# Author cloze markup, scanned in linear time. The obvious regex, `\{\{c(\d{1,3})::(.+?)(?:::(.*?))?\}\}`,
# tries every answer end against every hint end from every opener: cubic on a line of unclosed `{{c1::`.
_CLOZE_OPENER = re.compile(r"\{\{c(\d{1,3})::")
_HIGHLIGHT_OPENER = re.compile(r"==(?=\S)")

Cloze = tuple[int, int, str, str, "str | None"]  # (start, end, ordinal digits, answer, hint or None)


def find_clozes(text: str, tempered: bool = False) -> list[Cloze]:
    """Every `{{cN::answer}}` / `{{cN::answer::hint}}`, as `re.finditer` with the regex above finds them.

    Default: answer and hint never cross a line break, the answer is not empty. `tempered`: the regex
    `\\{\\{c(\\d{1,3})::((?:(?!\\{\\{|\\}\\}).)*?)(?:::((?:(?!\\{\\{|\\}\\}).)*?))?\\}\\}` with re.S instead:
    neither part holds `{{` or `}}`, line breaks are allowed, the answer may be empty.
    """
    if tempered:
        return list(_tempered_clozes(text))
    out: list[Cloze] = []
    offset = 0
    for line in text.split("\n"):
        out.extend((s + offset, e + offset, n, a, h) for s, e, n, a, h in _line_clozes(line))
        offset += len(line) + 1
    return out


def _line_clozes(line: str) -> Iterator[Cloze]:
    pos = 0
    while True:
        m = _CLOZE_OPENER.search(line, pos)
        if not m:
            return
        s = m.end()
        close = line.find("}}", s + 1)
        if close < 0:
            return  # no `}}` after this opener: none after a later one either
        colon = line.find("::", s + 1, close)
        if colon >= 0:
            yield m.start(), close + 2, m.group(1), line[s:colon], line[colon + 2 : close]
        else:
            yield m.start(), close + 2, m.group(1), line[s:close], None
        pos = close + 2


def _tempered_clozes(text: str) -> Iterator[Cloze]:
    pos = 0
    while True:
        m = _CLOZE_OPENER.search(text, pos)
        if not m:
            return
        s = m.end()
        opener = text.find("{{", s)
        # Only as far as the next `{{`, so that a run of unclosed openers is not scanned again and again.
        brace = text.find("}}", s, opener + 1 if opener >= 0 else len(text))
        if brace < 0:
            brace = opener
        if brace < 0:
            return
        if not text.startswith("}}", brace):
            pos = m.start() + 1  # stopped by a `{{`: a later opener may still close
            continue
        colon = text.find("::", s, brace)
        if colon >= 0:
            yield m.start(), brace + 2, m.group(1), text[s:colon], text[colon + 2 : brace]
        else:
            yield m.start(), brace + 2, m.group(1), text[s:brace], None
        pos = brace + 2


_SHORTCODE = re.compile(r"\{\{[<%].{0,200}?[%>]\}\}")


def strip_shortcodes(text: str) -> str:
    """`text` without a static site's shortcodes ("{{< admonition >}}", "{{% /note %}}"): markup, not words.
    White space is collapsed to single spaces where any was removed."""
    if "{{" not in text:
        return text
    return " ".join(_SHORTCODE.sub(" ", text).split())


def find_highlights(text: str) -> list[tuple[int, int, str]]:
    """Every `==words==` (no space just inside either mark) as (start, end, words), like the regex
    `==(?=\\S)(.+?)(?<=\\S)==` finds them, in linear time; words never cross a line break, and a mark
    round no letter or digit ("+=====+") is no highlight."""
    out: list[tuple[int, int, str]] = []
    offset = 0
    for line in text.split("\n"):
        pos = 0
        while True:
            m = _HIGHLIGHT_OPENER.search(line, pos)
            if not m:
                break
            s = m.end()
            close = line.find("==", s + 1)
            while close >= 0 and line[close - 1].isspace():
                close = line.find("==", close + 1)
            if close < 0:
                break  # nothing closes this mark: nothing closes a later one
            if any(ch.isalnum() for ch in line[s:close]):  # "+=====+" (a grid table's border) marks no words
                out.append((m.start() + offset, close + 2 + offset, line[s:close]))
            pos = close + 2
        offset += len(line) + 1
    return out
