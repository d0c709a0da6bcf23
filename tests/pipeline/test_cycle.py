"""The school year as staff live it: the counsellor writes the plan's goals in Word, and the
evaluation forms list them; the forms follow the plan until a person edits one."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.helpers import docx_text, type_over, words_in
from tests.pipeline.staff import (
    YEAR,
    docs_of,
    run,
    save_with_libreoffice,
    type_into,
    write_goals,
    write_intake,
)

GOALS = [
    (
        "Werkhouding",
        "Sanne plant haar huiswerk zelf in de agenda",
        "Wekelijks gesprek",
        "LB",
        "1-2",
    ),
    ("Taal", "Sanne leest elke dag een kwartier", "Leesplan met ouders", "mentor", "1-4"),
    ("Sociaal", "Sanne vraagt hulp als ze vastloopt", "Oefenen in de les", "docenten", "1-7"),
    ("Rekenen", "Sanne rekent breuken zonder rekenkaart", "RT wekelijks", "RT", "1-6"),
]


def plan_docx(out: Path, manifest: dict[str, object], nummer: str = "100001") -> Path:
    (doc,) = docs_of(manifest, nummer, "opp")  # type: ignore[arg-type]
    return Path(out / YEAR / str(doc["docx"]))


def evaluation_pdfs(out: Path, manifest: dict[str, object]) -> list[Path]:
    found = []
    for kind in ("tussenevaluatie", "eindevaluatie"):
        docs = docs_of(manifest, "100001", kind)  # type: ignore[arg-type]
        found.append(out / YEAR / str(docs[0]["pdf"]))
    return found


def goals_in_order(text: str, goals: list[tuple[str, ...]]) -> list[int]:
    return [text.index(goal[1]) for goal in goals]


@pytest.mark.parametrize("libreoffice", [False, True], ids=["python-docx", "libreoffice"])
def test_the_evaluations_list_the_goals_typed_into_the_plan(
    tmp_path: Path, libreoffice: bool
) -> None:
    intake = write_intake(tmp_path / "intake", {"nummer": "100001"})
    out = tmp_path / "out"
    manifest = run(intake, out)
    for pdf in evaluation_pdfs(out, manifest):
        text = words_in(pdf)
        assert "[Doel 1 uit het handelingsdeel]" in text
        # Hoorrecht: the student's view and how it was weighed, still to be written.
        assert "Hoe de mening van de leerling is meegewogen [Hoe is de mening van Sanne" in text
    plan_pdf = plan_docx(out, manifest).with_suffix(".pdf")
    assert "Hoe de mening van de leerling is meegewogen [Hoe is de mening van Sanne" in words_in(
        plan_pdf
    )
    plan = plan_docx(out, manifest)
    # Four goals where the template has three rows: one row added.
    write_goals(plan, GOALS)
    if libreoffice:
        save_with_libreoffice(plan, tmp_path)
    manifest = run(intake, out)
    for pdf in evaluation_pdfs(out, manifest):
        text = words_in(pdf)
        assert "[Doel 1 uit het handelingsdeel]" not in text
        places = goals_in_order(text, GOALS)
        assert places == sorted(places)
        assert "LB, tot 1-2" in text
        assert "docenten, tot 1-7" in text
        # The tracked deletion in the plan is not a goal.
        assert "oude tekst" not in text
    # Three goals: a row deleted in the plan is gone from the forms.
    write_goals(plan, GOALS[:2] + GOALS[3:])
    manifest = run(intake, out)
    for pdf in evaluation_pdfs(out, manifest):
        text = words_in(pdf)
        assert GOALS[2][1] not in text
        places = goals_in_order(text, GOALS[:2] + GOALS[3:])
        assert places == sorted(places)


def test_the_plans_perspective_is_in_the_evaluations(tmp_path: Path) -> None:
    intake = write_intake(tmp_path / "intake", {"nummer": "100001"})
    out = tmp_path / "out"
    plan = plan_docx(out, run(intake, out))
    document = docx.Document(str(plan))
    type_over(document, "[Beschrijf het uitstroomperspectief", "Diploma vmbo-kb, daarna mbo 3.")
    document.save(str(plan))
    manifest = run(intake, out)
    for pdf in evaluation_pdfs(out, manifest):
        assert "In het plan: Diploma vmbo-kb, daarna mbo 3." in words_in(pdf)


def test_an_edited_evaluation_form_is_never_overwritten(tmp_path: Path) -> None:
    intake = write_intake(tmp_path / "intake", {"nummer": "100001"})
    out = tmp_path / "out"
    manifest = run(intake, out)
    plan = plan_docx(out, manifest)
    write_goals(plan, GOALS[:2])
    manifest = run(intake, out)
    (form,) = docs_of(manifest, "100001", "tussenevaluatie")
    form_path = out / YEAR / form["docx"]
    type_into(form_path, "Gesprek gevoerd met Sanne en haar moeder.")
    before = form_path.read_bytes()
    # The plan changes after the form was edited: a new version goes beside it.
    write_goals(plan, GOALS[:3])
    manifest = run(intake, out)
    assert form_path.read_bytes() == before
    forms = docs_of(manifest, "100001", "tussenevaluatie")
    assert [f["bewerkt"] for f in forms] == [True]
    folder = form_path.parent
    (nieuw,) = folder.glob("tussenevaluatie*(nieuwe versie).docx")
    assert GOALS[2][1] in docx_text(nieuw)
    assert "Gesprek gevoerd met Sanne" in words_in(out / YEAR / forms[0]["pdf"])
