"""The run's start, shared by every command: the intake read, and per student the route and
deadlines. `run_check` stops after the intake report (`opp-docs check`); `run_planning` adds
the documents already on disk and writes the overviews, without rendering or converting a
single student document (`opp-docs planning`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from opp_docs.config import Config
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.documents.letters import address_problems
from opp_docs.documents.student_files import StudentFiles, WordFile, dossier_name
from opp_docs.intake.folder import read_intake
from opp_docs.models import (
    DOCUMENTS_PER_ROUTE,
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
from opp_docs.pipeline.lock import writing_to
from opp_docs.pipeline.state import BuildState


def year_folder(output: Path, schooljaar: SchoolYear) -> Path:
    return output / str(schooljaar)


def run_check(intake: Path, output: Path, schooljaar: SchoolYear, config: Config) -> RunSummary:
    """Read and validate the intake; write only the intake report."""
    result = read_intake(intake, config, schooljaar)
    year_dir = year_folder(output, schooljaar)
    with writing_to(year_dir):
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
    """Read the intake, decide routes and deadlines, take the documents on disk as they are
    now, and write the intake report and the overviews.

    Renders and converts no student document, so it takes seconds."""
    schooljaar, config = request.schooljaar, request.config
    result = read_intake(request.intake, config, schooljaar)
    year_dir = year_folder(request.output, schooljaar)
    with writing_to(year_dir):
        summary = plan_summary(result, year_dir, schooljaar, config)
        write_intake_report(result, summary.intake_report)
        options = OverviewOptions(schooljaar, config, request.today, pdf=request.pdf)
        state = BuildState.load(year_dir)
        attach_documents(summary, state, schooljaar)
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
        if DocumentKind.INFORMATIEBRIEF in DOCUMENTS_PER_ROUTE[outcome.decision.route]:
            outcome.problems.extend(address_problems(leerling))
        outcome.blocked = leerling.leerlingnummer in blocked
        summary.outcomes.append(outcome)
    return summary


def attach_documents(summary: RunSummary, state: BuildState, schooljaar: SchoolYear) -> None:
    """Give each student the Word files on disk that are theirs (found by what the files say
    they are, as a run finds them), the dossier, and what to do when the last run's
    documents no longer match: a route that changed, a document gone, an edit without PDF."""
    numbers = {o.leerling.leerlingnummer for o in summary.outcomes}
    files = StudentFiles(summary.year_dir, schooljaar, state.copies.written)
    for outcome in summary.outcomes:
        number, route = outcome.leerling.leerlingnummer, outcome.decision.route
        before = state.routes.get(number)
        if before is not None and before != route.value:
            outcome.problems.append(
                f"De route is sinds de laatste run veranderd (was {before}, nu "
                f"{route.value}): draai 'opp-docs dossiers' voor de documenten."
            )
        found = {kind: files.documents(number, kind) for kind in DOCUMENTS_PER_ROUTE[route]}
        if not any(found.values()):
            continue
        outcome.folder, _ = files.home(outcome.leerling, numbers)
        for kind, words in found.items():
            if not words:
                outcome.problems.append(
                    f"{kind.titel} ontbreekt; draai 'opp-docs dossiers' om het opnieuw te maken."
                )
            for word in words:
                outcome.documents.append(_document(word, state))
        dossier = outcome.folder / dossier_name(outcome.leerling)
        outcome.dossier = dossier if dossier.exists() else None
        for doc in outcome.documents:
            if doc.bewerkt and not any(state.pdf_is_current(doc, pdfa) for pdfa in (False, True)):
                outcome.problems.append(
                    f"{doc.docx.name} is bewerkt sinds de laatste run; draai 'opp-docs "
                    "dossiers' om PDF en dossier bij te werken."
                )


def _document(word: WordFile, state: BuildState) -> DocumentOutcome:
    # Planning renders nothing: a file of the previous version without a record counts as
    # ours here; the run itself compares it with what it would write.
    record = state.copies.written.get(word.path.relative_to(state.folder).as_posix())
    written = record.sha256 if record is not None else ""
    pdf = word.path.with_suffix(".pdf")
    return DocumentOutcome(
        word.kind, word.path, pdf, written, bewerkt=word.ours is False, adres=word.adres
    )
