"""Students, outcomes and their Word files built in tmp_path for the overview tests, and
reading the overviews back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
from openpyxl import load_workbook

from opp_docs.config import Config
from opp_docs.decide.counsellor import assign_counsellor
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.files import sha256_file
from opp_docs.models import (
    DocumentKind,
    DocumentOutcome,
    Leerling,
    RunSummary,
    SchoolYear,
    StudentOutcome,
)
from opp_docs.overviews.made_from import OverviewRecords
from opp_docs.overviews.write import OverviewOptions, write_overviews
from tests.helpers import word_file

D = dt.date
YEAR = SchoolYear(2026)
CONFIG = Config(leerlingbegeleiders=("mevr. J. de Wit",), teamleider="dhr. M. Vos")
RED, ORANGE = "FFFFC7CE", "FFFFD8A8"
# Cohort deadlines of 2026-2027 with the default settings.
COHORT = {
    "informatiebrief": D(2026, 9, 17),
    "bron": D(2026, 10, 1),
    "opp": D(2026, 10, 15),
    "ondertekening": D(2026, 10, 29),
    "tussenevaluatie": D(2027, 2, 1),
    "eindevaluatie": D(2027, 7, 1),
}


def leerling(nummer: str, achternaam: str, roepnaam: str, **fields: Any) -> Leerling:
    return Leerling(nummer, achternaam, roepnaam, D(2013, 5, 3), **fields)


def outcome(student: Leerling, *documents: DocumentOutcome) -> StudentOutcome:
    result = StudentOutcome(
        student,
        propose_route(student, CONFIG),
        compute_deadlines(student, YEAR, CONFIG),
        assign_counsellor(student, CONFIG),
    )
    result.documents = list(documents)
    return result


def summary(year_dir: Path, *outcomes: StudentOutcome) -> RunSummary:
    return RunSummary(year_dir=year_dir, students=len(outcomes), outcomes=list(outcomes))


def doc(kind: DocumentKind, path: Path, *, bewerkt: bool = False) -> DocumentOutcome:
    return DocumentOutcome(kind, path, path.with_suffix(".pdf"), sha256_file(path), bewerkt)


def plan_documents(folder: Path, plan_kind: DocumentKind, **plan: Any) -> list[DocumentOutcome]:
    kinds = [
        DocumentKind.INFORMATIEBRIEF, plan_kind, DocumentKind.ONDERTEKENINGSBLAD,
        DocumentKind.TUSSENEVALUATIE, DocumentKind.EINDEVALUATIE,
    ]  # fmt: skip
    return [
        doc(kind, word_file(folder / f"{kind.value}.docx", **(plan if kind is plan_kind else {})))
        for kind in kinds
    ]


def write(
    year_dir: Path,
    *outcomes: StudentOutcome,
    today: dt.date,
    records: OverviewRecords | None = None,
) -> dict[str, Path]:
    """The overviews of `outcomes`; with the `records` of a run before, as a rerun."""
    options = OverviewOptions(YEAR, CONFIG, today, pdf=False)
    made_from = OverviewRecords() if records is None else records
    paths = write_overviews(summary(year_dir, *outcomes), options, made_from)
    return {p.name: p for p in paths}


def table(path: Path) -> tuple[list[str], list[dict[str, Any]], Any]:
    """Header, rows as dicts, and the first sheet of a workbook written by the software."""
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return header, [dict(zip(header, r, strict=True)) for r in rows[1:]], sheet


def cell(sheet: Any, row: int, header: str) -> Any:
    column = [c.value for c in sheet[1]].index(header) + 1
    return sheet.cell(row=row, column=column)


def fill(sheet: Any, row: int, header: str) -> str | None:
    c = cell(sheet, row, header)
    return str(c.fill.fgColor.rgb) if c.fill.fill_type == "solid" else None


def docx_lines(path: Path) -> list[str]:
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for t in document.tables:
        for row in t.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return lines
