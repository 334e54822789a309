"""What the command line's commands share: reading PATHS and settings, one-line messages, the progress
bar. With cli.py, the only place that prints or exits."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

DEFAULT_SOURCE = Path("source")


def report(errors: Any, warnings: Any) -> None:
    """Print each problem as one line on stderr: `error: PATH:LINE: message`, `warning: ...` for what was skipped."""
    for err in errors:
        typer.echo(f"error: {one_line(str(err))}", err=True)
    for warning in warnings:
        typer.echo(f"warning: {one_line(str(warning))}", err=True)


def fail(err: BaseException, path: Path | None = None) -> NoReturn:
    """Print `err` as one `error:` line and exit 1 (a bug included: it gets a line, not a traceback)."""
    from .errors import GeneratorError


    if isinstance(err, GeneratorError):
        text = str(err)
    elif isinstance(err, OSError):
        text = f"{err.filename or path or ''}: {err.strerror or err}".lstrip(": ")
    else:
        detail = " ".join(str(err).split())[:200]
        text = f"internal error ({type(err).__name__}{': ' + detail if detail else ''}); please report it"
    typer.echo(f"error: {one_line(text)}", err=True)
    raise typer.Exit(code=1)


def one_line(text: str) -> str:
    """`text` safe to print as one line: control characters escaped, bytes of a non-UTF-8 file name shown
    as \\xNN rather than failing to print."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def _cores() -> int:
    """Cores this process may run on (the default for --jobs)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _ProgressBar:
    """A rich progress bar on stdout, shown once a build has run for about a second.

    Nothing is shown with --quiet or when stdout is not a terminal; rich is imported only when the bar
    appears. It refreshes on updates (at most ten times a second) rather than from a thread, so no thread
    is running when the build forks its workers.
    """

    DELAY = 1.0  # seconds a build runs before the bar appears
    INTERVAL = 0.1  # seconds between redraws

    def __init__(self, enabled: bool) -> None:
        import time

        self.enabled = enabled
        self.clock = time.monotonic
        self.started = self.clock()
        self.drawn = 0.0
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if self.bar is None:
            if now - self.started < self.DELAY or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(file=sys.stdout), transient=True,
                                auto_refresh=False)
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)
        if done >= total or now - self.drawn >= self.INTERVAL:
            self.bar.refresh()
            self.drawn = now

    def close(self) -> None:
        """Remove the bar (before anything else is printed)."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        self.enabled = False


def _sources(paths: list[Path] | None, out: Path | None = None) -> list[Path]:
    """The articles and folders to read: PATHS (`-`: one article from standard input, kept in `out`'s cache
    folder so that its path stays the same from build to build), else source/.

    A file certdeck does not read (slides.pptx) is left out with a warning; nothing left, or no source/
    folder, is an error (with a hint to `certdeck init`)."""
    from .read.sources import SUFFIXES

    if not paths:
        if not DEFAULT_SOURCE.is_dir():
            typer.echo(f"error: {DEFAULT_SOURCE}: no such folder; name the articles to build, or run "
                       "`certdeck init` to start a project here", err=True)
            raise typer.Exit(code=1)
        return [DEFAULT_SOURCE]
    sources = []
    for path in paths:
        if str(path) == "-":
            sources.append(_stdin_article(out))
        elif path.suffix and path.suffix.lower() not in SUFFIXES and path.is_file():
            typer.echo(f"warning: {one_line(str(path))}: certdeck does not read {path.suffix} files "
                       f"(it reads {', '.join(SUFFIXES)}); skipped", err=True)
        else:
            sources.append(path)
    if not sources:
        typer.echo("error: nothing to build: no file named is one certdeck reads", err=True)
        raise typer.Exit(code=1)
    return sources


_STDIN: dict[Path, Path] = {}  # the file an article read from standard input was saved to -> the folder it stands for


def _stdin_article(out: Path | None) -> Path:
    """Standard input, saved as `stdin.md` in OUT_DIR/.certdeck-cache (else a temporary folder removed when
    the process ends), so that it is built as any file; its settings come from the working folder."""
    import atexit
    import os
    import shutil
    import tempfile

    from .build.cache import CACHE_DIR

    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    if out is not None and not out.is_symlink() and not (out / CACHE_DIR).is_symlink():
        folder = out / CACHE_DIR
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="certdeck-stdin-"))
        atexit.register(shutil.rmtree, folder, True)
    article = folder / "stdin.md"
    fd, tmp = tempfile.mkstemp(prefix=".certdeck-", suffix=".tmp", dir=folder)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, article)  # whole or not at all
    _STDIN[article] = Path.cwd()
    return article


def _settings(sources: list[Path]) -> Any:
    """Settings for `sources` ([tool.certdeck] of the nearest pyproject.toml); a key that is not a setting
    gets a warning."""
    from .config import load_settings, settings_warnings

    folders = [_STDIN.get(p) or (p if p.is_dir() else p.parent) for p in sources]
    report([], settings_warnings(folders))
    return load_settings(folders)


def _deck_warnings(build: Any, out: Path) -> None:
    """`plan`'s warnings about decks: renamed since the last build (a learner who imports the file gets the
    notes' cards left in the old deck; `push` moves them), or no longer built (the build removes the file)."""
    from .anki.push import decks_by_guid, renamed_decks
    from .identity.lockfile import LOCK_NAME
    from .package.apkg import deck_file_name

    lock_path = out / LOCK_NAME
    if not lock_path.is_file():
        return
    try:
        before = decks_by_guid(lock_path.read_bytes())
    except Exception:  # noqa: BLE001 - the build has already said what is wrong with the lock
        return
    now = {note.guid: deck for deck, notes in build.decks.items() for note in notes if not note.retired}
    for old, new in sorted(renamed_decks(before, now).items()):
        report([], [f"deck {old!r} is now {new!r}: importing the file leaves learners' existing cards in "
                    f"{old!r}; `certdeck push` moves them"])
    for deck in build.stale:
        report([], [f"deck {deck!r} is no longer built: a build removes {out / deck_file_name(deck)}"])


def _remove_stale(build: Any, written: Any, out: Path) -> Any:
    """Remove the deck files of decks this build no longer makes (package/stale.py); returns (deck, path)."""
    from .package.stale import remove_stale

    return remove_stale(build.stale, [entry[1] for entry in written], out)


def _json_file() -> Path:
    """Where `--json -` has the cards JSON written before it is printed (a temporary folder of the process)."""
    if "json" not in _TEMP:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="certdeck-json-"))
        atexit.register(shutil.rmtree, folder, True)
        _TEMP["json"] = folder / "cards.json"
    return _TEMP["json"]


_TEMP: dict[str, Path] = {}


def _print_file(path: Path) -> None:
    """Copy a UTF-8 file to standard output."""
    typer.echo(path.read_text(encoding="utf-8"), nl=False)


def _check_out_dir(out: Path) -> None:
    """-o names a folder: `-o deck.apkg` is an error, not a folder named deck.apkg."""
    if out.suffix.lower() == ".apkg" and not out.is_dir():
        typer.echo(f"error: {one_line(str(out))}: -o names the folder the decks are written to (one .apkg per "
                   f"deck), not a file; try -o {one_line(str(out.parent))}", err=True)
        raise typer.Exit(code=1)
