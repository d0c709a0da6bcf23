"""A whole run with two counsellors and a student without one: each document, the worklist and
the calendars read back from the files the run wrote."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from opp_docs.config import load_config
from opp_docs.models import SchoolYear
from opp_docs.pipeline.run import RunOptions, run_dossiers
from tests.helpers import REPO, words_in
from tests.pipeline.staff import YEAR, write_intake

pytestmark = pytest.mark.libreoffice

ALBERS, BAKKER = "mevr. A. Albers", "dhr. B. Bakker"
PROMPT = "[naam leerlingbegeleider]"
SETTINGS = f"""
[mensen]
teamleider = "T. Leider"
[leerlingbegeleiders.klas]
"1B" = "{BAKKER}"
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Anna's counsellor is named in the intake, Bram's by his class's rule; Cas's class has no
    rule and there is no default."""
    root = tmp_path_factory.mktemp("begeleiders")
    intake = write_intake(
        root / "intake",
        {"nummer": "990201", "velden": {"Roepnaam": "Anna", "Achternaam": "Aalders",
                                        "Klas": "1A", "Leerlingbegeleider": ALBERS}},
        {"nummer": "990202", "niveau": "licht",
         "velden": {"Roepnaam": "Bram", "Achternaam": "Brink", "Klas": "1B"}},
        {"nummer": "990203", "velden": {"Roepnaam": "Cas", "Achternaam": "Claes", "Klas": "2C"}},
    )  # fmt: skip
    settings = root / "opp-docs.toml"
    settings.write_text(SETTINGS, encoding="utf-8")
    options = RunOptions(
        intake=intake,
        output=root / "uit",
        schooljaar=SchoolYear.parse(YEAR),
        templates=REPO / "templates",
        config=load_config(settings),
        today=dt.date(2026, 9, 14),
    )
    summary = run_dossiers(options)
    assert summary.failed == 0
    return root / "uit" / YEAR


def manifest_student(year_dir: Path, nummer: str) -> dict[str, Any]:
    manifest = json.loads((year_dir / "manifest.json").read_text("utf-8"))
    (found,) = [s for s in manifest["leerlingen"] if s["leerlingnummer"] == nummer]
    return dict(found)


@pytest.mark.parametrize(("nummer", "own", "other"), [("990201", ALBERS, BAKKER),
                                                      ("990202", BAKKER, ALBERS)])  # fmt: skip
def test_every_document_names_the_students_own_counsellor(
    out: Path, nummer: str, own: str, other: str
) -> None:
    student = manifest_student(out, nummer)
    assert student["leerlingbegeleider"] == own
    kinds = [d["soort"] for d in student["documenten"]]
    plan = "opp" if nummer == "990201" else "opp-light"
    assert kinds == ["informatiebrief", plan, "ondertekeningsblad", "tussenevaluatie",
                     "eindevaluatie"]  # fmt: skip
    for document in student["documenten"]:
        text = words_in(out / document["pdf"])
        assert own in text, document["soort"]
        assert other not in text and PROMPT not in text, document["soort"]
    letter = words_in(out / student["documenten"][0]["pdf"])
    # Signed by the counsellor, and named as the parents' contact.
    assert f"Met vriendelijke groet, {own} leerlingbegeleider" in letter
    assert f"{own} leerlingbegeleider; stelt het plan op" in letter
    # The teacher overview too.
    teachers = words_in(out / "docentenoverzicht.pdf")
    assert f"Leerlingbegeleider {own}" in teachers


def test_a_student_without_a_counsellor_is_a_problem_on_the_worklist(out: Path) -> None:
    cas = manifest_student(out, "990203")
    assert cas["leerlingbegeleider"] == ""
    # The documents are still made; they ask for the name instead of leaving a blank.
    letter = words_in(out / cas["documenten"][0]["pdf"])
    assert f"Met vriendelijke groet, {PROMPT} leerlingbegeleider" in letter
    sheet = load_workbook(out / "overzicht.xlsx")["Overzicht"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    by_number = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    problems = str(by_number["990203"]["Problemen"])
    assert "Geen leerlingbegeleider bekend (klas 2C)" in problems
    assert "[leerlingbegeleiders]" in problems
    assert by_number["990203"]["Leerlingbegeleider"] is None
    for nummer in ("990201", "990202"):
        # Only what else is missing (these test students have no address); no counsellor.
        assert "leerlingbegeleider" not in str(by_number[nummer]["Problemen"] or "")


def test_each_counsellor_has_a_sheet_and_a_calendar_of_only_their_students(out: Path) -> None:
    book = load_workbook(out / "overzicht.xlsx")
    assert book.sheetnames == [
        "Overzicht", f"Werklijst {BAKKER}", f"Werklijst {ALBERS}", "Toelichting"
    ]  # fmt: skip
    for naam, nummer in ((ALBERS, "990201"), (BAKKER, "990202")):
        rows = list(book[f"Werklijst {naam}"].iter_rows(values_only=True))
        assert [r[0] for r in rows[1:]] == [nummer]
        calendar = Calendar.from_ical((out / f"planning {naam}.ics").read_bytes())
        uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
        assert len(uids) == 6
        assert all(f"-{nummer}-" in uid for uid in uids), uids
    everyone = Calendar.from_ical((out / "planning.ics").read_bytes())
    assert len(list(everyone.walk("VEVENT"))) == 3 * 6
