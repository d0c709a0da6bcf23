"""`intake-rapport.xlsx`: every intake problem, with copies of the source rows marked."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from opp_docs.files import atomic_path
from opp_docs.models import IntakeResult, Problem
from opp_docs.overviews.sheets import MAX_CELL, Value, clean, put

PROBLEM_HEADERS = (
    "Bestand",
    "Blad",
    "Rij",
    "Kolom",
    "Waarde",
    "Probleem",
    "Oplossing",
    "Leerlingnummer",
    "Blokkeert documenten",
)
PROBLEM_WIDTHS = (28, 16, 6, 24, 24, 60, 60, 15, 12)
HIGHLIGHT = PatternFill(fill_type="solid", start_color="FFFF9999", end_color="FFFF9999")
NOTE_FILL = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
BOLD = Font(bold=True)


def write_intake_report(result: IntakeResult, path: Path) -> None:
    """Write the report atomically: a temp file in the same folder, then a rename."""
    workbook = Workbook()
    problems_sheet = workbook.active
    assert problems_sheet is not None
    problems_sheet.title = "Problemen"
    _write_problems(problems_sheet, result.problems)
    _write_rows(workbook.create_sheet("Bronrijen"), result.problems)
    _write_notes(workbook.create_sheet("Meldingen"), result)
    with atomic_path(path) as temp:
        workbook.save(temp)


def _write_problems(sheet: Worksheet, problems: list[Problem]) -> None:
    for column, (header, width) in enumerate(zip(PROBLEM_HEADERS, PROBLEM_WIDTHS, strict=True), 1):
        put(sheet, 1, column, header)
        sheet.cell(row=1, column=column).font = BOLD
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, p in enumerate(problems, start=2):
        values: tuple[Value, ...] = (
            p.place.file,
            p.place.sheet,
            p.place.row or "",
            p.column,
            p.value,
            p.problem,
            p.fix,
            p.leerlingnummer,
            "ja" if p.blocking else "nee",
        )
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value)
            sheet.cell(row=row, column=column).alignment = wrap
    if problems:
        sheet.auto_filter.ref = f"A1:I{len(problems) + 1}"


def _write_rows(sheet: Worksheet, problems: list[Problem]) -> None:
    """Per source sheet: its header, then each problem row with the bad cells marked."""
    groups: dict[tuple[str, str], dict[int, list[Problem]]] = {}
    headers: dict[tuple[str, str], tuple[str, ...]] = {}
    for p in problems:
        if not p.row_values:
            continue
        key = (p.place.file, p.place.sheet)
        groups.setdefault(key, {}).setdefault(p.place.row, []).append(p)
        if len(p.headers) > len(headers.get(key, ())):
            headers[key] = p.headers
    line = 1
    put(
        sheet,
        line,
        1,
        "Kopie van de rijen met een probleem; de cellen met een probleem zijn "
        "rood, met uitleg in de opmerking.",
    )
    line += 2
    for (file, sheet_name), rows in groups.items():
        title = f"{file}, blad '{sheet_name}'" if sheet_name else file
        put(sheet, line, 1, title)
        sheet.cell(row=line, column=1).font = BOLD
        line += 1
        put(sheet, line, 1, "Rij")
        for column, header in enumerate(headers[(file, sheet_name)], start=2):
            put(sheet, line, column, header)
            sheet.cell(row=line, column=column).font = BOLD
        line += 1
        for number in sorted(rows):
            row_problems = rows[number]
            values = max((p.row_values for p in row_problems), key=len)
            put(sheet, line, 1, number)
            for column, value in enumerate(values, start=2):
                put(sheet, line, column, value)
            notes: dict[int, list[str]] = {}
            for p in row_problems:
                notes.setdefault(p.column_index, []).append(f"{p.problem} {p.fix}")
            for index, texts in notes.items():
                # A problem about the whole row is noted on the row number.
                cell = sheet.cell(row=line, column=index + 2 if index >= 0 else 1)
                cell.fill = HIGHLIGHT
                text = clean("\n\n".join(texts))[:MAX_CELL]
                cell.comment = Comment(text, "opp-docs", width=320, height=160)
            line += 1
        line += 1
    for column in range(1, sheet.max_column + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 20


def _write_notes(sheet: Worksheet, result: IntakeResult) -> None:
    put(sheet, 1, 1, "Meldingen")
    sheet.cell(row=1, column=1).font = BOLD
    sheet.column_dimensions["A"].width = 120
    lines = [f"Gelezen: {name}" for name in result.files_read] + result.notes
    for row, text in enumerate(lines, start=2):
        put(sheet, row, 1, text)
        if not text.startswith("Gelezen: "):
            sheet.cell(row=row, column=1).fill = NOTE_FILL
