"""The whole run: intake → routes and deadlines → Word documents → PDFs → dossiers → overviews.

Each stage lives in its own module; this one only wires them together and keeps the state that
makes a rerun cheap and keeps staff edits safe (`.opp-docs-state.json` next to the manifest).

`run_check` stops after the intake report, for `opp-docs check`. `run_planning` builds the
summary from the intake and the documents already on disk, without rendering or converting a
single student document, for `opp-docs planning`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opp_docs.config import Config
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.documents.check import check_templates
from opp_docs.documents.compiled import TemplateCache
from opp_docs.documents.render import COVER_TEMPLATE, build_context
from opp_docs.documents.stamp import parts_digest
from opp_docs.documents.student_files import dossier_name
from opp_docs.documents.working_copies import Inputs, WorkingCopies
from opp_docs.files import STUDENTS_DIR, inside, sha256_file, write_bytes_atomic, write_text_atomic
from opp_docs.intake.reader import read_intake
from opp_docs.models import (
    DOCUMENTS_PER_ROUTE,
    INTAKE_REPORT,
    MANIFEST,
    DocumentKind,
    DocumentOutcome,
    IntakeResult,
    RunSummary,
    SchoolYear,
    StudentOutcome,
)
from opp_docs.overviews.intake_report import write_intake_report
from opp_docs.overviews.worklist import (
    DocumentReader,
    document_reader,
    student_status,
    write_overviews,
)
from opp_docs.pdf.dossier import Part, build_dossier, contents_pages, dossier_student
from opp_docs.pdf.pool import ConverterPool
from opp_docs.pipeline.lock import output_lock

STATE = ".opp-docs-state.json"
# What this run wrote since the state was last saved; a killed run's work is taken over from it.
JOURNAL = ".opp-docs-journal"
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


def year_folder(output: Path, schooljaar: SchoolYear) -> Path:
    return output / str(schooljaar)


def run_check(intake: Path, output: Path, schooljaar: SchoolYear, config: Config) -> RunSummary:
    """Read and validate the intake; write only the intake report."""
    result = read_intake(intake, config, schooljaar)
    year_dir = year_folder(output, schooljaar)
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


# ---------------------------------------------------------------------------------------------
# `opp-docs planning`: the overviews from the intake and the documents already on disk


@dataclass
class PlanningResult:
    summary: RunSummary
    files: list[Path]


def run_planning(
    intake: Path,
    output: Path,
    schooljaar: SchoolYear,
    config: Config,
    *,
    today: dt.date | None = None,
    pdf: bool = True,
) -> PlanningResult:
    """Read the intake, decide routes and deadlines, take the documents from the last run's
    manifest as they are on disk now, and write the intake report and the overviews.

    Renders and converts no student document, so it takes seconds."""
    result = read_intake(intake, config, schooljaar)
    year_dir = year_folder(output, schooljaar)
    year_dir.mkdir(parents=True, exist_ok=True)
    with output_lock(year_dir):
        summary = plan_summary(result, year_dir, schooljaar, config)
        attach_manifest_documents(summary, year_dir)
        write_intake_report(result, summary.intake_report)
        files = write_overviews(
            summary,
            year_dir,
            schooljaar=schooljaar,
            config=config,
            today=today or dt.date.today(),
            pdf=pdf,
        )
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


# ---------------------------------------------------------------------------------------------
# `opp-docs dossiers`: the whole run


def run_dossiers(
    options: RunOptions, progress: Progress | None = None, bar: ProgressBar | None = None
) -> RunSummary:
    """Run the whole pipeline; see the module docstring."""
    say = progress or (lambda _message: None)
    result = read_intake(options.intake, options.config, options.schooljaar)
    _check_templates(options.templates)
    year_dir = year_folder(options.output, options.schooljaar)
    year_dir.mkdir(parents=True, exist_ok=True)
    with output_lock(year_dir):
        return _run_locked(options, result, year_dir, say, bar or _no_bar)


def _no_bar(_label: str, _total: int) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda _steps: None)


def _run_locked(
    options: RunOptions,
    result: IntakeResult,
    year_dir: Path,
    say: Progress,
    bar: ProgressBar = _no_bar,
) -> RunSummary:
    _remove_leftovers(year_dir)
    state = _load_state(year_dir)
    if options.password is not None:
        # Made now, so it is saved before the first dossier depends on it.
        state.setdefault("wachtwoordzout", secrets.token_hex(16))
    # Routes and deadlines as 'opp-docs planning' proposes them; then the documents.
    summary = plan_summary(result, year_dir, options.schooljaar, options.config)

    templates = TemplateCache(options.templates)
    numbers = {o.leerling.leerlingnummer for o in summary.outcomes}
    copies = WorkingCopies(year_dir, options.schooljaar, state, templates, numbers)
    # Word files whose PDF is being made, with their student.
    converting: dict[Path, StudentOutcome] = {}
    # One pool of LibreOffice workers for documents and covers; it converts while we render.
    with ConverterPool(workers=options.workers, pdfa=options.pdfa) as pool:
        # The documents of a few students go to LibreOffice as one file (submit_group).
        together: list[tuple[Path, Path]] = []
        students = 0
        with bar("Word-documenten", len(summary.outcomes)) as step:
            for outcome in summary.outcomes:
                step(1)
                ours = _student_documents(outcome, options, state, copies, pool, converting)
                if ours:
                    together.extend(ours)
                    students += 1
                if students == STUDENTS_TOGETHER:
                    pool.submit_group(together)
                    together, students = [], 0
            pool.submit_group(together)
        _save_state(year_dir, state)
        reader = document_reader(year_dir)
        _pdfs_and_dossiers(
            summary, result, options, state, templates, pool, converting, bar, reader
        )
        _save_state(year_dir, state)
        write_intake_report(result, year_dir / INTAKE_REPORT)
        write_manifest(summary, options, year_dir)
        say("overzichten schrijven")
        write_overviews(
            summary,
            year_dir,
            schooljaar=options.schooljaar,
            config=options.config,
            today=options.today,
            pool=pool,
            reader=reader,
        )
    return summary


def _student_documents(
    outcome: StudentOutcome,
    options: RunOptions,
    state: dict[str, Any],
    copies: WorkingCopies,
    pool: ConverterPool,
    converting: dict[Path, StudentOutcome],
) -> list[tuple[Path, Path]]:
    """The Word documents of one student, noted in `outcome`. Those that need a PDF are noted
    in `converting`; a file staff saved goes to `pool` at once, the others (Word file, PDF)
    are returned to be converted together."""
    if not DOCUMENTS_PER_ROUTE[outcome.decision.route]:
        return []
    context = _student_context(outcome, options)
    # Today's date is not an input: a letter keeps the day it was made until something it
    # says changes; otherwise every run on a new day would make every document again.
    said = {name: value for name, value in context.items() if name != "vandaag"}
    inputs = Inputs(
        context,
        json.dumps(said, sort_keys=True, ensure_ascii=False),
        _digest(repr(options.config)),
    )
    ours: list[tuple[Path, Path]] = []
    for doc in copies.student(outcome, inputs):
        if _needs_pdf(doc, state, options.pdfa):
            converting[doc.docx] = outcome
            if doc.bewerkt:
                # Saved by Word, it no longer matches the others; it goes on its own.
                pool.submit(doc.docx, doc.pdf)
            else:
                ours.append((doc.docx, doc.pdf))
    return ours


def _student_context(outcome: StudentOutcome, options: RunOptions) -> dict[str, Any]:
    """What the templates get for this student: the documents and the dossier's cover."""
    return build_context(
        outcome.leerling,
        outcome.decision,
        outcome.deadlines,
        options.schooljaar,
        options.config,
        options.today,
    ).values


@dataclass
class _Cover:
    """A dossier waiting for its cover page's PDF."""

    outcome: StudentOutcome
    parts: list[Part]
    dossier: Path
    inputs: str


def _pdfs_and_dossiers(
    summary: RunSummary,
    result: IntakeResult,
    options: RunOptions,
    state: dict[str, Any],
    templates: TemplateCache,
    pool: ConverterPool,
    converting: dict[Path, StudentOutcome],
    bar: ProgressBar,
    reader: DocumentReader,
) -> None:
    """Collect the documents' PDFs, and start each student's dossier as soon as that student's
    PDFs are there: LibreOffice converts the next documents and covers while we bundle. Also
    read what the student's Word files say for the overviews (`reader`): done now, it costs no
    time of its own at the end of the run."""
    year_dir = summary.year_dir
    students = [o for o in summary.outcomes if o.folder is not None and o.documents]
    left = Counter(id(outcome) for outcome in converting.values())
    documents_left = len(converting)
    covers: dict[Path, _Cover] = {}
    # Cover pages wait to go to LibreOffice together, as one file (see submit_group).
    waiting: list[Path] = []
    failed: dict[Path, str] = {}
    with bar("PDF's en dossiers", len(converting) + len(students)) as step:

        def start(outcome: StudentOutcome) -> None:
            student_status(outcome, reader)
            cover = _start_dossier(outcome, result, options, state, templates, year_dir)
            if cover is None:
                step(1)
                return
            covers[_cover_docx(outcome)] = cover
            waiting.append(_cover_docx(outcome))
            if len(waiting) >= COVERS_TOGETHER:
                flush()

        def flush() -> None:
            pool.submit_group([(c, c.with_suffix(".pdf")) for c in waiting])
            waiting.clear()

        for outcome in students:
            if not left[id(outcome)]:
                start(outcome)
        if not documents_left:
            flush()
        for source, error in pool.completed():
            step(1)
            if source in covers:
                _finish_dossier(covers.pop(source), error, options, state, year_dir)
                continue
            documents_left -= 1
            if error is None:
                key = _rel(year_dir, source)
                (doc,) = [d for d in converting[source].documents if d.docx == source]
                state.setdefault("pdf", {})[key] = _pdf_record(doc, options.pdfa)
                _journal(year_dir, "pdf", key, state["pdf"][key])
            else:
                failed[source] = error
            outcome = converting[source]
            left[id(outcome)] -= 1
            if not left[id(outcome)]:
                start(outcome)
            if not documents_left:
                # Nothing else is coming that the waiting covers could join.
                flush()
    summary.failed = len(failed)
    summary.made = len(converting) - len(failed)
    for outcome in summary.outcomes:
        for doc in outcome.documents:
            if doc.docx in failed:
                outcome.problems.append(f"{doc.docx.name}: geen PDF gemaakt ({failed[doc.docx]}).")
            elif doc.docx not in converting:
                summary.reused += 1
    summary.dossiers = sum(1 for o in summary.outcomes if o.dossier is not None)


def _needs_pdf(doc: DocumentOutcome, state: dict[str, Any], pdfa: bool) -> bool:
    if not doc.docx.exists():
        return False
    if not doc.pdf.exists():
        return True
    year_dir = doc.docx.parent.parent.parent
    made = state.setdefault("pdf", {})
    key = _rel(year_dir, doc.docx)
    if made.get(key) == _pdf_record(doc, pdfa):
        return False
    # The previous version recorded the whole file's hash: a PDF made from these very bytes
    # is still right, and gets today's record.
    if made.get(key) == sha256_file(doc.docx) + (":pdfa" if pdfa else ""):
        made[key] = _pdf_record(doc, pdfa)
        return False
    return True


def _pdf_record(doc: DocumentOutcome, pdfa: bool) -> str:
    """What a PDF was made from: its Word file's parts, and whether it is PDF/A. The stamp is
    left out (`stamp.parts_digest`): a changed intake that leaves a document's text as it was
    must not cost a conversion."""
    parts = f"delen:{parts_digest(doc.docx)}"
    return f"{parts}:pdfa" if pdfa else parts


def _cover_docx(outcome: StudentOutcome) -> Path:
    assert outcome.folder is not None
    return outcome.folder / ".voorblad.docx"


def _start_dossier(
    outcome: StudentOutcome,
    result: IntakeResult,
    options: RunOptions,
    state: dict[str, Any],
    templates: TemplateCache,
    year_dir: Path,
) -> _Cover | None:
    """The student's dossier if it is up to date (None), else its cover page rendered."""
    assert outcome.folder is not None
    parts = [Part(d.titel, d.pdf) for d in outcome.documents if d.pdf.exists()]
    for report in result.rapporten.get(outcome.leerling.leerlingnummer, []):
        parts.append(Part(f"Onderwijskundig rapport ({report.name})", report, ours=False))
    dossier = outcome.folder / dossier_name(outcome.leerling)
    inputs = _digest(
        "".join(p.titel + sha256_file(p.pdf) for p in parts)
        + templates.digest(COVER_TEMPLATE)
        + _password_check(state, options.password)
    )
    made = state.get("dossier", {}).get(_rel(year_dir, dossier))
    # Also the file itself as written: a copy put in its place (say, one without the password)
    # is replaced.
    if (
        isinstance(made, dict)
        and made.get("inputs") == inputs
        and dossier.exists()
        and made.get("sha256") == sha256_file(dossier)
    ):
        outcome.dossier = dossier
        return None
    context = _student_context(outcome, options)
    context["inhoud"] = contents_pages(parts)
    write_bytes_atomic(_cover_docx(outcome), templates.render(COVER_TEMPLATE, context))
    return _Cover(outcome, parts, dossier, inputs)


def _password_check(state: dict[str, Any], password: str | None) -> str:
    """What a dossier's inputs say about its password: nothing without one, else a salted
    scrypt digest, so that a rerun sees a changed password without opening every dossier.
    It tells no more about the password than the encrypted dossiers themselves do."""
    if password is None:
        return ""
    # The salt is made at the start of the run (_run_locked), before any dossier.
    return f"versleuteld:{_scrypt(password, state['wachtwoordzout'])}"


@functools.lru_cache(maxsize=1)
def _scrypt(password: str, salt: str) -> str:
    # Slow on purpose (some 50 ms); cached, so once per run.
    return hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()


def _finish_dossier(
    cover: _Cover, error: str | None, options: RunOptions, state: dict[str, Any], year_dir: Path
) -> None:
    """Bundle the dossier now that its cover page is a PDF (or say why there is none)."""
    outcome = cover.outcome
    cover_pdf = _cover_docx(outcome).with_suffix(".pdf")
    key = _rel(year_dir, cover.dossier)
    if error is not None:
        outcome.problems.append("Het voorblad van het dossier kon niet worden gemaakt.")
        state.get("dossier", {}).pop(key, None)
        _cover_docx(outcome).unlink(missing_ok=True)
        return
    skipped = build_dossier(
        cover_pdf,
        cover.parts,
        cover.dossier,
        title=f"Dossier {outcome.decision.route.label} {outcome.leerling.naam}",
        school=options.config.school_naam,
        leerlingnummer=outcome.leerling.leerlingnummer,
        password=options.password,
    )
    for titel in skipped:
        outcome.problems.append(f"{titel} kon niet aan het dossier worden toegevoegd.")
    # A dossier that lacks a part is made again next run, when the part may be readable.
    record = {"inputs": "" if skipped else cover.inputs, "sha256": sha256_file(cover.dossier)}
    state.setdefault("dossier", {})[key] = record
    _journal(year_dir, "dossier", key, record)
    _remove_old_dossiers(outcome, cover.dossier, state, options.password)
    _cover_docx(outcome).unlink(missing_ok=True)
    cover_pdf.unlink(missing_ok=True)
    outcome.dossier = cover.dossier


def _remove_old_dossiers(
    outcome: StudentOutcome, dossier: Path, state: dict[str, Any], password: str | None
) -> None:
    """One student, one dossier: one made under an earlier name goes once the new one is
    there. Only a dossier we made: the state says so, or its own document information."""
    assert outcome.folder is not None
    year_dir = outcome.folder.parent.parent
    made = state.setdefault("dossier", {})
    for old in outcome.folder.glob("dossier - *.pdf"):
        if old == dossier:
            continue
        record = made.get(_rel(year_dir, old))
        ours = isinstance(record, dict) and record.get("sha256") == sha256_file(old)
        if ours or dossier_student(old, password) == outcome.leerling.leerlingnummer:
            old.unlink(missing_ok=True)
            made.pop(_rel(year_dir, old), None)


def write_manifest(summary: RunSummary, options: RunOptions, year_dir: Path) -> None:
    students = []
    for o in summary.outcomes:
        students.append(
            {
                "leerlingnummer": o.leerling.leerlingnummer,
                "naam": o.leerling.naam,
                "route": o.decision.route.value,
                "reden": o.decision.reden,
                "map": _rel(year_dir, o.folder) if o.folder else None,
                "documenten": [
                    {
                        "soort": d.kind.value,
                        "docx": _rel(year_dir, d.docx),
                        "pdf": _rel(year_dir, d.pdf) if d.pdf.exists() else None,
                        "sha256": d.sha256,
                        "bewerkt": d.bewerkt,
                    }
                    for d in o.documents
                ],
                "dossier": _rel(year_dir, o.dossier) if o.dossier else None,
                "deadlines": {k: v.isoformat() for k, v in o.deadlines.as_dict().items()},
                "problemen": o.problems,
            }
        )
    manifest = {
        "schooljaar": str(options.schooljaar),
        "gemaakt": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "leerlingen": students,
    }
    write_text_atomic(
        year_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )


def _check_templates(templates: Path) -> None:
    # The same check as 'opp-docs templates check', with the same message.
    check_templates(templates)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_state(year_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((year_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    state = data if isinstance(data, dict) else {}
    _replay_journal(year_dir, state)
    return state


def _save_state(year_dir: Path, state: dict[str, Any]) -> None:
    write_text_atomic(year_dir / STATE, json.dumps(state, indent=1, sort_keys=True))
    (year_dir / JOURNAL).unlink(missing_ok=True)


def _remove_leftovers(year_dir: Path) -> None:
    """What a killed run left in the students' folders: temporary files of atomic writes and
    dossier covers. Only under the lock, so never another run's files."""
    for pattern in (".tmp-*", ".voorblad.*"):
        for leftover in (year_dir / STUDENTS_DIR).glob(f"*/{pattern}"):
            # Never through a student folder that is a link: those files are not ours.
            if not leftover.parent.is_symlink():
                leftover.unlink(missing_ok=True)


def _journal(year_dir: Path, section: str, key: str, value: Any) -> None:
    """Note one write in the journal at once; the state is saved only between stages."""
    with (year_dir / JOURNAL).open("a", encoding="utf-8") as journal:
        journal.write(json.dumps([section, key, value], ensure_ascii=False) + "\n")


def _replay_journal(year_dir: Path, state: dict[str, Any]) -> None:
    """Take over what a killed run wrote after it last saved the state. A Word file is noted
    just before it is replaced, so its note counts only when the file on disk matches it."""
    try:
        lines = (year_dir / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for line in lines:
        try:
            section, key, value = json.loads(line)
        except (ValueError, TypeError):
            continue  # the last line of a killed run may be cut off
        if section == "docx":
            path = year_dir / key
            if not path.is_file() or sha256_file(path) != value.get("sha256"):
                continue
        state.setdefault(section, {})[key] = value
