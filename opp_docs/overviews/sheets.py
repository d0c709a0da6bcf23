"""Writing cells of the workbooks opp-docs makes (intake report and overviews)."""

from __future__ import annotations

import datetime as dt

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

# Excel refuses cell text longer than this.
MAX_CELL = 32767
DATE_FORMAT = "DD-MM-YYYY"

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
