"""Parsing a table's rows into fields: one `SourceRow` per student line.

Each cell goes through its field's parser (see `values` and `dates`); a value that cannot be
used becomes a `Problem` on that row, naming the cell, while the row's other values still
count. Rows that only repeat the header, or are a footer ('Totaal: 31'), are skipped and said.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from opp_docs.intake.dates import check_birth_date, parse_date
from opp_docs.intake.fields import (
    FIELDS,
    FIELDS_BY_KEY,
    Field,
    FieldType,
    HeaderMatch,
    match_header,
)
from opp_docs.intake.header import Header, find_header
from opp_docs.intake.tables import NoCachedValue, Table, is_blank
from opp_docs.intake.values import (
    ValueProblem,
    fold,
    parse_digits,
    parse_email,
    parse_geslacht,
    parse_ondersteuningsniveau,
    parse_phone,
    parse_postcode,
    parse_referentieniveau,
    parse_route,
    parse_school_level,
    parse_text,
    parse_whole_number,
    parse_yes_no,
    show,
)
from opp_docs.models import Place, Problem, SchoolYear


@dataclass(frozen=True)
class Reading:
    """What every row of a run is read against: the header index (the fields' names and the
    school's own synonyms) and the school year, whose first day checks a birth date."""

    index: dict[str, HeaderMatch]
    schooljaar: SchoolYear


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
        names = {surname_key(achternaam)}
        if isinstance(tussenvoegsel, str):
            names.add(surname_key(f"{tussenvoegsel} {achternaam}"))
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
        at: int | None = None,
    ) -> Problem:
        """A problem about this row, pointing at the cell of `key` when it has one, or at the
        cell in column position `at`."""
        shown = tuple(show(v) for v in self.raw)
        shown += ("",) * (len(self.headers) - len(shown))
        column, header, value = -1, "", ""
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


# Name particles that lists sorted on surname write after it: 'Bakker, de', 'Berg van den'.
_TUSSENVOEGSELS = frozenset(
    {"de", "den", "der", "des", "van", "het", "'t", "te", "ten", "ter", "in", "op", "aan", "bij",
     "uit", "voor", "'s", "la", "le", "du", "da", "di", "del", "dos", "von", "zu", "el", "al"}
)  # fmt: skip
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u00b4`", "'"))


def surname_key(name: str) -> str:
    """A surname for matching: case, accents and spacing folded, the tussenvoegsel in front
    whichever order it was written in ('Bakker, de' and 'Bakker de' → 'de bakker')."""
    before, _, after = fold(name.translate(_APOSTROPHES)).partition(",")
    words, particles = before.split(), after.split()
    while len(words) > 1 and words[-1] in _TUSSENVOEGSELS:
        particles.insert(0, words.pop())
    return " ".join(particles + words)


_FOOTER = re.compile(r"^(totaal|aantal|gemaakt op|afgedrukt|pagina|datum export)\b", re.I)


def read_table(table: Table, reading: Reading, notes: list[str]) -> list[SourceRow]:
    """The data rows of a table below its header, parsed; what is skipped is said in `notes`."""
    where = f"{table.file}, blad '{table.sheet}'" if table.sheet else table.file
    header = find_header(table, reading.index)
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
        mapped = [values[i] for i in read if i < len(values) and not is_blank(values[i])]
        if not mapped:
            continue
        repeated = sum(1 for v in mapped if isinstance(v, str) and v.strip() in header_texts)
        if repeated * 2 >= len(header_texts):
            continue  # the header repeated, as page-wise exports do
        filled = [v for v in values if not is_blank(v)] if len(mapped) == 1 else mapped
        if len(filled) == 1 and isinstance(filled[0], str) and _FOOTER.match(filled[0].strip()):
            notes.append(
                f"{where}, rij {number}: '{filled[0].strip()}' overgeslagen (geen leerlingregel)."
            )
            continue
        rows.append(_parse_row(table, (number, values), header, reading))
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
        FieldType.POSTCODE: parse_postcode,
        FieldType.REFERENTIENIVEAU: lambda v: parse_referentieniveau(v, f.noun),
        FieldType.ONDERSTEUNINGSNIVEAU: parse_ondersteuningsniveau,
        FieldType.WHOLE_NUMBER: lambda v: parse_whole_number(v, f.noun),
        FieldType.ROUTE: parse_route,
    }
    return parsers[f.type]


_PARSERS: dict[str, Callable[[object], object]] = {f.key: _parser(f) for f in FIELDS}


def _parse_row(
    table: Table, line: tuple[int, tuple[object, ...]], header: Header, reading: Reading
) -> SourceRow:
    number, values = line
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
            found = _long_field(values, part_at, value_at, header, reading.index)
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
                check_birth_date(value, reading.schooljaar.first_day)
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
    header: Header,
    index: dict[str, HeaderMatch],
) -> Field | None:
    """The field a long-form row names in its Onderdeel cell (column `part`), found like a
    column header; None when its Waarde cell (column `value`) is empty."""
    given = values[value] if value < len(values) else None
    if is_blank(given):
        return None
    part_header, value_header = header.texts[part], header.texts[value]
    name = parse_text(values[part] if part < len(values) else None)
    if not name:
        raise ValueProblem(
            f"Bij de waarde '{parse_text(given)}' staat niet bij welk onderdeel hij hoort.",
            f"Vul in kolom '{part_header}' de naam van het veld in, zoals 'Werkhouding'.",
        )
    match = match_header(index, name)
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
