"""Is a candidate fact worth a card as it stands? The last gate before selection ranks what is left.

Precision first (DESIGN.md): a learner deletes a bad card by hand, and a missing one costs less. Each check
names a kind of defect a strict tutor drops or sends back, never one text's words:

- the page role of its block or sentence (navigation, byline, the author's story, test-day procedure);
- a gap a tutor would not choose: a function word, part of a word, a gap holding the clause's verb, a gap
  beside its own restatement in parentheses, an outline label;
- for prose claims, an answer with nothing specific to recall ("look", "good", "the situation").

`why_unworthy(fact, doc)` returns the reason in words a user reads, or "" when the fact may become a card.
Author markup and curation (pinned facts) are never judged here.
"""

from __future__ import annotations

import re

from ..model import Block, Document, Fact
from ..text import normalize, stem_set
from .answered import asks_on_front
from .answers import CATEGORY_NOUNS
from .filters import code_like
from .gapcheck import ANSWER_WORD, PROSE_RULES, bad_answer, bad_gap, verb_word
from .lexicon import finite_verb, parts_of_speech
from .markup import in_qa_pair
from .phrases import verb_positions
from .roles import block_role, personal_account, sentence_role, speaks_to_someone
from .structure import COUNTED, groups_of_blocks, memo_by_identity
from .words import GENERIC, is_function_word, tokens

PERSONAL_MIN_SCORE = 0.6  # a personal account's prose: only sentences scored as plain facts
STRUCTURE_RULES = frozenset({"table", "field", "glossary", "list", "component", "markup"})
STEP_RULES = frozenset({"procedure", "enumeration"})  # "Take out a [glove]" under "Steps in Donning Gloves"
TERM_RULES = frozenset({"definition", "question-heading"})  # the answer is a term: never a vague word
CODE_RULES = frozenset({"exercise", "inline-command"})  # the answer is a command (`dnf remove`), not prose
# Words that say how the author feels about something, or stand for anything: never the thing to recall.
VAGUE = frozenset(
    "good bad great nice fine little big small lot lots bunch stuff things thing way ways look looks idea "
    "ideas situation situations result results owner link links place places sense work job deal piece "
    "pieces kind sort bit couple fun easy hard difficult simple tough scary useful helpful powerful "
    "pointless excellent superfluous perfect awesome amazing interesting important essential crucial vital "
    "key main major minor common ordinary normal real actual whole entire full complete various different "
    "same other new old first last next best worst better worse more less most least many much few "
    "enough several certain sure course attention effort time times moment day days week weeks year "
    "years people person someone something everything anything nothing everyone anyone question questions "
    "answer answers problem problems issue issues topic topics subject subjects material materials "
    "concept concepts information detail details aspect aspects point points part parts area areas "
    "reason reasons fact facts case cases example examples number numbers type types form forms level "
    "levels step steps process approach method methods strategy strategies tips tip help use uses following "
    "essence latter former above below purpose component components thing default specific asap guidance "
    "assistance measures support stuff".split()
)
# Words authors put before a colon to flag a line, not terms the line defines.
_LABEL_WORDS = frozenset(
    "rule note tip hint example important warning caution remember summary reminder answer solution "
    "explanation limitation limitations advantage advantages disadvantage disadvantages benefit benefits "
    "drawback drawbacks pros cons caveat gotcha purpose goal result outcome problem info update status".split()
) | frozenset(("key point", "exam tip", "pro tip", "note well", "golden rule", "rule of thumb"))
_CODEISH = re.compile(r"[_=/\\.:+#@$<>{}\[\]]|\d|[a-z][A-Z]|^-")


def why_unworthy(fact: Fact, doc: Document) -> str:
    """Why `fact` should not become a card, or "" when it may."""
    if fact.pinned:
        return ""
    role = block_role(fact.block, doc) or sentence_role(fact.sentence)
    if role:
        return role
    if fact.rule not in _CARD_RULES and fact.block.section and fact.block.section in _card_sections(doc.blocks):
        return "a note beside the author's own flashcard (tip, follow-up, red flag): the author's card asks it"
    if fact.rule in CODE_RULES:
        return ""  # the answer is a command line: word classes of prose (a verb at its end) say nothing of it
    answers = _answers(fact)
    for answer in answers:
        reason = bad_answer(answer, fact.rule in STRUCTURE_RULES)
        if reason:
            return reason
    if fact.kind == "cloze":
        reason = bad_gap(fact)
        if reason:
            return reason
    lead = _lead_of(fact.block, doc) if fact.block.kind == "list_item" else ""
    if _TOC_LEAD.match(lead):
        return "page furniture: a list of the page's topics"
    if fact.rule not in ("exercise", "mcq") and _TASK_LEAD.match(lead) and not _TASK_LEAD.match(
            fact.block.section[-1] if fact.block.section else ""):
        # A lead-in "Tasks:" inside a section names an exercise's to-do list; a heading "What to Do" over
        # first-aid steps is the procedure itself.
        return "an exercise's to-do list, not facts to recall"
    if fact.rule == "list" and _list_length(doc.blocks, fact.block.list_id) > MAX_LIST_ITEMS:
        return f"one item of a list of more than {MAX_LIST_ITEMS}: a set too long to recall item by item"
    if fact.rule in PROSE_RULES | {"definition"} and personal_account(doc) and (
            speaks_to_someone(fact.block.text) or fact.score < PERSONAL_MIN_SCORE):
        return "an aside of a personal account (an exam-experience post): only its plainest facts are asked"
    if fact.rule in PROSE_RULES and fact.sentence.rstrip().endswith(":"):
        return "a lead-in to what follows (an example, a list): incomplete alone"
    if (fact.rule in ("enumeration", "list") or _NUMBER_RUN.search(fact.sentence)) and all(
            _BARE_NUMBER.fullmatch(a.strip()) for a in answers):
        return "one value of a worked case's list of numbers, not a fact"
    if fact.rule in PROSE_RULES | {"list", "field"} and (_WORKED.search(fact.sentence) or _WORKED.search(fact.text)):
        return "a worked example's arithmetic or given values, not the rule it works out"
    if fact.rule in PROSE_RULES and code_like(fact.sentence):
        return "code, not a sentence: a gap in it asks a literal"
    if fact.kind == "cloze" and _initials_of_label(fact):
        return "the answer is the label's own first letters"
    if fact.rule == "list" and not fact.block.ordered and sum(map(_states, answers)) * 2 > len(answers) \
            and not COUNTED.search(_lead_of(fact.block, doc) or ""):
        return "items that say what the subject does or has: any of them could fill the gap"
    if fact.rule == "list" and any(normalize(a) in _parent_items(doc.blocks) for a in answers):
        return "the item asked heads a sub-list: a label of the outline, not a fact"
    if fact.rule == "list" and fact.block.list_id in _outline_lists(doc.blocks):
        return "a list of topic labels, each with its own sub-list (an outline, not a list to recall)"
    if fact.rule in ("glossary", "field") and _study_aid(fact):
        return "a study aid's label (\"Easy to Remember:\", \"Answer —\"), not a term and its definition"
    if fact.rule == "glossary" and any(a.strip(" :*").lower() in CATEGORY_NOUNS for a in answers):
        return "the term asked is a kind of thing (\"Fields:\", \"Options:\"), a label, not a term"
    if fact.kind == "cloze" and any(a.strip(" :*!").lower() in _LABEL_WORDS for a in answers):
        return "the answer is a label (\"RULE:\", \"Note:\"), not a term"
    if fact.rule in ("glossary", "field") and fact.sentence.rstrip(" *_").endswith("?"):
        return "a form's field and the question it asks, not a definition"
    if fact.rule == "glossary" and any(_step_label(a) for a in answers):
        return "a step of a how-to (\"Configure Conditions:\"), not a term"
    if fact.rule in TERM_RULES and not any(_specific(a) for a in answers):
        return "the term asked is a vague word"
    if fact.kind == "cloze" and _citation(fact):
        return "a document or standard number (a citation), not a quantity"
    if fact.rule == "procedure" and any(len(a.split()) > 1 and verb_word(a.split()[0].lower()) for a in answers):
        return "gap holds the instruction's verb"
    if fact.rule == "claim" and _FRAGMENT_OPENER.match(_body(fact)) and not verb_positions(tokens(fact.text)) \
            and not _AUXILIARY.search(fact.text) and not _NOTATION.search(fact.text):
        return "a fragment with no verb: it states nothing"
    if fact.rule in PROSE_RULES and "|" in fact.text and "`" not in fact.sentence and _TABLE_PIPE.search(fact.text):
        return "the cells of a table written without its header row, run together"
    if fact.rule in PROSE_RULES and _CUT_OFF.search(fact.text.rstrip()):
        return "a sentence cut off mid-way (it ends on \"the\", \"if\", \"of\" ...)"
    if fact.rule in PROSE_RULES and fact.kind == "cloze" and fact.rule != "procedure" and (
            _SUBJECTLESS.match(fact.text) or _opens_on_predicate(fact.text)):
        return "no subject: the clause opens with its verb"
    if fact.rule == "enumeration" and fact.kind == "cloze" \
            and any(_in_parentheses(fact.text, g.start) for g in fact.gaps):
        return "the gap is in an aside, not the claim"
    if fact.rule in STEP_RULES and fact.block.section and all(_given_by(a, fact.block.section[-1]) for a in answers):
        return "a step's obvious object: the heading above names it"
    if fact.rule in PROSE_RULES:
        if not any(_specific(a) for a in answers):
            return "nothing specific to recall in the answer"
        reason = _bad_prose_gap(fact, answers)
        if reason:
            return reason
    return ""


_AUXILIARY = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|can|could|will|would|shall|should|must|may|"
                        r"might|do|does|did)\b", re.I)


# A claim that opens with its verb has lost its subject ("Can also display ...", "Used for ...", "Promotes and
# supports ..."): unless a list's lead stands before it, nobody can tell what it is about.
_SUBJECTLESS = re.compile(
    r"^(?:\(|\[\.\.\.\])?(?:can|could|may|might|must|should|will|would|is|are|was|were|has|have|had|also|used|"
    r"refers|known|helps|allows|provides|offers|supports|promotes|ensures|includes|contains|requires|makes|"
    r"gives|takes|shows|displays|creates|enables|prevents|reduces|increases)\b",
    re.I,
)
# A clause that opens like this and has no verb is the tail of a sentence: "As sole person for managing ...".
_FRAGMENT_OPENER = re.compile(r"^(?:as|for|when|if|while|to|with|by|in|on|at|from|of|since|because|after|before|"
                              r"during|without|through|via)\b", re.I)
_NOTATION = re.compile(r"[=→:]")


# Not "that" or "in": "less than that", "log in" end sentences.
# A pipe between cells ("[...] | PCI Data Security Standard", "Programs|."), not a shell's ("lsmod | grep").
_TABLE_PIPE = re.compile(r"\|[^|]*\||\|\s*[A-Z]|\|\s*\.?$|^\W*\|")
_CUT_OFF = re.compile(r"\b(?:the|a|an|of|if|and|or|with|by|from)\.?$", re.I)
_STATEMENT_OPENERS = frozenset("can cannot can't is are has have does doesn't must may will should".split())


def _states(item: str) -> bool:
    """Whether a list item is a statement about the list's subject ("Requires two-way communications",
    "Can be hidden or broadcast"), not a name: it opens on a verb or an auxiliary."""
    first = item.split(None, 1)[0].lower().strip("*_") if item.split() else ""
    return first in _STATEMENT_OPENERS or (
        finite_verb(first) and len(item.split()) > 1)


_PREDICATE_NEXT = frozenset("to by for with as in on from into when if only via through".split())


def _opens_on_predicate(text: str) -> bool:
    """Whether a clause opens on a verb with no subject before it: "Shaped to provide airspace for ...",
    "Varies by region" (a note's fragment whose subject is the heading, not on the card)."""
    words = text.split(None, 2)
    if len(words) < 2 or "," in " ".join(text.split()[:6]):
        return False  # "Compared with X, Y is ...": an opener, the subject follows
    first, second = words[0].lower().strip("*_"), words[1].lower()
    inflected = first.endswith("ed") or (first.endswith("s") and not first.endswith("ss"))
    pos = parts_of_speech(first)
    return inflected and second in _PREDICATE_NEXT and "v" in pos and "n" not in pos


def _body(fact: Fact) -> str:
    """The clause a cloze card asks, without the list lead shown before it."""
    return fact.text.split(": ", 1)[-1] if fact.block.kind == "list_item" else fact.text


_TOC_LEAD = re.compile(r"^(?:topics|contents|table of contents|in this (?:section|article|guide|chapter)|"
                       r"on this page|related (?:topics|pages|articles))\s*:?$", re.I)


_TASK_LEAD = re.compile(r"^(?:what to do|to ?do|tasks?|your tasks?|instructions|steps to follow|exercise|"
                        r"try it|lab steps?)\s*:?$", re.I)
MAX_LIST_ITEMS = 12  # a longer list is a reference to look up, not a set to learn by heart (body sites, practices)
# "2^7-2 = 126", "Subnet Mask = 255.255.255.192": one case worked out, not the rule
_WORKED = re.compile(r"[\d)]\s*=\s*\$?\d|=\s*\d{1,3}(?:\.\d{1,3}){3}\b")
_BARE_NUMBER = re.compile(r"[\d.,/:\s]+")
_NUMBER_RUN = re.compile(r"\b\d+, \d+,? (?:\d+,? )*(?:and |or )?\d+\b")  # "0, 64, 128 and 192"
_CARD_RULES = frozenset({"markup", "answered", "mcq", "exercise"})  # rules that ask the author's own cards


@memo_by_identity(8)
def _card_sections(blocks: tuple[Block, ...]) -> frozenset[tuple[str, ...]]:
    """Sections that hold a question the author wrote with its answer ("Q: ... A: ...", "Front:/Back:")."""
    return frozenset(b.section for b in blocks
                     if in_qa_pair(b) or (b.kind == "paragraph" and asks_on_front(b)))




def _list_lengths(blocks: tuple[Block, ...]) -> dict[int, int]:
    lengths: dict[int, int] = {}
    for block in blocks:
        if block.kind == "list_item":
            lengths[block.list_id] = lengths.get(block.list_id, 0) + 1
    return lengths


def _list_length(blocks: tuple[Block, ...], list_id: int) -> int:
    return _list_lengths(blocks).get(list_id, 0)


def _initials_of_label(fact: Fact) -> bool:
    """"Pleura: [PLE]": an answer that is the start of the label it stands beside, in capitals."""
    text = fact.text
    for gap in fact.gaps:
        answer = text[gap.start:gap.end].strip()
        label = text[:gap.start].rstrip().rstrip(":—-").strip().split(" ")[-1] if gap.start else ""
        if 2 <= len(answer) <= 4 and answer.isupper() and label and label.upper().startswith(answer):
            return True
    return False


def _lead_of(block: Block, doc: Document) -> str:
    return _leads(doc.blocks).get(id(block), "")


def _leads(blocks: tuple[Block, ...]) -> dict[int, str]:
    """Each list item's lead, made once per article (group_of would scan every list for each fact)."""
    return {id(item): group.lead for group in groups_of_blocks(blocks) for item in group.items}


def _given_by(answer: str, heading: str) -> bool:
    """Whether every content word of `answer` is in `heading` ("glove" under "Steps in Donning Gloves")."""
    wanted = {s.rstrip("e") for s in stem_set(answer)}
    return bool(wanted) and wanted <= {s.rstrip("e") for s in stem_set(heading)}


def _in_parentheses(text: str, at: int) -> bool:
    return text.rfind("(", 0, at) > text.rfind(")", 0, at)


_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")
MAX_NUMBERS = 6  # a sentence with more numbers is a data dump (scores, question lists), not one fact


def _bad_prose_gap(fact: Fact, answers: list[str]) -> str:
    """Gaps a tutor would not cut from running prose: across a comma, ending on a function word, a
    reference number ("#11"), a number among many."""
    for answer in answers:
        words = ANSWER_WORD.findall(answer)
        if fact.rule != "enumeration" and "," in answer and not _NUMBERS.fullmatch(answer.strip()):
            return "gap runs across two phrases"
        if words and is_function_word(words[-1].lower()) and not words[-1].isdigit():
            return "gap ends on a function word"
    if fact.kind == "cloze":
        for gap in fact.gaps:
            if fact.text[max(0, gap.start - 1):gap.start] in ("#", "№"):
                return "reference number as the answer"
    if fact.rule == "number" and len(set(_NUMBERS.findall(fact.sentence))) > MAX_NUMBERS:
        return "one number among many (a data dump, not one fact)"
    return ""


# "ISO 10646", "SP 800-132", "RFC 2119", "[NIST 2017]": a number that names a document.
_CITED = re.compile(r"(?:\b[A-Z]{2,}(?:/[A-Z]{2,})?(?:\s+(?i:standard|publication|no\.?|number))?"
                    r"|\b(?i:section|clause|article|part|chapter|rfc|appendix))[\s-]*$")


def _citation(fact: Fact) -> bool:
    text = fact.text
    for gap in fact.gaps:
        inner = text[gap.start:gap.end]
        if inner.replace("-", "").replace(".", "").isdigit() and _CITED.search(text[max(0, gap.start - 20):gap.start]):
            return True
    return False


@memo_by_identity(8)  # asked of every list fact; one scan of the article's blocks serves them all
def _parent_items(blocks: tuple[Block, ...]) -> frozenset[str]:
    """The texts of list items that have a sub-list of their own ("Generally includes three areas")."""
    out = set()
    for i, block in enumerate(blocks[:-1]):
        following = blocks[i + 1]
        if block.kind == "list_item" and following.kind == "list_item" and following.depth > block.depth:
            out.add(normalize(block.text))
    return frozenset(out)


def _outline_lists(blocks: tuple[Block, ...]) -> frozenset[int]:
    """Lists most of whose items have a sub-list: their items are the outline's topics."""
    items: dict[int, int] = {}
    parents: dict[int, int] = {}
    for i, block in enumerate(blocks):
        if block.kind != "list_item":
            continue
        items[block.list_id] = items.get(block.list_id, 0) + 1
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if following is not None and following.kind == "list_item" and following.depth > block.depth:
            parents[block.list_id] = parents.get(block.list_id, 0) + 1
    return frozenset(lid for lid, n in items.items() if n >= 2 and parents.get(lid, 0) * 2 > n)


def _answers(fact: Fact) -> list[str]:
    if fact.kind == "qa":
        return [fact.answer]
    return [fact.text[g.start:g.end] for g in fact.gaps]


def _specific(answer: str) -> bool:
    """Whether an answer holds a word worth recalling: one that is not vague ("good", "the situation"), not
    a function word, and not a bare fragment."""
    words = ANSWER_WORD.findall(answer)
    for word in words:
        low = word.lower()
        if _vague(low) or low in GENERIC or is_function_word(low) or (len(low) < 3 and not _CODEISH.search(word)):
            continue
        return True
    return False


_STUDY_AID = re.compile(r"^\W*(?:easy to remember|in short|tl;?dr|mnemonic|memory aid|remember|answer)\s*[:—–-]", re.I)


def _study_aid(fact: Fact) -> bool:
    """Whether the fact's line is a study aid's label with its paraphrase, not a term with its definition."""
    return bool(_STUDY_AID.match(fact.sentence) or _STUDY_AID.match(fact.text))


def _step_label(answer: str) -> bool:
    """Whether the answer opens with a verb in its base form: an instruction, not a name."""
    first = answer.split(None, 1)[0].lower() if answer.split() else ""
    return finite_verb(first) and not first.endswith("s")


def _vague(low: str) -> bool:
    """A vague word, in the singular or the plural ("processes", "strategies")."""
    return (low in VAGUE or (low.endswith("es") and low[:-2] in VAGUE) or (low.endswith("s") and low[:-1] in VAGUE)
            or (low.endswith("ies") and low[:-3] + "y" in VAGUE))
