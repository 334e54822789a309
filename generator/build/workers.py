"""Worker processes die with the build that started them.

A build killed with SIGKILL runs no clean-up: its pool's workers would wait on their task queue for good (20
kills left 28 processes and 960 MiB behind). Each worker asks Linux to kill it when its parent dies
(prctl PR_SET_PDEATHSIG), and, on every system, a thread watches the parent's pid and ends the worker when
the parent is gone (the worker is then adopted by another process).

`_worker_start` sets each worker of a build's pool up (that, the parent's cache secret, the collector's
settings); `_warm_for_workers` builds once in the parent what forked workers then share.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

from .folderlock import _LOCK_FDS
from .gctuning import _BUILD_GC_THRESHOLD

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 0.5


def exit_with_parent(parent: int) -> None:
    """Make this process end when process `parent` (the one that started it) ends."""
    _death_signal()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="certdeck-parent-watch", daemon=True).start()


def _death_signal() -> bool:
    """Ask the kernel for SIGKILL when the parent dies (Linux only); whether it was granted."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _worker_start(parent: int | None = None, secret: bytes | None = None) -> None:
    """Set up a worker process: it dies with its parent (see exit_with_parent), signs cache entries with the
    parent's secret, what it inherited from the parent (modules, parsers) is moved out of the cycle
    collector's walks for good, and collections run at _BUILD_GC_THRESHOLD."""
    import gc

    from .cache import set_cache_secret

    for fd in list(_LOCK_FDS):  # the folder lock is the parent's: it goes away with the parent
        with contextlib.suppress(OSError):
            os.close(fd)
    _LOCK_FDS.clear()
    if parent is not None:
        exit_with_parent(parent)
    if secret is not None:
        set_cache_secret(secret)
    gc.freeze()
    gc.set_threshold(*_BUILD_GC_THRESHOLD)


def _warm_for_workers() -> None:
    """Import and build, once in the parent, what every worker would otherwise import and build alone
    (the Markdown parsers, the HTML sanitizer, the YAML loader, genanki's note types, the word table): forked
    workers share it."""
    import yaml  # noqa: F401 - front matter

    from ..extract.lexicon import load as load_lexicon
    from ..notes.finish import _sanitizer
    from ..notes.marks import _inline_parser
    from ..package.apkg import row_kinds
    from ..parse.markdown import _parser

    _parser()
    _inline_parser()
    _sanitizer()
    row_kinds()  # genanki and its note types, for the package rows
    load_lexicon()  # the gap chooser's word table
