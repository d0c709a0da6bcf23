"""What the templates get for one student: the intake fields as the documents show them, and
the school, the route, the deadlines and the people around the plan.

Every `leerling.*` value comes from the intake field of the same name (`intake.fields`), shown
by its type: a date written out, a yes/no as "ja" or "nee". A new intake field is therefore
in the documents, in `opp-docs templates velden` and in the demo's exports at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from opp_docs.config import Config
from opp_docs.documents.formatting import age_on, datum, ja_nee
from opp_docs.documents.parts import LastYear, PlanParts, plan_values
from opp_docs.intake.fields import FIELDS, Field, FieldType
from opp_docs.models import Deadlines, Leerling, RouteDecision, SchoolYear


@dataclass(frozen=True)
class StudentContext:
    """Everything the templates of one student may use."""

    values: dict[str, Any]


# The intake fields the documents show as `leerling.<key>`.
DOCUMENT_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.in_documents)


@dataclass(frozen=True)
class Plan:
    """The plan a context is made for: its route, deadlines and school year, and the
    student's counsellor (`decide.counsellor`; empty: the documents ask for a name)."""

    decision: RouteDecision
    deadlines: Deadlines
    schooljaar: SchoolYear
    leerlingbegeleider: str


def build_context(leerling: Leerling, plan: Plan, config: Config, today: dt.date) -> StudentContext:
    deadlines = plan.deadlines
    leeftijd = age_on(leerling.geboortedatum, deadlines.opp) if leerling.geboortedatum else 0
    values: dict[str, Any] = {
        "school": {
            "naam": config.school_naam,
            "adres": config.school_adres,
            "postcode_plaats": config.school_postcode_plaats,
            "telefoon": config.school_telefoon,
            "email": config.school_email,
        },
        "schooljaar": str(plan.schooljaar),
        "vandaag": datum(today),
        "leerling": leerling_values(leerling, leeftijd),
        # The parents by name; their addresses only reach the letter (`letters.py`), so that
        # an address in the intake does not make every other document new.
        "ouders": [
            {"naam": o.naam, "email": o.email, "telefoon": o.telefoon}
            for o in leerling.ouders
            if o.naam
        ],
        "leerlingbegeleider": plan.leerlingbegeleider,
        "teamleider": config.teamleider,
        "route": {
            "code": plan.decision.route.value,
            "naam": plan.decision.route.label,
            "reden": plan.decision.reden,
        },
        "deadlines": {kind.value: datum(day) for kind, day in deadlines.as_dict().items()},
        # The law: a student of 16 or older consents to the handelingsdeel himself.
        "instemming_leerling": leeftijd >= 16,
        # What the plan says, read back from it: the evaluation forms get it (`with_plan`).
        "plan": plan_values(None),
        # Last year's plan and final evaluation, for a plan that continues (`with_last_year`).
        "vorig": {"schooljaar": "", **plan_values(None)},
    }
    return StudentContext(values)


def with_plan(context: dict[str, Any], parts: PlanParts) -> dict[str, Any]:
    """The context of an evaluation form: with the goals and perspective of the plan."""
    return {**context, "plan": plan_values(parts)}


def with_last_year(context: dict[str, Any], last: LastYear) -> dict[str, Any]:
    """The context of a plan that continues last year's: its perspective, factors and goals,
    each goal with what the final evaluation said of it."""
    values = plan_values(last.plan)
    for goal in values["doelen"]:
        goal["evaluatie"] = last.evaluatie.get(goal["doel"], "")
    return {**context, "vorig": {"schooljaar": last.schooljaar, **values}}


def leerling_values(leerling: Leerling, leeftijd: int) -> dict[str, Any]:
    """The student's intake fields as the documents show them, with the name put together
    and the age on the date of the plan."""
    values: dict[str, Any] = {}
    for field in DOCUMENT_FIELDS:
        values[field.key] = shown(field, getattr(leerling, field.key))
        if field.key == "leerlingnummer":
            values["naam"] = leerling.naam
        elif field.key == "geboortedatum":
            values["leeftijd"] = leeftijd
    return values


def shown(field: Field, value: Any) -> str:
    """A field's value as a document shows it."""
    if field.type is FieldType.DATE:
        return datum(value)
    if field.type is FieldType.YES_NO:
        return ja_nee(bool(value))
    if value is None:
        return ""
    return str(value)
