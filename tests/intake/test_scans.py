"""Signed scans in the intake: told apart from the primary schools' reports, checked, matched
to a student by the number in their name, with their file's date; a scan of no student is a
problem in the intake report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from opp_docs.errors import IntakeFilesError
from opp_docs.overviews.intake_report import write_intake_report
from tests.intake_helpers import read, registration, write_xlsx
from tests.scan_files import dated, pdf_with_password, signed_image, signed_pdf


def intake(folder: Path) -> Path:
    write_xlsx(
        folder / "aanmeldingen.xlsx",
        [
            registration("123456"),
            registration("234567", Roepnaam="Bo", **{"Datum vaststelling": dt.date(2026, 10, 20)}),
        ],
    )
    return folder


def test_scans_are_told_apart_from_reports_by_name_type_and_folder(tmp_path: Path) -> None:
    intake(tmp_path)
    signed_pdf(tmp_path / "123456 ondertekend.pdf", "GETEKEND")
    signed_pdf(tmp_path / "Handtekening 234567.PDF", "GETEKEND")
    signed_pdf(tmp_path / "OKR 123456.pdf", "RAPPORT")
    signed_image(tmp_path / "234567.jpg")
    signed_image(tmp_path / "Handtekeningen" / "123456.png")
    signed_pdf(tmp_path / "scans" / "234567 blad.pdf", "GETEKEND")
    signed_pdf(tmp_path / "oud" / "123456 ondertekend.pdf", "GETEKEND")
    (tmp_path / "scans" / "Thumbs.db").write_bytes(b"\0")
    (tmp_path / "scans" / "notitie.txt").write_text("scanner")

    result = read(tmp_path)

    assert [p.name for p in result.rapporten["123456"]] == ["OKR 123456.pdf"]
    assert sorted(s.naam for s in result.scans["123456"]) == [
        "123456 ondertekend.pdf",
        "Handtekeningen/123456.png",
    ]
    assert sorted(s.naam for s in result.scans["234567"]) == [
        "234567.jpg",
        "Handtekening 234567.PDF",
        "scans/234567 blad.pdf",
    ]
    assert result.problems == []
    # Another folder is passed over, as before; so is what a scanner leaves beside its scans.
    assert any("Map 'oud'" in n and "'handtekeningen'" in n for n in result.notes)
    assert any("'scans/notitie.txt' is overgeslagen" in n for n in result.notes)
    assert not any("Thumbs.db" in n for n in result.notes)
    assert "Handtekeningen/123456.png" in result.files_read


def test_a_scan_has_its_files_date_and_the_intake_its_own(tmp_path: Path) -> None:
    intake(tmp_path)
    dated(signed_image(tmp_path / "123456.jpg"), dt.date(2026, 10, 22))
    result = read(tmp_path)
    (scan,) = result.scans["123456"]
    assert scan.datum == dt.date(2026, 10, 22)
    dates = {lln.leerlingnummer: lln.datum_ondertekening for lln in result.leerlingen}
    assert dates == {"123456": None, "234567": dt.date(2026, 10, 20)}


def test_an_orphan_scan_is_a_problem_in_the_intake_report(tmp_path: Path) -> None:
    intake(tmp_path)
    signed_image(tmp_path / "handtekeningen" / "999999.jpg")
    signed_pdf(tmp_path / "ondertekend.pdf", "GETEKEND")
    result = read(tmp_path)
    assert result.scans == {}
    report = tmp_path / "uit" / "intake-rapport.xlsx"
    write_intake_report(result, report)
    sheet = load_workbook(report)["Problemen"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    by_file = {r["Bestand"]: r for r in rows}
    orphan = by_file["handtekeningen/999999.jpg"]
    assert (
        orphan["Probleem"] == "Er is geen leerling met nummer 999999; de scan is niet toegevoegd."
    )
    assert "'123456 ondertekend.pdf'" in orphan["Oplossing"]
    assert orphan["Blokkeert documenten"] == "nee"
    assert "geen leerlingnummer" in by_file["ondertekend.pdf"]["Probleem"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("123456.jpg", "geen JPEG-, PNG- of TIFF-afbeelding"),
        ("handtekeningen/123456.png", "geen JPEG-, PNG- of TIFF-afbeelding"),
        ("123456 getekend.pdf", "beveiligd met een wachtwoord"),
    ],
)
def test_a_scan_that_cannot_go_into_a_dossier_stops_the_run(
    tmp_path: Path, name: str, problem: str
) -> None:
    intake(tmp_path)
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    if name.endswith(".pdf"):
        pdf_with_password(path)
    else:
        path.write_bytes(b"geen afbeelding")
    with pytest.raises(IntakeFilesError) as caught:
        read(tmp_path)
    (found,) = caught.value.problems
    assert found.file == name
    assert problem in found.problem
    assert "Scan het getekende ondertekeningsblad opnieuw" in found.fix
