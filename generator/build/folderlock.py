"""The output folder's lock: one build at a time writes to a folder (flock on the folder itself)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import GeneratorError
from ..read.sources import display_path


def _make_folder(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise GeneratorError("output folder is a file, not a folder", display_path(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise GeneratorError(f"cannot make the output folder: {err.strerror or err}", display_path(out_dir)) from None


@contextmanager
def folder_lock(out_dir: Path, wait: float = 0) -> Iterator[None]:
    """Hold the output folder (made if missing) for a whole build: reading its lock file, building, and
    writing the decks and the new lock. Another build waits up to `wait` seconds for it, then fails with
    one error; plan_build and write_build inside it take no second lock."""
    _make_folder(out_dir)
    with _FolderLock(out_dir, wait):
        yield


_HELD: dict[str, int] = {}  # folders this process holds (realpath -> depth): a build inside one locks no more


# The descriptors holding them: a forked worker closes its copies (_worker_start), so that the lock goes
# with the build process, not with a worker that outlives it.
_LOCK_FDS: set[int] = set()


class _FolderLock:
    """Holds an exclusive lock on the output folder (flock on the folder itself, where the system has it),
    waiting up to `wait` seconds for another build to let it go."""

    def __init__(self, folder: Path, wait: float = 0) -> None:
        self.folder = folder
        self.wait = wait
        self.fd: int | None = None
        self.held = ""

    def __enter__(self) -> None:
        import time

        real = os.path.realpath(self.folder)
        if real in _HELD:  # this process holds it already (folder_lock around the whole build)
            _HELD[real] += 1
            self.held = real
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX: no lock, writes are still atomic
            return
        try:
            self.fd = os.open(self.folder, os.O_RDONLY)
        except OSError:
            return
        deadline = time.monotonic() + max(0.0, self.wait)
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    self.fd = None
                    waited = f" (waited {self.wait:g} s)" if self.wait > 0 else ""
                    raise GeneratorError(f"another certdeck build is writing to this folder{waited}; try again "
                                         "when it is done", display_path(self.folder)) from None
                time.sleep(0.05)
            except OSError:
                break  # a file system without locks
        _LOCK_FDS.add(self.fd)
        _HELD[real] = 1
        self.held = real

    def __exit__(self, *exc: object) -> None:
        if self.held:
            _HELD[self.held] -= 1
            if not _HELD[self.held]:
                del _HELD[self.held]
            self.held = ""
        if self.fd is not None:
            _LOCK_FDS.discard(self.fd)
            os.close(self.fd)  # closing releases the lock
            self.fd = None
