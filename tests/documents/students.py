"""Fictional students and settings the document tests render with: ordinary, without parents,
and every awkward character a name or an OKR text can hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from opp_docs.config import Config
from opp_docs.decide.counsellor import assign_counsellor
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.documents.context import Plan, build_context
from opp_docs.documents.letters import letter_values, letters
from opp_docs.documents.render import render_document, template_path
from opp_docs.models import Adres, Leerling, Ouder, Route, RouteDecision, SchoolYear
from tests.helpers import TEMPLATES

YEAR = SchoolYear(2026)
TODAY = dt.date(2026, 9, 1)
PLAN_DAY = dt.date(2026, 10, 15)  # the OPP deadline of the default settings
CONFIG = Config(
    school_telefoon="0343-123456",
    school_email="zorg@revius.example.nl",
    leerlingbegeleiders=("mevr. J. de Wit",),
    teamleider="dhr. M. Vos",
)
STUDENT_TEMPLATES = [
    "informatiebrief",
    "opp",
    "opp-light",
    "ondertekeningsblad",
    "tussenevaluatie",
    "eindevaluatie",
    "voorblad",
]
# Made up: PostNL never gives out the letters SA in a postcode.
HOME = Adres("Kerkstraat", "12", "A", "3911 SA", "Rhenen")
LONG = " ".join(["Heeft structuur, voorspelbaarheid en korte instructies nodig."] * 40)


def leerling(**changes: Any) -> Leerling:
    base = Leerling(
        leerlingnummer="990301",
        achternaam="Jansen",
        roepnaam="Sem",
        geboortedatum=dt.date(2014, 5, 3),
        klas="1A",
        tutor="mevr. Kok",
        basisschool="Basisschool De Linde",
        schooladvies="vmbo-kb",
        ouders=[
            Ouder("Anouk Jansen", "anouk@example.nl", "06-11111111", HOME),
            Ouder("Pieter Jansen"),
        ],
        ondersteuningsbehoefte="Heeft structuur nodig.",
        bevorderende_factoren="Sterk in rekenen.",
        belemmerende_factoren="Plant slecht.",
        ondersteuningsniveau="zwaar",
        toets_lezen="1F",
        toets_taalverzorging="1F",
        toets_rekenen="2F",
    )
    return replace(base, **changes)


def awkward() -> Leerling:
    """Every character that could break XML, Jinja or a layout, and a 16-year-old."""
    return leerling(
        roepnaam="Zoë 😀",
        tussenvoegsel="van 't",
        achternaam='O\'Brien & <Zn> "Smit"',
        geboortedatum=dt.date(2010, 3, 1),
        klas="3B",
        tutor="mevr. <Kok> & co",
        basisschool='Basisschool "De Regenboog" & Zn',
        ouders=[Ouder("Anouk O'Brien & Partner", "a&b@example.nl", "06-1"), Ouder("Piet <Smit>")],
        ondersteuningsbehoefte="Regel één & <twee>\r\nRegel twee\rRegel drie\x0bRegel vier\x07\x0c",
        bevorderende_factoren=LONG,
        belemmerende_factoren="Faalangst 😟 {{ geen code }} {% if %}",
        sociaal_emotioneel=LONG,
        dyslexie=True,
    )


AWKWARD_NAME = "Zoë 😀 van 't O'Brien & <Zn> \"Smit\""


def context(student: Leerling, route: Route = Route.OPP, config: Config = CONFIG) -> dict[str, Any]:
    deadlines = compute_deadlines(student, YEAR, config)
    counsellor = assign_counsellor(student, config)
    plan = Plan(RouteDecision(route, "reden"), deadlines, YEAR, counsellor)
    values = build_context(student, plan, config, TODAY).values
    # What the letter gets on top: the first letter's address (`letters.py`).
    values["brief"] = letter_values(letters(student)[0])
    values["inhoud"] = [
        {"titel": "Informatiebrief & <ouders>", "pagina": 2},
        {"titel": "Ontwikkelingsperspectiefplan", "pagina": 3},
    ]
    return values


def render(tmp_path: Path, name: str, values: dict[str, Any]) -> Path:
    target = tmp_path / f"{name}.docx"
    render_document(template_path(TEMPLATES, name), values, target)
    return target


STUDENTS = {
    "twee ouders": (leerling(), Route.OPP),
    "geen ouders": (leerling(ouders=[], klas="", tutor=""), Route.OPP),
    "zestien, rare tekens": (awkward(), Route.OPP_LIGHT),
}
