"""The reference of `opp-docs templates velden`: every field a template may use, with its
description and the example student's value.

It is generated from the context the pipeline really builds (`context.build_context`) for the
first student of the fictional cohort, read as a real intake is read, so it cannot drift from
it. A `leerling.*` field takes its description from its intake field (`intake.fields`).
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opp_docs.config import Config
from opp_docs.decide.counsellor import assign_counsellor
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.demo.cohort import COHORT, write_example_intake
from opp_docs.documents.context import Plan, build_context, with_last_year, with_plan
from opp_docs.documents.letters import letter_values, letters
from opp_docs.documents.parts import FACTOR_AREAS, Goal, LastYear, PlanParts
from opp_docs.documents.render import COVER_TEMPLATE
from opp_docs.intake.fields import FIELDS_BY_KEY
from opp_docs.intake.folder import read_intake
from opp_docs.models import DOCUMENTS_PER_ROUTE, DeadlineKind, DocumentKind, Leerling, SchoolYear

FIELDS_COMMAND = "opp-docs templates velden"


# The name a template gives one item of a list in its for-loop, as the templates ship.
ITEM_NAMES = {
    "ouders": "ouder",
    "inhoud": "deel",
    "plan.doelen": "doel",
    "vorig.doelen": "doel",
    "brief.aan": "naam",
    "brief.adres": "regel",
}
# Fields only the cover page of the dossier gets.
COVER_ONLY = ("inhoud",)
# Fields only the parents' letter gets: one letter per address (`letters.py`).
LETTER_ONLY = ("brief",)
LETTER_TEMPLATE = DocumentKind.INFORMATIEBRIEF.value

# Descriptions of the fields that are not an intake column, and of the intake fields whose value
# in a document differs from the column (dates are written out). The other `leerling.*` fields
# take the description of their intake column from `opp_docs.intake.fields`.
DESCRIPTIONS = {
    "school.naam": "Naam van de school (opp-docs.toml, [school] naam)",
    "school.adres": "Straat en huisnummer van de school",
    "school.postcode_plaats": "Postcode en plaats van de school",
    "school.telefoon": "Telefoonnummer van de school; kan leeg zijn",
    "school.email": "E-mailadres van de school; kan leeg zijn",
    "schooljaar": "Het schooljaar van de documenten",
    "vandaag": "De datum waarop de documenten zijn gemaakt",
    "leerling.naam": "Naam van de leerling: roepnaam, tussenvoegsel en achternaam",
    "leerling.geboortedatum": "Geboortedatum, uitgeschreven",
    "leerling.leeftijd": "Leeftijd in jaren op de datum van het plan (de OPP-deadline)",
    "leerling.aanmelddatum": "Datum van aanmelding, uitgeschreven; kan leeg zijn",
    "leerling.signaaldatum": "Datum van het signaal, uitgeschreven; leeg voor nieuwe leerlingen",
    "leerling.ondersteuningsniveau": "Ondersteuningsniveau volgens de intake: basis, licht of "
    "zwaar",
    "leerling.rt_momenten": "Verwacht aantal RT-momenten per jaar; leeg als het onbekend is",
    "ouders": "De ouders/verzorgers uit de intake (geen, één of twee)",
    "ouder.naam": "Naam van de ouder/verzorger",
    "ouder.email": "E-mailadres van de ouder/verzorger; kan leeg zijn",
    "ouder.telefoon": "Telefoonnummer van de ouder/verzorger; kan leeg zijn",
    "brief.nummer": "Welke brief dit is: één brief per adres, 1 voor het woonadres van de "
    "leerling, 2 voor een ouder/verzorger die ergens anders woont",
    "brief.aan": "Aan wie de brief is: de namen van de ouders/verzorgers op dit adres (kan "
    "leeg zijn)",
    "naam": "Naam van een ouder/verzorger aan wie de brief is",
    "brief.adres": "Het adres als regels voor het venster van de envelop: straat en huisnummer, "
    "dan postcode en woonplaats (PostNL: twee spaties, plaats in hoofdletters); leeg als de "
    "intake geen adres geeft",
    "regel": "Eén regel van het adres",
    "leerlingbegeleider": "De leerlingbegeleider van de leerling: uit de intake (kolom "
    "Leerlingbegeleider), anders volgens [leerlingbegeleiders] in opp-docs.toml; leeg als die "
    "niet te vinden is",
    "teamleider": "De teamleider B&O uit opp-docs.toml",
    "route.code": 'Route als code: "opp" of "opp-light", voor {% if route.code == "opp" %}',
    "route.naam": "Route zoals de documenten hem noemen: OPP of OPP light",
    "route.reden": "Waarom deze route is voorgesteld of gekozen",
    "instemming_leerling": "Waar als de leerling op de datum van het plan 16 jaar of ouder is "
    "en dus zelf instemt met het handelingsdeel; voor {% if instemming_leerling %}",
    "inhoud": "De inhoud van het dossier, per document",
    "deel.titel": "Titel van het document in het dossier",
    "deel.pagina": "Bladzijde in het dossier waar het document begint",
    "plan.doelen": "De doelen uit het handelingsdeel van het plan, zoals de leerlingbegeleider "
    "ze schreef (in de evaluaties; leeg zolang het plan er geen heeft)",
    "plan.perspectief": "Het uitstroomperspectief uit het plan (in de evaluaties)",
    "plan.onderbouwing": "De onderbouwing van het perspectief uit het plan (in de evaluaties)",
    "vorig.schooljaar": "Het schooljaar van het vorige plan, als dit plan een voortzetting is; "
    "anders leeg, voor {% if vorig.schooljaar %}",
    "vorig.doelen": "De doelen van het vorige plan, met wat de eindevaluatie erover zei",
    "vorig.perspectief": "Het uitstroomperspectief van het vorige plan",
    "vorig.onderbouwing": "De onderbouwing van het perspectief in het vorige plan",
    "doel.gebied": "Het gebied van het doel (cognitief, sociaal-emotioneel, …)",
    "doel.doel": "Het doel zelf",
    "doel.aanpak": "De aanpak: wat school, leerling en ouders doen",
    "doel.wie": "Wie het doel uitvoert",
    "doel.tot_wanneer": "Tot wanneer het doel loopt, zoals het in het plan staat",
    "doel.evaluatie": "Wat de eindevaluatie over het doel zei (alleen in vorig.doelen)",
}


@dataclass(frozen=True)
class FieldInfo:
    """One field a template may use, as it is written in the template."""

    name: str
    description: str
    example: str
    # How a template writes it: {{ leerling.naam }}, {% if instemming_leerling %}, …
    usage: str
    # The loop that gives the field, for a field of a list item: "{% for ouder in ouders %}".
    loop: str = ""
    # The templates that get the field, when not all do.
    only_in: str = ""


def list_fields() -> list[FieldInfo]:
    """Every field of the render context, with its description and the example's value."""
    found: list[FieldInfo] = []
    context = {**example_context(), **example_cover_fields(), **example_letter_fields()}
    for key, value in context.items():
        only = f"{COVER_TEMPLATE}.docx" if key in COVER_ONLY else ""
        only = f"{LETTER_TEMPLATE}.docx" if key in LETTER_ONLY else only
        found.extend(_walk_fields(key, value, loop="", only_in=only))
    return found


def _walk_fields(name: str, value: Any, *, loop: str, only_in: str) -> Iterator[FieldInfo]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk_fields(f"{name}.{key}", item, loop=loop, only_in=only_in)
        return
    item = ITEM_NAMES.get(name, "item")
    if isinstance(value, list):
        usage = f"{{% for {item} in {name} %}} … {{% endfor %}}"
    elif isinstance(value, bool):
        usage = f"{{% if {name} %}} … {{% endif %}}"
    else:
        usage = f"{{{{ {name} }}}}"
    yield FieldInfo(name, _description(name), _show(value), usage, loop, only_in)
    if isinstance(value, list) and value:
        inner = f"{{% for {item} in {name} %}}"
        yield from _walk_fields(item, value[0], loop=inner, only_in=only_in)


def _description(name: str) -> str:
    if name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    prefix, _, key = name.partition(".")
    if prefix == "leerling" and key in FIELDS_BY_KEY:
        return FIELDS_BY_KEY[key].description
    if prefix == "deadlines" and key in set(DeadlineKind):
        return DeadlineKind(key).description
    area, _, side = key.removeprefix("factoren.").rpartition("_")
    if prefix in ("plan", "vorig") and area in FACTOR_AREAS:
        which = "het plan" if prefix == "plan" else "het vorige plan"
        return f"{side.capitalize()}e factoren, gebied {FACTOR_AREAS[area]}, in {which}"
    return ""


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "waar" if value else "niet waar"
    if isinstance(value, list):
        return f"een lijst van {len(value)}"
    text = str(value).replace("\n", " ↵ ")
    if not text:
        return "(leeg)"
    return text if len(text) <= 70 else text[:69] + "…"


# The example student: the first of the fictional cohort, read the way the pipeline reads a real
# intake, with settings that fill every field.
EXAMPLE_CONFIG = Config(
    school_telefoon="0343-123456",
    school_email="zorg@school.example.nl",
    leerlingbegeleiders=("mevr. J. de Wit",),
    teamleider="dhr. M. Vos",
)


@functools.cache
def example_context() -> dict[str, Any]:
    """The render context of the example student, built as the pipeline builds it."""
    leerling, plan = _example_student()
    context = build_context(leerling, plan, EXAMPLE_CONFIG, dt.date.today()).values
    # A plan with one goal, continued from last year, so that the goal's fields are listed.
    goal = Goal("Werkhouding", "Plant zijn huiswerk zelf in de agenda", "Wekelijks gesprek", "lb")
    parts = PlanParts(doelen=(goal,), perspectief="vmbo-kb, daarna mbo niveau 3")
    year = str(plan.schooljaar.previous())
    last = LastYear(year, parts, {goal.doel: "Gaat beter; blijft doel."})
    return with_last_year(with_plan(context, parts), last)


@functools.cache
def example_letter_fields() -> dict[str, Any]:
    """What the parents' letter gets on top of the context: its `brief`, for the example
    student's first address."""
    leerling, _plan = _example_student()
    return {"brief": letter_values(letters(leerling)[0])}


@functools.cache
def _example_student() -> tuple[Leerling, Plan]:
    today = dt.date.today()
    schooljaar = SchoolYear.containing(today)
    with tempfile.TemporaryDirectory(prefix="opp-docs-velden-") as folder:
        write_example_intake(Path(folder), schooljaar)
        result = read_intake(Path(folder), EXAMPLE_CONFIG, schooljaar)
    first = COHORT[0]["nummer"]
    leerling = next((s for s in result.leerlingen if s.leerlingnummer == first), None)
    if leerling is None:
        raise RuntimeError(f"example student {first} is missing from the example intake")
    decision = propose_route(leerling, EXAMPLE_CONFIG)
    deadlines = compute_deadlines(leerling, schooljaar, EXAMPLE_CONFIG)
    return leerling, Plan(
        decision, deadlines, schooljaar, assign_counsellor(leerling, EXAMPLE_CONFIG)
    )


@functools.cache
def example_cover_fields() -> dict[str, Any]:
    """What the cover page gets on top of the context: the dossier's table of contents, here
    for documents of one page each after the cover."""
    route = next(r for r, kinds in DOCUMENTS_PER_ROUTE.items() if kinds)
    kinds = DOCUMENTS_PER_ROUTE[route]
    return {"inhoud": [{"titel": k.titel, "pagina": n} for n, k in enumerate(kinds, start=2)]}
