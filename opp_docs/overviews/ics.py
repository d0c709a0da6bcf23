"""`planning.ics`: every deadline of every plan as an all-day event, for the team leader's
calendar; and per counsellor `planning <naam>.ics` with only that counsellor's students. (Not
`calendar.py`: that name would shadow the standard library.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from icalendar import Calendar, Event

from opp_docs.config import Config
from opp_docs.files import safe_name, write_bytes_atomic
from opp_docs.models import SchoolYear
from opp_docs.overviews.entries import Entry
from opp_docs.overviews.sheets import clean
from opp_docs.overviews.worklist import OVERZICHT

PLANNING = "planning.ics"
# A counsellor's own calendar: "planning mevr. J. de Wit.ics".
COUNSELLOR_PLANNING = ("planning ", ".ics")


def counsellor_planning(naam: str) -> str:
    """The file name of a counsellor's own calendar."""
    prefix, suffix = COUNSELLOR_PLANNING
    return safe_name(f"{prefix}{naam}", suffix=suffix)


def event_uid(schooljaar: SchoolYear, leerlingnummer: str, key: str) -> str:
    """Stable per student, deadline and school year: importing again updates the event."""
    return f"{schooljaar}-{leerlingnummer}-{key}@opp-docs"


class Deadline(NamedTuple):
    """One event of the calendar: a deadline of a student's plan."""

    uid: str
    summary: str
    day: dt.date
    category: str
    description: str


def planned_deadlines(entries: Sequence[Entry], schooljaar: SchoolYear) -> list[Deadline]:
    """Every deadline of every plan still to come: all that the calendar shows of the
    students. A step the files show done is left out."""
    deadlines = []
    for outcome, status in entries:
        route = outcome.decision.route
        if not route.has_plan or outcome.wacht:
            continue
        leerling = outcome.leerling
        klas = f", klas {leerling.klas}" if leerling.klas else ""
        tutor = f" Tutor: {leerling.tutor}." if leerling.tutor else ""
        if outcome.leerlingbegeleider:
            tutor += f" Leerlingbegeleider: {outcome.leerlingbegeleider}."
        for key, day in outcome.deadlines.as_dict().items():
            if key in status.done:
                continue
            deadlines.append(
                Deadline(
                    uid=clean(event_uid(schooljaar, leerling.leerlingnummer, key)),
                    summary=clean(f"{key.task(route)} – {leerling.naam}"),
                    day=day,
                    category=route.label,
                    description=clean(
                        f"{route.label} van {leerling.naam} (leerlingnummer "
                        f"{leerling.leerlingnummer}{klas}), schooljaar {schooljaar}.{tutor} "
                        f"Stand van zaken: {OVERZICHT}."
                    ),
                )
            )
    return deadlines


def calendar_name(schooljaar: SchoolYear, config: Config, naam: str = "") -> str:
    """The calendar's name in an agenda; a counsellor's own one says whose it is."""
    whose = f" {naam} –" if naam else ""
    return clean(f"OPP-planning{whose} {config.school_naam} {schooljaar}")


def write_planning(
    entries: Sequence[Entry],
    target: Path,
    schooljaar: SchoolYear,
    config: Config,
    naam: str = "",
) -> Path:
    """The calendar of `entries`; with `naam`, named as that counsellor's own."""
    calendar = Calendar()
    calendar.add("prodid", "-//opp-docs//OPP-planning//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name(schooljaar, config, naam))
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for deadline in planned_deadlines(entries, schooljaar):
        event = Event()
        event.add("uid", deadline.uid)
        event.add("dtstamp", stamp)
        event.add("summary", deadline.summary)
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + dt.timedelta(days=1))
        # A deadline, not an appointment: it does not make anyone look busy.
        event.add("transp", "TRANSPARENT")
        event.add("categories", [deadline.category])
        event.add("description", deadline.description)
        calendar.add_component(event)
    write_bytes_atomic(target, calendar.to_ical())
    return target
