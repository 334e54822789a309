"""Worker processes die with the build that started them.

A build killed with SIGKILL runs no clean-up: its pool's workers would wait on their task queue for good (20
kills left 28 processes and 960 MiB behind). Each worker asks Linux to kill it when its parent dies
(prctl PR_SET_PDEATHSIG), and, on every system, a thread watches the parent's pid and ends the worker when
the parent is gone (the worker is then adopted by another process).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

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
