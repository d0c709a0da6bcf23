"""overzicht.xlsx, read back with openpyxl: every student, the layout, the deadline colours."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.models import DocumentKind, StudentOutcome
from opp_docs.overviews.bron import BRON_AANMELDING
from opp_docs.overviews.worklist import OVERZICHT
from tests.overviews.students import (
    COHORT,
    CONFIG,
    ORANGE,
    RED,
    YEAR,
    D,
    cell,
    doc,
    fill,
    table,
    write,
)

OVERZICHT_HEADERS = [
    "Leerlingnummer", "Naam", "Klas", "Tutor", "Leerlingbegeleider", "Route", "Reden",
    "Besluit teamleider", "Fase", "Volgende stap", "Uiterlijk", "Ondertekend", "Doelen in plan",
    "Deadline informatiebrief", "Deadline BRON-aanmelding", "Deadline plan vastgesteld",
    "Deadline ondertekening", "Deadline tussenevaluatie", "Deadline eindevaluatie", "Te laat",
    "Documenten", "Bewerkt door medewerker", "Plan af", "Open invulinstructies in plan",
    "Dossier", "Problemen",
]  # fmt: skip
DEADLINE_HEADERS = [h for h in OVERZICHT_HEADERS if h.startswith("Deadline ")]


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
    assert (sem["Leerlingbegeleider"], noor["Leerlingbegeleider"]) == (
        "mevr. J. de Wit",
        "dhr. R. Koster",
    )
    assert "zwaar" in sem["Reden"]
    assert sem["Besluit teamleider"] == "nee"
    assert sophie["Besluit teamleider"] == "ja"
    for key, header_name in zip(COHORT, DEADLINE_HEADERS, strict=True):
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
    # How far each plan is, from its files, and what comes next.
    assert (sem["Fase"], sem["Volgende stap"]) == ("concept", "Informatiebrief naar ouders")
    assert sem["Uiterlijk"] == dt.datetime.combine(COHORT["informatiebrief"], dt.time())
    assert (noor["Fase"], noor["Volgende stap"]) == ("plan af", "OPP light ondertekenen")
    assert noor["Ondertekend"] is None
    assert sophie["Documenten"] == "nog geen"
    assert sophie["Plan af"] is None
    assert sem["Dossier"] == "nee"
    assert sem["Problemen"].splitlines()[:2] == [
        "Krijgt geen nieuwe documenten tot de intake is verbeterd (zie intake-rapport).",
        "okr.xlsx, rij 3, kolom 'Toets lezen': onleesbaar. Vul een niveau in.",
    ]
    # The cohort's Word files are not made from the templates: what cannot be read is said.
    assert all("kan niet teruglezen" in p for p in sem["Problemen"].splitlines()[2:])
    # Routes without a plan have no documents, deadlines or plan columns.
    for name in [*DEADLINE_HEADERS, "Documenten", "Plan af", "Dossier"]:
        assert daan[name] is None, name
    assert "OPP basisschool" in daan["Reden"]


def test_overzicht_layout_frozen_filtered_fitted_wrapped(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 10, 5))
    _header, rows, sheet = table(files[OVERZICHT])
    assert sheet.title == "Overzicht"
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == f"A1:Z{len(rows) + 1}"
    assert all(c.font.bold for c in sheet[1])
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
    assert widths["Klas"] < widths["Naam"] < widths["Reden"] <= 52
    assert widths["Deadline informatiebrief"] >= 12
    assert cell(sheet, 2, "Reden").alignment.wrap_text
    assert cell(sheet, 2, "Problemen").alignment.wrap_text
    assert not cell(sheet, 2, "Naam").alignment.wrap_text
    assert sheet.print_title_rows == "$1:$1"
    assert "Toelichting" in load_workbook(files[OVERZICHT]).sheetnames


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
    for key, header_name in zip(COHORT, DEADLINE_HEADERS, strict=True):
        assert fill(sheet, 2, header_name) == expected.get(key), key
    # The fonts stay Calibri, so LibreOffice does not fall back to a serif.
    assert cell(sheet, 2, "Deadline informatiebrief").font.name == "Calibri"


def test_steps_done_are_no_longer_coloured(tmp_path: Path, cohort: list[StudentOutcome]) -> None:
    # Noor's plan has no prompts left: the letter, BRON and the plan count as done.
    files = write(tmp_path, *cohort, today=D(2026, 10, 20))
    _header, rows, sheet = table(files[OVERZICHT])
    line = 2 + [r["Naam"] for r in rows].index("Noor de Bakker")
    assert [fill(sheet, line, h) for h in DEADLINE_HEADERS] == [
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


def test_a_late_start_shows_how_late_and_what_moved(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    """Sem's documents were made on 1 December: the worklist names the moved deadlines with
    the old and new date and how late the start was; on 20 January also the plan's deadline
    that has passed since, coloured red as before."""
    sem = cohort[4]
    sem.deadlines = compute_deadlines(sem.leerling, YEAR, CONFIG, D(2026, 12, 1))
    files = write(tmp_path, *cohort, today=D(2027, 1, 20))
    _header, rows, sheet = table(files[OVERZICHT])
    assert rows[0]["Naam"] == "Sem Jansen"
    moved, passed = rows[0]["Te laat"].splitlines()
    assert moved == (
        "Documenten gemaakt op 01-12-2026, 47 dagen na de deadline plan vastgesteld "
        "(15-10-2026). Verschoven: informatiebrief 17-09-2026 → 15-12-2026, BRON-aanmelding "
        "01-10-2026 → 12-01-2027, plan vastgesteld 15-10-2026 → 12-01-2027, ondertekening "
        "29-10-2026 → 26-01-2027."
    )
    assert passed == (
        "Verstreken, nog niet zichtbaar gedaan: informatiebrief (36 dagen), BRON-aanmelding "
        "(8 dagen), plan vastgesteld (8 dagen)."
    )
    assert rows[0]["Deadline plan vastgesteld"] == dt.datetime(2027, 1, 12)
    assert fill(sheet, 2, "Deadline plan vastgesteld") == RED
    assert fill(sheet, 2, "Deadline ondertekening") == ORANGE
    assert fill(sheet, 2, "Deadline eindevaluatie") is None
    # Noor (in time, her plan done) is not late; nor is a student without a plan.
    noor = next(r for r in rows if r["Naam"] == "Noor de Bakker")
    assert noor["Te laat"] == "Verstreken, nog niet zichtbaar gedaan: ondertekening (83 dagen)."
    assert next(r for r in rows if r["Naam"] == "Daan Visser")["Te laat"] is None


def test_in_time_nothing_is_late(tmp_path: Path, cohort: list[StudentOutcome]) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 9, 1))
    rows = table(files[OVERZICHT])[1]
    assert [r["Te laat"] for r in rows] == [None] * len(rows)


def test_a_signed_plan_has_its_date_and_its_signing_deadline_is_done(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    sem = next(o for o in cohort if o.leerling.roepnaam == "Sem")
    sem.ondertekend = D(2026, 10, 28)
    files = write(tmp_path, *cohort, today=D(2026, 11, 5))
    _header, rows, sheet = table(files[OVERZICHT])
    line = 2 + [r["Naam"] for r in rows].index("Sem Jansen")
    assert cell(sheet, line, "Ondertekend").value.date() == D(2026, 10, 28)
    # Signed: the signing and every step before it are no longer coloured; Noor's plan is
    # finished but not signed, so her signing deadline has passed.
    assert [fill(sheet, line, h) for h in DEADLINE_HEADERS] == [None] * 6
    noor = 2 + [r["Naam"] for r in rows].index("Noor de Bakker")
    assert fill(sheet, noor, "Deadline ondertekening") == RED
    assert cell(sheet, noor, "Ondertekend").value is None
