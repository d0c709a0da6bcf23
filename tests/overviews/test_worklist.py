"""The overviews, read back: spreadsheets with openpyxl, the calendar with icalendar, the teacher
overview with python-docx (and as PDF through LibreOffice)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from icalendar import Calendar
from openpyxl import load_workbook

from opp_docs.cli import main
from opp_docs.config import Config
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.demo.cohort import write_example_intake
from opp_docs.documents.context import Plan, build_context
from opp_docs.documents.reading import handling_advice
from opp_docs.documents.render import count_prompts, render_document, template_path
from opp_docs.files import sha256_file
from opp_docs.models import (
    DocumentKind,
    DocumentOutcome,
    Leerling,
    Route,
    RunSummary,
    SchoolYear,
    StudentOutcome,
)
from opp_docs.overviews.bron import BRON_AANMELDING
from opp_docs.overviews.ics import PLANNING
from opp_docs.overviews.teachers import DOCENTENOVERZICHT
from opp_docs.overviews.worklist import OVERZICHT
from opp_docs.overviews.write import OverviewOptions, write_overviews
from opp_docs.pdf.pool import ConversionResult
from opp_docs.pipeline.plan import PlanningRequest, run_planning
from tests.helpers import REPO
from tests.ooxml import assert_valid_docx

D = dt.date
YEAR = SchoolYear(2026)
CONFIG = Config(leerlingbegeleiders=("mevr. J. de Wit",), teamleider="dhr. M. Vos")
RED, ORANGE = "FFFFC7CE", "FFFFD8A8"
OVERZICHT_HEADERS = [
    "Leerlingnummer", "Naam", "Klas", "Tutor", "Route", "Reden", "Besluit teamleider",
    "Deadline informatiebrief", "Deadline BRON-aanmelding", "Deadline plan vastgesteld",
    "Deadline ondertekening", "Deadline tussenevaluatie", "Deadline eindevaluatie",
    "Documenten", "Bewerkt door medewerker", "Plan af", "Open invulinstructies in plan",
    "Dossier", "Problemen",
]  # fmt: skip
# Cohort deadlines of 2026-2027 with the default settings.
COHORT = {
    "informatiebrief": D(2026, 9, 17),
    "bron": D(2026, 10, 1),
    "opp": D(2026, 10, 15),
    "ondertekening": D(2026, 10, 29),
    "tussenevaluatie": D(2027, 2, 1),
    "eindevaluatie": D(2027, 7, 1),
}


# ---------------------------------------------------------------------------------------------
# Helpers: students, outcomes and Word files built in tmp_path


def leerling(nummer: str, achternaam: str, roepnaam: str, **fields: Any) -> Leerling:
    return Leerling(nummer, achternaam, roepnaam, D(2013, 5, 3), **fields)


def outcome(student: Leerling, *documents: DocumentOutcome) -> StudentOutcome:
    result = StudentOutcome(
        student, propose_route(student, CONFIG), compute_deadlines(student, YEAR, CONFIG)
    )
    result.documents = list(documents)
    return result


def summary(year_dir: Path, *outcomes: StudentOutcome) -> RunSummary:
    return RunSummary(year_dir=year_dir, students=len(outcomes), outcomes=list(outcomes))


def word_file(
    path: Path, *, advice: tuple[str, ...] = (), prompts: int = 1, bullets: tuple[str, ...] = ()
) -> Path:
    """A plan-like Word file with `prompts` prompts (the first on a facility line) and the
    advice section of the template."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_word_bytes(advice, prompts, bullets))
    return path


@functools.cache
def _word_bytes(advice: tuple[str, ...], prompts: int, bullets: tuple[str, ...]) -> bytes:
    document = docx.Document()
    document.styles.add_style("Invulinstructie", WD_STYLE_TYPE.CHARACTER)
    document.add_heading("Ondersteuning en begeleiding", 1)
    if prompts:
        facility = document.add_paragraph()
        facility.add_run("Faciliteiten dyslexie: ").bold = True
        facility.add_run("[Bijv. extra tijd bij toetsen.]", style="Invulinstructie")
    document.add_heading("Handelingsadviezen voor docenten", 1)
    for text in advice:
        document.add_paragraph(text)
    for text in bullets:
        document.add_paragraph(text, style="List Bullet")
    for _ in range(prompts - 1):
        document.add_paragraph().add_run("[Wat werkt in de les?]", style="Invulinstructie")
    document.add_heading("Afwijkingen van het reguliere programma", 1)
    document.add_paragraph("Geen afwijkingen van het reguliere programma.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def doc(kind: DocumentKind, path: Path, *, bewerkt: bool = False) -> DocumentOutcome:
    return DocumentOutcome(kind, path, path.with_suffix(".pdf"), sha256_file(path), bewerkt)


def plan_documents(folder: Path, plan_kind: DocumentKind, **plan: Any) -> list[DocumentOutcome]:
    kinds = [
        DocumentKind.INFORMATIEBRIEF, plan_kind, DocumentKind.ONDERTEKENINGSBLAD,
        DocumentKind.TUSSENEVALUATIE, DocumentKind.EINDEVALUATIE,
    ]  # fmt: skip
    return [
        doc(kind, word_file(folder / f"{kind.value}.docx", **(plan if kind is plan_kind else {})))
        for kind in kinds
    ]


def write(year_dir: Path, *outcomes: StudentOutcome, today: dt.date) -> dict[str, Path]:
    options = OverviewOptions(YEAR, CONFIG, today, pdf=False)
    paths = write_overviews(summary(year_dir, *outcomes), year_dir, options)
    return {p.name: p for p in paths}


def table(path: Path) -> tuple[list[str], list[dict[str, Any]], Any]:
    """Header, rows as dicts, and the first sheet of a workbook written by the software."""
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return header, [dict(zip(header, r, strict=True)) for r in rows[1:]], sheet


def cell(sheet: Any, row: int, header: str) -> Any:
    column = [c.value for c in sheet[1]].index(header) + 1
    return sheet.cell(row=row, column=column)


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


# ---------------------------------------------------------------------------------------------
# overzicht.xlsx


def test_overzicht_has_every_student_with_columns_and_values(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    cohort[4].problems = ["okr.xlsx, rij 3, kolom 'Toets lezen': onleesbaar. Vul een niveau in."]
    cohort[4].blocked = True
    files = write(tmp_path, *cohort, today=D(2026, 10, 5))
    header, rows, sheet = table(files[OVERZICHT])
    assert header == OVERZICHT_HEADERS
    # Plans first, then by class (naturally: 1A before 10A) and surname.
    order = [(r["Route"], r["Klas"], r["Naam"]) for r in rows]
    assert order == [
        ("OPP", "1A", "Sem Jansen"),
        ("OPP", "10A", "Sophie Peters"),
        ("OPP light", "1A", "Noor de Bakker"),
        ("volgen", "1B", "Daan Visser"),
        ("handelingsplan LWOO", "1B", "Lotte Smit"),
        ("basisondersteuning", "2A", "Emma Mulder"),
    ]
    sem, sophie, noor, daan = rows[0], rows[1], rows[2], rows[3]
    assert sem["Tutor"] == "mevr. Kok"
    assert "zwaar" in sem["Reden"]
    assert sem["Besluit teamleider"] == "nee"
    assert sophie["Besluit teamleider"] == "ja"
    for key, header_name in zip(COHORT, OVERZICHT_HEADERS[7:13], strict=True):
        assert sem[header_name] == dt.datetime.combine(COHORT[key], dt.time())
        assert cell(sheet, 2, header_name).number_format == "DD-MM-YYYY"
    # Six weeks after the signal, BRON the same day.
    assert sophie["Deadline plan vastgesteld"] == dt.datetime(2026, 10, 26)
    assert sophie["Deadline BRON-aanmelding"] == dt.datetime(2026, 10, 26)
    assert sem["Documenten"] == (
        "informatiebrief, OPP, ondertekeningsblad, tussenevaluatie, eindevaluatie"
    )
    assert (sem["Plan af"], sem["Open invulinstructies in plan"]) == ("nee", 3)
    assert (noor["Plan af"], noor["Open invulinstructies in plan"]) == ("ja", 0)
    assert sophie["Documenten"] == "nog geen"
    assert sophie["Plan af"] is None
    assert sem["Dossier"] == "nee"
    assert sem["Problemen"].splitlines() == [
        "Krijgt geen nieuwe documenten tot de intake is verbeterd (zie intake-rapport).",
        "okr.xlsx, rij 3, kolom 'Toets lezen': onleesbaar. Vul een niveau in.",
    ]
    # Routes without a plan have no documents, deadlines or plan columns.
    for name in [*OVERZICHT_HEADERS[7:13], "Documenten", "Plan af", "Dossier"]:
        assert daan[name] is None, name
    assert "OPP basisschool" in daan["Reden"]


def test_overzicht_layout_frozen_filtered_fitted_wrapped(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 10, 5))
    _header, rows, sheet = table(files[OVERZICHT])
    assert sheet.title == "Overzicht"
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == f"A1:S{len(rows) + 1}"
    assert all(c.font.bold for c in sheet[1])
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
    assert widths["Klas"] < widths["Naam"] < widths["Reden"] <= 52
    assert widths["Deadline informatiebrief"] >= 12
    assert cell(sheet, 2, "Reden").alignment.wrap_text
    assert cell(sheet, 2, "Problemen").alignment.wrap_text
    assert not cell(sheet, 2, "Naam").alignment.wrap_text
    assert sheet.print_title_rows == "$1:$1"
    assert "Toelichting" in load_workbook(files[OVERZICHT]).sheetnames


def fill(sheet: Any, row: int, header: str) -> str | None:
    c = cell(sheet, row, header)
    return str(c.fill.fgColor.rgb) if c.fill.fill_type == "solid" else None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Well before everything: no colour.
        (D(2026, 9, 1), {}),
        # Two weeks before the letter: orange on the day itself, not one day earlier.
        (D(2026, 9, 3), {"informatiebrief": ORANGE}),
        (D(2026, 9, 2), {}),
        # On the day of the BRON deadline: not passed yet.
        (D(2026, 10, 1), {"informatiebrief": RED, "bron": ORANGE, "opp": ORANGE}),
        (D(2026, 10, 20), {"informatiebrief": RED, "bron": RED, "opp": RED,
                           "ondertekening": ORANGE}),
        (D(2027, 7, 2), {key: RED for key in COHORT}),
    ],
)  # fmt: skip
def test_deadline_colours(
    tmp_path: Path, cohort: list[StudentOutcome], today: dt.date, expected: dict[str, str]
) -> None:
    files = write(tmp_path, *cohort, today=today)
    _header, rows, sheet = table(files[OVERZICHT])
    assert rows[0]["Naam"] == "Sem Jansen"
    for key, header_name in zip(COHORT, OVERZICHT_HEADERS[7:13], strict=True):
        assert fill(sheet, 2, header_name) == expected.get(key), key
    # The fonts stay Calibri, so LibreOffice does not fall back to a serif.
    assert cell(sheet, 2, "Deadline informatiebrief").font.name == "Calibri"


def test_steps_done_are_no_longer_coloured(tmp_path: Path, cohort: list[StudentOutcome]) -> None:
    # Noor's plan has no prompts left: the letter, BRON and the plan count as done.
    files = write(tmp_path, *cohort, today=D(2026, 10, 20))
    _header, rows, sheet = table(files[OVERZICHT])
    line = 2 + [r["Naam"] for r in rows].index("Noor de Bakker")
    assert [fill(sheet, line, h) for h in OVERZICHT_HEADERS[7:13]] == [
        None, None, None, ORANGE, None, None
    ]  # fmt: skip
    bron = table(files[BRON_AANMELDING])[2]
    noor = 2 + [c.value for c in bron["B"]][1:].index("Noor de Bakker")
    assert fill(bron, noor, "Aanmelden uiterlijk") is None
    sem = 2 + [c.value for c in bron["B"]][1:].index("Sem Jansen")
    assert fill(bron, sem, "Aanmelden uiterlijk") == RED


def test_edited_documents_are_named(tmp_path: Path, cohort: list[StudentOutcome]) -> None:
    sem = cohort[4]
    sem.documents[1] = doc(DocumentKind.OPP, sem.documents[1].docx, bewerkt=True)
    sem.documents[2] = doc(DocumentKind.ONDERTEKENINGSBLAD, sem.documents[2].docx, bewerkt=True)
    sem.documents[4].docx.unlink()
    files = write(tmp_path, *cohort, today=D(2026, 10, 5))
    row = table(files[OVERZICHT])[1][0]
    assert row["Bewerkt door medewerker"] == "OPP, ondertekeningsblad"
    assert row["Documenten"] == "informatiebrief, OPP, ondertekeningsblad, tussenevaluatie"


# ---------------------------------------------------------------------------------------------
# Text from the intake stays text

TRICKY = ['=HYPERLINK("http://x","klik")', "+31 6 12345678", "-1", "@SUM(A1:A2)", "=1+1"]


def test_intake_text_never_becomes_a_formula(tmp_path: Path) -> None:
    student = leerling(
        TRICKY[3], TRICKY[0], TRICKY[4], klas=TRICKY[2], tutor=TRICKY[1],
        ondersteuningsniveau="zwaar",
    )  # fmt: skip
    files = write(tmp_path, outcome(student), today=D(2026, 10, 5))
    for name, headers in (
        (OVERZICHT, ("Leerlingnummer", "Naam", "Klas", "Tutor")),
        (BRON_AANMELDING, ("Leerlingnummer", "Naam", "Klas")),
    ):
        _header, rows, sheet = table(files[name])
        for header_name in headers:
            c = cell(sheet, 2, header_name)
            assert c.data_type == "s", (name, header_name)
            assert c.value == rows[0][header_name]
        assert cell(sheet, 2, "Naam").value == f"{TRICKY[4]} {TRICKY[0]}"
        assert cell(sheet, 2, "Leerlingnummer").value == TRICKY[3]
        assert cell(sheet, 2, "Klas").value == TRICKY[2]
        with zipfile.ZipFile(files[name]) as z:
            xml = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "<f " not in xml


def test_control_characters_and_huge_text_do_not_break_the_workbook(tmp_path: Path) -> None:
    student = leerling("990001", "Jan\x07sen", "Sem", ondersteuningsniveau="zwaar")
    result = outcome(student)
    result.problems = ["x" * 40000]
    files = write(tmp_path, result, today=D(2026, 10, 5))
    row = table(files[OVERZICHT])[1][0]
    assert row["Naam"] == "Sem Jansen"
    assert len(row["Problemen"]) == 32767


# ---------------------------------------------------------------------------------------------
# bron-aanmelding.xlsx


def test_bron_aanmelding_lists_the_plans_with_a_note(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 9, 20))
    header, rows, sheet = table(files[BRON_AANMELDING])
    assert header == [
        "Leerlingnummer", "Naam", "Klas", "Geboortedatum", "Plan", "Begindatum plan",
        "Aanmelden uiterlijk", "Notitie voor SOMtoday",
    ]  # fmt: skip
    # Only the plans, by deadline: the cohort on 1 October, the mid-year plan later.
    assert [r["Naam"] for r in rows] == ["Noor de Bakker", "Sem Jansen", "Sophie Peters"]
    noor, sem, sophie = rows
    assert noor["Plan"] == "OPP light"
    assert noor["Geboortedatum"] == dt.datetime(2013, 5, 3)
    assert noor["Begindatum plan"] == dt.datetime(2026, 10, 15)
    assert noor["Aanmelden uiterlijk"] == dt.datetime(2026, 10, 1)
    assert sophie["Begindatum plan"] == sophie["Aanmelden uiterlijk"] == dt.datetime(2026, 10, 26)
    note = sem["Notitie voor SOMtoday"]
    assert "\n" not in note
    for part in ("OPP voor Sem Jansen", "leerlingnummer 990001", "geboren 03-05-2013",
                 "klas 1A", "2026-2027", "Begindatum: 15-10-2026", "01-07-2027"):  # fmt: skip
        assert part in note, part
    assert cell(sheet, 2, "Geboortedatum").number_format == "DD-MM-YYYY"
    assert fill(sheet, 2, "Aanmelden uiterlijk") is None  # Noor's plan is finished
    assert fill(sheet, 3, "Aanmelden uiterlijk") == ORANGE
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:H4"
    assert cell(sheet, 2, "Notitie voor SOMtoday").alignment.wrap_text


# ---------------------------------------------------------------------------------------------
# planning.ics


def read_calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_planning_has_every_deadline_of_every_plan(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 9, 1))
    raw = files[PLANNING].read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = read_calendar(files[PLANNING])
    assert str(calendar["version"]) == "2.0"
    assert "opp-docs" in str(calendar["prodid"])
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3 * 6
    summaries = {str(e["summary"]) for e in events}
    assert "OPP vaststellen – Sem Jansen" in summaries
    assert "OPP light ondertekenen – Noor de Bakker" in summaries
    assert "BRON-aanmelding (notitie in SOMtoday) – Sophie Peters" in summaries
    assert "Informatiebrief naar ouders – Sem Jansen" in summaries
    assert not any("Daan Visser" in s or "Emma Mulder" in s for s in summaries)
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        # All-day: a date, not a date-time, lasting one day.
        assert type(start) is dt.date
        assert end - start == dt.timedelta(days=1)
        assert "dtstamp" in event
    sem = {str(e["summary"]): e.decoded("dtstart") for e in events if "Sem" in str(e["summary"])}
    assert sem["Eindevaluatie OPP – Sem Jansen"] == COHORT["eindevaluatie"]
    assert sem["OPP vaststellen – Sem Jansen"] == COHORT["opp"]


def test_planning_uids_are_unique_and_stable(tmp_path: Path, cohort: list[StudentOutcome]) -> None:
    first = write(tmp_path / "a", *cohort, today=D(2026, 9, 1))[PLANNING]
    # A later run with a changed date must update the same events, not add new ones.
    cohort[5].leerling.signaaldatum = D(2026, 9, 21)
    cohort[5].deadlines = compute_deadlines(cohort[5].leerling, YEAR, CONFIG)
    second = write(tmp_path / "b", *cohort, today=D(2026, 10, 1))[PLANNING]
    uids = [str(e["uid"]) for e in read_calendar(first).walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["uid"]) for e in read_calendar(second).walk("VEVENT")]
    assert "2026-2027-990001-opp@opp-docs" in uids


# ---------------------------------------------------------------------------------------------
# Handling advice from the plan


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
    insertion = OxmlElement("w:ins")
    for key, value in (("w:id", "1"), ("w:author", "LB"), ("w:date", "2026-10-01T10:00:00Z")):
        insertion.set(qn(key), value)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "Gebruik een time-out kaart."
    run.append(text)
    insertion.append(run)
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
    student = leerling("990001", "Jansen", "Sem", klas="1A", ondersteuningsniveau="zwaar")
    result = outcome(student)
    plan = Plan(result.decision, result.deadlines, YEAR)
    context = build_context(student, plan, CONFIG, D(2026, 9, 1)).values
    plan = tmp_path / "opp.docx"
    render_document(template_path(REPO / "templates", "opp"), context, plan)
    assert count_prompts(plan) > 0
    assert handling_advice(plan) == ()
    document = docx.Document(str(plan))
    paragraphs = document.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Handelingsadviezen"))
    prompt = paragraphs[index + 1]
    for run in prompt.runs[1:]:
        run._r.getparent().remove(run._r)
    prompt.runs[0].text = "Sem werkt het best met korte, duidelijke instructies."
    document.save(str(plan))
    assert handling_advice(plan) == ("Sem werkt het best met korte, duidelijke instructies.",)


# ---------------------------------------------------------------------------------------------
# docentenoverzicht


def docx_lines(path: Path) -> list[str]:
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for t in document.tables:
        for row in t.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return lines


def test_docentenoverzicht_has_a_page_per_class(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 10, 5))
    document = docx.Document(str(files[DOCENTENOVERZICHT]))
    titles = [p for p in document.paragraphs if p.text.startswith("Klas ")]
    # Only the classes with a plan, in natural order; each after the first on a new page.
    assert [p.text for p in titles] == ["Klas 1A", "Klas 10A"]
    assert [bool(p.paragraph_format.page_break_before) for p in titles] == [False, True]
    assert len(document.tables) == 2
    klas_1a = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert klas_1a[0] == ["Leerling", "Plan", "Begeleiding", "Handelingsadviezen"]
    assert [r[0].split("\n")[0] for r in klas_1a[1:]] == ["Noor de Bakker", "Sem Jansen"]
    noor, sem = klas_1a[1], klas_1a[2]
    assert noor[1] == "OPP light\ndyslexie"
    assert "dhr. Aydın" in noor[2] and "mevr. J. de Wit" in noor[2]
    assert noor[3] == "Noor zit graag vooraan."
    assert sem[1] == "OPP\nin voorbereiding"
    assert "volgen in het plan (uiterlijk 15 oktober 2026)" in sem[3]
    text = "\n".join(docx_lines(files[DOCENTENOVERZICHT]))
    # Students without a plan, and the routing reasons, are not for teachers.
    for absent in ("Daan Visser", "Lotte Smit", "Emma Mulder", "zwaar"):
        assert absent not in text
    # Header and footer: the school and the confidentiality line.
    section = document.sections[0]
    assert CONFIG.school_naam in section.header.paragraphs[0].text
    assert "Vertrouwelijk" in section.footer.paragraphs[0].text
    assert document.core_properties.title == "Docentenoverzicht 2026-2027"


def test_docentenoverzicht_after_the_plan_deadline(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 11, 1))
    sem = docx.Document(str(files[DOCENTENOVERZICHT])).tables[0].rows[2].cells[3].text
    assert sem == "Nog niet beschreven in het plan; vraag de leerlingbegeleider."


def test_docentenoverzicht_opens_in_word_without_repair(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    """Every kind of row: advice with bullets, one too long to keep on a page, none yet."""
    lina = outcome(
        leerling(
            "990007",
            "Vries",
            "Lina",
            tussenvoegsel="de",
            klas="1A",
            ondersteuningsniveau="licht",
            dyscalculie=True,
        ),
        *plan_documents(
            tmp_path / "2026-2027" / "leerlingen" / "990007",
            DocumentKind.OPP_LIGHT,
            advice=("Geef korte instructies. " * 40,),
            bullets=("Vaste plek vooraan.", "Toets in een aparte ruimte."),
            prompts=0,
        ),
    )
    files = write(tmp_path, *cohort, lina, today=D(2026, 11, 1))
    rows = docx.Document(str(files[DOCENTENOVERZICHT])).tables[0].rows
    (row,) = [r for r in rows if r.cells[0].text.startswith("Lina de Vries")]
    assert "• Toets in een aparte ruimte." in row.cells[3].text
    assert_valid_docx(files[DOCENTENOVERZICHT])


def test_docentenoverzicht_without_plans(tmp_path: Path) -> None:
    files = write(tmp_path, outcome(leerling("990005", "Mulder", "Emma")), today=D(2026, 9, 1))
    lines = docx_lines(files[DOCENTENOVERZICHT])
    assert "Er zijn (nog) geen leerlingen met een OPP of OPP light." in lines
    assert_valid_docx(files[DOCENTENOVERZICHT])


def test_every_file_is_written_whole(tmp_path: Path, cohort: list[StudentOutcome]) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 9, 1))
    assert set(files) == {OVERZICHT, BRON_AANMELDING, PLANNING, DOCENTENOVERZICHT}
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


# ---------------------------------------------------------------------------------------------
# opp-docs planning


def test_run_planning_reads_the_intake_and_the_manifest(tmp_path: Path) -> None:
    intake, output = tmp_path / "intake", tmp_path / "output"
    write_example_intake(intake, YEAR)
    year = output / str(YEAR)
    folder = year / "leerlingen" / "990101 Jansen, Sem"
    plan = word_file(folder / "opp - Sem Jansen.docx", advice=("Korte instructies.",))
    written_by_software = "0" * 64
    manifest = {
        "schooljaar": str(YEAR),
        "leerlingen": [
            {
                "leerlingnummer": "990101",
                "route": "opp",
                "documenten": [
                    {"soort": "opp", "docx": plan.relative_to(year).as_posix(), "pdf": None,
                     "sha256": written_by_software, "bewerkt": False},
                    {"soort": "informatiebrief", "docx": "../../buiten.docx", "pdf": None,
                     "sha256": "", "bewerkt": False},
                    {"soort": "eindevaluatie", "docx": "leerlingen/weg.docx", "pdf": None,
                     "sha256": "", "bewerkt": False},
                ],
                "dossier": None,
            },
            {"leerlingnummer": "990102", "route": "volgen", "documenten": [], "dossier": None},
        ],
    }  # fmt: skip
    year.mkdir(parents=True, exist_ok=True)
    (year / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    result = run_planning(PlanningRequest(intake, output, YEAR, CONFIG, D(2026, 9, 20), pdf=False))

    names = {p.name for p in result.files}
    assert names == {
        "intake-rapport.xlsx", OVERZICHT, BRON_AANMELDING, PLANNING, DOCENTENOVERZICHT
    }  # fmt: skip
    assert result.summary.students == 14
    rows = {r["Leerlingnummer"]: r for r in table(year / OVERZICHT)[1]}
    assert len(rows) == 14
    sem = rows["990101"]
    assert sem["Documenten"] == "OPP"
    assert sem["Bewerkt door medewerker"] == "OPP"
    assert "is bewerkt sinds de laatste run" in sem["Problemen"]
    assert "weg.docx ontbreekt" in sem["Problemen"]
    assert "buiten" not in sem["Problemen"]
    assert "De route is sinds de laatste run veranderd (was volgen" in rows["990102"]["Problemen"]
    assert rows["990102"]["Documenten"] == "nog geen"
    lines = "\n".join(docx_lines(year / DOCENTENOVERZICHT))
    assert "Korte instructies." in lines
    # Nothing else was made, and the intake is untouched.
    assert sorted(p.name for p in folder.iterdir()) == ["opp - Sem Jansen.docx"]
    assert not (year / ".opp-docs.lock").exists()


def test_run_planning_without_an_earlier_run(tmp_path: Path) -> None:
    intake = tmp_path / "intake"
    write_example_intake(intake, YEAR)
    result = run_planning(
        PlanningRequest(intake, tmp_path / "out", YEAR, CONFIG, D(2026, 9, 1), pdf=False)
    )
    rows = table(result.summary.year_dir / OVERZICHT)[1]
    plans = [r for r in rows if r["Route"] in ("OPP", "OPP light")]
    assert plans and all(r["Documenten"] == "nog geen" for r in plans)
    assert not (result.summary.year_dir / "manifest.json").exists()


@pytest.mark.libreoffice
def test_planning_command_writes_the_teacher_pdf(tmp_path: Path) -> None:
    intake = tmp_path / "intake"
    write_example_intake(intake, YEAR)
    settings = tmp_path / "opp-docs.toml"
    settings.write_text('[mensen]\nleerlingbegeleiders = ["mevr. J. de Wit"]\n', "utf-8")
    result = CliRunner().invoke(
        main,
        ["planning", "--intake", str(intake), "--output", str(tmp_path / "out"),
         "--schooljaar", str(YEAR), "--instellingen", str(settings)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "docentenoverzicht.pdf" in result.output
    pdf = tmp_path / "out" / str(YEAR) / "docentenoverzicht.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    klassen = [line.strip() for line in text.splitlines() if line.strip().startswith("Klas ")]
    # One page per class with a plan, each with its own title.
    assert klassen == sorted(set(klassen), key=klassen.index)
    assert len([p for p in pages if p.strip()]) == len(klassen)
    assert "Vertrouwelijk" in pages[0]
    assert "mevr. J. de Wit" in pages[0]


def test_teacher_pdf_is_only_remade_when_the_overview_changed(
    tmp_path: Path, cohort: list[StudentOutcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []

    def fake_convert(sources: list[Path], targets: list[Path]) -> ConversionResult:
        calls.extend(sources)
        for target in targets:
            target.write_bytes(b"%PDF-1.7 stand-in")
        return ConversionResult(dict(zip(sources, targets, strict=True)), {})

    monkeypatch.setattr("opp_docs.overviews.teachers.convert_files", fake_convert)
    today = dt.date(2026, 9, 1)

    def run(*outcomes: StudentOutcome) -> None:
        write_overviews(
            summary(tmp_path, *outcomes), tmp_path, OverviewOptions(YEAR, CONFIG, today)
        )

    run(*cohort)
    run(*cohort)
    assert len(calls) == 1
    run(*cohort[:1])
    assert len(calls) == 2
    (tmp_path / "docentenoverzicht.pdf").unlink()
    run(*cohort[:1])
    assert len(calls) == 3


OVERVIEWS = (OVERZICHT, BRON_AANMELDING, PLANNING, DOCENTENOVERZICHT)


def test_a_rerun_rewrites_only_the_overviews_that_changed(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    def inodes() -> dict[str, int]:
        # Every overview is replaced as a whole, so a rewritten file is a new file.
        return {name: (tmp_path / name).stat().st_ino for name in OVERVIEWS}

    write(tmp_path, *cohort, today=D(2026, 9, 1))
    first = inodes()
    write(tmp_path, *cohort, today=D(2026, 9, 1))
    assert inodes() == first
    # Another day: the dates and colours change, the calendar does not.
    write(tmp_path, *cohort, today=D(2026, 9, 2))
    second = inodes()
    assert {n for n in OVERVIEWS if second[n] != first[n]} == set(OVERVIEWS) - {PLANNING}
    # A file someone changed is written again, whole.
    (tmp_path / OVERZICHT).write_bytes(b"kapot")
    write(tmp_path, *cohort, today=D(2026, 9, 2))
    assert len(table(tmp_path / OVERZICHT)[1]) == len(cohort)


def test_a_rerun_reads_a_plan_that_staff_changed(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    write(tmp_path, *cohort, today=D(2026, 10, 5))
    sem = next(o for o in cohort if o.leerling.leerlingnummer == "990001")
    plan = next(d.docx for d in sem.documents if d.kind is DocumentKind.OPP)
    word_file(plan, advice=("Sem zit bij het raam.",), prompts=0)
    files = write(tmp_path, *cohort, today=D(2026, 10, 5))
    rows = {r["Leerlingnummer"]: r for r in table(files[OVERZICHT])[1]}
    assert rows["990001"]["Plan af"] == "ja"
    assert "Sem zit bij het raam." in "\n".join(docx_lines(files[DOCENTENOVERZICHT]))
