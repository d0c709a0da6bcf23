"""One run per output folder: a lock held by another process refuses the run, a lock file left
by a process that is gone does not."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from opp_docs.cli import main
from opp_docs.pipeline.lock import LOCK
from tests.intake_helpers import registration, write_xlsx

YEAR = "2026-2027"

# Takes the lock as opp-docs does, on the file in argv[1], optionally writes its process id,
# says so, and holds the lock until its input ends.
HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
if sys.argv[2] == "pid":
    os.write(fd, str(os.getpid()).encode())
print("vast", flush=True)
sys.stdin.read()
"""


def check(tmp_path: Path) -> Result:
    intake = tmp_path / "intake"
    if not intake.exists():
        intake.mkdir()
        write_xlsx(intake / "aanmeldingen.xlsx", [registration("990001")])
    return CliRunner().invoke(
        main,
        ["check", "--intake", str(intake), "--output", str(tmp_path / "uit"), "--schooljaar", YEAR],
    )


def year_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "uit" / YEAR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def holder(lock: Path, write_pid: bool) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the lock on `lock` for the block."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock), "pid" if write_pid else "leeg"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        assert process.stdout.readline() == "vast\n"
        yield process
    finally:
        process.stdin.close()
        process.wait(timeout=10)


# An empty lock file is the moment right after another run created it.
@pytest.mark.parametrize("write_pid", [True, False], ids=["met-proces", "leeg"])
def test_a_lock_held_by_another_process_refuses_the_run(tmp_path: Path, write_pid: bool) -> None:
    lock = year_dir(tmp_path) / LOCK
    with holder(lock, write_pid) as process:
        before = sorted(p.name for p in lock.parent.iterdir())
        result = check(tmp_path)
        by = f" door proces {process.pid}" if write_pid else ""
        assert result.exit_code == 1, result.output
        assert result.output == (
            "Fout: Er loopt al een opp-docs-run op deze uitvoermap: het slot "
            f"{lock} is in gebruik{by}. Wacht tot die run klaar is en probeer het dan "
            "opnieuw. Verwijder het slot niet: het gaat vanzelf open zodra die run stopt, ook "
            "als die vastloopt of wordt afgebroken.\n"
        )
        assert sorted(p.name for p in lock.parent.iterdir()) == before
    # Once the other run is done, this one goes through.
    result = check(tmp_path)
    assert result.exit_code == 0, result.output
    assert not lock.exists()


def test_a_lock_file_of_a_killed_run_does_not_block(tmp_path: Path) -> None:
    lock = year_dir(tmp_path) / LOCK
    with holder(lock, write_pid=True) as process:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert lock.read_text() == str(process.pid)

    result = check(tmp_path)

    assert result.exit_code == 0, result.output
    assert "Intake in orde" in result.output
    assert not lock.exists()


def test_a_lock_file_whose_process_id_now_belongs_to_another_process_does_not_block(
    tmp_path: Path,
) -> None:
    lock = year_dir(tmp_path) / LOCK
    # Process 1 always runs: the id of the killed run now belongs to another process.
    lock.write_text("1")

    result = check(tmp_path)

    assert result.exit_code == 0, result.output
    assert not lock.exists()
