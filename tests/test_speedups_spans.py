"""The gap ranker's and the claim rule's shortcuts give exactly what the straightforward code gives.

`reference_rank_gaps` and `reference_gaps` are the ranker and the claim rule's gap choice as they were
before the ranking was read lazily (every candidate built, sorted and checked); `reference_tokens`,
`reference_verb_positions` and `reference_chunks` the tokeniser, verb finder and chunker before their
shortcuts. The tests hold the fast versions to them on the sentences of the repository's articles and
on generated ones.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.extract  # noqa: F401  (loads the rule modules the package's names shadow)
from generator.extract.gaps import (
    _EQUALS,
    _NEITHER_NOR,
    _NOT_EVERY,
    _PASSIVE_PURPOSE,
    _SUBORDINATOR,
    DocStats,
    _bare_subject,
    _complement,
    _copula_after_modals,
    _in_parentheses,
    _salience,
    _verb_phrase,
    good_span,
    iter_gaps,
    rank_gaps,
    stats_for,
)
from generator.extract.phrases import (
    _JOINERS,
    _OBJECT_START,
    _PREPOSITIONS_OR_DETERMINERS,
    _chunks,
    _verb_positions,
    _whole_phrase,
    chunks,
    emphasis_spans,
    main_clause_start,
    number_spans,
    split_clause,
)
from generator.extract.prose import prose_sentences
from generator.extract.words import (
    _TOKEN,
    AUXILIARIES,
    COPULAS,
    DETERMINERS,
    EVALUATIVE,
    LEADING_PRONOUNS,
    MODALS,
    PREPOSITIONS,
    VERBS,
    Span,
    Token,
    _is_adverb,
    _tokens,
    is_function_word,
    nounish,
)
from generator.parse.markdown import parse_markdown
from generator.text import stem_set

claim = sys.modules["generator.extract.claim"]
_REASON, _CONDITION, _EFFECT_MARKER = claim._REASON, claim._CONDITION, claim._EFFECT_MARKER
_CONTRAST_MARKER, _CONTRAST_BEFORE = claim._CONTRAST_MARKER, claim._CONTRAST_BEFORE
ROOT = Path(__file__).resolve().parents[1]


def reference_tokens(text: str) -> tuple[Token, ...]:
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        # A trailing "," or "." glued by the pattern belongs to the punctuation, not the word.
        end = m.end()
        while word and word[-1] in ",.":
            word, end = word[:-1], end - 1
        if word:
            out.append(Token(word, m.start(), end, word.lower().replace("’", "'")))
    return tuple(out)


def reference_verb_positions(lows: tuple[str, ...]) -> frozenset[int]:
    out: set[int] = set()
    prev = ""  # the last word that was not an adverb
    for i, low in enumerate(lows):
        nxt = lows[i + 1] if i + 1 < len(lows) else ""
        if low in AUXILIARIES or low in COPULAS:
            out.add(i)
        elif prev in MODALS and prev != "to" and not is_function_word(low) and not low[0].isdigit():
            out.add(i)
        elif prev == "to" and (low in VERBS or low.endswith(("ize", "ise", "ate", "ify"))):
            out.add(i)
        elif (
            prev in AUXILIARIES
            and (low.endswith(("ed", "en")) or low in VERBS)
            and low not in ("open", "often", "children")
        ):
            out.add(i)
        elif (
            i == 1
            and _is_adverb(lows[0])
            and not low.endswith(("s", "ing", "ed"))
            and not is_function_word(low)
            and len(lows) > 2
            and lows[2] in _PREPOSITIONS_OR_DETERMINERS
        ):
            out.add(i)  # "Really lean into ...", "Always wash the ...": an instruction after an adverb
        elif (
            i == 0
            and low in VERBS
            and len(lows) > 1
            and lows[1] not in AUXILIARIES
            and lows[1] not in VERBS
            and not low.endswith("ing")
        ):
            out.add(i)  # an instruction: "Practice active listening", "Keep the area dry"
        elif (
            i == 0
            and len(lows) > 1
            and (
                lows[1] in ("to", "the", "a", "an", "your", "their", "all", "any")
                or lows[1][0].isdigit()
            )
            and not low.endswith(("s", "ing"))
            and low not in DETERMINERS
            and not is_function_word(low)
        ):
            out.add(i)  # an instruction with a verb the list lacks: "Titrate to urine output"
        elif (
            low in VERBS
            and not nounish(low)
            and (low.endswith(("s", "ed")) or prev in LEADING_PRONOUNS)
            and prev not in DETERMINERS
            and prev not in PREPOSITIONS
        ):
            out.add(i)
        elif (
            low.endswith(("s", "ed"))
            and not low.endswith("ss")
            and len(low) > 3
            and 0 < i <= 4
            and not out
            and nxt in _OBJECT_START
            and not is_function_word(prev)
            and prev not in DETERMINERS
        ):
            out.add(i)  # "rain washes the topsoil", "treatment needs to": an inflected word before its object
        elif prev in ("who", "which", "that") and (low in VERBS or low.endswith(("ed", "es"))):
            out.add(i)
        elif prev == "who" and not is_function_word(low) and not low[:1].isdigit():
            out.add(i)  # "people who farm ...": after "who" comes the relative clause's verb
        elif (
            i > 0
            and low in VERBS
            and not nounish(low)
            and i - 1 not in out
            and prev not in DETERMINERS
            and not low.endswith("ing")
            and prev not in PREPOSITIONS
            and not is_function_word(prev)
        ):
            out.add(i)
        if not _is_adverb(low):
            prev = low
    return frozenset(out)


def reference_chunks(text: str, max_words: int) -> tuple[Span, ...]:
    toks = reference_tokens(text)
    out: list[Span] = []
    run: list[Token] = []

    def flush() -> None:
        while run and (_is_adverb(run[0].low) or run[0].low in _JOINERS):
            run.pop(0)
        while run and (_is_adverb(run[-1].low) or run[-1].low in _JOINERS):
            run.pop()
        if run and len(run) <= max_words:
            out.append(Span(run[0].start, run[-1].end, "chunk", 0.0))
        run.clear()

    verbs = reference_verb_positions(tuple(t.low for t in toks))
    for i, tok in enumerate(toks):
        low = tok.low
        sep = ""  # the punctuation between this word and the run's last one
        if run:
            sep = text[toks[i - 1].end : tok.start].strip()
            if sep not in ("", "-", "/"):  # punctuation ends a chunk ...
                cumulative = (  # ... except the comma of "a warm, dry place" or "a sudden, very sharp pain"
                    sep == ","
                    and len(run) == 1
                    and i >= 2
                    and toks[i - 2].low in ("a", "an", "the")
                    and (not is_function_word(low.strip()) or low in ("less", "more", "very"))
                )
                if not cumulative:
                    flush()
        if i in verbs:
            flush()
            continue
        if low in _JOINERS and run:
            nxt = toks[i + 1].low if i + 1 < len(toks) else ""
            gerund = low != "of" and nxt.endswith("ing") and not run[0].low.endswith("ing") and len(nxt) > 5
            if (
                nxt
                and not is_function_word(nxt)
                and i + 1 not in verbs
                and not gerund
                and len(run) < max_words - 1
            ):
                run.append(tok)
                continue
            flush()
            continue
        if (is_function_word(low) or low in LEADING_PRONOUNS) and not (
            run and low in ("less", "more", "very") and sep == ","
        ):
            flush()
            continue
        run.append(tok)
    flush()
    return tuple(out)



def reference_rank_gaps(
    text: str,
    stats: DocStats,
    emphasis: Sequence[str] = (),
    avoid: str = "",
    term: str = "",
    strict: bool = True,
) -> list[Span]:
    """Candidate gaps, best first (see the module docstring for the order)."""
    found: list[Span] = []
    if term:
        m = _whole_phrase(term).search(text)
        if m:
            found.append(Span(m.start(), m.end(), "term", 5.0))
    opener_end = main_clause_start(text)
    # Bold words in a leading "In cases of X," set the scene; the claim is in the main clause.
    found += [
        Span(s.start, s.end, s.kind, 4.5 if s.start >= opener_end else 2.8)
        for s in emphasis_spans(text, emphasis)
    ]
    found += [Span(s.start, s.end, s.kind, 3.0 + s.score) for s in number_spans(text)]
    clause = split_clause(text)
    cks = chunks(text)
    if clause.verb:
        main = opener_end
        subj = [c for c in cks if main <= c.start and c.end <= clause.verb_start]
        pred = [c for c in cks if c.start > clause.verb_start]
        copula_at = _copula_after_modals(text, clause)
        comp = _complement(text, copula_at) if copula_at >= 0 else None
        if comp:
            found.append(comp)
        # Prefilters test only the first letter: re.I also folds "İ", "ı", "ſ" or "K" onto ASCII letters.
        m_not = _NOT_EVERY.match(text, main) if text[main : main + 1] in ("n", "N") else None
        if m_not:
            found.append(Span(m_not.start(1), m_not.end(1), "subject", 3.6))
        vp = _verb_phrase(text, clause.verb_start)
        if (vp and not pred[:1]) or (vp and pred and pred[0].start > vp.end):
            found.append(vp)
        predicate = text[clause.verb_start :].split(None, 1)
        complement = predicate[1] if len(predicate) > 1 else ""
        given = stats.topic | stats.headings
        subject_words = stem_set(clause.subject)
        topic_only = bool(subject_words) and subject_words <= given
        plain_subject = not _SUBORDINATOR.search(clause.subject)
        short_subject = 0 < len(clause.subject.split()) <= 4 and plain_subject
        if (
            clause.verb in COPULAS
            and EVALUATIVE.match(complement)
            and subj
            and plain_subject
            and len(clause.subject.split()) <= 7
        ):
            whole = _bare_subject(text, clause)
            best = (
                whole
                if whole and len(text[whole[0] : whole[1]].split()) <= 4
                else (subj[0].start, subj[0].end)
            )
            found.append(Span(best[0], best[1], "subject", 3.5))
        m = _NEITHER_NOR.match(clause.subject + " is") if clause.subject[:1] in ("n", "N") else None
        base = text.find(clause.subject) if m else -1
        if m and base >= 0:
            found.append(Span(base + m.start(1), base + m.end(1), "subject", 3.6))
        for n, c in enumerate(pred[:3]):
            phrase = text[c.start : c.end]
            score = (3.2 if topic_only else 3.0) if n == 0 else 2.3 + 0.5 * _salience(phrase, stats)
            if stem_set(phrase) <= given:
                score -= 1.0  # the article's own topic ("the burn" in an article on burns) is given, not new
            found.append(Span(c.start, c.end, "object", score))
            words = phrase.split()
            if len(words) >= 3 and words[-2].lower() not in ("of", "and", "or", "&"):
                # the head of a long phrase, for when the whole would leave too little to read
                tail = " ".join(words[-2:])
                found.append(Span(c.end - len(tail), c.end, "object", score - 0.3))
        if (
            subj
            and short_subject
            and _PASSIVE_PURPOSE.match(text, clause.verb_start)
        ):
            found.append(Span(subj[0].start, subj[0].end, "subject", 3.3))  # "X is used to treat Y": asks X
        if subj and short_subject:
            found.append(
                Span(
                    subj[0].start,
                    subj[0].end,
                    "subject",
                    1.2 if topic_only else 1.8 + 0.5 * _salience(clause.subject, stats),
                )
            )
    for c in cks:
        found.append(Span(c.start, c.end, "chunk", 1.0 + _salience(text[c.start : c.end], stats)))
    eq = _EQUALS.search(text) if "=" in text else None
    if eq:
        right = text[eq.end() :].rstrip(" .")
        left_start = len(text[: eq.start()]) - len(text[: eq.start()].lstrip())
        if 0 < len(right.split()) <= 5:
            found.append(Span(eq.end(), eq.end() + len(right), "equation", 4.2))
        elif 0 < len(text[: eq.start()].split()) <= 8:
            found.append(Span(left_start, eq.start(), "equation", 4.2))
    if "(" in text:
        found = [
            Span(s.start, s.end, s.kind, s.score - 1.0) if _in_parentheses(text, s) and s.kind != "number" else s
            for s in found
        ]
    seen: set[tuple[int, int]] = set()
    ranked = []
    for s in sorted(found, key=lambda s: (-s.score, s.start)):
        if (s.start, s.end) in seen:
            continue
        seen.add((s.start, s.end))
        if not strict or good_span(text, s, avoid):  # not strict: the caller checks within a larger card
            ranked.append(s)
    return ranked


def reference_gaps(text: str, kind: str, stats: DocStats, emphasis: tuple[str, ...], avoid: str) -> list[Span]:
    ranked = reference_rank_gaps(text, stats, emphasis, avoid)
    if not ranked:
        return []
    if ranked[0].kind == "equation":
        return [ranked[0]]
    if kind == "number":
        numbers = [s for s in ranked if s.kind == "number" and s.score >= 4.0]
        if numbers:
            return sorted(numbers, key=lambda s: s.start)[:3]
    if kind == "cause":
        effect = _reference_after_marker(text, ranked, stats, emphasis, avoid)
        if effect:
            return [effect]
    if kind == "contrast":
        m = _CONTRAST_MARKER.search(text)
        if m and ranked[0].kind not in ("emphasis", "term"):
            after = [s for s in ranked if s.start > m.end() and s.kind in ("chunk", "object", "subject")]
            before = [s for s in ranked if s.end < m.start() and s.kind in ("object", "chunk")]
            pick = (before or after) if _CONTRAST_BEFORE.match(m.group(0)) else after
            if pick:
                return [pick[0]]
    return [ranked[0]]


def _reference_after_marker(
    text: str, ranked: list[Span], stats: DocStats, emphasis: tuple[str, ...], avoid: str
) -> Span | None:
    """For "because X, Y" the best span of X (the reason is the fact); for "when X, Y" and "X leads to Y"
    the best span of Y (the effect). Each part is ranked as a sentence of its own."""
    if ranked[0].kind in ("emphasis", "term", "number") or ranked[0].score >= 3.3:
        return None  # the author's emphasis, a quantity, or a passive's subject already says what to ask
    reason = _REASON.match(text)
    if reason:
        return _reference_best_in(text, reason.start("part"), reason.end("part"), stats, emphasis, avoid)
    m = _CONDITION.match(text)
    if m:
        return _reference_best_in(text, m.end(), len(text), stats, emphasis, avoid)
    mm = _EFFECT_MARKER.search(text)
    if not mm:
        return None
    after = [
        s for s in ranked if s.start >= mm.end() and s.kind in ("object", "chunk", "subject", "complement")
    ]
    return after[0] if after else None


def _reference_best_in(
    text: str, start: int, end: int, stats: DocStats, emphasis: tuple[str, ...], avoid: str
) -> Span | None:
    """The best gap of text[start:end] ranked on its own, as offsets into `text` (fair in the whole card)."""
    part = text[start:end]
    rest = text[:start] + " " + text[end:] + " " + avoid
    lead = len(part) - len(part.lstrip(" ,"))
    for span in reference_rank_gaps(part.strip(" ,"), stats, emphasis, rest, strict=False):
        shifted = Span(start + lead + span.start, start + lead + span.end, span.kind, span.score)
        if good_span(text, shifted, avoid):
            return shifted
    return None


ARTICLES = sorted(
    [*ROOT.glob("source/*.md"), *ROOT.glob("tests/golden/*/*.md"), *ROOT.glob("tests/fixtures/*/*.md")]
)


def _sentences() -> list[tuple[str, tuple[str, ...], DocStats]]:
    out = []
    for path in ARTICLES:
        doc = parse_markdown(path.read_text(encoding="utf-8"), path.name)
        stats = stats_for(doc)
        for sent in prose_sentences(doc):
            out.append((sent.text, sent.block.emphasis, stats))
        for block in doc.blocks:
            if block.text and len(block.text.split()) <= 60:
                out.append((block.text, block.emphasis, stats))
    return out


SENTENCES = _sentences()
KINDS = ("number", "cause", "contrast", "procedure", "claim")


def test_the_articles_give_enough_sentences() -> None:
    assert len(SENTENCES) > 200


@pytest.mark.parametrize("avoid", ["", "burn", "peer support"])
def test_rank_gaps_ranks_as_before_on_the_articles(avoid: str) -> None:
    for text, emphasis, stats in SENTENCES:
        for strict in (True, False):
            expected = reference_rank_gaps(text, stats, emphasis, avoid, strict=strict)
            assert rank_gaps(text, stats, emphasis, avoid, strict=strict) == expected, text
        words = text.split()
        if len(words) > 2:  # a term the sentence defines
            term = " ".join(words[1:3]).strip(".,;:")
            assert rank_gaps(text, stats, emphasis, avoid, term) == reference_rank_gaps(
                text, stats, emphasis, avoid, term
            ), text


def test_the_claim_gaps_are_as_before_on_the_articles() -> None:
    for text, emphasis, stats in SENTENCES:
        for kind in KINDS:
            expected = reference_gaps(text, kind, stats, emphasis, " ")
            assert claim._gaps(text, kind, stats, emphasis, " ") == expected, (text, kind)


# Words that reach every branch: numbers and units, copulas and evaluatives, objects, parentheses, an
# equation, contrast, cause and condition markers, emphasis and topic words.
PIECES = st.sampled_from(
    "the a burn burns water cool Cool scar is are key most important not every neither nor because when "
    "if , leads to than rather instead but ( ) = 4 mL/kg 20 minutes at least about three days used treat "
    "to by skin peer support of and Ice butter safe may be less able heal healing quickly".split()
)
EMPHASIS = st.sampled_from([(), ("cool water",), ("burn", "peer support"), ("Ice",)])
STATS = DocStats(
    Counter({"burn": 5, "heal": 2, "water": 3, "skin": 1}), frozenset({"burn"}), frozenset({"treat"})
)


@settings(max_examples=400)
@given(st.lists(PIECES, min_size=1, max_size=16).map(" ".join), EMPHASIS, st.sampled_from(["", "water", " "]))
def test_rank_gaps_ranks_as_before_on_made_up_sentences(
    text: str, emphasis: tuple[str, ...], avoid: str
) -> None:
    for strict in (True, False):
        assert rank_gaps(text, STATS, emphasis, avoid, strict=strict) == reference_rank_gaps(
            text, STATS, emphasis, avoid, strict=strict
        )
    for kind in KINDS:
        expected = reference_gaps(text, kind, STATS, emphasis, avoid)
        assert claim._gaps(text, kind, STATS, emphasis, avoid) == expected, kind


def test_iter_gaps_is_rank_gaps_one_at_a_time() -> None:
    text = "Cool the burn with running water for at least 20 minutes (or longer)."
    assert list(iter_gaps(text, STATS, ("running water",))) == rank_gaps(text, STATS, ("running water",))
    assert isinstance(next(iter_gaps(text, STATS)), Span)


# Words of the claim rule's case-insensitive patterns in mixed case, with letters re.I folds from outside
# ASCII ("K" Kelvin, "ſ", "İ", "ı") and punctuation: both the folded copy and the fallback are held.
FOLDED_WORDS = st.sampled_from(
    "Because because BECAUSE leads to Not just rather but Than instead of should NEED to Always never "
    "is KEY the cornerstone Most one Some We I we'd it's Avoid use risk → If when , ; ſo İf ıf "
    "Kelvin Keep ALWAYS isn’t just Since 3 a variety of".split()
)


@given(st.lists(FOLDED_WORDS, max_size=10).map(" ".join))
def test_folded_patterns_find_what_their_patterns_find(text: str) -> None:
    from generator.extract.words import FoldedPattern

    folded = {name: value for name, value in vars(claim).items() if isinstance(value, FoldedPattern)}
    assert len(folded) >= 8
    for name, scan in folded.items():
        pairs = ((scan.search(text), scan.pattern.search(text)), (scan.match(text), scan.pattern.match(text)))
        for got, expected in pairs:
            assert (got and got.span()) == (expected and expected.span()), name
            assert (got and got.lastgroup) == (expected and expected.lastgroup), name
        assert (scan.match(text, 2) and scan.match(text, 2).span()) == (
            scan.pattern.match(text, 2) and scan.pattern.match(text, 2).span()
        ), name


def test_a_folded_pattern_needs_re_i_and_lower_case_letters() -> None:
    import re

    from generator.extract.words import FoldedPattern

    assert FoldedPattern(re.compile(r"\bwe\S", re.I)).search("So WE! go").span() == (3, 6)
    for bad in (re.compile("we"), re.compile("We", re.I), re.compile("[A-Z]", re.I)):
        with pytest.raises(ValueError):
            FoldedPattern(bad)


def test_tokens_verbs_and_chunks_are_as_before_on_the_articles() -> None:
    for text, _, _ in SENTENCES:
        _check_tokens_verbs_and_chunks(text)


def _check_tokens_verbs_and_chunks(text: str) -> None:
    toks = _tokens.__wrapped__(text)
    assert toks == reference_tokens(text), text
    assert all(type(t) is Token for t in toks)
    lows = tuple(t.low for t in toks)
    assert _verb_positions.__wrapped__(lows) == reference_verb_positions(lows), text
    for n in range(1, len(lows)):  # the clause splitter asks for the verbs of a sentence's tail
        assert _verb_positions(lows[n:]) == reference_verb_positions(lows[n:]), text
    assert _chunks.__wrapped__(text, 6) == reference_chunks(text, 6), text
    assert _chunks.__wrapped__(text, 3) == reference_chunks(text, 3), text


# Words of every kind the verb finder and chunker test: auxiliaries, modals, "to", relative pronouns,
# listed and noun-like verbs, inflected words, adverbs, determiners, prepositions, joiners, digits.
VERB_WORDS = st.sampled_from(
    "is are can may to who which that treat treats treated use uses supports support needs walked "
    "quickly really always not the a your of and or & in with burns burn water skin pain rain washes "
    "topsoil children often open 3 20% x-ray it they helping healing , . - / ( ) "
    "Titrate Practice Keep less more very warm dry".split()
)


@settings(max_examples=500)
@given(st.lists(VERB_WORDS, max_size=14).map(" ".join))
def test_tokens_verbs_and_chunks_are_as_before_on_made_up_sentences(text: str) -> None:
    _check_tokens_verbs_and_chunks(text)


@given(st.text(alphabet="aZ9$%+.,/'’&- _é", max_size=20))
def test_tokens_are_as_before_on_any_characters(text: str) -> None:
    assert _tokens.__wrapped__(text) == reference_tokens(text)


# The quantity finder before its shortcuts: NUMBER as it was written (mixed case, re.I), every pattern run
# over the sentence itself, the number hint as a regex scan.
_REFERENCE_NUM = (
    r"(?:\$?\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|hundred|half|a few)"
)
_REFERENCE_UNIT = (
    r"(?:%|percent|°\s?[CF]?|degrees?(?:\s+(?:Celsius|Fahrenheit|[CF]))?|mg|mcg|g|kg|lbs?|pounds?|oz|mL|ml|"
    r"L|liters?|mmHg|cm|mm|m|km|miles?|feet|inches|hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?|"
    r"months?|years?|decades?|times|doses?|breaths?|beats?|mL/kg/hr|mL/kg|/min|bpm|million|billion|thousand|"
    r"adults?|children|people|patients|cases|deaths)"
)
REFERENCE_NUMBER = re.compile(
    r"(?<![\w./-])(?:(?:at least|at most|about|around|roughly|nearly|almost|approximately|over|under|more "
    r"than|"
    r"less than|fewer than|up to|within|every)\s+)?"
    + _REFERENCE_NUM
    + r"(?:\s?%)?(?:\+)?(?:\s?(?:-|–|—|to|or|in|out of)\s?"
    + _REFERENCE_NUM
    + r"(?:\s?%)?)?"
    r"(?:(?:\s|-)(?:million|billion|thousand|hundred))?(?:(?:\s|-)?" + _REFERENCE_UNIT + r"(?:/[A-Za-z]{1,4})*"
    r"(?:\sper\s(?:minute|hour|day|week|month|year|second|kg|dose))?)?"
    r"(?![\w%/-]|\.\d)",
    re.I,
)


def reference_number_spans(text: str) -> tuple[Span, ...]:
    from generator.extract.phrases import (
        _COMPARATIVE,
        _DATE,
        _DECADE,
        _DIGITS,
        _NUMBER_HINT,
        _QUALIFIER_WORDS,
        _WORD_NUMBER,
        _YEAR,
        _no_overlap,
    )

    if not _NUMBER_HINT.pattern.search(text):
        return ()
    out = []
    for m in REFERENCE_NUMBER.finditer(text):
        core = m.group(0).strip()
        words = core.split()
        has_digit = any(c.isdigit() for c in core)
        if not has_digit and (
            len(words) < 2 or all(_WORD_NUMBER.match(w) or w.lower() in _QUALIFIER_WORDS for w in words)
        ):
            continue
        before = text[: m.start()].split()[-1:] or [""]
        if _DIGITS.fullmatch(core) and before[0][:1].isupper():
            continue
        if _YEAR.fullmatch(core):
            out.append(Span(m.start(), m.end(), "number", -0.5))
            continue
        out.append(Span(m.start(), m.start() + len(m.group(0).rstrip()), "number", 1.0))
    for m in _COMPARATIVE.finditer(text):
        out.append(Span(m.start(), m.end(), "number", 0.9))
    dates = [Span(m.start(), m.end(), "number", 1.0) for m in _DATE.finditer(text)]
    dates += [Span(m.start(), m.end(), "number", 0.8) for m in _DECADE.finditer(text)]
    out = [s for s in out if not any(d.start <= s.start < d.end for d in dates)] + dates
    return tuple(_no_overlap(sorted(out, key=lambda s: (s.start, -s.end))))


def test_number_in_lower_case_compiles_to_the_mixed_case_pattern() -> None:
    from re import _compiler, _parser  # type: ignore[attr-defined]

    from generator.extract.phrases import NUMBER

    def code(p: re.Pattern[str]) -> list[int]:
        return _compiler._code(_parser.parse(p.pattern, p.flags), p.flags)

    assert NUMBER.flags == REFERENCE_NUMBER.flags
    assert code(NUMBER) == code(REFERENCE_NUMBER)


def test_quantities_are_as_before_on_the_articles() -> None:
    from generator.extract.phrases import _number_spans

    for text, _, _ in SENTENCES:
        assert _number_spans.__wrapped__(text) == reference_number_spans(text), text


# Number words inside and at the start of words, digits, units in any case, dates, decades, comparatives,
# "_" and letters re.I folds from outside ASCII ("K" Kelvin, "ſ", "İ").
QUANTITY_PIECES = st.sampled_from(
    ["one", "One", "often", "someone", "ten", "Tend", "a few", "A FEW", "twice as", "Twice", "as", "long",
     "three times", "half", "İ", "ſix", "Kg", "20", "3", "2.5", "1,000", "mg", "ML", "mL/kg", "°C", "%", "-", "–",
     "/", "/hr", " ", " ", " ", ".", ",", "years", "at least", "About", "1990s", "mid-1980s", "May 4, 2020",
     "Type 2", "x", "_", "_one", "per minute", "to"]
)


@settings(max_examples=600)
@given(st.lists(QUANTITY_PIECES, max_size=10).map("".join))
def test_quantities_are_as_before_on_made_up_text(text: str) -> None:
    from generator.extract.phrases import _NUMBER_HINT, _holds_number_hint, _number_spans
    from generator.extract.words import lowered

    assert _holds_number_hint(text, lowered(text)) == bool(_NUMBER_HINT.pattern.search(text))
    assert _number_spans.__wrapped__(text) == reference_number_spans(text)
    spaced = text.replace("", " ")[1:-1]  # the same pieces with every character a word apart
    assert _number_spans.__wrapped__(spaced) == reference_number_spans(spaced)


def test_the_claim_rule_skips_only_leak_tests_that_would_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.extract import util
    from generator.memo import forget_article

    docs = [parse_markdown(path.read_text(encoding="utf-8"), path.name) for path in ARTICLES]
    fast = [claim.claim(doc) for doc in docs]
    forget_article()
    monkeypatch.setattr(claim, "cloze_spans", lambda *a, **k: util.cloze_spans(*a, **{**k, "leak_checked": False}))
    assert [claim.claim(doc) for doc in docs] == fast
    assert sum(map(len, fast)) > 50


@given(
    st.text(alphabet="ab Ab.,;:'’1_-", max_size=16),
    st.integers(0, 16),
    st.integers(0, 16),
    st.sampled_from(["", " ", "ab", "Ab 1"]),
)
def test_trimming_a_gap_keeps_its_leak_test(text: str, start: int, end: int, avoid: str) -> None:
    from generator.extract.gaps import leaks_around

    start, end = sorted((min(start, len(text)), min(end, len(text))))
    trimmed_start, trimmed_end = start, end
    while trimmed_start < trimmed_end and text[trimmed_start] in " ,;:":  # as cloze_spans trims
        trimmed_start += 1
    while trimmed_end > trimmed_start and text[trimmed_end - 1] in " ,;:.":
        trimmed_end -= 1
    expected = leaks_around(text, start, end, avoid + " ")  # the ranker's avoid: the lead after a space
    assert leaks_around(text, trimmed_start, trimmed_end, avoid) == expected


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from([-1.0, -0.0, 0.0, 0.5, 1.0, 2.3, 3.0]),
                          st.sampled_from(["chunk", "object"]))))
def test_two_stable_sorts_rank_as_the_rank_key(items: list[tuple[int, float, str]]) -> None:
    from generator.extract.gaps import _rank_key, _sort_ranked

    spans = [Span(start, start + n, kind, score) for n, (start, score, kind) in enumerate(items)]
    fast = list(spans)
    _sort_ranked(fast)
    assert fast == sorted(spans, key=_rank_key)
    assert [s.end for s in fast] == [s.end for s in sorted(spans, key=_rank_key)]  # ties keep their order


def test_doc_stats_give_topic_and_headings_as_given() -> None:
    stats = DocStats(Counter({"burn": 2}), frozenset({"burn"}), frozenset({"treat", "burn"}))
    assert stats.given == frozenset({"burn", "treat"})
    assert stats == DocStats(Counter({"burn": 2}), frozenset({"burn"}), frozenset({"treat", "burn"}))


@given(st.lists(VERB_WORDS, max_size=10).map(" ".join), st.integers(-1, 80))
def test_the_tokens_from_an_offset_are_those_the_filter_keeps(text: str, start: int) -> None:
    from generator.extract.words import _tokens_after, _tokens_from

    toks = _tokens(text)
    assert list(_tokens_from(text, start)) == [t for t in toks if t.start >= start]
    assert list(_tokens_after(text, start)) == [t for t in toks if t.start > start]
    for t in toks:  # the offsets the ranker passes: a token's own start
        assert list(_tokens_from(text, t.start)) == [u for u in toks if u.start >= t.start]
        assert list(_tokens_after(text, t.start)) == [u for u in toks if u.start > t.start]
