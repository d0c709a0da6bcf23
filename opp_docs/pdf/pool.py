"""Word → PDF (and other formats) with LibreOffice headless: the pool and its queue.

Starting LibreOffice costs about a second; converting one document in a running LibreOffice costs
a tenth of that. So a pool of long-lived LibreOffice workers (one per core by default), each with
its own profile, converts the documents one by one through UNO: each worker is a small script
(`lo_script.py`) run by a Python that has the `uno` module (Debian: python3-uno), which starts
and drives one `soffice` (`worker.py`). Word files reach LibreOffice as lean copies without
their unused styles (`lean.py`), which saves it a third of its work and changes nothing on the
page. Files submitted as a group (`submit_group`) are joined into one file (`join.py`),
converted once and cut apart again (`cut.py`): LibreOffice's cost is mostly per file, not per
page. A join that is refused says why; `join_refusals` counts the reasons.

Safety: every conversion has a timeout. A worker that hangs or crashes is killed with its whole
process group and replaced, and the document is tried once more; a document that fails twice is
reported by path while the others go on. Workers are recycled after a number of conversions. No
LibreOffice process outlives the pool: process groups and `finally` for exceptions and Ctrl-C,
`atexit` for a forgotten pool, and a watchdog in the worker for a killed opp-docs.

Without `uno` the pool falls back to batches (`opp_docs.office`): one `soffice --convert-to` per
batch of documents, N batches in parallel, a failed batch retried one document at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from opp_docs.files import atomic_path
from opp_docs.office import FAILED_TO_OPEN, find_soffice, new_work_dir, run_batch
from opp_docs.pdf.cut import split_pdf
from opp_docs.pdf.join import JoinRefused, compatible_groups, merge
from opp_docs.pdf.lean import LeanCopies
from opp_docs.pdf.worker import Worker, WorkerFailed, WorkerHung, Workers

# Names a Python with the `uno` module, for installations where it is not /usr/bin/python3.
UNO_PYTHON_ENV = "OPP_DOCS_UNO_PYTHON"
# Seconds for one document in a running LibreOffice; normal documents take well under one.
CONVERSION_TIMEOUT = 30.0
# LibreOffice slowly grows while it converts; a fresh one costs about a second.
RECYCLE_AFTER = 1000
ATTEMPTS = 2

# Why a joined file gave no PDFs, besides the join's and the cut's own reasons (JoinRefused).
JOINED_NOT_CONVERTED = "LibreOffice kon het samengevoegde bestand niet omzetten"
JOINED_STUCK = "LibreOffice liep vast op het samengevoegde bestand"
JOINED_FAILED = "onverwachte fout bij het samenvoegen"


@functools.cache
def find_uno_python(soffice: str) -> str | None:
    """A Python that can `import uno`, or None (then the batch fallback is used)."""
    configured = os.environ.get(UNO_PYTHON_ENV)
    if configured:
        candidates = [configured]
    else:
        bundled = Path(soffice).resolve().parent / "python"  # LibreOffice's own builds
        candidates = [
            str(bundled),
            "/usr/bin/python3",
            shutil.which("python3") or "",
            sys.executable,
        ]
    for candidate in dict.fromkeys(c for c in candidates if c):
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            probe = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
            if probe.returncode == 0:
                return candidate
    return None


@dataclass(frozen=True)
class ConversionResult:
    converted: dict[Path, Path]
    failed: dict[Path, str]


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def convert_files(
    sources: Sequence[Path],
    targets: Sequence[Path],
    *,
    fmt: str = "pdf",
    workers: int | None = None,
    timeout: float = CONVERSION_TIMEOUT,
) -> ConversionResult:
    """Convert each source to its target (same index); the target is replaced atomically.

    `fmt` is the target extension ("pdf", "xlsx", …), optionally with LibreOffice's export
    filter after a colon ("pdf:writer_pdf_Export")."""
    if not sources:
        return ConversionResult({}, {})
    jobs = list(zip(sources, targets, strict=True))
    n = max(1, min(workers or default_workers(), len(jobs)))
    with ConverterPool(fmt=fmt, workers=n, timeout=timeout) as pool:
        for source, target in jobs:
            pool.submit(source, target)
        return pool.wait()


class _NotConverted(Exception):
    """Raised when LibreOffice answered but made no file; the target stays as it was."""


@dataclass
class _Job:
    source: Path
    target: Path
    attempts: int = 0
    error: str = ""
    # A group: files converted as one and cut apart; `source` and `target` are its first.
    parts: list[tuple[Path, Path]] = field(default_factory=list)


class ConverterPool:
    """Long-lived LibreOffice workers that convert what is submitted, as it is submitted.

    Use as a context manager; leaving the block stops every LibreOffice it started. Workers start
    on demand (none for a run that converts nothing)."""

    # Conversions after which a worker is replaced; a test may lower it before the first submit.
    recycle_after = RECYCLE_AFTER

    def __init__(
        self,
        *,
        fmt: str = "pdf",
        workers: int | None = None,
        pdfa: bool = False,
        timeout: float = CONVERSION_TIMEOUT,
        lean_copies: bool = True,
    ) -> None:
        self.ext, _, self.export_filter = fmt.partition(":")
        self.size = max(1, workers or default_workers())
        self.pdfa = pdfa
        self.timeout = timeout
        # Word files go to LibreOffice without their unused styles (see lean.py).
        self._lean = LeanCopies() if lean_copies and self.ext == "pdf" else None
        self.work_dir: Path | None = None
        self._soffice: str | None = None
        self._python: str | None = None
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._done: queue.Queue[_Job] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._workers: Workers | None = None
        self._lock = threading.Lock()
        self._batch: list[_Job] = []
        self._submitted = 0
        self._reported = 0
        self._closed = False
        self.converted: dict[Path, Path] = {}
        self.failed: dict[Path, str] = {}
        # Files converted as part of a joined file, and how many LibreOffice conversions that took.
        self.joined = 0
        self.joined_conversions = 0
        # Why files went one by one instead of together: per reason, the groups that sent
        # files on their own (see JoinRefused).
        self.join_refusals: Counter[str] = Counter()

    @property
    def pending(self) -> int:
        """Jobs submitted whose outcome `completed` has not yielded yet."""
        return self._submitted - self._reported

    @property
    def uses_uno(self) -> bool:
        return self._python is not None

    def __enter__(self) -> ConverterPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # On an error or Ctrl-C nobody waits for the conversions in flight.
        self.close(graceful=exc_type is None)

    def submit(self, source: Path, target: Path) -> None:
        """Queue one conversion; it starts as soon as a worker is free."""
        self._start()
        self._submitted += 1
        job = _Job(source, target)
        if not self.uses_uno:
            self._batch.append(job)
            return
        self._queue(job)

    def submit_group(self, pairs: Sequence[tuple[Path, Path]]) -> None:
        """Queue Word files that may be converted together: joined into one file, converted
        once and cut back into one PDF each (see join.py and cut.py), which costs LibreOffice about
        half of converting them one by one. `completed` still reports each file. Files that
        cannot be joined, or whose joined file fails, are converted one by one. PDF/A is
        always made per file: a PDF cut out of another is no longer PDF/A."""
        pairs = list(pairs)
        if not pairs:
            return  # a rerun with nothing to convert needs no LibreOffice
        self._start()
        alone = len(pairs) < 2 or self.ext != "pdf" or self.export_filter or self.pdfa
        if alone or not self.uses_uno:
            for source, target in pairs:
                self.submit(source, target)
            return
        self._submitted += len(pairs)
        self._queue(_Job(pairs[0][0], pairs[0][1], parts=pairs))

    def _start(self) -> None:
        if self.work_dir is None:
            self._soffice = find_soffice()
            self._python = find_uno_python(self._soffice)
            self.work_dir = new_work_dir()
            if self._python is not None:
                self._workers = Workers(
                    self._python, self._soffice, self.work_dir, self.recycle_after
                )
            _LIVE_POOLS.add(self)

    def _queue(self, job: _Job) -> None:
        self._jobs.put(job)
        # One more worker while there is work waiting for one; a single document starts one.
        if len(self._threads) < self.size and self._jobs.qsize() >= len(self._threads):
            slot = len(self._threads)
            thread = threading.Thread(target=self._serve, args=(slot,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def completed(self) -> Iterator[tuple[Path, str | None]]:
        """Yield (source, None) or (source, reason of failure) per job, in order of completion,
        until everything submitted so far is done."""
        if self._batch:
            self._run_batches()
        while self._reported < self._submitted:
            job = self._done.get()
            self._reported += 1
            if job.error:
                self.failed[job.source] = job.error
                yield job.source, job.error
            else:
                self.converted[job.source] = job.target
                yield job.source, None

    def wait(self) -> ConversionResult:
        """Wait for everything submitted; the result covers all jobs of this pool."""
        for _ in self.completed():
            pass
        return ConversionResult(dict(self.converted), dict(self.failed))

    def close(self, *, graceful: bool = True) -> None:
        """Stop all workers and remove their profiles; `graceful=False` kills them at once."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._workers is not None:
            self._workers.close()
        for _ in self._threads:
            self._jobs.put(None)
        if graceful:
            deadline = time.monotonic() + 15
            for thread in self._threads:
                thread.join(max(0.0, deadline - time.monotonic()))
        if self._workers is not None:
            self._workers.kill_all()
        if self.work_dir is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)
        _LIVE_POOLS.discard(self)

    def _serve(self, slot: int) -> None:
        """One worker thread: take jobs, keep one LibreOffice alive for them."""
        assert self._workers is not None
        worker: Worker | None = None
        try:
            while (job := self._jobs.get()) is not None:
                if self._closed:
                    continue
                try:
                    worker = self._handle(slot, worker, job)
                except Exception as e:
                    # A bug here must not leave the run waiting for this job forever.
                    error = f"interne fout bij het omzetten ({type(e).__name__}: {e})"
                    self._report_failed(job, error)
                    if worker is not None:
                        self._workers.retire(worker, graceful=False)
                        worker = None
        finally:
            if worker is not None:
                self._workers.retire(worker, graceful=True)

    def _handle(self, slot: int, worker: Worker | None, job: _Job) -> Worker | None:
        """Convert `job` on `worker` (started or replaced as needed); returns the worker to use
        for the next job."""
        assert self._workers is not None
        worker = self._workers.ready(slot, worker)
        if worker is None:
            self._report_failed(job, self._workers.broken or "het omzetten is afgebroken")
            return None
        convert = self._convert_group if job.parts else self._convert
        if convert(worker, job):
            return worker
        self._workers.retire(worker, graceful=False)
        return None

    def _convert(self, worker: Worker, job: _Job) -> bool:
        """Convert one job; False when the worker must be replaced."""
        assert self.work_dir is not None
        job.attempts += 1
        source = job.source.resolve()
        lean = self.work_dir / f"{uuid.uuid4().hex}.docx"
        # A second attempt gets the original, in case the copy was the problem.
        if (
            self._lean is not None
            and job.attempts == 1
            and source.suffix.lower() == ".docx"
            and self._lean.write(source, lean)
        ):
            source = lean
        healthy = True
        try:
            # LibreOffice writes to the path it is given: the temporary one beside the target.
            with atomic_path(job.target) as tmp:
                request = {
                    "source": str(source),
                    "target": str(tmp.resolve()),
                    "ext": self.ext,
                    "filter": self.export_filter or None,
                    "pdfa": self.pdfa,
                }
                reply = worker.request(request, self.timeout)
                if not (reply.get("ok") and tmp.is_file() and tmp.stat().st_size > 0):
                    raise _NotConverted(f"LibreOffice {reply.get('error') or FAILED_TO_OPEN}")
            job.error = ""
        except _NotConverted as e:
            job.error = str(e)
        except WorkerHung:
            job.error = f"LibreOffice reageerde niet binnen {self.timeout:g} seconden"
            healthy = False
        except WorkerFailed:
            job.error = "LibreOffice liep vast of stopte onverwacht"
            healthy = False
        finally:
            lean.unlink(missing_ok=True)
        if job.error and job.attempts < ATTEMPTS:
            self._jobs.put(job)
        else:
            self._done.put(job)
        return healthy

    def _report_failed(self, job: _Job, error: str) -> None:
        """Report `job` as failed; a group as each of its files, since `completed` counts
        files."""
        for source, target in job.parts or [(job.source, job.target)]:
            self._done.put(_Job(source, target, attempts=job.attempts, error=error))

    def _convert_group(self, worker: Worker, job: _Job) -> bool:
        """Convert a group as one file; False when the worker must be replaced. When that does
        not give every file its PDF, the files go back in the queue: one by one, or, when the
        group could not be joined as a whole, in the smaller groups that can."""
        assert self.work_dir is not None
        name = uuid.uuid4().hex
        merged, pdf = self.work_dir / f"{name}.docx", self.work_dir / f"{name}.pdf"
        sources = [source.resolve() for source, _ in job.parts]
        targets = [target for _, target in job.parts]
        healthy = joined = False
        refusal = ""
        try:
            infos = merge(sources, merged, self._lean.lean_parts if self._lean else None)
            joined = True
            request = {
                "source": str(merged),
                "target": str(pdf),
                "ext": "pdf",
                "filter": None,
                "pdfa": False,
                # Bookmarks become named destinations: they say where each file starts.
                "filter_data": {"ExportBookmarksToPDFDestination": True},
            }
            reply = worker.request(request, self.timeout)
            healthy = True
            if not (reply.get("ok") and pdf.is_file()):
                raise JoinRefused(JOINED_NOT_CONVERTED)
            for target in targets:
                target.parent.mkdir(parents=True, exist_ok=True)
            split_pdf(pdf, targets, infos)
        except JoinRefused as e:
            healthy, refusal = True, e.reason
        except WorkerFailed:
            healthy, refusal = False, JOINED_STUCK
        except Exception:
            # Whatever went wrong with the joined file, each file still gets its own chance.
            refusal = JOINED_FAILED
        finally:
            for temporary in (merged, pdf):
                temporary.unlink(missing_ok=True)
        if refusal:
            # Not joinable as a whole (one template saved anew by Word, say): those made from
            # one template may still go together.
            groups = [list(range(len(sources)))] if joined else compatible_groups(sources)
            self._requeue(job, groups, refusal)
            return healthy
        with self._lock:
            self.joined += len(job.parts)
            self.joined_conversions += 1
        for source, target in job.parts:
            self._done.put(_Job(source, target))
        return healthy

    def _requeue(self, job: _Job, groups: list[list[int]], reason: str) -> None:
        """Put a group that gave no PDFs back in the queue, as `groups` (indices into its
        files): a smaller group as a group, the others one by one. `reason` is counted when
        any file goes on its own."""
        alone = False
        for group in groups:
            parts = [job.parts[i] for i in group]
            if 1 < len(parts) < len(job.parts):
                self._jobs.put(_Job(parts[0][0], parts[0][1], parts=parts))
            else:
                alone = True
                for source, target in parts:
                    self._jobs.put(_Job(source, target))
        if alone:
            with self._lock:
                self.join_refusals[reason] += 1

    def _run_batches(self) -> None:
        """The fallback without UNO: one `soffice --convert-to` per batch."""
        assert self._soffice is not None
        soffice = self._soffice
        fmt = f"{self.ext}:{self.export_filter}" if self.export_filter else self.ext
        if self.pdfa and self.ext == "pdf":
            # The export filter's options as JSON (LibreOffice 7.4 and later); 2 is PDF/A-2b.
            fmt = f"pdf:{self.export_filter or 'writer_pdf_Export'}:" + json.dumps(
                {"SelectPdfVersion": {"type": "long", "value": "2"}}
            )
        jobs = [(j.source, j.target) for j in self._batch]
        by_source = {j.source: j for j in self._batch}
        self._batch = []
        n = max(1, min(self.size, len(jobs)))
        batches = [jobs[i::n] for i in range(n)]
        with ThreadPoolExecutor(max_workers=n) as pool:
            for _done, bad in pool.map(lambda b: run_batch(soffice, b, fmt), batches):
                for source, reason in bad.items():
                    by_source[source].error = reason
        for job in by_source.values():
            self._done.put(job)


_LIVE_POOLS: set[ConverterPool] = set()


@atexit.register
def _close_live_pools() -> None:
    for pool in list(_LIVE_POOLS):
        pool.close(graceful=False)
