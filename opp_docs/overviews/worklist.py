"""`overzicht.xlsx`, the team leader's worklist: one row per student of every route, with the
route and its reason, the decision, the deadlines (coloured when near or passed), the documents
and how far the plan is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from opp_docs.documents.formatting import ja_nee
from opp_docs.documents.reading import StudentStatus
from opp_docs.models import (
    DOCUMENTS_PER_ROUTE,
    DeadlineKind,
    SchoolYear,
    StudentOutcome,
)
from opp_docs.overviews.entries import Entry
from opp_docs.overviews.sheets import (
    Column,
    Value,
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
    Column("Route", 20),
    Column("Reden", 50, wrap=True),
    Column("Besluit teamleider", 10, center=True),
    *(Column(kind.header, 12, center=True) for kind in DeadlineKind),
    Column("Documenten", 30, wrap=True),
    Column("Bewerkt door medewerker", 24, wrap=True),
    Column("Plan af", 8, center=True),
    Column("Open invulinstructies in plan", 12, center=True),
    Column("Dossier", 8, center=True),
    Column("Problemen", 60, wrap=True),
)
_FIRST_DEADLINE = [c.header for c in OVERZICHT_COLUMNS].index(DeadlineKind.INFORMATIEBRIEF.header)


def overzicht_row(outcome: StudentOutcome, status: StudentStatus) -> list[Value]:
    """One student's row of overzicht.xlsx, in the order of OVERZICHT_COLUMNS."""
    leerling, route = outcome.leerling, outcome.decision.route
    plan = route.has_plan
    existing = [d for d in outcome.documents if d.docx.exists()]
    if existing:
        # Two letters (two addresses) are one kind in the list.
        documents = ", ".join(dict.fromkeys(d.kind.short for d in existing))
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
    return [
        leerling.leerlingnummer,
        leerling.naam,
        leerling.klas,
        leerling.tutor,
        route.label,
        outcome.decision.reden,
        ja_nee(outcome.decision.besluit),
        *deadlines,
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
    rows = [overzicht_row(e.outcome, e.status) for e in entries]
    write_table(sheet, OVERZICHT_COLUMNS, rows, freeze="C2")
    for line, (outcome, status) in enumerate(entries, start=2):
        if not outcome.decision.route.has_plan:
            continue
        for offset, (key, day) in enumerate(outcome.deadlines.as_dict().items()):
            if key not in status.done:
                colour_deadline(sheet.cell(line, _FIRST_DEADLINE + 1 + offset), day, today)
    notes_sheet(
        workbook.create_sheet("Toelichting"),
        [
            f"Overzicht schooljaar {schooljaar}: alle leerlingen, per route",
            *colour_legend(today),
            "Deadlines staan alleen bij leerlingen met een OPP of OPP light.",
            "Route en reden zijn een voorstel van opp-docs; een besluit van de teamleider in de "
            "intake (kolom Route (besluit)) gaat altijd voor.",
            "Bewerkt door medewerker: Word-bestanden die na het maken zijn aangepast; opp-docs "
            "overschrijft die nooit.",
        ],
    )
    return save(workbook, target)
