"""One article through the stages: read -> parse -> extract -> curate -> select -> notes.

`build_article` reads, parses and makes the notes of one article file, never raising: what stopped it is in
its ArticleResult. `build_cards` is the pure core (Markdown text in, notes out) the tests use.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..config import Settings, for_article
from ..errors import GeneratorError
from ..explain import coverage_warnings
from ..extract import extract
from ..extract.trace import Drop, collecting
from ..memo import forget_article
from ..model import Document, Note
from ..notes.make import deck_name, make_notes
from ..notes.media import MediaFile, collect_media
from ..parse.htmlblocks import convert_html_blocks
from ..parse.markdown import parse_markdown
from ..parse.outline import unindent_outline
from ..parse.pasted import looks_pasted, pasted_to_markdown
from ..read.sources import Source, display_path, read_source
from ..select.curation import (
    Curation,
    apply_curation,
    curation_file,
    load_curation,
    read_curation_bytes,
)
from ..select.gate import sound_notes
from ..select.selection import select
from .cache import ArticleCache


def parse_source(source: Source) -> Document:
    """A read source file as a Document."""
    pasted = source.plain or looks_pasted(source.text)
    text = (pasted_to_markdown(source.text, Path(source.path).stem) if pasted
            else unindent_outline(convert_html_blocks(source.text)))
    return parse_markdown(text, source.path, source.meta)


def build_cards(text: str, path: str, settings: Settings | None = None,
                meta: Mapping[str, Any] | None = None) -> list[Note]:
    """Notes (without GUIDs) for one article's Markdown text."""
    settings = settings or Settings()
    doc = parse_markdown(text, path, meta)
    return notes_for(doc, settings)


def notes_for(doc: Document, settings: Settings, curation: Curation | None = None,
              media: Mapping[str, MediaFile] | None = None) -> list[Note]:
    """Extract, curate, select and make notes for one parsed article (`media`: its packageable images)."""
    return curated_notes(doc, settings, curation, media)[0]


def curated_notes(doc: Document, settings: Settings, curation: Curation | None,
                  media: Mapping[str, MediaFile] | None = None) -> tuple[list[Note], list[GeneratorError]]:
    """Notes for one parsed article with its curation file's decisions applied, and the decisions that missed."""
    facts = extract(doc)
    warnings: list[GeneratorError] = []
    if curation is not None:
        facts, warnings = apply_curation(facts, curation, doc)
    facts = select(facts, doc)
    notes = make_notes(facts, doc, deck_name(doc, settings.parent_deck), media)
    return sound_notes(facts, notes), warnings


def checked_notes(doc: Document, settings: Settings, curation: Curation | None,
                  media: Mapping[str, MediaFile] | None = None
                  ) -> tuple[list[Note], list[GeneratorError], list[GeneratorError]]:
    """curated_notes, with a block that breaks a stage skipped instead of the whole article.

    Returns (notes, warnings, errors): one error `PATH:LINE: block skipped: ...` per block left out. Only
    when the article fails is each block tried alone to find the culprits (linear, and only then); if no
    single block fails, the article's own error stands.
    """
    deck_name(doc, settings.parent_deck)  # a deck Anki would refuse is the article's error, not each block's
    try:
        made, missed = curated_notes(doc, settings, curation, media)
        return made, missed, []
    except Exception as err:  # noqa: BLE001 - a rule's error, or a bug one odd block sets off
        first = err
    bad: list[tuple[int, Exception]] = []
    for i, block in enumerate(doc.blocks):
        try:
            curated_notes(replace(doc, blocks=(block,)), settings, None, media)
        except Exception as err:  # noqa: BLE001 - as above: find the blocks that set it off
            bad.append((i, err))
    if not bad:
        raise first
    skipped = {i for i, _ in bad}
    errors = [GeneratorError(f"block skipped: {_describe(err)}", doc.path, _line_of(err, doc.blocks[i].line))
              for i, err in bad]
    rest = replace(doc, blocks=tuple(b for i, b in enumerate(doc.blocks) if i not in skipped))
    made, missed = curated_notes(rest, settings, curation, media)
    return made, missed, errors


def _describe(err: BaseException) -> str:
    """One line for an exception: a GeneratorError's message, or what an internal error was."""
    if isinstance(err, GeneratorError):
        return err.message
    text = " ".join(str(err).split())
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"internal error ({type(err).__name__}{': ' + text if text else ''}); please report it"


def _line_of(err: BaseException, default: int) -> int:
    line = getattr(err, "line", None) if isinstance(err, GeneratorError) else None
    return line if isinstance(line, int) and line > 0 else default


def read_curation(article: Path) -> Curation | None:
    """The curation file beside `article`, if there is one."""
    path = curation_file(article)
    data = read_curation_bytes(path, str(path))
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GeneratorError(f"cannot read curation file: {err}", str(path)) from None
    return load_curation(text, str(path))


@dataclass(frozen=True)
class ArticleResult:
    """What one article gives: its notes (no GUIDs yet), warnings and errors, its images, or what stopped it."""

    path: str  # as shown to the user
    notes: list[Note]
    warnings: list[GeneratorError]  # curation decisions that missed, images left out
    error: GeneratorError | None = None  # the article could not be built
    errors: list[GeneratorError] = field(default_factory=list)  # built, but an image may not be packaged
    media: dict[str, MediaFile] = field(default_factory=dict)  # image reference as written -> packaged file
    image_warnings: int = 0  # how many of `warnings` are images left out
    key: str | None = None  # its cache key, when the cache is on
    packed: bytes | None = None  # its notes still pickled (see _unpacked); `notes` is then empty
    notes_sha: str = ""  # sha256 of its notes as its cache entry holds them, pickled ("": no entry)
    pending: bytes | None = None  # its notes' Pendings, pickled (see _Article)
    rows: bytes | None = None  # its notes' package rows (package.note_row), pickled
    # Or, instead of `packed`, its notes are left in the entry `key` of this cache, as the very bytes
    # `notes_sha` names, and read from there when asked for (_unpacked): most builds never need them.
    # Measured with bench/ (1,000 articles, 5 interleaved runs each, 2026-12-07): nothing changed, 1.85 s
    # with the notes left pickled, 3.69 s with every article's notes unpickled as it is read (medians;
    # 236 MiB against 354 MiB peak); one article changed, 1.74 s against 3.36 s. It pays, so it stays.
    notes_in: ArticleCache | None = None


def build_article(file: Path, settings: Settings, root: Path | None = None, name: str | None = None
                  ) -> ArticleResult:
    """Read, parse, extract, curate, select and make the notes of one article file (`root`: its source folder;
    `name`: its path as its notes and the lock give it, see read.article_name; default: as given)."""
    path = name or display_path(file)
    try:
        source = read_source(file, path, settings.article_limit())
        if not source.text:  # empty, or only blanks: nothing to parse
            return ArticleResult(source.path, [], list(source.warnings))
        doc = parse_source(source)
        images = collect_media(doc, file, root if root is not None else file.parent)
        curation, settings = read_curation(file), for_article(settings, file, root)
        with collecting(blocks_only=True) as seen:
            made, missed, bad_blocks = checked_notes(doc, settings, curation, images.files)
        missed = [*missed, *coverage_warnings(doc, len(made), seen, () if made else _why_none(doc, settings, curation))]
    except GeneratorError as err:
        return ArticleResult(path, [], [], err)
    except Exception as err:  # noqa: BLE001 - a bug costs one article and one line, never the build
        return ArticleResult(path, [], [], GeneratorError(_describe(err), path))
    finally:
        forget_article()
    return ArticleResult(source.path, made, [*source.warnings, *doc.warnings, *missed, *images.warnings], None,
                         [*bad_blocks, *images.errors], images.files, len(images.warnings))


def _why_none(doc: Document, settings: Settings, curation: Curation | None) -> list[Drop]:
    """Everything a build of an article that gave no card left out: its run again with every drop recorded."""
    forget_article()  # the memos answered the first run without recording
    with collecting() as why:
        curated_notes(doc, settings, curation)
    return why.drops
