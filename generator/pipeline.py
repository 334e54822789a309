"""The whole pipeline: read -> parse -> extract -> select -> notes -> identity, and writing the results.

`build_cards` is the pure core used by tests; `plan_build` runs it over files and the lock; `write_build`
is the only place that writes (decks, cards JSON, lock), each file atomically.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .config import Settings
from .curation import Curation, apply_curation, curation_file, load_curation
from .errors import GeneratorError
from .extract import extract
from .identity import IdentityReport, assign_identity
from .lockfile import LOCK_NAME, LockEntry, dump_lock, load_lock
from .media import MediaFile, collect_media, source_root
from .model import Document, Note
from .notes import deck_name, make_notes
from .parse import parse_markdown, plain_to_markdown
from .read import Source, find_sources, read_source
from .select import select


def parse_source(source: Source) -> Document:
    """A read source file as a Document."""
    text = plain_to_markdown(source.text) if source.plain else source.text
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
    facts = select(facts, doc, settings.words_per_note)
    return make_notes(facts, doc, deck_name(doc, settings.parent_deck), media), warnings


def read_curation(article: Path) -> Curation | None:
    """The curation file beside `article`, if there is one."""
    path = curation_file(article)
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise GeneratorError(f"cannot read curation file: {err}", str(path)) from None
    return load_curation(text, str(path))


@dataclass(frozen=True)
class Build:
    decks: dict[str, list[Note]]  # deck name -> notes in document order
    lock: dict[str, LockEntry]
    report: IdentityReport
    errors: list[GeneratorError] = field(default_factory=list)
    articles: int = 0
    warnings: list[GeneratorError] = field(default_factory=list)  # e.g. curation decisions that matched nothing
    had_lock: bool = False  # whether a lock file existed before this build
    media: dict[str, MediaFile] = field(default_factory=dict)  # article path + image reference -> packaged file


def plan_build(paths: Sequence[Path], settings: Settings, out_dir: Path) -> Build:
    """Read every article under `paths`, make its notes and match them to the lock in `out_dir`."""
    errors: list[GeneratorError] = []
    warnings: list[GeneratorError] = []
    media: dict[str, MediaFile] = {}
    notes: list[Note] = []
    built: set[str] = set()
    for file in find_sources(paths):
        try:
            source = read_source(file)
            doc = parse_source(source)
            images = collect_media(doc, file, source_root(file, paths))
            made, missed = curated_notes(doc, settings, read_curation(file), images.files)
        except GeneratorError as err:
            errors.append(err)
            continue
        built.add(source.path)
        notes.extend(made)
        warnings.extend(missed)
        errors.extend(images.errors)
        warnings.extend(images.warnings)
        media.update({f"{doc.path}\0{src}": f for src, f in images.files.items()})
    lock_path = out_dir / LOCK_NAME
    try:
        lock_text = lock_path.read_text(encoding="utf-8") if lock_path.exists() else None
    except (OSError, UnicodeDecodeError) as err:
        raise GeneratorError(f"cannot read lock file: {err}", str(lock_path)) from None
    lock = load_lock(lock_text, str(lock_path))

    def in_scope(path: str) -> bool:
        # A fact can only be retired from an article this build read, or from one that is gone; an
        # article left out of this build (or that failed to read) keeps its entries as they are.
        return path in built or not Path(path).exists()

    stamped, new_lock, report = assign_identity(notes, lock, settings.build_time(), in_scope)
    decks: dict[str, list[Note]] = {}
    for note in stamped:
        if settings.retired or not note.retired:
            decks.setdefault(note.deck, []).append(note)
    return Build(decks=decks, lock=new_lock, report=report, errors=errors, articles=len(built),
                 warnings=warnings, had_lock=lock_text is not None, media=media)


def write_build(build: Build, out_dir: Path, json_path: Path | None = None) -> list[tuple[str, Path, int, int]]:
    """Write every deck, the lock file and, if asked, the cards JSON; returns (deck, path, notes, cards)."""
    from .export import cards_json
    from .media import media_in
    from .package import write_deck, write_text_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for deck, notes in sorted(build.decks.items()):
        path = write_deck(notes, out_dir, deck, media_in((v for n in notes for _, v in n.fields), build.media))
        written.append((deck, path, len(notes), sum(len(n.cards) for n in notes)))
    if json_path is not None:
        all_notes = [n for _, notes in sorted(build.decks.items()) for n in notes]
        write_text_atomic(json_path, cards_json(all_notes))
    write_text_atomic(out_dir / LOCK_NAME, dump_lock(build.lock))
    return written
