"""The certdeck command line: with cliutil.py, the only place that prints or exits.

Heavy modules (markdown-it-py, genanki) are imported inside the commands, so `--help` stays fast. Only
Typer's public API is used (pyproject.toml declares the Typer versions that work; tests/test_cli_typer.py
runs the CLI under the lowest of them).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import typer

from .cliutil import (
    DEFAULT_SOURCE,
    _check_out_dir,
    _cores,
    _deck_warnings,
    _json_file,
    _print_file,
    _ProgressBar,
    _remove_stale,
    _settings,
    _sources,
    fail,
    one_line,
    report,
)

# Plain help (no rich markup): every Typer version we support then prints defaults the same way, and flags
# without a `<bool>` type.
app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                  help="Turn study articles (Markdown or plain text) into Anki decks that survive rebuilds.")

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
    paths: list[Path] | None = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder for the .apkg decks and the lock file."),
    json_path: Path | None = typer.Option(None, "--json",
                                          help="Also write the cards JSON to this file (- : to standard output, "
                                               "and nothing else there)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, show_default=False,
                             help="Worker processes for new or changed articles [default: number of cores]."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Build every article afresh, ignoring OUT_DIR/.certdeck-cache."),
    wait: int = typer.Option(DEFAULT_WAIT, "--wait", min=0, metavar="SECONDS",
                             help="How long to wait for another build writing to OUT_DIR before giving up."),
) -> None:
    """Build one .apkg per deck from the articles under PATHS."""
    from .build.folderlock import folder_lock
    from .build.pipeline import plan_build, write_build

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
            from .identity.plan import plan_counts

            typer.echo(f"notes: {plan_counts(build)}")
            for change in sorted(build.report.of("retired"), key=lambda c: (c.path, c.line)):
                typer.echo(f"retired: {change.path}:{change.line}: {change.sentence}")
    if build.errors:
        raise typer.Exit(code=1)


@app.command("plan")
def plan_cmd(
    paths: list[Path] | None = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder whose lock file the build is compared with."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON (schema certdeck.plan/1)."),
) -> None:
    """Dry run: what a build would change against the lock file (new, changed, unchanged, retired notes)."""
    from .build.pipeline import plan_build
    from .identity.plan import plan_json, plan_lines

    _check_out_dir(out)
    sources = _sources(paths, out)
    try:
        settings = _settings(sources)
        # Articles are built in parallel as `build` does; the cache is not used, since it writes.
        build = plan_build(sources, settings, out, jobs=_cores(), freeze=True)
    except Exception as err:  # noqa: BLE001 - `fail` prints one line and exits 1, never a traceback
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
    sources: list[str] = typer.Argument(..., help="Saved web pages (.html, .htm), URLs, PDFs or Word .docx files."),
    folder: Path = typer.Option(DEFAULT_SOURCE, "-d", "--dir", help="Source folder the articles are written to."),
    force: bool = typer.Option(False, "--force", help="Replace an article of the same name."),
    timeout: int = typer.Option(30, "--timeout", min=1, help="Seconds a URL may take to download."),
    max_mb: int = typer.Option(20, "--max-mb", min=1, help="Largest download, in MB."),
) -> None:
    """Convert web pages, URLs, PDFs and Word files into Markdown articles (see _ADD_HELP)."""
    from .errors import GeneratorError
    from .read.convert.add import add_source

    failed = False
    for source in sources:
        try:
            added = add_source(source, folder, force=force, timeout=float(timeout), max_bytes=max_mb * 2**20)
        except GeneratorError as err:
            report([err], [])
            failed = True
            continue
        except Exception as err:  # noqa: BLE001 - one line per source, never a traceback
            from .read.convert.fetch import split_credentials

            detail = " ".join(str(err).split())[:200]
            typer.echo(f"error: {one_line(split_credentials(source)[0])}: internal error "
                       f"({type(err).__name__}: {one_line(detail)}); please report it", err=True)
            failed = True
            continue
        typer.echo(f"{one_line(added.source)} -> {one_line(str(added.path))} ({added.title!r}, {added.words} words)")
    if failed:
        raise typer.Exit(code=1)


@app.command("lint")
def lint_cmd(
    paths: list[Path] | None = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any card breaks a rule."),
) -> None:
    """Report each note whose cards break a card-quality rule, with the rule and the source line."""
    from .lint import lint_paths

    sources = _sources(paths)
    try:
        settings = _settings(sources)
        problems, errors, checked = lint_paths(sources, settings)
    except Exception as err:  # noqa: BLE001 - `fail` prints one line and exits 1, never a traceback
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
    except Exception as err:  # noqa: BLE001 - `fail` prints one line and exits 1, never a traceback
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
    paths: list[Path] | None = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    out: Path = typer.Option(Path("preview.html"), "-o", "--out", help="The HTML page to write."),
    renderer: str = typer.Option("auto", "--renderer",
                                 help="auto (anki if installed), anki, or builtin (our copy of the templates)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Write one self-contained HTML page with every card, front and back, as Anki renders it."""
    import tempfile

    from .build.pipeline import plan_build
    from .notes.preview import Renderer, anki_available, preview_page, render_cards
    from .package.apkg import write_text_atomic

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
        cards, used = render_cards(build.decks, media, cast(Renderer, renderer))  # checked above
        page = preview_page(cards, used, media, [f"warning: {w}" for w in build.warnings] +
                            [f"error: {e}" for e in build.errors])
        write_text_atomic(out, page)
    except Exception as err:  # noqa: BLE001 - `fail` prints one line and exits 1, never a traceback
        fail(err, out)
    if not quiet:
        notes = len({c.note.guid for c in cards})
        typer.echo(f"{out}: {notes} notes, {len(cards)} cards from {build.articles} articles "
                   f"(rendered by {used})")
    if build.errors:
        raise typer.Exit(code=1)


@app.command("push")
def push_cmd(
    paths: list[Path] | None = typer.Argument(None, metavar="PATHS", show_default=False, help=PATHS_HELP),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder for the .apkg decks and the lock file."),
    url: str | None = typer.Option(None, "--url", show_default=False,
                                   help="AnkiConnect's address [default: $ANKICONNECT_URL or "
                                        "http://127.0.0.1:8765]."),
    key: str | None = typer.Option(None, "--key", show_default=False,
                                   help="AnkiConnect's API key, if it has one [default: $ANKICONNECT_KEY]."),
    delete_retired: bool = typer.Option(False, "--delete-retired",
                                        help="Delete retired notes from Anki instead of suspending their cards."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Build as `build` does, then send the decks to a running Anki (AnkiConnect add-on, API version 6)."""
    from .anki.ankiconnect import AnkiConnect, default_key, default_url
    from .anki.push import PUSH_RECORD, decks_by_guid, packages_of, push, read_record, record_text, renamed_decks
    from .build.folderlock import folder_lock
    from .build.pipeline import plan_build, write_build
    from .identity.lockfile import LOCK_NAME
    from .package.apkg import write_text_atomic

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
    except Exception as err:  # noqa: BLE001 - `fail` prints one line and exits 1, never a traceback
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
    except Exception as err:  # noqa: BLE001 - `fail` prints one line and exits 1, never a traceback
        fail(err, folder)
    for item in made:
        typer.echo(f"{item.what}: {item.path}")
    go = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    typer.echo(f"next: {go}certdeck build      (or certdeck push, to send the decks to a running Anki)")


def main() -> None:
    """Console-script entry point."""
    app()
