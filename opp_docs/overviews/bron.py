"""`bron-aanmelding.xlsx`: the students with a plan that the team leader registers with BRON/ROD,
each with the note to paste into SOMtoday."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from opp_docs.models import EndedPlan, SchoolYear, StudentOutcome
from opp_docs.overviews.entries import Entry, row_order
from opp_docs.overviews.sheets import (
    Column,
    Value,
    colour_deadline,
    colour_legend,
    notes_sheet,
    save,
    write_table,
)

BRON_AANMELDING = "bron-aanmelding.xlsx"

BRON_COLUMNS: tuple[Column, ...] = (
    Column("Leerlingnummer", 14),
    Column("Naam", 30),
    Column("Klas", 8),
    Column("Geboortedatum", 12, center=True),
    Column("Plan", 10),
    Column("Begindatum plan", 12, center=True),
    Column("Aanmelden uiterlijk", 12, center=True),
    Column("Notitie voor SOMtoday", 90, wrap=True),
)


def bron_note(outcome: StudentOutcome, schooljaar: SchoolYear) -> str:
    """The note the team leader pastes into SOMtoday. One line: Excel puts quotes around a
    copied cell that holds line breaks."""
    leerling, d = outcome.leerling, outcome.deadlines
    geboren = (
        f"geboren {leerling.geboortedatum:%d-%m-%Y}"
        if leerling.geboortedatum
        else "geboortedatum onbekend"
    )
    klas = f", klas {leerling.klas}" if leerling.klas else ""
    if outcome.ondertekend is not None:
        begin = f"{outcome.ondertekend:%d-%m-%Y} (ondertekening van het plan)"
    else:
        begin = f"{d.opp:%d-%m-%Y} (vaststelling van het plan)"
    return (
        f"Aanmelding BRON/ROD: {outcome.decision.route.label} voor {leerling.naam} "
        f"(leerlingnummer {leerling.leerlingnummer}, {geboren}{klas}), schooljaar {schooljaar}. "
        f"Begindatum: {begin}. Einddatum: volgt als het "
        f"plan stopt (besluit bij de eindevaluatie, uiterlijk {d.eindevaluatie:%d-%m-%Y})."
    )


ENDED_COLUMNS: tuple[Column, ...] = (
    Column("Leerlingnummer", 14),
    Column("Naam", 30),
    Column("Plan", 10),
    Column("Schooljaar plan", 14),
    Column("Einddatum plan", 12, center=True),
    Column("Einddatum uit", 30, wrap=True),
    Column("Notitie voor SOMtoday", 90, wrap=True),
)


def ended_note(plan: EndedPlan) -> str:
    """The note that ends the registration in SOMtoday; one line, as `bron_note`."""
    return (
        f"Afmelding BRON/ROD: het {plan.route.label} van {plan.naam} (leerlingnummer "
        f"{plan.leerlingnummer}) uit schooljaar {plan.schooljaar} is beëindigd. Einddatum: "
        f"{plan.einddatum:%d-%m-%Y} (besluit bij de eindevaluatie)."
    )


def begin_date(outcome: StudentOutcome) -> dt.date:
    """The registration's begin date: the day the plan was signed once that is known, until
    then the plan's deadline."""
    return outcome.ondertekend or outcome.deadlines.opp


def write_bron_aanmelding(
    entries: Sequence[Entry],
    target: Path,
    schooljaar: SchoolYear,
    today: dt.date,
    ended: Sequence[EndedPlan] = (),
) -> Path:
    plans = sorted(
        # Not a plan that waits for last year's decision: there is nothing to register yet.
        (e for e in entries if e.outcome.decision.route.has_plan and not e.outcome.wacht),
        key=lambda e: (e.outcome.deadlines.bron, *row_order(e.outcome)[1:]),
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "BRON-aanmelding"
    rows: list[list[Value]] = [
        [
            o.leerling.leerlingnummer,
            o.leerling.naam,
            o.leerling.klas,
            o.leerling.geboortedatum,
            o.decision.route.label,
            begin_date(o),
            o.deadlines.bron,
            bron_note(o, schooljaar),
        ]
        for o, _status in plans
    ]
    write_table(sheet, BRON_COLUMNS, rows, freeze="C2")
    for line, (outcome, status) in enumerate(plans, start=2):
        if "bron" not in status.done:
            colour_deadline(sheet.cell(line, 7), outcome.deadlines.bron, today)
    notes_sheet(
        workbook.create_sheet("Toelichting"),
        [
            f"BRON-aanmelding schooljaar {schooljaar}: leerlingen met een OPP of OPP light",
            "De teamleider B&O meldt deze leerlingen aan bij BRON/ROD via een notitie in "
            "SOMtoday. Kopieer de cel in de kolom 'Notitie voor SOMtoday' en plak hem in de "
            "notitie van de leerling.",
            "Begindatum plan: de dag waarop het plan is ondertekend zodra die bekend is (kolom "
            "Datum ondertekening in de intake, anders de datum van de scan van het getekende "
            "ondertekeningsblad); tot dan de deadline van het plan (de datum waarop het "
            "uiterlijk wordt vastgesteld).",
            "Aanmelden uiterlijk: 1 oktober voor de nieuwe leerlingen (procedure), de dag van "
            "de plan-deadline voor leerlingen die tijdens het schooljaar een plan krijgen, en "
            "ook voor leerlingen van wie de documenten pas na 1 oktober gemaakt zijn: de "
            "aanmelding draagt de begindatum van het plan.",
            *colour_legend(today),
            "Blad 'Beëindigd': de plannen van vorig schooljaar die de eindevaluatie heeft "
            "beëindigd. Meld ze af bij BRON/ROD met de einddatum; kopieer daarvoor de notitie.",
        ],
    )
    if ended:
        sheet = workbook.create_sheet("Beëindigd")
        rows = [
            [
                plan.leerlingnummer,
                plan.naam,
                plan.route.label,
                plan.schooljaar,
                plan.einddatum,
                plan.bron,
                ended_note(plan),
            ]
            for plan in ended
        ]
        write_table(sheet, ENDED_COLUMNS, rows, freeze="C2")
    return save(workbook, target)
