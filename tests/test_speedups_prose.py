"""The prose rules' shortcuts give exactly what the straightforward code gives.

Each shortcut skips a pattern, or a step, when a necessary condition fails; these tests hold it to the
code it replaced (written out here) or to the general function beside it.
"""
from __future__ import annotations

import re
import sys

if sys.version_info >= (3, 11):  # the parsed form of a pattern, to write out texts its branches match
    import re._parser as sre_parse
else:
    import sre_parse

from hypothesis import given
from hypothesis import strategies as st

import generator.extract  # noqa: F401  (loads the rule modules the package's names shadow)

filters = sys.modules["generator.extract.filters"]
prose = sys.modules["generator.extract.prose"]

# Letters re.I matches to an ASCII letter, curly quotes, dashes and odd spaces: where shortcuts could slip.
ODD = ["K", "ſ", "İ", "ı", "’", "“", "”", "—", "–", "\u00a0", "\t", "\n", "é"]


def test_scan_fold_keeps_every_letter_case_insensitive_matching_takes_for_an_ascii_one() -> None:
    any_letter = re.compile("[a-z]", re.I)
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if any_letter.fullmatch(ch):
            folded = filters.scan_fold(ch)
            assert len(folded) == 1 and "a" <= folded <= "z" and re.fullmatch(folded, ch, re.I), hex(code)
    assert filters.scan_fold("Let’s İmagine") == "let's imagine"


NEEDLES = st.lists(st.text(alphabet="abc '", min_size=1, max_size=4), min_size=1, max_size=6)


@given(NEEDLES, st.text(alphabet="abc 'A(|)*", max_size=30))
def test_any_of_finds_a_text_exactly_when_it_holds_a_needle(needles: list[str], text: str) -> None:
    assert bool(filters.any_of(tuple(needles)).search(text)) == any(n in text for n in needles)


SCANS = [filters.BOILERPLATE_SCAN, filters.RHETORIC_SCAN, filters._FIGURE_SCAN, filters._REFLEXIVE_SCAN,
         filters._METAPHOR_SCAN]
SCAN_WORDS = sorted({w for scan in SCANS for n in scan.needles for w in re.findall(r"[a-z']+", n)})


def _spell_oddly(draw: st.DrawFn, word: str) -> str:
    """`word` in any case, some letters written as the non-ASCII letters re.I takes for them."""
    odd = {"k": "K", "s": "ſ", "i": "ı", "'": "’"}
    return "".join(draw(st.sampled_from([c, c.upper(), odd.get(c, c)])) for c in word)


@st.composite
def scan_texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(SCAN_WORDS + ["is", "the", "x,", "?"] + ODD), max_size=8))
    return " ".join(_spell_oddly(draw, w) for w in words)


@given(scan_texts())
def test_every_scan_agrees_with_its_pattern_on_folded_text(text: str) -> None:
    for scan in SCANS:
        assert bool(scan.search(text)) == bool(scan.pattern.search(text)), scan.pattern.pattern[:40]


def _is_noise_reference(sentence: str) -> bool:
    s = sentence.strip()
    if not s or s.endswith(("?", "!")) or filters._EXCLAIM_TAIL.search(s) or filters._SPEECH.search(s):
        return True
    return any(scan.pattern.search(s) for scan in SCANS)


@given(scan_texts())
def test_is_noise_agrees_with_its_patterns(text: str) -> None:
    assert filters.is_noise.__wrapped__(text) == _is_noise_reference(text)


def _strip_citations_reference(text: str) -> str:
    return re.sub(r"\s+", " ", filters._LINK_REF.sub("", filters._CITATION.sub("", text))).strip()


def _clean_sentence_reference(sentence: str) -> str:
    s = _strip_citations_reference(sentence.strip())
    s = filters._QUOTED_ASIDE.sub("", s)
    m = filters._DID_YOU_KNOW.match(s)
    if m:
        claim = m.group("claim").strip()
        s = claim[0].upper() + claim[1:] + "."
    s = filters._VOCATIVE.sub("", filters._ADMONITION.sub("", s))
    for _ in range(3):
        trimmed = filters._HEDGE_OPENER.sub("", filters._FILLER_OPENER.sub("", s))
        if trimmed == s:
            break
        s = trimmed
    s = filters._SPACE_BEFORE_PUNCTUATION.sub(r"\1", s)
    return s[0].upper() + s[1:] if s else s


OPENERS = [filters._DID_YOU_KNOW, filters._ADMONITION, filters._FILLER_OPENER, filters._HEDGE_OPENER]
OPENER_WORDS = sorted({w for p in OPENERS for w in re.findall(r"[a-z]+", p.pattern)} - {"s", "w"})
CLEAN_PIECES = ["(NIDA, 2012)", "(APA, 2020)", "(p. 27)", "[link]", "[3]", "(“I can”)", ", my friends,",
                ", folks.", ": ", " — ", ", ", " ,", " .", " ; ", "  ", "?", "n.b.", "1990", "Kelvin", "you",
                "that", "x"]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.sampled_from(OPENER_WORDS + CLEAN_PIECES + ODD), max_size=12))
    return "".join(draw(st.sampled_from(["", " "])) + _spell_oddly(draw, p) for p in pieces)


@given(sentences())
def test_clean_sentence_agrees_with_trying_every_pattern(text: str) -> None:
    assert filters.strip_citations.__wrapped__(text) == _strip_citations_reference(text)
    assert filters.clean_sentence.__wrapped__(text) == _clean_sentence_reference(text)


def test_clean_sentence_still_trims_every_kind_of_opener() -> None:
    for raw, want in [("So, the heart pumps, folks.", "The heart pumps."),
                      ("Note: hearts pump.", "Hearts pump."),
                      ("Research has shown that rest helps.", "Rest helps."),
                      ("Too, it helps.", "It helps."),
                      ("In other words, keep in mind that rest helps.", "Rest helps."),
                      ("Did you know that rest helps?", "Rest helps."),
                      ("ſo, rest helps.", "Rest helps.")]:
        assert filters.clean_sentence(raw) == want == _clean_sentence_reference(raw)


def _examples(pattern: re.Pattern[str]) -> list[str]:
    """Texts that between them take every branch of `pattern` and every character of its classes, with each
    repeat at its least and once more (one text for each choice, not one for each combination)."""

    def seq(items: list) -> list[str]:
        columns = [one(op, arg) for op, arg in items]
        n = max((len(c) for c in columns), default=1)
        return ["".join(c[i % len(c)] for c in columns) for i in range(n)]

    def one(op: object, arg: object) -> list[str]:
        name = str(op)
        if name == "LITERAL":
            return [chr(arg)]  # type: ignore[arg-type]
        if name == "SUBPATTERN":
            return seq(arg[-1])  # type: ignore[index]
        if name == "BRANCH":
            return [t for alt in arg[1] for t in seq(alt)]  # type: ignore[index]
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, items = arg  # type: ignore[misc]
            once = seq(items)
            least = [e * low for e in once]
            return least + [e * (low + 1) for e in once] if high > low else least
        if name == "IN":
            if str(arg[0][0]) == "NEGATE":  # type: ignore[index]
                return [" "]  # these patterns never exclude a space
            # IN's argument is a list of (op, member) pairs; the parser's stubs type it as object
            return [c for member_op, member in arg for c in member_of(str(member_op), member)]  # type: ignore[attr-defined]
        if name == "ANY":
            return ["x"]
        return [""]  # anchors and lookarounds take no characters

    def member_of(kind: str, member: object) -> list[str]:
        if kind == "LITERAL":
            return [chr(member)]  # type: ignore[arg-type]
        if kind == "RANGE":
            return [chr(member[0])]  # type: ignore[index]
        if kind == "CATEGORY":
            return [{"CATEGORY_SPACE": " ", "CATEGORY_DIGIT": "0"}.get(str(member), "a")]
        raise AssertionError(kind)

    return seq(list(sre_parse.parse(pattern.pattern, pattern.flags)))


TAILS = ["", " rest helps.", "Rest helps?", " the heart, rest helps.", ": rest."]


def _texts_of(pattern: re.Pattern[str]) -> list[str]:
    texts = [e + tail for e in _examples(pattern) for tail in TAILS]
    assert sum(bool(pattern.match(t)) for t in texts) >= len(texts) // len(TAILS)  # each branch is exercised
    return [v for t in texts for v in (t, t.capitalize(), t.upper())]


def test_clean_sentence_agrees_with_its_patterns_on_every_opener_they_know() -> None:
    for pattern in OPENERS:
        for text in _texts_of(pattern):
            assert filters.clean_sentence.__wrapped__(text) == _clean_sentence_reference(text), text
    for pattern in (filters._CITATION, filters._LINK_REF, filters._QUOTED_ASIDE, filters._VOCATIVE):
        for text in _texts_of(pattern) + [f"Rest helps{t}" for t in _texts_of(pattern)]:
            assert filters.strip_citations.__wrapped__(text) == _strip_citations_reference(text), text
            assert filters.clean_sentence.__wrapped__(text) == _clean_sentence_reference(text), text


def _clauses_reference(text: str, split_and: bool = False) -> list[str]:
    text = prose._DASH_ASIDE.sub(" ", text)
    parts = [p.strip(" ,") for p in prose._CLAUSE_BREAK.split(text) if p and p.strip(" ,")]
    if split_and:
        parts = [q.strip(" ,") for p in parts for q in prose._AND_CLAUSE.split(p) if q.strip(" ,")]
    compound = []
    for p in parts:
        m = prose._COMPOUND.search(p)
        left, right = (p[: m.start()], p[m.end() :]) if m else (p, "")
        if m and len(right.split()) >= 5 and prose._FINITE.search(right) and prose.verb_positions(
                prose.tokens(left)):
            compound += [left.strip(" ,"), (right[0].upper() + right[1:]).strip(" ,")]
        else:
            compound.append(p.strip(" ,"))
    out: list[str] = []
    for part in compound:
        if len(part.split()) > prose.CLAUSE_WORDS:
            part = prose._LONG_PAREN.sub("", part)
        if len(part.split()) > prose.CLAUSE_WORDS:
            out.extend(p.strip(" ,") for p in prose._SOFT_BREAK.split(part) if p.strip(" ,"))
        else:
            out.append(part)
    cleaned = []
    for i, part in enumerate(out):
        part = _clean_sentence_reference(prose._LEADING_CONJUNCTION.sub("", part) if i else part)
        cleaned.append(part + "." if part and part[-1] not in ".!?" else part)
    return cleaned


CLAUSE_PIECES = ["The heart pumps blood", "it is vital", "and then it rests", ", and the lungs are full",
                 "; ", " — ", "–", "—", " – an aside – ", ", but ", ",", " ",
                 "(a long parenthesis of thirty chars)", "word " * 12, "."]


@given(st.lists(st.sampled_from(CLAUSE_PIECES + ODD), max_size=10), st.booleans())
def test_clauses_agree_with_splitting_every_clause(pieces: list[str], split_and: bool) -> None:
    text = "".join(pieces)
    assert prose._clauses(text, split_and) == _clauses_reference(text, split_and)


RESOLVE_WORDS = sorted(prose._RESOLVED_OPENERS) + [
    "The", "Those who", "Let's", "It's", "They're", "İt", "thoſe", "Heart", "'tis", "it’s", "I'm", "means",
    "is", "was", "of"]


def test_resolve_agrees_on_every_opener_its_patterns_know() -> None:
    patterns = [prose._THOSE_WHO, prose._READER_LED, prose._DUMMY_IT, prose._CLAUSAL_THIS,
                prose._DEMONSTRATIVE, prose._SOME_OF_WHICH]
    texts = [t for p in patterns for t in _texts_of(p)] + [f"{w} rest." for w in prose.LEADING_PRONOUNS]
    for text in texts + [t.replace("'", "’") for t in texts]:
        for subjects in ([], ["The heart"], ["Lungs"]):
            assert prose._resolve(text, list(subjects)) == prose._resolve_opener(text, list(subjects)), text


@given(st.lists(st.sampled_from(RESOLVE_WORDS + ODD + ["who", "which", "x", "."]), max_size=6),
       st.sampled_from([[], ["The heart"], ["Lungs"], [""]]))
def test_resolve_only_skips_clauses_it_would_leave_as_they_are(words: list[str], subjects: list[str]) -> None:
    clause = " ".join(words)
    for text in (clause, clause.capitalize(), clause.upper()):
        assert prose._resolve(text, list(subjects)) == prose._resolve_opener(text, list(subjects))


definition = sys.modules["generator.extract.definition"]


def test_naming_scans_agree_with_their_patterns() -> None:
    for text in _texts_of(definition._THIS_IS_CALLED) + ["The heart, which İs termed x. y"]:
        for variant in (text, text.replace("c", "C"), text.replace("k", "K").replace("s", "ſ")):
            found = definition._THIS_IS_CALLED_SCAN.search(variant)
            assert found == definition._THIS_IS_CALLED.search(variant) or (
                found and found.span() == definition._THIS_IS_CALLED.search(variant).span())
    opener = definition._NAMED_NEXT
    for text in _texts_of(opener.pattern) + ["İt is called x", "thıs is called x", "It’s called x"]:
        assert bool(opener.match(text)) == bool(opener.pattern.match(text)), text


@given(st.lists(st.sampled_from(["the", "heart", "Heart", "", " ", ", ", "!!", "é", "İ", "’s", "x"]),
                max_size=8),
       st.lists(st.sampled_from(["the heart", "heart", "", "the", "heart x"]), max_size=3))
def test_normalizes_to_any_is_membership_of_the_normal_form(words: list[str], normals: list[str]) -> None:
    from generator.text import normalize, normalizes_to_any

    text = " ".join(words)
    assert normalizes_to_any(text, normals) == (normalize(text) in normals)


GLOSSARY_PIECES = ["Term", " ", ":", " - ", "-", "—", "–", "x", ".", "a b", "**", "\u00a0"]


@given(st.lists(st.sampled_from(GLOSSARY_PIECES), max_size=12))
def test_a_glossary_line_holds_one_of_the_separators_the_shortcut_looks_for(pieces: list[str]) -> None:
    structure = sys.modules["generator.extract.structure"]
    text = "".join(pieces)
    if not any(sep in text for sep in ":-—–"):
        assert structure._GLOSSARY_LINE.match(text) is None


TITLE_WORDS = ["Heart", "hearts", "Planning", "planned", "plan", "don’t", "İt", "ſo", "K9", "blood", "the",
               "of"]


@given(st.lists(st.sampled_from(TITLE_WORDS), max_size=5), st.lists(st.sampled_from(TITLE_WORDS + ["x", "’"]),
                                                                    max_size=8))
def test_restates_agrees_with_comparing_the_stems(title: list[str], sentence: list[str]) -> None:
    from generator.text import stems

    title_text, text = " ".join(title), " ".join(sentence)
    words = stems(title_text)
    assert prose._restates(text, title_text) == (bool(words) and len(words & stems(text)) >= 0.6 * len(words))


def test_memo_by_identity_answers_the_same_tuple_from_memory_and_stays_bounded() -> None:
    structure = sys.modules["generator.extract.structure"]
    calls: list[tuple[object, ...]] = []

    @structure.memo_by_identity(2)
    def count(blocks: tuple[object, ...], title: str) -> int:
        calls.append(blocks)
        return len(blocks) + len(title)

    a, b, c = (1, 2), tuple([1, 2]), (3,)  # noqa: C409 - b: a new tuple equal to a, not the same constant
    assert count(a, "x") == count(a, "x") == 3 and len(calls) == 1
    assert count(b, "x") == 3 and len(calls) == 2  # equal but another object: computed again, same answer
    assert count(a, "yy") == 4 and len(calls) == 3
    count(c, "")
    assert count(a, "x") == 3 and len(calls) == 5  # the oldest entries made room


@given(st.lists(st.sampled_from(list("aB 1.'’‘“”—–²ﬁİıſK\u0301\u00a0éÉÅ") + ["e\u0301"]), max_size=30))
def test_normalize_folds_as_nfkc_then_translate_would(pieces: list[str]) -> None:
    text = "".join(pieces)
    import unicodedata

    from generator.text import normalize

    fold = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
    reference = unicodedata.normalize("NFKC", text).translate(fold).lower()
    assert normalize.__wrapped__(text) == " ".join(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", reference))
