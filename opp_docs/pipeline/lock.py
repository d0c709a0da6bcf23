"""One run at a time per output folder.

The lock is an `flock` on a file in the folder: the kernel releases it when its process ends,
however it ends (kill -9, a power cut), so a lock is never stale and needs no process id check.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from opp_docs.errors import OutputBusyError
from opp_docs.files import private_files

LOCK = ".opp-docs.lock"


@contextmanager
def output_lock(year_dir: Path) -> Iterator[None]:
    """Hold the lock on `year_dir` for the block, or raise OutputBusyError at once."""
    lock = year_dir / LOCK
    while True:
        # No following a link: the lock file is written, and only in the output folder.
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            raise OutputBusyError(lock=str(lock), holder=holder) from None
        # The run before may have removed the file between our open and our lock: then this
        # lock is on a file that the next run will not see, and we try again with a new one.
        with contextlib.suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(fd), os.stat(lock, follow_symlinks=False)):
                break
        os.close(fd)
    try:
        # For a person who wonders which process holds it; the lock does not depend on it.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        # Removed while still held, so that no other run can lock this file in between.
        lock.unlink(missing_ok=True)
        os.close(fd)


@contextmanager
def writing_to(year_dir: Path) -> Iterator[None]:
    """What every command that writes into a school year's folder holds: files private to
    their owner, the folder made, and the folder's lock."""
    with private_files():
        year_dir.mkdir(parents=True, exist_ok=True)
        with output_lock(year_dir):
            yield
