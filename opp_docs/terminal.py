"""What `--verbose` adds to the terminal: counts per intake file, the place of each problem,
the route per student number, and why documents were converted one by one.

Terminal output ends up in scrollback, screenshots and helpdesk tickets, so it names files,
places and student numbers only: never a name, never the value of a cell, never OKR text. The
intake report and the manifest, in the private output folder, hold the rest. (The one
exception, the files of a run that did not work out, cli.py shows with --verbose: their names
are the students', and the user needs them to act.)
"""

from __future__ import annotations

from collections import Counter

from opp_docs.models import IntakeResult, Problem, RunSummary
from opp_docs.overviews.worklist import OVERZICHT

# More problem places than this are left to the intake report.
MAX_PLACES = 50


def detail_lines(summary: RunSummary) -> list[str]:
    """Lines for the operator; see the module docstring for what they may hold."""
    lines = _intake_lines(summary.intake) if summary.intake is not None else []
    if summary.outcomes:
        lines.append("Per leerling (leerlingnummer: route, documenten):")
    for o in summary.outcomes:
        status = [f"route {o.decision.route.value}", f"{len(o.documents)} document(en)"]
        if o.dossier is not None:
            status.append("dossier")
        if o.blocked:
            status.append("geblokkeerd door de intake")
        if o.problems:
            status.append(f"{len(o.problems)} melding(en) in manifest.json")
        lines.append(f"  {o.leerling.leerlingnummer}: {', '.join(status)}")
    if summary.join_refusals:
        # Most common first: the reason a school can most usefully do something about.
        counts = sorted(summary.join_refusals.items(), key=lambda item: (-item[1], item[0]))
        reasons = ", ".join(f"{n}× {reason}" for reason, n in counts)
        lines.append(f"Los omgezet in plaats van samen: {reasons}")
    return lines


def _intake_lines(result: IntakeResult) -> list[str]:
    rows: Counter[str] = Counter()
    students: dict[str, set[str]] = {}
    for leerling in result.leerlingen:
        for place in leerling.places:
            rows[place.file] += 1
            students.setdefault(place.file, set()).add(leerling.leerlingnummer)
    problems = Counter(p.place.file for p in result.problems if p.blocking)
    reports = {pdf.name: nummer for nummer, pdfs in result.rapporten.items() for pdf in pdfs}
    scans = {scan.naam: nummer for nummer, found in result.scans.items() for scan in found}
    lines = ["Gelezen bestanden:"]
    for name in result.files_read:
        if name in reports:
            lines.append(f"  {name}: rapport bij leerling {reports[name]}")
            continue
        if name in scans:
            lines.append(f"  {name}: getekend ondertekeningsblad van leerling {scans[name]}")
            continue
        counts = f"{rows[name]} rij(en), {len(students.get(name, ()))} leerling(en)"
        if problems[name]:
            counts += f", {problems[name]} probleem/problemen"
        lines.append(f"  {name}: {counts}")
    for blocking, heading in (
        (True, "Problemen (plaats; de uitleg staat in het intakerapport):"),
        (False, "Om na te kijken (plaats; de uitleg staat in het intakerapport):"),
    ):
        lines.extend(_places([p for p in result.problems if p.blocking == blocking], heading))
    if result.notes:
        lines.append(
            f"{len(result.notes)} melding(en) over bladen en kolommen: zie het intakerapport, "
            "blad Meldingen."
        )
    return lines


def _places(problems: list[Problem], heading: str) -> list[str]:
    if not problems:
        return []
    lines = [heading]
    for p in problems[:MAX_PLACES]:
        where = str(p.place) + (f", kolom '{p.column}'" if p.column else "")
        student = f" (leerling {p.leerlingnummer})" if p.leerlingnummer else ""
        lines.append(f"  {where}{student}")
    if len(problems) > MAX_PLACES:
        lines.append(f"  … en {len(problems) - MAX_PLACES} meer: zie het intakerapport.")
    return lines


def run_lines(summary: RunSummary, verbose: bool) -> list[str]:
    """What `opp-docs dossiers` prints at the end: with `verbose` the details first, then the
    intake, the counts, and whether the user must look at something."""
    counts = (
        f"{summary.students} leerlingen, {summary.dossiers} dossiers; "
        f"documenten: {summary.made} gemaakt, {summary.reused} hergebruikt, "
        f"{summary.failed} mislukt."
    )
    details = detail_lines(summary) if verbose else []
    return [*details, intake_line(summary), counts, *closing_lines(summary, verbose)]


def intake_line(summary: RunSummary) -> str:
    """How the intake went, in one line."""
    # Not blocking, but still for the user to act on: a report PDF that went to no student.
    notes = sum(1 for p in summary.intake.problems if not p.blocking) if summary.intake else 0
    if summary.intake_problems:
        return (
            f"Let op: {summary.intake_problems} probleem/problemen in de intake; "
            f"{summary.blocked} leerling(en) krijgen deze keer geen nieuwe documenten. "
            f"Zie {summary.intake_report}"
        )
    if notes:
        return (
            f"Let op: de intake is gelezen ({summary.students} leerlingen), met {notes} "
            f"melding(en) om na te kijken. Zie {summary.intake_report}"
        )
    return f"Intake in orde ({summary.students} leerlingen). Rapport: {summary.intake_report}"


def closing_lines(summary: RunSummary, verbose: bool) -> list[str]:
    """The last line says whether the user must look at something, and where. With -v the
    problems of the run itself come first: they name the files, and so the students, which the
    user needs to act on them. The intake's are left out: they may quote the intake's cells."""
    from_intake = {str(p) for p in summary.intake.problems} if summary.intake else set()
    with_problems = [o for o in summary.outcomes if o.problems or o.blocked]
    found = [
        (o.leerling.leerlingnummer, p)
        for o in with_problems
        for p in o.problems
        if p not in from_intake
    ]
    lines = []
    if verbose and found:
        lines.append("Niet gelukt of na te kijken (per leerlingnummer):")
        lines.extend(f"  {nummer}: {problem}" for nummer, problem in found)
    lines.append(f"Uitvoer: {summary.year_dir}")
    if with_problems:
        more = " Met -v staan hier ook de bestanden." if found and not verbose else ""
        lines.append(
            f"Let op: {len(with_problems)} leerling(en) met een probleem. Lees in de kolom "
            f"Problemen van {summary.year_dir / OVERZICHT} per leerling wat er is, los het op "
            f"en draai opnieuw.{more}"
        )
    return lines
