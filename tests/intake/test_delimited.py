from __future__ import annotations

from pathlib import Path

import pytest

from tests.intake_helpers import (
    blocking,
    read,
    registration,
    write_csv,
)


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
