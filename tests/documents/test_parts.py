"""Reading the marked parts of a plan and its final evaluation back, as Word leaves them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from opp_docs.documents.parts import Decision, Mark, PlanParts, decision_in, parse_date
from opp_docs.documents.reading import DocumentReader
from opp_docs.documents.render import render_document, template_path
from opp_docs.models import Route
from tests.documents.students import context, leerling
from tests.helpers import REPO
from tests.pipeline.staff import goals_table, write_goals

GOALS = [
    ("Taal", "Leest elke dag een kwartier", "Leesplan", "mentor", "1-6"),
    ("Rekenen", "Rekent breuken", "RT", "RT'er", "1-7"),
]


def rendered(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.docx"
    render_document(template_path(REPO / "templates", name), context(leerling(), Route.OPP), path)
    return path


def read_plan(path: Path) -> PlanParts:
    with DocumentReader().open(path) as word:
        return word.plan()


@pytest.mark.parametrize(
    ("text", "decision"),
    [
        ("wordt   ☒ voortgezet   ☐ beëindigd, omdat: …", Decision.VOORTZETTEN),
        ("wordt   ☐ voortgezet   ☑ beëindigd, omdat: …", Decision.BEEINDIGEN),
        ("wordt   X voortgezet   ☐ beëindigd", Decision.VOORTZETTEN),
        ("wordt ✓ beëindigd", Decision.BEEINDIGEN),
        # The other choice deleted: the one left is the decision.
        (
            "Het OPP wordt in het volgende schooljaar voortgezet, omdat het helpt.",
            Decision.VOORTZETTEN,
        ),
        ("wordt   ☐ voortgezet   ☐ beëindigd", None),
        ("wordt   ☒ voortgezet   ☒ beëindigd", None),
    ],
)
def test_the_decision_is_the_one_box_ticked(text: str, decision: Decision | None) -> None:
    found, why = decision_in(text)
    assert found is decision
    assert bool(why) == (decision is None)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("24-06-2027", dt.date(2027, 6, 24)),
        ("op 3/7/2027 gehouden", dt.date(2027, 7, 3)),
        ("20 juni 2027", dt.date(2027, 6, 20)),
        ("1 okt. 2026", dt.date(2026, 10, 1)),
        ("[datum]", None),
        ("31-02-2027", None),
    ],
)
def test_dates_as_staff_write_them(text: str, day: dt.date | None) -> None:
    assert parse_date(text) == day


def test_goals_are_found_wherever_the_table_went(tmp_path: Path) -> None:
    """A school moved the goals table to the end and typed a paragraph below it."""
    path = rendered(tmp_path, "opp")
    write_goals(path, GOALS)
    document = docx.Document(str(path))
    table = goals_table(document)
    body = document.element.body
    body.remove(table)
    body.insert(len(body) - 1, table)
    document.add_paragraph("Afgesproken in het gesprek van 3 oktober.")
    document.save(str(path))
    parts = read_plan(path)
    assert [(g.gebied, g.doel, g.wie, g.tot_wanneer) for g in parts.doelen] == [
        (g[0], g[1], g[3], g[4]) for g in GOALS
    ]
    assert parts.missing == ()


def test_a_lost_mark_is_reported_not_guessed(tmp_path: Path) -> None:
    path = rendered(tmp_path, "opp")
    write_goals(path, GOALS)
    document = docx.Document(str(path))
    for start in list(document.element.body.iter(qn("w:bookmarkStart"))):
        if start.get(qn("w:name")) == Mark.DOELEN.value:
            start.getparent().remove(start)
    document.save(str(path))
    parts = read_plan(path)
    assert parts.doelen == ()
    assert parts.missing == (Mark.DOELEN,)
