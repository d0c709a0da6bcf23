"""The run's start, shared by every command: the intake read, and per student the route and
deadlines. `run_check` stops after the intake report (`opp-docs check`); `run_planning` adds
the documents already on disk and writes the overviews, without rendering or converting a
single student document (`opp-docs planning`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from opp_docs.config import Config
from opp_docs.decide.counsellor import assign_counsellor, missing_counsellor
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.decide.signing import signed_on
from opp_docs.documents.letters import address_problems
from opp_docs.documents.student_files import StudentFiles, WordFile, dossier_name
from opp_docs.intake.folder import read_intake
from opp_docs.models import (
    DOCUMENTS_PER_ROUTE,
    INTAKE_REPORT,
    DocumentKind,
    DocumentOutcome,
    IntakeResult,
    Leerling,
    Route,
    RouteDecision,
    RunSummary,
    Scan,
    SchoolYear,
    StudentOutcome,
)
from opp_docs.overviews.intake_report import write_intake_report
from opp_docs.overviews.write import OverviewOptions, write_overviews
from opp_docs.pipeline.continuation import LastYearPlans, plans_last_year, read_last_year
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


@dataclass(frozen=True)
class Peildata:
    """The day each student's deadlines count from (see `decide.deadlines`): the day their
    documents say they were made, so that a rerun on a later day moves no date; today for a
    student without documents."""

    files: StudentFiles
    today: dt.date

    def of(self, leerlingnummer: str) -> dt.date | None:
        if not self.files.has_documents(leerlingnummer):
            return self.today
        # None: documents of a version that kept no such day, made on the procedure's dates.
        return self.files.peildatum(leerlingnummer)


@dataclass(frozen=True)
class Earlier:
    """What earlier runs left that a run's plan starts from: the day each student's deadlines
    count from, and what last school year's plans decided (None: nothing)."""

    peildata: Peildata
    last: LastYearPlans | None = None


def run_planning(request: PlanningRequest) -> PlanningResult:
    """Read the intake, decide routes and deadlines, take the documents on disk as they are
    now, and write the intake report and the overviews.

    Renders and converts no student document, so it takes seconds."""
    schooljaar, config = request.schooljaar, request.config
    year_dir = year_folder(request.output, schooljaar)
    result = read_intake(request.intake, config, schooljaar, plans_last_year(year_dir, schooljaar))
    with writing_to(year_dir):
        state = BuildState.load(year_dir)
        files = StudentFiles(year_dir, schooljaar, state.copies.written)
        earlier = Earlier(Peildata(files, request.today), read_last_year(year_dir, schooljaar))
        summary = plan_summary(result, year_dir, schooljaar, config, earlier)
        write_intake_report(result, summary.intake_report)
        options = OverviewOptions(schooljaar, config, request.today, pdf=request.pdf)
        attach_documents(summary, state, files)
        state.overviews = state.overviews.current()
        written = write_overviews(summary, options, state.overviews)
        state.save()

    return PlanningResult(summary, [summary.intake_report, *written])


def plan_summary(
    result: IntakeResult,
    year_dir: Path,
    schooljaar: SchoolYear,
    config: Config,
    earlier: Earlier,
) -> RunSummary:
    """Route, deadlines, counsellor, problems and blocked state per student; no documents
    yet. Both 'opp-docs planning' and the whole run start from this. With `earlier.last`,
    what last school year's plans decided: continued plans go on, also for students not in
    the intake; ended plans go to the BRON list. The deadlines count from each student's
    `earlier.peildata`."""
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
            assign_counsellor(leerling, config),
        )
        outcome.problems = problems.get(leerling.leerlingnummer, [])
        if not outcome.leerlingbegeleider and DOCUMENTS_PER_ROUTE[outcome.decision.route]:
            # Not blocking: the documents ask for the name, and staff can write it in.
            outcome.problems.append(missing_counsellor(leerling))
        if DocumentKind.INFORMATIEBRIEF in DOCUMENTS_PER_ROUTE[outcome.decision.route]:
            outcome.problems.extend(address_problems(leerling))
        outcome.blocked = leerling.leerlingnummer in blocked
        summary.outcomes.append(outcome)
    if earlier.last is not None:
        continue_plans(summary, earlier.last, schooljaar, config)
    for outcome in summary.outcomes:
        # From the day the documents were made, so that none promises a day already passed.
        peildatum = earlier.peildata.of(outcome.leerling.leerlingnummer)
        outcome.deadlines = compute_deadlines(outcome.leerling, schooljaar, config, peildatum)
        # Once the routes are final: a continued plan takes its scans too.
        _signing(outcome, result.scans.get(outcome.leerling.leerlingnummer, []), schooljaar)
    return summary


def continue_plans(
    summary: RunSummary, last: LastYearPlans, schooljaar: SchoolYear, config: Config
) -> None:
    """Last year's decisions in this year's outcomes (see `continuation`)."""
    by_number = {o.leerling.leerlingnummer: o for o in summary.outcomes}
    summary.beeindigd = sorted(last.ended.values(), key=lambda e: (e.einddatum, e.naam))
    for number, carried in last.continued.items():
        outcome = by_number.get(number)
        if outcome is None:
            if carried.leerling is None:
                summary.outcomes.append(_placeholder(number, carried.route, schooljaar, config))
                continue
            outcome = _new_outcome(carried.leerling, schooljaar, config)
            outcome.problems.append(
                f"Staat niet in de intake van {schooljaar}: het plan gaat door met de gegevens "
                f"van {last.schooljaar}. Controleer klas en tutor."
            )
            summary.outcomes.append(outcome)
        if outcome.leerling.route_besluit is None:
            outcome.decision = RouteDecision(
                carried.route,
                f"Voortzetting van het {carried.route.label} van {last.schooljaar}: de "
                "eindevaluatie besloot het plan voort te zetten.",
            )
        outcome.vorig_schooljaar = str(last.schooljaar)
    for number, (leerling, route, reason) in last.undecided.items():
        outcome = by_number.get(number)
        problem = (
            f"{reason}. Vul in de eindevaluatie van {last.schooljaar} het besluit in "
            "(voortgezet of beëindigd) en draai opp-docs opnieuw."
        )
        if outcome is None:
            outcome = (
                _new_outcome(leerling, schooljaar, config)
                if leerling is not None
                else _placeholder(number, route, schooljaar, config)
            )
            outcome.decision = RouteDecision(route, f"{route.label} van {last.schooljaar}")
            # No new plan until the form says whether there is one.
            outcome.wacht = problem
            summary.outcomes.append(outcome)
        outcome.problems.append(problem)
    summary.students = len(summary.outcomes)


def _new_outcome(leerling: Leerling, schooljaar: SchoolYear, config: Config) -> StudentOutcome:
    # A new school year's plan: its deadlines as for a new cohort, not from last year's signal.
    # Nor signed by last year's signature.
    leerling = dataclasses.replace(
        leerling, signaaldatum=None, route_besluit=None, datum_ondertekening=None
    )
    return StudentOutcome(
        leerling,
        propose_route(leerling, config),
        compute_deadlines(leerling, schooljaar, config),
        assign_counsellor(leerling, config),
    )


def _placeholder(
    number: str, route: Route, schooljaar: SchoolYear, config: Config
) -> StudentOutcome:
    """A student of last year's plans whom neither the intake nor last year's state knows:
    only a row on the worklist that says what to do."""
    leerling = Leerling(number, "", "", None)
    outcome = _new_outcome(leerling, schooljaar, config)
    outcome.decision = RouteDecision(route, "")
    outcome.wacht = (
        f"Het plan van leerling {number} loopt door, maar de gegevens van deze leerling staan "
        "niet in de intake en niet in de uitvoer van vorig jaar. Zet de leerling in de intake."
    )
    outcome.problems.append(outcome.wacht)
    return outcome


def _signing(outcome: StudentOutcome, scans: list[Scan], schooljaar: SchoolYear) -> None:
    """The plan's signing: its day, and the scans that go into the dossier."""
    route = outcome.decision.route
    if not route.has_plan:
        if scans:
            outcome.problems.append(
                f"Er is een getekend ondertekeningsblad ({scans[0].naam}), maar de leerling "
                f"heeft geen plan (route {route.label}); de scan staat in geen dossier."
            )
        return
    if outcome.vorig_schooljaar and outcome.leerling.datum_ondertekening is None:
        # A plan that continues: a scan from before this school year signed last year's plan.
        old = [scan for scan in scans if scan.datum < schooljaar.first_day]
        scans = [scan for scan in scans if scan.datum >= schooljaar.first_day]
        for scan in old:
            outcome.problems.append(
                f"{scan.naam} is van vóór dit schooljaar ({scan.datum:%d-%m-%Y}): het hoort bij "
                f"het plan van {outcome.vorig_schooljaar} en telt niet als handtekening onder "
                "het nieuwe plan. Haal het uit de intake, of zet de datum van ondertekening in "
                "de intake."
            )
    outcome.scans = scans
    signed = signed_on(outcome.leerling, scans)
    if signed is not None:
        outcome.ondertekend, outcome.ondertekend_bron = signed


def attach_documents(summary: RunSummary, state: BuildState, files: StudentFiles) -> None:
    """Give each student the Word files on disk that are theirs (found by what the files say
    they are, as a run finds them), the dossier, and what to do when the last run's
    documents no longer match: a route that changed, a document gone, an edit without PDF."""
    numbers = {o.leerling.leerlingnummer for o in summary.outcomes}
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
