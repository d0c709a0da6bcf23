"""What every loader hands on: a `Table` per sheet or file, and `Unreadable` when it cannot.

The loaders (`xlsx`, `delimited`, `legacy`) differ in what they read; from here on a sheet is
its non-empty rows, whatever the file was. The fixes that many loaders give are kept here so
that a secretary reads the same sentence for the same trouble.
"""

from __future__ import annotations

from dataclasses import dataclass

RESAVE_XLSX = "Open het in Excel en sla het opnieuw op als .xlsx (Excel-werkmap)."
TRIM_SHEET = (
    "Verwijder wat er onder en naast de lijst staat (lege of overbodige rijen en kolommen) en "
    "sla het bestand opnieuw op; of exporteer alleen de leerlingen van dit schooljaar."
)


class Unreadable(Exception):
    """Raised inside the intake when a whole file cannot be used; becomes a FileProblem."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


class NoCachedValue:
    """A formula cell whose file holds no computed value (written by a program, never opened)."""

    def __init__(self, formula: str) -> None:
        self.formula = formula

    def __str__(self) -> str:
        return self.formula


@dataclass
class Table:
    """The non-empty rows of one sheet (or CSV file): (1-based row number, cell values)."""

    file: str
    sheet: str
    rows: list[tuple[int, tuple[object, ...]]]


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
