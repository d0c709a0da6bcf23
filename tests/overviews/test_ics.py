"""planning.ics, read back with icalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar

from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.models import StudentOutcome
from opp_docs.overviews.ics import PLANNING
from tests.overviews.students import COHORT, CONFIG, YEAR, D, write


def read_calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_planning_has_every_deadline_of_every_plan(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 9, 1))
    raw = files[PLANNING].read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = read_calendar(files[PLANNING])
    assert str(calendar["version"]) == "2.0"
    assert "opp-docs" in str(calendar["prodid"])
    events = list(calendar.walk("VEVENT"))
    # Noor's plan has no prompts left: it is finished, and so are the steps before it.
    assert len(events) == 3 * 6 - 3
    summaries = {str(e["summary"]) for e in events}
    assert "OPP light vaststellen – Noor de Bakker" not in summaries
    assert "Informatiebrief naar ouders – Noor de Bakker" not in summaries
    assert "OPP vaststellen – Sem Jansen" in summaries
    assert "OPP light ondertekenen – Noor de Bakker" in summaries
    assert "BRON-aanmelding (notitie in SOMtoday) – Sophie Peters" in summaries
    assert "Informatiebrief naar ouders – Sem Jansen" in summaries
    assert not any("Daan Visser" in s or "Emma Mulder" in s for s in summaries)
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        # All-day: a date, not a date-time, lasting one day.
        assert type(start) is dt.date
        assert end - start == dt.timedelta(days=1)
        assert "dtstamp" in event
    sem = {str(e["summary"]): e.decoded("dtstart") for e in events if "Sem" in str(e["summary"])}
    assert sem["Eindevaluatie OPP – Sem Jansen"] == COHORT["eindevaluatie"]
    assert sem["OPP vaststellen – Sem Jansen"] == COHORT["opp"]


def test_planning_uids_are_unique_and_stable(tmp_path: Path, cohort: list[StudentOutcome]) -> None:
    first = write(tmp_path / "a", *cohort, today=D(2026, 9, 1))[PLANNING]
    # A later run with a changed date must update the same events, not add new ones.
    cohort[5].leerling.signaaldatum = D(2026, 9, 21)
    cohort[5].deadlines = compute_deadlines(cohort[5].leerling, YEAR, CONFIG)
    second = write(tmp_path / "b", *cohort, today=D(2026, 10, 1))[PLANNING]
    uids = [str(e["uid"]) for e in read_calendar(first).walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["uid"]) for e in read_calendar(second).walk("VEVENT")]
    assert "2026-2027-990001-opp@opp-docs" in uids
