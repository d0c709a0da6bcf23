"""Build intake exports in tmp_path from lists of dicts, as the administration would, and
read them back as the intake does."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from opp_docs.config import Config
from opp_docs.intake.folder import read_intake
from opp_docs.models import IntakeResult, SchoolYear
from opp_docs.overviews.intake_report import write_intake_report

Row = Mapping[str, object]


def registration(nummer: str = "123456", **extra: object) -> dict[str, object]:
    """A complete registration row; `extra` overrides or adds columns by header."""
    row: dict[str, object] = {
        "Leerlingnummer": nummer,
        "Achternaam": "Vries",
        "Tussenvoegsel": "de",
        "Roepnaam": "Sanne",
        "Geboortedatum": dt.date(2014, 5, 3),
        "Basisschool": "De Regenboog",
        "Schooladvies": "vmbo-kb",
    }
    row.update(extra)
    return row


def _header(rows: Sequence[Row]) -> list[str]:
    header: list[str] = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    return header


def write_xlsx(
    path: Path,
    sheets: Mapping[str, Sequence[Row]] | Sequence[Row],
    *,
    above: Sequence[Sequence[object]] = (),
    hidden: Sequence[str] = (),
) -> Path:
    """One sheet per key (or one sheet 'Blad1'); `above` rows go above the header."""
    if not isinstance(sheets, Mapping):
        sheets = {"Blad1": sheets}
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for line in above:
            sheet.append(list(line))
        header = _header(rows)
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(h) for h in header])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
        if title in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


def csv_text(rows: Sequence[Row], delimiter: str = ";") -> str:
    header = _header(rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in header])
    return out.getvalue()


def write_csv(
    path: Path, rows: Sequence[Row], *, delimiter: str = ";", encoding: str = "cp1252"
) -> Path:
    """A CSV as Dutch Excel saves it: ';' and Windows-1252 unless told otherwise."""
    path.write_bytes(csv_text(rows, delimiter).encode(encoding))
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_convert(source: Path, target_format: str, outdir: Path) -> Path:
    """Convert with headless LibreOffice (e.g. to 'ods', 'xls', 'xlsx'); returns the new file."""
    program = soffice()
    assert program is not None
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir.parent / ".soffice-profiel").as_uri()
    subprocess.run(
        [
            program,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    extension = target_format.split(":")[0]
    result = outdir / f"{source.stem}.{extension}"
    assert result.exists(), f"LibreOffice maakte {result} niet"
    return result


YEAR = SchoolYear(2026)
needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice ontbreekt")


def read(folder: Path, config: Config | None = None) -> IntakeResult:
    return read_intake(folder, config or Config(), YEAR)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def blocking(result: IntakeResult) -> list[str]:
    return [str(p) for p in result.problems if p.blocking]


def problem_rows(report: Path) -> list[tuple[object, ...]]:
    """The rows of the intake report's problem sheet, read back."""
    return list(load_workbook(report)["Problemen"].iter_rows(min_row=2, values_only=True))


def report_rows(result: IntakeResult, folder: Path) -> list[tuple[object, ...]]:
    """The problem rows of the intake report, written to `folder` and read back."""
    write_intake_report(result, folder / "intake-rapport.xlsx")
    return problem_rows(folder / "intake-rapport.xlsx")


# --- fields -------------------------------------------------------------------------------
