"""One student as the overviews show him (`Entry`), and the order in which they list students."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from opp_docs.documents.reading import StudentStatus
from opp_docs.models import Route, StudentOutcome


class Entry(NamedTuple):
    """One student in the overviews: what the run decided and what the files say."""

    outcome: StudentOutcome
    status: StudentStatus


def row_order(outcome: StudentOutcome) -> tuple[int, tuple[object, ...], tuple[str, str, str]]:
    """Plans first (the worklist), then by class and name."""
    return (
        list(Route).index(outcome.decision.route),
        klas_key(outcome.leerling.klas),
        outcome.leerling.sort_key,
    )


def by_counsellor(entries: Sequence[Entry]) -> list[tuple[str, list[Entry]]]:
    """The students per counsellor, in the order of `entries`, the counsellors by name. One
    name written in two ways ("De Wit", "de wit") is one counsellor, shown as first written."""
    groups: dict[str, tuple[str, list[Entry]]] = {}
    for entry in entries:
        naam = " ".join(entry.outcome.leerlingbegeleider.split())
        if naam:
            groups.setdefault(naam.casefold(), (naam, []))[1].append(entry)
    return [groups[key] for key in sorted(groups)]


def klas_key(klas: str) -> tuple[object, ...]:
    """Natural order: 1A, 1B, 2A, 10A; no class last."""
    parts = re.split(r"(\d+)", klas.strip().casefold())
    return (not klas.strip(), *((0, int(p)) if p.isdigit() else (1, p) for p in parts if p))
