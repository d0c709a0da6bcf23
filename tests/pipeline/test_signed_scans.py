"""Signatures come back: a scan of the signed sheet (a PDF, an image in a folder of scans)
goes into the dossier right after the plan, and the worklist, the BRON list and the manifest
show the plan signed, with the intake's date before the file's. Read back from the files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from opp_docs.overviews.bron import BRON_AANMELDING
from opp_docs.overviews.worklist import OVERZICHT
from opp_docs.pdf import images
from opp_docs.pipeline import scans as pipeline_scans
from tests.pipeline.staff import YEAR, counted_run, entry, run, write_intake
from tests.scan_files import dated, signed_image, signed_pdf

pytestmark = pytest.mark.libreoffice

INTAKE_DAY = dt.date(2026, 10, 20)
FILE_DAY = dt.date(2026, 10, 22)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_intake(folder: Path) -> Path:
    """Three plans: 990001 signed (its date in the intake, its scan a PDF of another day),
    990002 signed (an image in a folder of scans, only the file's date), 990003 not yet; and
    a scan of a student who is not in the intake."""
    write_intake(
        folder,
        {"nummer": "990001", "velden": {"Datum ondertekening": INTAKE_DAY}},
        {"nummer": "990002", "niveau": "licht", "velden": {"Roepnaam": "Bo"}},
        {"nummer": "990003", "velden": {"Roepnaam": "Kim"}},
    )
    dated(signed_pdf(folder / "990001 ondertekend.pdf", "GETEKEND 990001"), dt.date(2026, 10, 25))
    dated(signed_image(folder / "handtekeningen" / "990002.jpg"), FILE_DAY)
    signed_image(folder / "handtekeningen" / "990099.png")
    return folder


class Counting:
    """image_to_pdf, counted."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, image: Path, target: Path) -> None:
        self.calls += 1
        images.image_to_pdf(image, target)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    """One run on the intake: the output folder, its manifest, the intake's digest before."""
    base = tmp_path_factory.mktemp("scans")
    intake = make_intake(base / "intake")
    before = json.dumps(tree_digest(intake))
    manifest = run(intake, base / "out")
    return base, manifest, before


def bookmarks(reader: PdfReader) -> list[tuple[str, int]]:
    return [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]


def dossier_of(base: Path, manifest: dict[str, Any], nummer: str) -> Path:
    return base / "out" / YEAR / entry(manifest, nummer)["dossier"]


def pages_of(base: Path, manifest: dict[str, Any], nummer: str, soort: str) -> int:
    (doc,) = [d for d in entry(manifest, nummer)["documenten"] if d["soort"] == soort]
    return len(PdfReader(base / "out" / YEAR / doc["pdf"]).pages)


@pytest.mark.parametrize(
    ("nummer", "plan", "plan_title", "scan_title"),
    [
        ("990001", "opp", "Ontwikkelingsperspectiefplan", "990001 ondertekend.pdf"),
        ("990002", "opp-light", "OPP light", "990002.jpg"),
    ],
)
def test_the_scan_goes_into_the_dossier_right_after_the_plan(
    first: tuple[Path, dict[str, Any], str],
    nummer: str,
    plan: str,
    plan_title: str,
    scan_title: str,
) -> None:
    base, manifest, _ = first
    reader = PdfReader(dossier_of(base, manifest, nummer))
    marks = bookmarks(reader)
    titles = [title for title, _page in marks]
    scan = f"Ondertekeningsblad, getekend ({scan_title})"
    assert titles == [
        "Voorblad", "Informatiebrief ouders", plan_title, scan, "Ondertekeningsblad",
        "Tussenevaluatie", "Eindevaluatie",
    ]  # fmt: skip
    # Its page: after the cover, the letter and every page of the plan; one page of its own.
    at = (
        1
        + pages_of(base, manifest, nummer, "informatiebrief")
        + pages_of(base, manifest, nummer, plan)
    )
    assert dict(marks)[scan] == at
    assert dict(marks)["Ondertekeningsblad"] == at + 1
    documents = sum(
        pages_of(base, manifest, nummer, d["soort"]) for d in entry(manifest, nummer)["documenten"]
    )
    assert len(reader.pages) == 1 + documents + 1
    page = reader.pages[at]
    if nummer == "990001":
        assert "GETEKEND 990001" in (page.extract_text() or "")
    else:
        # The image, on an A4 page, at its own size in pixels.
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        (image,) = page.images
        assert image.image is not None and image.image.size == (1240, 1754)
    # The cover's table of contents names it too.
    assert "Ondertekeningsblad, getekend" in " ".join(
        (reader.pages[0].extract_text() or "").split()
    )


def test_the_other_students_dossier_has_no_scan(first: tuple[Path, dict[str, Any], str]) -> None:
    base, manifest, _ = first
    titles = [t for t, _ in bookmarks(PdfReader(dossier_of(base, manifest, "990003")))]
    assert not any("getekend" in t for t in titles)


def test_manifest_shows_the_signing_with_the_intakes_date_first(
    first: tuple[Path, dict[str, Any], str],
) -> None:
    _, manifest, _ = first
    assert entry(manifest, "990001")["ondertekend"] == {
        "datum": "2026-10-20",
        "bron": "datum uit de intake",
        "scans": ["990001 ondertekend.pdf"],
    }
    assert entry(manifest, "990002")["ondertekend"] == {
        "datum": "2026-10-22",
        "bron": "datum van het bestand",
        "scans": ["handtekeningen/990002.jpg"],
    }
    assert entry(manifest, "990003")["ondertekend"] is None


def rows(path: Path) -> dict[str, dict[str, Any]]:
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    found = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    return {str(r["Leerlingnummer"]): r for r in found}


def day(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def test_worklist_marks_the_plan_signed_with_its_date(
    first: tuple[Path, dict[str, Any], str],
) -> None:
    base, _, _ = first
    worklist = rows(base / "out" / YEAR / OVERZICHT)
    assert day(worklist["990001"]["Ondertekend"]) == INTAKE_DAY
    assert day(worklist["990002"]["Ondertekend"]) == FILE_DAY
    assert worklist["990003"]["Ondertekend"] is None
    assert "getekend ondertekeningsblad (scan)" in worklist["990002"]["Documenten"]
    assert "getekend" not in worklist["990003"]["Documenten"]


def test_bron_list_takes_the_signing_date_as_begin_date(
    first: tuple[Path, dict[str, Any], str],
) -> None:
    base, manifest, _ = first
    bron = rows(base / "out" / YEAR / BRON_AANMELDING)
    assert day(bron["990001"]["Begindatum plan"]) == INTAKE_DAY
    assert day(bron["990002"]["Begindatum plan"]) == FILE_DAY
    assert (
        "Begindatum: 20-10-2026 (ondertekening van het plan)"
        in bron["990001"]["Notitie voor SOMtoday"]
    )
    # Not signed yet: the plan's deadline, as before.
    deadline = dt.date.fromisoformat(entry(manifest, "990003")["deadlines"]["opp"])
    assert day(bron["990003"]["Begindatum plan"]) == deadline
    assert "(vaststelling van het plan)" in bron["990003"]["Notitie voor SOMtoday"]


def test_an_orphan_scan_is_a_problem_in_the_intake_report(
    first: tuple[Path, dict[str, Any], str],
) -> None:
    base, _, _ = first
    sheet = load_workbook(base / "out" / YEAR / "intake-rapport.xlsx")["Problemen"]
    header = [c.value for c in sheet[1]]
    problems = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    (orphan,) = [p for p in problems if p["Bestand"] == "handtekeningen/990099.png"]
    assert "geen leerling met nummer 990099" in orphan["Probleem"]


def test_the_converted_copy_is_private_and_only_in_the_output(
    first: tuple[Path, dict[str, Any], str],
) -> None:
    base, _, before = first
    (copy,) = (base / "out" / YEAR / pipeline_scans.SCANS_DIR).iterdir()
    assert copy.suffix == ".pdf"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert json.dumps(tree_digest(base / "intake")) == before


def test_a_rerun_converts_nothing_and_a_new_scan_rebuilds_only_its_dossier(
    first: tuple[Path, dict[str, Any], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, _, before = first
    base = tmp_path / "kopie"
    shutil.copytree(source, base, symlinks=True)
    intake, out = base / "intake", base / "out"
    counting = Counting()
    monkeypatch.setattr(pipeline_scans, "image_to_pdf", counting)
    students = out / YEAR / "leerlingen"
    made = tree_digest(students)

    summary, manifest = counted_run(intake, out)

    assert counting.calls == 0
    assert summary.made == 0
    assert tree_digest(students) == made
    assert json.dumps(tree_digest(intake)) == before

    # A second scan for 990003 (a photo, its date from the file): that dossier only.
    dated(signed_image(intake / "handtekeningen" / "990003 foto.png"), FILE_DAY)
    summary, manifest = counted_run(intake, out)

    assert counting.calls == 1
    after = tree_digest(students)
    changed = {Path(k).parts[0][:6] for k in set(after) | set(made) if after.get(k) != made.get(k)}
    assert changed == {"990003"}
    assert entry(manifest, "990003")["ondertekend"]["datum"] == FILE_DAY.isoformat()
    with pikepdf.open(dossier_of(base, manifest, "990003")) as pdf:
        titles = [str(item.Title) for item in _top(pdf)]
    assert "Ondertekeningsblad, getekend (990003 foto.png)" in titles


def _top(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, item = [], pdf.Root.Outlines.get("/First")
    while item is not None:
        found.append(item)
        item = item.get("/Next")
    return found
