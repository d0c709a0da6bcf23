"""Reading the students' Word files back: how far each document is (`student_status`), and the
handling advice staff wrote in the plan, without the prompts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.documents.context import Plan, build_context
from opp_docs.documents.reading import DocumentReader, handling_advice, student_status
from opp_docs.documents.render import count_prompts, render_document, template_path
from opp_docs.models import DocumentKind, DocumentOutcome, Leerling, StudentOutcome
from tests.documents.students import CONFIG, TODAY, YEAR
from tests.helpers import REPO, text_run, tracked_change, type_over, word_file


def sem(*documents: tuple[DocumentKind, Path]) -> StudentOutcome:
    """Sem, with an OPP, and the documents given."""
    student = Leerling(
        "990001", "Jansen", "Sem", dt.date(2013, 5, 3), klas="1A", ondersteuningsniveau="zwaar"
    )
    outcome = StudentOutcome(
        student, propose_route(student, CONFIG), compute_deadlines(student, YEAR, CONFIG)
    )
    outcome.documents = [
        DocumentOutcome(kind, path, path.with_suffix(".pdf"), "", False) for kind, path in documents
    ]
    return outcome


def with_documents(plan: Path, evaluation: Path) -> StudentOutcome:
    return sem((DocumentKind.OPP, plan), (DocumentKind.TUSSENEVALUATIE, evaluation))


def test_a_finished_plan_counts_the_steps_before_it_as_done(tmp_path: Path) -> None:
    plan = word_file(tmp_path / "opp.docx", advice=("Zit vooraan.",), prompts=0)
    evaluation = word_file(tmp_path / "tussenevaluatie.docx", prompts=2)
    status = student_status(with_documents(plan, evaluation))
    assert status.plan_prompts == 0
    assert status.done == {"informatiebrief", "bron", "opp"}
    assert status.advice == ("Zit vooraan.",)
    # These files are not made from the templates: their marked parts are missing, and said.
    assert all("kan niet teruglezen" in problem for problem in status.problems)


def test_an_unreadable_document_is_a_problem_not_a_failure(tmp_path: Path) -> None:
    plan = tmp_path / "opp.docx"
    plan.write_bytes(b"geen Word-bestand")
    evaluation = word_file(tmp_path / "tussenevaluatie.docx", prompts=0)
    status = student_status(with_documents(plan, evaluation))
    assert status.plan_prompts is None
    # The evaluation is done, so everything before it is too.
    assert "ondertekening" in status.done and "eindevaluatie" not in status.done
    (problem, *_missing) = status.problems
    assert problem.startswith("opp.docx kan niet worden gelezen als Word-bestand (")


def test_the_reader_remembers_what_it_read_by_content(tmp_path: Path) -> None:
    plan = word_file(tmp_path / "opp.docx", advice=("Zit vooraan.",), prompts=0)
    outcome = with_documents(plan, tmp_path / "weg.docx")
    first = DocumentReader()
    student_status(outcome, first)
    (facts,) = first.seen.values()
    assert (facts["invulinstructies"], facts["adviezen"]) == (0, ["Zit vooraan."])
    assert facts["plan"]["doelen"] == []
    # What an earlier run read is taken as it is: the file is not opened for it again.
    known = {key: {"invulinstructies": 7, "adviezen": ["Uit het geheugen."]} for key in first.seen}
    again = student_status(outcome, DocumentReader(known))
    assert (again.plan_prompts, again.advice) == (7, ("Uit het geheugen.",))


def test_handling_advice_skips_prompts_and_keeps_what_staff_wrote(tmp_path: Path) -> None:
    assert handling_advice(word_file(tmp_path / "leeg.docx", prompts=2)) == ()
    written = word_file(
        tmp_path / "af.docx",
        advice=("Geef korte instructies.",),
        bullets=("Vaste plek vooraan.", "Toets in een aparte ruimte."),
        prompts=2,
    )
    assert handling_advice(written) == (
        "Geef korte instructies.", "• Vaste plek vooraan.", "• Toets in een aparte ruimte."
    )  # fmt: skip


def test_handling_advice_from_word_edits(tmp_path: Path) -> None:
    path = word_file(tmp_path / "plan.docx", prompts=1)
    document = docx.Document(str(path))
    heading = next(p for p in document.paragraphs if p.text.startswith("Handelingsadviezen"))
    typed = heading.insert_paragraph_before()  # moved below the heading next
    heading._p.addnext(typed._p)
    # Typed over a prompt: Word keeps the prompt style, but the text no longer opens with '['.
    typed.add_run("Laat hem ", style="Invulinstructie")
    typed.add_run("even bewegen.")
    # A prompt split over two runs is still one prompt.
    split = document.add_paragraph()
    split.add_run("[Nog een", style="Invulinstructie")
    split.add_run(" advies]", style="Invulinstructie")
    typed._p.addnext(split._p)
    # Text in a tracked insertion counts.
    tracked = document.add_paragraph()
    insertion = tracked_change("w:ins", 1)
    insertion.append(text_run("Gebruik een time-out kaart."))
    tracked._p.append(insertion)
    split._p.addnext(tracked._p)
    # The facility line, filled in, above the section.
    facility = next(p for p in document.paragraphs if p.text.startswith("Faciliteiten"))
    facility.runs[1].text = "extra tijd en voorleessoftware."
    document.save(str(path))
    assert handling_advice(path) == (
        "Laat hem even bewegen.",
        "Gebruik een time-out kaart.",
        "Faciliteiten dyslexie: extra tijd en voorleessoftware.",
    )


def test_handling_advice_from_the_shipped_plan_template(tmp_path: Path) -> None:
    result = sem()
    decided = Plan(result.decision, result.deadlines, YEAR, result.leerlingbegeleider)
    context = build_context(result.leerling, decided, CONFIG, TODAY).values
    plan = tmp_path / "opp.docx"
    render_document(template_path(REPO / "templates", "opp"), context, plan)
    assert count_prompts(plan) > 0
    assert handling_advice(plan) == ()
    document = docx.Document(str(plan))
    type_over(
        document, "[Wat werkt in de les", "Sem werkt het best met korte, duidelijke instructies."
    )
    document.save(str(plan))
    assert handling_advice(plan) == ("Sem werkt het best met korte, duidelijke instructies.",)
