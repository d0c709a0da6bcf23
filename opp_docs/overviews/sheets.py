"""Writing the workbooks opp-docs makes (intake report and overviews): cells that stay what they
are, tables with a filter and fitted columns, coloured deadlines, notes, and saving whole."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from opp_docs.files import atomic_path

# Excel refuses cell text longer than this.
MAX_CELL = 32767
DATE_FORMAT = "DD-MM-YYYY"
# How close a deadline is before it shows orange.
SOON = dt.timedelta(days=14)

Value = str | int | dt.date | None


def clean(text: str) -> str:
    """Drop the control characters that XML (xlsx, docx) cannot hold and calendars choke on."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def put(sheet: Worksheet, row: int, column: int, value: Value) -> Cell:
    """Write one cell. Text is always stored as text, so intake data starting with '=', '+',
    '-' or '@' can never become a formula; dates are real dates shown as dd-mm-jjjj."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = clean(value)[:MAX_CELL]
        cell.data_type = "s"
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
    return cell


# A font without a name shows as a serif in LibreOffice; Calibri is the cells' default.
SHEET_FONT = "Calibri"
LINE_HEIGHT = 15.0
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDCE4EE", end_color="FFDCE4EE")
PASSED_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
PASSED_FONT = Font(name=SHEET_FONT, color="FF9C0006")
SOON_FILL = PatternFill(fill_type="solid", start_color="FFFFD8A8", end_color="FFFFD8A8")
SOON_FONT = Font(name=SHEET_FONT, color="FF7F3F00")
BOLD = Font(name=SHEET_FONT, bold=True)


@dataclass(frozen=True)
class Column:
    header: str
    # The widest the column gets, in characters; longer text wraps when `wrap`.
    max_width: int
    wrap: bool = False
    # Dates, numbers and yes/no read best centred.
    center: bool = False


def _shown(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return "00-00-0000"
    return str(value)


def _lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide (word wrap)."""
    # Text is on average narrower than the '0' that Excel's column width counts.
    per_line = max(1, int(width * 1.1) - 2)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            size = min(len(word), per_line)
            if used and used + 1 + size > per_line:
                lines, used = lines + 1, size
            else:
                used += size + (1 if used else 0)
        total += lines
    return total


def write_table(
    sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Value]], freeze: str
) -> None:
    """A header row and data rows with frozen panes, a filter, fitted widths, wrapped long
    text and row heights that show it, printable on landscape pages."""
    widths = []
    for index, column in enumerate(columns):
        longest = max(
            (len(line) for row in rows for line in _shown(row[index]).split("\n")), default=0
        )
        # Bold header words are wider than text; they must not break.
        word = math.ceil(max(len(w) for w in column.header.split()) * 1.2)
        widths.append(min(max(longest, word, 4), column.max_width) + 2)
    header_align = Alignment(wrap_text=True, vertical="center")
    for number, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = put(sheet, 1, number, column.header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = header_align
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.row_dimensions[1].height = LINE_HEIGHT * max(
        _lines(c.header, w / 1.2) for c, w in zip(columns, widths, strict=True)
    )
    top = Alignment(vertical="top")
    centred = Alignment(vertical="top", horizontal="center")
    wrapped = Alignment(vertical="top", wrap_text=True)
    for line, values in enumerate(rows, start=2):
        height = 1
        for number, (column, width, value) in enumerate(
            zip(columns, widths, values, strict=True), start=1
        ):
            cell = put(sheet, line, number, value)
            cell.alignment = wrapped if column.wrap else centred if column.center else top
            if column.wrap:
                height = max(height, _lines(_shown(value), width))
        if height > 1:
            sheet.row_dimensions[line].height = min(409.0, LINE_HEIGHT * height)
    last = get_column_letter(len(columns))
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def colour_deadline(cell: Cell, day: dt.date, today: dt.date) -> None:
    """Red once the deadline has passed, orange within two weeks of today."""
    if day < today:
        cell.fill, cell.font = PASSED_FILL, PASSED_FONT
    elif day <= today + SOON:
        cell.fill, cell.font = SOON_FILL, SOON_FONT


def notes_sheet(sheet: Worksheet, lines: Sequence[str]) -> None:
    sheet.column_dimensions["A"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, text in enumerate(lines, start=1):
        cell = put(sheet, row, 1, text)
        cell.alignment = wrap
        if row == 1:
            cell.font = Font(name=SHEET_FONT, bold=True, size=13)


def save(workbook: Workbook, target: Path) -> Path:
    with atomic_path(target) as tmp:
        workbook.save(tmp)
    return target


def colour_legend(today: dt.date) -> list[str]:
    return [
        f"Stand van {today:%d-%m-%Y}.",
        "Rood: de deadline is verstreken en de stap is nog niet zichtbaar gedaan.",
        "Oranje: de deadline valt binnen twee weken.",
        "Een stap is zichtbaar gedaan als het document ervan geen invulinstructies "
        "[tussen haken] meer heeft: het plan, de tussenevaluatie of de eindevaluatie. De "
        "stappen daarvoor (informatiebrief, BRON-aanmelding, ondertekening) tellen dan ook als "
        "gedaan en krijgen geen kleur meer. Of de BRON-aanmelding en de ondertekening echt "
        "gedaan zijn, kan opp-docs niet zien: controleer dat zelf.",
    ]
