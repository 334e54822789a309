"""An independent check that a card field cannot run or load anything in Anki.

It parses the field with the standard library's tolerant HTML parser (not the sanitizer's own rules) and
reports forbidden tags, event-handler attributes, script-capable URLs, and `{{` that would be read as a
template field or a cloze the author did not write.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
                            "link", "meta", "base", "form", "svg", "math", "template", "noscript"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "background", "poster",
                            "srcset", "data", "lowsrc", "dynsrc"})
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file|livescript|mocha):", re.IGNORECASE)
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme ("java\tscript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_CLOZE = re.compile(r"\{\{c\d+::")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> tag")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style" and value and re.search(r"expression\s*\(|url\s*\(|javascript:", value, re.IGNORECASE):
                self.problems.append(f"active style on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                url = _URL_NOISE.sub("", html.unescape(value))
                if _BAD_SCHEME.match(url):
                    self.problems.append(f"{url.split(':', 1)[0].lower()}: URL in {name}= on <{tag}>")


def unsafe_html(field: str, cloze: bool = False) -> list[str]:
    """What in one field could run script, load something, or open a template field; [] when safe.

    `cloze`: the field is a cloze note's Text, where `{{cN::` openers are expected.
    """
    checker = _Checker()
    checker.feed(field)
    checker.close()
    problems = checker.problems
    rest = _CLOZE.sub("", field) if cloze else field
    if "{{" in rest:
        problems.append("`{{` outside a cloze: Anki would read it as a template field")
    return problems
