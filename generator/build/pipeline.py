"""The whole pipeline: read -> parse -> extract -> select -> notes -> identity, and writing the results.

`build_cards` is the pure core used by tests; `plan_build` runs it over files and the lock; `write_build`
is the only place that writes (decks, cards JSON, lock), each file atomically.
"""
from __future__ import annotations

import bisect
import hashlib
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from .cache import CACHE_DIR, ArticleCache, CacheMiss, SectionRecord, SectionRecords
from ..config import Settings, for_article
from ..select.curation import Curation, apply_curation, curation_file, load_curation, read_curation_bytes
from ..errors import GeneratorError
from ..explain import coverage_warnings
from ..extract import extract
from ..select.gate import sound_notes
from ..extract.trace import Drop, collecting
from ..identity.match import IdentityReport, Pending, Stamp, cloze_ordinals, fix_ordinals, note_hash, pending_of, stamped
from ..identity.match import assign as assign_identity  # identity.assign_identity's work, on Pendings
from ..identity.lockfile import (LOCK_NAME, Carried, LockEntry, SectionStats, check_guids, load_styles, lock_chunks, lock_of,
                       parse_line, section_spans)
from ..identity.lockrepair import read_lock
from ..notes.media import MediaFile, collect_media, media_names, source_roots
from ..memo import forget_article
from ..model import Document, Note
from ..notes.make import deck_name, make_notes
from ..parse.htmlblocks import convert_html_blocks
from ..parse.outline import unindent_outline
from ..parse.markdown import parse_markdown
from ..parse.pasted import looks_pasted, pasted_to_markdown
from ..read.sources import (Source, article_name, display_path, find_sources, is_converted, project_root, read_limit,
                   read_limited, read_source)
from ..safepath import read_lock_bytes, refuse_symlinks
from ..select.selection import select
from ..package.stale import stale_decks

if TYPE_CHECKING:
    from ..package.apkg import PackRow

_T = TypeVar("_T")


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
        except Exception as err:  # noqa: BLE001
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
class Build:
    parts: dict[str, list[DeckPart]]  # deck name -> its notes in document order, an article at a time
    lock: dict[str, LockEntry]  # the entries this build decided (all but the `carried` sections)
    report: IdentityReport
    errors: list[GeneratorError] = field(default_factory=list)
    articles: int = 0
    warnings: list[GeneratorError] = field(default_factory=list)  # e.g. curation decisions that matched nothing
    had_lock: bool = False  # whether a lock file existed before this build
    media: dict[str, MediaFile] = field(default_factory=dict)  # article path + image reference -> packaged file
    carried: dict[str, Carried] = field(default_factory=dict)  # article path -> its live lock lines, as they were
    sections: dict[str, SectionRecord] = field(default_factory=dict)  # cache key -> what its article is made of
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)  # note type -> (CSS hash, mod): see style_stamps
    stale: list[str] = field(default_factory=list)  # decks the last build made and this one no longer does
    lock_seen: tuple[int, int, int] | None = None  # the lock file as read (lock_signature), None if none

    @cached_property
    def decks(self) -> dict[str, list[Note]]:
        """Deck name -> notes in document order (retired ones last), GUIDs and mods set."""
        return {deck: [n for part in parts for n in part.notes()] for deck, parts in self.parts.items()}


class DeckPart:
    """Some of a deck's notes, in order: one article's, or the deck's retired notes."""

    digest: str  # see note_digest
    count: int  # notes
    cards: int

    def notes(self) -> list[Note]:
        raise NotImplementedError

    def rows(self) -> list[tuple[str, int, PackRow]]:
        """(GUID, mod, package row) of each note, in order: what its deck's package is written from."""
        from ..package.apkg import note_row

        return [(n.guid, n.mod, note_row(n)) for n in self.notes()]

    def media_names(self) -> list[str]:
        raise NotImplementedError


class _Listed(DeckPart):
    """Notes given as they are (the retired ones, made from the lock's snapshots)."""

    def __init__(self, notes: list[Note], hashes: Mapping[str, str]) -> None:
        self._notes = notes
        self.digest = note_digest((n.guid, n.mod, hashes.get(n.guid, "")) for n in notes)
        self.count = len(notes)
        self.cards = sum(len(n.cards) for n in notes)

    def notes(self) -> list[Note]:
        return self._notes

    def media_names(self) -> list[str]:
        return media_names(v for n in self._notes for _, v in n.fields)


class _Article:
    """One article's built notes as they came (pickled, from a worker or the cache), with their Pendings and
    package rows: each is unpickled only when something asks for it, and its notes only once."""

    def __init__(self, result: ArticleResult, rebuild: Callable[[], ArticleResult]) -> None:
        self.result, self.rebuild = result, rebuild
        self._notes: list[Note] | None = None
        self._count: int | None = None  # how many Pendings the entry gave, once they were read

    def notes(self) -> list[Note]:
        if self._notes is None:
            notes = _unpacked(self.result, self.rebuild).notes
            self._check(len(notes), self._count)
            self._notes = notes
        return self._notes

    def pendings(self) -> list[Pending]:
        """Each note's Pending (from the worker or the cache entry; else made from the notes). The pickled
        ones are let go once read: each is asked for once, and they are the biggest part of an entry."""
        pending = self.result.pending
        if pending is not None:
            from .cache import unpack

            self.result = replace(self.result, pending=None)
            try:
                value = unpack(pending)
                if isinstance(value, tuple) and all(type(p) is Pending for p in value):
                    self._count = len(value)
                    if self._notes is not None:
                        self._check(len(self._notes), self._count)
                    return list(value)
            except CacheMiss:
                pass
            self.result = replace(self.result, rows=None)  # damaged: the notes decide
        return [pending_of(n) for n in self.notes()]

    def rows(self) -> list[PackRow]:
        """Each note's package row as built (before identity renumbers any cloze)."""
        if self.result.rows is not None and self._count is not None:
            from .cache import unpack

            try:
                value = unpack(self.result.rows)
                if isinstance(value, tuple) and len(value) == self._count \
                        and all(type(r) is tuple and len(r) == 6 for r in value):
                    return list(value)
            except CacheMiss:
                pass
        from ..package.apkg import note_row

        return [note_row(n) for n in self.notes()]

    def _check(self, notes: int, pendings: int | None) -> None:
        if pendings is not None and notes != pendings:  # only a planted cache entry could do this
            raise GeneratorError("internal error (an article's notes and their records differ); please report "
                                 "it, and build with --no-cache meanwhile", self.result.path)


class _ArticlePart(DeckPart):
    """Notes of one article, stamped: `_stamps()` gives (index among the article's notes, Stamp) of each."""

    article: _Article

    def _stamps(self) -> list[tuple[int, Stamp]]:
        raise NotImplementedError

    def notes(self) -> list[Note]:
        notes = self.article.notes()
        return [stamped(s.renumbered or notes[j], s.guid, s.mod) for j, s in self._stamps()]

    def rows(self) -> list[tuple[str, int, PackRow]]:
        from ..package.apkg import note_row

        rows = self.article.rows()
        return [(s.guid, s.mod, note_row(s.renumbered) if s.renumbered else rows[j]) for j, s in self._stamps()]


class _Stamped(_ArticlePart):
    """Notes identity has stamped in this build (those of `article` at `indexes`)."""

    def __init__(self, article: _Article, indexes: list[int], pendings: Sequence[Pending], stamps: Sequence[Stamp]
                 ) -> None:
        self.article = article
        self._pairs = list(zip(indexes, stamps))
        self.digest = note_digest((s.guid, s.mod, s.hash) for s in stamps)
        self.count = len(stamps)
        self.cards = sum(len(p.signatures) for p in pendings)
        self._media = [name for p, s in zip(pendings, stamps)
                       for name in (p.media if s.renumbered is None else
                                    media_names(v for _, v in s.renumbered.fields))]

    def _stamps(self) -> list[tuple[int, Stamp]]:
        return self._pairs

    def media_names(self) -> list[str]:
        return list(self._media)


class _Carried(_ArticlePart):
    """An article no input of which changed since the last build, whose lock lines are as that build wrote
    them: identity would give its notes exactly the entries those lines hold, so the lines are copied and
    its notes stay pickled in the cache until a deck or the cards JSON needs them."""

    def __init__(self, article: _Article, record: SectionRecord, lines: Any) -> None:
        self.article, self.record, self.lines = article, record, lines
        self.digest, self.count, self.cards = record.digest, record.live, record.cards
        self._made: list[tuple[int, Stamp]] | None = None

    def _stamps(self) -> list[tuple[int, Stamp]]:
        if self._made is None:
            self._made = self._stamp()
        return self._made

    def _stamp(self) -> list[tuple[int, Stamp]]:
        """What identity would stamp on each note: the entry of its key in the carried lines."""
        lines = bytes(self.lines).split(b",\n") if self.record.live else []
        entries = {e.key: e for e in (parse_line(line, self.record.path) for line in lines)}
        out = []
        for j, p in enumerate(self.article.pendings()):
            entry = entries[p.key]
            renumbered = None
            h = p.hash
            if p.kind == "cloze":
                note = fix_ordinals(self.article.notes()[j], entry)[0] \
                    if cloze_ordinals(p.signatures, entry)[0] is not None else None
                if note is not None:
                    renumbered, h = note, note_hash(note)
            if h != entry.hash:  # cannot happen while identity is what it is: never ship it
                raise GeneratorError("internal error (a carried note differs from its lock entry); please report "
                                     "it, and build with --no-cache meanwhile", p.path, p.line)
            out.append((j, Stamp(entry.guid, entry.mod, h, renumbered)))
        return out

    def media_names(self) -> list[str]:
        return list(self.record.media)


def note_digest(notes: Iterable[tuple[str, int, str]]) -> str:
    """Digest of notes as packaged: GUID, mod and content hash (note type, fields, tags) each, in order."""
    return hashlib.sha256("".join(f"{g}\x1d{m}\x1d{h}\x1e" for g, m, h in notes).encode()).hexdigest()


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


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def build_articles(files: Sequence[Path], settings: Settings, cache: ArticleCache | None = None,
                   jobs: int = 1, progress: Progress | None = None,
                   roots: Sequence[Path] | None = None, packed: bool = False,
                   names: Sequence[str | None] | None = None) -> list[ArticleResult]:
    """Every article's result, in the order of `files`, from the cache or built with up to `jobs` processes.

    The parallel build maps the same pure function over the same files in order, so its results, and
    everything made from them, are identical to a serial build's. `roots`: each file's source folder.
    `packed`: leave each article's notes pickled, with their Pendings and package rows (ArticleResult.packed).
    `names`: each file's path as its notes give it (build_article's `name`).
    """
    cache = cache or ArticleCache(None, settings)
    roots = roots if roots is not None else [f.parent for f in files]
    names = names if names is not None else [None] * len(files)
    results: list[ArticleResult | None] = [None] * len(files)
    todo: list[tuple[int, _Task]] = []
    for i, (file, root, name) in enumerate(zip(files, roots, names)):
        key = _cache_key(cache, file, root, settings.article_limit(), name)
        if key is not None:
            try:
                results[i] = _from_entry(cache.get(key), key, packed, stored_in=cache)
                continue
            except CacheMiss:
                pass
        todo.append((i, _Task(file, root, settings, cache.folder if key else None, key, name)))
    done = len(files) - len(todo)
    if progress:
        progress("articles", done, len(files))
    for i, result in zip((i for i, _ in todo), _run(todo, jobs, packed, cache)):
        results[i] = result
        done += 1
        if progress:
            progress("articles", done, len(files))
    if todo and cache.enabled:
        cache.used.update(t.key for _, t in todo if t.key)
    return [r for r in results if r is not None]


@dataclass(frozen=True)
class _Task:
    file: Path
    root: Path
    settings: Settings
    cache_dir: Path | None
    key: str | None
    name: str | None = None  # build_article's `name`


def _cache_key(cache: ArticleCache, file: Path, root: Path, limit: int, name: str | None = None) -> str | None:
    """The article's cache key from the bytes of the file (as far as a build reads them) and its curation
    file; None if unreadable or not a regular file."""
    if not cache.enabled:
        return None
    try:
        content = read_limited(file, read_limit(file, limit))
        curation = curation_file(file)
        extra = read_curation_bytes(curation, str(curation))
    except (OSError, GeneratorError):
        return None  # build_article reports it
    # The name is what the notes say the article is (their Source line, the lock's path): part of the key.
    key = f"{file}\0{root}" if name is None else f"{file}\0{root}\0{name}"
    if is_converted(file):  # a converted file's notes also depend on the converter libraries installed
        from ..read.convert import converter_stamp

        key += f"\0{converter_stamp()}"
    return cache.key(key, content, extra)


def _build_task(task: _Task) -> tuple[bytes, bool]:
    """Build one article (in a worker or in-process) as a cache entry; store it in the cache when it has a key.
    Returns the entry and whether it was stored.

    The parent reads the entry as it reads one from the cache: the notes pickled once, beside what identity
    and packaging need of them (their Pendings and package rows), so it never rebuilds a note it only
    matches, hashes and writes out.
    """
    from .cache import dumps

    result = build_article(task.file, task.settings, task.root, task.name)
    entry = dumps(_to_entry(result))
    if task.cache_dir is None or task.key is None:
        return entry, False
    cache = ArticleCache(task.cache_dir, task.settings)
    # Not stored: an article whose images were left out or refused (the files may appear or be fixed
    # without the article changing), or one whose file changed while it was built.
    limit = task.settings.article_limit()
    if not result.errors and not result.image_warnings \
            and _cache_key(cache, task.file, task.root, limit, task.name) == task.key:
        return entry, cache.put(task.key, entry)
    return entry, False


def _to_entry(result: ArticleResult) -> tuple[Any, ...]:
    """A cache entry's value: plain containers and certdeck's data classes; images with their file stats;
    the notes, their Pendings and their package rows each pickled on their own, so that an article whose
    notes a build does not need is read without them (the entry's checksum covers them all the same)."""
    from .cache import pack
    from ..package.apkg import note_row

    media = tuple((src, f.name, str(f.path), *_stat(f.path)) for src, f in result.media.items())
    return (result.path, result.warnings, result.error, result.errors, media, pack(result.notes),
            pack(tuple(pending_of(n) for n in result.notes)), pack(tuple(note_row(n) for n in result.notes)))


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _from_entry(value: Any, key: str | None = None, packed: bool = False, fresh: bool = False,
                stored_in: ArticleCache | None = None) -> ArticleResult:
    """An ArticleResult from a cache entry's value; CacheMiss if it has another shape or an image changed.
    With `packed`, its notes are left pickled (ArticleResult.packed), or, when the entry is stored as
    `key` in `stored_in`, left there (ArticleResult.notes_in). `fresh`: just built, so its images need no
    second look."""
    try:
        path, warnings, error, errors, media, notes_data, pending, rows = value
        ok = (isinstance(path, str) and isinstance(notes_data, bytes) and isinstance(pending, bytes)
              and isinstance(rows, bytes)
              and all(isinstance(w, GeneratorError) for w in [*warnings, *errors])
              and (error is None or isinstance(error, GeneratorError)))
        files = {}
        for src, name, file, size, mtime in media:
            if not fresh and _stat(Path(file)) != (size, mtime):
                raise CacheMiss("an image changed")
            files[src] = MediaFile(name, Path(file))
    except (TypeError, ValueError):
        raise CacheMiss("entry of another shape") from None
    if not ok:
        raise CacheMiss("entry of another shape")
    on_disk = packed and stored_in is not None and stored_in.enabled and key is not None
    result = ArticleResult(path, [], list(warnings), error, list(errors), files, 0, key,
                           None if on_disk else notes_data, hashlib.sha256(notes_data).hexdigest(), pending, rows,
                           stored_in if on_disk else None)
    return result if packed else _unpacked(result, None)


def _unpacked(result: ArticleResult, rebuild: Callable[[], ArticleResult] | None) -> ArticleResult:
    """`result` with its notes unpickled; CacheMiss if they are damaged and there is no `rebuild`."""
    if result.packed is None and result.notes_in is None:
        return result
    from .cache import unpack

    try:
        notes = unpack(result.packed if result.packed is not None else _stored_notes(result))
        if not (isinstance(notes, list) and all(isinstance(n, Note) for n in notes)):
            raise CacheMiss("entry of another shape")
    except CacheMiss:
        if rebuild is None:
            raise
        notes = rebuild().notes  # the same pure function of the same bytes: the same notes
    return replace(result, notes=notes, packed=None, notes_in=None)


def _stored_notes(result: ArticleResult) -> bytes:
    """The pickled notes of `result` from its cache entry; CacheMiss unless they are the very bytes the
    build read (the entry may have been removed or replaced meanwhile)."""
    assert result.notes_in is not None and result.key is not None
    value = result.notes_in.get(result.key)
    data = value[5] if isinstance(value, tuple) and len(value) == 8 else None
    if not isinstance(data, bytes) or hashlib.sha256(data).hexdigest() != result.notes_sha:
        raise CacheMiss("the entry changed")
    return data


def _result(built: tuple[bytes, bool], key: str | None, packed: bool, cache: ArticleCache) -> ArticleResult:
    from .cache import loads

    entry, stored = built
    return _from_entry(loads(entry), key, packed, fresh=True, stored_in=cache if stored else None)


def _run(todo: list[tuple[int, _Task]], jobs: int, packed: bool, cache: ArticleCache
         ) -> Iterator[ArticleResult]:
    """Build the tasks in order, in a process pool when there are enough of them and jobs > 1.

    A worker that dies (the system's out-of-memory killer, say) fails the build with an error rather than
    leaving it waiting for a result that never comes.
    """
    tasks = [t for _, t in todo]
    jobs = min(jobs, len(tasks))
    if jobs <= 1:
        import gc

        threshold = gc.get_threshold()
        gc.set_threshold(*_BUILD_GC_THRESHOLD)
        try:
            for task in tasks:
                yield _result(_build_task(task), task.key, packed, cache)
        finally:
            gc.set_threshold(*threshold)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork shares what the parent already imported; newer Pythons warn about fork with threads running
    method = "fork" if sys.version_info < (3, 12) and "fork" in multiprocessing.get_all_start_methods() else None
    chunk = max(1, min(8, len(tasks) // (jobs * 4)))
    if method == "fork":
        _warm_for_workers()
    import os

    from .cache import cache_secret

    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method), initializer=_worker_start,
                                 initargs=(os.getpid(), cache_secret())) as pool:
            for task, value in zip(tasks, pool.map(_build_task, tasks, chunksize=chunk)):
                yield _result(value, task.key, packed, cache)
    except BrokenProcessPool:
        raise GeneratorError(f"a worker process building the articles died (out of memory?); try fewer "
                             f"--jobs than {jobs}", display_path(tasks[0].file.parent)) from None


# Building an article makes objects by the hundred thousand and no cyclic garbage (none found on the bench
# corpus), yet the default thresholds run a collection every 700 of them, each walking what the caches
# hold: 9% of a worker's time. Collections still run, a hundred times more rarely.
_BUILD_GC_THRESHOLD = (50_000, 1_000, 1_000)


def _worker_start(parent: int | None = None, secret: bytes | None = None) -> None:
    """Set up a worker process: it dies with its parent (see exit_with_parent), signs cache entries with the
    parent's secret, what it inherited from the parent (modules, parsers) is moved out of the cycle
    collector's walks for good, and collections run at _BUILD_GC_THRESHOLD."""
    import gc

    from .cache import set_cache_secret
    from .workers import exit_with_parent

    for fd in list(_LOCK_FDS):  # the folder lock is the parent's: it goes away with the parent
        try:
            os.close(fd)
        except OSError:
            pass
    _LOCK_FDS.clear()
    if parent is not None:
        exit_with_parent(parent)
    if secret is not None:
        set_cache_secret(secret)
    gc.freeze()
    gc.set_threshold(*_BUILD_GC_THRESHOLD)


def _warm_for_workers() -> None:
    """Import and build, once in the parent, what every worker would otherwise import and build alone
    (the Markdown parsers, the HTML sanitizer, the YAML loader, genanki's note types): forked workers share
    it."""
    import yaml  # noqa: F401 - front matter

    from ..package.apkg import row_kinds
    from ..parse.markdown import _parser
    from ..notes.render import _inline_parser, _sanitizer

    _parser()
    _inline_parser()
    _sanitizer()
    row_kinds()  # genanki and its note types, for the package rows


def plan_build(paths: Sequence[Path], settings: Settings, out_dir: Path, jobs: int = 1,
               use_cache: bool = False, progress: Progress | None = None, freeze: bool = False,
               root: Path | None = None) -> Build:
    """Read every article under `paths`, make its notes and match them to the lock in `out_dir`.

    With `use_cache`, articles come from the cache in `out_dir` when nothing they depend on changed; new
    and changed ones are built with up to `jobs` processes. An article that comes from the cache and whose
    lines in the lock are as the last build wrote them is carried: identity would hand each of its notes
    the entry that holds its fact key in its own article (identity.py matches there first, and after a
    build the lock holds exactly each note's key), so its lines are copied instead. The result is the same
    either way (tests/test_incremental.py).

    `freeze`: for a caller that keeps the Build until its process ends (the CLI), what the build made is
    moved out of the cycle collector's way for good (gc.freeze), so that no later collection walks it.

    Articles are named (on their cards and in the lock) by their path relative to `root`, by default the
    folder holding `out_dir` (the project root), whatever the working directory; messages about a file
    still name it as it was given.
    """
    errors: list[GeneratorError] = []
    warnings: list[GeneratorError] = []
    media: dict[str, MediaFile] = {}
    built: set[str] = set()
    if use_cache:  # the cache is written and tidied (deleted in) from here on
        refuse_symlinks(_cache_paths(out_dir), display_path)
    cache = ArticleCache(out_dir / CACHE_DIR if use_cache else None, settings)
    records = SectionRecords(out_dir / CACHE_DIR if use_cache else None)
    files = find_sources(paths, warnings)
    roots = source_roots(files, paths)
    top = project_root(out_dir) if root is None else os.path.realpath(root)
    folders: dict[str, str] = {}
    names = [article_name(f, top, folders) for f in files]
    shown = {name: display_path(f) for name, f in zip(names, files)}
    results = build_articles(files, settings, cache, jobs, progress, roots, packed=True, names=names)
    cache.tidy()
    # From here on, objects by the hundred thousand that form no cycles (see paused_gc).
    with paused_gc(freeze):
        lock_path = out_dir / LOCK_NAME
        try:
            lock_seen = lock_signature(lock_path)
        except OSError as err:
            raise GeneratorError(f"cannot read lock file: {err}", str(lock_path)) from None
        lock_data = read_lock_bytes(lock_path, str(lock_path))
        had_lock = lock_data is not None
        from ..package.apkg import style_stamps  # genanki is not imported by it

        styles = style_stamps(load_styles(lock_data), settings.build_time())
        spans = None
        if records.records and lock_data is not None:
            try:
                spans = section_spans(lock_data)
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                spans = None  # load_lock says what is wrong with it
        carried: dict[str, tuple[ArticleResult, SectionRecord, Any]] = {}
        carried_guids: list[str] = []
        if spans is not None and lock_data is not None:
            # the carried lines stay where they are in the lock's bytes, until the new lock is written
            try:
                lock, carried_guids = _carry(results, records, lock_data, spans, carried, str(lock_path))
            except GeneratorError:  # a damaged line: read_lock recovers what it can, nothing is carried
                carried.clear()
                spans = None
        if spans is None or lock_data is None:
            lock, repaired = read_lock(lock_data, display_path(lock_path))
            warnings.extend(repaired)
        del lock_data
        articles = [_Article(result, _rebuilder(file, source, settings, name))
                    for file, source, name, result in zip(files, roots, names, results)]
        del results  # each article's pickled Pendings go as soon as identity has read them
        pendings: list[Pending] = []
        starts: list[int] = []  # where the notes of each article identity matches start in `pendings`
        matched: list[_Article] = []
        for article in articles:
            result = article.result
            if result.error is not None:
                errors.append(_as_given(result.error, shown))
                continue
            built.add(result.path)
            warnings.extend(_as_given(w, shown) for w in result.warnings)
            errors.extend(_as_given(e, shown) for e in result.errors)
            media.update({f"{result.path}\0{src}": f for src, f in result.media.items()})
            if result.path not in carried:
                starts.append(len(pendings))
                matched.append(article)
                pendings.extend(article.pendings())

        def note_of(i: int) -> Note:
            at = bisect.bisect_right(starts, i) - 1
            return matched[at].notes()[i - starts[at]]

        def in_scope(path: str) -> bool:
            # A fact can only be retired from an article this build read, or from one that is gone; an
            # article left out of this build (or that failed to read) keeps its entries as they are.
            return path in built or not os.path.lexists(os.path.join(top, path))

        stamps, retired_notes, new_lock, report = assign_identity(pendings, lock, settings.build_time(), note_of,
                                                                  in_scope, carried_guids)
        report = replace(report, carried=sum(r.live for _, r, _ in carried.values()))
        parts: dict[str, list[DeckPart]] = {}
        sections_made: dict[str, SectionRecord] = {}
        note_spans = dict(zip(map(id, matched), zip(starts, [*starts[1:], len(pendings)])))
        for article in articles:
            result = article.result
            if result.error is not None:
                continue
            if result.path in carried:
                _, record, lines = carried[result.path]
                if result.key:
                    sections_made[result.key] = record
                if record.live:
                    parts.setdefault(record.deck, []).append(_Carried(article, record, lines))
                continue
            start, end = note_spans[id(article)]
            by_deck: dict[str, list[int]] = {}
            for i in range(start, end):
                by_deck.setdefault(pendings[i].deck, []).append(i)
            made = [_Stamped(article, [i - start for i in group], [pendings[i] for i in group], [stamps[i] for i in group])
                    for group in by_deck.values()]
            for deck, part in zip(by_deck, made):
                parts.setdefault(deck, []).append(part)
            if result.key and result.notes_sha and len(made) <= 1:
                whole = made[0] if made else _Stamped(article, [], [], [])
                sections_made[result.key] = SectionRecord(result.path, whole.count, "", whole.digest, whole.cards,
                                                          next(iter(by_deck), ""), tuple(whole.media_names()),
                                                          result.notes_sha, tuple(s.guid for s in stamps[start:end]))
        del pendings
        if settings.retired and retired_notes:
            hashes = {e.guid: e.hash for e in new_lock.values()}
            retired: dict[str, list[Note]] = {}
            for note in retired_notes:
                retired.setdefault(note.deck, []).append(note)
            for deck, group in retired.items():
                parts.setdefault(deck, []).append(_Listed(group, hashes))
        return Build(parts=parts, lock=new_lock, report=report, errors=errors, articles=len(built),
                     warnings=warnings, had_lock=had_lock, media=media,
                     carried={path: (r.live, r.lines_sha, lines) for path, (_, r, lines) in carried.items()},
                     sections=sections_made, styles=styles,
                     stale=stale_decks(lock.values(), parts, in_scope) if had_lock else [], lock_seen=lock_seen)


def lock_signature(lock_path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of the lock file, None if there is none: a new lock is a new file (renamed over
    the old one), so any write changes it."""
    try:
        st = os.stat(lock_path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _as_given(err: GeneratorError, shown: Mapping[str, str]) -> GeneratorError:
    """`err` naming its file as the user gave it (a note names it relative to the project root)."""
    given = shown.get(err.path) if err.path is not None else None
    return err if given is None or given == err.path else GeneratorError(err.message, given, err.line)


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """Pause the cycle collector while a step makes objects by the hundred thousand that form no cycles
    (identity's lock entries and report, the parts of the decks, the lock's lines): each batch of them
    would set off a collection that walks every object alive, the whole build's included (40% of
    identity's time on 1,000 articles). Reference counting frees them as usual. With `freeze`, what is
    alive at the end stays out of every later collection (gc.freeze): else the first one after the pause
    walks all of it once more. Garbage left from before (an article built in this process) is collected
    first, so none of it is kept for good."""
    import gc

    was_enabled = gc.isenabled()
    if freeze:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _rebuilder(file: Path, root: Path, settings: Settings, name: str | None = None) -> Callable[[], ArticleResult]:
    """A function that builds an article again (when its cached notes turn out damaged)."""
    def rebuild() -> ArticleResult:
        return build_article(file, settings, root, name)

    return rebuild


def _carry(results: Sequence[ArticleResult], records: SectionRecords, data: bytes, spans: dict[str, tuple[int, int]],
           carried: dict[str, tuple[ArticleResult, SectionRecord, Any]], lock_path: str
           ) -> tuple[dict[str, LockEntry], list[str]]:
    """Fill `carried` with the articles whose lock lines are as the last build wrote them; returns the lock
    entries of everything else (parsed) and the GUIDs of the carried lines."""
    view = memoryview(data)
    rest: dict[str, list[bytes]] = {}
    try:
        for result in results:
            record = records.get(result.key)
            # Only notes read from the cache, the very ones the record was made from (an article built
            # afresh may differ for the same bytes: an image that changed, say).
            if result.error is not None or record is None or record.path != result.path \
                    or (result.packed is None and result.notes_in is None) or record.notes_sha != result.notes_sha:
                continue
            start, end = spans.get(result.path, (0, 0))
            cut = end
            if record.live and data.count(b",\n", start, end) + 1 != record.live:  # retired lines after them
                cut = start
                for _ in range(record.live):
                    cut = data.find(b",\n", cut + (2 if cut > start else 0), end)
                    if cut < 0:
                        break
                if cut < 0:
                    continue
            elif not record.live:
                cut = start
            head = view[start:cut]
            if hashlib.sha256(head).hexdigest() != record.lines_sha:
                continue
            after = data[cut + 2 : end].split(b",\n") if cut < end else []
            if any(not parse_line(line, result.path).retired for line in after):
                continue  # only a hand-edited lock has a live entry there: match it all
            carried[result.path] = (result, record, head)
            rest[result.path] = after  # its retired notes, if any: matched as usual
        entries = [parse_line(line, path) for path, (a, b) in spans.items() if path not in carried
                   for line in data[a:b].split(b",\n")]
        entries += [parse_line(line, path) for path, lines in rest.items() for line in lines]
        guids = [g for _, record, _ in carried.values() for g in record.guids]
        check_guids([*guids, *(e.guid for e in entries)])
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as err:
        raise GeneratorError(f"lock file is damaged ({err})", lock_path) from None
    return lock_of(entries), guids


def write_build(build: Build, out_dir: Path, json_path: Path | None = None, use_cache: bool = False,
                progress: Progress | None = None) -> list[tuple[str, Path, int, int, bool]]:
    """Write every deck, the lock file and, if asked, the cards JSON; returns (deck, path, notes, cards,
    retired) of each package written (see _write_decks_and_json for the retired notes' packages).

    Each file goes to a temporary name in its folder and is renamed when complete, so a failed or killed
    build leaves the previous files whole; the lock is renamed last, after the decks and the cards JSON.
    Only one build writes to `out_dir` at a time; temporary files a killed build left there are removed.
    A deck whose package would come out exactly as the one this folder already holds from the last build
    (same fingerprint, file untouched since) is not written again (`use_cache`).
    """
    from concurrent.futures import ThreadPoolExecutor

    refuse_symlinks([out_dir], display_path)
    _make_folder(out_dir)
    with _FolderLock(out_dir):
        names = deck_file_names(sorted(build.parts))
        refuse_symlinks([*(out_dir / n for n in names.values()),
                         *(out_dir / n for n in retired_file_names(names).values()), out_dir / LOCK_NAME,
                         *([json_path] if json_path is not None else []), *(_cache_paths(out_dir) if use_cache else [])],
                        display_path)
        lock_path = out_dir / LOCK_NAME
        try:
            now_seen = lock_signature(lock_path)
        except OSError:
            now_seen = None
        if now_seen != build.lock_seen:  # another build wrote it meanwhile: writing ours would lose its notes
            raise GeneratorError("the lock file changed since this build read it (another build?); nothing was "
                                 "written: build again", display_path(lock_path))
        _remove_leftovers(out_dir)
        stats: SectionStats = {}
        # The lock's lines are made and written to its temporary file in a thread while the decks are
        # packaged: SQLite, zlib and fsync release the GIL, so the two overlap (a third of the writing
        # time on 1,000 articles). Objects by the hundred thousand that form no cycles: see paused_gc.
        with paused_gc(), ThreadPoolExecutor(1, thread_name_prefix="certdeck-lock") as beside:
            lock_tmp = beside.submit(_write, lock_path, "lock file", _temp_file, lock_path,
                                     lock_chunks(build.lock, build.carried, stats, build.styles))  # streamed
            try:
                written = _write_decks_and_json(build, out_dir, json_path, use_cache, progress)
            except BaseException:
                _discard(lock_tmp)
                raise
            _write(lock_path, "lock file", _publish_temp, lock_tmp.result(), lock_path)
        if use_cache:
            _save_sections(out_dir / CACHE_DIR, build.sections, stats)
    return written


def _cache_paths(out_dir: Path) -> list[Path]:
    """What of the cache folder a build writes in, renames over or deletes in."""
    folder = out_dir / CACHE_DIR
    return [out_dir, folder, folder / "articles", folder / "decks.json", folder / SectionRecords.NAME]


def _write_decks_and_json(build: Build, out_dir: Path, json_path: Path | None, use_cache: bool,
                          progress: Progress | None) -> list[tuple[str, Path, int, int, bool]]:
    """write_build's decks and cards JSON, each written atomically; returns (deck, path, notes, cards,
    retired) of each package.

    A deck's retired notes go into a package of their own (`DECK.retired.apkg`, see retired_file_names):
    a learner importing the deck for the first time never gets them as new cards, and one who has them
    imports that package to have them tagged certdeck::retired. A deck without retired notes leaves no
    such package behind from an earlier build.
    """
    from .cache import DeckRecord, deck_fingerprint
    from ..package.export import cards_json_chunks
    from ..package.apkg import write_text_atomic

    record = DeckRecord(out_dir / CACHE_DIR if use_cache else None)
    by_name = {f.name: f.path for f in build.media.values()}
    written = []
    decks = sorted(build.parts.items())
    names = deck_file_names([deck for deck, _ in decks])
    retired_names = retired_file_names(names)
    model_mods = {kind: mod for kind, (_, mod) in sorted(build.styles.items())}
    for done, (deck, parts) in enumerate(decks, 1):
        live = [p for p in parts if not isinstance(p, _Listed)]
        gone = [p for p in parts if isinstance(p, _Listed)]
        for target, group, retired in ((out_dir / names[deck], live, False),
                                       (out_dir / retired_names[deck], gone, True)):
            if not group:  # no notes of this kind: an older package of them would mislead a new learner
                _remove_stale(target)
                continue
            used = {name for part in group for name in part.media_names()}
            files = {name: by_name[name] for name in sorted(used) if name in by_name}
            fingerprint = deck_fingerprint(f"{deck}\x1c{model_mods}" + ("\0retired" if retired else ""),
                                           [p.digest for p in group], files) if use_cache else ""
            if not record.unchanged(target, fingerprint):
                rows = [row for part in group for row in part.rows()]
                _write(target, "deck", _write_deck, rows, out_dir, deck, files, target.name, model_mods)
                record.record(target, fingerprint)
                del rows
            written.append((deck, target, sum(p.count for p in group), sum(p.cards for p in group), retired))
        if progress:
            progress("decks", done, len(decks))
    record.save(p.name for _, p, _, _, _ in written)
    if json_path is not None:  # streamed: an article's notes at a time
        notes = (n for _, parts in decks for part in parts for n in part.notes())
        _write(json_path, "cards JSON", write_text_atomic, json_path, cards_json_chunks(notes))
    return written


def _temp_file(path: Path, pieces: Iterable[bytes | str]) -> str:
    """Write `pieces` (str as UTF-8) in order to a new temporary file beside `path`, synced to disk;
    returns its name (nothing is left behind when this fails)."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".certdeck-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8", "surrogatepass") if isinstance(piece, str) else piece)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _publish_temp(tmp: str, path: Path) -> None:
    """Rename the temporary file `tmp` to `path` (removed instead if that fails)."""
    import os

    from ..package.apkg import _publish

    try:
        _publish(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _discard(made: Any) -> None:
    """Wait for a temporary file being written (a Future of its name) and remove it; its errors, if any,
    are not reported (an earlier failure is)."""
    import os

    try:
        tmp = made.result()
    except BaseException:  # noqa: BLE001
        return
    if os.path.exists(tmp):
        os.unlink(tmp)


def _save_sections(folder: Path, made: Mapping[str, SectionRecord], stats: SectionStats) -> None:
    """Record, for the next build, each article whose lock lines are exactly its notes' entries."""
    empty = hashlib.sha256(b"").hexdigest()
    records = {}
    for key, r in made.items():
        live, sha = stats.get(r.path, (0, empty))
        if live == r.live:
            records[key] = replace(r, lines_sha=sha)
    SectionRecords(folder).save(records)


def _write_deck(rows: Sequence[tuple[str, int, PackRow]], out_dir: Path, deck: str, files: Mapping[str, Path],
                name: str, model_mods: Mapping[str, int] | None = None) -> None:
    from ..package.apkg import timestamp_of, write_rows

    kinds = dict.fromkeys(row[0] for _, _, row in rows)
    write_rows(rows, kinds, timestamp_of(mod for _, mod, _ in rows), out_dir, deck, files, file_name=name,
               model_mods=model_mods)


def retired_file_names(names: Mapping[str, str]) -> dict[str, str]:
    """Each deck's retired-notes package name: `NAME.retired.apkg` beside `NAME.apkg` (`names`: deck ->
    deck_file_names' name), with a short hash of the deck name if a deck's own package has that name."""
    taken = {name.lower() for name in names.values()}
    out = {}
    for deck, name in names.items():
        retired = name[: -len(".apkg")] + ".retired.apkg"
        if retired.lower() in taken:
            digest = hashlib.sha256(deck.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            retired = f"{name[: -len('.apkg')]}-{digest}.retired.apkg"
        out[deck] = retired
    return out


def _remove_stale(package: Path) -> None:
    """Delete a package an earlier build wrote that this one has no notes for: a retired-notes package of a
    deck with none left, or a deck all of whose notes are now retired (a regular file only: a link of that
    name is left alone)."""
    import stat

    try:
        if stat.S_ISREG(os.lstat(package).st_mode):
            os.unlink(package)
    except OSError:
        pass


def deck_file_names(decks: Sequence[str]) -> dict[str, str]:
    """Each deck's package name in the output folder, never shared by two decks.

    Deck names that clean up to the same file name (`A/B` and `A_B`, or names that differ only in case on
    a case-insensitive disk) or to none at all (`...`) get a short hash of the deck name, so no deck's
    package overwrites another's.
    """
    import hashlib

    from ..package.apkg import deck_file_name

    plain = {deck: deck_file_name(deck) for deck in decks}
    counts: dict[str, int] = {}
    for name in plain.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    out = {}
    for deck, name in plain.items():
        stem = name[: -len(".apkg")]
        if counts[name.lower()] > 1 or not stem:
            digest = hashlib.sha256(deck.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            name = f"{stem or 'deck'}-{digest}.apkg"
        out[deck] = name
    return out


def _make_folder(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise GeneratorError("output folder is a file, not a folder", display_path(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise GeneratorError(f"cannot make the output folder: {err.strerror or err}", display_path(out_dir)) from None


def _write(target: Path, what: str, write: Callable[..., _T], *args: Any) -> _T:
    """Run one atomic write (returns what `write` does); a failure (disk full, no permission, SQLite's own
    errors) names its file."""
    import sqlite3

    try:
        return write(*args)
    except OSError as err:
        raise GeneratorError(f"cannot write {what}: {err.strerror or err}; the previous file is unchanged",
                             display_path(target)) from None
    except sqlite3.Error as err:
        raise GeneratorError(f"cannot write {what}: {err}; the previous file is unchanged",
                             display_path(target)) from None


@contextmanager
def folder_lock(out_dir: Path, wait: float = 0) -> Iterator[None]:
    """Hold the output folder (made if missing) for a whole build: reading its lock file, building, and
    writing the decks and the new lock. Another build waits up to `wait` seconds for it, then fails with
    one error; plan_build and write_build inside it take no second lock."""
    _make_folder(out_dir)
    with _FolderLock(out_dir, wait):
        yield


_HELD: dict[str, int] = {}  # folders this process holds (realpath -> depth): a build inside one locks no more
# The descriptors holding them: a forked worker closes its copies (_worker_start), so that the lock goes
# with the build process, not with a worker that outlives it.
_LOCK_FDS: set[int] = set()


class _FolderLock:
    """Holds an exclusive lock on the output folder (flock on the folder itself, where the system has it),
    waiting up to `wait` seconds for another build to let it go."""

    def __init__(self, folder: Path, wait: float = 0) -> None:
        self.folder = folder
        self.wait = wait
        self.fd: int | None = None
        self.held = ""

    def __enter__(self) -> None:
        import time

        real = os.path.realpath(self.folder)
        if real in _HELD:  # this process holds it already (folder_lock around the whole build)
            _HELD[real] += 1
            self.held = real
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX: no lock, writes are still atomic
            return
        try:
            self.fd = os.open(self.folder, os.O_RDONLY)
        except OSError:
            return
        deadline = time.monotonic() + max(0.0, self.wait)
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    self.fd = None
                    waited = f" (waited {self.wait:g} s)" if self.wait > 0 else ""
                    raise GeneratorError(f"another certdeck build is writing to this folder{waited}; try again "
                                         "when it is done", display_path(self.folder)) from None
                time.sleep(0.05)
            except OSError:
                break  # a file system without locks
        _LOCK_FDS.add(self.fd)
        _HELD[real] = 1
        self.held = real

    def __exit__(self, *exc: object) -> None:
        if self.held:
            _HELD[self.held] -= 1
            if not _HELD[self.held]:
                del _HELD[self.held]
            self.held = ""
        if self.fd is not None:
            _LOCK_FDS.discard(self.fd)
            os.close(self.fd)  # closing releases the lock
            self.fd = None


def _remove_leftovers(out_dir: Path) -> None:
    """Delete temporary files (`.certdeck-*.tmp`) that a build killed while writing left in `out_dir`."""
    for leftover in out_dir.glob(".certdeck-*.tmp"):
        try:
            leftover.unlink()
        except OSError:
            pass
