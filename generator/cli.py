"""The certdeck command line: the only module that prints or exits.

Heavy modules (markdown-it-py, genanki) are imported inside the commands, so `--help` stays fast. Only
Typer's public API is used (pyproject.toml declares the Typer versions that work; tests/test_cli_typer.py
runs the CLI under the lowest of them).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, List, NoReturn, Optional

import typer


# Plain help (no rich markup): every Typer version we support then prints defaults the same way, and flags
# without a `<bool>` type.
app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                  help="Turn study articles (Markdown or plain text) into Anki decks that survive rebuilds.")

DEFAULT_SOURCE = Path("source")
PATHS_HELP = "Article files or folders; - reads one article from standard input [default: source/]."


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"certdeck {version('certdeck')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("certdeck (not installed)")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                      help="Print certdeck's version and exit."),
) -> None:
    """Turn study articles (Markdown or plain text) into Anki decks that survive rebuilds."""

DEFAULT_OUT = Path("decks")
DEFAULT_WAIT = 300  # seconds a build waits for another one writing to the same folder


@app.command("build")
def build_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder for the .apkg decks and the lock file."),
    json_path: Optional[Path] = typer.Option(None, "--json",
                                             help="Also write the cards JSON to this file (- : to standard output, "
                                                  "and nothing else there)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, show_default=False,
                             help="Worker processes for new or changed articles [default: number of cores]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Build every article afresh, ignoring OUT_DIR/.certdeck-cache."),
    wait: int = typer.Option(DEFAULT_WAIT, "--wait", min=0, metavar="SECONDS",
                             help="How long to wait for another build writing to OUT_DIR before giving up."),
) -> None:
    """Build one .apkg per deck from the articles under PATHS."""
    from .pipeline import folder_lock, plan_build, write_build

    _check_out_dir(out)
    to_stdout = json_path is not None and str(json_path) == "-"
    quiet = quiet or to_stdout  # standard output holds the JSON only
    sources = _sources(paths, out)
    bar = _ProgressBar(enabled=not quiet and sys.stdout.isatty())
    try:
        settings = _settings(sources)
        # One build at a time per output folder, from reading its lock to writing the new one: two at once
        # would each write a lock without the other's notes.
        with folder_lock(out, wait):
            build = plan_build(sources, settings, out, jobs=jobs or _cores(), use_cache=not no_cache,
                               progress=bar, freeze=True)
            if build.errors or build.warnings:
                bar.close()
            report(build.errors, build.warnings)
            written = write_build(build, out, _json_file() if to_stdout else json_path, use_cache=not no_cache,
                                  progress=bar)
            removed = _remove_stale(build, written, out)
        if to_stdout:
            _print_file(_json_file())
    except Exception as err:  # noqa: BLE001 - whatever goes wrong, one line and exit 1, never a traceback
        bar.close()
        fail(err, out)
    finally:
        bar.close()
    if not quiet:
        for deck, path, n_notes, n_cards, retired in written:
            if retired:  # kept out of the deck: only for learners who have these notes already
                typer.echo(f"{deck}: {n_notes} retired notes, {n_cards} cards -> {path}")
            else:
                typer.echo(f"{deck}: {n_notes} notes, {n_cards} cards -> {path}")
        if not written:
            typer.echo("no notes: nothing to package")
        for deck, path in removed:
            typer.echo(f"removed: {path} (deck {deck!r} is no longer built)")
        if build.had_lock:
            from .plan import plan_counts

            typer.echo(f"notes: {plan_counts(build)}")
            for change in sorted(build.report.of("retired"), key=lambda c: (c.path, c.line)):
                typer.echo(f"retired: {change.path}:{change.line}: {change.sentence}")
    if build.errors:
        raise typer.Exit(code=1)


@app.command("plan")
def plan_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder whose lock file the build is compared with."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON (schema certdeck.plan/1)."),
) -> None:
    """Dry run: what a build would change against the lock file (new, changed, unchanged, retired notes)."""
    from .pipeline import plan_build
    from .plan import plan_json, plan_lines

    _check_out_dir(out)
    sources = _sources(paths, out)
    try:
        settings = _settings(sources)
        # Articles are built in parallel as `build` does; the cache is not used, since it writes.
        build = plan_build(sources, settings, out, jobs=_cores(), freeze=True)
    except Exception as err:  # noqa: BLE001
        fail(err, out)
    report(build.errors, build.warnings)
    _deck_warnings(build, out)
    if as_json:
        typer.echo(plan_json(build, out), nl=False)
    else:
        for line in plan_lines(build, out):
            typer.echo(line)
    if build.errors:
        raise typer.Exit(code=1)


_ADD_HELP = (
    "Convert web pages, URLs, PDFs and Word files into Markdown articles (front matter: title, origin).\n\n"
    "Only the main text of a web page is kept: no navigation, sidebars, share bars, related posts, cookie banners "
    "or footers. Fetching a URL is the only network access certdeck makes: only here, one GET per URL, within "
    "--timeout seconds and --max-mb megabytes. An existing article is never replaced without --force. Builds read "
    "the written articles offline.")


@app.command("add", help=_ADD_HELP)
def add_cmd(
    sources: List[str] = typer.Argument(..., help="Saved web pages (.html, .htm), URLs, PDFs or Word .docx files."),
    folder: Path = typer.Option(DEFAULT_SOURCE, "-d", "--dir", help="Source folder the articles are written to."),
    force: bool = typer.Option(False, "--force", help="Replace an article of the same name."),
    timeout: int = typer.Option(30, "--timeout", min=1, help="Seconds a URL may take to download."),
    max_mb: int = typer.Option(20, "--max-mb", min=1, help="Largest download, in MB."),
) -> None:
    """Convert web pages, URLs, PDFs and Word files into Markdown articles (see _ADD_HELP)."""
    from .convert.add import add_source
    from .errors import GeneratorError

    failed = False
    for source in sources:
        try:
            added = add_source(source, folder, force=force, timeout=float(timeout), max_bytes=max_mb * 2**20)
        except GeneratorError as err:
            report([err], [])
            failed = True
            continue
        except Exception as err:  # noqa: BLE001 - one line per source, never a traceback
            from .convert.fetch import split_credentials

            detail = " ".join(str(err).split())[:200]
            typer.echo(f"error: {one_line(split_credentials(source)[0])}: internal error ({type(err).__name__}: {one_line(detail)}); "
                       "please report it", err=True)
            failed = True
            continue
        typer.echo(f"{one_line(added.source)} -> {one_line(str(added.path))} ({added.title!r}, {added.words} words)")
    if failed:
        raise typer.Exit(code=1)


@app.command("lint")
def lint_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any card breaks a rule."),
) -> None:
    """Report each note whose cards break a card-quality rule, with the rule and the source line."""
    from .lint import lint_paths

    sources = _sources(paths)
    try:
        settings = _settings(sources)
        problems, errors, checked = lint_paths(sources, settings)
    except Exception as err:  # noqa: BLE001
        fail(err)
    report(errors, [])
    for problem in problems:
        typer.echo(str(problem))
    noun = "problem" if len(problems) == 1 else "problems"
    typer.echo(f"{checked} notes checked, {len(problems)} {noun}")
    if errors or (strict and problems):
        raise typer.Exit(code=1)


@app.command("explain")
def explain_cmd(
    target: str = typer.Argument(..., metavar="PATH[:LINE]", help="An article, optionally with a line number."),
) -> None:
    """Say why: for each sentence or block, the card it became (rule, score, card) or what left it out."""
    from .config import load_settings
    from .explain import explain_file

    file, line = _path_and_line(target)
    try:
        settings = load_settings([file.parent])
        if not file.is_file():
            raise FileNotFoundError(2, "a folder: explain takes one article file" if file.is_dir()
                                    else "no such article file", str(file))
        explained = explain_file(file, settings, line)
    except Exception as err:  # noqa: BLE001
        fail(err)
    for verdict in explained.verdicts:
        typer.echo(one_line(f"{explained.path}:{verdict.unit.line}: {verdict.unit.kind}: {_quoted(verdict.unit.text)}"))
        for note in verdict.notes:
            for card in note.cards:
                typer.echo(one_line(f"    card ({note.rule}, score {note.score:.2f}, {note.kind}): "
                                    f"{card.prompt} -> {' | '.join(card.answers)}"))
        for drop in verdict.drops if verdict.notes else ():
            if drop.rule:  # another rule's candidate on a sentence that has its card
                typer.echo(one_line(f"    also found ({drop.rule}, score {drop.score:.2f}), not kept: {drop.reason}"))
        if not verdict.notes:
            for reason in verdict.reasons():
                typer.echo(one_line(f"    no card: {reason}"))
            for drop in verdict.drops:
                if drop.rule:
                    typer.echo(one_line(f"    no card ({drop.rule}, score {drop.score:.2f}): {drop.reason}: "
                                        f"{drop.prompt}"))
    report([], explained.warnings)
    typer.echo(f"{explained.path}: {explained.notes} notes")


def _path_and_line(target: str) -> tuple[Path, int | None]:
    """PATH[:LINE] as a path and a line (a file whose own name ends in ":N" is taken as it is)."""
    head, sep, tail = target.rpartition(":")
    if sep and tail.isdigit() and head and not Path(target).exists():
        return Path(head), int(tail)
    return Path(target), None


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 120 else text[:117] + "...")


@app.command("preview")
def preview_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    out: Path = typer.Option(Path("preview.html"), "-o", "--out", help="The HTML page to write."),
    renderer: str = typer.Option("auto", "--renderer",
                                 help="auto (anki if installed), anki, or builtin (our copy of the templates)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Write one self-contained HTML page with every card, front and back, as Anki renders it."""
    import tempfile

    from .package import write_text_atomic
    from .pipeline import plan_build
    from .preview import anki_available, preview_page, render_cards

    if renderer not in ("auto", "anki", "builtin"):
        typer.echo(f"error: --renderer must be auto, anki or builtin, not {renderer!r}", err=True)
        raise typer.Exit(code=2)
    if renderer == "anki" and not anki_available():
        typer.echo("error: --renderer anki needs the anki package (pip install 'certdeck[test]')", err=True)
        raise typer.Exit(code=1)
    sources = _sources(paths)
    try:
        settings = _settings(sources)
        with tempfile.TemporaryDirectory(prefix="certdeck-preview-") as no_lock:
            # A preview neither reads nor writes the lock; articles are named as a build from here names them.
            build = plan_build(sources, settings, Path(no_lock), root=DEFAULT_OUT.parent)
        report(build.errors, build.warnings)
        media = {f.name: f.path for f in build.media.values()}
        cards, used = render_cards(build.decks, media, renderer)  # type: ignore[arg-type]
        page = preview_page(cards, used, media, [f"warning: {w}" for w in build.warnings] +
                            [f"error: {e}" for e in build.errors])
        write_text_atomic(out, page)
    except Exception as err:  # noqa: BLE001
        fail(err, out)
    if not quiet:
        notes = len({c.note.guid for c in cards})
        typer.echo(f"{out}: {notes} notes, {len(cards)} cards from {build.articles} articles "
                   f"(rendered by {used})")
    if build.errors:
        raise typer.Exit(code=1)


@app.command("push")
def push_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder for the .apkg decks and the lock file."),
    url: Optional[str] = typer.Option(None, "--url", show_default=False,
                                      help="AnkiConnect's address [default: $ANKICONNECT_URL or "
                                           "http://127.0.0.1:8765]."),
    key: Optional[str] = typer.Option(None, "--key", show_default=False,
                                      help="AnkiConnect's API key, if it has one [default: $ANKICONNECT_KEY]."),
    delete_retired: bool = typer.Option(False, "--delete-retired",
                                        help="Delete retired notes from Anki instead of suspending their cards."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Build as `build` does, then send the decks to a running Anki (AnkiConnect add-on, API version 6)."""
    from .ankiconnect import AnkiConnect, default_key, default_url
    from .lockfile import LOCK_NAME
    from .package import write_text_atomic
    from .pipeline import folder_lock, plan_build, write_build
    from .push import PUSH_RECORD, decks_by_guid, packages_of, push, read_record, record_text, renamed_decks

    _check_out_dir(out)
    sources = _sources(paths, out)
    try:
        client = AnkiConnect(url or default_url(), key if key is not None else default_key())
        lock_path = out / LOCK_NAME
        before = read_record(out)
        if before is None:  # never pushed from here: the decks of the last build
            before = decks_by_guid(lock_path.read_bytes() if lock_path.is_file() else None)
        settings = _settings(sources)
        with folder_lock(out, DEFAULT_WAIT):
            build = plan_build(sources, settings, out, jobs=_cores(), use_cache=True, freeze=True)
            report(build.errors, build.warnings)
            if build.errors:
                raise typer.Exit(code=1)  # nothing is sent from a build that failed in part
            every = write_build(build, out, use_cache=True)
            removed = _remove_stale(build, every, out)
        written = [(deck, path, n, c) for deck, path, n, c, _ in every]
        if not quiet:
            for deck, path, n_notes, n_cards, retired in every:
                kind = "retired notes" if retired else "notes"
                typer.echo(f"{deck}: {n_notes} {kind}, {n_cards} cards -> {path}")
            for deck, path in removed:
                typer.echo(f"removed: {path} (deck {deck!r} is no longer built)")
        if not written:
            typer.echo("no notes: nothing to push")
            return
        lock_bytes = lock_path.read_bytes()
        renames = renamed_decks(before, decks_by_guid(lock_bytes, live_only=True))
        result = push(client, packages_of(written), renames, delete_retired)
        write_text_atomic(out / PUSH_RECORD, record_text(decks_by_guid(lock_bytes)))
    except typer.Exit:
        raise
    except Exception as err:  # noqa: BLE001
        fail(err, out)
    if not quiet:
        for line in result.lines():
            typer.echo(line)


@app.command("init")
def init_cmd(
    folder: Path = typer.Argument(Path("."), metavar="DIR", help="The project folder (made if missing)."),
) -> None:
    """Start a project: source/ with a short example article and [tool.certdeck] settings in pyproject.toml."""
    from .init import init_project

    try:
        made = init_project(folder)
    except Exception as err:  # noqa: BLE001
        fail(err, folder)
    for item in made:
        typer.echo(f"{item.what}: {item.path}")
    go = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    typer.echo(f"next: {go}certdeck build      (or certdeck push, to send the decks to a running Anki)")


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


def _sources(paths: Optional[List[Path]], out: Optional[Path] = None) -> List[Path]:
    """The articles and folders to read: PATHS (`-`: one article from standard input, kept in `out`'s cache
    folder so that its path stays the same from build to build), else source/.

    A file certdeck does not read (slides.pptx) is left out with a warning; nothing left, or no source/
    folder, is an error (with a hint to `certdeck init`)."""
    from .read import SUFFIXES

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


def _stdin_article(out: Optional[Path]) -> Path:
    """Standard input, saved as `stdin.md` in OUT_DIR/.certdeck-cache (else a temporary folder removed when
    the process ends), so that it is built as any file; its settings come from the working folder."""
    import atexit
    import shutil
    import tempfile

    import os

    from .cache import CACHE_DIR

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


def _settings(sources: List[Path]) -> Any:
    """Settings for `sources` ([tool.certdeck] of the nearest pyproject.toml); a key that is not a setting
    gets a warning."""
    from .config import load_settings, settings_warnings

    folders = [_STDIN.get(p) or (p if p.is_dir() else p.parent) for p in sources]
    report([], settings_warnings(folders))
    return load_settings(folders)


def _deck_warnings(build: Any, out: Path) -> None:
    """`plan`'s warnings about decks: renamed since the last build (a learner who imports the file gets the
    notes' cards left in the old deck; `push` moves them), or no longer built (the build removes the file)."""
    from .lockfile import LOCK_NAME
    from .package import deck_file_name
    from .push import decks_by_guid, renamed_decks

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
    """Remove the deck files of decks this build no longer makes (generator/stale.py); returns (deck, path)."""
    from .stale import remove_stale

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


def main() -> None:
    """Console-script entry point."""
    app()
