"""Deadlines per student from the procedure: BRON 1 October, OPP 15 October, then signing,
interim and final evaluation; six weeks after a signal for students who get a plan mid-year."""

from __future__ import annotations

import calendar
import datetime as dt

from opp_docs.config import Config, MonthDay
from opp_docs.models import Deadlines, Leerling, SchoolYear


def compute_deadlines(leerling: Leerling, schooljaar: SchoolYear, config: Config) -> Deadlines:
    if leerling.signaaldatum is not None:
        # Legal norm: the plan is adopted within six weeks of the signal.
        opp = leerling.signaaldatum + dt.timedelta(weeks=config.weken_na_signaal)
        bron = opp
    else:
        opp = config.opp_datum.in_year(schooljaar.start)
        bron = config.bron_datum.in_year(schooljaar.start)
    ondertekening = opp + dt.timedelta(days=config.dagen_tot_ondertekening)
    # Parents and student hear of the plan before it is written (seed, remarks).
    informatiebrief = opp - dt.timedelta(days=config.dagen_informatiebrief_voor_opp)
    if leerling.signaaldatum is not None:
        informatiebrief = max(informatiebrief, leerling.signaaldatum)
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
