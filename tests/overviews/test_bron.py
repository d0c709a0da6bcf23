"""bron-aanmelding.xlsx, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from opp_docs.models import StudentOutcome
from opp_docs.overviews.bron import BRON_AANMELDING
from tests.overviews.students import ORANGE, D, cell, fill, table, write


def test_bron_aanmelding_lists_the_plans_with_a_note(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 9, 20))
    header, rows, sheet = table(files[BRON_AANMELDING])
    assert header == [
        "Leerlingnummer", "Naam", "Klas", "Geboortedatum", "Plan", "Begindatum plan",
        "Aanmelden uiterlijk", "Notitie voor SOMtoday",
    ]  # fmt: skip
    # Only the plans, by deadline: the cohort on 1 October, the mid-year plan later.
    assert [r["Naam"] for r in rows] == ["Noor de Bakker", "Sem Jansen", "Sophie Peters"]
    noor, sem, sophie = rows
    assert noor["Plan"] == "OPP light"
    assert noor["Geboortedatum"] == dt.datetime(2013, 5, 3)
    assert noor["Begindatum plan"] == dt.datetime(2026, 10, 15)
    assert noor["Aanmelden uiterlijk"] == dt.datetime(2026, 10, 1)
    assert sophie["Begindatum plan"] == sophie["Aanmelden uiterlijk"] == dt.datetime(2026, 10, 26)
    note = sem["Notitie voor SOMtoday"]
    assert "\n" not in note
    for part in ("OPP voor Sem Jansen", "leerlingnummer 990001", "geboren 03-05-2013",
                 "klas 1A", "2026-2027", "Begindatum: 15-10-2026", "01-07-2027"):  # fmt: skip
        assert part in note, part
    assert cell(sheet, 2, "Geboortedatum").number_format == "DD-MM-YYYY"
    assert fill(sheet, 2, "Aanmelden uiterlijk") is None  # Noor's plan is finished
    assert fill(sheet, 3, "Aanmelden uiterlijk") == ORANGE
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:H4"
    assert cell(sheet, 2, "Notitie voor SOMtoday").alignment.wrap_text
