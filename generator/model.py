"""Frozen dataclasses passed between the pipeline stages (read -> parse -> extract -> notes -> package)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Literal, TypeVar

Kind = Literal["cloze", "qa"]
_T = TypeVar("_T", bound=type)


def _quick_init(cls: _T) -> _T:
    """Give a frozen slotted dataclass an `__init__` that stores each field through its slot directly.

    The one dataclasses writes for a frozen class calls `object.__setattr__` for every field (a lookup and a
    call each); setting the slots themselves stores the same values about twice as fast, and these objects
    are made by the hundred per article (and again when the parent unpickles them). Same parameters, same
    defaults: dataclasses' own signature, only the body differs.
    """
    names: dict[str, Any] = {"MISSING": MISSING}
    params, body = [], []
    for f in fields(cls):
        names[f"set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not MISSING:
            names[f"default_{f.name}"] = f.default
            params.append(f"{f.name}=default_{f.name}")
        elif f.default_factory is not MISSING:
            names[f"factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=MISSING")
            body.append(f"    if {f.name} is MISSING: {f.name} = factory_{f.name}()")
        else:
            params.append(f.name)
        body.append(f"    set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(params)}) -> None:\n" + "\n".join(body)
    exec(source, names)  # our own field names, as dataclasses itself does
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__dict__["__init__"].__doc__  # the one @dataclass just wrote
    cls.__init__ = init  # type: ignore[misc]  # replacing the method is this function's purpose
    return cls


@_quick_init
@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # plain text, markup removed
    line: int  # 1-based line in the source file where the sentence starts


@_quick_init
@dataclass(frozen=True, slots=True)
class Image:
    """An image an article references (Markdown `![alt](src)`), as written."""

    src: str  # the reference as written (URL-encoded as Markdown normalises it)
    alt: str
    line: int  # 1-based line of the paragraph that holds it


@_quick_init
@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, list item, table row, quote paragraph, code block, raw HTML block or heading."""

    kind: Literal["paragraph", "list_item", "table_row", "definition", "quote", "code", "heading", "html"]
    text: str  # plain text of the whole block
    line: int  # 1-based first line
    section: tuple[str, ...]  # heading path above the block, outermost first
    sentences: tuple[Sentence, ...]
    emphasis: tuple[str, ...] = ()  # plain text of bold / highlighted / <dfn> spans, in order
    markup: str = ""  # the block's inline Markdown source, for rendering
    list_id: int = -1  # which list a list item belongs to (document-wide counter), -1 otherwise
    ordered: bool = False  # list item of an ordered list
    depth: int = 0  # nesting depth of lists / quotes
    cells: tuple[str, ...] = ()  # table row: plain text of each cell; definition: (term, definition)
    header: tuple[str, ...] = ()  # table row: the table's header cells
    level: int = 0  # heading level (1-6) for headings
    skip: bool = False  # excluded by the author (<!-- certdeck: skip -->): no fact comes from it
    images: tuple[Image, ...] = ()  # images in this block, or in image-only paragraphs right after it


@_quick_init
@dataclass(frozen=True, slots=True)
class Document:
    path: str  # as given on the command line, used in messages and the JSON
    title: str
    meta: Mapping[str, Any]  # front matter
    blocks: tuple[Block, ...]
    stem: str = ""  # file name without suffix: the article's slug
    warnings: tuple[Any, ...] = ()  # GeneratorErrors for text the parser had to skip (shown as `warning:`)


@_quick_init
@dataclass(frozen=True, slots=True)
class Gap:
    start: int  # character offsets into Fact.text
    end: int
    ordinal: int  # cloze number: 1 for c1 ...
    hint: str = ""


@_quick_init
@dataclass(frozen=True, slots=True)
class Fact:
    """One thing worth recalling, found by one rule in one block."""

    rule: str
    kind: Kind
    text: str  # cloze: the text with its gaps at `gaps`; qa: the question
    term: str  # the key term the fact is about (part of its identity)
    score: float  # 0..1, higher is better
    block: Block
    sentence: str  # plain text of the source sentence (or list item / table row)
    line: int
    gaps: tuple[Gap, ...] = ()
    answer: str = ""  # qa only
    extra: str = ""  # shown on the back
    pinned: bool = False  # kept whatever the budget (author markup, curation pin or edit)


@_quick_init
@dataclass(frozen=True, slots=True)
class SourceRef:
    path: str
    line: int
    section: tuple[str, ...]
    sentence: str


@_quick_init
@dataclass(frozen=True, slots=True)
class CardView:
    """One Anki card as the learner sees it, in plain text."""

    ord: int
    prompt: str
    answers: tuple[str, ...]


@_quick_init
@dataclass(frozen=True, slots=True)
class Note:
    kind: Kind
    deck: str
    fields: tuple[tuple[str, str], ...]  # (name, HTML value) in note-type order
    cards: tuple[CardView, ...]
    tags: tuple[str, ...]
    source: SourceRef
    rule: str
    score: float
    key: str  # stable identity key of the fact
    guid: str = ""
    mod: int = 0  # seconds since the epoch: when this note's content last changed
    due: int = 0  # position in document order within its deck
    retired: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
