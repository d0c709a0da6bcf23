"""Our own streaming reader for .xlsx workbooks (and what LibreOffice converts to .xlsx).

Sheets are parsed as they are unpacked, so a big or hostile workbook costs little memory and
is refused early (see `limits`). A cell becomes what the secretary sees: a date cell a
datetime, a number shown with leading zeros ('000123') text with its zeros, a formula the
value Excel last computed (or `NoCachedValue` when no program ever computed it). Hidden sheets
are skipped, and said so.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from opp_docs.intake.limits import (
    EXCEL_COLUMNS,
    MAX_CELLS,
    MAX_PART_BYTES,
    MAX_ROWS,
    CellBudget,
    cell_text,
    check_archive,
    megabytes,
    number_text,
    too_many_rows,
)
from opp_docs.intake.tables import RESAVE_XLSX, TRIM_SHEET, NoCachedValue, Table, Unreadable


def is_encrypted_ooxml(path: Path) -> bool:
    # A password-protected .xlsx is an OLE container with an 'EncryptedPackage' stream.
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data


def load_xlsx(path: Path, name: str, notes: list[str]) -> list[Table]:
    check_archive(path)
    try:
        return _xlsx_tables(path, name, notes)
    except Unreadable:
        raise
    except Exception as e:
        # openpyxl raises many kinds of errors on damaged files; all mean the same to a user.
        raise Unreadable(
            f"het bestand is beschadigd of geen geldige Excel-werkmap ({type(e).__name__}).",
            RESAVE_XLSX,
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
        raise Unreadable(
            f"het bestand is beschadigd: onderdeel {name} is {megabytes(info.file_size)}, "
            "waar een werkmap een paar KB heeft.",
            RESAVE_XLSX,
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
        raise Unreadable("het bestand is beschadigd: de werkmap ontbreekt erin.", RESAVE_XLSX)
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
        strings.append(cell_text("".join(parts)))
        if len(strings) > MAX_CELLS:
            raise Unreadable(
                f"het bestand heeft meer dan {number_text(MAX_CELLS)} verschillende teksten.",
                TRIM_SHEET,
            )
    return strings


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


def _outside_columns() -> Unreadable:
    return Unreadable(
        "het bestand is beschadigd: er staat een cel buiten de kolommen A tot en met XFD die "
        "Excel kent.",
        RESAVE_XLSX,
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


def _check_dimension(reference: str, where: str) -> None:
    """Refuse a sheet whose own size ('A1:XFD1048576') is absurd, before reading a row."""
    last = reference.rpartition(":")[2]
    match = _REFERENCE.fullmatch(last.replace("$", ""))
    if match and match.group(2) and _row_number(match.group(2)) > MAX_ROWS:
        raise Unreadable(
            f"{where} is volgens het bestand zelf {number_text(_row_number(match.group(2)))} rijen "
            f"groot; meer dan {number_text(MAX_ROWS)} rijen wordt niet gelezen.",
            TRIM_SHEET,
        )


def _sheet_rows(
    archive: zipfile.ZipFile, part: str, book: _Book, where: str, budget: CellBudget
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
                    raise too_many_rows(where)
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
        return cell_text("".join(inline))
    if text is None or (text == "" and formula is not None):
        return NoCachedValue(f"={formula}") if formula is not None else None
    if kind == "s":
        return book.shared[int(text)]
    if kind in ("str", "e"):
        return cell_text(text)
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
    budget = CellBudget()
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
        raise Unreadable(
            "het bestand is leeg: er staan geen gegevens in.",
            "Exporteer het bestand opnieuw uit de leerlingadministratie.",
        )
    return tables
