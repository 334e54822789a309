"""Every article's result, in order: from the cache, or built in this process or in worker processes.

Each article is a task: its cache key from the bytes it depends on, built (build_article) into a cache entry
and stored. The parent reads what a worker built as it reads an entry from the cache (entries.py).
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import GeneratorError
from ..read.sources import display_path, is_converted, read_limit, read_limited
from ..select.curation import curation_file, read_curation_bytes
from .article import ArticleResult, build_article
from .cache import ArticleCache, CacheMiss
from .entries import _from_entry, _result, _to_entry
from .gctuning import _BUILD_GC_THRESHOLD
from .workers import _warm_for_workers, _worker_start

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
    for i, (file, root, name) in enumerate(zip(files, roots, names, strict=True)):
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
    for i, result in zip((i for i, _ in todo), _run(todo, jobs, packed, cache), strict=True):  # one per task
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
            for task, value in zip(tasks, pool.map(_build_task, tasks, chunksize=chunk), strict=True):
                yield _result(value, task.key, packed, cache)
    except BrokenProcessPool:
        raise GeneratorError(f"a worker process building the articles died (out of memory?); try fewer "
                             f"--jobs than {jobs}", display_path(tasks[0].file.parent)) from None


def _rebuilder(file: Path, root: Path, settings: Settings, name: str | None = None) -> Callable[[], ArticleResult]:
    """A function that builds an article again (when its cached notes turn out damaged)."""
    def rebuild() -> ArticleResult:
        return build_article(file, settings, root, name)

    return rebuild
