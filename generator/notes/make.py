"""Notes stage: selected Facts -> Notes with HTML fields, card views, tags and an identity key.

The card views (`CardView`) are the plain-text fronts and answers the templates in templates.py show, so
the cards JSON says what a learner sees.
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

from ..errors import GeneratorError
from ..memo import article_cache
from ..model import CardView, Document, Fact, Gap, Note, SourceRef
from ..text import clean_tag, normalize, stem_set, stems_outside, tag_slug
from . import render
from .finish import finish
from .media import MediaFile

# Anki refuses to import a deck nested deeper than this ("deck nesting level too deep"; measured with the
# anki 26.9 package: 11 levels import, 12 do not).
MAX_DECK_LEVELS = 11


def deck_name(doc: Document, parent: str = "") -> str:
    """Front matter `deck`; else the article's title, under `parent` when one is set."""
    deck = doc.meta.get("deck")
    if isinstance(deck, str) and deck.strip():
        return checked_deck(deck.strip(), doc.path)
    title = doc.title.replace("::", ":")
    return checked_deck(f"{parent}::{title}" if parent else title, doc.path)


def checked_deck(deck: str, path: str) -> str:
    """`deck`, or GeneratorError if Anki would refuse to import it (nested too deeply)."""
    levels = deck.count("::") + 1
    if levels > MAX_DECK_LEVELS:
        raise GeneratorError(f"deck name is nested {levels} levels deep; Anki imports at most {MAX_DECK_LEVELS} "
                             f"levels (`::`)", path)
    return deck


def make_notes(facts: Sequence[Fact], doc: Document, deck: str,
               media: Mapping[str, MediaFile] | None = None) -> list[Note]:
    """One Note per fact, in the order given, with identity keys unique within the article.

    `media` maps an image reference as written in the article to its packaged file (media.py).
    """
    notes: list[Note] = []
    seen: dict[str, int] = {}
    tags_of: dict[tuple[str, ...], tuple[str, ...]] = {}  # by section: the same for all of its notes
    for fact in facts:
        key = fact_key(fact)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # two facts with the same identity: keep both, distinguishable and stable
            key = f"{key}#{seen[key]}"
        section = fact.block.section
        if section not in tags_of:
            tags_of[section] = _tags(doc, section)
        notes.append(_note(fact, doc, deck, key, media, tags_of[section]))
    return notes


def fact_key(fact: Fact) -> str:
    """What a fact is, independent of where it sits: kind, term and the words of its source."""
    return f"{fact.kind}|{normalize(fact.term)}|{normalize(fact.sentence)}"


def _tags(doc: Document, section: tuple[str, ...]) -> tuple[str, ...]:
    """A note's tags: the article's file name, its section, and the article's front-matter tags."""
    tags = [doc.stem and tag_slug(doc.stem), *(tag_slug(s) for s in section[-1:]), *_meta_tags(doc)]
    # Anki's tags ignore case: `Célula` beside `célula` would be one tag there, so the first is kept.
    kept: dict[str, str] = {}
    for tag in tags:
        if tag and tag.casefold() not in kept:
            kept[tag.casefold()] = tag
    return tuple(kept.values())


def _note(fact: Fact, doc: Document, deck: str, key: str, media: Mapping[str, MediaFile] | None,
          tags: tuple[str, ...]) -> Note:
    section = fact.block.section
    context = _context(fact, doc)
    if fact.kind == "qa" and _restates(context.rsplit(" › ", 1)[-1], fact.text):
        # A question heading is its own cue: the card would show it twice (the article's title still helps).
        context = context.rsplit(" › ", 1)[0] if " › " in context else ""
    fields = note_fields(fact, doc, context, media or {})
    if fact.kind == "cloze":
        cards = cloze_cards(fact.text, fact.gaps, context)
    else:
        cards = (CardView(1, _cue(context) + fact.text, (fact.answer,)),)
    return Note(kind=fact.kind, deck=deck, fields=fields, cards=cards, tags=tags,
                source=SourceRef(doc.path, fact.line, section, fact.sentence), rule=fact.rule,
                score=round(fact.score, 3), key=key)


def _restates(heading: str, question: str) -> bool:
    """Whether a question says all its heading says ("Q3: Create a user" -> "How do you create a user?"):
    every word of the heading but its label ("Q3") is in the question."""
    words = [w for w in normalize(heading).split() if not any(c.isdigit() for c in w)]
    return bool(words) and (normalize(heading) == normalize(question) or
                            (len(words) >= 3 and set(words) <= set(normalize(question).split())))


def note_fields(fact: Fact, doc: Document, context: str, media: Mapping[str, MediaFile]) -> tuple[tuple[str, str], ...]:
    """The HTML fields of a fact's note (render.py turns text and Markdown into safe field HTML)."""
    markup = fact.block.markup
    # No line number on the card: a paragraph added above would change every note below it (and its mod);
    # the line is in the cards JSON and the preview.
    source = render.source_field(doc.title, fact.block.section, doc.path)
    attribution = _attribution(doc)
    if attribution:  # a converted page's origin and license: CC BY wants them on every card made from it
        source += finish(f' <span class="cd-origin">{_esc(attribution)}</span>')
    sentence = render.text_field(fact.sentence, markup)
    images = [(media[i.src].name, i.alt) for i in fact.block.images if i.src in media]
    extra = render.text_field(fact.extra, markup) if fact.extra else ""
    if images:
        extra += finish(f'<div class="cd-images">{render.images_html(images)}</div>')
    cue = render.text_field(context)
    if fact.kind == "cloze":
        return (("Text", render.cloze_field(fact.text, fact.gaps, markup)), ("Extra", extra), ("Context", cue),
                ("Sentence", sentence), ("Source", source))
    return (("Question", render.text_field(fact.text)), ("Answer", render.text_field(fact.answer, markup)),
            ("Extra", extra), ("Context", cue), ("Sentence", sentence), ("Source", source))


def _attribution(doc: Document) -> str:
    """'from ORIGIN · LICENSE' for an article whose front matter names its origin or license, else ''."""
    origin, license_ = doc.meta.get("origin"), doc.meta.get("license")
    origin = origin if isinstance(origin, str) else ""
    license_ = license_ if isinstance(license_, str) else ""
    return " · ".join(p for p in (origin and f"from {origin}", license_) if p)


MAX_PROMPT_WORDS = 40  # a front longer than this is not read at a glance
# "Card 3", "Question : 6", "Q12.", "Exercise 2": a heading that only numbers what is under it cues nothing,
# so the cue is the heading above it.
_NUMBERED_LABEL = re.compile(
    r"^\W*(?:(?:card|question|q|exercise|problem|item|step|task|example|no|number|#)\s*[:#.]?\s*)?"
    r"\d+[\d.]*\s*[:.)]?\W*$",
    re.I,
)


def _context(fact: Fact, doc: Document) -> str:
    """The front's cue: the article and the nearest heading ("Title › Section"; the title alone at the top).
    Left out when it would give an answer away (by stem, and together with what the card shows: "Specialists"
    gives away "Specialist"), when it adds no word the text lacks, or when the front would be too long."""
    heading = next((h for h in reversed(fact.block.section) if not _NUMBERED_LABEL.match(h)), doc.title)
    shown = fact.text
    if shown.startswith(heading):
        heading = doc.title  # a list led by its own heading: the cue is the article alone
    context, cue, cue_words = _section_cue(doc.title, heading)
    # Each test alone leaves the cue out, so the cheap ones go first. `stems_outside(text, start, end, wanted)`
    # asks whether `wanted` <= stems(text[:start] + " " + text[end:]) through the stem index extraction made
    # for the same text: start == end == 0 cuts nothing out, one gap's edges cut out just what it hides.
    if not cue or cue_words + len(shown.split()) > MAX_PROMPT_WORDS or stems_outside(shown, 0, 0, cue):
        return ""
    if fact.kind == "qa" or len(fact.gaps) == 1:
        start, end = (0, 0) if fact.kind == "qa" else (fact.gaps[0].start, fact.gaps[0].end)
        answer = fact.answer if fact.kind == "qa" else shown[start:end]
        answer_stems = stem_set(answer)
        # The answer leaks when all its stems are in the cue or in what the card shows.
        return "" if answer_stems and stems_outside(shown, start, end, _not_in(answer_stems, cue)) else context
    visible = cue | stem_set(_without_gaps(fact))  # the cue and what the card already shows
    for gap in fact.gaps:
        answer_stems = stem_set(shown[gap.start : gap.end])
        if answer_stems and not _not_in(answer_stems, visible):
            return ""
    return context


def _not_in(wanted: frozenset[str], shown: frozenset[str]) -> frozenset[str]:
    """The stems of `wanted` that `shown` lacks, a final "e" aside ("Gloves" gives "glov", "glove" "glove")."""
    loose = {s.rstrip("e") for s in shown}
    return frozenset(s for s in wanted if s not in shown and s.rstrip("e") not in loose)


@article_cache(256)  # the same for every note of a section
def _section_cue(title: str, heading: str) -> tuple[str, frozenset[str], int]:
    """(the cue for notes under `heading`, its stems, its word count)."""
    context = heading if normalize(heading) == normalize(title) else f"{title} › {heading}"
    return context, stem_set(context), len(context.split())


def _without_gaps(fact: Fact) -> str:
    if fact.kind == "qa":
        return fact.text
    out, pos = [], 0
    for gap in sorted(fact.gaps, key=lambda g: g.start):
        out.append(fact.text[pos : gap.start])
        pos = gap.end
    return " ".join(out + [fact.text[pos:]])


def _cue(context: str) -> str:
    return f"({context}) " if context else ""


def cloze_html(text: str, gaps: Sequence[Gap], markup: str = "") -> str:
    """Anki cloze markup for `text` with `gaps`, everything escaped and sanitized (see render.py)."""
    return render.cloze_field(text, gaps, markup)


def cloze_cards(text: str, gaps: Sequence[Gap], context: str = "") -> tuple[CardView, ...]:
    """One card per cloze number: its own gaps shown as [...] (or [...: hint]), the others as plain text."""
    if len(gaps) == 1:  # most facts: one card, the text around its one gap (what the loop below gives)
        gap = gaps[0]
        shown = f"[...: {gap.hint}]" if gap.hint else "[...]"
        return (CardView(gap.ordinal, _cue(context) + text[: gap.start] + shown + text[gap.end :],
                         (text[gap.start : gap.end],)),)
    cards = []
    in_order = sorted(gaps, key=lambda g: g.start)
    for ordinal in sorted({g.ordinal for g in gaps}):
        out, pos, answers = [], 0, []
        for gap in in_order:
            out.append(text[pos : gap.start])
            word = text[gap.start : gap.end]
            if gap.ordinal == ordinal:
                out.append(f"[...: {gap.hint}]" if gap.hint else "[...]")
                answers.append(word)
            else:
                out.append(word)
            pos = gap.end
        out.append(text[pos:])
        cards.append(CardView(ordinal, _cue(context) + "".join(out), tuple(answers)))
    return tuple(cards)


def _meta_tags(doc: Document) -> list[str]:
    tags = doc.meta.get("tags")
    if isinstance(tags, str):
        tags = re.split(r"[,\s]+", tags)
    if not isinstance(tags, list):
        return []
    # sources.py has cleaned front matter tags already (with a warning); clean_tag again for meta given directly.
    # `a/b` is written as the Anki tag hierarchy `a::b`.
    return [clean_tag("::".join(p for p in re.split(r"/|::", str(t)) if p.strip()) or str(t))
            for t in tags if str(t).strip()]


def _esc(text: str) -> str:
    # `{` is escaped too so that no source text can open a cloze or a template field.
    return html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")


def _esc_cloze(text: str) -> str:
    return _esc(text).replace(":", "&#58;")
