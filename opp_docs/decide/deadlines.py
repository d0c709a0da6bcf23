"""Deadlines per student from the procedure: BRON 1 October, OPP 15 October, then signing,
interim and final evaluation; six weeks after a signal for students who get a plan mid-year.

A document never promises a date that has passed on the day it is made. So the deadlines are
computed from a reference date (`peildatum`: the day the student's documents were made; the
pipeline keeps it stable over reruns). When that day is past the letter's deadline, the plan
gets `weken_bij_late_start` weeks from it, as after a signal, and the later steps follow.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

from opp_docs.config import Config, MonthDay
from opp_docs.models import DeadlineKind, Deadlines, Leerling, SchoolYear


def compute_deadlines(
    leerling: Leerling,
    schooljaar: SchoolYear,
    config: Config,
    peildatum: dt.date | None = None,
) -> Deadlines:
    """The student's deadlines; those that have passed on `peildatum` are moved (None: the
    procedure's dates as they are)."""
    if leerling.signaaldatum is not None:
        # Legal norm: the plan is adopted within six weeks of the signal.
        opp = leerling.signaaldatum + dt.timedelta(weeks=config.weken_na_signaal)
    else:
        opp = config.opp_datum.in_year(schooljaar.start)
    procedure = _following(leerling, schooljaar, config, opp, None)
    if peildatum is None:
        return procedure
    if peildatum > procedure.informatiebrief:
        # Too late to tell the parents in time (or for the plan itself): the plan gets the
        # school's late-start term from the day the documents are made, never less than the
        # procedure gave it.
        opp = max(opp, peildatum + dt.timedelta(weeks=config.weken_bij_late_start))
    late = _following(leerling, schooljaar, config, opp, peildatum)
    if late == procedure:
        return procedure
    before, after = procedure.as_dict(), late.as_dict()
    moved = {kind: before[kind] for kind in DeadlineKind if after[kind] != before[kind]}
    return replace(late, peildatum=peildatum, verschoven=moved)


def _following(
    leerling: Leerling,
    schooljaar: SchoolYear,
    config: Config,
    opp: dt.date,
    peildatum: dt.date | None,
) -> Deadlines:
    """Every deadline around the plan's date `opp`; none before `peildatum`."""
    bron = config.bron_datum.in_year(schooljaar.start)
    if leerling.signaaldatum is not None or (peildatum is not None and bron < peildatum):
        # Registration holds the plan's begin date. Mid-year, or past the 1 October count
        # for the funding, nothing is won by registering before the plan: register it then.
        bron = opp
    ondertekening = opp + dt.timedelta(days=config.dagen_tot_ondertekening)
    # Parents and student hear of the plan before it is written (seed, remarks).
    informatiebrief = opp - dt.timedelta(days=config.dagen_informatiebrief_voor_opp)
    for earliest in (leerling.signaaldatum, peildatum):
        if earliest is not None:
            informatiebrief = max(informatiebrief, earliest)
    eindevaluatie = _first_after(config.eindevaluatie, ondertekening, schooljaar)
    tussenevaluatie = _first_after(config.tussenevaluatie, ondertekening, schooljaar)
    if tussenevaluatie >= eindevaluatie:
        # A plan made late in the year: evaluate halfway to the final evaluation instead.
        tussenevaluatie = ondertekening + (eindevaluatie - ondertekening) / 2
    return Deadlines(
        informatiebrief=informatiebrief,
        bron=bron,
        opp=opp,
        ondertekening=ondertekening,
        tussenevaluatie=tussenevaluatie,
        eindevaluatie=eindevaluatie,
    )


def _first_after(when: MonthDay, after: dt.date, schooljaar: SchoolYear) -> dt.date:
    """The configured day in this school year, or its next occurrence after `after`."""
    year = schooljaar.start if when.month >= 8 else schooljaar.end
    candidate = _clamped(year, when)
    while candidate <= after:
        year += 1
        candidate = _clamped(year, when)
    return candidate


def _clamped(year: int, when: MonthDay) -> dt.date:
    # 29 February in a common year becomes 28 February.
    day = min(when.day, calendar.monthrange(year, when.month)[1])
    return dt.date(year, when.month, day)
