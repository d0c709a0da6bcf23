"""The whole run, `opp-docs dossiers`: intake → routes and deadlines → Word documents → PDFs
→ dossiers → overviews.

Each stage lives in its own package; `DossierRun` wires them together for one school year's
folder, under its lock, with one pool of LibreOffice workers and the state that makes a rerun
cheap (`state.BuildState`). LibreOffice converts while the next students' documents are
rendered, and each student's dossier is bundled as soon as that student's PDFs are there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opp_docs.config import Config
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.documents.check import check_templates
from opp_docs.documents.compiled import TemplateCache
from opp_docs.documents.context import Plan, build_context, with_last_year
from opp_docs.documents.logo import Logo
from opp_docs.documents.reading import DocumentReader, student_status
from opp_docs.documents.student_files import StudentFiles
from opp_docs.documents.working_copies import CopyJob, Inputs, WorkingCopies
from opp_docs.files import STUDENTS_DIR, text_digest
from opp_docs.intake.folder import read_intake
from opp_docs.models import (
    DOCUMENTS_PER_ROUTE,
    INTAKE_REPORT,
    DocumentKind,
    IntakeResult,
    RunSummary,
    SchoolYear,
    StudentOutcome,
)
from opp_docs.overviews.intake_report import write_intake_report
from opp_docs.overviews.write import OverviewOptions, write_overviews
from opp_docs.pdf.pool import ConverterPool
from opp_docs.pipeline.continuation import leerling_to_json, plans_last_year, read_last_year
from opp_docs.pipeline.dossiers import Cover, Dossiers, DossierSettings
from opp_docs.pipeline.lock import writing_to
from opp_docs.pipeline.manifest import write_manifest
from opp_docs.pipeline.plan import Earlier, Peildata, plan_summary, year_folder
from opp_docs.pipeline.state import BuildState

# Students whose documents are converted as one file: LibreOffice spends some 15% less per
# student on three than on one; more gains little and delays the first dossiers.
STUDENTS_TOGETHER = 3
# Cover pages converted as one file: enough to spread LibreOffice's cost per file, few enough
# that the first dossiers are ready early.
COVERS_TOGETHER = 12

Progress = Callable[[str], None]
# A progress bar for a stage: called with a label and a total, it gives a context whose value is
# called with the number of steps done since the last call.
ProgressBar = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


@dataclass
class RunOptions:
    intake: Path
    output: Path
    schooljaar: SchoolYear
    templates: Path
    config: Config
    today: dt.date = field(default_factory=dt.date.today)
    workers: int | None = None
    # PDF/A-2b through LibreOffice's export filter.
    pdfa: bool = False
    # Encrypts each dossier (AES-256). Never written anywhere, so kept out of repr as well.
    password: str | None = field(default=None, repr=False)


def run_dossiers(
    options: RunOptions, progress: Progress | None = None, bar: ProgressBar | None = None
) -> RunSummary:
    """Run the whole pipeline; see the module docstring."""
    year_dir = year_folder(options.output, options.schooljaar)
    before = plans_last_year(year_dir, options.schooljaar)
    result = read_intake(options.intake, options.config, options.schooljaar, before)
    # The same check as 'opp-docs templates check', with the same message.
    check_templates(options.templates)
    with writing_to(year_dir):
        run = DossierRun(options, result, year_dir, bar or _no_bar)
        return run.run(progress or (lambda _message: None))


def _no_bar(_label: str, _total: int) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda _steps: None)


class DossierRun:
    """One run of `opp-docs dossiers` on one school year's folder, under its lock."""

    def __init__(
        self, options: RunOptions, intake: IntakeResult, year_dir: Path, bar: ProgressBar
    ) -> None:
        _remove_leftovers(year_dir)
        self.options = options
        self.intake = intake
        self.bar = bar
        self.state = BuildState.load(year_dir)
        if options.password is not None:
            # Made now, so that it is saved before the first dossier depends on it.
            self.state.salt()
        # The Word files as found at the start: each says whose it is and the day its
        # deadlines count from (see `plan.Peildata`).
        files = StudentFiles(year_dir, options.schooljaar, self.state.copies.written)
        self.peildata = Peildata(files, options.today)
        # Routes and deadlines as 'opp-docs planning' proposes them, with what last school
        # year's plans decided; then the documents.
        last = read_last_year(year_dir, options.schooljaar)
        earlier = Earlier(self.peildata, last)
        self.summary = plan_summary(intake, year_dir, options.schooljaar, options.config, earlier)
        self.last_year = {n: c.last for n, c in last.continued.items()} if last else {}
        # The school's logo, in the header of every document and cover (documents/logo.py).
        self.templates = TemplateCache(options.templates, Logo.of(options.config))
        numbers = {o.leerling.leerlingnummer for o in self.summary.outcomes}
        # What staff wrote in the Word files, remembered by their content between runs: the
        # evaluation forms list the plan's goals, the overviews show how far each plan is.
        self.overviews = self.state.overviews = self.state.overviews.current()
        self.reader = self.overviews.reader()
        job = CopyJob(year_dir, options.schooljaar, self.templates, numbers, self.reader, files)
        self.copies = WorkingCopies(job, self.state.copies)
        settings = DossierSettings(self.templates, options.config, options.password)
        self.dossiers = Dossiers(settings, self.state)
        # What every document is made from besides its student and template: the settings.
        self.settings_digest = text_digest(repr(options.config))
        # Word files whose PDF is being made, with their student.
        self.converting: dict[Path, StudentOutcome] = {}

    def run(self, say: Progress) -> RunSummary:
        options, summary = self.options, self.summary
        # One pool of LibreOffice workers for documents and covers; it converts while we render.
        with ConverterPool(workers=options.workers, pdfa=options.pdfa) as pool:
            self._documents(pool)
            self.state.save()
            overviews, reader = self.overviews, self.reader
            _Collector(self, pool, reader).collect()
            self.dossiers.scans.remove_unused()
            summary.join_refusals = dict(pool.join_refusals)
            self.state.save()
            write_intake_report(self.intake, summary.year_dir / INTAKE_REPORT)
            statuses = {
                o.leerling.leerlingnummer: student_status(o, reader) for o in summary.outcomes
            }
            write_manifest(summary, options.schooljaar, statuses)
            self.state.routes = {
                o.leerling.leerlingnummer: o.decision.route.value for o in summary.outcomes
            }
            self.state.leerlingen = {
                o.leerling.leerlingnummer: leerling_to_json(o.leerling)
                for o in summary.outcomes
                if o.decision.route.has_plan and o.leerling.achternaam
            }
            say("overzichten schrijven")
            write_overviews(
                summary,
                OverviewOptions(options.schooljaar, options.config, options.today),
                overviews,
                pool=pool,
                reader=reader,
            )
            self.state.save()
        return summary

    def context(self, outcome: StudentOutcome) -> dict[str, Any]:
        """What the templates get for this student: the documents and the dossier's cover."""
        options = self.options
        plan = Plan(
            outcome.decision, outcome.deadlines, options.schooljaar, outcome.leerlingbegeleider
        )
        context = build_context(outcome.leerling, plan, options.config, options.today).values
        last = self.last_year.get(outcome.leerling.leerlingnummer)
        return with_last_year(context, last) if last is not None else context

    def _inputs(self, outcome: StudentOutcome, peildatum: dt.date | None) -> Inputs:
        context = self.context(outcome)
        # Today's date is not an input: a letter keeps the day it was made until something it
        # says changes; otherwise every run on a new day would make every document again.
        said = {name: value for name, value in context.items() if name != "vandaag"}
        text = json.dumps(said, sort_keys=True, ensure_ascii=False)
        return Inputs(context, text, self.settings_digest, peildatum)

    def _documents(self, pool: ConverterPool) -> None:
        """Every student's Word documents; the documents of a few students go to LibreOffice
        as one file (`submit_group`)."""
        together: list[tuple[Path, Path]] = []
        students = 0
        with self.bar("Word-documenten", len(self.summary.outcomes)) as step:
            for outcome in self.summary.outcomes:
                step(1)
                ours = self._student_documents(outcome, pool)
                if ours:
                    together.extend(ours)
                    students += 1
                if students == STUDENTS_TOGETHER:
                    pool.submit_group(together)
                    together, students = [], 0
            pool.submit_group(together)

    def _student_documents(
        self, outcome: StudentOutcome, pool: ConverterPool
    ) -> list[tuple[Path, Path]]:
        """The Word documents of one student, noted in `outcome`. Those that need a PDF are
        noted in `converting`; a file staff saved goes to `pool` at once, the others (Word
        file, PDF) are returned to be converted together."""
        kinds = DOCUMENTS_PER_ROUTE[outcome.decision.route]
        if not kinds:
            return []
        today = self.options.today
        peildatum = self.peildata.of(outcome.leerling.leerlingnummer)
        inputs = self._inputs(outcome, peildatum)
        letter = DocumentKind.INFORMATIEBRIEF
        if (
            peildatum != today
            and letter in kinds
            and not self.copies.unchanged(outcome, letter, inputs)
        ):
            # The letter is made again and carries today's date: its deadlines count from
            # today, so that it promises no day that has passed (`decide.deadlines`).
            options = self.options
            outcome.deadlines = compute_deadlines(
                outcome.leerling, options.schooljaar, options.config, today
            )
            inputs = self._inputs(outcome, today)
        ours: list[tuple[Path, Path]] = []
        for doc in self.copies.student(outcome, inputs):
            if doc.docx.exists() and not self.state.pdf_is_current(doc, self.options.pdfa):
                self.converting[doc.docx] = outcome
                if doc.bewerkt:
                    # Saved by Word, it no longer matches the others; it goes on its own.
                    pool.submit(doc.docx, doc.pdf)
                else:
                    ours.append((doc.docx, doc.pdf))
        return ours


class _Collector:
    """Collects the documents' PDFs from the pool and starts each student's dossier as soon
    as that student's PDFs are there: LibreOffice converts the next documents and covers
    while we bundle. Also reads what the student's Word files say for the overviews
    (`reader`): done now, it costs no time of its own at the end of the run."""

    def __init__(self, run: DossierRun, pool: ConverterPool, reader: DocumentReader) -> None:
        self.run = run
        self.pool = pool
        self.reader = reader
        converting = run.converting
        # PDFs still to come, per student and in all.
        self.left = Counter(id(outcome) for outcome in converting.values())
        self.documents_left = len(converting)
        self.covers: dict[Path, Cover] = {}
        # Cover pages wait to go to LibreOffice together, as one file (see submit_group).
        self.waiting: list[Path] = []
        self.failed: dict[Path, str] = {}

    def collect(self) -> None:
        summary, converting = self.run.summary, self.run.converting
        students = [o for o in summary.outcomes if o.folder is not None and o.documents]
        with self.run.bar("PDF's en dossiers", len(converting) + len(students)) as step:
            for outcome in students:
                if not self.left[id(outcome)]:
                    self._start(outcome, step)
            if not self.documents_left:
                self._flush()
            for source, error in self.pool.completed():
                step(1)
                if source in self.covers:
                    self.run.dossiers.finish(self.covers.pop(source), error)
                else:
                    self._document_done(source, error, step)
        self._count()

    def _document_done(self, source: Path, error: str | None, step: Callable[[int], None]) -> None:
        self.documents_left -= 1
        if error is None:
            self.run.state.pdf_made(source, self.run.options.pdfa)
        else:
            self.failed[source] = error
        outcome = self.run.converting[source]
        self.left[id(outcome)] -= 1
        if not self.left[id(outcome)]:
            self._start(outcome, step)
        if not self.documents_left:
            # Nothing else is coming that the waiting covers could join.
            self._flush()

    def _start(self, outcome: StudentOutcome, step: Callable[[int], None]) -> None:
        student_status(outcome, self.reader)
        reports = self.run.intake.rapporten.get(outcome.leerling.leerlingnummer, [])
        cover = self.run.dossiers.start(outcome, reports, self.run.context(outcome))
        if cover is None:
            step(1)
            return
        self.covers[cover.docx] = cover
        self.waiting.append(cover.docx)
        if len(self.waiting) >= COVERS_TOGETHER:
            self._flush()

    def _flush(self) -> None:
        self.pool.submit_group([(c, c.with_suffix(".pdf")) for c in self.waiting])
        self.waiting.clear()

    def _count(self) -> None:
        summary, converting, failed = self.run.summary, self.run.converting, self.failed
        summary.failed = len(failed)
        summary.made = len(converting) - len(failed)
        for outcome in summary.outcomes:
            for doc in outcome.documents:
                if doc.docx in failed:
                    outcome.problems.append(
                        f"{doc.docx.name}: geen PDF gemaakt ({failed[doc.docx]})."
                    )
                elif doc.docx not in converting:
                    summary.reused += 1
        summary.dossiers = sum(1 for o in summary.outcomes if o.dossier is not None)


def _remove_leftovers(year_dir: Path) -> None:
    """What a killed run left in the students' folders: temporary files of atomic writes and
    dossier covers. Only under the lock, so never another run's files."""
    for pattern in (".tmp-*", ".voorblad.*"):
        for leftover in (year_dir / STUDENTS_DIR).glob(f"*/{pattern}"):
            # Never through a student folder that is a link: those files are not ours.
            if not leftover.parent.is_symlink():
                leftover.unlink(missing_ok=True)
