"""Retention: what is past the period is listed, and only deleted when asked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from opp_docs.cli import main
from opp_docs.models import SchoolYear
from opp_docs.pipeline.retention import expired_years, keep_until


def make_years(output: Path, *names: str) -> None:
    for name in names:
        folder = output / name / "leerlingen" / "990101 Test, Kim"
        folder.mkdir(parents=True)
        (folder / "opp.docx").write_bytes(b"x")


def test_keep_until_is_two_years_after_the_school_year_ends() -> None:
    assert keep_until(SchoolYear(2023), 2) == dt.date(2026, 7, 31)


def test_expired_years(tmp_path: Path) -> None:
    make_years(tmp_path, "2022-2023", "2023-2024", "2024-2025", "2026-2027", "demo")
    today = dt.date(2026, 11, 28)
    assert [str(e.schooljaar) for e in expired_years(tmp_path, 2, today)] == [
        "2022-2023",
        "2023-2024",
    ]
    assert [str(e.schooljaar) for e in expired_years(tmp_path, 1, today)] == [
        "2022-2023",
        "2023-2024",
        "2024-2025",
    ]
    assert expired_years(tmp_path / "none", 2, today) == []


def test_opschonen_lists_and_deletes_only_when_asked(tmp_path: Path) -> None:
    make_years(tmp_path, "2000-2001", "2099-2100")
    listed = CliRunner().invoke(main, ["opschonen", "--output", str(tmp_path)])
    assert listed.exit_code == 0, listed.output
    assert "2000-2001" in listed.output
    assert "2099-2100" not in listed.output
    assert "--uitvoeren" in listed.output
    assert (tmp_path / "2000-2001").exists()

    done = CliRunner().invoke(main, ["opschonen", "--output", str(tmp_path), "--uitvoeren"])
    assert done.exit_code == 0, done.output
    assert "2000-2001" in done.output
    assert not (tmp_path / "2000-2001").exists()
    assert (tmp_path / "2099-2100" / "leerlingen").exists()


def test_opschonen_with_nothing_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["opschonen", "--output", str(tmp_path)])
    assert result.exit_code == 0
    assert "Niets" in result.output
