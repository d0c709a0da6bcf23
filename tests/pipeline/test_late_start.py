"""A school that starts late: documents made after the procedure's dates promise no day that
has passed, say the same date everywhere, and keep it on every rerun; read back from the PDFs
(pdftotext), the manifest, the calendar and the worklist."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from opp_docs.config import Config
from opp_docs.documents.formatting import datum
from opp_docs.files import STUDENTS_DIR
from opp_docs.models import RunSummary, SchoolYear
from opp_docs.pipeline.plan import PlanningRequest, run_planning
from opp_docs.pipeline.state import STATE
from tests.helpers import words_in
from tests.pipeline.staff import YEAR, counted_run, entry, type_into, write_intake

pytestmark = pytest.mark.libreoffice

D = dt.date
SEM, NOOR = "990201", "990202"


def dated_run(intake: Path, out: Path, today: dt.date) -> tuple[RunSummary, dict[str, Any]]:
    """A run on `intake` into `out` as if it were `today`; its counts and its manifest."""
    return counted_run(intake, out, today)


def cohort(folder: Path, klas: str = "1A") -> Path:
    return write_intake(
        folder,
        {"nummer": SEM, "velden": {"Roepnaam": "Sem", "Achternaam": "Jansen", "Klas": klas}},
        {"nummer": NOOR, "velden": {"Roepnaam": "Noor", "Achternaam": "Bakker"}, "niveau": "licht"},
    )


def pdf_of(out: Path, manifest: dict[str, Any], nummer: str, soort: str) -> Path:
    (doc,) = [d for d in entry(manifest, nummer)["documenten"] if d["soort"] == soort]
    return out / YEAR / doc["pdf"]


def calendar_days(out: Path) -> dict[str, dt.date]:
    """The calendar's events by uid: their day."""
    calendar = Calendar.from_ical((out / YEAR / "planning.ics").read_bytes())
    return {str(e["uid"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}


def worklist(out: Path) -> dict[str, dict[str, Any]]:
    sheet = load_workbook(out / YEAR / "overzicht.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:]}


def tree(out: Path) -> dict[str, str]:
    folder = out / YEAR / STUDENTS_DIR
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_run_on_1_december_promises_a_plan_after_the_letter(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    _summary, manifest = dated_run(cohort(tmp_path / "intake"), out, D(2026, 12, 1))

    for nummer, plan in ((SEM, "opp"), (NOOR, "opp-light")):
        deadlines = entry(manifest, nummer)["deadlines"]
        # Six weeks after the day the documents were made (weken_bij_late_start).
        assert deadlines["opp"] == "2027-01-12"
        assert deadlines["ondertekening"] == "2027-01-26"
        assert deadlines["bron"] == "2027-01-12"
        assert entry(manifest, nummer)["peildatum"] == "2026-12-01"
        assert entry(manifest, nummer)["verschoven"]["opp"] == "2026-10-15"
        letter = words_in(pdf_of(out, manifest, nummer, "informatiebrief"))
        assert "Datum 1 december 2026" in letter
        assert "Het plan wordt uiterlijk 12 januari 2027 vastgesteld" in letter
        assert "15 oktober" not in letter
        text = words_in(pdf_of(out, manifest, nummer, plan))
        assert "Vaststelling plan uiterlijk 12 januari 2027" in text
        assert "Ondertekening uiterlijk 26 januari 2027" in text
        # The calendar says the same days as the manifest, for every deadline.
        days = calendar_days(out)
        for key, day in deadlines.items():
            assert days[f"{YEAR}-{nummer}-{key}@opp-docs"] == D.fromisoformat(day), key

    late = worklist(out)[SEM]["Te laat"]
    assert "Documenten gemaakt op 01-12-2026, 47 dagen na de deadline plan vastgesteld" in late
    assert "plan vastgesteld 15-10-2026 → 12-01-2027" in late


def test_reruns_on_later_days_move_no_date_and_rewrite_nothing(tmp_path: Path) -> None:
    out, intake = tmp_path / "uit", cohort(tmp_path / "intake")
    _summary, first = dated_run(intake, out, D(2026, 12, 1))
    before = tree(out)
    deadlines = {n: entry(first, n)["deadlines"] for n in (SEM, NOOR)}

    summary, manifest = dated_run(intake, out, D(2026, 12, 2))
    assert (summary.made, summary.reused) == (0, 10)
    assert tree(out) == before
    assert {n: entry(manifest, n)["deadlines"] for n in (SEM, NOOR)} == deadlines

    # Past the moved deadline: nothing moves; the worklist says the plan is late now.
    summary, manifest = dated_run(intake, out, D(2027, 1, 20))
    assert summary.made == 0
    assert tree(out) == before
    assert {n: entry(manifest, n)["deadlines"] for n in (SEM, NOOR)} == deadlines
    assert "plan vastgesteld (8 dagen)" in worklist(out)[SEM]["Te laat"]
    assert calendar_days(out)[f"{YEAR}-{SEM}-opp@opp-docs"] == D(2027, 1, 12)
    # 'opp-docs planning' reads the same day from the documents.
    config = Config(teamleider="T. Leider", leerlingbegeleiders=("B. Egeleider",))
    request = PlanningRequest(intake, out, SchoolYear.parse(YEAR), config, D(2027, 2, 3), False)
    run_planning(request)
    assert worklist(out)[SEM]["Deadline plan vastgesteld"] == dt.datetime(2027, 1, 12)
    assert calendar_days(out)[f"{YEAR}-{NOOR}-ondertekening@opp-docs"] == D(2027, 1, 26)

    # Without the state file the documents themselves say the day they were made: the PDFs
    # are made again (the state knew them), the Word files stay as they are.
    (out / YEAR / STATE).unlink()
    summary, manifest = dated_run(intake, out, D(2027, 1, 20))
    assert summary.failed == 0
    words = {name: digest for name, digest in tree(out).items() if name.endswith(".docx")}
    assert words == {name: digest for name, digest in before.items() if name.endswith(".docx")}
    assert {n: entry(manifest, n)["deadlines"] for n in (SEM, NOOR)} == deadlines

    # A plan the counsellor worked in gets no new version beside it on a later day.
    (opp,) = (out / YEAR / STUDENTS_DIR).glob(f"{SEM} */opp - *.docx")
    type_into(opp, "Gesprek met ouders gepland.")
    summary, manifest = dated_run(intake, out, D(2027, 1, 21))
    assert summary.made == 1  # the edited plan's PDF
    assert not list((out / YEAR / STUDENTS_DIR).glob("*/*nieuwe versie*"))
    assert {n: entry(manifest, n)["deadlines"] for n in (SEM, NOOR)} == deadlines


def test_a_letter_made_again_later_counts_from_that_day(tmp_path: Path) -> None:
    """Made in time, then the intake changes after 15 October: the letter is made again with
    that day's date, so its promise counts from that day; the other student keeps hers."""
    out = tmp_path / "uit"
    _summary, manifest = dated_run(cohort(tmp_path / "intake"), out, D(2026, 9, 1))
    letter = words_in(pdf_of(out, manifest, SEM, "informatiebrief"))
    assert "Het plan wordt uiterlijk 15 oktober 2026 vastgesteld" in letter
    assert entry(manifest, SEM)["peildatum"] is None

    day = D(2026, 10, 20)
    _summary, manifest = dated_run(cohort(tmp_path / "intake", klas="1B"), out, day)

    sem = entry(manifest, SEM)
    assert sem["deadlines"]["opp"] == "2026-12-01"
    letter = words_in(pdf_of(out, manifest, SEM, "informatiebrief"))
    assert f"Datum {datum(day)}" in letter
    assert "Het plan wordt uiterlijk 1 december 2026 vastgesteld" in letter
    assert "Vaststelling plan uiterlijk 1 december 2026" in words_in(
        pdf_of(out, manifest, SEM, "opp")
    )
    assert calendar_days(out)[f"{YEAR}-{SEM}-opp@opp-docs"] == D(2026, 12, 1)
    # Noor's documents did not change: made on 1 September, her dates stand.
    assert entry(manifest, NOOR)["deadlines"]["opp"] == "2026-10-15"
    assert "15 oktober 2026" in words_in(pdf_of(out, manifest, NOOR, "informatiebrief"))
