"""The certdeck command line: the only module that prints or exits.

Heavy modules (markdown-it-py, genanki) are imported inside the commands, so `--help` stays fast.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn study articles (Markdown or plain text) into Anki decks that survive rebuilds.")

DEFAULT_SOURCE = Path("source")


@app.callback()
def _root() -> None:
    """Turn study articles (Markdown or plain text) into Anki decks that survive rebuilds."""

DEFAULT_OUT = Path("decks")


@app.command("build")
def build_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, help="Article files or folders [default: source/]."),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder for the .apkg decks and the lock file."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the cards JSON to this file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Build one .apkg per deck from the articles under PATHS."""
    from .config import load_settings
    from .errors import GeneratorError
    from .pipeline import plan_build, write_build

    sources = list(paths) if paths else [DEFAULT_SOURCE]
    try:
        settings = load_settings([p if p.is_dir() else p.parent for p in sources])
        build = plan_build(sources, settings, out)
        for err in build.errors:
            typer.echo(f"error: {err}", err=True)
        for warning in build.warnings:
            typer.echo(f"warning: {warning}", err=True)
        written = write_build(build, out, json_path)
    except GeneratorError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=1)
    except OSError as err:
        typer.echo(f"error: {err.filename or out}: {err.strerror or err}", err=True)
        raise typer.Exit(code=1)
    if not quiet:
        for deck, path, n_notes, n_cards in written:
            typer.echo(f"{deck}: {n_notes} notes, {n_cards} cards -> {path}")
        if not written:
            typer.echo("no notes: nothing to package")
        if build.had_lock:
            from .plan import plan_counts

            typer.echo(f"notes: {plan_counts(build)}")
            for change in build.report.of("retired"):
                typer.echo(f"retired: {change.path}:{change.line}: {change.sentence}")
    if build.errors:
        raise typer.Exit(code=1)


@app.command("plan")
def plan_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, help="Article files or folders [default: source/]."),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder whose lock file the build is compared with."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON (schema certdeck.plan/1)."),
) -> None:
    """Dry run: what a build would change against the lock file (new, changed, unchanged, retired notes)."""
    from .config import load_settings
    from .errors import GeneratorError
    from .pipeline import plan_build
    from .plan import plan_json, plan_lines

    sources = list(paths) if paths else [DEFAULT_SOURCE]
    try:
        settings = load_settings([p if p.is_dir() else p.parent for p in sources])
        build = plan_build(sources, settings, out)
    except GeneratorError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=1)
    for err in build.errors:
        typer.echo(f"error: {err}", err=True)
    for warning in build.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        typer.echo(plan_json(build, out), nl=False)
    else:
        for line in plan_lines(build, out):
            typer.echo(line)
    if build.errors:
        raise typer.Exit(code=1)


@app.command("preview")
def preview_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, help="Article files or folders [default: source/]."),
    out: Path = typer.Option(Path("preview.html"), "-o", "--out", help="The HTML page to write."),
    renderer: str = typer.Option("auto", "--renderer",
                                 help="auto (anki if installed), anki, or builtin (our copy of the templates)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Write one self-contained HTML page with every card, front and back, as Anki renders it."""
    import tempfile

    from .config import load_settings
    from .errors import GeneratorError
    from .package import write_text_atomic
    from .pipeline import plan_build
    from .preview import anki_available, preview_page, render_cards

    if renderer not in ("auto", "anki", "builtin"):
        typer.echo(f"error: --renderer must be auto, anki or builtin, not {renderer!r}", err=True)
        raise typer.Exit(code=2)
    if renderer == "anki" and not anki_available():
        typer.echo("error: --renderer anki needs the anki package (pip install 'certdeck[test]')", err=True)
        raise typer.Exit(code=1)
    sources = list(paths) if paths else [DEFAULT_SOURCE]
    try:
        settings = load_settings([p if p.is_dir() else p.parent for p in sources])
        with tempfile.TemporaryDirectory(prefix="certdeck-preview-") as no_lock:
            build = plan_build(sources, settings, Path(no_lock))  # a preview neither reads nor writes the lock
        for err in build.errors:
            typer.echo(f"error: {err}", err=True)
        for warning in build.warnings:
            typer.echo(f"warning: {warning}", err=True)
        media = {f.name: f.path for f in build.media.values()}
        cards, used = render_cards(build.decks, media, renderer)  # type: ignore[arg-type]
        page = preview_page(cards, used, media, [f"warning: {w}" for w in build.warnings] +
                            [f"error: {e}" for e in build.errors])
        write_text_atomic(out, page)
    except GeneratorError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=1)
    except OSError as err:
        typer.echo(f"error: {err.filename or out}: {err.strerror or err}", err=True)
        raise typer.Exit(code=1)
    if not quiet:
        notes = len({c.note.guid for c in cards})
        typer.echo(f"{out}: {notes} notes, {len(cards)} cards from {build.articles} articles "
                   f"(rendered by {used})")
    if build.errors:
        raise typer.Exit(code=1)


def main() -> None:
    """Console-script entry point."""
    app()
