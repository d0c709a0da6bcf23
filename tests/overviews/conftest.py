"""The cohort the overview tests share: one student of every route."""

from __future__ import annotations

from pathlib import Path

import pytest

from opp_docs.models import DocumentKind, Route, StudentOutcome
from tests.overviews.students import D, leerling, outcome, plan_documents


@pytest.fixture
def cohort(tmp_path: Path) -> list[StudentOutcome]:
    """One student of every route, in an order the overviews must change."""
    year = tmp_path / "2026-2027"
    return [
        outcome(leerling("990005", "Mulder", "Emma", klas="2A", tutor="dhr. Aydın")),
        outcome(leerling("990003", "Visser", "Daan", klas="1B", opp_po=True)),
        outcome(
            leerling(
                "990002",
                "Bakker",
                "Noor",
                tussenvoegsel="de",
                klas="1A",
                tutor="dhr. Aydın",
                # The intake names her counsellor; the others get the settings' default.
                leerlingbegeleider="dhr. R. Koster",
                ondersteuningsniveau="licht",
                dyslexie=True,
            ),
            *plan_documents(
                year / "leerlingen" / "990002",
                DocumentKind.OPP_LIGHT,
                advice=("Noor zit graag vooraan.",),
                prompts=0,
            ),
        ),
        outcome(leerling("990004", "Smit", "Lotte", klas="1B", lwoo=True)),
        outcome(
            leerling(
                "990001",
                "Jansen",
                "Sem",
                klas="1A",
                tutor="mevr. Kok",
                ondersteuningsniveau="zwaar",
            ),
            *plan_documents(year / "leerlingen" / "990001", DocumentKind.OPP, prompts=3),
        ),
        outcome(
            leerling(
                "990006",
                "Peters",
                "Sophie",
                klas="10A",
                route_besluit=Route.OPP,
                signaaldatum=D(2026, 9, 14),
            )
        ),
    ]
