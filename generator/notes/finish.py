"""The end of every field: `finish` sanitizes it, protects its braces and writes its cloze markup.

The allow-list sanitizer (nh3) removes anything that could run or load something (script, style, iframe,
event handlers, javascript:/data: URLs, foreign image sources), then `{` and `}` become character
references (no source text can open a cloze or close one early), then the cloze markers are written.
Cloze syntax travels as private-use characters (OPEN, OPEN_END, HINT, CLOSE) until then, so neither
Markdown nor the sanitizer can break it.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# Cloze syntax while HTML is built and sanitized: OPEN + ordinal digits + OPEN_END, HINT, CLOSE.
OPEN, OPEN_END, HINT, CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_PLACEHOLDERS = re.compile("[\ue000-\ue003]")
_CLOZE_REGION = re.compile("\ue000(\\d+)\ue001(.*?)(?:\ue002(.*?))?\ue003", re.S)


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
        return nh3.Cleaner(**options).clean
    return lambda fragment: nh3.clean(fragment, **options)


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
