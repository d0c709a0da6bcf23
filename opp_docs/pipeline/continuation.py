"""The next school year starts from the last: what last year's plans decided, read from last
year's folder as staff left it, and never changed.

A run for 2027-2028 looks for 2026-2027 in the same output folder. For every student who had
a plan there, the final evaluation (the newest version staff edited) says whether the plan
continues or ends:
- continued: the student gets a new year's plan, pre-filled with last year's perspective,
  factors and goals, each goal with what the final evaluation said of it; also when the
  student is not in the new intake (then with last year's intake data, kept in last year's
  run state);
- ended: the plan goes on the BRON list with its end date, the date of the final evaluation;
- no final evaluation, or no decision to read: a problem on the worklist, and no new plan
  until the form says what to do.
A student in the new intake who had a plan is recognised by the student number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from opp_docs.documents.parts import Decision, EvaluationParts, LastYear, PlanParts
from opp_docs.documents.reading import DocumentReader
from opp_docs.documents.student_files import StudentFiles, WordFile
from opp_docs.models import DocumentKind, EndedPlan, Leerling, Ouder, Route, SchoolYear
from opp_docs.pipeline.state import STATE, BuildState

_PLAN_KIND = {Route.OPP: DocumentKind.OPP, Route.OPP_LIGHT: DocumentKind.OPP_LIGHT}


@dataclass(frozen=True)
class Carried:
    """A plan of last year that goes on: the student as last year knew them (None when last
    year's state does not hold them), its route, and what it said."""

    leerling: Leerling | None
    route: Route
    last: LastYear


@dataclass
class LastYearPlans:
    """What last year's plans decided, by student number."""

    schooljaar: SchoolYear
    continued: dict[str, Carried] = field(default_factory=dict)
    ended: dict[str, EndedPlan] = field(default_factory=dict)
    # Plans without a decision to read: the student as last year knew them, the route, why.
    undecided: dict[str, tuple[Leerling | None, Route, str]] = field(default_factory=dict)


def plans_last_year(year_dir: Path, schooljaar: SchoolYear) -> frozenset[str]:
    """The student numbers that had a plan last school year (by last year's run state): a
    signed sheet of theirs in this year's intake belongs to a continued plan."""
    folder = year_dir.parent / str(schooljaar.previous())
    if not (folder / STATE).is_file():
        return frozenset()
    routes = BuildState.load(folder).routes
    return frozenset(n for n, r in routes.items() if r in (Route.OPP.value, Route.OPP_LIGHT.value))


def read_last_year(year_dir: Path, schooljaar: SchoolYear) -> LastYearPlans | None:
    """Last year's plans, from the folder beside `year_dir`; None without such a folder
    (or with one no run of opp-docs wrote). Reads only: last year's folder stays as it is."""
    previous = schooljaar.previous()
    folder = year_dir.parent / str(previous)
    if not (folder / STATE).is_file():
        return None
    state = BuildState.load(folder)
    files = StudentFiles(folder, previous, state.copies.written)
    # What last year's runs read of these files, by their content: only changed files are
    # opened. Its own copy: nothing of it is saved into last year's state.
    reader = DocumentReader(dict(state.overviews.current().read))
    plans = LastYearPlans(previous)
    for number, value in sorted(state.routes.items()):
        try:
            route = Route(value)
        except ValueError:
            continue
        if not route.has_plan:
            continue
        leerling = leerling_from_json(state.leerlingen.get(number))
        plan = _newest(files.documents(number, _PLAN_KIND[route]))
        final = _newest(files.documents(number, DocumentKind.EINDEVALUATIE))
        if plan is None:
            continue  # no plan was made (a student blocked all year, say)
        parts, form = _read(reader, plan, final)
        label = f"Het {route.label} van {previous}"
        if form is None:
            reason = f"{label} heeft geen eindevaluatie (nog invulinstructies, geen datum)"
            plans.undecided[number] = (leerling, route, reason)
        elif form.besluit is Decision.VOORTZETTEN:
            said = {goal: progress for goal, progress in form.voortgang}
            plans.continued[number] = Carried(
                leerling, route, LastYear(str(previous), parts, _per_goal(parts, said))
            )
        elif form.besluit is Decision.BEEINDIGEN:
            assert final is not None
            end, source = _end_date(form, final.path)
            name = leerling.naam if leerling is not None else state.copies.names.get(number, "")
            plans.ended[number] = EndedPlan(number, name, route, str(previous), end, source)
        else:
            reason = f"{label}: het besluit in de eindevaluatie is niet te lezen"
            reason += f" ({form.besluit_probleem})" if form.besluit_probleem else ""
            plans.undecided[number] = (leerling, route, reason)
    return plans


def _newest(words: list[WordFile]) -> WordFile | None:
    """The version that counts: the newest a person edited, else ours."""
    staff = sorted((w for w in words if w.ours is not True), key=lambda w: -w.mtime)
    ours = [w for w in words if w.ours is True]
    found = staff or ours
    return found[0] if found else None


def _read(
    reader: DocumentReader, plan: WordFile, final: WordFile | None
) -> tuple[PlanParts, EvaluationParts | None]:
    """The plan's parts, and the final evaluation's when it was held."""
    try:
        with reader.open(plan.path) as word:
            parts = word.plan()
        if final is None:
            return parts, None
        with reader.open(final.path) as word:
            form = word.evaluation(final=True)
            held = form.datum is not None or word.prompts() == 0 or form.besluit is not None
        return parts, form if held else None
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return PlanParts(), None


def _per_goal(parts: PlanParts, said: dict[str, str]) -> dict[str, str]:
    """What the final evaluation said of each of the plan's goals: by the goal's text, or by
    its place when the form lists the goals in the plan's order."""
    found: dict[str, str] = {}
    texts = list(said)
    for n, goal in enumerate(parts.doelen):
        match = next((t for t in texts if t.startswith(goal.doel)), None)
        if match is None and n < len(texts):
            match = texts[n]
        if match is not None:
            found[goal.doel] = said[match]
    return found


def _end_date(form: EvaluationParts, path: Path) -> tuple[dt.date, str]:
    """The plan's end date: the date of the final evaluation meeting as written in the form,
    else the day the form was last saved (said, so the team leader checks it)."""
    if form.datum is not None:
        return form.datum, "datum van de eindevaluatie"
    saved = dt.date.fromtimestamp(path.stat().st_mtime)
    return saved, "datum waarop de eindevaluatie is opgeslagen; controleer"


# ---------------------------------------------------------------------------------------------
# The student as last year's run kept them


def leerling_to_json(leerling: Leerling) -> dict[str, Any]:
    """The intake fields of a student as the run state keeps them, for next year's run."""
    data: dict[str, Any] = {}
    for item in dataclasses.fields(Leerling):
        value = getattr(leerling, item.name)
        if item.name == "places":
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Route):
            value = value.value
        elif item.name == "ouders":
            value = [dataclasses.asdict(o) for o in value]
        data[item.name] = value
    return data


_HINTS = typing.get_type_hints(Leerling)


def leerling_from_json(data: object) -> Leerling | None:
    """`leerling_to_json` read back; None for anything else."""
    if not isinstance(data, dict):
        return None
    values: dict[str, Any] = {}
    try:
        for item in dataclasses.fields(Leerling):
            if item.name not in data or item.name == "places":
                continue
            value, hint = data[item.name], str(_HINTS[item.name])
            if value is not None and "date" in hint:
                value = dt.date.fromisoformat(value)
            elif value is not None and "Route" in hint:
                value = Route(value)
            elif item.name == "ouders":
                value = [Ouder(**o) for o in value]
            values[item.name] = value
        return Leerling(**values)
    except (TypeError, ValueError, KeyError):
        return None
