"""The order of a build: read -> parse -> extract -> select -> notes -> identity -> package.

`plan_build` runs the stages over every article and the lock file and returns a Build; `write_build` is the
only place that writes (decks, cards JSON, lock), each file atomically. One article's own stages are in
article.py (`build_cards` is the pure core the tests use); everything else here is a stage or a device of
its own module, named where it is called.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..config import Settings
from ..errors import GeneratorError
from ..identity.lockfile import LOCK_NAME, LockEntry
from ..identity.lockwrite import Carried, SectionStats, lock_chunks
from ..identity.match import IdentityReport
from ..identity.match import assign as assign_identity  # assign_identity's work, on Pendings
from ..model import Note
from ..notes.media import MediaFile, source_roots
from ..package.stale import stale_decks
from ..read.sources import article_name, display_path, find_sources, project_root
from ..safepath import refuse_symlinks
from .articles import Progress, _rebuilder, build_articles
from .assemble import add_retired, deck_parts, gather
from .atomic import _discard, _publish_temp, _remove_leftovers, _temp_file, _write
from .cache import CACHE_DIR, ArticleCache, SectionRecord, SectionRecords
from .carry import _save_sections
from .decks import _write_decks_and_json, deck_file_names, retired_file_names
from .folderlock import _FolderLock, _make_folder
from .gctuning import paused_gc
from .parts import DeckPart, _Article
from .previous import lock_signature, read_previous


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


def plan_build(paths: Sequence[Path], settings: Settings, out_dir: Path, jobs: int = 1,
               use_cache: bool = False, progress: Progress | None = None, freeze: bool = False,
               root: Path | None = None) -> Build:
    """Read every article under `paths`, make its notes and match them to the lock in `out_dir`.

    With `use_cache`, articles come from the cache in `out_dir` when nothing they depend on changed; new
    and changed ones are built with up to `jobs` processes. An article that comes from the cache and whose
    lines in the lock are as the last build wrote them is carried: identity would hand each of its notes
    the entry that holds its fact key in its own article (identity/similar.py matches there first, and after a
    build the lock holds exactly each note's key), so its lines are copied instead. The result is the same
    either way (tests/test_incremental.py).

    `freeze`: for a caller that keeps the Build until its process ends (the CLI), what the build made is
    moved out of the cycle collector's way for good (gc.freeze), so that no later collection walks it.

    Articles are named (on their cards and in the lock) by their path relative to `root`, by default the
    folder holding `out_dir` (the project root), whatever the working directory; messages about a file
    still name it as it was given.
    """
    warnings: list[GeneratorError] = []
    if use_cache:  # the cache is written and tidied (deleted in) from here on
        refuse_symlinks(_cache_paths(out_dir), display_path)
    cache = ArticleCache(out_dir / CACHE_DIR if use_cache else None, settings)
    records = SectionRecords(out_dir / CACHE_DIR if use_cache else None)
    files = find_sources(paths, warnings)
    roots = source_roots(files, paths)
    top = project_root(out_dir) if root is None else os.path.realpath(root)
    folders: dict[str, str] = {}
    names = [article_name(f, top, folders) for f in files]
    shown = {name: display_path(f) for name, f in zip(names, files, strict=True)}
    results = build_articles(files, settings, cache, jobs, progress, roots, packed=True, names=names)
    cache.tidy()
    # From here on, objects by the hundred thousand that form no cycles (see paused_gc).
    with paused_gc(freeze):
        previous = read_previous(out_dir / LOCK_NAME, results, records, settings, warnings)
        articles = [_Article(result, _rebuilder(file, source, settings, name))
                    for file, source, name, result in zip(files, roots, names, results, strict=True)]
        del results  # each article's pickled Pendings go as soon as identity has read them
        gathered = gather(articles, previous.carried, shown, warnings)

        scope: dict[str, bool] = {}

        def in_scope(path: str) -> bool:
            # A fact can only be retired from an article this build read, or from one that is gone; an
            # article left out of this build (or that failed to read) keeps its entries as they are.
            # Asked for every lock entry: the disk is looked at once per article, not once per note.
            if path not in scope:
                scope[path] = path in gathered.built or not os.path.lexists(os.path.join(top, path))
            return scope[path]

        stamps, retired_notes, new_lock, report = assign_identity(gathered.pendings, previous.lock,
                                                                  settings.build_time(), gathered.note_of,
                                                                  in_scope, previous.carried_guids)
        report = replace(report, carried=sum(r.live for _, r, _ in previous.carried.values()))
        parts, sections_made = deck_parts(articles, gathered, stamps, previous.carried)
        gathered.pendings = []  # identity and the parts are done with them
        if settings.retired and retired_notes:
            add_retired(parts, retired_notes, new_lock)
        carried = {path: (r.live, r.lines_sha, lines) for path, (_, r, lines) in previous.carried.items()}
        return Build(parts=parts, lock=new_lock, report=report, errors=gathered.errors,
                     articles=len(gathered.built), warnings=warnings, had_lock=previous.had_lock,
                     media=gathered.media, carried=carried,
                     sections=sections_made, styles=previous.styles,
                     stale=stale_decks(previous.lock.values(), parts, in_scope) if previous.had_lock else [],
                     lock_seen=previous.lock_seen)


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
                         *([json_path] if json_path is not None else []),
                         *(_cache_paths(out_dir) if use_cache else [])],
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
