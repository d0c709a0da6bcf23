"""Word → PDF (and other formats) with LibreOffice headless.

One `soffice` start costs most of a second, so files are converted in batches: each worker is one
LibreOffice process with its own profile that converts a whole batch, and the workers run in
parallel, one per core by default. A batch that fails or hangs is killed and its files are retried
one by one, so one bad document never costs the others their PDF.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from opp_docs.errors import ConversionError

SOFFICE_NAMES = ("soffice", "libreoffice")
# Seconds for LibreOffice to start, and per document on top of that.
START_TIMEOUT = 60.0
PER_DOCUMENT_TIMEOUT = 20.0


def find_soffice() -> str:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(
        "LibreOffice is niet gevonden; zonder LibreOffice kunnen geen PDF's worden gemaakt. "
        "Installeer het met 'make install' (of: apt-get install libreoffice-writer-nogui "
        "libreoffice-calc-nogui)."
    )


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
) -> ConversionResult:
    """Convert each source to its target (same index); the target is replaced atomically."""
    if not sources:
        return ConversionResult({}, {})
    soffice = find_soffice()
    jobs = list(zip(sources, targets, strict=True))
    n = max(1, min(workers or default_workers(), len(jobs)))
    batches = [jobs[i::n] for i in range(n)]
    converted: dict[Path, Path] = {}
    failed: dict[Path, str] = {}
    with ThreadPoolExecutor(max_workers=n) as pool:
        for done, bad in pool.map(lambda b: _run_batch(soffice, b, fmt), batches):
            converted.update(done)
            failed.update(bad)
    return ConversionResult(converted, failed)


def _run_batch(
    soffice: str, jobs: list[tuple[Path, Path]], fmt: str
) -> tuple[dict[Path, Path], dict[Path, str]]:
    done, error = _convert_once(soffice, jobs, fmt)
    missing = [job for job in jobs if job[0] not in done]
    failed: dict[Path, str] = {}
    if len(jobs) > 1:
        # Retry one by one, so the document that broke the batch is the only one lost.
        for job in missing:
            single, single_error = _convert_once(soffice, [job], fmt)
            done.update(single)
            if job[0] not in single:
                failed[job[0]] = single_error
    else:
        failed = {job[0]: error for job in missing}
    return done, failed


def _convert_once(
    soffice: str, jobs: list[tuple[Path, Path]], fmt: str
) -> tuple[dict[Path, Path], str]:
    with tempfile.TemporaryDirectory(prefix="opp-docs-lo-") as work:
        work_dir = Path(work)
        in_dir, out_dir, profile = work_dir / "in", work_dir / "out", work_dir / "profile"
        in_dir.mkdir()
        out_dir.mkdir()
        # Numbered links: output names never collide, whatever the students are called.
        links = []
        for i, (source, _) in enumerate(jobs):
            link = in_dir / f"{i:05d}{source.suffix.lower()}"
            link.symlink_to(source.resolve())
            links.append(link)
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            *map(str, links),
        ]
        timeout = START_TIMEOUT + PER_DOCUMENT_TIMEOUT * len(jobs)
        error = ""
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "HOME": str(work_dir)},
        )
        try:
            output, _ = proc.communicate(timeout=timeout)
            if proc.returncode != 0:
                error = f"LibreOffice stopte met foutcode {proc.returncode}"
        except subprocess.TimeoutExpired:
            error = f"LibreOffice reageerde niet binnen {timeout:.0f} seconden"
            output = b""
        finally:
            _kill_group(proc)
        del output
        done: dict[Path, Path] = {}
        for i, (source, target) in enumerate(jobs):
            produced = out_dir / f"{i:05d}.{fmt.split(':')[0]}"
            if produced.exists() and produced.stat().st_size > 0:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".tmp-{target.name}")
                shutil.move(produced, tmp)
                os.replace(tmp, target)
                done[source] = target
        if not error and len(done) < len(jobs):
            error = "LibreOffice kon het bestand niet omzetten (beschadigd of geen Word-bestand?)"
        return done, error


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """No LibreOffice process may outlive its batch, also not its helper processes."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
