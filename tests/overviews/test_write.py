"""Writing all overviews: whole files, and on a rerun only the ones that changed."""

from __future__ import annotations

from pathlib import Path

from opp_docs.models import DocumentKind, StudentOutcome
from opp_docs.overviews.bron import BRON_AANMELDING
from opp_docs.overviews.ics import PLANNING
from opp_docs.overviews.made_from import OverviewRecords
from opp_docs.overviews.teachers import DOCENTENOVERZICHT
from opp_docs.overviews.worklist import OVERZICHT
from tests.helpers import word_file
from tests.overviews.students import D, docx_lines, table, write


def test_every_file_is_written_whole(tmp_path: Path, cohort: list[StudentOutcome]) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 9, 1))
    assert set(files) == {OVERZICHT, BRON_AANMELDING, PLANNING, DOCENTENOVERZICHT, *CALENDARS}
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


# The cohort's two counsellors each get a calendar of their own.
CALENDARS = ("planning dhr. R. Koster.ics", "planning mevr. J. de Wit.ics")
OVERVIEWS = (OVERZICHT, BRON_AANMELDING, PLANNING, DOCENTENOVERZICHT, *CALENDARS)


def test_a_rerun_rewrites_only_the_overviews_that_changed(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    def inodes() -> dict[str, int]:
        # Every overview is replaced as a whole, so a rewritten file is a new file.
        return {name: (tmp_path / name).stat().st_ino for name in OVERVIEWS}

    records = OverviewRecords()
    write(tmp_path, *cohort, today=D(2026, 9, 1), records=records)
    first = inodes()
    write(tmp_path, *cohort, today=D(2026, 9, 1), records=records)
    assert inodes() == first
    # Another day: the dates and colours change, the calendar does not.
    write(tmp_path, *cohort, today=D(2026, 9, 2), records=records)
    second = inodes()
    assert {n for n in OVERVIEWS if second[n] != first[n]} == {
        OVERZICHT,
        BRON_AANMELDING,
        DOCENTENOVERZICHT,
    }
    # A file someone changed is written again, whole.
    (tmp_path / OVERZICHT).write_bytes(b"kapot")
    write(tmp_path, *cohort, today=D(2026, 9, 2), records=records)
    assert len(table(tmp_path / OVERZICHT)[1]) == len(cohort)


def test_a_rerun_reads_a_plan_that_staff_changed(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    records = OverviewRecords()
    write(tmp_path, *cohort, today=D(2026, 10, 5), records=records)
    sem = next(o for o in cohort if o.leerling.leerlingnummer == "990001")
    plan = next(d.docx for d in sem.documents if d.kind is DocumentKind.OPP)
    word_file(plan, advice=("Sem zit bij het raam.",), prompts=0)
    files = write(tmp_path, *cohort, today=D(2026, 10, 5), records=records)
    rows = {r["Leerlingnummer"]: r for r in table(files[OVERZICHT])[1]}
    assert rows["990001"]["Plan af"] == "ja"
    assert "Sem zit bij het raam." in "\n".join(docx_lines(files[DOCENTENOVERZICHT]))
