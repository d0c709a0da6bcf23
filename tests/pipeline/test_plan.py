"""opp-docs planning as a library call: the intake, the run state and the documents on disk
in, the intake report and the overviews out, without rendering or converting a document."""

from __future__ import annotations

from pathlib import Path

from opp_docs.demo.cohort import write_example_intake
from opp_docs.models import Written
from opp_docs.overviews.bron import BRON_AANMELDING
from opp_docs.overviews.ics import PLANNING
from opp_docs.overviews.teachers import DOCENTENOVERZICHT
from opp_docs.overviews.worklist import OVERZICHT
from opp_docs.pipeline.plan import PlanningRequest, run_planning
from opp_docs.pipeline.state import BuildState
from tests.helpers import word_file
from tests.overviews.students import CONFIG, YEAR, D, docx_lines, table


def test_run_planning_reads_the_intake_and_the_documents_on_disk(tmp_path: Path) -> None:
    intake, output = tmp_path / "intake", tmp_path / "output"
    write_example_intake(intake, YEAR)
    year = output / str(YEAR)
    folder = year / "leerlingen" / "990101 Jansen, Sem"
    plan = word_file(folder / "opp - Sem Jansen.docx", advice=("Korte instructies.",))
    # The last run wrote other bytes there, and saw 990102 on another route.
    state = BuildState(year)
    state.copies.written[plan.relative_to(year).as_posix()] = Written("invoer", "0" * 64)
    state.routes = {"990101": "opp", "990102": "volgen"}
    state.save()

    result = run_planning(PlanningRequest(intake, output, YEAR, CONFIG, D(2026, 9, 20), pdf=False))

    names = {p.name for p in result.files}
    # The demo's two counsellors each get a calendar of their own.
    assert names == {
        "intake-rapport.xlsx", OVERZICHT, BRON_AANMELDING, PLANNING, DOCENTENOVERZICHT,
        "planning dhr. R. Koster.ics", "planning mevr. J. de Wit.ics",
    }  # fmt: skip
    assert result.summary.students == 14
    rows = {r["Leerlingnummer"]: r for r in table(year / OVERZICHT)[1]}
    assert len(rows) == 14
    sem = rows["990101"]
    assert sem["Documenten"] == "OPP"
    assert sem["Bewerkt door medewerker"] == "OPP"
    assert "is bewerkt sinds de laatste run" in sem["Problemen"]
    assert "Eindevaluatie ontbreekt" in sem["Problemen"]
    assert "De route is sinds de laatste run veranderd (was volgen" in rows["990102"]["Problemen"]
    assert rows["990102"]["Documenten"] == "nog geen"
    lines = "\n".join(docx_lines(year / DOCENTENOVERZICHT))
    assert "Korte instructies." in lines
    # Nothing else was made, and the intake is untouched.
    assert sorted(p.name for p in folder.iterdir()) == ["opp - Sem Jansen.docx"]
    assert BuildState.load(year).routes == state.routes
    assert not (year / ".opp-docs.lock").exists()


def test_run_planning_without_an_earlier_run(tmp_path: Path) -> None:
    intake = tmp_path / "intake"
    write_example_intake(intake, YEAR)
    result = run_planning(
        PlanningRequest(intake, tmp_path / "out", YEAR, CONFIG, D(2026, 9, 1), pdf=False)
    )
    rows = table(result.summary.year_dir / OVERZICHT)[1]
    plans = [r for r in rows if r["Route"] in ("OPP", "OPP light")]
    assert plans and all(r["Documenten"] == "nog geen" for r in plans)
    assert not (result.summary.year_dir / "manifest.json").exists()
