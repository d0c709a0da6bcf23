"""Retention: school years whose records are past the school's retention period."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from opp_docs.models import SchoolYear


@dataclass(frozen=True)
class Expired:
    schooljaar: SchoolYear
    folder: Path
    # The last day the records may be kept.
    bewaren_tot: dt.date
    files: int


def keep_until(schooljaar: SchoolYear, years: int) -> dt.date:
    """Records are kept `years` years after the school year ends (31 July)."""
    end = schooljaar.last_day
    return end.replace(year=end.year + years)


def expired_years(output: Path, years: int, today: dt.date) -> list[Expired]:
    """The school-year folders in `output` whose retention period has ended."""
    found: list[Expired] = []
    if not output.is_dir():
        return found
    for folder in sorted(output.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            schooljaar = SchoolYear.parse(folder.name)
        except ValueError:
            continue
        until = keep_until(schooljaar, years)
        if until < today:
            files = sum(1 for p in folder.rglob("*") if p.is_file())
            found.append(Expired(schooljaar, folder, until, files))
    return found


def delete(expired: Expired) -> None:
    shutil.rmtree(expired.folder)
