"""Structure rule: a mnemonic or acronym with its expansion, one card per letter's word.

"OLDCAR: Onset, Location, Duration, Character, Aggravating factors, Relieving factors", "SAMPLE stands
for Signs, Allergies, ...", or a lead naming the acronym over one list item per letter ("S – Signs and
symptoms"): each letter's word or phrase must start with that letter, in order. Four letters or more
make a cloze with one deletion per word (the acronym and the other words stay visible); up to three make
"What does CIA stand for?". An acronym that names the deck's own certification, exam or issuing body
(it is in the article's title, deck or front matter: "CCNA" in a CCNA article) is never asked: neither
here nor by the abbreviation rule (`names_own_exam`).
"""

from __future__ import annotations

import re

from ..model import Block, Document, Fact
from .structure import groups_of_blocks
from .util import cloze_spans, question

SCORE = 0.85
MAX_LETTERS = 10
_ACRONYM = r"(?P<acr>[A-Z]{2,10})\b"
_INLINE = re.compile(
    r"^(?:the\s+)?" + _ACRONYM + r"(?:\s+(?:mnemonic|acronym|method|model|rule))?\s*"
    r"(?::|=|[—–]|\s-\s|\s+(?:stands for|is short for|is an acronym for|is a mnemonic for|means)\s*:?)\s*"
    r"(?P<exp>\S.*)$"
)
_ITEM_LETTER = re.compile(r"^(?P<letter>[A-Z])\s*(?:[:=)—–.]|\s-\s|\s+(?:is\s+)?for\s+|\s+=\s+)\s*(?P<word>\S.*)$")
_FUNCTION = frozenset("of and the for to in on a an & or with".split())
_WORD_END = re.compile(r"\s*(?:[:(—–]|\s-\s|,)")
_EXAM_WORDS = re.compile(r"\b(exams?|certifi\w*|cert|practice|tests?|questions|prep\w*|study|review|guide|notes|"
                         r"cheat ?sheet|boot ?camp|course|domains?|objectives)\b", re.I)
_UPPER_TOKEN = re.compile(r"\b[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,6})?\b")


def mnemonic(doc: Document) -> list[Fact]:
    """Facts for each acronym or mnemonic spelt out letter by letter."""
    return list(_analyse(doc)[0])


def mnemonic_blocks(doc: Document) -> frozenset[int]:
    """ids of the blocks that are a mnemonic and nothing else (asked in its own note alone)."""
    return _analyse(doc)[1]


def _analyse(doc: Document) -> tuple[tuple[Fact, ...], frozenset[int]]:
    return _of_blocks(doc.blocks, own_acronyms(doc))


def _of_blocks(blocks: tuple[Block, ...], own: frozenset[str]) -> tuple[tuple[Fact, ...], frozenset[int]]:
    facts: list[Fact] = []
    taken: set[int] = set()
    for block in blocks:
        if block.kind not in ("paragraph", "list_item", "quote"):
            continue
        for sentence in block.sentences:
            m = _INLINE.match(sentence.text.strip())
            if not m:
                continue
            acronym, expansion = m.group("acr"), m.group("exp").strip().rstrip(".")
            spans = _spell(acronym, _parts(expansion))
            if spans and len(block.sentences) == 1:
                taken.add(id(block))  # the block is the mnemonic: another rule would card it twice
            if spans and acronym not in own:
                fact = _fact(acronym, expansion, spans, block, sentence.text, sentence.line)
                facts.extend([fact] if fact else [])
    for group in groups_of_blocks(blocks):
        lead = group.lead or (group.lead_block.text if group.lead_block else "")
        named = [a for a in _UPPER_TOKEN.findall(lead) if len(a) == len(group.items) and a.isalpha()]
        if not named:
            continue
        acronym = named[0]
        words = [_item_word(b.text) for b in group.items]
        expansion = ", ".join(words)
        spans = _spell(acronym, _parts_at(expansion, words))
        if spans:
            taken.update(id(b) for b in group.items)
            if acronym not in own:
                block = group.items[0]
                fact = _fact(acronym, expansion, spans, block, f"{acronym}: {expansion}", block.line)
                facts.extend([fact] if fact else [])
    return tuple(facts), frozenset(taken)


def own_acronyms(doc: Document) -> frozenset[str]:
    """Acronyms naming the deck's own exam, certification or body: those in the front matter's `exam` or
    `certification`, and those in the title or deck when it speaks of an exam ("CCNA Exam Day", "CISSP
    Study Notes", "AZ-900 Practice") or the acronym carries a number (an exam code). "TCP vs UDP" is a
    subject, not an exam: its acronyms stay cards."""
    named = " ".join(str(doc.meta.get(k, "")) for k in ("exam", "certification"))
    found = {a.replace("-", "") for a in _UPPER_TOKEN.findall(named)}
    for text in (doc.title, str(doc.meta.get("deck", "")), str(doc.meta.get("title", ""))):
        exam_words = bool(_EXAM_WORDS.search(text))
        found.update(a.replace("-", "") for a in _UPPER_TOKEN.findall(text)
                     if exam_words or any(c.isdigit() for c in a))
    return frozenset(found)


def names_own_exam(fact: Fact, own: frozenset[str]) -> bool:
    """Whether a fact asks for the deck's own exam's acronym (`own`, from `own_acronyms`) or its expansion
    ("CCNA stands for ...", "What does CCNA stand for?", a gap on "Cisco Certified Network Associate");
    other facts of the same sentence stay ("... (CCNA) credential renews every three years")."""
    if not own:
        return False
    m = _INLINE.match(fact.sentence.strip())
    if m and m.group("acr") in own:
        return True
    if fact.kind == "qa":
        asked = re.findall(r"[A-Z][A-Z0-9-]{1,12}", fact.text) if fact.rule in ("abbreviation", "mnemonic") else []
        return any(a.replace("-", "") in own for a in asked) or _initials(fact.answer) in own
    for gap in fact.gaps:
        answer = fact.text[gap.start : gap.end]
        if _initials(answer) in own or any(a.replace("-", "") in own for a in _UPPER_TOKEN.findall(answer)):
            return True
    return False


def _initials(phrase: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", phrase) if w.lower() not in _FUNCTION]
    return "".join(w[0].upper() for w in words) if len(words) >= 2 else ""


def _parts(expansion: str) -> list[tuple[str, int]]:
    """The expansion cut into its listed words or phrases, each with its offset."""
    if re.search(r"[,;/]", expansion):
        pieces = re.finditer(r"[^,;/]+", expansion)
        out = []
        for m in pieces:
            piece = re.sub(r"^\s*(?:and|or)\s+", "", m.group(0))
            at = m.start() + m.group(0).index(piece) if piece else m.start()
            out.append((piece.strip(), at + len(piece) - len(piece.lstrip())))
        return [p for p in out if p[0]]
    return [(m.group(0), m.start()) for m in re.finditer(r"\S+", expansion)]


def _parts_at(expansion: str, words: list[str]) -> list[tuple[str, int]]:
    out, at = [], 0
    for w in words:
        at = expansion.index(w, at)
        out.append((w, at))
        at += len(w)
    return out


def _spell(acronym: str, parts: list[tuple[str, int]]) -> list[tuple[int, int]]:
    """Where each letter's word stands, when the parts' initials spell the acronym (small words between
    are allowed and stay visible)."""
    if not 2 <= len(acronym) <= MAX_LETTERS:
        return []
    words = [(w.strip(" *_\"'“”"), at) for w, at in parts if w.strip().lower() not in _FUNCTION]
    if len(words) != len(acronym):
        return []
    spans = []
    for letter, (word, at) in zip(acronym, words, strict=True):
        if not word or word[0].upper() != letter or len(word) > 60:
            return []
        spans.append((at, at + len(word)))
    return spans


def _item_word(item: str) -> str:
    """What a list item expands its letter into: "S – Signs and symptoms: ..." -> "Signs and symptoms"."""
    text = item.strip()
    m = _ITEM_LETTER.match(text)
    if m:
        text = m.group("word")
    cut = _WORD_END.search(text)
    return (text[: cut.start()] if cut else text).strip().rstrip(".")


def _fact(acronym: str, expansion: str, spans: list[tuple[int, int]], block: Block, sentence: str,
          line: int) -> Fact | None:
    if len(spans) <= 3:
        return question("mnemonic", f"What does {acronym} stand for?", expansion, acronym, SCORE, block,
                        sentence, line)
    head = f"{acronym}: "
    moved = [(len(head) + a, len(head) + z) for a, z in spans]
    return cloze_spans("mnemonic", f"{head}{expansion}.", moved, SCORE, block, sentence, line, term=acronym)
