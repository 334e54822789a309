"""Prose rule: an enumeration inside a sentence ("X include A, B, C, and D"; "A → B → C").

A series of three short items is asked as one answer (a set of three at most, as the design allows);
a longer series gets one deletion per item for its first MAX_ITEMS items, so each card asks one item
with the rest visible: never a card asking for a set of four or more. A series whose single gap would
leave too little to read is asked item by item too.
"""

from __future__ import annotations

import re

from ..model import Document, Fact
from ..text import content_words
from .lexicon import parts_of_speech
from .phrases import chunks, main_clause_start, split_clause, verb_positions
from .prose import prose_sentences
from .util import cloze_spans, good_answer
from .words import AUXILIARIES, VERBS, tokens

MAX_ITEMS = 3
MAX_SERIES = 8  # a longer run is a list to read, not recall
# "SSH daemon, cron daemon, logging daemons, and more": the author's sample of an open set
_PURPOSE_OPENER = re.compile(r"^To \w+(?: \w+){0,3}, ", re.I)  # "To scale, use more partitions, ..."
_OPEN_ENDED = re.compile(r"\b(?:and|or) (?:many )?(?:more|others|so on|the like)\b|\betc\b", re.I)
MAX_ITEM_WORDS = 5
# "A, B, and C" / "A, B or C": at least three comma-separated items, each up to ~50 characters.
_SERIES = re.compile(
    r"(?P<series>[^,;:()]{1,60}(?:,\s+[^,;:()]{1,60}){1,12},?\s+(?:and|or|and/or)\s+"
    r"[^,;:()]{1,60})"
)
_INTRODUCER = re.compile(
    r".*\b(?:include|includes|including|included|such as|like|are|is|were|was|range "
    r"from|"
    r"ranges from|from|involve|involves|e\.g\.|notice|consider|should|must|can|may|will|"
    r"need to|needs to)\s+",
    re.I,
)
# "rings, watches, belts": three one- or two-word items with no "and", inside a sentence.
_BARE_SERIES = re.compile(
    r"(?<=\s)[a-z][\w'’-]*(?:\s[a-z][\w'’-]*)?(?:,\s[a-z][\w'’-]*(?:\s[a-z][\w'’-]*)?){2}(?=\s|\.|$)"
)
_ARROWS = re.compile(r"[^→]{1,60}(?:→[^→]{1,60}){2,}")
# What every _SERIES match holds: a comma and space, later an "and"/"or" between spaces. Both are cheap scans;
# _SERIES itself backtracks over up to 60 characters at every position, which is most of this rule's time.
_COMMA = re.compile(r",\s")
_CONJUNCTION = re.compile(r"\s(?:and|or|and/or)\s")
_LAST_ITEM_END = re.compile(
    r"\s+(?:to|in|on|at|for|by|with|that|which|who|when|because|so|but)\s.*$|"
    r"\s+\([^)]*\).*$",
    re.I,
)


def enumeration(doc: Document) -> list[Fact]:
    """Cloze facts with one gap per listed item."""
    facts: list[Fact] = []
    for sent in prose_sentences(doc):
        if sent.lead and sent.block.kind == "list_item":
            continue  # an item of a named list is one element, not a list of its own
        opener = main_clause_start(sent.text)  # "If using the same prep table, ...": the opener is no item
        spans = [sp for sp in items(sent.text) if sp[0] >= opener]
        if len(spans) < 3 or len(spans) > MAX_SERIES or _OPEN_ENDED.search(sent.text) or _actions(sent.text, spans):
            continue
        card, at = sent.card()
        if len(spans) == 3 and all(len(sent.text[s:e].split()) <= 3 for s, e in spans):
            whole = (spans[0][0] + at, spans[-1][1] + at)
            if not too_wide(card, whole):
                fact = cloze_spans("enumeration", card, [whole], 0.75, sent.block, sent.raw, sent.line)
                if fact:
                    facts.append(fact)
                    continue
        asked = [(s + at, e + at) for s, e in spans if _short(sent.text[s:e])][:MAX_ITEMS]
        fact = cloze_spans("enumeration", card, asked, 0.75, sent.block, sent.raw, sent.line)
        if fact and len(fact.gaps) >= 2:
            facts.append(fact)
    return facts


def action_series(text: str) -> bool:
    """Whether the sentence is a run of three or more things to do ("use more partitions, add consumers,
    enable compression"): no rule cards it, as any one item asked alone is a guess."""
    spans = items(text)
    return len(spans) >= 3 and _actions(text, spans)


def _actions(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether most items open with a verb ("use partitions, scale consumers, enable compression"): a list of
    things to do, whose items asked one by one are guesses, not facts."""
    if not (split_clause(text).verb_start == 0 or _PURPOSE_OPENER.match(text)):
        return False  # not an instruction: "Good soil holds air, water, and food" states what is
    verbs = 0
    for s, e in spans:
        words = text[s:e].split()
        first = words[0].lower().strip("(\"'“") if words else ""
        verbs += "v" in parts_of_speech(first) and not first.endswith(("ing", "ed", "s"))  # "helps": a claim
    return verbs * 2 >= len(spans)


def too_wide(text: str, span: tuple[int, int]) -> bool:
    """A gap holding most of what the card says leaves nothing to cue the answer."""
    answer = content_words(text[span[0] : span[1]])
    shown = content_words(text)
    return len(answer) >= 3 and len(set(answer)) > 0.6 * len(set(shown))


def items(text: str) -> list[tuple[int, int]]:
    """Offsets of the items of the first enumeration in `text` (empty when there is none)."""
    m = _ARROWS.search(text) if "→" in text else None
    if m:
        out = []
        pos = m.start()
        for part in m.group(0).split("→"):
            start = pos + len(part) - len(part.lstrip(" “\"'"))
            end = pos + len(part.rstrip(" ”\"'.,"))
            if end > start:
                out.append((start, end))
            pos += len(part) + 1
        return out
    candidates = _candidate_series(text)
    for series, series_start in candidates:
        got = _series_items(text, series, series_start)
        if got:
            return got
    # "rings, watches, belts" has no "and"
    bare = None if candidates or text.count(",") < 2 else _BARE_SERIES.search(text)
    if not bare:
        return []
    out_bare = []
    for piece in re.finditer(r"[\w'’-]+(?:\s[\w'’-]+)?", bare.group(0)):
        word = re.sub(r"\s+\w+ly$", "", piece.group(0))  # "belts immediately": the adverb is not an item
        out_bare.append((bare.start() + piece.start(), bare.start() + piece.start() + len(word)))
    return out_bare if len(out_bare) == 3 else []


def _candidate_series(text: str) -> list[tuple[str, int]]:
    """Each "A, B, and C" run of `text`, cut where a series closes with its "and"/"or" item
    ("cramps, pain, or spasms in the abdomen, arms, or legs" is two); series of things before series of verbs."""
    out: list[tuple[str, int]] = []
    comma = _COMMA.search(text)
    if not comma or not _CONJUNCTION.search(text, comma.end()):
        return out
    for m in _SERIES.finditer(text):
        series, start = m.group("series"), m.start("series")
        while series:
            close = re.search(r",?\s+(?:and|or|and/or)\s+[^,]*", series)
            if not close or close.end() >= len(series) or series.count(",") <= close.group(0).count(","):
                out.append((series, start))
                break
            out.append((series[: close.end()], start))
            rest = series[close.end() :]
            skip = len(rest) - len(rest.lstrip(" ,"))
            series, start = rest[skip:], start + close.end() + skip
    verbish = [
        any(w.split()[0].lower() in VERBS for w in re.split(r",\s*(?:and|or)?\s*", c) if w.split()) for c, _ in out
    ]
    return [c for c, v in zip(out, verbish, strict=True) if not v] + [c for c, v in zip(out, verbish, strict=True) if v]


def _series_items(text: str, series: str, series_start: int) -> list[tuple[int, int]]:
    """Offsets of the items of one series found at `series_start`, or [] when it is not a real list."""
    opened = text.rfind("(", 0, series_start + 1)
    if (
        opened >= 0
        and ")" not in text[opened:series_start]
        and re.match(r"\(\s*(?:e\.g\.|i\.e\.|such as|including|for example)", text[opened:], re.I)
    ):
        return []  # examples in a parenthesis illustrate the claim; the claim is the card
    parts = re.split(r",\s+(?:and/or\s+|and\s+|or\s+)?|\s+(?:and/or|and|or)\s+(?=[^,]*$)", series)
    offsets = []
    pos = series_start
    for part in parts:
        idx = text.find(part, pos)
        if idx < 0:
            return []
        offsets.append((idx, idx + len(part)))
        pos = idx + len(part)
    if offsets and re.fullmatch(r"\s*(?:e\.g|i\.e|eg|ie)\.?\s*", text[offsets[0][0] : offsets[0][1]], re.I):
        offsets = offsets[1:]
    # "X, including A, B, and C": the enumeration starts at the introducer.
    for k, (s0, e0) in enumerate(offsets):
        intro_m = re.match(
            r"(?:including|such as|e\.g\.,?|i\.e\.,?|like|especially|namely)\s+", text[s0:e0], re.I
        )
        if intro_m and k:
            offsets = [(s0 + intro_m.end(), e0)] + offsets[k + 1 :]
            break
        if intro_m and not k:
            offsets[0] = (s0 + intro_m.end(), e0)
    if len(offsets) < 3 or (series.count(",") < 2 and any(e - s > 25 for s, e in offsets)):
        return []
    first_start, first_end = offsets[0]
    first = text[first_start:first_end]
    intro = _INTRODUCER.match(first)
    verb_led = [
        w for s0, e0 in offsets[1:] for w in text[s0:e0].split()[:1] if re.fullmatch(r"[a-z]+(?:s|es)", w)
    ]
    parallel = re.search(r".*\b([a-z]+s)\s", first) if len(verb_led) >= 2 else None
    if parallel and not re.search(r"ss$", parallel.group(1)):
        first_start += parallel.start(
            1
        )  # "fiber helps digestion, lowers cholesterol, and ...": items are verb phrases
    elif intro:
        first_start += intro.end()
    else:
        first_chunks = chunks(first)
        if not first_chunks:
            return []
        first_start += first_chunks[-1].start
    offsets[0] = (first_start, first_end)
    last_start, last_end = offsets[-1]
    tail = _LAST_ITEM_END.sub("", text[last_start:last_end]).rstrip(" .")
    offsets[-1] = (last_start, last_start + len(tail))
    out = []
    for s, e in offsets:
        while s < e and text[s] in " ":
            s += 1
        item = text[s:e]
        item_clean = re.sub(r"^(?:an?|the|their|his|her|its|your|our)\s+", "", item, flags=re.I)
        s += len(item) - len(item_clean)
        out.append((s, e))
    return out if all(_parallel_item(text[s:e]) for s, e in out) else []


def _parallel_item(item: str) -> bool:
    """An item of a real list: short, and a phrase rather than a clause with its own verb."""
    words = item.split()
    if not 0 < len(words) <= MAX_ITEM_WORDS + 1:
        return False
    if re.match(r"(?:which|that|who|whom|whose|where|when|thus|so|then)\b", item, re.I):
        return False
    toks = tokens(item)
    return not any(toks[i].low in AUXILIARIES for i in verb_positions(toks))


def _short(item: str) -> bool:
    return 0 < len(item.split()) <= MAX_ITEM_WORDS and good_answer(item)
