"""Never write, rename, delete or read without bound through a symlink a repository could ship.

A clone can hold `decks/.certdeck-cache/articles -> ~` (git keeps symlinks): cleaning the cache would then
delete files of the user's home, and writing it would put files there. Every path certdeck writes to, renames
over or deletes in is checked here first; a symlink is one `error:` line and nothing is written. Only the
folders certdeck owns are checked, from the output folder down: the folders above it are the user's choice.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable, Iterable

from .errors import GeneratorError


def refuse_symlinks(paths: Iterable[Path], shown: Callable[[Path], str] | None = None) -> None:
    """GeneratorError naming the first of `paths` that is a symlink (paths that do not exist pass)."""
    for path in paths:
        try:
            is_link = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:
            continue
        if is_link:
            raise GeneratorError("is a symlink; certdeck does not write, rename or delete through symlinks "
                                 "(remove the link, or build into another folder with -o)",
                                 shown(path) if shown else str(path))


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a symlink, FIFO or device) of at most `limit` bytes;
    None otherwise, or when it cannot be read. For files certdeck keeps for itself (cache entries, records):
    what is not as certdeck wrote it is only ever a miss."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= limit else None
