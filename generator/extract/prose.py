"""Prose sentences ready for a card: cleaned, split into clauses, leading pronouns resolved, noise dropped.

Shared by the prose rules (definition, claim, enumeration). A sentence that starts with a pronoun gets
its referent from the subject of an earlier sentence in the same paragraph ("It is holistic" after
"A person's recovery is built on..." reads "A person's recovery is holistic"); a demonstrative with a
noun becomes "the" ("These experiences" -> "The experiences"); a pronoun that cannot be resolved drops
the sentence, because a learner could not read the card alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..memo import article_cache
from ..model import Block, Document
from ..text import LEADING_PRONOUNS, stem_set
from .filters import BOILERPLATE_SCAN, RHETORIC_SCAN, clean_sentence, is_noise, opening_word
from .phrases import split_clause, verb_positions
from .structure import glossary_parts, groups_of_blocks, label_of, lead_in, list_fragments, memo_by_identity
from .trace import record_block, record_drop, tracing
from .words import AUXILIARIES, VERBS, is_function_word, tokens

MAX_LEAD_WORDS = 10  # a list's lead-in is shown before each of its sentence items up to this length
MAX_WORDS = 60  # longer sentences are run-ons or pasted tables: no card
CLAUSE_WORDS = 32  # longer sentences are cut into clauses for a card that reads in one glance
# Sections that hold exercises, scenarios or reading lists rather than facts to learn.
EXERCISE_SECTION = re.compile(
    r"\b(practice|quiz(zes)?|exercises?|review questions|self[- ]?(check|test|assessment)|check your "
    r"understanding|"
    r"check[- ]in|warm[- ]?up|case stud(y|ies)|cases?|scenarios?|reflection|learning "
    r"objectives|objectives|examples?|"
    r"discussion questions|critical thinking|references|bibliography|further reading|see also|footnotes|"
    r"about the author|related (articles|posts|reading)|comments|subscribe|share this)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"\s*;\s+|\s+[—–]\s+|(?<=\w)—(?=\w)")
_SOFT_BREAK = re.compile(r",\s+(?=(?:but|while|whereas|so|although|though)\s)")
_DASH_ASIDE = re.compile(r"\s[—–]\s[^—–.;]{3,90}\s[—–]\s")
_AND_CLAUSE = re.compile(r",\s+(?:and|but|so)\s+(?=(?:suddenly|then|now|it|they|you|we|this)\b)", re.I)
_LEAD_IN_COLON = re.compile(r":\s+(?=[a-z])")
_NOT_JUST = re.compile(
    r"\b(?:isn['’]t|is not|aren['’]t|are not)\s+"
    r"(?:(?:just|only|simply|merely)(?:\s+about)?\s+|(?=(?:a|an)\s))|\bgoes beyond(?:\s+just)?\s+",
    re.I,
)
_COMPOUND = re.compile(
    r",\s+(?:and|but)\s+(?=(?:as|the|a|an|your|their|its|this|these|many|most|some)\b)", re.I
)
_FINITE = re.compile(r"\b(?:is|are|was|were|can|may|will|should|must|has|have)\b", re.I)
_LONG_PAREN = re.compile(r"\s*\([^()]{30,300}\)")
_DEMONSTRATIVE = re.compile(r"^(this|these|that|those)\s+(?=[a-z])", re.I)
_CLAUSAL_THIS = re.compile(
    r"^(this|that|which)\s+(means|suggests|shows|indicates|implies)\s+(that\s+)?", re.I
)
_DUMMY_IT = re.compile(
    r"^(it|this|that)(['’]s|\s+is|\s+was)\s+(\w+\s+)?(about|like|important|essential|vital|"
    r"crucial|key|necessary|possible|likely|clear|true|worth|not|all|also|part|time|"
    r"why|how|what|where|when)\b",
    re.I,
)
# ", an area of the brain associated with ...," — defined by the definition rule, taken out of the claim.
_APPOSITIVE_DEFINITION = re.compile(
    r",\s+(?:a|an)\s[^,;()]{3,160}?\b(?:that|which|who|associated with|used "
    r"to)\b"
    r"[^,;()]{3,120}?(?=,|\.?$)"
)
_READER_LED = re.compile(r"^(you|we|i|he|she|let['’]?s|imagine)\b", re.I)
_EXAMPLE_LABEL = re.compile(r"(examples?|e\.g\.|for example|case)\s*:", re.I)
_PRONOUN_IS = re.compile(r"(?:it|this|they)(?:['’]s|['’]re| is| are)\s+(?:all\s+)?(?P<rest>.+?)\.?$", re.I)
_JUST = re.compile(r"just|only|simply|merely|beyond")
_LEADING_CONJUNCTION = re.compile(r"^(and|but|so|or|yet)\s+", re.I)
_SUBORDINATE = re.compile(r"(when|if|as|because|while|although|by|for|in|on|with|without|after|before)\b", re.I)
_THOSE_WHO = re.compile(r"those\s+(?:who|with|without)\b", re.I)
_FIRST_WORD = re.compile(r"[A-Za-z'’]+")
_SOME_OF_WHICH = re.compile(r"(some|many|most|all|none|each) of (which|whom|them)\b", re.I)


@dataclass(frozen=True, slots=True)
class ProseSentence:
    text: str  # the clause a card shows: cleaned, pronoun resolved, inline definitions taken out
    raw: str  # the source sentence as written
    line: int
    block: Block
    full: str = ""  # the clause before inline definitions were taken out (the definition rule reads it)
    lead: str = ""  # what names the list this item belongs to: shown before the clause on the card
    focus: tuple[int, int] | None = None  # the part of `text` that states the claim ("X is B, not A": B)

    def card(self, text: str | None = None) -> tuple[str, int]:
        """The card text (the list's lead, then the clause) and where the clause starts in it."""
        body = self.text if text is None else text
        if not self.lead:
            return body, 0
        prefix = f"{self.lead}: "
        return prefix + body, len(prefix)


def in_exercise_section(block: Block) -> bool:
    return _exercise_section(block.section)


@article_cache(256)
def _exercise_section(section: tuple[str, ...]) -> bool:
    # Cached: every rule asks this of every block, and an article has a few dozen sections.
    # A heading names such a section when it opens with the label ("Examples", "Case study: ..."); a title
    # that only mentions one ("Subnetting: Definition, Examples, and Exam Tips") is the whole article's.
    # Below the title, a heading may also close with it ("Arrival Scenario", "Chapter Review Questions").
    # The first heading may be the article's title: there only a short one ("Arrival Scenario") is a label.
    return any(EXERCISE_SECTION.match(_OUTLINE_NUMBER.sub("", h))
               or ((i or len(h.split()) <= 3) and _ENDS_WITH_LABEL.search(h)) for i, h in enumerate(section))


_ENDS_WITH_LABEL = re.compile(r"\b(?:scenarios?|case stud(?:y|ies)|quiz(?:zes)?|exercises?|review questions|"
                             r"practice questions|examples?)\s*$", re.I)
_OUTLINE_NUMBER = re.compile(r"^\s*(?:[\d.]+[.)]?|[A-Z][.)])\s+")


def _subject(clause: str) -> str:
    # Cached: a sentence of one clause is both its own first clause and the whole sentence.
    return split_clause(clause).subject


class _SubjectOf:
    """What a later pronoun may refer to: the subject of `text`, worked out only when a pronoun asks.
    Most sentences are never referred back to, and finding a subject is this stage's costliest step.
    (A plain class: two are made for each sentence, and a frozen dataclass is slower to make.)"""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def value(self) -> str:
        subject = _subject(self.text)
        return subject if _plain_subject(subject) else ""


Referent = str | _SubjectOf  # a subject ("" for none), or where to find it


def _referent(entry: Referent) -> str:
    return entry if isinstance(entry, str) else entry.value()


def prose_sentences(doc: Document) -> tuple[ProseSentence, ...]:
    """Every prose clause of the article worth considering for a card, in document order."""
    return _prose(doc.blocks, doc.title)


# The definition, enumeration and claim rules all ask for an article's sentences: 11% of the build's CPU.
@memo_by_identity(8)
def _prose(blocks: tuple[Block, ...], title: str) -> tuple[ProseSentence, ...]:
    out: list[ProseSentence] = []
    groups = groups_of_blocks(blocks)
    lead_of = {id(b): g.lead for g in groups for b in g.items}
    in_notes = {id(b) for g in groups for b in list_fragments(g)}
    leads = {id(g.lead_block) for g in groups if g.lead_block is not None}
    previous: Block | None = None
    for block in blocks:
        same_section = previous is not None and previous.section == block.section
        label_before = label_of(previous) if previous is not None and same_section else ""
        previous = block
        if tracing(blocks=True) and block.kind not in ("heading", "code", "html") and in_exercise_section(block): record_block(block, "section", "section %r (exercises, examples, references are skipped)", next((h for h in reversed(block.section) if EXERCISE_SECTION.search(h)), block.section[-1]))  # noqa: E701,E501
        if block.kind not in ("paragraph", "quote", "list_item") or in_exercise_section(block):
            continue
        teaser: bool | None = None  # a paragraph with boilerplate: asked once a sentence restates the title
        if id(block) in in_notes or id(block) in leads or glossary_parts(block) or lead_in(block):
            continue  # asked by the structure rules
        if label_of(block) and not verb_positions(tokens(block.text)):
            record_drop(block.line, block.text, "filter", "a bare label: states nothing")
            continue  # a bare label ("Heat Cramps") states nothing
        if _EXAMPLE_LABEL.match(block.text):
            record_drop(block.line, block.text, "filter", "a worked example, not the rule it illustrates")
            continue  # a worked example, not the rule it illustrates
        lead = lead_of.get(id(block), "")
        if len(lead.split()) > MAX_LEAD_WORDS:  # "Types of Sampling — Attribute Sampling": the nearer name
            lead = lead.rsplit(" — ", 1)[-1]
        lead = lead if 0 < len(lead.split()) <= MAX_LEAD_WORDS else ""
        # Subjects of earlier sentences in the block, latest last; a label just above ("Signs and Symptoms")
        # is what "These can occur in any order" is about.
        subjects: list[Referent] = [label_before] if label_before and block.kind == "paragraph" else []
        for sent in block.sentences:
            raw = sent.text
            if block.kind == "paragraph" and _restates(raw, title):
                if teaser is None:
                    teaser = any(BOILERPLATE_SCAN.search(s.text) for s in block.sentences)
                if teaser:
                    record_drop(sent.line, raw, "filter", "repeats the title (a teaser beside boilerplate)")
                    subjects.append("")
                    continue  # a teaser's "Understanding X is key": the title again, in other words
            rhetoric = bool(RHETORIC_SCAN.search(raw)) and not raw.rstrip().endswith("?")
            if len(raw.split()) > MAX_WORDS or (rhetoric and not _LEAD_IN_COLON.search(raw)):
                record_drop(sent.line, raw, "filter", "rhetoric (a question or aside to the reader)" if rhetoric else f"longer than {MAX_WORDS} words (a run-on or a pasted table)")  # noqa: E501
                subjects.append("")
                continue
            cleaned = clean_sentence(raw)
            if rhetoric:  # "let's carry this lesson: empathy isn't just a skill": the claim after the colon
                cleaned = clean_sentence(_LEAD_IN_COLON.split(cleaned, maxsplit=1)[-1])
                if RHETORIC_SCAN.search(cleaned):
                    record_drop(sent.line, raw, "filter", "rhetoric (a question or aside to the reader)")
                    subjects.append("")
                    continue
            noisy = is_noise(cleaned)
            if noisy and not _has_claim_before_noise(cleaned):
                subjects.append("")
                continue
            clauses = _clauses(cleaned, split_and=noisy)
            earlier = list(subjects)
            for n, (clause, focus) in enumerate(_merge_contrast(clauses)):
                resolved = _resolve(clause, earlier)
                if focus and resolved != clause:
                    focus = None  # the subject was rewritten: offsets moved
                if n == 0:  # "X isn't a single event; it's a process": the next clause's "it" is X
                    earlier.append(_SubjectOf(resolved or clause))
                if not resolved or is_noise(resolved) or len(resolved.split()) < 3:
                    record_drop(sent.line, clause, "filter", "opens with a pronoun or speaks to the reader: unreadable alone" if not resolved else "fewer than 3 words" if len(resolved.split()) < 3 else "")  # noqa: E501
                    continue
                if n and not verb_positions(tokens(resolved)):
                    record_drop(sent.line, clause, "filter", "a fragment with no verb")
                    continue  # a verbless tail split off a sentence ("Particularly when combined ...")
                short = _APPOSITIVE_DEFINITION.sub("", resolved)
                out.append(ProseSentence(short, raw, sent.line, block, resolved, lead,
                                         focus if short == resolved else None))
            subjects.append(_SubjectOf(cleaned))
    return tuple(out)


def _restates(sentence: str, title: str) -> bool:
    """Whether a sentence holds most of the title's words (a teaser restating what the article is about)."""
    words = stem_set(title)
    if not words:
        return False
    need = 0.6 * len(words)
    # A stem is the start of a lower-cased word: a title stem missing from the text is not among its stems.
    low = sentence.lower()
    if sum(1 for w in words if w in low) < need:
        return False
    return len(words & stem_set(sentence)) >= need


def _has_claim_before_noise(text: str) -> bool:
    """A sentence whose first clause states a fact before a rhetorical tail is kept for its clauses."""
    return bool(_CLAUSE_BREAK.search(text) or _AND_CLAUSE.search(text))


def _split_compound(text: str) -> list[str]:
    """ "Every learner has a story, and as a tutor, your ability to adapt is vital": two claims, two clauses.
    Only where both sides have their own finite verb and the second is a clause of five words or more."""
    m = _COMPOUND.search(text) if "," in text else None
    if not m:
        return [text]
    left, right = text[: m.start()], text[m.end() :]
    if len(right.split()) < 5 or not _FINITE.search(right) or not verb_positions(tokens(left)):
        return [text]
    return [left, right[0].upper() + right[1:]]


def _merge_contrast(clauses: list[str]) -> list[tuple[str, tuple[int, int] | None]]:
    """ "X isn't just A; it's B" reads "X is B, not just A": the second half is the claim, "it" is X.
    Each clause comes with the span of its claim when it was merged (None otherwise)."""
    out: list[tuple[str, tuple[int, int] | None]] = []
    for clause in clauses:
        prev = out[-1][0] if out else ""
        c = _NOT_JUST.search(prev)
        m = _PRONOUN_IS.match(clause) if c else None
        if m and c:
            subject = _subject(prev) or prev[: c.start()].strip()
            if (subject and _plain_subject(subject)) or (subject and len(subject.split()) <= 6):
                negation = "not just" if _JUST.search(c.group(0)) else "not"
                head = f"{subject} is "
                merged = f"{head}{m.group('rest')}, {negation} {prev[c.end() :].strip(' .')}."
                out[-1] = (merged, (len(head), len(head) + len(m.group("rest"))))
                continue
        out.append((clause, None))
    return out


def _clauses(text: str, split_and: bool = False) -> list[str]:
    dashed = "—" in text or "–" in text  # every aside and every clause break but ";" holds a dash
    if dashed:  # "the sense of taste — sometimes dulled by age — may fail": drop the aside
        text = _DASH_ASIDE.sub(" ", text)
    pieces = _CLAUSE_BREAK.split(text) if dashed or ";" in text else [text]
    parts = [p.strip(" ,") for p in pieces if p and p.strip(" ,")]
    if split_and:  # a noisy sentence: keep the clauses that state something on their own
        parts = [q.strip(" ,") for p in parts for q in _AND_CLAUSE.split(p) if q.strip(" ,")]
    parts = [q.strip(" ,") for p in parts for q in _split_compound(p)]
    out: list[str] = []
    for part in parts:
        if len(part.split()) > CLAUSE_WORDS:
            part = _LONG_PAREN.sub("", part)
        if len(part.split()) > CLAUSE_WORDS:
            out.extend(p.strip(" ,") for p in _SOFT_BREAK.split(part) if p.strip(" ,"))
        else:
            out.append(part)
    cleaned = []
    for i, part in enumerate(out):
        part = _LEADING_CONJUNCTION.sub("", part) if i else part
        part = clean_sentence(part)
        if part and part[-1] not in ".!?":
            part += "."
        cleaned.append(part)
    return cleaned


def _plain_subject(subject: str) -> bool:
    """A subject that can stand in for a later pronoun: a short noun phrase, not a quantifier or clause."""
    words = subject.split()
    if not 0 < len(words) <= 5 or "," in subject:
        return False
    first = words[0].lower()
    if first in ("the", "a", "an"):
        return len(words) > 1
    if first in LEADING_PRONOUNS or first in (
        "many",
        "some",
        "most",
        "all",
        "few",
        "several",
        "each",
        "both",
        "none",
        "one",
        "another",
        "such",
    ):
        return False
    if _SUBORDINATE.match(subject):
        return False
    return not is_function_word(first)


# What a clause opens with when `_resolve` may change it: each of its patterns and word tests needs one.
_RESOLVED_OPENERS = frozenset("""those you we i he she let lets imagine it this that which these some many
    most all none each they""".split())


def _resolve(clause: str, subjects: list[Referent]) -> str:
    """The clause with a leading pronoun replaced by its referent; "" when it cannot be."""
    opener = opening_word(clause)
    if opener is not None and opener not in _RESOLVED_OPENERS:
        return clause  # most clauses open with a noun: nothing to resolve
    return _resolve_opener(clause, subjects)


def _resolve_opener(clause: str, subjects: list[Referent]) -> str:
    """`_resolve` for any clause: the tests hold `_resolve`'s shortcut to this."""
    if _THOSE_WHO.match(clause):
        return "People" + clause[len("those") :]  # "Those who ..." names people generically
    first = _FIRST_WORD.match(clause)
    if not first:
        return clause
    word = first.group(0).lower().replace("’", "'")
    if _READER_LED.match(clause) and word not in ("it", "they", "this", "these", "that", "those"):
        return ""
    if _DUMMY_IT.match(clause):
        return ""
    m = _CLAUSAL_THIS.match(clause)
    if m:
        rest = clause[m.end() :]
        return rest[0].upper() + rest[1:] if rest else ""
    m = _DEMONSTRATIVE.match(clause)
    if m:
        nxt = clause[m.end() :].split(None, 1)[0].lower().strip(",.")
        if nxt not in AUXILIARIES and nxt not in VERBS and not is_function_word(nxt):
            return "The " + clause[m.end() :]
        if m.group(1).lower() in ("this", "that"):
            return ""  # "This is due to...", "This helps explain...": refers to a whole clause
        word = "they"  # "These include ...": plural, like "they"
    if _SOME_OF_WHICH.match(clause):
        return ""
    if word in ("it", "they") or word.startswith(("it'", "they'")):
        referent = next((r for r in map(_referent, reversed(subjects[-3:])) if r), "")
        if not referent or (word.startswith("they") and not referent.lower().endswith("s")):
            return ""
        rest = clause[first.end() :]
        if word in ("it's", "it’s"):
            rest = " is" + rest
        elif word in ("they're",):
            rest = " are" + rest
        referent = referent[0].upper() + referent[1:]
        return referent + rest
    if word in LEADING_PRONOUNS:
        return ""
    return clause
