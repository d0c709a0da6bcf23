"""The limits against hostile or broken input, and the checks that enforce them.

A file's size, what a workbook unpacks to (a zip bomb is refused from its table of contents,
before anything is unpacked), and the cells, rows and characters a file may bring. Each check
raises `Unreadable` with a message that names the limit and how to stay under it.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

from opp_docs.intake.tables import RESAVE_XLSX, TRIM_SHEET, Unreadable

# Limits against hostile or broken input. A cohort's export is well under 1 MB; these bounds
# leave room for a whole school's lists while a damaged or hostile file is refused within a
# second, before it can fill the memory or keep the run busy.
# Larger than this is no student list or primary-school report.
MAX_FILE_BYTES = 50 * 1024 * 1024
# What a workbook unpacks to: sheets are streamed, but the rows kept grow with it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Sheet XML packs 5 to 20 times smaller; a part that unpacks a hundred times bigger than it is
# stored is a zip bomb. Parts under a megabyte are exempt: small XML packs well too.
MAX_COMPRESSION_RATIO = 100
RATIO_EXEMPT_BYTES = 1024 * 1024
# The zip's table of contents, read whole before anything else: a workbook's is a few KB, and
# reading one of millions of entries takes minutes.
MAX_DIRECTORY_BYTES = 1024 * 1024
# Parts read whole rather than streamed (workbook, relationships): a few KB in a real workbook.
MAX_PART_BYTES = 10 * 1024 * 1024
# Rows of a sheet or lines of a CSV, and cells (rows × columns) kept per file.
MAX_ROWS = 100_000
MAX_CELLS = 2_000_000
# Excel holds at most 32,767 characters in a cell; a megabyte is no intake value but a
# quote that was never closed, or worse.
MAX_FIELD_CHARS = 1_000_000
# Excel's last column, XFD: a reference beyond it comes from a damaged file.
EXCEL_COLUMNS = 16_384


def number_text(n: int) -> str:
    """A count as Dutch text writes it: 100.000."""
    return f"{n:,}".replace(",", ".")


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_size(path: Path, fix: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise Unreadable(
            f"het bestand kan niet worden geopend ({e.strerror}).",
            "Sluit het bestand in andere programma's en probeer opnieuw.",
        ) from e
    if size > MAX_FILE_BYTES:
        raise Unreadable(
            f"het bestand is {megabytes(size)}, groter dan de grens van "
            f"{megabytes(MAX_FILE_BYTES)} voor een intakebestand.",
            fix,
        )


_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_UNPACK_FIX = (
    "Exporteer het bestand opnieuw uit de leerlingadministratie, of open het in Excel, "
    "verwijder overbodige bladen en afbeeldingen en sla het opnieuw op als .xlsx."
)


def check_archive(path: Path) -> None:
    """Refuse a zip bomb from its table of contents alone: nothing is unpacked here."""
    if _directory_size(path) > MAX_DIRECTORY_BYTES:
        raise Unreadable(
            "het bestand bestaat uit veel te veel onderdelen voor een werkmap; het is "
            "beschadigd of gemaakt om programma's te laten vastlopen.",
            _UNPACK_FIX,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise Unreadable(
            f"het bestand is beschadigd of geen geldige werkmap ({type(e).__name__}).",
            RESAVE_XLSX,
        ) from e
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise Unreadable(
            f"het bestand pakt uit tot {megabytes(unpacked)}, meer dan de grens van "
            f"{megabytes(MAX_UNPACKED_BYTES)}; het is beschadigd of gemaakt om programma's te "
            "laten vastlopen.",
            _UNPACK_FIX,
        )
    for m in members:
        if m.file_size > RATIO_EXEMPT_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(
            m.compress_size, 1
        ):
            raise Unreadable(
                f"een onderdeel van het bestand pakt uit tot "
                f"{m.file_size // max(m.compress_size, 1)} keer zijn eigen grootte "
                f"({megabytes(m.file_size)}); zo ziet een bestand eruit dat is gemaakt om "
                "programma's te laten vastlopen.",
                _UNPACK_FIX,
            )


def _directory_size(path: Path) -> int:
    """The size of a zip's central directory, from its end record (0 when there is none: the
    zip reader then finds the damage)."""
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        end = f.tell()
        start = max(0, end - _EOCD.size - 0xFFFF)
        f.seek(start)
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < _EOCD.size:
            return 0
        size = int(_EOCD.unpack_from(tail, at)[5])
        locator = at - _ZIP64_LOCATOR.size
        if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
            # ZIP64: the real size is in a second end record the locator points to.
            offset = int(_ZIP64_LOCATOR.unpack_from(tail, locator)[2])
            if offset > end - _ZIP64_EOCD.size:
                return 0
            f.seek(offset)
            record = f.read(_ZIP64_EOCD.size)
            if record[:4] == b"PK\x06\x06":
                size = max(size, int(_ZIP64_EOCD.unpack(record)[8]))
        return size


def cell_text(text: str) -> str:
    if len(text) > MAX_FIELD_CHARS:
        raise Unreadable(
            f"een cel bevat {number_text(len(text))} tekens, meer dan de grens van "
            f"{number_text(MAX_FIELD_CHARS)} (Excel zelf houdt er 32.767 in een cel).",
            "Zoek de cel met de lange tekst, kort die in en sla het bestand opnieuw op; of "
            "exporteer het opnieuw uit de leerlingadministratie.",
        )
    return text


class CellBudget:
    """Counts the cells kept for one file against MAX_CELLS."""

    def __init__(self) -> None:
        self.used = 0

    def take(self, cells: int, where: str) -> None:
        self.used += cells
        if self.used > MAX_CELLS:
            raise Unreadable(
                f"{where} heeft meer dan {number_text(MAX_CELLS)} cellen (rijen maal kolommen).",
                TRIM_SHEET,
            )


def too_many_rows(where: str) -> Unreadable:
    return Unreadable(
        f"{where} heeft meer dan {number_text(MAX_ROWS)} rijen; zoveel wordt niet gelezen.",
        TRIM_SHEET,
    )


def read_head(path: Path, size: int) -> bytes:
    """The first bytes of a file, which tell its real type whatever its extension says."""
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError as e:
        raise Unreadable(
            f"het bestand kan niet worden geopend ({e.strerror}).",
            "Sluit het bestand in andere programma's en probeer opnieuw.",
        ) from e
