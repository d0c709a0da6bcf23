"""The run's start, shared by every command: the intake read, and per student the route and
deadlines. `run_check` stops after the intake report (`opp-docs check`); `run_planning` adds
the documents already on disk and writes the overviews, without rendering or converting a
single student document (`opp-docs planning`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opp_docs.config import Config
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.files import inside, private_files, sha256_file
from opp_docs.intake.folder import read_intake
from opp_docs.models import (
    INTAKE_REPORT,
    DocumentKind,
    DocumentOutcome,
    IntakeResult,
    RunSummary,
    SchoolYear,
    StudentOutcome,
)
from opp_docs.overviews.intake_report import write_intake_report
from opp_docs.overviews.write import OverviewOptions, write_overviews
from opp_docs.pipeline.lock import output_lock
from opp_docs.pipeline.state import BuildState


def year_folder(output: Path, schooljaar: SchoolYear) -> Path:
    return output / str(schooljaar)


def run_check(intake: Path, output: Path, schooljaar: SchoolYear, config: Config) -> RunSummary:
    """Read and validate the intake; write only the intake report."""
    result = read_intake(intake, config, schooljaar)
    year_dir = year_folder(output, schooljaar)
    with private_files():
        year_dir.mkdir(parents=True, exist_ok=True)
        with output_lock(year_dir):
            write_intake_report(result, year_dir / INTAKE_REPORT)
    return _intake_summary(result, year_dir)


def _intake_summary(result: IntakeResult, year_dir: Path) -> RunSummary:
    """The counts of what was read; no student decided yet."""
    return RunSummary(
        year_dir=year_dir,
        students=len(result.leerlingen),
        blocked=len(result.blocked()),
        intake_problems=sum(1 for p in result.problems if p.blocking),
        intake=result,
    )


@dataclass
class PlanningResult:
    summary: RunSummary
    files: list[Path]


@dataclass(frozen=True)
class PlanningRequest:
    """What `opp-docs planning` works on."""

    intake: Path
    output: Path
    schooljaar: SchoolYear
    config: Config
    today: dt.date = field(default_factory=dt.date.today)
    # Also the teacher overview as a PDF, through LibreOffice.
    pdf: bool = True


def run_planning(request: PlanningRequest) -> PlanningResult:
    """Read the intake, decide routes and deadlines, take the documents from the last run's
    manifest as they are on disk now, and write the intake report and the overviews.

    Renders and converts no student document, so it takes seconds."""
    schooljaar, config = request.schooljaar, request.config
    result = read_intake(request.intake, config, schooljaar)
    year_dir = year_folder(request.output, schooljaar)
    with private_files():
        year_dir.mkdir(parents=True, exist_ok=True)
        with output_lock(year_dir):
            summary = plan_summary(result, year_dir, schooljaar, config)
            attach_manifest_documents(summary, year_dir)
            write_intake_report(result, summary.intake_report)
            options = OverviewOptions(schooljaar, config, request.today, pdf=request.pdf)
            state = BuildState.load(year_dir)
            state.overviews = state.overviews.current()
            files = write_overviews(summary, options, state.overviews)
            state.save()
    return PlanningResult(summary, [summary.intake_report, *files])


def plan_summary(
    result: IntakeResult, year_dir: Path, schooljaar: SchoolYear, config: Config
) -> RunSummary:
    """Route, deadlines, problems and blocked state per student; no documents yet. Both
    'opp-docs planning' and the whole run start from this."""
    blocked = result.blocked()
    summary = _intake_summary(result, year_dir)
    problems: dict[str, list[str]] = {}
    for problem in result.problems:
        if problem.leerlingnummer:
            problems.setdefault(problem.leerlingnummer, []).append(str(problem))
    for leerling in result.leerlingen:
        outcome = StudentOutcome(
            leerling,
            propose_route(leerling, config),
            compute_deadlines(leerling, schooljaar, config),
        )
        outcome.problems = problems.get(leerling.leerlingnummer, [])
        outcome.blocked = leerling.leerlingnummer in blocked
        summary.outcomes.append(outcome)
    return summary


def attach_manifest_documents(summary: RunSummary, year_dir: Path) -> None:
    """Give each student the documents and dossier the last run's manifest lists, as they are
    on disk now: `bewerkt` when the file differs from what the software wrote."""
    entries = {e.get("leerlingnummer"): e for e in _manifest_students(summary.manifest)}
    for outcome in summary.outcomes:
        entry = entries.get(outcome.leerling.leerlingnummer)
        if entry is None:
            continue
        route = outcome.decision.route
        if entry.get("route") != route.value:
            outcome.problems.append(
                f"De route is sinds de laatste run veranderd (was {entry.get('route')}, nu "
                f"{route.value}): draai 'opp-docs dossiers' voor de documenten."
            )
        for doc in _list(entry.get("documenten")):
            try:
                kind = DocumentKind(str(doc.get("soort")))
                docx_path = inside(year_dir, year_dir / str(doc["docx"]))
            except (ValueError, KeyError, TypeError):
                continue
            if not docx_path.exists():
                outcome.problems.append(
                    f"{docx_path.name} ontbreekt; draai 'opp-docs dossiers' om het opnieuw "
                    "te maken."
                )
                continue
            written = str(doc.get("sha256", ""))
            bewerkt = sha256_file(docx_path) != written
            if bewerkt and not doc.get("bewerkt"):
                outcome.problems.append(
                    f"{docx_path.name} is bewerkt sinds de laatste run; draai 'opp-docs "
                    "dossiers' om PDF en dossier bij te werken."
                )
            pdf = docx_path.with_suffix(".pdf")
            outcome.documents.append(DocumentOutcome(kind, docx_path, pdf, written, bewerkt))
        if outcome.documents and isinstance(entry.get("dossier"), str):
            try:
                dossier = inside(year_dir, year_dir / entry["dossier"])
            except ValueError:
                continue
            outcome.folder = dossier.parent
            outcome.dossier = dossier if dossier.exists() else None


def _manifest_students(path: Path) -> Iterator[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict):
        yield from _list(data.get("leerlingen"))


def _list(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
