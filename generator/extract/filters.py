"""What never becomes a card, and the light clean-up applied to a sentence before it does.

Each pattern names a kind of text (boilerplate, rhetoric, chatty aside), never a particular article's words.
"""
from __future__ import annotations

import re

from ..model import Block, Document
from ..text import normalize

BOILERPLATE = re.compile(
    r"\b(subscribe|unsubscribe|privacy policy|terms of (use|service)|newsletter|click here|sign up|"
    r"log ?in|cookies?|all rights reserved|share (this|on)|follow us|get the latest|read more|"
    r"download (the|our)|buy now|add to cart|advertisement|sponsored|comments?\s+section|copyright)\b",
    re.I,
)
RHETORIC = re.compile(
    r"(\bright\?|\bisn'?t (it|that)\b|\bwho wouldn'?t\b|\bcan you imagine\b|\byou know what\b|\bbuckle up\b|"
    r"\blet'?s be real\b|\bdive into\b|\bguess what\b|\bbelieve (it|me)\b|\bisn’t (it|that)\b|\bwho wouldn’t\b)",
    re.I,
)
# Addresses to the reader that carry no content: "my friends", "folks".
_VOCATIVE = re.compile(r",\s*(my friends|friends|folks|everyone|y'all|you guys)\s*(,|(?=[.!?;:]))", re.I)
_DID_YOU_KNOW = re.compile(r"^(did you know|have you ever noticed)\s+(that\s+)?(?P<claim>.+)\?$", re.I)
_FILLER_OPENER = re.compile(
    r"^(so|but|and|now|well|remember|look|honestly|basically|after all|in fact|of course|yes|no|okay|ok)"
    r"\s*,\s*", re.I)
_METAPHOR = re.compile(r"\b(it'?s|it’s|that'?s|that’s) (like|all part of)\b", re.I)


def clean_sentence(sentence: str) -> str:
    """The sentence with vocatives and filler openers removed, and a claim asked as a question restated."""
    s = sentence.strip()
    m = _DID_YOU_KNOW.match(s)
    if m:
        claim = m.group("claim").strip()
        claim = re.sub(r"^(sometimes|often),?\s+", "", claim, flags=re.I)
        s = claim[0].upper() + claim[1:] + "."
    s = _VOCATIVE.sub("", s)
    s = _FILLER_OPENER.sub("", s)
    s = re.sub(r"\s+([,.;:])", r"\1", s)
    return s[0].upper() + s[1:] if s else s


def is_noise(sentence: str) -> bool:
    """Boilerplate, rhetoric, questions, exclamations and metaphors: text that makes no card."""
    s = sentence.strip()
    if not s or s.endswith("?") or s.endswith("!"):
        return True
    return bool(BOILERPLATE.search(s) or RHETORIC.search(s) or _METAPHOR.search(s))


def is_title_echo(block: Block, doc: Document) -> bool:
    """A paragraph that only repeats the article's title or a heading."""
    text = normalize(block.text)
    return text == normalize(doc.title) or any(text == normalize(s) for s in block.section)
