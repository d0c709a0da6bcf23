"""The repository holds no student data: only fictional examples, nothing in intake/."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

THIS = Path(__file__).resolve()
REPO = THIS.parent.parent
# Fictional student numbers start with 99; anything else that looks like a list of student
# numbers may be a real export that slipped in.
# ASCII digits only: exports carry those; other scripts' digits in tests are fuzz input.
NUMBER = re.compile(r"(?<![0-9.,-])\b([0-9]{6,7})\b(?![0-9.,-])", re.ASCII)
TEXT_SUFFIXES = {".py", ".md", ".txt", ".toml", ".json", ".csv", ".cfg", ".ini", ".yml", ".yaml"}
DATA_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".pdf"}


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("geen git-werkmap")
    return [REPO / name for name in out.decode().split("\0") if name]


def fictional(number: str) -> bool:
    """The examples' 99-range, and placeholders nobody is given: 000000, 222222, 123456."""
    # Exports may keep a leading zero in front of the number (0990101).
    fictional = number.lstrip("0").startswith("99")
    return fictional or len(set(number)) == 1 or number in "0123456789"


def real_looking_numbers(text: str) -> set[str]:
    return {n for n in NUMBER.findall(text) if not fictional(n)}


def test_detector_finds_a_student_number_list() -> None:
    export = "Leerlingnummer;Naam\n314159;Jan\n271828;Piet\n161803;Kees\n"
    assert real_looking_numbers(export) == {"314159", "271828", "161803"}
    assert real_looking_numbers("990101;Sem\n990102;Noor\n") == set()
    assert real_looking_numbers("000000 012345 123456 222222") == set()
    assert real_looking_numbers("06-11111111, 3961 DC, versie 1.2.3") == set()


def test_intake_folder_holds_only_its_readme() -> None:
    in_intake = [p for p in tracked_files() if p.relative_to(REPO).parts[0] == "intake"]
    assert [p.name for p in in_intake] == ["LEESMIJ.txt"]


def test_no_exports_or_reports_are_tracked() -> None:
    data = [p for p in tracked_files() if p.suffix.lower() in DATA_SUFFIXES]
    assert data == [], "spreadsheets/PDF's horen niet in git: gebruik verzonnen voorbeelden"


def test_no_list_of_real_looking_student_numbers() -> None:
    suspicious = {}
    for path in tracked_files():
        # This file holds the detector's own made-up examples.
        if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file() or path == THIS:
            continue
        numbers = real_looking_numbers(path.read_text(encoding="utf-8", errors="replace"))
        if len(numbers) >= 3:
            suspicious[str(path.relative_to(REPO))] = sorted(numbers)[:5]
    assert suspicious == {}
