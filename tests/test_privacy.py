"""Privacy and safety of student records (issue 7): limits against hostile intake files,
encrypted dossiers, terminal output without personal data, sandboxed templates."""

from __future__ import annotations

import csv
import os
import stat
import tracemalloc
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.errors import FileNotDecryptedError

from opp_docs.cli import main
from opp_docs.config import Config
from opp_docs.documents.render import render_document
from opp_docs.documents.student_files import folder_name
from opp_docs.errors import IntakeFilesError, TemplateError
from opp_docs.intake import limits as intake
from opp_docs.intake.folder import read_intake
from opp_docs.models import Leerling, SchoolYear
from opp_docs.pdf.dossier import DossierInfo, Part, build_dossier
from opp_docs.pdf.pool import ConverterPool
from opp_docs.pipeline import dossiers, run
from opp_docs.pipeline.plan import run_check
from opp_docs.pipeline.run import RunOptions
from tests.helpers import REPO, docx_text
from tests.intake_helpers import registration, write_csv
from tests.personal_data import (
    OKR_TEXT,
    assert_no_personal_data,
    private_intake,
    settings,
)

YEAR = SchoolYear(2026)
MB = 1024 * 1024

# --- limits against hostile or broken intake files ------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = (
    "Leerlingnummer",
    "Achternaam",
    "Roepnaam",
    "Geboortedatum",
    "Basisschool",
    "Schooladvies",
)
STUDENT = ("123456", "Vries", "Sanne", "3-5-2014", "De Regenboog", "havo")


def xml_row(number: int, values: Iterable[str], columns: Iterable[str] = "ABCDEF") -> str:
    cells = "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for col, v in zip(columns, values, strict=False)
    )
    return f'<row r="{number}">{cells}</row>'


def write_workbook(
    path: Path,
    rows: Iterable[str] = (),
    *,
    dimension: str = "A1:F2",
    filler: Iterable[bytes] = (),
    level: int = 6,
) -> Path:
    """A workbook written by hand: a header, one student, then `rows` (sheet XML) and
    `filler` (bytes streamed into the sheet, e.g. a zip bomb's megabytes of blanks)."""
    start = (
        f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/><sheetData>'
        + xml_row(1, HEADER)
        + xml_row(2, STUDENT)
        + "".join(rows)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(start.encode())
            for chunk in filler:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


def blanks(megabytes: int) -> Iterator[bytes]:
    block = b" " * MB
    for _ in range(megabytes):
        yield block


def refused(folder: Path) -> str:
    """The message the run stops with; fails when the intake was read after all."""
    with pytest.raises(IntakeFilesError) as info:
        read_intake(folder, Config(), YEAR)
    return str(info.value)


class Unpacked:
    """Records every attempt to unpack a zip member."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        for method in ("open", "read"):
            original = getattr(zipfile.ZipFile, method)

            def spy(zf: zipfile.ZipFile, name: Any, *a: Any, _o: Any = original, **k: Any) -> Any:
                self.calls.append(str(getattr(name, "filename", name)))
                return _o(zf, name, *a, **k)

            monkeypatch.setattr(zipfile.ZipFile, method, spy)


def peak_memory(folder: Path) -> tuple[str, int]:
    """The refusal message and the peak of memory allocated while reading."""
    tracemalloc.start()
    try:
        message = refused(folder)
        return message, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_hand_made_workbook_is_read(tmp_path: Path) -> None:
    # The refusals below are about the limits, not about the way these workbooks are made.
    write_workbook(tmp_path / "aanmeldingen.xlsx", [xml_row(3, ("990457", "Bos", "Tim"))])
    result = read_intake(tmp_path, Config(), YEAR)
    assert {lln.leerlingnummer for lln in result.leerlingen} == {"123456", "990457"}


@pytest.mark.parametrize("name", ["aanmeldingen.xlsx", "okr.csv", "OKR 123456.pdf"])
def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, name: str) -> None:
    with (tmp_path / name).open("wb") as f:
        f.truncate(intake.MAX_FILE_BYTES + 1)  # sparse: no disk, no time
    message, peak = peak_memory(tmp_path)
    assert f"{name}: het bestand is 50 MB, groter dan de grens van 50 MB" in message
    assert "meestal kleiner dan 1 MB" in message or "kleiner op te slaan" in message
    assert peak < 2 * MB


def test_a_zip_bomb_is_refused_from_its_table_of_contents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = write_workbook(tmp_path / "aanmeldingen.xlsx", filler=blanks(210), level=1)
    assert bomb.stat().st_size < 2 * MB
    unpacked = Unpacked(monkeypatch)
    message, peak = peak_memory(tmp_path)
    assert "aanmeldingen.xlsx: het bestand pakt uit tot 210 MB, meer dan de grens van 200 MB" in (
        message
    )
    assert "Exporteer het bestand opnieuw" in message
    assert unpacked.calls == []
    assert peak < 2 * MB


def test_a_part_that_unpacks_to_hundreds_of_times_its_size_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_workbook(tmp_path / "aanmeldingen.xlsx", filler=blanks(20), level=9)
    unpacked = Unpacked(monkeypatch)
    message = refused(tmp_path)
    assert "aanmeldingen.xlsx: een onderdeel van het bestand pakt uit tot" in message
    assert "keer zijn eigen grootte (20 MB)" in message
    assert unpacked.calls == []


@pytest.mark.parametrize("zip64", [False, True])
def test_a_zip_of_thousands_of_parts_is_refused_before_listing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zip64: bool
) -> None:
    path = write_workbook(tmp_path / "aanmeldingen.xlsx")
    if zip64:
        # The ZIP64 end record, which zip readers believe over the classic one.
        monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 1)
    with zipfile.ZipFile(path, "a") as z:
        for i in range(5000):
            z.writestr(f"xl/media/{'x' * 200}{i}.bin", b"")
    if zip64:
        # A classic end record that claims an empty table of contents.
        data = bytearray(path.read_bytes())
        at = data.rfind(b"PK\x05\x06")
        data[at + 12 : at + 16] = bytes(4)
        path.write_bytes(bytes(data))
        assert len(zipfile.ZipFile(path).infolist()) > 5000
    message = refused(tmp_path)
    assert "aanmeldingen.xlsx: het bestand bestaat uit veel te veel onderdelen" in message


def test_a_sheet_that_says_it_is_a_million_rows_big_is_refused_at_once(tmp_path: Path) -> None:
    write_workbook(tmp_path / "aanmeldingen.xlsx", dimension="A1:XFD1048576")
    message, peak = peak_memory(tmp_path)
    assert (
        "aanmeldingen.xlsx: blad 'Blad1' is volgens het bestand zelf 1.048.576 rijen groot; "
        "meer dan 100.000 rijen wordt niet gelezen." in message
    )
    assert "Verwijder wat er onder en naast de lijst staat" in message
    assert peak < 2 * MB


@pytest.mark.parametrize(
    "rows",
    [
        [xml_row(100_001, STUDENT)],
        # No row numbers, and too many rows for them to be needed.
        ["<row/>"] * 100_000,
        # The same row number over and over.
        ['<row r="3"/>'] * 100_000,
    ],
    ids=["far-down", "many", "repeated"],
)
def test_a_sheet_of_too_many_rows_is_refused(tmp_path: Path, rows: list[str]) -> None:
    # Stored, not packed: so small a sheet of repeated rows would look like a zip bomb.
    write_workbook(tmp_path / "aanmeldingen.xlsx", rows, level=0)
    message = refused(tmp_path)
    assert "aanmeldingen.xlsx: blad 'Blad1' heeft meer dan 100.000 rijen" in message


def test_a_sheet_of_too_many_cells_is_refused(tmp_path: Path) -> None:
    # One cell in the last column makes a row 16,384 cells wide.
    rows = [xml_row(n, ["x"], columns=["XFD"]) for n in range(3, 200)]
    write_workbook(tmp_path / "aanmeldingen.xlsx", rows)
    message = refused(tmp_path)
    assert "blad 'Blad1' heeft meer dan 2.000.000 cellen (rijen maal kolommen)" in message


@pytest.mark.parametrize("reference", ["XFE3", "ZZZZZZZZZZZZZZZZ3", "3A", "ß3"])
def test_a_cell_beyond_the_last_column_is_a_damaged_file(tmp_path: Path, reference: str) -> None:
    # Before the fix, 'ZZZZZZZZZZZZZZZZ3' made the reader build a row of 26**16 cells.
    rows = [f'<row r="3"><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row>']
    write_workbook(tmp_path / "aanmeldingen.xlsx", rows)
    assert "buiten de kolommen A tot en met XFD" in refused(tmp_path)


def test_a_cell_of_more_than_a_megabyte_is_refused(tmp_path: Path) -> None:
    huge = "a" * (intake.MAX_FIELD_CHARS + 1)
    write_workbook(tmp_path / "okr.xlsx", [xml_row(3, ("990457", "Bos", "Tim", huge))])
    message = refused(tmp_path)
    assert "okr.xlsx: een cel bevat 1.000.001 tekens, meer dan de grens van 1.000.000" in message


def csv_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_field_of_more_than_a_megabyte_is_refused(tmp_path: Path) -> None:
    huge = "a" * (intake.MAX_FIELD_CHARS + 1)
    csv_file(tmp_path / "okr.csv", f"Leerlingnummer;Ondersteuningsbehoefte\n123456;{huge}\n")
    message = refused(tmp_path)
    assert "okr.csv: vanaf regel 2 staat een veld van meer dan 1.000.000 tekens" in message
    assert "controleer de aanhalingstekens" in message


def test_a_quote_that_is_never_closed_is_named(tmp_path: Path) -> None:
    lines = ["Leerlingnummer;Achternaam", '123456;"Vries'] + ["tekst"] * 200_000
    csv_file(tmp_path / "okr.csv", "\n".join(lines))
    assert "okr.csv: vanaf regel 2 staat een veld van meer dan 1.000.000 tekens" in refused(
        tmp_path
    )


def test_a_long_okr_text_in_a_csv_is_read(tmp_path: Path) -> None:
    # Longer than the csv module's own default limit of 128 K characters.
    text = "Lange tekst. " * 20_000
    before = csv.field_size_limit()
    write_csv(tmp_path / "aanmeldingen.csv", [registration(Ondersteuningsbehoefte=text)])
    (student,) = read_intake(tmp_path, Config(), YEAR).leerlingen
    assert student.ondersteuningsbehoefte == text.strip()
    assert csv.field_size_limit() == before  # the process-wide limit is put back


def test_a_csv_of_too_many_lines_is_refused(tmp_path: Path) -> None:
    csv_file(tmp_path / "okr.csv", "Leerlingnummer;Achternaam\n123456;Vries\n" + "\n" * 150_000)
    message = refused(tmp_path)
    assert "okr.csv: het bestand heeft meer dan 100.000 regels" in message


def test_a_csv_of_millions_of_fields_is_refused_before_parsing(tmp_path: Path) -> None:
    csv_file(tmp_path / "okr.csv", "Leerlingnummer;Achternaam\n123456;Vries" + ";" * 2_100_000)
    message, peak = peak_memory(tmp_path)
    assert "okr.csv: het bestand heeft meer dan 2.000.000 velden" in message
    # The text itself is read (2 MB); a list of two million fields would be 16 MB more.
    assert peak < 12 * MB


# --- encrypted dossiers -------------------------------------------------------------------

PASSWORD = "paarse-olifant-danst-7"


def blank_pdf(path: Path, pages: int = 1) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with path.open("wb") as f:
        writer.write(f)
    return path


def dossier(tmp_path: Path, password: str | None) -> Path:
    target = tmp_path / f"dossier-{password is not None}.pdf"
    build_dossier(
        blank_pdf(tmp_path / "voorblad.pdf"),
        [Part("OPP", blank_pdf(tmp_path / "opp.pdf", 2))],
        target,
        info=DossierInfo(
            title="Dossier OPP Sanne de Vries", school="Het College", leerlingnummer="123456"
        ),
        password=password,
    )
    return target


def test_a_dossier_is_encrypted_with_aes_256(tmp_path: Path) -> None:
    path = dossier(tmp_path, PASSWORD)
    data = path.read_bytes()
    assert PASSWORD.encode() not in data
    assert b"Sanne" not in data  # the metadata is encrypted too
    reader = PdfReader(path)
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256, PDF 2.0
    with pytest.raises(FileNotDecryptedError):
        len(reader.pages)
    assert PdfReader(path).decrypt("verkeerd-wachtwoord") == PasswordType.NOT_DECRYPTED
    reader = PdfReader(path)
    assert reader.decrypt(PASSWORD) != PasswordType.NOT_DECRYPTED
    assert len(reader.pages) == 3
    assert reader.metadata is not None
    assert reader.metadata.title == "Dossier OPP Sanne de Vries"


def opens_with(pdf: Path, password: str | None) -> bool:
    """Whether `pdf` is encrypted with exactly this password, or not at all when it is None."""
    try:
        reader = PdfReader(pdf)
    except (OSError, ValueError):
        return False
    if not reader.is_encrypted:
        return password is None
    return password is not None and reader.decrypt(password) != PasswordType.NOT_DECRYPTED


def test_opens_with_tells_which_password_a_dossier_has(tmp_path: Path) -> None:
    plain, locked = dossier(tmp_path, None), dossier(tmp_path, PASSWORD)
    assert not PdfReader(plain).is_encrypted
    assert opens_with(plain, None)
    assert not opens_with(plain, PASSWORD)
    assert opens_with(locked, PASSWORD)
    assert not opens_with(locked, "een-ander-wachtwoord")
    assert not opens_with(locked, None)
    assert not opens_with(tmp_path / "bestaat-niet.pdf", None)


def test_the_password_is_not_in_the_options_repr(tmp_path: Path) -> None:
    options = RunOptions(tmp_path, tmp_path, YEAR, tmp_path, Config(), password=PASSWORD)
    assert PASSWORD not in repr(options)


def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, input=input)


def test_an_unset_password_variable_stops_the_run(tmp_path: Path) -> None:
    result = invoke(
        "dossiers", "--intake", str(tmp_path), "--wachtwoord-env", "OPP_TEST_GEEN_WACHTWOORD"
    )
    assert result.exit_code == 1
    assert "De omgevingsvariabele OPP_TEST_GEEN_WACHTWOORD is niet gezet of leeg" in result.output
    assert "--wachtwoord-vragen" in result.output


def test_a_short_password_is_refused_and_not_shown(tmp_path: Path) -> None:
    result = invoke(
        "dossiers", "--intake", str(tmp_path), "--wachtwoord-env", "OPP_WW",
        env={"OPP_WW": "geheim1"},
    )  # fmt: skip
    assert result.exit_code == 1
    assert "korter dan 12 tekens" in result.output
    assert "geheim1" not in result.output


def test_the_two_ways_to_give_a_password_exclude_each_other(tmp_path: Path) -> None:
    result = invoke("dossiers", "--wachtwoord-env", "OPP_WW", "--wachtwoord-vragen")
    assert result.exit_code == 2
    assert "niet allebei" in result.output


def test_the_password_prompt_hides_what_is_typed(tmp_path: Path) -> None:
    # The intake folder does not exist: the run stops right after the password is asked.
    result = invoke(
        "dossiers", "--intake", str(tmp_path / "geen-intake"), "--wachtwoord-vragen",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert "Wachtwoord voor de dossiers" in result.output
    assert "Herhaal het wachtwoord" in result.output
    assert "geen-intake" in result.output
    assert PASSWORD not in result.output


# --- terminal output ----------------------------------------------------------------------


@pytest.mark.parametrize("verbose", [[], ["--verbose"], ["-v"]])
def test_check_prints_counts_and_places_not_personal_data(
    tmp_path: Path, verbose: list[str]
) -> None:
    folder = private_intake(tmp_path / "intake")
    result = invoke(
        "check", "--intake", str(folder), "--output", str(tmp_path / "uit"),
        "--schooljaar", str(YEAR), *verbose,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "probleem/problemen in de intake" in result.output
    assert_no_personal_data(result.output)
    if verbose:
        assert "aanmeldingen.xlsx: 3 rij(en), 3 leerling(en), 2 probleem/problemen" in result.output
        assert "okr.csv: 2 rij(en), 2 leerling(en), 1 probleem/problemen" in result.output
        assert "aanmeldingen.xlsx, blad 'Aanmeldingen', rij 3, kolom 'Geslacht'" in result.output
        assert "(leerling 990457)" in result.output
        assert "okr.csv, rij 3, kolom 'Ondersteuningsbehoefte' (leerling 990458)" in result.output
    else:
        assert "aanmeldingen.xlsx" not in result.output


def run_dossiers(tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    result = invoke(
        "dossiers",
        "--intake", str(tmp_path / "intake"),
        "--output", str(tmp_path / "uit"),
        "--schooljaar", str(YEAR),
        "--sjablonen", str(REPO / "templates"),
        "--instellingen", str(settings(tmp_path)),
        *extra,
        env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.libreoffice
def test_dossiers_prints_counts_and_routes_not_personal_data(tmp_path: Path) -> None:
    private_intake(tmp_path / "intake")
    quiet = run_dossiers(tmp_path)
    assert "1 dossiers" in quiet.output
    assert_no_personal_data(quiet.output)
    verbose = run_dossiers(tmp_path, "--verbose")
    assert_no_personal_data(verbose.output)
    assert "123456: route opp-light, 5 document(en), dossier" in verbose.output
    assert "990457: route basisondersteuning, 0 document(en), geblokkeerd" in verbose.output
    # The files in the private output folder do hold the data: the check above is not vacuous.
    assert any(OKR_TEXT in docx_text(p) for p in (tmp_path / "uit").rglob("*.docx"))


def test_a_report_that_goes_to_no_student_is_not_called_in_orde(tmp_path: Path) -> None:
    folder = private_intake(tmp_path / "intake", with_problems=False)
    blank_pdf(folder / "OKR 654321.pdf")
    args = ["check", "--intake", str(folder), "--output", str(tmp_path / "uit")]
    args += ["--schooljaar", str(YEAR)]
    report = tmp_path / "uit" / str(YEAR) / "intake-rapport.xlsx"

    quiet, verbose = invoke(*args), invoke(*args, "-v")

    for result in (quiet, verbose):
        assert result.exit_code == 0, result.output
        assert "Intake in orde" not in result.output
        assert result.output.endswith(
            "Let op: de intake is gelezen (1 leerlingen), met 1 melding(en) om na te kijken. "
            f"Zie {report}\n"
        )
        assert_no_personal_data(result.output)
    assert "OKR 654321.pdf" not in quiet.output
    assert "Om na te kijken (plaats; de uitleg staat in het intakerapport):\n  OKR 654321.pdf" in (
        verbose.output
    )


class OneDocumentFails(ConverterPool):
    """LibreOffice fails on the student's interim evaluation."""

    def completed(self) -> Iterator[tuple[Path, str | None]]:
        for source, error in super().completed():
            if source.name.startswith("tussenevaluatie"):
                source.with_suffix(".pdf").unlink(missing_ok=True)
                yield source, "LibreOffice liep vast of stopte onverwacht"
            else:
                yield source, error


@pytest.mark.libreoffice
@pytest.mark.parametrize("verbose", [False, True], ids=["kort", "verbose"])
def test_what_did_not_work_out_is_counted_and_named_only_with_verbose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verbose: bool
) -> None:
    folder = private_intake(tmp_path / "intake", with_problems=False)
    blank_pdf(folder / "OKR 123456.pdf")
    build = dossiers.build_dossier

    def without_the_report(cover: Path, parts: list[Part], target: Path, **more: Any) -> list[str]:
        # As for a report that pikepdf cannot read.
        reports = [p.titel for p in parts if not p.ours]
        return reports + build(cover, [p for p in parts if p.ours], target, **more)

    monkeypatch.setattr(run, "ConverterPool", OneDocumentFails)
    monkeypatch.setattr(dossiers, "build_dossier", without_the_report)

    result = run_dossiers(tmp_path, *(["-v"] if verbose else []))

    year = tmp_path / "uit" / str(YEAR)
    assert "documenten: 4 gemaakt, 0 hergebruikt, 1 mislukt." in result.output
    last = (
        "Let op: 1 leerling(en) met een probleem. Lees in de kolom Problemen van "
        f"{year / 'overzicht.xlsx'} per leerling wat er is, los het op en draai opnieuw."
    )
    failed = [
        "  123456: Onderwijskundig rapport (OKR 123456.pdf) kon niet aan het dossier worden "
        "toegevoegd.",
        "  123456: tussenevaluatie - Ysbrand Wolkenkrabber.docx: geen PDF gemaakt (LibreOffice "
        "liep vast of stopte onverwacht).",
    ]
    if verbose:
        assert result.output.endswith(
            "Niet gelukt of na te kijken (per leerlingnummer):\n"
            + "".join(f"{line}\n" for line in failed)
            + f"Uitvoer: {year}\n{last}\n"
        )
        # The names in the file names, which the user needs to find the files, and no more.
        rest = result.output.replace(failed[1], "")
        assert_no_personal_data(rest)
        assert_no_personal_data(failed[1].replace("Ysbrand Wolkenkrabber", ""))
    else:
        assert result.output.endswith(
            f"Uitvoer: {year}\n{last} Met -v staan hier ook de bestanden.\n"
        )
        assert_no_personal_data(result.output)
    sheet = load_workbook(year / "overzicht.xlsx").active
    assert sheet is not None
    header, row = [list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True)]
    problems = str(row[header.index("Problemen")])
    assert "tussenevaluatie - Ysbrand Wolkenkrabber.docx: geen PDF gemaakt" in problems
    assert "Onderwijskundig rapport (OKR 123456.pdf) kon niet aan het dossier" in problems


def all_bytes(folder: Path) -> Iterator[tuple[Path, bytes]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()


def the_dossier(tmp_path: Path) -> Path:
    (found,) = (tmp_path / "uit").rglob("dossier - *.pdf")
    return found


@pytest.mark.libreoffice
def test_dossiers_are_encrypted_and_follow_the_password(tmp_path: Path) -> None:
    private_intake(tmp_path / "intake", with_problems=False)
    first = run_dossiers(
        tmp_path, "--wachtwoord-env", "OPP_WW", "--verbose", env={"OPP_WW": PASSWORD}
    )
    path = the_dossier(tmp_path)
    assert opens_with(path, PASSWORD)
    reader = PdfReader(path)
    assert reader.is_encrypted and reader.decrypt(PASSWORD) != PasswordType.NOT_DECRYPTED
    assert "Ysbrand" in reader.pages[0].extract_text()
    with pytest.raises(FileNotDecryptedError):
        PdfReader(path).pages[0].extract_text()
    assert PASSWORD not in first.output
    for file, data in all_bytes(tmp_path / "uit"):
        assert PASSWORD.encode() not in data, file
        assert PASSWORD.encode("utf-16-le") not in data, file

    # The same password: the dossier is reused as it is.
    before = path.read_bytes()
    run_dossiers(tmp_path, "--wachtwoord-env", "OPP_WW", env={"OPP_WW": PASSWORD})
    assert path.read_bytes() == before

    # An unencrypted copy put in its place is replaced by an encrypted dossier.
    plain = PdfWriter()
    plain.add_blank_page(width=595, height=842)
    with path.open("wb") as f:
        plain.write(f)
    run_dossiers(tmp_path, "--wachtwoord-env", "OPP_WW", env={"OPP_WW": PASSWORD})
    assert opens_with(path, PASSWORD)

    # Another password: the dossier is encrypted again, with that one.
    other = "een-heel-ander-wachtwoord"
    run_dossiers(tmp_path, "--wachtwoord-env", "OPP_WW", env={"OPP_WW": other})
    assert opens_with(path, other)
    assert not opens_with(path, PASSWORD)

    # No password: a plain dossier again.
    run_dossiers(tmp_path)
    assert opens_with(path, None)


# --- names, templates, README ----------------------------------------------------------------


def test_two_students_with_the_same_long_name_get_their_own_folder() -> None:
    achternaam = "Van den Heuvel-Oosterhuis tot Bergen" * 3
    first = Leerling("123456", achternaam, "Maria", None)
    second = Leerling("996543", achternaam, "Maria", None)
    assert folder_name(first) != folder_name(second)
    assert folder_name(first).startswith("123456 ")


def template(tmp_path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    path = tmp_path / "sjabloon.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    "code",
    [
        "{{ naam.__class__.__mro__[1].__subclasses__() }}",
        "{{ naam.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_templates_cannot_reach_python_internals(tmp_path: Path, code: str) -> None:
    with pytest.raises(TemplateError):
        render_document(template(tmp_path, code), {"naam": "Sanne"}, tmp_path / "uit.docx")
    assert not (tmp_path / "uit.docx").exists()


def test_a_misspelt_field_is_an_error_not_an_empty_spot(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="onbekend veld"):
        render_document(
            template(tmp_path, "Beste {{ leerling.roepnaaam }},"),
            {"leerling": {"roepnaam": "Sanne"}},
            tmp_path / "uit.docx",
        )


def test_data_never_becomes_template_code(tmp_path: Path) -> None:
    value = "{{ 7 * 7 }} {% for x in 'ab' %}{{ x }}{% endfor %} </w:t><w:t>"
    render_document(template(tmp_path, "Naam: {{ naam }}"), {"naam": value}, tmp_path / "u.docx")
    (paragraph,) = docx.Document(str(tmp_path / "u.docx")).paragraphs
    assert paragraph.text == f"Naam: {value}"


def test_the_readme_says_where_the_output_lives_and_not_to_share_it() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "output/<schooljaar>/" in text
    assert "openbare" in text and "gedeelde schijf" in " ".join(text.split())


def test_the_library_writes_privately_whatever_umask_its_caller_has(tmp_path: Path) -> None:
    """A script that calls the library instead of the command line gets the same privacy."""
    folder = private_intake(tmp_path / "intake", with_problems=False)
    before = os.umask(0o022)
    try:
        run_check(folder, tmp_path / "uit", YEAR, Config())
        assert os.umask(0o022) == 0o022  # the caller's umask is given back
    finally:
        os.umask(before)
    made = [p for p in (tmp_path / "uit").rglob("*")]
    assert made
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
