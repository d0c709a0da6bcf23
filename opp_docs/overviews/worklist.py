"""`overzicht.xlsx`, the team leader's worklist: one row per student of every route, with the
route and its reason, the decision, the deadlines (coloured when near or passed), the documents
and how far the plan is. Then the same list per counsellor ("Werklijst <naam>"), with only
that counsellor's students."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from opp_docs.documents.formatting import ja_nee
from opp_docs.documents.reading import StudentStatus
from opp_docs.models import (
    DEADLINE_LABELS,
    DOCUMENTS_PER_ROUTE,
    DeadlineKind,
    Deadlines,
    SchoolYear,
    StudentOutcome,
)
from opp_docs.overviews.entries import Entry, by_counsellor
from opp_docs.overviews.sheets import (
    Column,
    Value,
    clean,
    colour_deadline,
    colour_legend,
    notes_sheet,
    save,
    write_table,
)

OVERZICHT = "overzicht.xlsx"

OVERZICHT_COLUMNS: tuple[Column, ...] = (
    Column("Leerlingnummer", 14),
    Column("Naam", 30),
    Column("Klas", 8),
    Column("Tutor", 22),
    Column("Leerlingbegeleider", 22),
    Column("Route", 20),
    Column("Reden", 50, wrap=True),
    Column("Besluit teamleider", 10, center=True),
    Column("Fase", 22, wrap=True),
    Column("Volgende stap", 24, wrap=True),
    Column("Uiterlijk", 12, center=True),
    Column("Ondertekend", 12, center=True),
    Column("Doelen in plan", 10, center=True),
    *(Column(kind.header, 12, center=True) for kind in DeadlineKind),
    Column("Te laat", 50, wrap=True),
    Column("Documenten", 30, wrap=True),
    Column("Bewerkt door medewerker", 24, wrap=True),
    Column("Plan af", 8, center=True),
    Column("Open invulinstructies in plan", 12, center=True),
    Column("Dossier", 8, center=True),
    Column("Problemen", 60, wrap=True),
)
_FIRST_DEADLINE = [c.header for c in OVERZICHT_COLUMNS].index(DeadlineKind.INFORMATIEBRIEF.header)
_NEXT_DEADLINE = [c.header for c in OVERZICHT_COLUMNS].index("Uiterlijk")


def lateness(deadlines: Deadlines, done: frozenset[str], today: dt.date) -> str:
    """How late the student is: the deadlines moved because the documents were made after
    the procedure's date, and the deadlines passed today whose step is not visibly done."""
    lines = []
    if deadlines.peildatum is not None and deadlines.verschoven:
        start, moved_from = deadlines.peildatum, deadlines.verschoven
        # How late the start was: for the plan itself, or else for the letter before it.
        first = (k for k in (DeadlineKind.OPP, DeadlineKind.INFORMATIEBRIEF) if k in moved_from)
        kind = next(first, DeadlineKind.BRON)
        was = moved_from[kind]
        moved = ", ".join(
            f"{DEADLINE_LABELS[k][0]} {d:%d-%m-%Y} → {deadlines.as_dict()[k]:%d-%m-%Y}"
            for k, d in deadlines.verschoven.items()
        )
        lines.append(
            f"Documenten gemaakt op {start:%d-%m-%Y}, {_days(start - was)} na de deadline "
            f"{DEADLINE_LABELS[kind][0]} ({was:%d-%m-%Y}). Verschoven: {moved}."
        )
    passed = [
        f"{DEADLINE_LABELS[k][0]} ({_days(today - d)})"
        for k, d in deadlines.as_dict().items()
        if d < today and k not in done
    ]
    if passed:
        lines.append(f"Verstreken, nog niet zichtbaar gedaan: {', '.join(passed)}.")
    return "\n".join(lines)


def _days(delta: dt.timedelta) -> str:
    return "1 dag" if delta.days == 1 else f"{delta.days} dagen"


def overzicht_row(outcome: StudentOutcome, status: StudentStatus, today: dt.date) -> list[Value]:
    """One student's row of overzicht.xlsx, in the order of OVERZICHT_COLUMNS."""
    leerling, route = outcome.leerling, outcome.decision.route
    plan = route.has_plan
    existing = [d for d in outcome.documents if d.docx.exists()]
    if existing:
        # Two letters (two addresses) are one kind in the list.
        documents = ", ".join(dict.fromkeys(d.kind.short for d in existing))
        if outcome.scans:
            documents += ", getekend ondertekeningsblad (scan)"
    else:
        documents = "nog geen" if DOCUMENTS_PER_ROUTE[route] else ""
    problems = list(outcome.problems) + list(status.problems)
    if outcome.blocked:
        problems.insert(
            0, "Krijgt geen nieuwe documenten tot de intake is verbeterd (zie intake-rapport)."
        )
    deadlines: list[Value] = (
        list(outcome.deadlines.as_dict().values()) if plan else [None] * len(DeadlineKind)
    )
    plan_af = "" if status.plan_prompts is None else ja_nee(status.plan_prompts == 0)
    step = status.next_step() if plan else None
    stage: list[Value] = [
        status.stage_text,
        step.task(route) if step is not None else ("klaar" if plan else ""),
        outcome.deadlines.as_dict()[step] if step is not None else None,
        outcome.ondertekend,
        len(status.plan.doelen) if status.plan is not None else None,
    ]
    return [
        leerling.leerlingnummer,
        leerling.naam,
        leerling.klas,
        leerling.tutor,
        outcome.leerlingbegeleider,
        route.label,
        outcome.decision.reden,
        ja_nee(outcome.decision.besluit),
        *stage,
        *deadlines,
        lateness(outcome.deadlines, status.done, today) if plan else "",
        documents,
        ", ".join(dict.fromkeys(d.kind.short for d in existing if d.bewerkt)),
        plan_af,
        status.plan_prompts,
        ja_nee(outcome.dossier is not None and outcome.dossier.exists()) if plan else "",
        "\n".join(problems),
    ]


def write_overzicht(
    entries: Sequence[Entry], target: Path, schooljaar: SchoolYear, today: dt.date
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Overzicht"
    _worklist(sheet, entries, today)
    titles = {sheet.title.casefold()}
    for naam, theirs in by_counsellor(entries):
        title = worklist_title(naam, titles)
        titles.add(title.casefold())
        _worklist(workbook.create_sheet(title), theirs, today)
    notes_sheet(
        workbook.create_sheet("Toelichting"),
        [
            f"Overzicht schooljaar {schooljaar}: alle leerlingen, per route",
            *colour_legend(today),
            "Deadlines staan alleen bij leerlingen met een OPP of OPP light.",
            "Te laat: zijn de documenten van een leerling pas gemaakt nadat de informatiebrief "
            "of het plan volgens de procedure klaar had moeten zijn, dan staan de deadlines al "
            "verschoven (de oude en de nieuwe datum staan erbij): het plan komt dan de "
            "ingestelde weken na de dag waarop de documenten gemaakt zijn "
            "(weken_bij_late_start in opp-docs.toml). Daaronder: de deadlines die vandaag "
            "verstreken zijn terwijl de stap nog niet zichtbaar gedaan is, en met hoeveel dagen.",
            "Route en reden zijn een voorstel van opp-docs; een besluit van de teamleider in de "
            "intake (kolom Route (besluit)) gaat altijd voor.",
            "Bewerkt door medewerker: Word-bestanden die na het maken zijn aangepast; opp-docs "
            "overschrijft die nooit.",
            "Fase: wat de bestanden laten zien. Concept: het plan heeft nog invulinstructies. "
            "Plan af: geen invulinstructies meer. Ondertekend: er is een scan van het "
            "ondertekeningsblad of een datum van ondertekening in de intake. Een evaluatie is "
            "gehouden als het formulier de datum van het gesprek heeft (of geen "
            "invulinstructies meer). Bij de eindevaluatie staat het besluit.",
            "Volgende stap en Uiterlijk: de eerste stap die nog niet gedaan is, met zijn deadline.",
            "Elke leerlingbegeleider heeft een eigen blad 'Werklijst <naam>' met alleen de eigen "
            "leerlingen, en een eigen agenda 'planning <naam>.ics'. De leerlingbegeleider komt "
            "uit de intake (kolom Leerlingbegeleider), anders uit opp-docs.toml.",
            "Kolom Ondertekend: de dag van ondertekening, uit de kolom Datum ondertekening van de "
            "intake, anders de datum van de scan van het getekende ondertekeningsblad in de "
            "intakemap. Leeg: nog niet ondertekend.",
        ],
    )
    return save(workbook, target)


def _worklist(sheet: Worksheet, entries: Sequence[Entry], today: dt.date) -> None:
    rows = [overzicht_row(e.outcome, e.status, today) for e in entries]
    write_table(sheet, OVERZICHT_COLUMNS, rows, freeze="C2")
    for line, (outcome, status) in enumerate(entries, start=2):
        if not outcome.decision.route.has_plan:
            continue
        for offset, (key, day) in enumerate(outcome.deadlines.as_dict().items()):
            if key not in status.done:
                colour_deadline(sheet.cell(line, _FIRST_DEADLINE + 1 + offset), day, today)
        step = status.next_step()
        if step is not None:
            day = outcome.deadlines.as_dict()[step]
            colour_deadline(sheet.cell(line, _NEXT_DEADLINE + 1), day, today)


# Excel's limits on a sheet's name: 31 characters, none of these.
_SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAMES = str.maketrans({c: "_" for c in "[]:*?/\\"})


def worklist_title(naam: str, taken: set[str]) -> str:
    """The counsellor's sheet, "Werklijst <naam>", as Excel allows it: cut to 31 characters,
    and numbered when a cut name is already taken (Excel compares names without case)."""
    title = clean(f"Werklijst {naam}").translate(_NOT_IN_SHEET_NAMES)
    title = title[:_SHEET_NAME_MAX].rstrip().rstrip("'")
    number = 2
    candidate = title
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate = title[: _SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        number += 1
    return candidate
