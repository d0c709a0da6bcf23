"""Intake: read the exports in `intake/` into joined, typed `Leerling` records.

Stages: list the folder → load every file into tables (one per sheet) → find each table's
header row and map its columns to fields → parse the cells → join the rows per student.
A file that cannot be read stops the run (`IntakeFilesError`, raised before anything is
written); a cell that cannot be used becomes a `Problem` that blocks only that student.
Nothing in the intake folder is ever written, moved or deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import posixpath
import re
import shutil
import struct
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from opp_docs.config import Config
from opp_docs.errors import ConversionError, FileProblem, IntakeFilesError, IntakeFolderError
from opp_docs.intake.fields import (
    FIELDS,
    FIELDS_BY_KEY,
    Field,
    FieldType,
    HeaderMatch,
    header_index,
    header_key,
)
from opp_docs.intake.fields import match_header as _match_header
from opp_docs.intake.values import (
    ValueProblem,
    check_birth_date,
    fold,
    parse_date,
    parse_digits,
    parse_email,
    parse_geslacht,
    parse_ondersteuningsniveau,
    parse_phone,
    parse_referentieniveau,
    parse_route,
    parse_school_level,
    parse_text,
    parse_whole_number,
    parse_yes_no,
    show,
)
from opp_docs.models import IntakeResult, Leerling, Ouder, Place, Problem, Route, SchoolYear
from opp_docs.pdf.pool import convert_files, work_folder

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
CONVERTED_SUFFIXES = (".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
# The header row is looked for among the first rows that hold anything.
HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 2

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

_RESAVE_XLSX = "Open het in Excel en sla het opnieuw op als .xlsx (Excel-werkmap)."
_TRIM_SHEET = (
    "Verwijder wat er onder en naast de lijst staat (lege of overbodige rijen en kolommen) en "
    "sla het bestand opnieuw op; of exporteer alleen de leerlingen van dit schooljaar."
)
# Enough of a file's start to tell its real type: magic bytes, or the markup of a web page.
SNIFF_BYTES = 4096
_HTML_START = re.compile(
    r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|table|meta)\b",
    re.IGNORECASE | re.DOTALL,
)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


@dataclass
class SourceRow:
    """One data row, its parsed values per field key, and its cell problems."""

    place: Place
    headers: tuple[str, ...]
    raw: tuple[object, ...]
    values: dict[str, object] = field(default_factory=dict)
    # Field key → (column position, header as written).
    cells: dict[str, tuple[int, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Keys whose cell could not be used, so a missing required value is not reported twice.
    failed: set[str] = field(default_factory=set)

    @property
    def nummer(self) -> str | None:
        value = self.values.get("leerlingnummer")
        return value if isinstance(value, str) else None

    def surnames(self) -> set[str]:
        """The row's surname as matched: with its own tussenvoegsel and without (an OKR often
        leaves the tussenvoegsel out, or writes it in front: 'de Bakker')."""
        achternaam, tussenvoegsel = self.values.get("achternaam"), self.values.get("tussenvoegsel")
        if not isinstance(achternaam, str):
            return set()
        names = {_surname_key(achternaam)}
        if isinstance(tussenvoegsel, str):
            names.add(_surname_key(f"{tussenvoegsel} {achternaam}"))
        return names

    def identities(self) -> set[tuple[str, str, dt.date]]:
        """The (surname, roepnaam, birth date) keys this row can be matched on; none when one
        of the three is missing."""
        roepnaam, geboren = self.values.get("roepnaam"), self.values.get("geboortedatum")
        if not isinstance(roepnaam, str) or not isinstance(geboren, dt.date):
            return set()
        return {(surname, fold(roepnaam), geboren) for surname in self.surnames()}

    def problem(
        self,
        key: str | None,
        problem: str,
        fix: str,
        *,
        blocking: bool = True,
        value: str = "",
        at: int | None = None,
    ) -> Problem:
        """A problem about this row, pointing at the cell of `key` when it has one, or at the
        cell in column position `at`."""
        shown = tuple(show(v) for v in self.raw)
        shown += ("",) * (len(self.headers) - len(shown))
        column, header = -1, ""
        if at is not None:
            column, header, value = at, self.headers[at], shown[at]
        elif key is not None and key in self.cells:
            column, header = self.cells[key]
            value = shown[column]
        elif key is not None:
            header = FIELDS_BY_KEY[key].header
        return Problem(
            place=self.place,
            column=header,
            value=value,
            problem=problem,
            fix=fix,
            leerlingnummer=self.nummer or "",
            blocking=blocking,
            headers=self.headers,
            row_values=shown,
            column_index=column,
        )


# --- the folder ---------------------------------------------------------------------------


def is_ignored(path: Path) -> bool:
    """Lock files, hidden files, Thumbs.db, desktop.ini and README/LEESMIJ files."""
    name = path.name
    lower = name.casefold()
    return (
        name.startswith(("~", "."))
        or lower in IGNORED_NAMES
        or lower.startswith(("readme", "leesmij"))
    )


def read_intake(folder: Path, config: Config, schooljaar: SchoolYear) -> IntakeResult:
    """Read every file in `folder` into students, problems and primary-school report PDFs."""
    index = header_index(config.synoniemen, config.source)
    if not folder.is_dir():
        raise IntakeFolderError(
            folder=str(folder),
            problem="de map bestaat niet. Maak de map aan en zet de exports erin.",
        )
    tables: list[Table] = []
    pdfs: list[Path] = []
    file_problems: list[FileProblem] = []
    notes: list[str] = []
    files_read: list[str] = []
    entries = sorted(folder.iterdir(), key=lambda p: p.name.casefold())
    # Converted copies of the intake are students' data: in a work folder that a killed run's
    # successor removes.
    with work_folder() as work:
        converter = _Converter(work)
        for path in entries:
            if is_ignored(path):
                continue
            if path.is_dir():
                notes.append(
                    f"Map '{path.name}' in de intake is overgeslagen: submappen worden "
                    "niet gelezen."
                )
                continue
            try:
                if path.suffix.casefold() == ".pdf":
                    _check_pdf(path)
                    pdfs.append(path)
                else:
                    loaded = _load_file(path, converter, notes)
                    if not any(_find_header(t, index) for t in loaded):
                        raise _Unreadable(
                            "er staat geen blad in met herkenbare kolomkoppen.",
                            "Zorg voor een kopregel met kolomnamen als Leerlingnummer, "
                            "Achternaam, Roepnaam en Geboortedatum (zie 'opp-docs templates "
                            "velden').",
                        )
                    tables.extend(loaded)
                files_read.append(path.name)
            except _Unreadable as e:
                file_problems.append(FileProblem(file=path.name, problem=e.problem, fix=e.fix))
    if file_problems:
        raise IntakeFilesError(problems=file_problems)
    if not tables:
        problem = (
            "er staat geen bestand met leerlingen in (alleen PDF's of niets)."
            if pdfs
            else "er staat geen bestand in om te lezen."
        )
        raise IntakeFolderError(
            folder=str(folder),
            problem=f"{problem} Zet de exports uit de leerlingadministratie (.xlsx of .csv) "
            "in deze map.",
        )
    rows: list[SourceRow] = []
    for table in tables:
        rows.extend(_read_table(table, index, schooljaar, notes))
    leerlingen, problems = _join(rows)
    rapporten = _match_rapporten(pdfs, {lln.leerlingnummer for lln in leerlingen}, problems)
    problems.sort(key=lambda p: (p.place.file.casefold(), p.place.sheet, p.place.row))
    return IntakeResult(
        leerlingen=sorted(leerlingen, key=lambda lln: lln.sort_key),
        problems=problems,
        rapporten=rapporten,
        files_read=files_read,
        notes=notes,
    )


class _Unreadable(Exception):
    """Raised inside the reader when a whole file cannot be used; becomes a FileProblem."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


# --- loading files ------------------------------------------------------------------------


def _load_file(path: Path, converter: _Converter, notes: list[str]) -> list[Table]:
    """Tables of one file, by what the file holds more than by its extension."""
    suffix = path.suffix.casefold()
    known = SPREADSHEET_SUFFIXES + CONVERTED_SUFFIXES + TEXT_SUFFIXES
    if suffix not in known:
        raise _Unreadable(
            f"het bestandstype '{suffix or '(geen)'}' wordt niet gelezen.",
            "Zet alleen .xlsx-, .xls-, .ods-, .csv- en .pdf-bestanden in de intakemap; sla dit "
            "bestand op als .xlsx of haal het uit de map.",
        )
    _check_size(
        path,
        "Een export uit de leerlingadministratie is meestal kleiner dan 1 MB. Controleer of dit "
        "het goede bestand is; exporteer anders alleen de leerlingen van dit schooljaar, of "
        "verdeel de lijst over meer bestanden.",
    )
    head = _read_head(path, SNIFF_BYTES)
    if not head:
        raise _Unreadable("het bestand is leeg.", "Exporteer het bestand opnieuw.")
    if head.startswith(_ZIP_MAGIC):
        if suffix == ".ods":
            _check_archive(path)  # before LibreOffice unpacks it
            return _load_xlsx(converter.to_xlsx(path), path.name, notes)
        if suffix not in SPREADSHEET_SUFFIXES:
            notes.append(f"{path.name} is eigenlijk een Excel-werkmap (.xlsx) en is zo gelezen.")
        return _load_xlsx(path, path.name, notes)
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted_ooxml(path):
            raise _Unreadable(
                "het bestand is beveiligd met een wachtwoord.",
                "Open het in Excel, haal het wachtwoord weg (Bestand > Info > Werkmap beveiligen) "
                "en sla het opnieuw op.",
            )
        return _load_xlsx(converter.to_xlsx(path), path.name, notes)
    # School systems' "Excel" downloads are often a web page or text with an .xls name. Read
    # here rather than by LibreOffice, which would make the number 990101 of 0990101.
    start = _decode(head).lstrip("\ufeff \t\r\n")
    if _HTML_START.match(start):
        notes.append(
            f"{path.name} is eigenlijk een webpagina met een tabel (HTML) en is zo gelezen, elke "
            "cel als tekst."
        )
        return [_load_html(path)]
    if suffix in TEXT_SUFFIXES:
        return [_load_csv(path)]
    if suffix == ".xls" and "\x00" not in start and not start.startswith("<"):
        notes.append(
            f"{path.name} is eigenlijk een tekstbestand (zoals CSV) en is zo gelezen, elke cel "
            "als tekst."
        )
        return [_load_csv(path)]
    if suffix in CONVERTED_SUFFIXES:
        # Old .xls, and the XML spreadsheets (Excel 2003) some systems save with an .xls name.
        return _load_xlsx(converter.to_xlsx(path), path.name, notes)
    raise _Unreadable("het bestand is beschadigd: het is geen Excel-werkmap.", _RESAVE_XLSX)


def _number(n: int) -> str:
    """A count as Dutch text writes it: 100.000."""
    return f"{n:,}".replace(",", ".")


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _check_size(path: Path, fix: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise _Unreadable(
            f"het bestand kan niet worden geopend ({e.strerror}).",
            "Sluit het bestand in andere programma's en probeer opnieuw.",
        ) from e
    if size > MAX_FILE_BYTES:
        raise _Unreadable(
            f"het bestand is {_megabytes(size)}, groter dan de grens van "
            f"{_megabytes(MAX_FILE_BYTES)} voor een intakebestand.",
            fix,
        )


_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_UNPACK_FIX = (
    "Exporteer het bestand opnieuw uit de leerlingadministratie, of open het in Excel, "
    "verwijder overbodige bladen en afbeeldingen en sla het opnieuw op als .xlsx."
)


def _check_archive(path: Path) -> None:
    """Refuse a zip bomb from its table of contents alone: nothing is unpacked here."""
    if _directory_size(path) > MAX_DIRECTORY_BYTES:
        raise _Unreadable(
            "het bestand bestaat uit veel te veel onderdelen voor een werkmap; het is "
            "beschadigd of gemaakt om programma's te laten vastlopen.",
            _UNPACK_FIX,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise _Unreadable(
            f"het bestand is beschadigd of geen geldige werkmap ({type(e).__name__}).",
            _RESAVE_XLSX,
        ) from e
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _Unreadable(
            f"het bestand pakt uit tot {_megabytes(unpacked)}, meer dan de grens van "
            f"{_megabytes(MAX_UNPACKED_BYTES)}; het is beschadigd of gemaakt om programma's te "
            "laten vastlopen.",
            _UNPACK_FIX,
        )
    for m in members:
        if m.file_size > RATIO_EXEMPT_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(
            m.compress_size, 1
        ):
            raise _Unreadable(
                f"een onderdeel van het bestand pakt uit tot "
                f"{m.file_size // max(m.compress_size, 1)} keer zijn eigen grootte "
                f"({_megabytes(m.file_size)}); zo ziet een bestand eruit dat is gemaakt om "
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


def _is_encrypted_ooxml(path: Path) -> bool:
    # A password-protected .xlsx is an OLE container with an 'EncryptedPackage' stream.
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data


def _load_xlsx(path: Path, name: str, notes: list[str]) -> list[Table]:
    _check_archive(path)
    try:
        return _xlsx_tables(path, name, notes)
    except _Unreadable:
        raise
    except Exception as e:
        # openpyxl raises many kinds of errors on damaged files; all mean the same to a user.
        raise _Unreadable(
            f"het bestand is beschadigd of geen geldige Excel-werkmap ({type(e).__name__}).",
            _RESAVE_XLSX,
        ) from e


_ZERO_FORMAT = re.compile(r"^0+$")


def _local(tag: str) -> str:
    # Namespaces differ between transitional and strict OOXML; the local name is what counts.
    return tag.rpartition("}")[2]


def _attr(element: ET.Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (r:id, for instance)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _has_part(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        archive.getinfo(name)
    except KeyError:
        return False
    return True


def _part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A small part read whole; the big ones (sheets, strings, styles) are streamed."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise _Unreadable(
            f"het bestand is beschadigd: onderdeel {name} is {_megabytes(info.file_size)}, "
            "waar een werkmap een paar KB heeft.",
            _RESAVE_XLSX,
        )
    return archive.read(info)


def _stream(archive: zipfile.ZipFile, name: str, depth: int) -> Iterator[tuple[str, ET.Element]]:
    """(event, element) of a part, start and end, parsed as it is unpacked. An element `depth`
    levels below the root leaves the tree once its end is handled, so however big the part,
    the tree stays small."""
    with archive.open(name) as source:
        path: list[ET.Element] = []
        for event, element in ET.iterparse(source, events=("start", "end")):
            yield event, element
            if event == "start":
                path.append(element)
                continue
            path.pop()
            if len(path) == depth:
                path[-1].remove(element)


def _relationships(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, part name), the part resolved against the folder `base`."""
    data = _part(archive, rels)
    if data is None:
        return {}
    return {
        element.get("Id", ""): (
            element.get("Type", "").rpartition("/")[2],
            _resolve(base, element.get("Target", "")),
        )
        for element in ET.fromstring(data)
    }


@dataclass
class _Book:
    """What a workbook's parts say about its sheets, strings and number formats."""

    sheets: list[tuple[str, str, str]]  # (title, state, part name)
    shared: list[str]
    formats: list[str]  # number format code per cell style index
    epoch: dt.datetime


def _read_book(archive: zipfile.ZipFile) -> _Book:
    root_rels = _relationships(archive, "_rels/.rels", "")
    workbook_part = next(
        (part for kind, part in root_rels.values() if kind == "officeDocument"),
        "xl/workbook.xml",
    )
    base = posixpath.dirname(workbook_part)
    data = _part(archive, workbook_part)
    if data is None:
        raise _Unreadable("het bestand is beschadigd: de werkmap ontbreekt erin.", _RESAVE_XLSX)
    workbook = ET.fromstring(data)
    rels = _relationships(
        archive, posixpath.join(base, "_rels", posixpath.basename(workbook_part) + ".rels"), base
    )
    epoch = CALENDAR_WINDOWS_1900
    sheets: list[tuple[str, str, str]] = []
    for element in workbook.iter():
        tag = _local(element.tag)
        if tag == "workbookPr" and element.get("date1904", "") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        elif tag == "sheet":
            target = rels.get(_attr(element, "id") or "", ("", ""))[1]
            sheets.append((element.get("name", ""), element.get("state", "visible"), target))
    by_type = {kind: part for kind, part in rels.values()}
    return _Book(
        sheets=sheets,
        shared=_shared_strings(
            archive, by_type.get("sharedStrings", posixpath.join(base, "sharedStrings.xml"))
        ),
        formats=_cell_formats(archive, by_type.get("styles", posixpath.join(base, "styles.xml"))),
        epoch=epoch,
    )


def _resolve(base: str, target: str) -> str:
    if not target:
        return ""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    if not name or not _has_part(archive, name):
        return []
    strings: list[str] = []
    for event, item in _stream(archive, name, depth=1):
        if event != "end" or _local(item.tag) != "si":
            continue
        # Text runs (<t>, <r><t>) count; phonetic hints (<rPh>) do not.
        parts = [
            t.text or ""
            for child in item
            if _local(child.tag) in ("t", "r")
            for t in ([child] if _local(child.tag) == "t" else child)
            if _local(t.tag) == "t"
        ]
        strings.append(_field("".join(parts)))
        if len(strings) > MAX_CELLS:
            raise _Unreadable(
                f"het bestand heeft meer dan {_number(MAX_CELLS)} verschillende teksten.",
                _TRIM_SHEET,
            )
    return strings


def _field(text: str) -> str:
    if len(text) > MAX_FIELD_CHARS:
        raise _Unreadable(
            f"een cel bevat {_number(len(text))} tekens, meer dan de grens van "
            f"{_number(MAX_FIELD_CHARS)} (Excel zelf houdt er 32.767 in een cel).",
            "Zoek de cel met de lange tekst, kort die in en sla het bestand opnieuw op; of "
            "exporteer het opnieuw uit de leerlingadministratie.",
        )
    return text


def _cell_formats(archive: zipfile.ZipFile, name: str) -> list[str]:
    if not name or not _has_part(archive, name):
        return []
    custom: dict[int, str] = {}
    formats: list[str] = []
    section = ""
    for event, element in _stream(archive, name, depth=2):
        tag = _local(element.tag)
        if tag in ("numFmts", "cellXfs", "cellStyleXfs", "dxfs"):
            section = tag if event == "start" else ""
        elif event == "end" and section == "numFmts" and tag == "numFmt":
            custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        elif event == "end" and section == "cellXfs" and tag == "xf":
            ident = int(element.get("numFmtId", "0"))
            formats.append(custom.get(ident) or BUILTIN_FORMATS.get(ident, "General"))
    return formats


_REFERENCE = re.compile(r"([A-Za-z]+)(\d*)")


def _column_index(reference: str) -> int:
    """0-based column of a cell reference like 'AB12'."""
    match = _REFERENCE.match(reference)
    letters = match.group(1).upper() if match else ""
    index = 0
    for ch in letters[:4]:  # XFD has three letters; four are too many already
        index = index * 26 + (ord(ch) - 64)
    if not 1 <= index <= EXCEL_COLUMNS:
        raise _outside_columns()
    return index - 1


def _outside_columns() -> _Unreadable:
    return _Unreadable(
        "het bestand is beschadigd: er staat een cel buiten de kolommen A tot en met XFD die "
        "Excel kent.",
        _RESAVE_XLSX,
    )


def _row_number(digits: str) -> int:
    # A row number too long to be real counts as too big, without turning it into an int.
    return int(digits) if len(digits) <= 9 else 10**9


class _Styles:
    """Which cell styles show a date or a zero-padded number; worked out once per style used,
    so a workbook with a huge style table costs nothing for the styles it never uses."""

    def __init__(self, formats: list[str]) -> None:
        self.formats = formats
        self.known: dict[int, tuple[bool, int]] = {}

    def kind(self, index: int) -> tuple[bool, int]:
        """(shows a date, width of the zero padding or 0)."""
        found = self.known.get(index)
        if found is None:
            code = self.formats[index] if 0 <= index < len(self.formats) else "General"
            zeros = len(code) if _ZERO_FORMAT.match(code) else 0
            found = self.known[index] = (is_date_format(code), zeros)
        return found


class _CellBudget:
    """Counts the cells kept for one file against MAX_CELLS."""

    def __init__(self) -> None:
        self.used = 0

    def take(self, cells: int, where: str) -> None:
        self.used += cells
        if self.used > MAX_CELLS:
            raise _Unreadable(
                f"{where} heeft meer dan {_number(MAX_CELLS)} cellen (rijen maal kolommen).",
                _TRIM_SHEET,
            )


def _check_dimension(reference: str, where: str) -> None:
    """Refuse a sheet whose own size ('A1:XFD1048576') is absurd, before reading a row."""
    last = reference.rpartition(":")[2]
    match = _REFERENCE.fullmatch(last.replace("$", ""))
    if match and match.group(2) and _row_number(match.group(2)) > MAX_ROWS:
        raise _Unreadable(
            f"{where} is volgens het bestand zelf {_number(_row_number(match.group(2)))} rijen "
            f"groot; meer dan {_number(MAX_ROWS)} rijen wordt niet gelezen.",
            _TRIM_SHEET,
        )


def _too_many_rows(where: str) -> _Unreadable:
    return _Unreadable(
        f"{where} heeft meer dan {_number(MAX_ROWS)} rijen; zoveel wordt niet gelezen.",
        _TRIM_SHEET,
    )


def _sheet_rows(
    archive: zipfile.ZipFile, part: str, book: _Book, where: str, budget: _CellBudget
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The non-empty rows of a sheet part, streamed: (row number, values)."""
    styles = _Styles(book.formats)
    number = seen = 0
    with archive.open(part) as source:
        cells: dict[int, object] = {}
        column = -1
        for _, element in ET.iterparse(source, events=("end",)):
            tag = element.tag
            if tag[-2:] == "}c" or tag == "c":
                reference = element.get("r")
                column = _column_index(reference) if reference else column + 1
                if column >= EXCEL_COLUMNS:
                    raise _outside_columns()
                value = _cell(element, book, styles)
                if value is not None:
                    cells[column] = value
                element.clear()
            elif tag[-4:] == "}row" or tag == "row":
                given = element.get("r")
                seen += 1
                if given and given.isascii() and given.isdigit():
                    number = _row_number(given)
                else:
                    number += 1
                if max(number, seen) > MAX_ROWS:
                    raise _too_many_rows(where)
                if any(not isinstance(v, str) or v.strip() for v in cells.values()):
                    width = max(cells) + 1
                    budget.take(width, where)
                    yield number, tuple(cells.get(i) for i in range(width))
                cells, column = {}, -1
                element.clear()
            elif tag[-10:] == "}dimension" or tag == "dimension":
                _check_dimension(element.get("ref", ""), where)


def _cell(element: ET.Element, book: _Book, styles: _Styles) -> object:
    kind = element.get("t", "n")
    text: str | None = None
    formula: str | None = None
    inline: list[str] = []
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag == "v":
            text = child.text
        elif tag == "f":
            formula = child.text or ""
        elif tag == "is":
            inline.extend(t.text or "" for t in child.iter() if _local(t.tag) == "t")
    if kind == "inlineStr":
        return _field("".join(inline))
    if text is None or (text == "" and formula is not None):
        return NoCachedValue(f"={formula}") if formula is not None else None
    if kind == "s":
        return book.shared[int(text)]
    if kind in ("str", "e"):
        return _field(text)
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        return dt.datetime.fromisoformat(text.rstrip("Z"))
    number: float = float(text)
    if number.is_integer() and abs(number) < 2**53:
        number = int(number)
    is_date, zeros = styles.kind(int(element.get("s", "0")))
    if is_date:
        try:
            return from_excel(number, book.epoch)
        except (OverflowError, ValueError):
            # Beyond Excel's calendar (20140103 typed into a date cell, shown as ####): one bad
            # cell for the date parser to name, not a broken file.
            return number
    if zeros and isinstance(number, int) and number >= 0:
        # A number shown with leading zeros (format '000000'): keep what the secretary sees.
        return str(number).zfill(zeros)
    return number


def _xlsx_tables(path: Path, name: str, notes: list[str]) -> list[Table]:
    tables: list[Table] = []
    budget = _CellBudget()
    with zipfile.ZipFile(path) as archive:
        book = _read_book(archive)
        for title, state, part in book.sheets:
            if state != "visible":
                notes.append(f"{name}: verborgen blad '{title}' is overgeslagen.")
                continue
            if not _has_part(archive, part):
                continue  # a chart sheet or a dangling reference: nothing to read
            rows = _sheet_rows(archive, part, book, f"blad '{title}'", budget)
            tables.append(Table(name, title, list(rows)))
    if not any(t.rows for t in tables):
        raise _Unreadable(
            "het bestand is leeg: er staan geen gegevens in.",
            "Exporteer het bestand opnieuw uit de leerlingadministratie.",
        )
    return tables


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export.
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; Latin-1 takes them instead of failing.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


_DELIMITERS = (";", ",", "\t")
_NONCHARACTERS = {0xFFFE: None, 0xFFFF: None}


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits most records into the same, largest number of fields."""
    sample = text[: 64 * 1024]
    best, best_score = ";", (0, 0)
    for delimiter in _DELIMITERS:
        counts: dict[int, int] = {}
        try:
            for i, record in enumerate(
                csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            ):
                if i >= 50:
                    break
                if any(cell.strip() for cell in record):
                    counts[len(record)] = counts.get(len(record), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        width, often = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (width if width > 1 else 0, often)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_text(path: Path) -> str:
    # U+FFFE and U+FFFF are no characters: no spreadsheet writes them and no XML file (the
    # intake report, a Word document) can hold them.
    return _decode(path.read_bytes()).translate(_NONCHARACTERS)


def _load_csv(path: Path) -> Table:
    text = _read_text(path)
    if "\x00" in text:
        raise _Unreadable(
            "het bestand is geen tekstbestand (CSV), maar heeft wel die extensie.",
            "Exporteer de lijst opnieuw als CSV of als .xlsx.",
        )
    text = text.removeprefix("\ufeff")
    first_line, _, rest = text.partition("\n")
    delimiter = ""
    # Excel writes 'sep=;' as the first line when asked to fix the separator.
    sep = re.fullmatch(r'"?sep=(.)"?\r?', first_line.strip("\r"), flags=re.IGNORECASE)
    offset = 0
    if sep:
        delimiter, text, offset = sep.group(1), rest, 1
    if not text.strip():
        raise _Unreadable("het bestand is leeg.", "Exporteer het bestand opnieuw.")
    delimiter = delimiter or _sniff_delimiter(text)
    # Counted before parsing, so one line of millions of separators never becomes a list.
    if text.count(delimiter) > MAX_CELLS:
        raise _Unreadable(
            f"het bestand heeft meer dan {_number(MAX_CELLS)} velden (regels maal kolommen).",
            _TRIM_SHEET,
        )
    rows: list[tuple[int, tuple[object, ...]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ended = 0  # the line the last record ended on; a field may span lines
    try:
        with _csv_field_limit(MAX_FIELD_CHARS):
            for number, record in enumerate(reader, start=1 + offset):
                if number > MAX_ROWS:
                    raise _Unreadable(
                        f"het bestand heeft meer dan {_number(MAX_ROWS)} regels; zoveel wordt "
                        "niet gelezen.",
                        _TRIM_SHEET,
                    )
                if any(cell.strip() for cell in record):
                    rows.append((number, tuple(record)))
                ended = reader.line_num
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            raise _Unreadable(
                f"vanaf regel {ended + 1 + offset} staat een veld van meer dan "
                f'{_number(MAX_FIELD_CHARS)} tekens. Meestal is daar een aanhalingsteken (") '
                "geopend en nooit gesloten.",
                "Open het bestand in Excel, controleer de aanhalingstekens rond die regel en sla "
                "het opnieuw op als CSV (puntkomma-gescheiden) of .xlsx.",
            ) from e
        raise _Unreadable(
            f"het CSV-bestand is beschadigd ({e}).",
            "Open het in Excel en sla het opnieuw op als CSV (puntkomma-gescheiden) of .xlsx.",
        ) from e
    return Table(path.name, "", rows)


def _load_html(path: Path) -> Table:
    page = _HtmlRows(path.name)
    page.feed(_read_text(path))
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
        self.budget = _CellBudget()
        self.number = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.end_row()
            self.number += 1
            if self.number > MAX_ROWS:
                raise _too_many_rows(self.where)
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
        self.row.extend([_field("".join(self.cell)), *[""] * (self.span - 1)])
        self.cell = None

    def end_row(self) -> None:
        self.end_cell()
        if self.row is not None and any(cell.strip() for cell in self.row):
            self.rows.append((self.number, tuple(self.row)))
        self.row = None


_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    # The csv module's limit is process-wide (default 128 K characters); raised for this read
    # only, so an OKR text of a few pages fits and a runaway quote still stops.
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _read_head(path: Path, size: int) -> bytes:
    """The first bytes of a file, which tell its real type whatever its extension says."""
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError as e:
        raise _Unreadable(
            f"het bestand kan niet worden geopend ({e.strerror}).",
            "Sluit het bestand in andere programma's en probeer opnieuw.",
        ) from e


def _check_pdf(path: Path) -> None:
    _check_size(
        path,
        "Vraag de basisschool het rapport kleiner op te slaan, bijvoorbeeld via 'Afdrukken als "
        "PDF' of met een lagere scankwaliteit.",
    )
    head = _read_head(path, 1024)
    if b"%PDF-" not in head:
        raise _Unreadable(
            "het bestand is geen geldige PDF.",
            "Vraag de basisschool het rapport opnieuw te sturen, of sla het opnieuw op als PDF.",
        )
    if _pdf_encrypted(path):
        raise _Unreadable(
            "de PDF is beveiligd met een wachtwoord.",
            "Sla de PDF op zonder wachtwoord (bijvoorbeeld via 'Afdrukken als "
            "PDF') en zet die in de intakemap.",
        )


def _pdf_encrypted(path: Path) -> bool:
    from pypdf import PdfReader  # only needed when PDFs are present

    try:
        return bool(PdfReader(path, strict=False).is_encrypted)
    except Exception as e:
        # pypdf's errors on damaged files vary; any of them means the PDF cannot be appended.
        raise _Unreadable(
            f"de PDF is beschadigd ({type(e).__name__}).",
            "Vraag de basisschool het rapport opnieuw te sturen.",
        ) from e


class _Converter:
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
            converted = convert_files([source], [result], fmt="xlsx", workers=1)
        except ConversionError as e:
            raise _Unreadable(
                f"dit bestandstype ({path.suffix}) moet worden omgezet, maar LibreOffice is niet "
                "geïnstalleerd.",
                "Installeer LibreOffice: make install. Of sla het bestand in Excel op als .xlsx.",
            ) from e
        if source not in converted.converted or not result.exists():
            raise _Unreadable(
                "het bestand kan niet worden omgezet: het is beschadigd of beveiligd met een "
                "wachtwoord.",
                _RESAVE_XLSX,
            )
        return result


# --- header and rows ----------------------------------------------------------------------


@dataclass
class _Header:
    # Position of the header row in `Table.rows` (not its row number).
    position: int
    texts: tuple[str, ...]
    columns: dict[int, Field]
    unknown: list[str]
    ignored: list[str]
    # The long form's (Onderdeel, Waarde) columns: each row names its field in the first.
    pair: tuple[int, int] | None = None

    @property
    def read(self) -> list[int]:
        """The columns whose cells are read."""
        return [*self.columns, *(self.pair or ())]


# Headers of the long form, one row per student and factor, as some OKR tools export it.
_PART_HEADERS = frozenset(header_key(h) for h in ("Onderdeel", "Kenmerk", "Veld", "Rubriek"))
_VALUE_HEADERS = frozenset(header_key(h) for h in ("Waarde", "Antwoord", "Inhoud"))


def _long_pair(values: tuple[object, ...]) -> tuple[int, int] | None:
    keys = [header_key(v) if isinstance(v, str) else "" for v in values]
    part = next((i for i, k in enumerate(keys) if k in _PART_HEADERS), None)
    value = next((i for i, k in enumerate(keys) if k in _VALUE_HEADERS), None)
    return None if part is None or value is None else (part, value)


def _find_header(table: Table, index: dict[str, HeaderMatch]) -> _Header | None:
    """The row among the first ones that names the most fields (at least two); the long
    form's Onderdeel and Waarde count as two, so its header beats a data row that happens to
    hold two field names."""
    best: tuple[int, int] | None = None
    for position, (_, values) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found = {
            m.field.key
            for v in values
            if isinstance(v, str) and (m := _match_header(index, v)) is not None
        }
        score = len(found) + (2 if _long_pair(values) else 0)
        if score >= MIN_HEADER_FIELDS and (best is None or score > best[1]):
            best = (position, score)
    if best is None:
        return None
    values = table.rows[best[0]][1]
    texts = tuple(" ".join(show(v).split()) for v in values)
    pair = _long_pair(values)
    columns: dict[int, Field] = {}
    canonical: dict[str, bool] = {}
    unknown: list[str] = []
    ignored: list[str] = []
    for i, text in enumerate(texts):
        if pair and i in pair:
            continue
        match = _match_header(index, text)
        if match is None:
            if text:
                unknown.append(text)
            continue
        key = match.field.key
        if key in canonical and (canonical[key] or not match.canonical):
            ignored.append(text)
            continue
        if key in canonical:
            old = next(c for c, f in columns.items() if f.key == key)
            ignored.append(texts[old])
            del columns[old]
        columns[i] = match.field
        canonical[key] = match.canonical
    return _Header(best[0], texts, columns, unknown, ignored, pair)


_FOOTER = re.compile(r"^(totaal|aantal|gemaakt op|afgedrukt|pagina|datum export)\b", re.I)


def _read_table(
    table: Table, index: dict[str, HeaderMatch], schooljaar: SchoolYear, notes: list[str]
) -> list[SourceRow]:
    where = f"{table.file}, blad '{table.sheet}'" if table.sheet else table.file
    header = _find_header(table, index)
    if header is None:
        notes.append(f"{where}: overgeslagen, geen kopregel met bekende kolomnamen gevonden.")
        return []
    if header.unknown:
        notes.append(
            f"{where}: onbekende kolommen genegeerd: "
            + ", ".join(f"'{u}'" for u in header.unknown)
            + "."
        )
    if header.ignored:
        notes.append(
            f"{where}: dubbele kolommen genegeerd: "
            + ", ".join(f"'{u}'" for u in header.ignored)
            + "."
        )
    if header.pair:
        part, value = (header.texts[i] for i in header.pair)
        notes.append(
            f"{where}: in de lange vorm gelezen (per rij een onderdeel in kolom '{part}' met "
            f"zijn waarde in kolom '{value}')."
        )
    read = header.read
    header_texts = {header.texts[i] for i in read}
    rows: list[SourceRow] = []
    for number, values in table.rows[header.position + 1 :]:
        mapped = [values[i] for i in read if i < len(values) and not _blank(values[i])]
        if not mapped:
            continue
        repeated = sum(1 for v in mapped if isinstance(v, str) and v.strip() in header_texts)
        if repeated * 2 >= len(header_texts):
            continue  # the header repeated, as page-wise exports do
        filled = [v for v in values if not _blank(v)] if len(mapped) == 1 else mapped
        if len(filled) == 1 and isinstance(filled[0], str) and _FOOTER.match(filled[0].strip()):
            notes.append(
                f"{where}, rij {number}: '{filled[0].strip()}' overgeslagen (geen leerlingregel)."
            )
            continue
        rows.append(_parse_row(table, number, values, header, index, schooljaar))
    return rows


def _parser(f: Field) -> Callable[[object], object]:
    parsers: dict[FieldType, Callable[[object], object]] = {
        FieldType.TEXT: lambda v: parse_text(v) or None,
        FieldType.DIGITS: lambda v: parse_digits(v, f.noun),
        FieldType.DATE: lambda v: parse_date(v, f.noun),
        FieldType.YES_NO: lambda v: parse_yes_no(v, f.noun),
        FieldType.SCHOOL_LEVEL: lambda v: parse_school_level(v, f.noun),
        FieldType.GESLACHT: parse_geslacht,
        FieldType.EMAIL: lambda v: parse_email(v, f.noun),
        FieldType.PHONE: lambda v: parse_phone(v, f.noun),
        FieldType.REFERENTIENIVEAU: lambda v: parse_referentieniveau(v, f.noun),
        FieldType.ONDERSTEUNINGSNIVEAU: parse_ondersteuningsniveau,
        FieldType.WHOLE_NUMBER: lambda v: parse_whole_number(v, f.noun),
        FieldType.ROUTE: parse_route,
    }
    return parsers[f.type]


_PARSERS: dict[str, Callable[[object], object]] = {f.key: _parser(f) for f in FIELDS}


def _parse_row(
    table: Table,
    number: int,
    values: tuple[object, ...],
    header: _Header,
    index: dict[str, HeaderMatch],
    schooljaar: SchoolYear,
) -> SourceRow:
    width = max(len(header.texts), len(values))
    headers = header.texts + ("",) * (width - len(header.texts))
    row = SourceRow(Place(table.file, table.sheet, number), headers, values)
    failed: list[tuple[str, ValueProblem]] = []
    # A cell of no field (the long form's Onderdeel) that keeps its row's value from being read.
    refused: list[tuple[int, ValueProblem]] = []
    cells = list(header.columns.items())
    if header.pair:
        part_at, value_at = header.pair
        try:
            found = _long_field(values, part_at, value_at, header, index)
        except ValueProblem as problem:
            refused.append((part_at, problem))
        else:
            if found is not None:
                cells.append((value_at, found))
    for i, f in cells:
        raw = values[i] if i < len(values) else None
        row.cells[f.key] = (i, header.texts[i])
        if isinstance(raw, NoCachedValue):
            failed.append(
                (
                    f.key,
                    ValueProblem(
                        f"De formule {raw.formula} heeft geen berekende waarde in het bestand.",
                        "Open het bestand in Excel of LibreOffice, sla het op en zet het "
                        "opnieuw in de intakemap; of typ de waarde zelf in.",
                    ),
                )
            )
            continue
        try:
            value = _PARSERS[f.key](raw)
            if f.key == "geboortedatum" and isinstance(value, dt.date):
                check_birth_date(value, schooljaar.first_day)
        except ValueProblem as problem:
            failed.append((f.key, problem))
            continue
        if value is not None:
            row.values[f.key] = value
    # Problems are made after the number is known, so they carry it.
    for key, bad in failed:
        row.problems.append(row.problem(key, bad.problem, bad.fix))
        row.failed.add(key)
    for at, bad in refused:
        row.problems.append(row.problem(None, bad.problem, bad.fix, at=at))
    return row


def _long_field(
    values: tuple[object, ...],
    part: int,
    value: int,
    header: _Header,
    index: dict[str, HeaderMatch],
) -> Field | None:
    """The field a long-form row names in its Onderdeel cell (column `part`), found like a
    column header; None when its Waarde cell (column `value`) is empty."""
    given = values[value] if value < len(values) else None
    if _blank(given):
        return None
    part_header, value_header = header.texts[part], header.texts[value]
    name = parse_text(values[part] if part < len(values) else None)
    if not name:
        raise ValueProblem(
            f"Bij de waarde '{parse_text(given)}' staat niet bij welk onderdeel hij hoort.",
            f"Vul in kolom '{part_header}' de naam van het veld in, zoals 'Werkhouding'.",
        )
    match = _match_header(index, name)
    if match is None:
        raise ValueProblem(
            f"{part_header} '{name}' is geen veld van de intake; de waarde in kolom "
            f"'{value_header}' is niet gelezen.",
            f"Gebruik in kolom '{part_header}' de naam van een veld, zoals "
            "'Ondersteuningsniveau' of 'Werkhouding' (zie 'opp-docs templates velden'), of voeg "
            f"'{name}' als kolomnaam toe in de instellingen onder [kolommen].",
        )
    column = next((i for i, f in header.columns.items() if f.key == match.field.key), None)
    if column is not None:
        raise ValueProblem(
            f"{part_header} '{name}' staat ook als eigen kolom '{header.texts[column]}' in deze "
            "rij.",
            f"Zet de waarde alleen in kolom '{header.texts[column]}'.",
        )
    return match.field


# --- joining ------------------------------------------------------------------------------

_IDENTITY = ("achternaam", "roepnaam", "geboortedatum")
# Name particles that lists sorted on surname write after it: 'Bakker, de', 'Berg van den'.
_TUSSENVOEGSELS = frozenset(
    {"de", "den", "der", "des", "van", "het", "'t", "te", "ten", "ter", "in", "op", "aan", "bij",
     "uit", "voor", "'s", "la", "le", "du", "da", "di", "del", "dos", "von", "zu", "el", "al"}
)  # fmt: skip
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u00b4`", "'"))


def _surname_key(name: str) -> str:
    """A surname for matching: case, accents and spacing folded, the tussenvoegsel in front
    whichever order it was written in ('Bakker, de' and 'Bakker de' → 'de bakker')."""
    before, _, after = fold(name.translate(_APOSTROPHES)).partition(",")
    words, particles = before.split(), after.split()
    while len(words) > 1 and words[-1] in _TUSSENVOEGSELS:
        particles.insert(0, words.pop())
    return " ".join(particles + words)


def _same(a: object, b: object) -> bool:
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(fold(a).split()) == " ".join(fold(b).split())
    return a == b


def _shown_value(value: object) -> str:
    return show(value) if not isinstance(value, Route) else value.value


def _join(rows: list[SourceRow]) -> tuple[list[Leerling], list[Problem]]:
    problems: list[Problem] = []
    groups: dict[str, list[SourceRow]] = {}
    without: list[SourceRow] = []
    for row in rows:
        if row.nummer is not None:
            groups.setdefault(row.nummer, []).append(row)
        else:
            without.append(row)
    by_identity: dict[tuple[str, str, dt.date], set[str]] = {}
    for nummer, group in groups.items():
        for row in group:
            for identity in row.identities():
                by_identity.setdefault(identity, set()).add(nummer)
    for row in without:
        identities = row.identities()
        matches = sorted({n for i in identities for n in by_identity.get(i, ())})
        if len(matches) == 1:
            row.values["leerlingnummer"] = matches[0]
            groups[matches[0]].append(row)
            problems.append(
                row.problem(
                    "leerlingnummer",
                    f"Deze rij heeft geen leerlingnummer en is op naam en geboortedatum gekoppeld "
                    f"aan leerling {matches[0]}.",
                    "Controleer of dat klopt; vul anders het leerlingnummer in.",
                    blocking=False,
                )
            )
            row.problems = [replace(p, leerlingnummer=matches[0]) for p in row.problems]
        elif len(matches) > 1:
            problems.append(
                row.problem(
                    "leerlingnummer",
                    "Deze rij heeft geen leerlingnummer en naam en geboortedatum passen bij meer "
                    f"dan één leerling ({', '.join(matches)}).",
                    "Vul het leerlingnummer in.",
                )
            )
            problems.extend(row.problems)
        else:
            what = (
                "er is geen aangemelde leerling met deze naam en geboortedatum"
                if identities
                else "naam en geboortedatum zijn niet compleet om op te koppelen"
            )
            problems.append(
                row.problem(
                    "leerlingnummer",
                    f"Deze rij heeft geen (geldig) leerlingnummer en {what}.",
                    "Vul het leerlingnummer in zoals het in de leerlingadministratie staat.",
                )
            )
            problems.extend(row.problems)
    leerlingen: list[Leerling] = []
    for nummer, group in groups.items():
        for row in group:
            problems.extend(row.problems)
        leerling = _merge(nummer, group, problems)
        if leerling is not None:
            leerlingen.append(leerling)
    return leerlingen, problems


def _merge(nummer: str, group: list[SourceRow], problems: list[Problem]) -> Leerling | None:
    registered = [r for r in group if "achternaam" in r.values or "roepnaam" in r.values]
    if not registered:
        for row in group:
            problems.append(
                row.problem(
                    "leerlingnummer",
                    f"Leerling {nummer} staat in geen enkele aanmeldlijst (geen naam gevonden).",
                    "Controleer het leerlingnummer, of zet de aanmelding van deze leerling in de "
                    "intakemap.",
                )
            )
        return None
    failed_keys = {key for row in group for key in row.failed}
    merged: dict[str, object] = {}
    first: dict[str, SourceRow] = {}
    for row in group:
        for key, value in row.values.items():
            if key not in merged:
                merged[key], first[key] = value, row
                continue
            if _agree(key, row, first[key]):
                if (
                    key == "achternaam"
                    and "tussenvoegsel" in row.values
                    and "tussenvoegsel" not in first[key].values
                ):
                    # The surname of a row that splits off its tussenvoegsel, so that the
                    # letters do not write it twice ('de de Bakker').
                    merged[key], first[key] = value, row
                continue
            other = first[key]
            problems.append(_conflict(nummer, key, row, value, other, merged[key]))
            problems.append(_conflict(nummer, key, other, merged[key], row, value))
    anchor = registered[0]
    for f in FIELDS:
        if (
            f.required
            and f.key != "leerlingnummer"
            and f.key not in merged
            and f.key not in failed_keys
        ):
            problems.append(
                anchor.problem(
                    f.key,
                    f"{f.noun[0].upper()}{f.noun[1:]} van leerling {nummer} ontbreekt.",
                    f"Vul {f.noun} in, in kolom '{f.header}'.",
                )
            )
    return _leerling(nummer, merged, [r.place for r in group])


def _agree(key: str, a: SourceRow, b: SourceRow) -> bool:
    """Whether two rows give one value for `key`; 'de Bakker' is 'Bakker' with 'de'."""
    if _same(a.values[key], b.values[key]):
        return True
    return key == "achternaam" and bool(a.surnames() & b.surnames())


def _names_differ(a: SourceRow, b: SourceRow) -> bool:
    """Whether two rows name different children; a row without a name names no other child."""
    return any(
        key in a.values and key in b.values and not _agree(key, a, b)
        for key in ("achternaam", "roepnaam")
    )


def _conflict(
    nummer: str, key: str, here: SourceRow, value: object, there: SourceRow, other: object
) -> Problem:
    """One side of a conflict, naming the other side's place and value."""
    both = f"hier '{_shown_value(value)}', in {there.place} '{_shown_value(other)}'"
    if key == "geboortedatum" and not _names_differ(here, there):
        # Same number, same name: one child, and one of the two files is wrong.
        return here.problem(
            key,
            f"De twee bestanden geven leerling {nummer} (zelfde nummer en naam) een andere "
            f"geboortedatum: {both}.",
            "Zoek uit welke geboortedatum klopt en verbeter de verkeerde in het bestand of in de "
            "administratie waar het vandaan komt.",
        )
    if key in _IDENTITY:
        return here.problem(
            key,
            f"Leerlingnummer {nummer} wordt voor twee verschillende kinderen gebruikt: {both}.",
            "Zoek uit welk kind dit nummer heeft en verbeter het nummer van het andere kind.",
        )
    return here.problem(
        key,
        f"Twee verschillende waarden voor {FIELDS_BY_KEY[key].noun}: {both}.",
        "Maak de waarden in beide bestanden gelijk, of maak er één leeg.",
    )


def _leerling(nummer: str, values: dict[str, object], places: list[Place]) -> Leerling:
    def text(key: str) -> str:
        value = values.get(key)
        return value if isinstance(value, str) else ""

    def yes(key: str) -> bool:
        return values.get(key) is True

    def date(key: str) -> dt.date | None:
        value = values.get(key)
        return value if isinstance(value, dt.date) else None

    ouders = [
        Ouder(
            naam=text(f"ouder{n}_naam"),
            email=text(f"ouder{n}_email"),
            telefoon=text(f"ouder{n}_telefoon"),
        )
        for n in (1, 2)
        if text(f"ouder{n}_naam")
    ]
    rt = values.get("rt_momenten")
    route = values.get("route")
    return Leerling(
        leerlingnummer=nummer,
        achternaam=text("achternaam"),
        roepnaam=text("roepnaam"),
        geboortedatum=date("geboortedatum"),
        tussenvoegsel=text("tussenvoegsel"),
        geslacht=text("geslacht"),
        basisschool=text("basisschool"),
        schooladvies=text("schooladvies"),
        klas=text("klas"),
        tutor=text("tutor"),
        lwoo=yes("lwoo"),
        pro=yes("pro"),
        opp_po=yes("opp_po"),
        dyslexie=yes("dyslexie"),
        dyscalculie=yes("dyscalculie"),
        ouders=ouders,
        aanmelddatum=date("aanmelddatum"),
        toets_lezen=text("toets_lezen"),
        toets_taalverzorging=text("toets_taalverzorging"),
        toets_rekenen=text("toets_rekenen"),
        ondersteuningsbehoefte=text("ondersteuningsbehoefte"),
        bevorderende_factoren=text("bevorderende_factoren"),
        belemmerende_factoren=text("belemmerende_factoren"),
        sociaal_emotioneel=text("sociaal_emotioneel"),
        werkhouding=text("werkhouding"),
        thuissituatie=text("thuissituatie"),
        hulpverlening=text("hulpverlening"),
        ondersteuningsniveau=text("ondersteuningsniveau"),
        rt_momenten=rt if isinstance(rt, int) else None,
        zorg_gedrag=yes("zorg_gedrag"),
        tlv_mogelijk=yes("tlv_mogelijk"),
        risico_vo=yes("risico_vo"),
        signaaldatum=date("signaaldatum"),
        route_besluit=route if isinstance(route, Route) else None,
        places=places,
    )


# --- primary-school reports ---------------------------------------------------------------

_NUMBER_IN_NAME = re.compile(r"(?<!\d)\d{3,}(?!\d)")


def _match_rapporten(
    pdfs: list[Path], known: set[str], problems: list[Problem]
) -> dict[str, list[Path]]:
    rapporten: dict[str, list[Path]] = {}
    for pdf in pdfs:
        numbers = _NUMBER_IN_NAME.findall(pdf.stem)
        found = sorted({n for n in numbers if n in known})
        place = Place(pdf.name, "", 0)
        if len(found) == 1:
            rapporten.setdefault(found[0], []).append(pdf)
            continue
        if len(found) > 1:
            problem = (
                f"De naam van de PDF past bij meer dan één leerling "
                f"({', '.join(found)}); hij is niet toegevoegd."
            )
        elif numbers:
            problem = (
                f"Er is geen leerling met nummer {' of '.join(numbers)}; de PDF is niet toegevoegd."
            )
        else:
            problem = "Er staat geen leerlingnummer in de naam van de PDF; hij is niet toegevoegd."
        problems.append(
            Problem(
                place=place,
                column="",
                value=pdf.name,
                problem=problem,
                fix="Zet precies één leerlingnummer in de bestandsnaam, bijvoorbeeld "
                "'OKR 123456.pdf'.",
                blocking=False,
            )
        )
    return rapporten
