"""What never becomes a card, and the clean-up applied to a sentence before it does.

Each pattern names a kind of text (boilerplate, rhetoric, chatty aside, citation, hedge), never a
particular article's words. All patterns are linear: no nested quantifiers over overlapping classes.
"""

from __future__ import annotations

import re

from ..model import Block, Document
from ..text import normalize, normalizes_to_any, strip_shortcodes
from .trace import record_drop

BOILERPLATE = re.compile(
    r"\b(subscribe|unsubscribe|privacy policy|terms of (use|service)|newsletter|click (here|for)|sign up|"
    r"log in to|(we|this site) uses? cookies|cookie (policy|settings|preferences)|all rights reserved|share "
    r"(this|on)|follow us|get the latest|read more|learn more|"
    r"download (the|our|this)|buy now|add to cart|advertisement|sponsored|comments?\s+section|copyright|"
    r"watch this|this (video|page|site|article|section|post|lesson|chapter|guide|tutorial|module|unit|course|"
    r"book|paper|overview) (explains|covers|will|describes|"
    r"explores|introduces|is about)|(in|by the end of) this (section|chapter|lesson|article)|"
    r"you will be able to)\b",
    re.I,
)
RHETORIC = re.compile(
    r"(\bright\?|\bisn['’]?t (it|that)\b|\bwho wouldn['’]?t\b|\bcan you imagine\b|\byou know what\b|"
    r"\bbuckle up\b|\blet['’]?s be real\b|\bdive (in|into)\b|\bguess what\b|\bbelieve (it|me)\b|"
    r"\bimagine (a|an|that|you|how)\b|\blet['’]?s\s+\w+|\bhere['’]s the (thing|deal)\b)",
    re.I,
)
# Addresses to the reader that carry no content: "my friends", "folks".
_VOCATIVE = re.compile(
    r",\s*(my friends|friends|folks|everyone|y['’]all|you guys|my dear "
    r"\w+)\s*(,|(?=[.!?;:]))",
    re.I,
)
# "Note:", "Remember:", "Exam tip:" in front of a sentence: a label, not part of the fact.
_ADMONITION = re.compile(
    r"^(?:(?:note|notes|tip|remember|important|warning|caution|key point|exam tip|pro tip|"
    r"hint|n\.b\.|rule|golden rule|rule of thumb|reminder)\s*[:—–-]\s*"
    r"|(?:note|important|tip|warning)\s+(?=[A-Z]))",  # "Note The ..." as docs print it
    re.I,
)
_QUOTED_ASIDE = re.compile(r"\s*\(\s*[“\"][^”\"()]{0,200}[”\"]\s*\)")
_DID_YOU_KNOW = re.compile(
    r"^(did you know|have you ever noticed|have you "
    r"heard)\s+(that\s+)?(?P<claim>.+)\?$",
    re.I,
)
_FILLER_OPENER = re.compile(
    r"^(so|but|and|now|well|remember|look|honestly|basically|after all|in fact|of course|yes|no|okay|ok|"
    r"plus|also|again|still|indeed|for example|for instance|in addition|additionally|moreover|furthermore|"
    r"in short|in other words|simply put|put simply|sometimes|often|generally|today|too|frequently|"
    r"in this case|in many cases|as a result|however|therefore|thus|hence|importantly|"
    r"on the exam|first|second|third|finally|next|then)\s*,\s*|^(hopefully|too),?\s+(?=[A-Za-z])",
    re.I,
)
_HEDGE_OPENER = re.compile(
    r"^((research|studies|evidence|experts?|data)( \w+)? (has|have|had)? ?(shown|found|suggested|"
    r"demonstrated|indicated|shows|suggests|finds|indicates) that|it has been (shown|suggested|found|"
    r"reported|observed) that|it is (thought|believed|known) that|we know that|note that|remember that|"
    r"keep in mind that)\s+",
    re.I,
)
# Author-year citations "(NIDA, 2012)", "(Simpson et al., 1982; NIDA, 2012)", "[APA, 2013]", "(p. 271)".
_CITATION = re.compile(
    r"\s*[(\[](?:[A-Z][^()\[\]]{0,160}?\b(?:1[89]|20)\d\d[a-z]?(?:,\s*pp?\.\s*[\d–-]+)?|"
    r"pp?\.\s*[\d–-]+)[)\]]"
)
_LINK_REF = re.compile(r"\s*\(?\[(?:link|\d+|see \w+)\]\)?", re.I)
_EXCLAIM_TAIL = re.compile(r"\s*[—–-]\s*[^.?!]{0,60}!$")
_METAPHOR = re.compile(r"\b(it['’]?s|that['’]?s|this is) (like|all part of)\b", re.I)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:])")


def scan_fold(text: str) -> str:
    """`text` folded as the scans' needles are written, so that a case-insensitive match shows there.

    Beside ASCII capitals, re.I takes exactly four letters for ASCII ones ("İ" and "ı" for "i", "ſ" for "s",
    the Kelvin sign for "k"), and the patterns take "’" where they take "'". lower() folds the Kelvin sign,
    and "İ" is replaced first (its lower case is two characters).
    """
    if text.isascii():
        return text.lower()
    return text.replace("İ", "i").lower().replace("ı", "i").replace("ſ", "s").replace("’", "'")


_Trie = dict[str, "_Trie"]


def any_of(needles: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern found in a text exactly when one of `needles` is (a trie: one pass, not one per needle)."""
    trie: _Trie = {}
    for needle in needles:
        node = trie
        for ch in needle:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: _Trie) -> str:
        if "" in node:  # a text holding this needle holds it whatever longer needles go on from here
            return ""
        alternatives = [re.escape(ch) + branch(rest) for ch, rest in sorted(node.items())]
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return re.compile(branch(trie))


class Scan:
    """A case-insensitive pattern with the words every match of it holds (lower case, any one of them).

    Text holding none of them once folded (`scan_fold`) cannot match, so the pattern, which is tried at every
    position of a sentence, runs only where one occurs. Keep the words in step when a pattern changes.
    """

    def __init__(self, pattern: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self.pattern, self.needles = pattern, needles
        # One pass of a trie pattern beats a test per needle from about twenty needles on.
        self._any_needle = any_of(needles) if len(needles) > 16 else None

    def search(self, text: str) -> re.Match[str] | None:
        return self.search_folded(text, scan_fold(text))

    def search_folded(self, text: str, folded: str) -> re.Match[str] | None:
        """`search(text)`, given `scan_fold(text)`: callers that try several scans fold once."""
        return self.pattern.search(text) if self.holds_needle(folded) else None

    def holds_needle(self, folded: str) -> bool:
        if self._any_needle is not None:
            return self._any_needle.search(folded) is not None
        for needle in self.needles:  # noqa: SIM110 - a plain loop: any(<genexpr>) costs more than the tests
            if needle in folded:
                return True
        return False


BOILERPLATE_SCAN = Scan(BOILERPLATE, (
    "subscribe", "privacy policy", "terms of ", "newsletter", "click ", "sign up", "log in to", "cookie",
    "all rights reserved", "share ", "follow us", "get the latest", "read more", "learn more", "download ",
    "buy now", "add to cart", "advertisement", "sponsored", "comment", "copyright", "watch this",
    *(f"this {noun}" for noun in ("video", "page", "site", "article", "section", "post", "lesson", "chapter",
                                  "guide", "tutorial", "module", "unit", "course", "book", "paper", "overview")),
    "you will be able to"))
RHETORIC_SCAN = Scan(RHETORIC, (
    "right?", "isn't ", "isnt ", "who wouldn", "imagine", "you know what", "buckle up", "let's", "lets",
    "dive in", "guess what", "believe ", "here's the"))


class Opener:
    """A case-insensitive pattern anchored at the start, with every word (lower case) a match can open with.

    A text opening with ASCII letters that make none of these words cannot match (`opening_word`), so the
    pattern is not tried. Keep the words in step when the pattern changes.
    """

    def __init__(self, pattern: re.Pattern[str], words: str) -> None:
        self.pattern, self.words = pattern, frozenset(words.split())

    def may_match(self, word: str | None) -> bool:
        return word is None or word in self.words

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(text) if self.may_match(opening_word(text)) else None


_LETTERS = re.compile(r"[A-Za-z]*")


def opening_word(text: str) -> str | None:
    """The ASCII letters `text` opens with, lower-cased; None when a non-ASCII character follows them (a
    case-insensitive pattern may read it as a letter: "ſ" as "s")."""
    end = _LETTERS.match(text).end()  # type: ignore[union-attr]  # `*` always matches
    if end < len(text) and not text[end].isascii():
        return None
    return text[:end].lower()


_DID_YOU_KNOW_OPENER = Opener(_DID_YOU_KNOW, "did have")
_ADMONITION_OPENER = Opener(
    _ADMONITION, "note notes tip remember important warning caution key exam pro hint n rule golden reminder")
_FILLER = Opener(_FILLER_OPENER, """so but and now well remember look honestly basically after in of yes no
    okay ok plus also again still indeed for additionally moreover furthermore simply put sometimes often
    generally today too frequently as however therefore thus hence importantly on first second third finally
    next then hopefully""")
_HEDGE = Opener(_HEDGE_OPENER, "research studies evidence expert experts data it we note remember keep")


_URL = re.compile(r"\s*(?:<(?:https?://|www\.)[^\s<>]*>_?|\(?(?:https?://|www\.)[^\s<>()]*(?:\([^\s()]*\))?[^\s<>()]*\)?_?)")


def strip_citations(text: str) -> str:
    """The text without author-year citations, bare link references and pasted URLs."""
    if "://" in text or "www." in text:  # a pasted link ("SANS Institute <https://...>_") is not part of the fact
        text = _URL.sub("", text)
    if "(" in text or "[" in text:  # every citation and link reference has one: most sentences skip both scans
        if "1" in text or "2" in text or "p." in text:  # a citation holds a year 1800-2099 or a page "p."
            text = _CITATION.sub("", text)
        if "[" in text:
            text = _LINK_REF.sub("", text)
    return " ".join(text.split())  # `_SPACES.sub(" ", text).strip()`: both split where str.isspace() holds


def clean_sentence(sentence: str) -> str:
    """The sentence without citations, vocatives, filler openers and hedges; a claim asked as a question
    ("Did you know that X?") is restated as the claim X. Cleaning settles in one call: what one pass
    uncovers ("research has shown that note so": a hedge, then a label) the next pass takes off."""
    s = _clean_once(sentence)
    for _ in range(3):
        if s == sentence:
            break
        sentence, s = s, _clean_once(s)
    return s


def _clean_once(sentence: str) -> str:
    s = strip_citations(sentence.strip())
    s = strip_shortcodes(s)
    # From here on `s` holds no whitespace but single spaces, and each step only deletes from it.
    if "(" in s and ('"' in s or "“" in s):
        # an example thought in quotes, in parentheses, is not part of the claim; what is left keeps single spaces
        # and no space at the ends, or the openers below would not see the sentence's first word
        s = " ".join(_QUOTED_ASIDE.sub("", s).split())
    word = opening_word(s)  # each opener pattern is tried only where `s` opens with a word it can open with
    m = _DID_YOU_KNOW.match(s) if _DID_YOU_KNOW_OPENER.may_match(word) else None
    if m:
        claim = m.group("claim").strip()
        s = claim[0].upper() + claim[1:] + "."
        word = opening_word(s)
    if _ADMONITION_OPENER.may_match(word):
        for _ in range(3):  # "Note: Tip: ...": labels can stack, and cleaning must settle in one call
            trimmed = _ADMONITION.sub("", s)
            if trimmed == s:
                break
            s = trimmed
    if "," in s:
        s = _VOCATIVE.sub("", s)
    for _ in range(3):  # "So, remember, ..." — openers can stack
        word = opening_word(s)
        trimmed = _FILLER_OPENER.sub("", s) if _FILLER.may_match(word) else s
        if trimmed is not s:
            word = opening_word(trimmed)
        if _HEDGE.may_match(word):
            trimmed = _HEDGE_OPENER.sub("", trimmed)
        if trimmed == s:
            break
        s = trimmed
    # Spaces being single, _SPACE_BEFORE_PUNCTUATION needs one of these.
    if " ," in s or " ." in s or " ;" in s or " :" in s:
        s = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", s)
    return s[0].upper() + s[1:] if s else s


# Quoted speech: a quotation in the first or second person, or one a sentence says someone "says".
_SPEECH = re.compile(
    r"[“\"][^”\"]{0,200}\b(I|I['’]m|me|my|we|you|your)\b[^”\"]{0,200}[”\"]|"
    r"\b(says?|said|states?|stated|asks?|asked|adage|saying "
    r"goes)\b[^“\"]{0,40}[,:]?\s*[“\"]"
)


# A sentence describing a figure, not stating a fact ("A chart labeled ...", "an arrow changing color").
_FIGURE = re.compile(
    r"\b(photograph|photo|chart|graph|diagram|figure|image|illustration|arrow|icon|picture|"
    r"screenshot)s?\b[^.]{0,80}\b(shows?|labeled|labelled|depicts?|changing "
    r"colou?r|pictured|"
    r"illustrates?)\b",
    re.I,
)


# Pep talk: an instruction to the reader about the reader ("remind yourself", "give yourself").
_REFLEXIVE = re.compile(r"\b(remind|ask|tell|give|let|allow|treat)\s+(yourself|yourselves|ourselves)\b", re.I)
_FIGURE_SCAN = Scan(_FIGURE, ("photo", "chart", "graph", "diagram", "figure", "image", "illustration",
                              "arrow", "icon", "picture", "screenshot"))
_REFLEXIVE_SCAN = Scan(_REFLEXIVE, ("yourself", "ourselves"))
_METAPHOR_SCAN = Scan(_METAPHOR, (" like", " all part of"))
# Praise a vendor or blogger gives: "a powerful feature", "the unsung hero", "the area's most trusted".
_HYPE = re.compile(
    r"\b(?:(?:very |really |incredibly |super )?powerful "
    r"(?:tool|feature|way|technique|option|ally|addition|capability)|"
    r"unsung hero|game[- ]changer|best[- ]in[- ]class|world[- ]class|cutting[- ]edge|one[- ]stop shop|"
    r"(?:largest|biggest|leading) and most|most trusted|go[- ]to (?:guide|solution|resource|tool))\b",
    re.I,
)
_HYPE_SCAN = Scan(_HYPE, ("powerful", "unsung", "changer", "class", "cutting", "one stop", "one-stop", "and most",
                          "trusted", "go-to", "go to"))
_NOISE_SCANS = (_FIGURE_SCAN, _REFLEXIVE_SCAN, BOILERPLATE_SCAN, RHETORIC_SCAN, _METAPHOR_SCAN, _HYPE_SCAN)
_NOISE_WHY = dict(zip(_NOISE_SCANS, ("describes a figure or picture", "pep talk to the reader", "boilerplate (subscribe, footer, call to action, \"this article covers\")", "rhetoric (a question or aside to the reader)", "a metaphor or comparison, not a fact", "praise or hype (\"a powerful feature\", \"most trusted\"), not a fact"), strict=True))  # noqa: E501
_ANY_NOISE_NEEDLE = any_of(tuple(needle for scan in _NOISE_SCANS for needle in scan.needles))


def is_noise(sentence: str) -> bool:
    """Boilerplate, rhetoric, questions, exclamations, quoted speech, metaphors, code: text that makes no
    card."""
    s = sentence.strip()
    if not s or s.endswith(("?", "!")) or ("!" in s and _EXCLAIM_TAIL.search(s)):
        record_drop(0, s, "filter", "a question or exclamation, not a statement of fact")
        return True
    if code_like(s):
        record_drop(0, s, "filter", "a command or code line pasted as text, not a sentence")
        return True
    if ('"' in s or "“" in s) and _SPEECH.search(s):  # quoted speech needs a quotation mark
        record_drop(0, s, "filter", "quoted speech")
        return True
    folded = scan_fold(s)
    if not _ANY_NOISE_NEEDLE.search(folded):
        return False  # no scan's word: most sentences stop at this one pass
    for scan in _NOISE_SCANS:
        if scan.search_folded(s, folded):
            record_drop(0, s, "filter", _NOISE_WHY[scan])
            return True
    return False


# A token of code, not of prose: a path or URL, an option, an assignment, a call, a file name, markup.
_CODE_TOKEN = re.compile(
    r"^\W?\.{0,2}/\w|://|\w/[\w.-]+/|\\\w|^-{1,2}[a-z]|\w=\S|^\$$|\$\S*[\\{(~]|[`{}|]|<\w|\*\*|\w\(|^\w+\.(?:json|ya?ml|txt|sh|py|js|md|conf|cfg|"
    r"xml|html?|csv|ini|log|sql|tf)\W*$|^\w+_\w|\w\.\w*_\w|:\d\d\b"
)


_CODE_MARK = re.compile(r"[()\[\]{}=<>*+:'\"]|\b(?:print|lambda|def|return|if|else|elif|for|in|range|len)\b")


def code_like(sentence: str) -> bool:
    """A command, path or expression pasted as text ("gsutil mb -c nearline gs://backups/"): at least two
    tokens of code, a quarter of its tokens or more (prose that names one, "run the `ls -l` command", has
    one or two among many words); or a line of a program ("If z > 4 or x < 1: print('Hello')"): symbols
    and keywords as many as its words, with a call or an assignment in it."""
    tokens = sentence.split()
    n = sum(1 for t in tokens if _CODE_TOKEN.search(t))
    if n >= 2 and 4 * n >= len(tokens):
        return True
    marks = len(_CODE_MARK.findall(sentence))
    return bool(tokens) and marks >= max(4, len(tokens)) and ("(" in sentence or "=" in sentence)


def is_title_echo(block: Block, doc: Document) -> bool:
    """A paragraph that only repeats the article's title or a heading."""
    return _is_echo(block.text, doc.title, block.section)


def _is_echo(text: str, title: str, section: tuple[str, ...]) -> bool:
    # Cached: every fact of a block asks this, and normalizing a long block once per fact is quadratic.
    return normalizes_to_any(text, [normalize(name) for name in (title, *section)])
