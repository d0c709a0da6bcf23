from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from opp_docs.errors import IntakeFilesError, IntakeFolderError
from opp_docs.intake.fields import FIELDS
from opp_docs.models import IntakeResult
from opp_docs.overviews.intake_report import write_intake_report
from tests.intake_helpers import (
    blocking,
    needs_soffice,
    read,
    registration,
    report_rows,
    soffice_convert,
    write_csv,
    write_xlsx,
)


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
