"""The certdeck command line: the only module that prints or exits.

Heavy modules (markdown-it-py, genanki) are imported inside the commands, so `--help` stays fast, and
option values are converted without pydantic (`_PlainGroup`), so every command starts fast too.
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, List, NoReturn, Optional

import typer
import typer.core


class _PlainGroup(typer.core.TyperGroup):
    """Typer's command group, converting our plain option types (paths, ints, strings) without pydantic.

    Recent Typer (0.29 here) converts every command-line value through a pydantic TypeAdapter; importing pydantic
    and building the adapters costs about 170 ms of every command on this machine (a cold seed build
    takes well under a second in all). `_plain_param` gives each parameter of the chosen command a
    converter that handles the values our options take exactly as typer's own would, and hands anything
    else (a bad number, a path typer would refuse, other types) to typer's converter, so error messages
    and results stay typer's own. tests/test_cli.py checks both paths against typer's on the same values.
    """

    def parse_args(self, ctx: Any, args: List[str]) -> Any:
        for param in self.get_params(ctx):  # with the --help option click adds
            _plain_param(param)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: List[str]) -> Any:
        name, cmd, rest = super().resolve_command(ctx, args)
        for param in cmd.get_params(ctx) if cmd is not None else ():
            _plain_param(param)
        return name, cmd, rest


app = typer.Typer(add_completion=False, no_args_is_help=True, cls=_PlainGroup,
                  help="Turn study articles (Markdown or plain text) into Anki decks that survive rebuilds.")

DEFAULT_SOURCE = Path("source")


@app.callback()
def _root() -> None:
    """Turn study articles (Markdown or plain text) into Anki decks that survive rebuilds."""

DEFAULT_OUT = Path("decks")
DEFAULT_WAIT = 300  # seconds a build waits for another one writing to the same folder


@app.command("build")
def build_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, help="Article files or folders [default: source/]."),
    out: Path = typer.Option(DEFAULT_OUT, "-o", "--out", help="Folder for the .apkg decks and the lock file."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the cards JSON to this file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, show_default=False,
                             help="Worker processes for new or changed articles \\[default: number of cores]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Build every article afresh, ignoring OUT_DIR/.certdeck-cache."),
    wait: int = typer.Option(DEFAULT_WAIT, "--wait", min=0, metavar="SECONDS",
                             help="How long to wait for another build writing to OUT_DIR before giving up."),
) -> None:
    """Build one .apkg per deck from the articles under PATHS."""
    from .config import load_settings
    from .pipeline import folder_lock, plan_build, write_build

    sources = list(paths) if paths else [DEFAULT_SOURCE]
    bar = _ProgressBar(enabled=not quiet and sys.stdout.isatty())
    try:
        settings = load_settings([p if p.is_dir() else p.parent for p in sources])
        # One build at a time per output folder, from reading its lock to writing the new one: two at once
        # would each write a lock without the other's notes.
        with folder_lock(out, wait):
            build = plan_build(sources, settings, out, jobs=jobs or _cores(), use_cache=not no_cache,
                               progress=bar, freeze=True)
            if build.errors or build.warnings:
                bar.close()
            report(build.errors, build.warnings)
            written = write_build(build, out, json_path, use_cache=not no_cache, progress=bar)
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
        if build.had_lock:
            from .plan import plan_counts

            typer.echo(f"notes: {plan_counts(build)}")
            for change in sorted(build.report.of("retired"), key=lambda c: (c.path, c.line)):
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
    from .pipeline import plan_build
    from .plan import plan_json, plan_lines

    sources = list(paths) if paths else [DEFAULT_SOURCE]
    try:
        settings = load_settings([p if p.is_dir() else p.parent for p in sources])
        # Articles are built in parallel as `build` does; the cache is not used, since it writes.
        build = plan_build(sources, settings, out, jobs=_cores(), freeze=True)
    except Exception as err:  # noqa: BLE001
        fail(err, out)
    report(build.errors, build.warnings)
    if as_json:
        typer.echo(plan_json(build, out), nl=False)
    else:
        for line in plan_lines(build, out):
            typer.echo(line)
    if build.errors:
        raise typer.Exit(code=1)


@app.command("lint")
def lint_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, help="Article files or folders [default: source/]."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any card breaks a rule."),
) -> None:
    """Report each note whose cards break a card-quality rule, with the rule and the source line."""
    from .config import load_settings
    from .lint import lint_paths

    sources = list(paths) if paths else [DEFAULT_SOURCE]
    try:
        settings = load_settings([p if p.is_dir() else p.parent for p in sources])
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


def _plain_param(param: Any) -> None:
    """Give a typer parameter the plain converter (`_plain_value`) where typer's internals are as expected."""
    from typer import _coercion, core

    if (isinstance(param, core._TyperParameter) and getattr(param, "_runtime_param", False) is None
            and hasattr(_coercion, "build_runtime_param")):
        descriptor = param.type_descriptor
        param._runtime_param = _plain_runtime_param()(parameter_info=descriptor.parameter_info,
                                                      annotation=descriptor.annotation, descriptor=descriptor)


@lru_cache(maxsize=1)
def _plain_runtime_param() -> type:
    from dataclasses import dataclass

    from typer import _coercion

    @dataclass(frozen=True)
    class PlainRuntimeParam(_coercion.RuntimeParam):  # type: ignore[misc,name-defined]
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            done, plain = _plain_value(value, self.annotation, self.parameter_info)
            if done:
                return plain
            # typer's own converter (pydantic): the same result, or typer's own error message
            return _coercion.build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

    return PlainRuntimeParam


_NOT_DONE = (False, None)


def _plain_value(value: Any, annotation: Any, info: Any) -> tuple[bool, Any]:
    """(True, converted value) for what typer would convert without complaint, else (False, None).

    Handled: Path, List[Path], int (with typer's min/max), str, bool. Every other case, including any
    value typer would refuse, is typer's to convert.
    """
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return _NOT_DONE
    if getattr(annotation, "__origin__", None) is list and getattr(annotation, "__args__", ()) == (Path,):
        items = value if isinstance(value, (list, tuple)) else [value]
        plain = [_plain_value(item, Path, info) for item in items]
        return (True, [v for _, v in plain]) if all(ok for ok, _ in plain) else _NOT_DONE
    if annotation is Path:
        return _plain_path(value, info)
    if annotation is int and not getattr(info, "clamp", False):
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19 and (
                value == "0" or value[0] != "0"):
            value = int(value)
        if type(value) is not int or any(bound is not None and not ok for bound, ok in (
                (info.min, info.min is None or value >= info.min), (info.max, info.max is None or value <= info.max))):
            return _NOT_DONE
        return True, value
    if annotation is str and type(value) is str:
        return True, value
    if annotation is bool and type(value) is bool:
        return True, value
    return _NOT_DONE


def _plain_path(value: Any, info: Any) -> tuple[bool, Any]:
    """A path option's value as typer converts it when no path checks are asked for (Path(value))."""
    import os

    if (info.exists or info.writable or info.resolve_path or not info.file_okay or not info.dir_okay
            or getattr(info, "path_type", None) is not None or getattr(info, "allow_dash", False)):
        return _NOT_DONE
    if isinstance(value, Path):
        path = value
    elif type(value) is str and value and "\0" not in value:
        path = Path(value)
    else:
        return _NOT_DONE
    if info.readable and os.path.exists(path) and not os.access(path, os.R_OK):
        return _NOT_DONE  # typer says "... is not readable"
    return True, path


def main() -> None:
    """Console-script entry point."""
    app()
