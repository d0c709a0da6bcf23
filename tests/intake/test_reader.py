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

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from pypdf import PdfWriter

from opp_docs.cli import main
from opp_docs.config import Config
from opp_docs.decide.routing import propose_route
from opp_docs.errors import ConfigError, IntakeFilesError, IntakeFolderError
from opp_docs.intake import legacy
from opp_docs.intake.fields import FIELDS, header_key
from opp_docs.intake.folder import read_intake
from opp_docs.models import IntakeResult, Route, SchoolYear
from opp_docs.office import WORK_DIR_PREFIX
from opp_docs.overviews.intake_report import write_intake_report
from opp_docs.pipeline.plan import run_check
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


def problem_rows(report: Path) -> list[tuple[object, ...]]:
    """The rows of the intake report's problem sheet, read back."""
    return list(load_workbook(report)["Problemen"].iter_rows(min_row=2, values_only=True))


def report_rows(result: IntakeResult, folder: Path) -> list[tuple[object, ...]]:
    """The problem rows of the intake report, written to `folder` and read back."""
    write_intake_report(result, folder / "intake-rapport.xlsx")
    return problem_rows(folder / "intake-rapport.xlsx")


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


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Klassenmentor 1", "tutor"),
        ("Klassenmentor", "tutor"),
        ("Mentor 1", "tutor"),
        ("Mentor(en)", "tutor"),
        ("Stamnr.", "leerlingnummer"),
        ("Geb.dat.", "geboortedatum"),
    ],
)
def test_magister_and_somtoday_headers_are_synonyms(tmp_path: Path, header: str, key: str) -> None:
    canonical = {"leerlingnummer": "Leerlingnummer", "geboortedatum": "Geboortedatum"}
    row = registration("990101")
    if key == "tutor":
        row[header] = "J. Bakker"
    else:
        row = {(header if h == canonical[key] else h): v for h, v in row.items()}
    write_xlsx(tmp_path / "magister.xlsx", [row])
    result = read(tmp_path)
    assert blocking(result) == []
    assert result.notes == []  # no column left unread
    [student] = result.leerlingen
    assert (student.leerlingnummer, student.geboortedatum) == ("990101", dt.date(2014, 5, 3))
    assert student.tutor == ("J. Bakker" if key == "tutor" else "")


def long_okr(rows: list[tuple[str, str, object]], **names: str) -> list[dict[str, object]]:
    """An OKR in long form: one row per student and factor."""
    return [
        {"Leerlingnummer": nummer, **names, "Onderdeel": part, "Waarde": value}
        for nummer, part, value in rows
    ]


def test_okr_in_long_form_is_read_into_the_fields(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [registration("990101"), registration("990102", Roepnaam="Bo")],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        long_okr(
            [
                ("990101", "Ondersteuningsniveau", "zwaar"),
                # Two texts that are also headers: this data row must not become the header.
                ("990101", "Bevorderende factoren", "Werkhouding"),
                ("990101", "Eindtoets lezen", "2F"),
                ("990101", "TLV mogelijk", "ja"),
                ("990102", "werkhouding:", "Wisselend"),
                ("990102", "Aantal RT-momenten", 4),
            ]
        ),
    )
    result = read(tmp_path)
    assert result.problems == []
    assert result.notes == [
        "okr.xlsx, blad 'Blad1': in de lange vorm gelezen (per rij een onderdeel in kolom "
        "'Onderdeel' met zijn waarde in kolom 'Waarde')."
    ]
    bo, sanne = result.leerlingen
    assert (sanne.ondersteuningsniveau, sanne.bevorderende_factoren) == ("zwaar", "Werkhouding")
    assert (sanne.toets_lezen, sanne.tlv_mogelijk) == ("2F", True)
    assert (bo.werkhouding, bo.rt_momenten) == ("Wisselend", 4)
    assert propose_route(sanne, Config()).route is Route.OPP


def test_okr_in_long_form_with_names_and_a_school_synonym(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "aanmeldingen.xlsx", [registration("990101")])
    write_csv(
        tmp_path / "okr.csv",
        long_okr(
            [("990101", "Niveau", "licht"), ("990101", "Thuis", "Woont bij moeder.")],
            Achternaam="Vries",
            Roepnaam="Sanne",
        ),
    )
    config = Config(synoniemen={"thuissituatie": ("Thuis",), "ondersteuningsniveau": ("Niveau",)})
    result = read(tmp_path, config)
    assert result.problems == []
    [sanne] = result.leerlingen
    assert (sanne.ondersteuningsniveau, sanne.thuissituatie) == ("licht", "Woont bij moeder.")


def test_okr_in_long_form_refuses_what_it_cannot_place(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [registration("990101"), registration("990102", Roepnaam="Bo")],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        long_okr(
            [
                ("990101", "Lievelingsvak", "gym"),
                ("990101", "Werkhouding", "Goed"),
                ("990102", "Ondersteuningsniveau", "heel zwaar"),
                ("990102", "", "Rustig"),
                ("990102", "Leerlingnummer", "990103"),
            ]
        ),
    )
    result = read(tmp_path)
    assert result.blocked() == {"990101", "990102"}
    assert [str(p) for p in result.problems] == [
        "okr.xlsx, blad 'Blad1', rij 2, kolom 'Onderdeel': Onderdeel 'Lievelingsvak' is geen "
        "veld van de intake; de waarde in kolom 'Waarde' is niet gelezen. Gebruik in kolom "
        "'Onderdeel' de naam van een veld, zoals 'Ondersteuningsniveau' of 'Werkhouding' (zie "
        "'opp-docs templates velden'), of voeg 'Lievelingsvak' als kolomnaam toe in de "
        "instellingen onder [kolommen].",
        "okr.xlsx, blad 'Blad1', rij 4, kolom 'Waarde': Ondersteuningsniveau 'heel zwaar' is "
        "onbekend. Vul basis, licht (meer dan basisondersteuning, niet ernstig) of zwaar "
        "(ernstig of hardnekkig) in.",
        "okr.xlsx, blad 'Blad1', rij 5, kolom 'Onderdeel': Bij de waarde 'Rustig' staat niet bij "
        "welk onderdeel hij hoort. Vul in kolom 'Onderdeel' de naam van het veld in, zoals "
        "'Werkhouding'.",
        "okr.xlsx, blad 'Blad1', rij 6, kolom 'Onderdeel': Onderdeel 'Leerlingnummer' staat "
        "ook als eigen kolom 'Leerlingnummer' in deze rij. Zet de waarde alleen in kolom "
        "'Leerlingnummer'.",
    ]
    assert [s.werkhouding for s in result.leerlingen] == ["", "Goed"]  # Bo, Sanne
    rows = report_rows(result, tmp_path / "uit")
    assert [row[:5] + row[7:] for row in rows] == [
        ("okr.xlsx", "Blad1", 2, "Onderdeel", "Lievelingsvak", "990101", "ja"),
        ("okr.xlsx", "Blad1", 4, "Waarde", "heel zwaar", "990102", "ja"),
        ("okr.xlsx", "Blad1", 5, "Onderdeel", None, "990102", "ja"),
        ("okr.xlsx", "Blad1", 6, "Onderdeel", "Leerlingnummer", "990102", "ja"),
    ]


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


def test_number_in_a_date_cell_is_one_bad_cell_not_a_broken_file(tmp_path: Path) -> None:
    # 20140103 typed into a date cell lies beyond Excel's calendar (Excel shows ####).
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Blad1"
    sheet.append(list(registration()))
    for nummer, roepnaam, geboren in (
        ("990101", "Sanne", 20140103),
        ("990102", "Bo", 15032014),
        ("990103", "Ed", 10**12),
        ("990104", "Lot", dt.date(2014, 2, 1)),
    ):
        sheet.append(list(registration(nummer, Roepnaam=roepnaam, Geboortedatum=geboren).values()))
    for row in range(2, 6):
        sheet[f"E{row}"].number_format = "DD-MM-YYYY"
    workbook.save(tmp_path / "aanmeldingen.xlsx")
    result = read(tmp_path)
    assert result.blocked() == {"990102", "990103"}
    born = {s.leerlingnummer: s.geboortedatum for s in result.leerlingen}
    assert born["990101"] == dt.date(2014, 1, 3)
    assert born["990104"] == dt.date(2014, 2, 1)
    assert [str(p) for p in result.problems] == [
        "aanmeldingen.xlsx, blad 'Blad1', rij 3, kolom 'Geboortedatum': In de cel staat het "
        "getal 15032014, geen datum. Typ de geboortedatum als dag-maand-jaar met streepjes: "
        "15-03-2014, als dat de bedoelde datum is.",
        "aanmeldingen.xlsx, blad 'Blad1', rij 4, kolom 'Geboortedatum': '1000000000000' is "
        "geen datum. Vul de geboortedatum in als dag-maand-jaar, bijvoorbeeld 3-5-2014.",
    ]
    rows = report_rows(result, tmp_path / "uit")
    assert [row[:5] + row[7:] for row in rows] == [
        ("aanmeldingen.xlsx", "Blad1", 3, "Geboortedatum", "15032014", "990102", "ja"),
        ("aanmeldingen.xlsx", "Blad1", 4, "Geboortedatum", "1000000000000", "990103", "ja"),
    ]


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


# --- "Excel" downloads that are a web page or text ---------------------------------------

HTML_EXPORT = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Export</title></head><body>
<table border="1">
<tr><td colspan="6"><b>Aanmeldingen 2026-2027</b></td></tr>
<tr><th>Stamnr.</th><th>Achternaam</th><th>Tussenv.</th><th>Roepnaam</th><th>Geb.dat.</th>
    <th>Basisschool</th><th>Advies</th><th>Klassenmentor 1</th></tr>
<tr><td>0990101</td><td>Vries</td><td>de</td><td>Zo&euml;</td><td>03-05-2014</td>
    <td>De&nbsp;Regenboog</td><td>vmbo-kb</td><td>J. Bakker</td></tr>
<tr><td>0990102</td><td>Bakker</td><td></td><td>Bo</td><td>01-03-2014</td>
    <td>Sint-Jozef<br>dependance</td><td colspan="2">havo</td></tr>
<tr><td></td><td></td></tr>
</table></body></html>
"""


def test_xls_that_is_a_web_page_is_read_as_text(tmp_path: Path) -> None:
    (tmp_path / "export.xls").write_text(HTML_EXPORT, encoding="utf-8")
    before = snapshot(tmp_path)
    result = read(tmp_path)
    assert snapshot(tmp_path) == before
    assert blocking(result) == []
    zoe, bo = sorted(result.leerlingen, key=lambda s: s.leerlingnummer)
    assert (zoe.leerlingnummer, zoe.naam, zoe.geboortedatum) == (
        "0990101",
        "Zoë de Vries",
        dt.date(2014, 5, 3),
    )
    assert (zoe.basisschool, zoe.tutor) == ("De Regenboog", "J. Bakker")
    assert (bo.leerlingnummer, bo.basisschool, bo.schooladvies, bo.tutor) == (
        "0990102",
        "Sint-Jozef\ndependance",
        "havo",
        "",
    )
    assert [p.row for p in bo.places] == [4]
    assert result.notes == [
        "export.xls is eigenlijk een webpagina met een tabel (HTML) en is zo gelezen, elke cel "
        "als tekst."
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_xls_that_is_tab_separated_text_is_read_as_csv(tmp_path: Path, encoding: str) -> None:
    write_csv(
        tmp_path / "export.xls",
        [registration("0990101", Roepnaam="Zoë"), registration("0990102", Roepnaam="Bo")],
        delimiter="\t",
        encoding=encoding,
    )
    before = snapshot(tmp_path)
    result = read(tmp_path)
    assert snapshot(tmp_path) == before
    assert blocking(result) == []
    assert [(s.leerlingnummer, s.roepnaam) for s in result.leerlingen] == [
        ("0990102", "Bo"),
        ("0990101", "Zoë"),
    ]
    assert result.notes == [
        "export.xls is eigenlijk een tekstbestand (zoals CSV) en is zo gelezen, elke cel als tekst."
    ]


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


@pytest.mark.parametrize(
    ("achternaam", "tussenvoegsel", "in_okr"),
    [
        ("Bakker", "de", "de Bakker"),
        ("Bakker", "de", "DE BAKKER"),
        ("Bakker", "de", "Bakker, de"),
        ("Bakker", "de", "Bakker de"),
        ("Bakker", "de", "Bakker"),  # the OKR left the tussenvoegsel out, as before
        ("Berg", "van den", "Berg, van den"),
        ("Berg", "van den", "Berg van den"),
        ("Hart", "'t", "’t Hart"),
        ("Brée", "de", "de Bree"),
        ("de Bakker", None, "Bakker, de"),
    ],
)
def test_okr_row_without_number_matches_whatever_the_tussenvoegsel_order(
    tmp_path: Path, achternaam: str, tussenvoegsel: str | None, in_okr: str
) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [
            registration(
                "990101", Achternaam=achternaam, Tussenvoegsel=tussenvoegsel, Roepnaam="Daan"
            ),
            registration("990102", Achternaam="Bakker", Tussenvoegsel=None, Roepnaam="Bo"),
        ],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        [
            {
                "Achternaam": in_okr,
                "Roepnaam": "Daan",
                "Geboortedatum": dt.date(2014, 5, 3),
                "Ondersteuningsniveau": "zwaar",
            }
        ],
    )
    result = read(tmp_path)
    daan = next(s for s in result.leerlingen if s.leerlingnummer == "990101")
    assert daan.ondersteuningsniveau == "zwaar"
    assert daan.naam == " ".join(p for p in ("Daan", tussenvoegsel, achternaam) if p)
    assert propose_route(daan, Config()).route is Route.OPP
    [note] = result.problems
    assert (note.place.file, note.blocking, note.leerlingnummer) == ("okr.xlsx", False, "990101")
    assert note.problem == (
        "Deze rij heeft geen leerlingnummer en is op naam en geboortedatum gekoppeld aan "
        "leerling 990101."
    )


def test_surname_with_tussenvoegsel_in_front_is_no_second_child(tmp_path: Path) -> None:
    # The OKR's file sorts first, so its 'de Bakker' is met before the registration's 'Bakker'.
    write_xlsx(tmp_path / "a-okr.xlsx", [{"Leerlingnummer": "990101", "Achternaam": "de Bakker"}])
    write_xlsx(
        tmp_path / "b-aanmeldingen.xlsx",
        [registration("990101", Achternaam="Bakker", Tussenvoegsel="de", Roepnaam="Daan")],
    )
    result = read(tmp_path)
    assert result.problems == []
    [daan] = result.leerlingen
    assert (daan.naam, daan.achternaam) == ("Daan de Bakker", "Bakker")


def test_okr_row_that_matches_nobody_stays_a_visible_problem(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [registration("990101", Achternaam="Bakker", Tussenvoegsel="de", Roepnaam="Daan")],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        [
            {
                "Achternaam": "de Backer",
                "Roepnaam": "Daan",
                "Geboortedatum": dt.date(2014, 5, 3),
                "Ondersteuningsniveau": "zwaar",
            }
        ],
    )
    summary = run_check(tmp_path, tmp_path / "uit", YEAR, Config())
    assert summary.intake_problems == 1
    [problem] = summary.intake.problems
    assert str(problem) == (
        "okr.xlsx, blad 'Blad1', rij 2, kolom 'Leerlingnummer': Deze rij heeft geen (geldig) "
        "leerlingnummer en er is geen aangemelde leerling met deze naam en geboortedatum. "
        "Vul het leerlingnummer in zoals het in de leerlingadministratie staat."
    )
    assert problem.blocking
    rows = problem_rows(summary.intake_report)
    assert [row[:4] + row[8:] for row in rows] == [("okr.xlsx", "Blad1", 2, "Leerlingnummer", "ja")]


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


def test_same_child_with_two_birth_dates_is_a_data_conflict(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [registration("990101"), registration("990102", Roepnaam="Bo")],
    )
    write_csv(
        tmp_path / "somtoday.csv",
        [
            # The same child (number and name), another birth date: one of the two is wrong.
            registration("990101", Geboortedatum="4-5-2014"),
            # Another name and another birth date: the number is used for two children.
            registration("990102", Roepnaam="Ed", Geboortedatum="4-5-2014"),
        ],
    )
    result = read(tmp_path)
    assert result.blocked() == {"990101", "990102"}
    sanne = [str(p) for p in result.problems if p.leerlingnummer == "990101"]
    assert sanne == [
        "aanmeldingen.xlsx, blad 'Blad1', rij 2, kolom 'Geboortedatum': De twee bestanden geven "
        "leerling 990101 (zelfde nummer en naam) een andere geboortedatum: hier '3-5-2014', in "
        "somtoday.csv, rij 2 '4-5-2014'. Zoek uit welke geboortedatum klopt en verbeter de "
        "verkeerde in het bestand of in de administratie waar het vandaan komt.",
        "somtoday.csv, rij 2, kolom 'Geboortedatum': De twee bestanden geven leerling 990101 "
        "(zelfde nummer en naam) een andere geboortedatum: hier '4-5-2014', in "
        "aanmeldingen.xlsx, blad 'Blad1', rij 2 '3-5-2014'. Zoek uit welke geboortedatum klopt "
        "en verbeter de verkeerde in het bestand of in de administratie waar het vandaan komt.",
    ]
    bo = [p for p in result.problems if p.leerlingnummer == "990102"]
    assert {p.column for p in bo} == {"Roepnaam", "Geboortedatum"}
    assert all("twee verschillende kinderen" in p.problem for p in bo)
    assert all("verbeter het nummer van het andere kind" in p.fix for p in bo)
    rows = report_rows(result, tmp_path / "uit")
    assert [row[:5] for row in rows if row[7] == "990101"] == [
        ("aanmeldingen.xlsx", "Blad1", 2, "Geboortedatum", "3-5-2014"),
        ("somtoday.csv", None, 2, "Geboortedatum", "4-5-2014"),
    ]


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
    # A real (binary, OLE) .xls: only LibreOffice reads it.
    (intake / "aanmeldingen.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    seen: list[tuple[Path, int]] = []

    def convert(
        soffice: str, jobs: list[tuple[Path, Path]], fmt: str
    ) -> tuple[dict[Path, Path], dict[Path, str]]:
        ((source, target),) = jobs
        (work,) = [p for p in source.parents if p.parent == system_temp]
        seen.append((work, stat.S_IMODE(work.stat().st_mode)))
        write_xlsx(target, [registration("990001")])
        return {source: target}, {}

    monkeypatch.setattr(legacy, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(legacy, "run_batch", convert)
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
