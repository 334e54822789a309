"""Never write, rename, delete or read without bound through a symlink a repository could ship.

A clone can hold `decks/.certdeck-cache/articles -> ~` (git keeps symlinks): cleaning the cache would then
delete files of the user's home, and writing it would put files there. Every path certdeck writes to, renames
over or deletes in is checked here first; a symlink is one `error:` line and nothing is written. Only the
folders certdeck owns are checked, from the output folder down: the folders above it are the user's choice.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

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


MAX_LOCK_BYTES = 1 << 30  # a lock of 100,000 notes is about 150 MB


def read_lock_bytes(path: Path, shown: str) -> bytes | None:
    """The lock file's bytes (None if there is none), read only if it is a regular file of at most
    MAX_LOCK_BYTES, not a symlink (a build replaces the lock: never through a symlink, never by reading
    /dev/zero until memory runs out)."""
    import os
    import stat

    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # no lock yet (the output folder's own problem is reported later)
        return None
    except OSError as err:
        raise GeneratorError(f"cannot read lock file: {err.strerror or err}", shown) from None
    if stat.S_ISLNK(info.st_mode):
        raise GeneratorError("lock file is a symlink; certdeck does not read or write through symlinks "
                             "(replace it with the file itself)", shown)
    if not stat.S_ISREG(info.st_mode):
        raise GeneratorError("lock file is not a regular file", shown)
    if info.st_size > MAX_LOCK_BYTES:
        raise GeneratorError(f"lock file is larger than {MAX_LOCK_BYTES >> 20} MiB; not read", shown)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise GeneratorError(f"cannot read lock file: {err.strerror or err}", shown) from None
    data = read_bounded(fd, MAX_LOCK_BYTES, "lock file", shown)
    if data is None:
        raise GeneratorError("lock file is not a regular file", shown)
    return data


def read_bounded(fd: int, limit: int, what: str, shown: str) -> bytes | None:
    """The bytes of the open file `fd` (closed here), None if it is not a regular file (a FIFO or device is
    never read); GeneratorError naming `what` if it cannot be read or holds more than `limit` bytes."""
    try:
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            data = fh.read(limit + 1)
    except OSError as err:
        raise GeneratorError(f"cannot read {what}: {err.strerror or err}", shown) from None
    if len(data) > limit:
        raise GeneratorError(f"{what} is larger than {limit >> 20} MiB; not read", shown)
    return data
