"""Writing every overview of a school year, each only when its content changed.

Written from a `RunSummary` (what the pipeline decided and made) into the school year's folder,
each file atomically:

- `overzicht.xlsx` (worklist.py): one row per student of every route; the team leader's worklist;
- `bron-aanmelding.xlsx` (bron.py): the plan students to register, with the SOMtoday note;
- `planning.ics` (ics.py): every deadline of every plan as an all-day calendar event;
- `planning <naam>.ics` (ics.py): the same for one counsellor's students, one per counsellor;
- `docentenoverzicht.docx` and `.pdf` (teachers.py): per class a page for teachers, with the
  handling advice from the plan once the counsellor has written it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from opp_docs.config import Config
from opp_docs.documents.reading import DocumentReader, student_status
from opp_docs.models import RunSummary, SchoolYear
from opp_docs.overviews.bron import BRON_AANMELDING, write_bron_aanmelding
from opp_docs.overviews.entries import Entry, by_counsellor, row_order
from opp_docs.overviews.ics import (
    COUNSELLOR_PLANNING,
    PLANNING,
    calendar_name,
    counsellor_planning,
    planned_deadlines,
    write_planning,
)
from opp_docs.overviews.made_from import OverviewRecords
from opp_docs.overviews.teachers import DOCENTENOVERZICHT, start_pdf, write_docentenoverzicht
from opp_docs.overviews.worklist import OVERZICHT, write_overzicht
from opp_docs.pdf.pool import ConverterPool


@dataclass(frozen=True)
class OverviewOptions:
    """What the overviews of a run are written for."""

    schooljaar: SchoolYear
    config: Config
    # The day the overviews show, and colour the deadlines by.
    today: dt.date
    # Also convert the teacher overview to PDF with LibreOffice.
    pdf: bool = True


def write_overviews(
    summary: RunSummary,
    options: OverviewOptions,
    records: OverviewRecords,
    *,
    pool: ConverterPool | None = None,
    reader: DocumentReader | None = None,
) -> list[Path]:
    """Write every overview into the school year's folder; returns the overview files.
    `records` (from the run state) say what the last ones were made from, and are updated.

    With a running `pool` (the run's own LibreOffice workers) the teacher overview's PDF costs
    no LibreOffice start.

    An overview whose content would come out the same as last time, and whose file is still
    as written then, is left as it is: a rerun without changes writes none.

    With `options.pdf`, the teacher overview is also converted to PDF with LibreOffice; when
    that fails the Word file is still there and the failure is logged.

    `reader` (from `records.reader()`) may already have read the students' Word files.
    """
    schooljaar, config, today = options.schooljaar, options.config, options.today
    year_dir = summary.year_dir
    reader = reader or records.reader()
    entries = sorted(
        (Entry(o, student_status(o, reader)) for o in summary.outcomes),
        key=lambda e: row_order(e.outcome),
    )
    # What each overview is made from. The calendar shows only the deadlines still to come (a
    # staff edit in a plan leaves it alone until a step is done); the others show what the
    # documents say, and today's date.
    students = _digest(
        str(schooljaar),
        repr(config),
        today.isoformat(),
        _entries_digest(entries),
        repr(summary.beeindigd),
    )
    calendar = repr((calendar_name(schooljaar, config), planned_deadlines(entries, schooljaar)))
    writers: list[tuple[str, str, Callable[[Path], Path]]] = [
        # First, so that LibreOffice makes its PDF while the others are written.
        (
            DOCENTENOVERZICHT,
            students,
            lambda t: write_docentenoverzicht(entries, t, schooljaar, config, today),
        ),
        (OVERZICHT, students, lambda t: write_overzicht(entries, t, schooljaar, today)),
        (
            BRON_AANMELDING,
            students,
            lambda t: write_bron_aanmelding(entries, t, schooljaar, today, summary.beeindigd),
        ),
        (PLANNING, calendar, lambda t: write_planning(entries, t, schooljaar, config)),
    ]
    calendars = _counsellor_calendars(entries, schooljaar, config)
    writers.extend(calendars)
    made: dict[str, Path] = {}
    finish_pdf: Callable[[], Path | None] | None = None
    for name, inputs, write in writers:
        target = year_dir / name
        digest = _digest(name, inputs)
        if not records.unchanged(target, digest):
            write(target)
            records.note(target, digest)
        made[name] = target
        if name == DOCENTENOVERZICHT and options.pdf:
            finish_pdf = start_pdf(target, pool, records)
    _remove_old_calendars(records, year_dir, set(made))
    records.keep_read(reader)
    names = (OVERZICHT, BRON_AANMELDING, PLANNING, *(c[0] for c in calendars), DOCENTENOVERZICHT)
    written = [made[name] for name in names]
    teachers_pdf = finish_pdf() if finish_pdf is not None else None
    return written if teachers_pdf is None else [*written, teachers_pdf]


Writer = tuple[str, str, Callable[[Path], Path]]


def _counsellor_calendars(
    entries: Sequence[Entry], schooljaar: SchoolYear, config: Config
) -> list[Writer]:
    """Per counsellor: the calendar's file name, what it is made from, and its writer."""
    writers: list[Writer] = []
    taken: set[str] = set()
    for naam, theirs in by_counsellor(entries):
        name = counsellor_planning(naam)
        number = 2
        # Two names that are made the same by safe_name (or by a system that ignores case).
        while name.casefold() in taken:
            name = counsellor_planning(f"{naam} ({number})")
            number += 1
        taken.add(name.casefold())
        inputs = repr(
            (calendar_name(schooljaar, config, naam), planned_deadlines(theirs, schooljaar))
        )
        write = functools.partial(
            write_planning, theirs, schooljaar=schooljaar, config=config, naam=naam
        )
        writers.append((name, inputs, write))
    return writers


def _remove_old_calendars(records: OverviewRecords, year_dir: Path, current: set[str]) -> None:
    """The calendar of someone who is no one's counsellor any more: it would keep showing old
    deadlines. Removed only as written; a file someone changed is left to them."""
    prefix, suffix = COUNSELLOR_PLANNING
    for name in list(records.files):
        if name.startswith(prefix) and name.endswith(suffix) and name not in current:
            records.remove_if_unchanged(year_dir / name)


def _entries_digest(entries: Sequence[Entry]) -> str:
    """Everything the overviews may show of the students: the run's outcome, what their Word
    files say, and which of their files are there."""
    digest = hashlib.sha256()
    for outcome, status in entries:
        there = [d.docx.exists() for d in outcome.documents]
        dossier = outcome.dossier is not None and outcome.dossier.exists()
        done = sorted(status.done)
        # The set's order differs between runs: the status without it, and its sorted list.
        facts = (outcome, done, dataclasses.replace(status, done=frozenset()))
        digest.update(repr((*facts, there, dossier)).encode("utf-8"))
    return digest.hexdigest()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
