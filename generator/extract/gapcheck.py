"""Is a card's answer, or its gap in the sentence, one a strict tutor would ask? The checks of worth.py on
the answer itself (a function word, an outline label, a verb) and on where its gap sits (cutting a word or a
formula, holding the clause's verb, beside its own restatement, on a label of the outline)."""

from __future__ import annotations

import re

from ..model import Fact
from ..text import STOP_WORDS
from .lexicon import finite_verb, zipf
from .words import VERBS, is_function_word, nounish

# Rules that read running prose: their answer must hold something specific to recall.
PROSE_RULES = frozenset({"claim", "cause", "contrast", "procedure", "number", "enumeration"})

OUTLINE_LABEL = re.compile(
    r"^\s*(?:(?:domain|task|step|part|chapter|section|objective|module|unit|lesson|phase|page|figure|table|"
    r"question|day|week)\s+(?:\d+|[ivx]+\b)[\d.]*|\d+(?:\.\d+){1,2}|[a-z]\)|\(?[a-d]\))\s*$",
    re.I,
)
ANSWER_WORD = re.compile(r"[A-Za-z0-9][\w'’.+#/-]*")
STANDARD = re.compile(r"^\s*(?:ANSI|SAE|ASTM|ASME|UL|CSA|BS|DIN)\b[\s/A-Z]*\d[\w.]*-(?:19|20)\d\d\s*$")


def bad_answer(answer: str, cell: bool = False) -> str:
    """`cell`: the answer is a whole cell or item, where "He" is helium, not a pronoun."""
    words = ANSWER_WORD.findall(answer)
    if not words:
        return "empty answer"
    if not cell and all(is_function_word(w.lower()) or w.lower() in STOP_WORDS for w in words):
        return "gap on a function word"
    if OUTLINE_LABEL.match(answer):
        return "outline label as the answer"
    if STANDARD.match(answer):
        return "a standard's designation and year (SAE J166-1971): a reference, not a fact"
    if words[0].lower() in ("yes", "no"):
        return "a yes/no answer"
    if len(words) > 1 and any(w.lower() in ("and", "or") and verb_word(words[k + 1]) for k, w in enumerate(words[:-1])):
        return "gap holds a verb"
    if len(words) > 1:
        last = words[-1].lower()
        if (last in VERBS and not nounish(last) and last not in _NOUN_VERBS and not last.endswith("ing")
                and not words[-1][:1].isupper()):
            return "gap holds the clause's verb"
    return ""


def verb_word(word: str) -> bool:
    low = word.lower()
    return low in VERBS and not nounish(low) and not low.endswith("ing") and not word[:1].isupper()


# Verb forms that end a noun phrase as often as a clause ("data uses", "key points").
_NOUN_VERBS = frozenset("uses needs changes results effects states types forms works".split())
_PAREN_AFTER = re.compile(r"^\s*\(([^()]{1,80})\)")
_PAREN_BEFORE = re.compile(r"\(\s*$")


# "... component and replace| it": a verb joined by "and", with its object right after the gap.
_JOINED_VERB = re.compile(r"\b(?:and|or)\s+[a-z]+\s*$")
_OBJECT_AFTER = re.compile(r"^\s+(?:it|them|the|a|an|its|their|this|these|those|your|our)\b", re.I)
# "to [...] the", "securely [...] the", "SHALL [...] a": what fills the gap is a verb.
_VERB_BEFORE = re.compile(r"(?:\b(?:to|can|could|will|would|shall|should|must|may|might|cannot|not)|[a-z]ly)\s+$",
                          re.I)
_VERB_FORM = re.compile(r"[A-Z][a-z]{2,}(?:[^sui]s|ed)")  # "Inspects", "Optimizes" ("Analysis", "Virus": nouns)


def _clause_start(text: str, at: int) -> bool:
    """Whether a gap opens the card's clause (the text, or what follows a list's lead "X: ")."""
    before = text[:at].rstrip()
    return not before or before.endswith(":")


# "[Enhance] involves increasing ...": a verb that is the subject names a strategy, a term.
_NAMED_BY_VERB = re.compile(r"\s*(?:[:—–-]|(?:is|are|was|means?|involves?|refers?|describes?|includes?)\b)")
_PARTICIPLE_END = re.compile(r"\b[a-z]{3,}ed\s*$")
_PREPOSITION_AFTER = re.compile(r"^\s+(?:in|by|on|at|for|with|to|from|as|under|into)\b", re.I)


_MATH = re.compile(r"\$\$?[^$]+\$?\$|\\\(.+?\\\)")


# "Mistake 3: [...]", "Tip 2 - [...]": a numbered label is all the card shows beside its gap.
_NUMBERED_CUE = re.compile(r"^\W*[A-Za-z]+\s+\d+[\d.]*\s*[:.)–—-]\s*$")
_CATEGORY_OPENER = re.compile(r"^(?:different|other|various|several|common|main|key|some|many|more|all)\b", re.I)


def _label_gap(text: str, start: int, end: int, glossary: bool) -> bool:
    """A gap on the label that opens "Label: what it says" when the label is a category ("Different types
    of X", "Tips/3"), or, in a sentence (not a glossary's entry), when it is everyday words ("Intervention",
    "Security and compliance")."""
    if text[:start].strip(" (*") or not text[end:].lstrip().startswith(":"):
        return False
    label = text[start:end]
    if _CATEGORY_OPENER.match(label) or re.search(r"\w/\d", label):
        return True
    if glossary:
        return False  # "Social Proof: ...", "Notice Filing: ...": a glossary's terms are often everyday words
    words = ANSWER_WORD.findall(label)
    if not words or len(words) > 6:
        return False
    return not any((w.isupper() and len(w) > 1) or zipf(w) < _TERM_ZIPF for w in words if w.isalpha())


_TERM_ZIPF = 3.3  # a word rarer than this names a term ("Smishing", "Urgency"); "compliance" is 3.4


def bad_gap(fact: Fact) -> str:
    text = fact.text
    first = fact.gaps[0] if len(fact.gaps) == 1 else None
    if first and _NUMBERED_CUE.match(text[:first.start]) and not text[first.end:].strip(" ."):
        return "the card shows only a numbered label beside its gap"
    if fact.rule in PROSE_RULES | {"definition", "glossary", "field"} and any(
            _label_gap(text, g.start, g.end, fact.rule == "glossary") for g in fact.gaps):
        return "the gap is a label of the outline, not a term"
    maths = [(m.start(), m.end()) for m in _MATH.finditer(text)] if "$" in text or "\\(" in text else []
    for gap in fact.gaps:
        if any(a < gap.start < b or a < gap.end < b for a, b in maths):
            return "gap cuts a formula"
        inner_text = text[gap.start:gap.end]
        rest = text[gap.end:]
        if _JOINED_VERB.search(inner_text) and _OBJECT_AFTER.match(rest):
            return "gap holds a verb"
        if " " in inner_text.strip() and _PARTICIPLE_END.search(inner_text) and _PREPOSITION_AFTER.match(rest):
            return "gap ends on a verb form"
        if " " not in inner_text.strip() and _VERB_BEFORE.search(text[:gap.start]) and _OBJECT_AFTER.match(rest):
            return "gap on a verb ('to [...] the')"
        if fact.rule != "list" and " " not in inner_text.strip() and finite_verb(inner_text.strip(" .,;:").lower()) \
                and not _NAMED_BY_VERB.match(rest):
            return "gap on a verb ('[assess] the patient', '[discontinue] immediately')"
        if fact.rule in PROSE_RULES and _clause_start(text, gap.start) and _VERB_FORM.fullmatch(inner_text.strip()) \
                and _OBJECT_AFTER.match(rest):
            return "gap on the clause's opening verb ('[Inspects] the work')"
        before = text[gap.start - 1] if gap.start > 0 else " "
        after = text[gap.end] if gap.end < len(text) else " "
        inner = text[gap.start:gap.end]
        if before == "^" or (text[:gap.start].rstrip().endswith(":") and text[gap.end:].lstrip().startswith(":")):
            return "gap cuts a formula or runs across two fields"
        if ((before.isalnum() or before == "_") and inner[:1].isalnum()) or (
                (after.isalnum() or after == "_") and inner[-1:].isalnum()):
            return "gap cuts a word"
        if inner[:1].isdigit() and before in ":/-." and text[gap.start - 2 : gap.start - 1].isdigit():
            return "gap cuts an identifier (27001:[2013])"
        following = _PAREN_AFTER.match(text[gap.end:])
        if following and _restates(inner, following.group(1)):
            return "the answer is restated beside its gap"
        if (_PAREN_BEFORE.search(text[:gap.start]) and text[gap.end:gap.end + 1] == ")"
                and numeric(inner) and numeric(text[max(0, gap.start - 40):gap.start])):
            return "the answer is restated beside its gap"
    return ""


def _restates(answer: str, aside: str) -> bool:
    """A parenthesis right after a gap that gives it away: the same quantity in other units or words, or
    the answer's abbreviation ("[...] (40 °C)", "Lactated Ringer's (LR)" with the long form asked)."""
    if numeric(answer) and numeric(aside):
        return True
    words = [w for w in ANSWER_WORD.findall(answer) if w[:1].isalpha()]
    initials = "".join(w[0] for w in words).lower()
    letters = re.sub(r"[^a-z]", "", aside.lower())
    if len(letters) < 2 or len(aside.split()) != 1:
        return False
    if initials.startswith(letters):
        return True
    # "unique Security Identifier (SID)": the capitalised words spell the acronym's start
    named = "".join(w[0] for w in words if w[0].isupper()).lower()
    return aside.strip().isupper() and len(named) >= 2 and letters.startswith(named)


_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                          r"forty|fifty|hundred|thousand|half|dozen)\b", re.I)


def numeric(text: str) -> bool:
    return any(ch.isdigit() for ch in text) or bool(_NUMBER_WORD.search(text))
