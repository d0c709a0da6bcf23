"""Intake: read the exports in `intake/` into joined, typed `Leerling` records.

This module lists the folder, skips what is no export (lock files, README), sets the
primary schools' report PDFs and the signed scans aside (`rapporten`, `scans`; of the
subfolders only a folder of scans is read), tells each other file's real type from its first
bytes and hands it to its loader; then every table goes through
`header` and `rows`, and `join` makes one student of the rows over all files. A file that
cannot be read stops the run (`IntakeFilesError`, raised before anything is written); a cell
that cannot be used becomes a `Problem` that blocks only that student. Nothing in the intake
folder is ever written, moved or deleted.
"""

from __future__ import annotations

import re
from pathlib import Path

from opp_docs.config import Config
from opp_docs.errors import FileProblem, IntakeFilesError, IntakeFolderError
from opp_docs.intake.delimited import decode, load_csv
from opp_docs.intake.fields import header_index
from opp_docs.intake.header import find_header
from opp_docs.intake.join import join_rows
from opp_docs.intake.legacy import Converter, load_html
from opp_docs.intake.limits import check_archive, check_size, read_head
from opp_docs.intake.rapporten import check_pdf, match_rapporten
from opp_docs.intake.rows import Reading, SourceRow, read_table
from opp_docs.intake.scans import (
    is_image,
    is_scan,
    is_scan_folder,
    match_scans,
    read_scan,
)
from opp_docs.intake.tables import RESAVE_XLSX, Table, Unreadable
from opp_docs.intake.xlsx import is_encrypted_ooxml, load_xlsx
from opp_docs.models import IntakeResult, Scan, SchoolYear
from opp_docs.office import work_folder

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
CONVERTED_SUFFIXES = (".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})

# Enough of a file's start to tell its real type: magic bytes, or the markup of a web page.
SNIFF_BYTES = 4096
_HTML_START = re.compile(
    r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|table|meta)\b",
    re.IGNORECASE | re.DOTALL,
)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_ignored(path: Path) -> bool:
    """Lock files, hidden files, Thumbs.db, desktop.ini and README/LEESMIJ files."""
    name = path.name
    lower = name.casefold()
    return (
        name.startswith(("~", "."))
        or lower in IGNORED_NAMES
        or lower.startswith(("readme", "leesmij"))
    )


def read_intake(
    folder: Path, config: Config, schooljaar: SchoolYear, plans_before: frozenset[str] = frozenset()
) -> IntakeResult:
    """Read every file in `folder` into students, problems, primary-school report PDFs and
    signed scans."""
    index = header_index(config.synoniemen, config.source)
    reading = Reading(index, schooljaar)
    if not folder.is_dir():
        raise IntakeFolderError(
            folder=str(folder),
            problem="de map bestaat niet. Maak de map aan en zet de exports erin.",
        )
    tables: list[Table] = []
    pdfs: list[Path] = []
    scans: list[Scan] = []
    file_problems: list[FileProblem] = []
    notes: list[str] = []
    files_read: list[str] = []
    entries = sorted(folder.iterdir(), key=lambda p: p.name.casefold())
    # Converted copies of the intake are students' data: in a work folder that a killed run's
    # successor removes.
    with work_folder() as work:
        converter = Converter(work)
        for path in entries:
            if is_ignored(path):
                continue
            if path.is_dir():
                if is_scan_folder(path):
                    found = _scan_folder(path, notes, file_problems)
                    scans.extend(found)
                    files_read.extend(scan.naam for scan in found)
                    continue
                notes.append(
                    f"Map '{path.name}' in de intake is overgeslagen: submappen worden "
                    "niet gelezen, behalve een map met scans van getekende "
                    "ondertekeningsbladen (zoals 'handtekeningen' of 'scans')."
                )
                continue
            try:
                if is_scan(path):
                    scans.append(read_scan(path, path.name))
                elif path.suffix.casefold() == ".pdf":
                    check_pdf(path)
                    pdfs.append(path)
                else:
                    loaded = _load_file(path, converter, notes)
                    if not any(find_header(t, index) for t in loaded):
                        raise Unreadable(
                            "er staat geen blad in met herkenbare kolomkoppen.",
                            "Zorg voor een kopregel met kolomnamen als Leerlingnummer, "
                            "Achternaam, Roepnaam en Geboortedatum (zie 'opp-docs templates "
                            "velden').",
                        )
                    tables.extend(loaded)
                files_read.append(path.name)
            except Unreadable as e:
                file_problems.append(FileProblem(file=path.name, problem=e.problem, fix=e.fix))
    if file_problems:
        raise IntakeFilesError(problems=file_problems)
    if not tables:
        problem = (
            "er staat geen bestand met leerlingen in (alleen PDF's of scans, of niets)."
            if pdfs or scans
            else "er staat geen bestand in om te lezen."
        )
        raise IntakeFolderError(
            folder=str(folder),
            problem=f"{problem} Zet de exports uit de leerlingadministratie (.xlsx of .csv) "
            "in deze map.",
        )
    rows: list[SourceRow] = []
    for table in tables:
        rows.extend(read_table(table, reading, notes))
    leerlingen, problems = join_rows(rows)
    known = {lln.leerlingnummer for lln in leerlingen}
    rapporten = match_rapporten(pdfs, known, problems)
    # A plan that continues from last year belongs to a student who is often not in this
    # year's intake (registrations are new students): their signed sheet is theirs too.
    signed = match_scans(scans, known | plans_before, problems)
    problems.sort(key=lambda p: (p.place.file.casefold(), p.place.sheet, p.place.row))
    return IntakeResult(
        leerlingen=sorted(leerlingen, key=lambda lln: lln.sort_key),
        problems=problems,
        rapporten=rapporten,
        scans=signed,
        files_read=files_read,
        notes=notes,
    )


def _scan_folder(folder: Path, notes: list[str], file_problems: list[FileProblem]) -> list[Scan]:
    """The PDFs and images in a folder of scans; anything else in it is passed over with a
    note, since a scanner or a phone leaves other files beside its scans."""
    scans: list[Scan] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
        naam = f"{folder.name}/{path.name}"
        if is_ignored(path):
            continue
        if path.is_dir() or not (is_image(path) or path.suffix.casefold() == ".pdf"):
            notes.append(
                f"'{naam}' is overgeslagen: in een map met scans worden alleen PDF's en "
                "afbeeldingen (JPEG, PNG, TIFF) gelezen."
            )
            continue
        try:
            scans.append(read_scan(path, naam))
        except Unreadable as e:
            file_problems.append(FileProblem(file=naam, problem=e.problem, fix=e.fix))
    return scans


def _load_file(path: Path, converter: Converter, notes: list[str]) -> list[Table]:
    """Tables of one file, by what the file holds more than by its extension."""
    suffix = path.suffix.casefold()
    known = SPREADSHEET_SUFFIXES + CONVERTED_SUFFIXES + TEXT_SUFFIXES
    if suffix not in known:
        raise Unreadable(
            f"het bestandstype '{suffix or '(geen)'}' wordt niet gelezen.",
            "Zet alleen .xlsx-, .xls-, .ods-, .csv- en .pdf-bestanden en scans (.jpg, .png, "
            ".tif) in de intakemap; sla dit bestand op als .xlsx of haal het uit de map.",
        )
    check_size(
        path,
        "Een export uit de leerlingadministratie is meestal kleiner dan 1 MB. Controleer of dit "
        "het goede bestand is; exporteer anders alleen de leerlingen van dit schooljaar, of "
        "verdeel de lijst over meer bestanden.",
    )
    head = read_head(path, SNIFF_BYTES)
    if not head:
        raise Unreadable("het bestand is leeg.", "Exporteer het bestand opnieuw.")
    if head.startswith(_ZIP_MAGIC):
        if suffix == ".ods":
            check_archive(path)  # before LibreOffice unpacks it
            return load_xlsx(converter.to_xlsx(path), path.name, notes)
        if suffix not in SPREADSHEET_SUFFIXES:
            notes.append(f"{path.name} is eigenlijk een Excel-werkmap (.xlsx) en is zo gelezen.")
        return load_xlsx(path, path.name, notes)
    if head.startswith(_OLE_MAGIC):
        if is_encrypted_ooxml(path):
            raise Unreadable(
                "het bestand is beveiligd met een wachtwoord.",
                "Open het in Excel, haal het wachtwoord weg (Bestand > Info > Werkmap beveiligen) "
                "en sla het opnieuw op.",
            )
        return load_xlsx(converter.to_xlsx(path), path.name, notes)
    # School systems' "Excel" downloads are often a web page or text with an .xls name. Read
    # here rather than by LibreOffice, which would make the number 990101 of 0990101.
    start = decode(head).lstrip("\ufeff \t\r\n")
    if _HTML_START.match(start):
        notes.append(
            f"{path.name} is eigenlijk een webpagina met een tabel (HTML) en is zo gelezen, elke "
            "cel als tekst."
        )
        return [load_html(path)]
    if suffix in TEXT_SUFFIXES:
        return [load_csv(path)]
    if suffix == ".xls" and "\x00" not in start and not start.startswith("<"):
        notes.append(
            f"{path.name} is eigenlijk een tekstbestand (zoals CSV) en is zo gelezen, elke cel "
            "als tekst."
        )
        return [load_csv(path)]
    if suffix in CONVERTED_SUFFIXES:
        # Old .xls, and the XML spreadsheets (Excel 2003) some systems save with an .xls name.
        return load_xlsx(converter.to_xlsx(path), path.name, notes)
    raise Unreadable("het bestand is beschadigd: het is geen Excel-werkmap.", RESAVE_XLSX)
