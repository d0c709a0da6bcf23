from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from opp_docs.config import Config
from opp_docs.intake.folder import read_intake
from opp_docs.models import SchoolYear
from opp_docs.overviews.intake_report import write_intake_report
from tests.intake_helpers import registration, write_csv, write_xlsx


def test_report_lists_problems_and_marks_source_cells(tmp_path: Path) -> None:
    intake = tmp_path / "intake"
    intake.mkdir()
    write_xlsx(
        intake / "a.xlsx",
        [
            registration("1", Geboortedatum="31-02-2014"),
            registration("2", Roepnaam="Bo"),
        ],
    )
    write_csv(
        intake / "b.csv",
        [
            {
                "Leerlingnummer": "2",
                "LWOO": "+misschien",
                "Tutor": '=HYPERLINK("x")',
                "Kolom X": "@x",
            }
        ],
    )
    result = read_intake(intake, Config(), SchoolYear(2026))
    out = tmp_path / "uit" / "intake-rapport.xlsx"
    write_intake_report(result, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["intake-rapport.xlsx"]

    workbook = load_workbook(out)
    problems = workbook["Problemen"]
    rows = [[c.value for c in row] for row in problems.iter_rows()]
    assert rows[0][:7] == ["Bestand", "Blad", "Rij", "Kolom", "Waarde", "Probleem", "Oplossing"]
    assert rows[1][:5] == ["a.xlsx", "Blad1", 2, "Geboortedatum", "31-02-2014"]
    assert rows[2][:5] == ["b.csv", None, 2, "LWOO", "+misschien"]
    assert problems["E3"].data_type == "s"

    copies = workbook["Bronrijen"]
    cells = {c.value: c for row in copies.iter_rows() for c in row if c.value is not None}
    bad = cells["31-02-2014"]
    assert bad.fill.start_color.rgb == "FFFF9999"
    assert bad.comment is not None and "bestaat niet" in bad.comment.text
    # Source text that looks like a formula is copied as text, never as a formula.
    formula_like = cells['=HYPERLINK("x")']
    assert formula_like.data_type == "s"
    assert cells["+misschien"].comment is not None
    assert "a.xlsx, blad 'Blad1'" in cells
    assert "b.csv" in cells

    notes = [c.value for c in workbook["Meldingen"]["A"]]
    assert "Gelezen: a.xlsx" in notes
    assert any(isinstance(n, str) and "'Kolom X'" in n for n in notes)


def test_report_replaces_an_old_one_atomically(tmp_path: Path) -> None:
    intake = tmp_path / "intake"
    intake.mkdir()
    write_xlsx(intake / "a.xlsx", [registration("1")])
    result = read_intake(intake, Config(), SchoolYear(2026))
    out = tmp_path / "intake-rapport.xlsx"
    out.write_text("oud")
    write_intake_report(result, out)
    assert load_workbook(out)["Problemen"].max_row == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
