"""Running LibreOffice: finding it, its private work folders, and one-shot batch conversions.

Shared by the intake (which turns .xls and .ods into .xlsx) and the PDF stage (whose pool of
long-lived workers falls back to these batches without UNO). A work folder holds copies of
students' data, so it is private to this user and named after this process: a run killed
before it could clean up has its folders removed by the next one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from opp_docs.errors import ConversionError
from opp_docs.files import atomic_path

SOFFICE_NAMES = ("soffice", "libreoffice")
# Work folders (the pool's, and those with copies of the intake): this prefix, the process id,
# and a random part.
WORK_DIR_PREFIX = "opp-docs-lo-"
# Seconds for LibreOffice to start (a first start also builds the profile).
START_TIMEOUT = 60.0
# Batch: seconds per document on top of the start.
PER_DOCUMENT_TIMEOUT = 20.0

FAILED_TO_OPEN = "LibreOffice kon het bestand niet omzetten (beschadigd of geen Word-bestand?)"


def find_soffice() -> str:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(
        "LibreOffice is niet gevonden; zonder LibreOffice kunnen geen PDF's worden gemaakt. "
        "Installeer het met 'make install' (of: apt-get install libreoffice-writer-nogui "
        "libreoffice-calc-nogui python3-uno)."
    )


@contextlib.contextmanager
def work_folder() -> Iterator[Path]:
    """A private temporary folder for copies of students' data, removed when the block ends.
    When this process is killed first, the next run removes it (see _remove_stale_work_dirs)."""
    folder = new_work_dir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def new_work_dir() -> Path:
    """A folder only this user can enter (mkdtemp: 0700), named after this process."""
    _remove_stale_work_dirs()
    return Path(tempfile.mkdtemp(prefix=f"{WORK_DIR_PREFIX}{os.getpid()}-"))


def _remove_stale_work_dirs() -> None:
    """Remove the work folders of runs that were killed (kill -9, a power cut): they may hold
    copies of the intake and of students' documents. Only our own, and only when their process
    is gone."""
    for folder in Path(tempfile.gettempdir()).glob(f"{WORK_DIR_PREFIX}*-*"):
        pid = folder.name[len(WORK_DIR_PREFIX) :].split("-", 1)[0]
        try:
            if not pid.isdigit() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def run_batch(
    soffice: str, jobs: list[tuple[Path, Path]], fmt: str
) -> tuple[dict[Path, Path], dict[Path, str]]:
    """Convert (source, target) pairs with one `soffice --convert-to` (`fmt`: "pdf", "xlsx",
    optionally with an export filter after a colon); (converted, failed with the reason)."""
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
    with work_folder() as work_dir:
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
            env={**os.environ, "HOME": str(work_dir), "TMPDIR": str(work_dir)},
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
                with atomic_path(target) as tmp:
                    shutil.move(produced, tmp)
                done[source] = target
        if not error and len(done) < len(jobs):
            error = FAILED_TO_OPEN
        return done, error


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """No LibreOffice process may outlive its batch, also not its helper processes."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
