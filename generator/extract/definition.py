"""Prose rule: sentences and phrases that define a term.

Kinds handled (the gap always goes on the term being defined):
- `X is/are (a|an|the|any) Y`, `X means / refers to / is defined as / is known as Y`, with an optional
  appositive (`X, often called Z, is ...`; `X, the belief that ..., is ...`);
- `Y is called X` / `is known as X` (the gap goes on the name);
- a term marked as one (bold, kramdown `{: data-type="term"}`, `<dfn>`) followed by `, which means Y`
  or by a parenthesised definition `X (the tendency to ...)`;
- an appositive definition `the X, an area of ... that ...,`;
- an abbreviation next to its expansion `long form (ABBR)` -> "What does ABBR stand for?".
"""

from __future__ import annotations

import re

from ..model import Block, Document, Fact
from ..text import LEADING_PRONOUNS
from .filters import Opener, Scan, clean_sentence, strip_citations
from .phrases import chunks, emphasis_in
from .prose import ProseSentence, in_exercise_section, prose_sentences
from .util import cloze, cloze_spans, question
from .words import GENERIC

# Possessive runs (`*+`, `++`, `{m,n}+`): what follows each run cannot start with a character the run takes
# (a word is followed by a space, "(" or ","; a space by a word; a parenthesis' or an appositive's run by its
# closing ")" or ","), so giving a character back could never match. Same matches, without retrying every
# shorter word at every one of the term's lengths (a third of the instructions).
_TERM = r"(?P<term>[A-Za-z][\w'’/-]*+(?:\s++[\w'’/-]++){0,4}?)"
_APPOSITIVE = (
    r"(?:\s*+\([^()]{1,60}+\))?(?:,\s++(?:(?:often|also|sometimes|commonly|usually)\s++)?(?:called|known as|"
    r"or|the|a|an)\s[^,]{2,90}+,)?"
)
_EXPLICIT = re.compile(
    r"^"
    + _TERM
    + _APPOSITIVE
    + r"\s++(?P<verb>(?:is|are)\s+(?:(?:often|usually|commonly|generally|also|best)\s+)?"
    r"(?:defined as|known as|described as|the term for|referred to as)|means|refers to|refer to|"
    r"can be defined as|describes)\s+(?P<definition>\S.{6,})$"
)
_COPULAR = re.compile(
    r"^" + _TERM + _APPOSITIVE + r"\s++(?:is|are)\s+(?P<definition>(?:(?:a|an|any|the|one of the)\s.{6,}|"
    r"(?!(?:often|usually|also|always|to|about|not|more|less|most|very|so|too)\b)(?![a-z]+ly\b)"
    r"[a-z][\w-]+(?:\s[a-z][\w-]+)?\s(?:that|which|who|whose|where|\w+ed|\w+ing)\s.{6,}))$"
)
_CALLED = re.compile(
    r"\b(?:is|are|was|were)\s+(?:(?:also|often|sometimes|commonly|now|then|once)\s+)?(?:called|known "
    r"as|termed|"
    r"named|referred to as)\s+(?P<name>[^,.;:()]{2,80})"
)
# What every match of _EXPLICIT, _COPULAR and _CALLED holds: cheap scans that skip most sentences.
_EXPLICIT_VERBS = ("defined as", "known as", "described as", "the term for", "referred to as", "means",
                   "refers to", "refer to", "describes")
_IS_ARE = re.compile(r"\s(?:is|are)\s")
_CALLED_VERBS = ("called", "known as", "termed", "named", "referred to as")
_NAME_END = re.compile(r"\s+(?:because|since|as|when|which|that|who|in|after|for|by|during|until|while)\b.*$")
_WHICH_MEANS = re.compile(r",\s+(?:which|that)\s+(?:means|is|refers to)\s+\S")
_ABBREVIATION = re.compile(r"\((?P<abbr>[A-Z][A-Za-z]{1,7}s?)\)")
_ABBR_FIRST = re.compile(r"\b(?P<abbr>[A-Z][A-Z0-9]{1,7})\s+\((?P<long>[A-Z][^()]{3,60})\)")
_WEAK_TERM = re.compile(
    r"^(the|a|an|this|that|these|those|it|there|here|what|which|who|one|each|every|all|some|"
    r"many|most|such|other|another|any|both|its|their|his|her|our|your|my)\b",
    re.I,
)
# A subject that is not a term: a demonstrative or quantifier ("These experiences"), a subordinate clause
# ("Because setbacks ..."), or a gerund phrase.
_NOT_A_TERM = re.compile(
    r"^(this|that|these|those|it|there|here|what|which|who|one|each|every|all|some|many|most|"
    r"such|other|another|any|both|its|their|his|her|our|your|my|because|since|when|if|as|"
    r"while|although|though|once|unless|after|before|by|for|in|on|with|without|regardless|"
    r"compared|according)\b",
    re.I,
)


MAX_PHRASE_SENTENCE = 1500  # characters: longer "sentences" are pasted tables or run-ons


def definition(doc: Document) -> list[Fact]:
    """Cloze facts (and abbreviation questions) from defining sentences and phrases."""
    facts: list[Fact] = []
    for block in doc.blocks:
        facts.extend(_named_after(block))
        if block.kind in ("paragraph", "list_item", "quote") and not in_exercise_section(block):
            # Phrase definitions hold in any sentence, even one too long to be a card itself.
            for sent in block.sentences:
                if len(sent.text) <= MAX_PHRASE_SENTENCE:
                    text = strip_citations(sent.text)
                    if "(" not in text and "," not in text:
                        continue  # each phrase form starts at a parenthesis or a comma
                    # emphasis_in: only the block's bold phrases this sentence holds (linear in a huge paragraph)
                    emphasis = emphasis_in(text, block.emphasis) if block.emphasis else ()
                    facts.extend(_phrase_definitions(text, emphasis, block, sent.text, sent.line))
    for prose in prose_sentences(doc):
        if prose.focus:
            continue  # "X is B, not A": a contrast, asked by the claim rule within B
        emphasis = emphasis_in(prose.text, prose.block.emphasis) if prose.block.emphasis else ()
        fact = _sentence_definition(prose.text, emphasis, prose)
        if fact:
            facts.append(fact)
    return facts


# "..., blood leaks backward; this is called regurgitation." The name comes after what it names.
_THIS_IS_CALLED = re.compile(
    r"(?P<what>[^.;:!?]{12,200}?)[;.,]\s+(?:this|that|which|it)\s+is\s+(?:(?:also|often|"
    r"sometimes)\s+)?(?:called|known as|termed|referred to "
    r"as)\s+(?P<name>[^.,;:()]{2,60})\.",
    re.I,
)
_READER_WE = re.compile(r"\b(you|your|we)\b", re.I)
_READER = re.compile(r"\b(you|your|we|our|us)\b", re.I)
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)
_CLAUSE_WORD = re.compile(r"\b(because|when|if|that|which|who|since|while|although|matters|means)\b", re.I)
_NAMED_NEXT = Opener(re.compile(r"(?:this|that|it)\s+is\s+(?:also\s+)?(?:called|known as|termed)\s", re.I),
                     "this that it")
# _THIS_IS_CALLED backtracks at every position of a sentence: it is tried only where a naming word occurs.
_THIS_IS_CALLED_SCAN = Scan(_THIS_IS_CALLED, ("called", "known as", "termed", "referred to as"))


def _named_after(block: Block) -> list[Fact]:
    if block.kind not in ("paragraph", "list_item", "quote"):
        return []
    out = []
    for sent_start, sent in enumerate(block.sentences):
        text = sent.text
        if len(text) > 600:
            continue  # a run-on "sentence" is no definition (and bounds the work)
        if sent_start + 1 < len(block.sentences) and _NAMED_NEXT.match(block.sentences[sent_start + 1].text):
            text = f"{text} {block.sentences[sent_start + 1].text}"
        m = _THIS_IS_CALLED_SCAN.search(text)
        if not m:
            continue
        what = clean_sentence(m.group("what").strip()).rstrip(".")
        name = m.group("name").strip()
        if len(name.split()) > 5 or _NOT_A_TERM.match(name) or _READER_WE.search(what):
            continue
        card = f"{name[0].upper() + name[1:]}: {what[0].lower() + what[1:]}."
        fact = cloze("definition", card, name[0].upper() + name[1:], 0.85, block, text, sent.line)
        if fact:
            out.append(fact)
    return out


def _clean_term(term: str) -> str:
    return _ARTICLE.sub("", term.strip(" ,"))


def _usable_term(term: str) -> bool:
    words = term.split()
    if not words or len(words) > 5 or words[0].lower() in LEADING_PRONOUNS:
        return False
    if _CLAUSE_WORD.search(term):
        return False  # a clause, not a term
    if all(w.lower() in GENERIC for w in words):
        return False
    return not (_WEAK_TERM.match(term) and len(words) == 1)


def _sentence_definition(text: str, emphasis: tuple[str, ...], sent: ProseSentence) -> Fact | None:
    fact = _definition_in(text, emphasis, sent)
    if fact is None or not sent.lead:
        return fact
    card, at = sent.card(fact.text)
    return cloze_spans(
        fact.rule,
        card,
        [(g.start + at, g.end + at) for g in fact.gaps],
        fact.score,
        fact.block,
        fact.sentence,
        fact.line,
        term=fact.term,
    )


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    for word in words:  # noqa: SIM110 - a plain loop: any(<genexpr>) costs more than the tests
        if word in text:
            return True
    return False


def _holds_is_are(text: str) -> bool:
    """`_IS_ARE.search(text)`, by substring tests where the only whitespace is " " (printable text: every
    other character \\s takes is a control or a separator, which str.isprintable() refuses)."""
    if " is " in text or " are " in text:
        return True
    return not text.isprintable() and _IS_ARE.search(text) is not None


def _as_word(phrase: str) -> re.Pattern[str]:
    """`phrase` where no word character touches it (compiled once: a block's bold phrases recur)."""
    return re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")


def _definition_in(text: str, emphasis: tuple[str, ...], sent: ProseSentence) -> Fact | None:
    block = sent.block
    marked = [e for e in emphasis if e and _as_word(e).search(text)]
    # Each pattern is tried only when the text holds the words it needs (both are case-sensitive).
    m = _EXPLICIT.match(text) if _holds_any(text, _EXPLICIT_VERBS) else None
    score = 0.9
    if not m:
        m = _COPULAR.match(text) if _holds_is_are(text) else None
        score = 0.8
    if m and _READER.search(m.group("definition")):
        m = None  # "a process that you will see again": addressed to the reader, not a definition
    if m:
        term = _clean_term(m.group("term"))
        inner = next((e for e in marked if e in m.group("term")), "")
        term = inner or term
        if (_usable_term(term) and not _NOT_A_TERM.match(m.group("term"))) or inner:
            start = text.find(term)
            spans = [(start, start + len(term))]
            return cloze_spans("definition", text, spans, score, block, sent.raw, sent.line, term=term)
    m = _CALLED.search(text) if _holds_any(text, _CALLED_VERBS) else None
    if m:
        name = _NAME_END.sub("", m.group("name")).strip()
        if 0 < len(name.split()) <= 6 and not _WEAK_TERM.match(name):
            start = m.start("name")
            return cloze_spans(
                "definition", text, [(start, start + len(name))], 0.85, block, sent.raw, sent.line, term=name
            )
    m = _WHICH_MEANS.search(text) if "," in text else None
    if m:
        before = text[: m.start()]
        term = next((e for e in reversed(marked) if before.endswith(e) or before.rstrip(")").endswith(e)), "")
        if term:
            start = before.rfind(term)
            spans = [(start, start + len(term))]
            return cloze_spans("definition", text, spans, 0.9, block, sent.raw, sent.line, term=term)
    return None


def _phrase_definitions(text: str, emphasis: tuple[str, ...], block: Block, raw: str, line: int) -> list[Fact]:
    """Definitions inside a sentence: `term (definition)`, `the term, an X that ...,`, `long form (ABBR)`."""
    out: list[Fact] = []
    if "(" not in text and "," not in text:
        return out  # each phrase form below starts at a parenthesis or a comma
    for m in re.finditer(r"\((?P<definition>(?:the|a|an|states?|any|when|where)\s[^()]{12,200})\)", text):
        term = _term_before(text[: m.start()], emphasis)
        definition_text = m.group("definition").strip()
        if term and len(definition_text.split()) >= 4:
            card = f"{term[0].upper() + term[1:]}: {definition_text}."
            fact = cloze("definition", card, term[0].upper() + term[1:], 0.85, block, raw, line)
            if fact:
                out.append(fact)
    for m in re.finditer(
        r",\s+(?P<definition>(?:a|an)\s[^,;()]{3,160}?\b(?:that|which|who|associated "
        r"with|used "
        r"to|of)\b[^,;()]{3,120}?)(?:,|\.?$)",
        text,
    ):
        term = _term_before(text[: m.start()], emphasis)
        if term and len(term.split()) <= 4:
            card = f"{term[0].upper() + term[1:]}: {m.group('definition').strip()}."
            fact = cloze("definition", card, term[0].upper() + term[1:], 0.8, block, raw, line)
            if fact:
                out.append(fact)
    for long_form, abbr in _abbreviations(text):
        fact = question(
            "abbreviation",
            f"What does {abbr} stand for?",
            long_form,
            abbr,
            0.7,
            block,
            raw,
            line,
        )
        if fact:
            out.append(fact)
    return out


def _term_before(before: str, emphasis: tuple[str, ...]) -> str:
    """The term a parenthesis or appositive defines: a bold phrase ending `before`, else its last chunk."""
    stripped = before.rstrip()
    for e in emphasis:
        if e and stripped.endswith(e):
            return e
    found = chunks(stripped)
    if not found or found[-1].end < len(stripped) - 1:
        return ""
    term = stripped[found[-1].start : found[-1].end]
    term = re.split(r"\s+(?:and|or)\s+", term)[-1]
    return term if _usable_term(term) else ""


def _abbreviations(text: str) -> list[tuple[str, str]]:
    """(long form, abbreviation) pairs written `long form (ABBR)` or `ABBR (Long Form)`."""
    out: list[tuple[str, str]] = []
    if "(" not in text:
        return out  # both forms hold a parenthesis
    for m in _ABBREVIATION.finditer(text):
        abbr = m.group("abbr")
        letters = [c.lower() for c in abbr.rstrip("s") if c.isupper()]
        if len(letters) < 2:
            continue
        words = re.findall(r"[A-Za-z][\w'’-]*", text[: m.start()])
        picked: list[str] = []
        need = list(letters)
        for w in reversed(words):
            if not need:
                break
            if w.lower() in ("and", "of", "the", "for", "on", "in", "to", "&"):
                picked.insert(0, w)
                continue
            parts = [p for p in re.split(r"[-/]", w) if p]
            initials = [p[0].lower() for p in parts]
            if need[-len(initials) :] == initials:
                picked.insert(0, w)
                need = need[: -len(initials)]
            else:
                break
        if not need and picked:
            while picked and picked[0].lower() in ("and", "of", "the", "for", "on", "in", "to"):
                picked.pop(0)
            out.append((" ".join(picked), abbr))
    for m in _ABBR_FIRST.finditer(text):
        long_form = m.group("long").strip()
        letters_of_long = "".join(
            w[0].lower()
            for w in re.findall(r"[A-Za-z][\w'’-]*", long_form)
            if w.lower() not in ("and", "of", "the", "for", "on", "in", "to")
        )
        if letters_of_long == m.group("abbr").lower().rstrip("s"):
            out.append((long_form, m.group("abbr")))
    return out
