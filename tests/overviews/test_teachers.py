"""The teachers' overview, read back with python-docx, and as PDF through LibreOffice."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from opp_docs.cli import main
from opp_docs.demo.cohort import write_example_intake
from opp_docs.models import DocumentKind, StudentOutcome
from opp_docs.overviews.made_from import OverviewRecords
from opp_docs.overviews.teachers import DOCENTENOVERZICHT
from opp_docs.overviews.write import OverviewOptions, write_overviews
from opp_docs.pdf.pool import ConversionResult
from tests.ooxml import assert_valid_docx
from tests.overviews.students import (
    CONFIG,
    YEAR,
    D,
    docx_lines,
    leerling,
    outcome,
    plan_documents,
    summary,
    write,
)


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
    # Each student's own counsellor: Noor's from the intake, Sem's the settings' default.
    assert noor[2] == "Tutor\ndhr. Aydın\nLeerlingbegeleider\ndhr. R. Koster"
    assert sem[2] == "Tutor\nmevr. Kok\nLeerlingbegeleider\nmevr. J. de Wit"
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

    records = OverviewRecords()

    def run(*outcomes: StudentOutcome) -> None:
        write_overviews(summary(tmp_path, *outcomes), OverviewOptions(YEAR, CONFIG, today), records)

    run(*cohort)
    run(*cohort)
    assert len(calls) == 1
    run(*cohort[:1])
    assert len(calls) == 2
    (tmp_path / "docentenoverzicht.pdf").unlink()
    run(*cohort[:1])
    assert len(calls) == 3
