"""Text from the intake stays text in every workbook: never a formula, never a broken file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from opp_docs.overviews.bron import BRON_AANMELDING
from opp_docs.overviews.worklist import OVERZICHT
from tests.overviews.students import D, cell, leerling, outcome, table, write

TRICKY = ['=HYPERLINK("http://x","klik")', "+31 6 12345678", "-1", "@SUM(A1:A2)", "=1+1"]


def test_intake_text_never_becomes_a_formula(tmp_path: Path) -> None:
    student = leerling(
        TRICKY[3], TRICKY[0], TRICKY[4], klas=TRICKY[2], tutor=TRICKY[1],
        ondersteuningsniveau="zwaar",
    )  # fmt: skip
    files = write(tmp_path, outcome(student), today=D(2026, 10, 5))
    for name, headers in (
        (OVERZICHT, ("Leerlingnummer", "Naam", "Klas", "Tutor")),
        (BRON_AANMELDING, ("Leerlingnummer", "Naam", "Klas")),
    ):
        _header, rows, sheet = table(files[name])
        for header_name in headers:
            c = cell(sheet, 2, header_name)
            assert c.data_type == "s", (name, header_name)
            assert c.value == rows[0][header_name]
        assert cell(sheet, 2, "Naam").value == f"{TRICKY[4]} {TRICKY[0]}"
        assert cell(sheet, 2, "Leerlingnummer").value == TRICKY[3]
        assert cell(sheet, 2, "Klas").value == TRICKY[2]
        with zipfile.ZipFile(files[name]) as z:
            xml = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "<f " not in xml


def test_control_characters_and_huge_text_do_not_break_the_workbook(tmp_path: Path) -> None:
    student = leerling("990001", "Jan\x07sen", "Sem", ondersteuningsniveau="zwaar")
    result = outcome(student)
    result.problems = ["x" * 40000]
    files = write(tmp_path, result, today=D(2026, 10, 5))
    row = table(files[OVERZICHT])[1][0]
    assert row["Naam"] == "Sem Jansen"
    assert len(row["Problemen"]) == 32767
