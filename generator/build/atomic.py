"""Atomic writes: each file goes to a temporary name beside it and is renamed when complete, so a failed
or killed build leaves the previous files whole; a failure names its file.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from ..errors import GeneratorError
from ..read.sources import display_path

_T = TypeVar("_T")


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
    except BaseException:  # noqa: BLE001 - an earlier failure is the one reported
        return
    if os.path.exists(tmp):
        os.unlink(tmp)


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


def _remove_leftovers(out_dir: Path) -> None:
    """Delete temporary files (`.certdeck-*.tmp`) that a build killed while writing left in `out_dir`."""
    for leftover in out_dir.glob(".certdeck-*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()
