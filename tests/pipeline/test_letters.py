"""The parents' letter as it goes into a window envelope: one letter per address, each in the
dossier, the address where the window of a DL envelope shows it, and a missing address a
problem on the worklist. Read back from the PDFs, the dossier, the manifest and the worklist."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from opp_docs.documents.stamp import read_stamp
from tests.ooxml import assert_valid_docx
from tests.pipeline.staff import YEAR, counted_run, docs_of, entry, run, write_intake

pytestmark = pytest.mark.libreoffice

# The window of a C5/6 (DL) window envelope on the A4 folded in three, as make_templates.py
# places the address (DIN 5008 form B address field, DIN 680 DL window): 20-105 mm from the
# left edge, 50-90 mm from the top.
WINDOW_MM = (20.0, 50.0, 105.0, 90.0)

APART = {
    "nummer": "990201",
    "velden": {
        "Verzorger 1": "A. de Vries",
        "Straat": "Kerkstraat",
        "Huisnummer": 14,
        "Toevoeging": "A",
        "Postcode": "3911sa",
        "Woonplaats": "Rhenen",
        "Verzorger 2": "M. Jansen",
        # Magister-like headers with the parent's number in front.
        "Relatie 2 straat + huisnummer": "Oude Veensteeg 2-3",
        "Relatie 2 postcode": "3901 SD",
        "Relatie 2 plaats": "Veenendaal",
    },
}
NO_ADDRESS = {"nummer": "990202", "velden": {"Roepnaam": "Daan", "Verzorger 1": "K. Smit"}}


@pytest.fixture(scope="module")
def letters_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    root = tmp_path_factory.mktemp("brieven")
    intake = write_intake(root / "intake", APART, NO_ADDRESS)
    manifest = run(intake, root / "uit")
    return root / "uit" / YEAR, manifest


def words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """The words of a PDF's first page with their box in mm from the top left corner."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    mm = 25.4 / 72
    found = []
    for x0, y0, x1, y1, word in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html
    ):
        found.append((word, float(x0) * mm, float(y0) * mm, float(x1) * mm, float(y1) * mm))
    return found


def assert_in_window(pdf: Path, expected: list[str]) -> None:
    """Every word of the `expected` lines sits inside the envelope's window."""
    placed = words(pdf)
    left, top, right, bottom = WINDOW_MM
    for line in expected:
        for word in line.split():
            boxes = [b for b in placed if b[0] == word and left <= b[1] and b[3] <= right]
            inside = [b for b in boxes if top <= b[2] and b[4] <= bottom]
            assert inside, f"'{word}' is not in the window: {boxes}"


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return result.stdout


def test_two_addresses_give_two_letters_each_with_its_address(letters_run: tuple) -> None:  # type: ignore[type-arg]
    year, manifest = letters_run
    letters = docs_of(manifest, "990201", "informatiebrief")
    assert [d["adres"] for d in letters] == [1, 2]
    first, second = (year / d["pdf"] for d in letters)
    assert first.name == "informatiebrief - Sanne de Vries.pdf"
    assert second.name == "informatiebrief - Sanne de Vries (adres 2).pdf"
    one, two = pdf_text(first), pdf_text(second)
    # A PDF does not keep PostNL's two spaces; the Word file does (test_render).
    assert "A. de Vries" in one and "Kerkstraat 14 A" in one and "3911 SA RHENEN" in one
    assert "Beste A. de Vries," in one
    assert "M. Jansen" not in one and "Veensteeg" not in one
    assert "M. Jansen" in two and "Oude Veensteeg 2-3" in two and "3901 SD VEENENDAAL" in two
    assert "Beste M. Jansen," in two
    assert "Kerkstraat" not in two
    # Each letter knows itself: the second by its number in the stamp, the first as before.
    found = [read_stamp(year / d["docx"]) for d in letters]
    assert [f.stamp.adres for f in found if f] == [1, 2]
    assert_valid_docx(*(year / d["docx"] for d in letters))


def test_the_address_sits_in_the_window_of_a_dl_envelope(letters_run: tuple) -> None:  # type: ignore[type-arg]
    year, manifest = letters_run
    first, second = (year / d["pdf"] for d in docs_of(manifest, "990201", "informatiebrief"))
    assert_in_window(first, ["A. de Vries", "Kerkstraat 14 A", "3911 SA RHENEN"])
    assert_in_window(second, ["M. Jansen", "Oude Veensteeg 2-3", "3901 SD VEENENDAAL"])
    # The school's return line is in the window too, above the address and smaller.
    placed = words(first)
    (street,) = [b for b in placed if b[0] == "Kerkstraat"]
    returns = [b for b in placed if b[0] == "Gildestraat" and b[2] > 40]
    assert returns and returns[0][4] <= street[2]
    assert returns[0][4] - returns[0][2] < street[4] - street[2]
    # The letter's own text starts below the window.
    (datum,) = [b for b in placed if b[0] == "Datum"]
    assert datum[2] >= WINDOW_MM[3]


def test_both_letters_are_in_the_dossier(letters_run: tuple) -> None:  # type: ignore[type-arg]
    year, manifest = letters_run
    dossier = year / entry(manifest, "990201")["dossier"]
    reader = PdfReader(dossier)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Informatiebrief ouders" in titles
    assert "Informatiebrief ouders (adres 2)" in titles
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Kerkstraat 14 A" in text and "Oude Veensteeg 2-3" in text


def test_a_missing_address_is_on_the_worklist_and_the_letter_still_renders(
    letters_run: tuple,  # type: ignore[type-arg]
) -> None:
    year, manifest = letters_run
    (letter,) = docs_of(manifest, "990202", "informatiebrief")
    text = pdf_text(year / letter["pdf"])
    assert "Beste K. Smit," in text
    assert "[straat en huisnummer]" in text and "[postcode WOONPLAATS]" in text
    assert_in_window(year / letter["pdf"], ["K. Smit", "[straat en huisnummer]"])
    problem = "De informatiebrief heeft geen adres"
    assert any(p.startswith(problem) for p in entry(manifest, "990202")["problemen"])
    assert not any(p.startswith(problem) for p in entry(manifest, "990201")["problemen"])
    sheet = openpyxl.load_workbook(year / "overzicht.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert problem in str(rows["990202"][header.index("Problemen")])
    assert problem not in str(rows["990201"][header.index("Problemen")] or "")


def test_one_address_later_keeps_the_home_letter_and_drops_ours(tmp_path: Path) -> None:
    """Parents who move in together: the second letter (ours, unedited) goes, the first is
    rewritten in place; a rerun without change makes nothing."""
    intake = write_intake(tmp_path / "intake", APART)
    run(intake, tmp_path / "uit")
    together = {"nummer": "990201", "velden": {**APART["velden"]}}
    for key in ("Relatie 2 straat + huisnummer", "Relatie 2 postcode", "Relatie 2 plaats"):
        del together["velden"][key]
    write_intake(intake, together)
    manifest = run(intake, tmp_path / "uit")
    (letter,) = docs_of(manifest, "990201", "informatiebrief")
    assert letter["docx"].endswith("informatiebrief - Sanne de Vries.docx")
    folder = (tmp_path / "uit" / YEAR / letter["docx"]).parent
    assert not list(folder.glob("*(adres 2)*"))
    assert "A. de Vries\nM. Jansen" in pdf_text(folder / "informatiebrief - Sanne de Vries.pdf")
    summary, _ = counted_run(intake, tmp_path / "uit")
    assert summary.made == 0


def test_a_renamed_second_letter_is_found_by_its_stamp(tmp_path: Path) -> None:
    """A person renames the second letter: it is still the second letter, not a reason for a
    third one; edited, it is never overwritten."""
    intake = write_intake(tmp_path / "intake", APART)
    manifest = run(intake, tmp_path / "uit")
    year = tmp_path / "uit" / YEAR
    second = year / docs_of(manifest, "990201", "informatiebrief")[1]["docx"]
    renamed = second.with_name("brief voor M. Jansen.docx")
    second.rename(renamed)
    second.with_suffix(".pdf").unlink()
    manifest = run(intake, tmp_path / "uit")
    letters = docs_of(manifest, "990201", "informatiebrief")
    assert [(d["adres"], Path(d["docx"]).name) for d in letters] == [
        (1, "informatiebrief - Sanne de Vries.docx"),
        (2, "brief voor M. Jansen.docx"),
    ]
    assert not second.exists()
    assert "Oude Veensteeg 2-3" in pdf_text(renamed.with_suffix(".pdf"))
