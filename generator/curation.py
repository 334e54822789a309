"""Curation: a person's decisions about an article's generated facts, in `ARTICLE.curation.yaml` beside it.

```yaml
reject:            # never a card from these sentences
  - "Bandages come in many colours and sizes."
pin:               # always keep the card made from these sentences, whatever the budget
  - "A tourniquet is a band that stops the blood flow to a limb."
edit:              # this wording instead of the generated one
  - sentence: "Direct pressure is the first way to stop bleeding."
    cloze: "{{c1::Direct pressure}} is the first way to stop bleeding."
  - sentence: "An adult has about five litres of blood."
    question: "How much blood does an adult have?"
    answer: "About five litres"
```
A decision names the source sentence its card came from (the card's back and the cards JSON show it). It
holds while the sentence changes slightly (similarity >= CURATION_MIN), so a rejected fact does not come
back after a typo fix, and an edited wording survives a small rewording of its source.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import GeneratorError
from .extract.markup import parse_clozes
from .extract.trace import record_fact
from .identity import sentence_similarity
from .model import Document, Fact
from .text import normalize

CURATION_SUFFIX = ".curation.yaml"
CURATION_MIN = 0.7
_ACTIONS = ("reject", "pin", "edit")


@dataclass(frozen=True, slots=True)
class Decision:
    action: str  # reject | pin | edit
    sentence: str  # the source sentence the decision is about
    line: int  # 1-based line in the curation file
    cloze: str = ""  # edit: new wording with {{cN::...}} deletions
    question: str = ""  # edit: new Q&A wording
    answer: str = ""
    extra: str = ""  # edit: text for the back


@dataclass(frozen=True, slots=True)
class Curation:
    path: str
    decisions: tuple[Decision, ...]


def curation_file(article: Path) -> Path:
    """Where an article's curation file lives: `notes.md` -> `notes.curation.yaml` beside it."""
    return article.with_name(article.stem + CURATION_SUFFIX)


def load_curation(text: str, path: str) -> Curation:
    """Parse a curation file; a mistake in it is a GeneratorError naming its line."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise GeneratorError(f"bad curation file: {getattr(err, 'problem', None) or err}", path,
                             mark.line + 1 if mark is not None else None) from None
    if root is None:
        return Curation(path, ())
    if not isinstance(root, yaml.MappingNode):
        raise GeneratorError("a curation file maps reject / pin / edit to lists", path, root.start_mark.line + 1)
    decisions: list[Decision] = []
    for key_node, value in root.value:
        action = _scalar(key_node, path)
        if action not in _ACTIONS:
            raise GeneratorError(f"unknown key {action!r} (use reject, pin or edit)", path,
                                 key_node.start_mark.line + 1)
        if not isinstance(value, yaml.SequenceNode):
            raise GeneratorError(f"{action}: must be a list", path, value.start_mark.line + 1)
        for item in value.value:
            decisions.append(_decision(action, item, path))
    return Curation(path, tuple(decisions))


def _decision(action: str, node: Any, path: str) -> Decision:
    import yaml

    line = node.start_mark.line + 1
    if action != "edit":
        sentence = _scalar(node, path)
        if not sentence.strip():
            raise GeneratorError(f"{action}: empty sentence", path, line)
        return Decision(action, sentence, line)
    if not isinstance(node, yaml.MappingNode):
        raise GeneratorError("edit: each entry needs sentence and cloze (or question and answer)", path, line)
    values = {_scalar(k, path): _scalar(v, path) for k, v in node.value}
    unknown = sorted(set(values) - {"sentence", "cloze", "question", "answer", "extra"})
    if unknown:
        raise GeneratorError(f"edit: unknown key {unknown[0]!r}", path, line)
    d = Decision("edit", values.get("sentence", ""), line, values.get("cloze", ""), values.get("question", ""),
                 values.get("answer", ""), values.get("extra", ""))
    if not d.sentence.strip():
        raise GeneratorError("edit: sentence is missing", path, line)
    if bool(d.cloze) == bool(d.question or d.answer) or (not d.cloze and not (d.question and d.answer)):
        raise GeneratorError("edit: give either cloze, or question and answer", path, line)
    if d.cloze and not parse_clozes(d.cloze)[1]:
        raise GeneratorError("edit: cloze has no {{c1::...}} deletion", path, line)
    return d


def _scalar(node: Any, path: str) -> str:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise GeneratorError("expected a text value here", path, node.start_mark.line + 1)
    return str(node.value)


def apply_curation(facts: Sequence[Fact], curation: Curation, doc: Document
                   ) -> tuple[list[Fact], list[GeneratorError]]:
    """The facts with the decisions applied, and a warning for each decision that matched no sentence."""
    out = list(facts)
    warnings: list[GeneratorError] = []
    rejected: set[str] = set()
    order = {a: n for n, a in enumerate(_ACTIONS)}  # rejections first: a rejected sentence stays rejected
    for d in sorted(curation.decisions, key=lambda d: (order[d.action], d.line)):
        hits = _facts_on(d.sentence, out)
        if d.action == "reject":
            rejected.update(normalize(f.sentence) for f in hits)
            for f in hits: record_fact(f, "curation", "curation: rejected (%s:%d)", curation.path, d.line)  # noqa: E701
            out = [f for f in out if f not in hits]
        elif d.action == "pin":
            out = [replace(f, pinned=True) if f in hits else f for f in out]
        else:
            hits = [f for f in hits if normalize(f.sentence) not in rejected]
            edited = _edited(d, hits[0] if hits else _fact_from_text(d.sentence, doc, rejected))
            if edited is not None:
                out = [f for f in out if f not in hits] + [edited]
                hits = [edited]
        if not hits:
            warnings.append(GeneratorError(f"curation: no card comes from {_short(d.sentence)} any more "
                                           f"({d.action} not applied)", curation.path, d.line))
    return out, warnings


def _facts_on(sentence: str, facts: Sequence[Fact]) -> list[Fact]:
    """The facts whose source sentence is the one most like `sentence`, if alike enough."""
    scores: dict[str, float] = {}
    for f in facts:
        key = normalize(f.sentence)
        if key not in scores:
            scores[key] = 1.0 if key == normalize(sentence) else sentence_similarity(sentence, f.sentence)
    best = max(scores.values(), default=0.0)
    if best < CURATION_MIN:
        return []
    return [f for f in facts if scores[normalize(f.sentence)] == best]


def _fact_from_text(sentence: str, doc: Document, rejected: set[str]) -> Fact | None:
    """A placeholder fact on the article's sentence most like `sentence`, for an edit no rule found."""
    best, best_score = None, CURATION_MIN
    for block in doc.blocks:
        if block.skip or block.kind in ("heading", "code"):
            continue
        for sent in block.sentences or ():
            if normalize(sent.text) in rejected:
                continue
            score = sentence_similarity(sentence, sent.text)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = Fact("curation", "cloze", sent.text, "", 0.0, block, sent.text, sent.line), score
    return best


def _edited(d: Decision, base: Fact | None) -> Fact | None:
    """`base` reworded as decision `d` says, pinned."""
    if base is None:
        return None
    if d.cloze:
        text, gaps = parse_clozes(d.cloze)
        term = " / ".join(text[g.start : g.end] for g in sorted(gaps, key=lambda g: (g.ordinal, g.start)))
        return replace(base, rule="curation", kind="cloze", text=text, term=term, gaps=gaps, answer="", score=1.0,
                       extra=d.extra or base.extra, pinned=True)
    return replace(base, rule="curation", kind="qa", text=d.question.strip(), term=d.question.strip(), gaps=(),
                   answer=d.answer.strip(), score=1.0, extra=d.extra or base.extra, pinned=True)


def _short(sentence: str) -> str:
    return repr(sentence if len(sentence) <= 60 else sentence[:57] + "...")
