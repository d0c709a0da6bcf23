"""CSV and other delimited text: its encoding, its delimiter, and its records as a table.

School systems write CSV in UTF-8, UTF-16 (Excel's "Unicode text") or Windows-1252, with ';',
',' or tabs; the delimiter is the one that splits the records most evenly, unless Excel's
'sep=' line names it. Every cell stays text, so 0990101 keeps its leading zero.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from opp_docs.intake.limits import MAX_CELLS, MAX_FIELD_CHARS, MAX_ROWS, number_text
from opp_docs.intake.tables import TRIM_SHEET, Table, Unreadable


def decode(data: bytes) -> str:
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


def read_text(path: Path) -> str:
    # U+FFFE and U+FFFF are no characters: no spreadsheet writes them and no XML file (the
    # intake report, a Word document) can hold them.
    return decode(path.read_bytes()).translate(_NONCHARACTERS)


def load_csv(path: Path) -> Table:
    text = read_text(path)
    if "\x00" in text:
        raise Unreadable(
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
        raise Unreadable("het bestand is leeg.", "Exporteer het bestand opnieuw.")
    delimiter = delimiter or _sniff_delimiter(text)
    # Counted before parsing, so one line of millions of separators never becomes a list.
    if text.count(delimiter) > MAX_CELLS:
        raise Unreadable(
            f"het bestand heeft meer dan {number_text(MAX_CELLS)} velden (regels maal kolommen).",
            TRIM_SHEET,
        )
    rows: list[tuple[int, tuple[object, ...]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ended = 0  # the line the last record ended on; a field may span lines
    try:
        with _csv_field_limit(MAX_FIELD_CHARS):
            for number, record in enumerate(reader, start=1 + offset):
                if number > MAX_ROWS:
                    raise Unreadable(
                        f"het bestand heeft meer dan {number_text(MAX_ROWS)} regels; zoveel wordt "
                        "niet gelezen.",
                        TRIM_SHEET,
                    )
                if any(cell.strip() for cell in record):
                    rows.append((number, tuple(record)))
                ended = reader.line_num
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            raise Unreadable(
                f"vanaf regel {ended + 1 + offset} staat een veld van meer dan "
                f'{number_text(MAX_FIELD_CHARS)} tekens. Meestal is daar een aanhalingsteken (") '
                "geopend en nooit gesloten.",
                "Open het bestand in Excel, controleer de aanhalingstekens rond die regel en sla "
                "het opnieuw op als CSV (puntkomma-gescheiden) of .xlsx.",
            ) from e
        raise Unreadable(
            f"het CSV-bestand is beschadigd ({e}).",
            "Open het in Excel en sla het opnieuw op als CSV (puntkomma-gescheiden) of .xlsx.",
        ) from e
    return Table(path.name, "", rows)


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    # The csv module's limit is process-wide (default 128 K characters); raised for this read
    # only, so an OKR text of a few pages fits and a runaway quote still stops.
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)
