"""`manifest.json`: the run's outcome for scripts and tests (see the spec's output contract).
Written at the end of every run; opp-docs itself never reads it back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from opp_docs.files import write_text_atomic
from opp_docs.models import MANIFEST, DocumentKind, DocumentOutcome, RunSummary, SchoolYear


def write_manifest(summary: RunSummary, schooljaar: SchoolYear) -> None:
    year_dir = summary.year_dir
    students = []
    for o in summary.outcomes:
        students.append(
            {
                "leerlingnummer": o.leerling.leerlingnummer,
                "naam": o.leerling.naam,
                "route": o.decision.route.value,
                "reden": o.decision.reden,
                "map": _rel(year_dir, o.folder) if o.folder else None,
                "documenten": [_document(year_dir, d) for d in o.documents],
                "dossier": _rel(year_dir, o.dossier) if o.dossier else None,
                "deadlines": {k.value: v.isoformat() for k, v in o.deadlines.as_dict().items()},
                "problemen": o.problems,
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


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
