"""Old and disguised spreadsheets: .xls and .ods through LibreOffice, and web pages.

A real .xls (OLE) or .ods is converted to .xlsx by LibreOffice and then read by `xlsx`; the
copies live in the run's private work folder (see `opp_docs.office`). Many school systems'
"Excel" downloads are a web page (HTML table) or tab-separated text with an .xls name: those
are read here and by `delimited`, every cell as text, because LibreOffice would turn the
number 0990101 into 990101.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from opp_docs.errors import ConversionError
from opp_docs.intake.delimited import read_text
from opp_docs.intake.limits import EXCEL_COLUMNS, MAX_ROWS, CellBudget, cell_text, too_many_rows
from opp_docs.intake.tables import RESAVE_XLSX, Table, Unreadable
from opp_docs.office import find_soffice, run_batch


def load_html(path: Path) -> Table:
    page = _HtmlRows(path.name)
    page.feed(read_text(path))
    page.close()
    page.end_row()
    return Table(path.name, "", page.rows)


class _HtmlRows(HTMLParser):
    """The rows of a web page's tables, each cell as the text it shows, as Excel numbers the
    rows when it opens the page. Every cell stays text, so 0990101 keeps its zero."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.rows: list[tuple[int, tuple[object, ...]]] = []
        self.budget = CellBudget()
        self.number = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.end_row()
            self.number += 1
            if self.number > MAX_ROWS:
                raise too_many_rows(self.where)
            self.row = []
        elif tag in ("td", "th"):
            self.end_cell()
            if self.row is None:  # a cell outside any <tr>: a row of its own
                self.handle_starttag("tr", [])
            self.cell = []
            span = dict(attrs).get("colspan") or ""
            # A merged cell covers the columns it spans; the data rows' columns stay aligned.
            self.span = min(int(span), EXCEL_COLUMNS) if span.isdigit() and int(span) else 1
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.end_cell()
        elif tag in ("tr", "table"):
            self.end_row()

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            # HTML shows a run of spaces and line breaks as one space; only <br> breaks a line.
            self.cell.append(_HTML_SPACE.sub(" ", data))

    def end_cell(self) -> None:
        if self.cell is None or self.row is None:
            return
        self.budget.take(self.span, self.where)
        self.row.extend([cell_text("".join(self.cell)), *[""] * (self.span - 1)])
        self.cell = None

    def end_row(self) -> None:
        self.end_cell()
        if self.row is not None and any(cell.strip() for cell in self.row):
            self.rows.append((self.number, tuple(self.row)))
        self.row = None


_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


class Converter:
    """Converts .xls/.ods (and look-alikes) to .xlsx with headless LibreOffice, in a temp dir."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.count = 0

    def to_xlsx(self, path: Path) -> Path:
        self.count += 1
        job = self.work / f"bestand{self.count}"
        job.mkdir()
        # Convert a copy, so LibreOffice never puts a lock file next to the original.
        source = job / f"invoer{path.suffix.casefold() or '.xls'}"
        shutil.copyfile(path, source)
        result = job / "invoer.xlsx"
        try:
            soffice = find_soffice()
        except ConversionError as e:
            raise Unreadable(
                f"dit bestandstype ({path.suffix}) moet worden omgezet, maar LibreOffice is niet "
                "geïnstalleerd.",
                "Installeer LibreOffice: make install. Of sla het bestand in Excel op als .xlsx.",
            ) from e
        converted, _ = run_batch(soffice, [(source, result)], "xlsx")
        if source not in converted or not result.exists():
            raise Unreadable(
                "het bestand kan niet worden omgezet: het is beschadigd of beveiligd met een "
                "wachtwoord.",
                RESAVE_XLSX,
            )
        return result
