"""End to end on the example cohort: manifest, Word files, PDFs and dossiers read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import stat
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from opp_docs.cli import main
from opp_docs.config import Config
from opp_docs.demo.cohort import COHORT, DEMO_BEGELEIDER, DEMO_TEAMLEIDER
from opp_docs.documents.formatting import datum
from opp_docs.models import SchoolYear
from opp_docs.pipeline.run import RunOptions, run_dossiers
from tests.helpers import REPO, docx_text, logo_png, pdf_text
from tests.ooxml import assert_valid_docx

pytestmark = pytest.mark.libreoffice

YEAR = "2026-2027"

EXPECTED_ROUTES = {
    "990101": "opp",
    "990102": "opp-light",
    "990103": "opp",
    "990104": "lwoo-handelingsplan",
    "990105": "opp",
    "990106": "volgen",
    "990107": "basisondersteuning",
    "990108": "basisondersteuning",
    "990109": "opp-light",
    "990110": "opp",
    "990111": "opp-light",
    "990112": "opp-light",
    "990113": "basisondersteuning",
    "990114": "basisondersteuning",
}


def run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    run("demo", "--output", str(out), "--schooljaar", YEAR, "--sjablonen", str(REPO / "templates"))
    return out


@pytest.fixture(scope="module")
def manifest(demo: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((demo / YEAR / "manifest.json").read_text("utf-8"))
    return data


def student(manifest: dict[str, Any], nummer: str) -> dict[str, Any]:
    (found,) = [s for s in manifest["leerlingen"] if s["leerlingnummer"] == nummer]
    return found


def test_manifest_lists_every_example_student(manifest: dict[str, Any]) -> None:
    assert manifest["schooljaar"] == YEAR
    assert {s["leerlingnummer"] for s in manifest["leerlingen"]} == {c["nummer"] for c in COHORT}
    assert len(COHORT) >= 12
    assert {s["route"] for s in manifest["leerlingen"]} == {
        "opp", "opp-light", "volgen", "lwoo-handelingsplan", "basisondersteuning"
    }  # fmt: skip
    for s in manifest["leerlingen"]:
        assert s["route"] == EXPECTED_ROUTES[s["leerlingnummer"]], s["leerlingnummer"]
        assert s["reden"]
        assert set(s) >= {
            "leerlingnummer", "naam", "route", "reden", "map", "documenten", "dossier",
            "deadlines", "problemen",
        }  # fmt: skip
        assert set(s["deadlines"]) == {
            "informatiebrief", "bron", "opp", "ondertekening", "tussenevaluatie", "eindevaluatie"
        }  # fmt: skip


def test_documents_per_route(demo: Path, manifest: dict[str, Any]) -> None:
    for s in manifest["leerlingen"]:
        # One letter per parents' address: Yara's parents live apart (demo cohort).
        kinds = list(dict.fromkeys(d["soort"] for d in s["documenten"]))
        letters = [d["adres"] for d in s["documenten"] if d["soort"] == "informatiebrief"]
        assert letters == ([1, 2] if s["leerlingnummer"] == "990109" else [1] if kinds else [])
        if s["route"] == "opp":
            assert kinds == [
                "informatiebrief", "opp", "ondertekeningsblad", "tussenevaluatie", "eindevaluatie"
            ]  # fmt: skip
        elif s["route"] == "opp-light":
            assert kinds == [
                "informatiebrief", "opp-light", "ondertekeningsblad", "tussenevaluatie",
                "eindevaluatie",
            ]  # fmt: skip
        else:
            assert kinds == []
            assert s["dossier"] is None
            continue
        for d in s["documenten"]:
            path = demo / YEAR / d["docx"]
            # The demo's counsellor wrote Sem's plan in full (demo/staff.py): a person's file.
            edited = (s["leerlingnummer"], d["soort"]) == (SEM, "opp")
            assert d["bewerkt"] is edited
            if not edited:
                assert hashlib.sha256(path.read_bytes()).hexdigest() == d["sha256"]
            assert (demo / YEAR / d["pdf"]).exists()


SEM = "990101"


def nested_bookmarks(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Top-level bookmarks with their page and the (title, page) of the items below them."""
    found: list[tuple[str, int, list[tuple[str, int]]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            below = [(i.title, reader.get_destination_page_number(i)) for i in item]
            found[-1] = (found[-1][0], found[-1][1], below)
        else:
            found.append((item.title, reader.get_destination_page_number(item), []))
    return found


def test_dossier_has_cover_parts_and_bookmarks(demo: Path, manifest: dict[str, Any]) -> None:
    for s in manifest["leerlingen"]:
        if s["route"] not in ("opp", "opp-light"):
            continue
        dossier = demo / YEAR / s["dossier"]
        reader = PdfReader(dossier)
        # The parts: the documents, and right after the plan the signed sheet's scan (Sem's,
        # demo/staff.py; a PDF, in the dossier as it is).
        parts: list[Path] = []
        for d in s["documenten"]:
            parts.append(demo / YEAR / d["pdf"])
            if d["soort"] in ("opp", "opp-light") and s["ondertekend"]:
                parts.extend(demo / "intake" / name for name in s["ondertekend"]["scans"])
        part_pages = [len(PdfReader(part).pages) for part in parts]
        assert len(reader.pages) == 1 + sum(part_pages)
        # Top-level bookmarks, one per part; LibreOffice nests each document's headings below.
        titles = [item.title for item in reader.outline if not isinstance(item, list)]
        assert titles[0] == "Voorblad"
        assert len(titles) == 1 + len(parts)
        # Below each part's bookmark: the headings of its own PDF, leading to the same pages.
        nested = nested_bookmarks(reader)
        start = 1
        for path, pages in zip(parts, part_pages, strict=True):
            part = PdfReader(path)
            own = [(i.title, part.get_destination_page_number(i) + start) for i in part.outline]
            (entry,) = [n for n in nested if n[1] == start]
            assert entry[2] == own, path.name
            start += pages
        assert reader.metadata is not None
        assert s["naam"] in (reader.metadata.title or "")
        cover = reader.pages[0].extract_text()
        assert s["naam"] in cover
        assert s["leerlingnummer"] in cover
        assert YEAR in cover


def test_pdf_text_of_the_opp(demo: Path, manifest: dict[str, Any]) -> None:
    sem = student(manifest, "990101")
    (opp,) = [d for d in sem["documenten"] if d["soort"] == "opp"]
    text = pdf_text(demo / YEAR / opp["pdf"], layout=True)
    assert "Sem Jansen" in text
    assert "Vertrouwelijk" in text
    assert "Uitstroomperspectief" in text
    assert "Bevorderende factoren" in text
    assert "Belemmerende factoren" in text
    assert "Sterk in rekenen" in text
    # A date as a Dutch school writes it: the plan's deadline of the manifest (15 October, or
    # later when the demo runs after that day).
    plan_day = dt.date.fromisoformat(sem["deadlines"]["opp"])
    assert datum(plan_day) in text
    assert plan_day >= dt.date(2026, 10, 15)


def test_word_documents_hold_the_intake_data(demo: Path, manifest: dict[str, Any]) -> None:
    sem = student(manifest, "990101")
    docs = {d["soort"]: demo / YEAR / d["docx"] for d in sem["documenten"]}
    opp = docx_text(docs["opp"])
    assert "Sem Jansen" in opp
    assert "vmbo-tl/havo" in opp
    assert "Korte, duidelijke instructies" in opp
    signing = docx_text(docs["ondertekeningsblad"])
    assert "Anouk Jansen" in signing
    assert "Pieter Jansen" in signing
    assert "gezien en besproken" in signing
    letter = docx_text(docs["informatiebrief"])
    assert "Anouk Jansen" in letter
    # The letter tells parents about the plan, not the internal routing reason.
    assert sem["reden"] not in letter


def test_special_characters_come_out_as_typed(demo: Path, manifest: dict[str, Any]) -> None:
    noor = student(manifest, "990102")
    (opp,) = [d for d in noor["documenten"] if d["soort"] == "opp-light"]
    text = docx_text(demo / YEAR / opp["docx"])
    assert "voorbereiding & uitleg" in text


def test_student_of_sixteen_gives_consent(demo: Path, manifest: dict[str, Any]) -> None:
    sophie = student(manifest, "990111")
    (sheet,) = [d for d in sophie["documenten"] if d["soort"] == "ondertekeningsblad"]
    text = docx_text(demo / YEAR / sheet["docx"])
    assert "instemming" in text.lower()
    assert "gezien en besproken" not in text


def test_every_word_file_opens_in_word_without_repair(demo: Path, manifest: dict[str, Any]) -> None:
    """The files as the run wrote them: every kind of document and the teachers' overview.
    (A dossier's cover is a passing file, gone with its PDF: test_ooxml checks it.)"""
    year = demo / YEAR
    documents = [d for s in manifest["leerlingen"] for d in s["documenten"]]
    assert {d["soort"] for d in documents} == {
        "informatiebrief",
        "opp",
        "opp-light",
        "ondertekeningsblad",
        "tussenevaluatie",
        "eindevaluatie",
    }
    assert_valid_docx(*(year / d["docx"] for d in documents), year / "docentenoverzicht.docx")


def test_output_is_private(demo: Path) -> None:
    for path in (demo / YEAR).rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is leesbaar voor anderen ({oct(mode)})"


def test_rerun_converts_nothing_and_keeps_staff_edits(tmp_path: Path, demo: Path) -> None:
    out = tmp_path / "demo"
    shutil.copytree(demo, out, symlinks=True)
    intake_before = tree_digest(out / "intake")
    year = out / YEAR
    data = json.loads((year / "manifest.json").read_text("utf-8"))
    sem = student(data, "990101")
    (opp,) = [d for d in sem["documenten"] if d["soort"] == "opp"]
    edited = year / opp["docx"]
    document = docx.Document(str(edited))
    document.add_paragraph("Aangevuld door de leerlingbegeleider: oefenen met plannen.")
    document.save(str(edited))
    edited_hash = hashlib.sha256(edited.read_bytes()).hexdigest()

    # The real command on the demo's intake with the demo's settings: only the edit is new.
    settings = tmp_path / "opp-docs.toml"
    settings.write_text(
        f'[mensen]\nteamleider = "{DEMO_TEAMLEIDER}"\n'
        f'leerlingbegeleiders = ["{DEMO_BEGELEIDER}"]\n',
        encoding="utf-8",
    )
    result = run(
        "dossiers",
        "--intake", str(out / "intake"),
        "--output", str(out),
        "--schooljaar", YEAR,
        "--sjablonen", str(REPO / "templates"),
        "--instellingen", str(settings),
    )  # fmt: skip
    # Only the edited document needs a new PDF.
    assert "1 gemaakt" in result.output
    assert hashlib.sha256(edited.read_bytes()).hexdigest() == edited_hash
    after = student(json.loads((year / "manifest.json").read_text("utf-8")), "990101")
    (opp_after,) = [d for d in after["documenten"] if d["soort"] == "opp"]
    assert opp_after["bewerkt"] is True
    assert opp_after["sha256"] == opp["sha256"]
    assert "oefenen met plannen" in pdf_text(year / after["dossier"], layout=True)
    assert tree_digest(out / "intake") == intake_before


def demo_options(intake: Path, output: Path, **more: Any) -> RunOptions:
    """A run as the demo's, on `intake`, into `output`."""
    return RunOptions(
        intake=intake,
        output=output,
        schooljaar=SchoolYear.parse(YEAR),
        templates=REPO / "templates",
        config=Config(teamleider=DEMO_TEAMLEIDER, leerlingbegeleiders=(DEMO_BEGELEIDER,)),
        **more,
    )


def test_a_rerun_on_a_later_day_makes_nothing_anew(tmp_path: Path, demo: Path) -> None:
    """The date in a letter is the day it was made, not an input: a run next week with the
    same intake converts nothing, and the letter keeps its date."""
    out = tmp_path / "demo"
    shutil.copytree(demo, out, symlinks=True)
    year = out / YEAR
    (letter,) = year.glob("leerlingen/990101 */informatiebrief - *.pdf")
    before = tree_digest(year / "leerlingen")
    made_on = datum(dt.date.today())
    assert made_on in pdf_text(letter, layout=True)
    options = demo_options(out / "intake", out, today=dt.date.today() + dt.timedelta(days=7))

    summary = run_dossiers(options)

    assert summary.made == 0 and summary.failed == 0
    assert summary.reused == sum(len(o.documents) for o in summary.outcomes) > 0
    assert tree_digest(year / "leerlingen") == before
    assert made_on in pdf_text(letter, layout=True)


def test_a_rerun_the_same_day_rewrites_no_overview(tmp_path: Path, demo: Path) -> None:
    """A run that changes nothing rewrites no overview, also right after the first run."""
    out = tmp_path / "uit"
    year = out / YEAR
    names = [
        "overzicht.xlsx",
        "bron-aanmelding.xlsx",
        "planning.ics",
        "docentenoverzicht.docx",
        "docentenoverzicht.pdf",
    ]
    options = demo_options(demo / "intake", out)
    run_dossiers(options)
    # Every overview is replaced as a whole, so a rewritten file is a new file.
    before = {name: (year / name).stat().st_ino for name in names}

    run_dossiers(options)

    assert {name: (year / name).stat().st_ino for name in names} == before


def test_overviews_are_written(demo: Path, manifest: dict[str, Any]) -> None:
    from icalendar import Calendar
    from openpyxl import load_workbook

    year = demo / YEAR
    sheet = load_workbook(year / "overzicht.xlsx").active
    assert sheet is not None
    numbers = {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert numbers == {s["leerlingnummer"] for s in manifest["leerlingen"]}
    bron = load_workbook(year / "bron-aanmelding.xlsx").active
    assert bron is not None
    with_plan = {s["leerlingnummer"] for s in manifest["leerlingen"] if s["dossier"]}
    assert {str(r[0]) for r in bron.iter_rows(min_row=2, values_only=True) if r[0]} == with_plan
    calendar = Calendar.from_ical((year / "planning.ics").read_bytes())
    # Sem's plan is finished and signed (demo/staff.py): its first four steps are done.
    assert len(list(calendar.walk("VEVENT"))) == 6 * len(with_plan) - 4
    teachers = pdf_text(year / "docentenoverzicht.pdf", layout=True)
    assert "Sem Jansen" in teachers
    assert "Emma Mulder" not in teachers  # route volgen: no plan


def test_a_logo_reaches_every_document_and_cover_and_leaves_without_a_trace(
    tmp_path: Path, demo: Path
) -> None:
    """The school sets a logo: the next run makes its documents and dossiers again, with the
    logo on every page of each document and on the cover; a run after that makes nothing. Taken
    out again, the documents are the very files the demo made before there was a logo."""
    out = tmp_path / "demo"
    shutil.copytree(demo, out, symlinks=True)
    year = out / YEAR
    before = {
        name: digest
        for name, digest in tree_digest(year / "leerlingen").items()
        if name.endswith(".docx")
    }
    logo = tmp_path / "logo.png"
    logo.write_bytes(logo_png(60, 40))
    options = demo_options(out / "intake", out)
    with_logo = dataclasses.replace(
        options, config=dataclasses.replace(options.config, school_logo=logo)
    )

    summary = run_dossiers(with_logo)

    documents = sum(len(o.documents) for o in summary.outcomes)
    # All but Sem's plan, which a person wrote: it is left as it is, a new version beside it.
    assert summary.made == documents - 1 and summary.failed == 0
    assert summary.join_refusals == {}
    for outcome in summary.outcomes:
        for document in outcome.documents:
            if document.bewerkt:
                assert document.nieuwe_versie is not None
                continue
            reader = PdfReader(document.pdf)
            assert all(page_has_image(page) for page in reader.pages), document.pdf.name
        if outcome.dossier is not None:
            cover = PdfReader(outcome.dossier).pages[0]
            assert page_has_image(cover)
            assert "pagina" not in cover.extract_text()
    assert run_dossiers(with_logo).made == 0

    summary = run_dossiers(options)

    assert summary.made == documents - 1
    after = {n: d for n, d in tree_digest(year / "leerlingen").items() if n.endswith(".docx")}
    assert after == before


def page_has_image(page: Any) -> bool:
    objects = page["/Resources"].get("/XObject", {})
    return any(o.get_object()["/Subtype"] == "/Image" for o in objects.values())
