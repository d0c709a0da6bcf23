from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import stat
import string
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from pypdf import PdfWriter

from opp_docs import intake as intake_module
from opp_docs.cli import main
from opp_docs.config import Config
from opp_docs.convert import WORK_DIR_PREFIX, ConversionResult
from opp_docs.errors import ConfigError, IntakeFilesError, IntakeFolderError
from opp_docs.fields import FIELDS, header_key
from opp_docs.intake import read_intake
from opp_docs.intake_report import write_intake_report
from opp_docs.models import IntakeResult, Route, SchoolYear
from tests.intake_helpers import (
    registration,
    soffice,
    soffice_convert,
    write_csv,
    write_xlsx,
)

YEAR = SchoolYear(2026)
needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice ontbreekt")


def read(folder: Path, config: Config | None = None) -> IntakeResult:
    return read_intake(folder, config or Config(), YEAR)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def blocking(result: IntakeResult) -> list[str]:
    return [str(p) for p in result.problems if p.blocking]


# --- fields -------------------------------------------------------------------------------


def test_field_headers_and_synonyms_do_not_collide() -> None:
    seen: dict[str, str] = {}
    for f in FIELDS:
        for name in (f.header, *f.synonyms):
            key = header_key(name)
            assert seen.setdefault(key, f.key) == f.key, name


def test_unknown_synonym_key_is_a_config_error(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration()])
    with pytest.raises(ConfigError) as info:
        read(tmp_path, Config(synoniemen={"leerlingnumer": ("Lln",)}))
    assert "leerlingnumer" in str(info.value)
    assert "leerlingnummer" in str(info.value)


# --- the happy path -----------------------------------------------------------------------


def test_canonical_headers_give_typed_students(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [
            registration(
                "012345",
                **{
                    "Geslacht": "V",
                    "Klas": "1B",
                    "Tutor": "J. Bakker",
                    "LWOO": "ja",
                    "PrO": "nee",
                    "OPP basisschool": "x",
                    "Dyslexieverklaring": True,
                    "Aanmelddatum": "15-3-2026",
                    "Naam ouder/verzorger 1": "A. de Vries",
                    "E-mail ouder/verzorger 1": "a@b.nl",
                    "Telefoon ouder/verzorger 1": 612345678,
                    "Naam ouder/verzorger 2": None,
                    "E-mail ouder/verzorger 2": "c@d.nl",
                },
            ),
            registration(
                "000077",
                Achternaam="Bakker",
                Tussenvoegsel=None,
                Roepnaam="Ali",
                Schooladvies="havo/vwo",
            ),
        ],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        [
            {
                "Leerlingnummer": "012345",
                "Doorstroomtoets lezen": "2F",
                "Eindtoets rekenen": "<1F",
                "Ondersteuningsbehoefte": "Structuur.\nKorte instructie.",
                "Ondersteuningsniveau": "licht",
                "Verwacht aantal RT-momenten": 6,
                "TLV mogelijk": "nee",
                "Route (besluit)": "OPP light",
                "Signaaldatum": None,
            }
        ],
    )
    result = read(tmp_path)
    assert blocking(result) == []
    assert [s.leerlingnummer for s in result.leerlingen] == ["000077", "012345"]
    sanne = result.leerlingen[1]
    assert sanne.naam == "Sanne de Vries"
    assert sanne.geboortedatum == dt.date(2014, 5, 3)
    assert (sanne.geslacht, sanne.klas, sanne.tutor) == ("V", "1B", "J. Bakker")
    assert (sanne.lwoo, sanne.pro, sanne.opp_po, sanne.dyslexie) == (True, False, True, True)
    assert sanne.aanmelddatum == dt.date(2026, 3, 15)
    assert [(o.naam, o.email, o.telefoon) for o in sanne.ouders] == [
        ("A. de Vries", "a@b.nl", "0612345678")
    ]
    assert (sanne.toets_lezen, sanne.toets_rekenen, sanne.toets_taalverzorging) == ("2F", "<1F", "")
    assert sanne.ondersteuningsbehoefte == "Structuur.\nKorte instructie."
    assert (sanne.ondersteuningsniveau, sanne.rt_momenten) == ("licht", 6)
    assert sanne.route_besluit is Route.OPP_LIGHT
    assert len(sanne.places) == 2
    assert result.leerlingen[0].schooladvies == "havo/vwo"


def test_synonyms_messy_headers_and_config_synonyms(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "export.xlsx",
        [
            {
                "LLN.NR.": 123456,
                " familienaam ": "Jansen",
                "Voornaam\u00a0": "Sem",
                "Geb. datum": "3 mei 2014",
                "School van herkomst": "De Linde",
                "ADVIES:": "VMBO_KB",
                "Stamklas": "1A",
                "Mijn eigen kolom": "x",
                "Résumé": "y",
            }
        ],
    )
    result = read(tmp_path, Config(synoniemen={"klas": ("Stamklas",)}))
    assert blocking(result) == []
    sem = result.leerlingen[0]
    assert (sem.leerlingnummer, sem.achternaam, sem.roepnaam, sem.schooladvies, sem.klas) == (
        "123456",
        "Jansen",
        "Sem",
        "vmbo-kb",
        "1A",
    )
    assert any("'Mijn eigen kolom'" in n and "'Résumé'" in n for n in result.notes)


# --- messy workbooks ----------------------------------------------------------------------


def test_title_rows_merged_title_and_empty_rows(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Aanmeldingen 2026-2027"])
    sheet.merge_cells("A1:F1")
    sheet.append(["Geëxporteerd op", dt.date(2026, 6, 1)])
    sheet.append([])
    row = registration()
    sheet.append(list(row))
    sheet.append([])
    sheet.append(list(row.values()))
    sheet.append([])
    sheet.append(list(registration("222222", Roepnaam="Bo").values()))
    sheet.append(["Totaal: 2 leerlingen"])
    workbook.save(tmp_path / "a.xlsx")
    result = read(tmp_path)
    assert blocking(result) == []
    assert [s.roepnaam for s in result.leerlingen] == ["Bo", "Sanne"]
    assert result.leerlingen[1].places[0].row == 6


def test_hidden_sheet_and_sheet_without_header_are_skipped_and_said(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Lijst": [registration()],
            "Oud": [registration("999999")],
            "Toelichting": [{"Uitleg": "Dit is een export."}],
        },
        hidden=["Oud"],
    )
    result = read(tmp_path)
    assert [s.leerlingnummer for s in result.leerlingen] == ["123456"]
    assert any("verborgen blad 'Oud'" in n for n in result.notes)
    assert any("'Toelichting'" in n and "overgeslagen" in n for n in result.notes)


def test_excel_serial_dates_and_zero_padded_numbers(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    row = registration(Geboortedatum=41762)  # 3-5-2014
    sheet.append(list(row))
    sheet.append([12345, *list(row.values())[1:]])
    sheet["A2"].number_format = "000000"
    workbook.save(tmp_path / "a.xlsx")
    result = read(tmp_path)
    assert blocking(result) == []
    assert result.leerlingen[0].leerlingnummer == "012345"
    assert result.leerlingen[0].geboortedatum == dt.date(2014, 5, 3)


def test_formula_without_cached_value_is_a_clear_problem(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    row = registration()
    sheet.append(list(row))
    sheet.append(list(row.values()))
    sheet["F2"] = '=CONCATENATE("De ", "Linde")'
    workbook.save(tmp_path / "a.xlsx")
    result = read(tmp_path)
    [problem] = result.problems
    assert problem.column == "Basisschool"
    assert "geen berekende waarde" in problem.problem
    assert "sla het op" in problem.fix
    assert result.blocked() == {"123456"}


@pytest.mark.libreoffice
@needs_soffice
def test_formula_cached_value_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    row = registration()
    sheet.append(list(row))
    sheet.append(list(row.values()))
    sheet["F2"] = '=CONCATENATE("De ", "Linde")'
    workbook.save(tmp_path / "bron.xlsx")
    intake = tmp_path / "intake"
    converted = soffice_convert(tmp_path / "bron.xlsx", "xlsx", intake)
    assert converted.exists()
    result = read(intake)
    assert blocking(result) == []
    assert result.leerlingen[0].basisschool == "De Linde"


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_and_xls_are_converted_without_touching_the_intake(tmp_path: Path, fmt: str) -> None:
    write_xlsx(
        tmp_path / "bron.xlsx",
        [registration("012345"), registration("2", Roepnaam="Bo")],
        above=[["Aanmeldingen"]],
    )
    intake = tmp_path / "intake"
    soffice_convert(tmp_path / "bron.xlsx", fmt, intake)
    before = snapshot(intake)
    result = read(intake)
    assert snapshot(intake) == before
    assert sorted(p.name for p in intake.iterdir()) == [f"bron.{fmt}"]
    assert [s.leerlingnummer for s in result.leerlingen] == ["2", "012345"]
    assert result.leerlingen[1].geboortedatum == dt.date(2014, 5, 3)


# --- CSV ----------------------------------------------------------------------------------


def test_windows_1252_csv_with_accents_and_quoted_newlines(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "aanmeldingen.csv",
        [
            registration(
                "012345",
                Achternaam="Yılmaz".replace("ı", "i"),
                Roepnaam="Zoë",
                Geboortedatum="3-5-2014",
                Basisschool="Sint-Jozef; dépendance",
            ),
        ],
    )
    write_csv(
        tmp_path / "okr.csv",
        [
            {
                "Leerlingnummer": "012345",
                "Ondersteuningsbehoefte": 'Regel één;\r\nregel twee, met "aanhalingstekens"',
            }
        ],
    )
    result = read(tmp_path)
    assert blocking(result) == []
    [zoe] = result.leerlingen
    assert (zoe.leerlingnummer, zoe.roepnaam, zoe.basisschool) == (
        "012345",
        "Zoë",
        "Sint-Jozef; dépendance",
    )
    assert zoe.ondersteuningsbehoefte == 'Regel één;\nregel twee, met "aanhalingstekens"'


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8-sig"), ("\t", "utf-8"), (";", "utf-8"), ("\t", "utf-16")],
)
def test_csv_delimiters_and_encodings(tmp_path: Path, delimiter: str, encoding: str) -> None:
    write_csv(
        tmp_path / "a.csv",
        [registration(Roepnaam="Zoë", Basisschool="A, B en C")],
        delimiter=delimiter,
        encoding=encoding,
    )
    [student] = read(tmp_path).leerlingen
    assert (student.roepnaam, student.basisschool) == ("Zoë", "A, B en C")


def test_csv_sep_line_and_excel_text_trick(tmp_path: Path) -> None:
    rows = [registration('="012345"')]
    text = "sep=;\r\n" + "\r\n".join(
        ";".join(str(v) for v in line) for line in ([*rows[0]], [*rows[0].values()])
    )
    (tmp_path / "a.csv").write_text(text, encoding="cp1252")
    result = read(tmp_path)
    assert [s.leerlingnummer for s in result.leerlingen] == ["012345"]
    assert result.leerlingen[0].places[0].row == 3


# --- files that are ignored or cannot be read ---------------------------------------------


def test_lock_hidden_and_readme_files_are_ignored(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration()])
    (tmp_path / "~$a.xlsx").write_bytes(b"\x00lock")
    (tmp_path / ".~lock.a.xlsx#").write_text("lock")
    (tmp_path / ".verborgen.csv").write_text("x")
    (tmp_path / "Thumbs.db").write_bytes(b"\x00")
    (tmp_path / "desktop.ini").write_text("[x]")
    (tmp_path / "LEESMIJ.txt").write_text("lees mij")
    (tmp_path / "README.md").write_text("read me")
    result = read(tmp_path)
    assert result.files_read == ["a.xlsx"]
    assert len(result.leerlingen) == 1


def test_unreadable_files_stop_the_run_with_one_line_each(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "goed.xlsx", [registration()])
    (tmp_path / "kapot.xlsx").write_bytes(b"PK\x03\x04 dit is geen werkmap")
    (tmp_path / "leeg.csv").write_bytes(b"")
    (tmp_path / "brief.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "rapport 123456.pdf").write_bytes(b"geen pdf")
    (tmp_path / "zonder-kop.csv").write_text("a;b\n1;2\n")
    before = snapshot(tmp_path)
    with pytest.raises(IntakeFilesError) as info:
        read(tmp_path)
    assert snapshot(tmp_path) == before
    names = [p.file for p in info.value.problems]
    assert names == ["brief.docx", "kapot.xlsx", "leeg.csv", "rapport 123456.pdf", "zonder-kop.csv"]
    message = str(info.value)
    assert "sla het opnieuw op als .xlsx" in message.replace("Sla", "sla")
    assert "Traceback" not in message


def test_password_protected_workbook(tmp_path: Path) -> None:
    # An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream.
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    (tmp_path / "geheim.xlsx").write_bytes(ole)
    with pytest.raises(IntakeFilesError) as info:
        read(tmp_path)
    assert "wachtwoord" in str(info.value)


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(IntakeFolderError, match="bestaat niet"):
        read(tmp_path / "nergens")
    (tmp_path / "Thumbs.db").write_bytes(b"")
    with pytest.raises(IntakeFolderError, match="geen bestand"):
        read(tmp_path)


# --- cell problems and joining ------------------------------------------------------------


def test_bad_cell_blocks_only_that_student(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "a.xlsx",
        [
            registration("1", Geboortedatum="31-02-2014"),
            registration("2", Roepnaam="Bo", LWOO="misschien"),
            registration("3", Roepnaam="Ed"),
        ],
    )
    result = read(tmp_path)
    assert result.blocked() == {"1", "2"}
    first, second = (p for p in result.problems if p.blocking)
    assert str(first) == (
        "a.xlsx, blad 'Blad1', rij 2, kolom 'Geboortedatum': Datum '31-02-2014' bestaat niet. "
        "Vul de geboortedatum in als dag-maand-jaar, bijvoorbeeld 3-5-2014."
    )
    assert (second.column, second.value, second.place.row) == ("LWOO", "misschien", 3)
    assert second.row_values[second.column_index] == "misschien"
    assert len(result.leerlingen) == 3


def test_birth_date_outside_age_window(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("1", Geboortedatum="1-1-2020")])
    result = read(tmp_path)
    assert result.blocked() == {"1"}
    assert "6 jaar" in result.problems[0].problem


def test_required_field_missing(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("1", Schooladvies=None)])
    result = read(tmp_path)
    [problem] = result.problems
    assert problem.column == "Schooladvies"
    assert "ontbreekt" in problem.problem


def test_row_without_number_is_matched_on_name_and_birth_date(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("012345")])
    write_csv(
        tmp_path / "okr.csv",
        [
            {
                "Achternaam": "vries",
                "Roepnaam": "Sanne",
                "Geboortedatum": "03-05-2014",
                "Werkhouding": "Goed",
            }
        ],
    )
    result = read(tmp_path)
    [sanne] = result.leerlingen
    assert sanne.werkhouding == "Goed"
    [note] = result.problems
    assert not note.blocking
    assert note.place.file == "okr.csv"
    assert "naam en geboortedatum gekoppeld" in note.problem


def test_conflicts_are_reported_with_both_places(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("1"), registration("2", Roepnaam="Bo")])
    write_csv(
        tmp_path / "b.csv",
        [
            {"Leerlingnummer": "1", "Klas": "1A", "Schooladvies": "havo"},
            {"Leerlingnummer": "2", "Roepnaam": "Ed", "Achternaam": "Vries"},
            {"Leerlingnummer": "3", "Werkhouding": "Goed"},
        ],
    )
    result = read(tmp_path)
    problems = [p for p in result.problems if p.blocking]
    advies = [p for p in problems if p.column == "Schooladvies"]
    assert {p.place.file for p in advies} == {"a.xlsx", "b.csv"}
    assert all("'havo'" in p.problem and "'vmbo-kb'" in p.problem for p in advies)
    twee = [p for p in problems if p.leerlingnummer == "2"]
    assert twee and all("twee verschillende kinderen" in p.problem for p in twee)
    drie = [p for p in problems if p.leerlingnummer == "3"]
    assert drie and "geen enkele aanmeldlijst" in drie[0].problem
    assert result.blocked() == {"1", "2", "3"}
    assert [s.leerlingnummer for s in result.leerlingen] == ["2", "1"]  # Bo, Sanne


def test_pdf_reports_are_matched_on_number_in_name(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("123456"), registration("2024", Roepnaam="Bo")])
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()
    for name in ("OKR 123456.pdf", "123456-okr.pdf", "OKR 2024 777777.pdf", "brief.pdf"):
        (tmp_path / name).write_bytes(pdf)
    result = read(tmp_path)
    assert sorted(p.name for p in result.rapporten["123456"]) == [
        "123456-okr.pdf",
        "OKR 123456.pdf",
    ]
    assert result.rapporten["2024"][0].name == "OKR 2024 777777.pdf"
    notes = [p for p in result.problems if p.place.file == "brief.pdf"]
    assert notes and not notes[0].blocking


# --- random input never gives a traceback -------------------------------------------------

# Characters openpyxl can store in a cell (no vertical tab or form feed).
TEXT = string.printable.replace("\x0b", "").replace("\x0c", "")
cells = st.one_of(
    st.none(),
    st.text(alphabet=TEXT + "éëï\u00a0", max_size=12),
    st.integers(min_value=-(10**6), max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.sampled_from(["ja", "nee", "31-02-2014", "3-5-2014", "havo", "=1+1", "#N/B", "2F"]),
)
headers = st.lists(
    st.one_of(st.sampled_from([f.header for f in FIELDS]), st.text(alphabet=TEXT, max_size=8)),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=headers,
    rows=st.lists(st.lists(cells, max_size=9), max_size=8),
    as_csv=st.booleans(),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_random_workbooks_give_a_result_or_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory,
    header: list[str],
    rows: list[list[object]],
    as_csv: bool,
    delimiter: str,
) -> None:
    folder = tmp_path_factory.mktemp("willekeurig")
    dicts = [dict(zip(header, row, strict=False)) for row in rows]
    if as_csv:
        write_csv(folder / "x.csv", dicts, delimiter=delimiter, encoding="utf-8")
    else:
        write_xlsx(folder / "x.xlsx", dicts)
    try:
        result = read(folder)
    except (IntakeFilesError, IntakeFolderError):
        return
    assert isinstance(result, IntakeResult)
    report = tmp_path_factory.mktemp("uit") / "intake-rapport.xlsx"
    write_intake_report(result, report)
    assert load_workbook(report).sheetnames == ["Problemen", "Bronrijen", "Meldingen"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".xlsx", ".csv", ".xlsm", ".pdf"]))
def test_random_bytes_give_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    (folder / f"x{suffix}").write_bytes(data)
    with contextlib.suppress(IntakeFilesError, IntakeFolderError):
        read(folder)


# --- converted copies of the intake never outlive the run ------------------------------------


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this test alone."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_an_xls_is_converted_in_a_private_work_folder_that_goes_with_the_run(
    tmp_path: Path, system_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = tmp_path / "intake"
    intake.mkdir()
    # What some systems save as .xls; LibreOffice makes a workbook of it.
    (intake / "aanmeldingen.xls").write_text("<table><tr><td>Leerlingnummer</td></tr></table>")
    seen: list[tuple[Path, int]] = []

    def convert(sources: list[Path], targets: list[Path], **_options: Any) -> ConversionResult:
        (work,) = [p for p in sources[0].parents if p.parent == system_temp]
        seen.append((work, stat.S_IMODE(work.stat().st_mode)))
        write_xlsx(targets[0], [registration("990001")])
        return ConversionResult({sources[0]: targets[0]}, {})

    monkeypatch.setattr(intake_module, "convert_files", convert)
    result = CliRunner().invoke(
        main, ["check", "--intake", str(intake), "--output", str(tmp_path / "uit")]
    )

    assert result.exit_code == 0, result.output
    ((work, mode),) = seen
    # Named after this process, so that when it is killed the next run removes the folder.
    assert work.name.startswith(f"{WORK_DIR_PREFIX}{os.getpid()}-")
    assert mode == 0o700
    assert list(system_temp.iterdir()) == []


def test_the_next_run_removes_what_a_killed_run_left_in_the_temporary_folder(
    tmp_path: Path, system_temp: Path
) -> None:
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait()
    left = system_temp / f"{WORK_DIR_PREFIX}{ended.pid}-k7x2q9"
    (left / "bestand1").mkdir(parents=True)
    (left / "bestand1" / "invoer.xls").write_text("Leerlingnummer;Achternaam\n990001;Wolkenkrabber")
    # A running process's folder is its own.
    running = system_temp / f"{WORK_DIR_PREFIX}{os.getpid()}-p3m8w1"
    running.mkdir()
    intake = tmp_path / "intake"
    intake.mkdir()
    write_xlsx(intake / "aanmeldingen.xlsx", [registration("990001")])

    result = CliRunner().invoke(
        main, ["check", "--intake", str(intake), "--output", str(tmp_path / "uit")]
    )

    assert result.exit_code == 0, result.output
    assert list(system_temp.iterdir()) == [running]
