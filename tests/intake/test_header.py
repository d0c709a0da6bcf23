from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from opp_docs.config import Config
from tests.intake_helpers import (
    blocking,
    read,
    registration,
    write_xlsx,
)


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


@pytest.mark.parametrize(
    "header", ["Leerlingbegeleider", "Begeleider", "Zorgbegeleider", "LB", "Leerling-begeleider"]
)
def test_the_counsellor_column_and_its_synonyms(tmp_path: Path, header: str) -> None:
    write_xlsx(tmp_path / "aanmeldingen.xlsx", [registration("990101", **{header: " K. Koster "})])
    result = read(tmp_path)
    assert blocking(result) == []
    assert result.notes == []  # no column left unread
    [student] = result.leerlingen
    assert student.leerlingbegeleider == "K. Koster"
