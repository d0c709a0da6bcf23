"""`manifest.json`: the run's outcome for scripts and tests (see the spec's output contract).
Written at the end of every run; opp-docs itself never reads it back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from opp_docs.documents.reading import StudentStatus
from opp_docs.files import write_text_atomic
from opp_docs.models import (
    MANIFEST,
    DocumentKind,
    DocumentOutcome,
    RunSummary,
    SchoolYear,
    StudentOutcome,
)


def write_manifest(
    summary: RunSummary, schooljaar: SchoolYear, statuses: dict[str, StudentStatus]
) -> None:
    year_dir = summary.year_dir
    students = []
    for o in summary.outcomes:
        status = statuses.get(o.leerling.leerlingnummer, StudentStatus())
        students.append(
            {
                "leerlingnummer": o.leerling.leerlingnummer,
                "naam": o.leerling.naam,
                "route": o.decision.route.value,
                "reden": o.decision.reden,
                "leerlingbegeleider": o.leerlingbegeleider,
                "map": _rel(year_dir, o.folder) if o.folder else None,
                "documenten": [_document(year_dir, d) for d in o.documents],
                "dossier": _rel(year_dir, o.dossier) if o.dossier else None,
                "deadlines": {k.value: v.isoformat() for k, v in o.deadlines.as_dict().items()},
                # Made after the procedure's dates: the day the deadlines count from, and the
                # procedure's date of each deadline moved because of it.
                "peildatum": _date(o.deadlines.peildatum),
                "verschoven": {k.value: v.isoformat() for k, v in o.deadlines.verschoven.items()},
                **_cycle(o, status),
                "problemen": [*o.problems, *status.problems],
            }
        )
    manifest = {
        "schooljaar": str(schooljaar),
        "gemaakt": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "leerlingen": students,
    }
    write_text_atomic(
        year_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )


def _cycle(outcome: StudentOutcome, status: StudentStatus) -> dict[str, Any]:
    """How far the plan is, as its files show it (`reading.student_status`)."""
    step = status.next_step() if outcome.decision.route.has_plan else None
    plan = status.plan
    return {
        "fase": status.stage.value if status.stage is not None else None,
        "volgende_stap": (
            {"stap": step.value, "deadline": outcome.deadlines.as_dict()[step].isoformat()}
            if step is not None
            else None
        ),
        "doelen": [goal.values() for goal in plan.doelen] if plan is not None else [],
        "uitstroomperspectief": plan.perspectief if plan is not None else "",
        "ondertekend": _signed(outcome),
        "tussenevaluatie": _date(status.tussenevaluatie),
        "eindevaluatie": _date(status.eindevaluatie),
        "besluit": status.besluit.value if status.besluit is not None else None,
        "vorig_plan": (
            {"schooljaar": outcome.vorig_schooljaar} if outcome.vorig_schooljaar else None
        ),
    }


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _document(year_dir: Path, d: DocumentOutcome) -> dict[str, object]:
    entry: dict[str, object] = {
        "soort": d.kind.value,
        "docx": _rel(year_dir, d.docx),
        "pdf": _rel(year_dir, d.pdf) if d.pdf.exists() else None,
        "sha256": d.sha256,
        "bewerkt": d.bewerkt,
    }
    if d.kind is DocumentKind.INFORMATIEBRIEF:
        # One letter per parents' address: which one this is (1 for the home address).
        entry["adres"] = d.adres
    return entry


def _signed(outcome: StudentOutcome) -> dict[str, object] | None:
    """The plan's signing: the day, where it comes from, and the scans (their paths inside
    the intake folder); None while the plan is not signed."""
    if outcome.ondertekend is None:
        return None
    bron = outcome.ondertekend_bron
    return {
        "datum": outcome.ondertekend.isoformat(),
        "bron": bron.value if bron is not None else None,
        "scans": [scan.naam for scan in outcome.scans],
    }


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
