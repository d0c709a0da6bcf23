"""One LibreOffice worker process, and the set of them a pool keeps: started with a profile
of their own, recycled after many conversions, killed with their whole process group.

A worker is `lo_script.py` run by a Python that has the `uno` module; it starts one `soffice`
in its own process group and takes one job per line (see lo_script's docstring). The pool
(`pool.py`) decides what each worker converts; this module only keeps workers alive, or not.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from opp_docs.office import START_TIMEOUT

WORKER_SCRIPT = Path(__file__).with_name("lo_script.py")
# Failed starts in a row after which LibreOffice is taken to be broken.
START_ATTEMPTS = 2


class Workers:
    """A pool's live workers. Each starts when its thread first needs it, is replaced by a
    fresh one after `recycle_after` conversions (LibreOffice slowly grows while it converts),
    and is killed with its process group when it hangs, crashes or the pool closes."""

    def __init__(self, python: str, soffice: str, work_dir: Path, recycle_after: int) -> None:
        self._python, self._soffice, self._work_dir = python, soffice, work_dir
        self.recycle_after = recycle_after
        self._lock = threading.Lock()
        self._live: set[Worker] = set()
        self._closed = False
        self._start_failures = 0
        # Why no worker can start, once LibreOffice failed to start START_ATTEMPTS times.
        self.broken = ""

    def ready(self, slot: int, worker: Worker | None) -> Worker | None:
        """`worker` while it may go on, else a fresh one for thread `slot`; None when none can
        be started."""
        if worker is not None and worker.conversions >= self.recycle_after:
            self.retire(worker, graceful=True)
            worker = None
        return worker if worker is not None else self._start(slot)

    def _start(self, slot: int) -> Worker | None:
        while not self.broken:
            directory = self._work_dir / f"werker-{slot}-{uuid.uuid4().hex[:6]}"
            worker = Worker(self._python, self._soffice, directory)
            with self._lock:
                self._live.add(worker)
                closed = self._closed
            if closed:
                self.retire(worker, graceful=False)
                return None
            try:
                worker.wait_ready()
            except WorkerFailed as e:
                self.retire(worker, graceful=False)
                with self._lock:
                    self._start_failures += 1
                    if self._start_failures >= START_ATTEMPTS:
                        self.broken = f"LibreOffice kon niet worden gestart ({e})"
                continue
            with self._lock:
                self._start_failures = 0
            return worker
        return None

    def retire(self, worker: Worker, *, graceful: bool) -> None:
        if graceful:
            worker.stop()
        else:
            worker.kill()
        with self._lock:
            self._live.discard(worker)

    def close(self) -> None:
        """From now on a worker that starts is killed at once."""
        with self._lock:
            self._closed = True

    def kill_all(self) -> None:
        """Kill whatever is still running, group and all."""
        with self._lock:
            workers = list(self._live)
        for worker in workers:
            self.retire(worker, graceful=False)


class WorkerFailed(Exception):
    """Raised when a worker stopped, or answered nonsense."""


class WorkerHung(WorkerFailed):
    """Raised when a worker did not answer in time."""


class Worker:
    """One `lo_script.py` process and the LibreOffice in its process group."""

    def __init__(self, python: str, soffice: str, directory: Path) -> None:
        directory.mkdir(parents=True)
        self.conversions = 0
        self._log = directory / "werker.log"
        self._buffer = b""
        with self._log.open("wb") as log:
            self.process = subprocess.Popen(
                [python, str(WORKER_SCRIPT), soffice, str(directory / "profiel"), str(os.getpid())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=directory,
                # Its own session: Ctrl-C reaches only opp-docs, which then stops the group.
                start_new_session=True,
                # LibreOffice's temporary files too go where a killed run's are removed.
                env={**os.environ, "HOME": str(directory), "TMPDIR": str(directory)},
            )

    def wait_ready(self) -> None:
        """Wait until LibreOffice accepts work; the caller kills the worker when this raises."""
        try:
            ready = self._read(START_TIMEOUT)
        except WorkerFailed as e:
            raise WorkerFailed(_last_line(self._log) or str(e)) from e
        if not ready.get("ready"):
            raise WorkerFailed(str(ready.get("error") or "geen verbinding"))

    def request(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one job and wait at most `timeout` seconds for its answer."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(job).encode() + b"\n")
            self.process.stdin.flush()
        except OSError as e:
            raise WorkerFailed("werker gestopt") from e
        reply = self._read(timeout)
        self.conversions += 1
        return reply

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerHung("geen antwoord")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise WorkerFailed("werker gestopt")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except ValueError as e:
            raise WorkerFailed(f"onbegrijpelijk antwoord: {line[:80]!r}") from e
        if not isinstance(message, dict):
            raise WorkerFailed(f"onbegrijpelijk antwoord: {line[:80]!r}")
        return message

    def stop(self) -> None:
        """Let LibreOffice shut down cleanly (end of input), then make sure of it."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.kill()

    def kill(self) -> None:
        """Kill the worker's whole process group: the script, soffice and its helpers."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        # The pipes are left to the garbage collector: another thread may still select on them.
        self.process.wait()


def _last_line(log: Path) -> str:
    with contextlib.suppress(OSError):
        lines = log.read_text(errors="replace").strip().splitlines()
        if lines:
            return lines[-1][:200]
    return ""
