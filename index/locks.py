"""File locks of an index folder (``flock``: released by the kernel when their process dies).

* the ingest lock, ``.<name>.ingest.lock`` beside the index: one ingest of an index at a time;
* a build folder's own lock, held by the process writing it (on the folder itself), so that a
  clean-up can tell an abandoned build from one still being written.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import IndexBusy


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.ingest.lock"


@contextmanager
def ingest_lock(target: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's ingest lock (an exclusive ``flock``) for the block. Waits up to ``wait``
    seconds for another holder, then raises :class:`IndexBusy`. The lock goes with the process:
    a killed ingest never leaves it held."""
    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(0.0, wait)
        while not try_flock(fd):
            if time.monotonic() >= deadline:
                raise IndexBusy(f"another ingest of {target.name} is running (lock "
                                f"{path.name}); wait for it, or pass --wait SECONDS")
            time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def lock_folder(path: Path) -> int:
    """Lock the folder ``path`` (blocking); the returned descriptor holds the lock until closed."""
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def held_by_someone(path: Path) -> bool:
    """Whether a live process holds ``path``'s build lock (this one included)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        if not try_flock(fd):
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
