"""Small helpers the tests share: where the repository is, reading generated files back, and a
plan-like Word file as staff leave it."""

from __future__ import annotations

import datetime as dt
import functools
import io
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from opp_docs.config import Config
from opp_docs.decide.counsellor import assign_counsellor
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.decide.routing import propose_route
from opp_docs.demo.cohort import DEMO_BEGELEIDER, DEMO_TEAMLEIDER, write_example_intake
from opp_docs.demo.staff import placeholder_text, type_over_control
from opp_docs.documents.context import Plan, build_context
from opp_docs.documents.letters import letter_values, letters
from opp_docs.documents.render import COVER_TEMPLATE
from opp_docs.intake.folder import read_intake
from opp_docs.models import DOCUMENTS_PER_ROUTE, DocumentKind, SchoolYear

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
# The demo's school year and people, as `make demo` runs.
DEMO_YEAR = SchoolYear(2026)
DEMO_CONFIG = Config(leerlingbegeleiders=(DEMO_BEGELEIDER,), teamleider=DEMO_TEAMLEIDER)


def pdf_text(path: Path, *, layout: bool = False) -> str:
    """The text of a PDF as poppler's pdftotext reads it (with `layout`, in columns)."""
    command = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def words_in(path: Path) -> str:
    """A PDF's text with every run of white space one space: what a reader reads, whatever
    the line breaks."""
    return " ".join(pdf_text(path).split())


def docx_text(path: Path) -> str:
    """A Word file's paragraphs, then its table cells, one per line; with the text of content
    controls, which python-docx's `.text` leaves out."""
    document = docx.Document(str(path))
    cells = [element_text(c._tc) for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([element_text(p._p) for p in document.paragraphs] + cells)


def element_text(element: Any) -> str:
    """The text of a part of a Word file, paragraphs on their own lines, with the text of
    content controls (prompts)."""
    lines = []
    for p in element.iter(qn("w:p")) if element.tag != qn("w:p") else [element]:
        pieces = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
        lines.append(
            "".join(
                (node.text or "") if pieces[node.tag] is None else str(pieces[node.tag])
                for node in p.iter(*pieces)
                if node.getparent().tag == qn("w:r")  # not a tab stop of the paragraph
            )
        )
    return "\n".join(lines)


def type_over(document: Any, prompt: str, text: str, *, nth: int = 0) -> None:
    """What Word does when a person clicks a prompt and types: the content control whose
    placeholder starts with `prompt` (the `nth` one) now holds `text`, in normal formatting,
    and no longer shows a placeholder. `document` is a python-docx Document (or its body)."""
    root = getattr(document, "element", document)
    found = [sdt for sdt in root.iter(qn("w:sdt")) if placeholder_text(sdt).startswith(prompt)]
    type_over_control(found[nth], text)


def text_run(text: str, *, deleted: bool = False) -> Any:
    """A run of plain text (`deleted`: as the text of a tracked deletion)."""
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def tracked_change(tag: str, number: int) -> Any:
    """A tracked insertion ("w:ins") or deletion ("w:del") by the counsellor."""
    change = OxmlElement(tag)
    for key, value in (
        ("w:id", str(number)),
        ("w:author", "LB"),
        ("w:date", "2026-10-01T10:00:00Z"),
    ):
        change.set(qn(key), value)
    return change


def with_part(source: Path, target: Path, name: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of `source` with one of its parts edited."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for item in z.infolist():
            data = z.read(item)
            out.writestr(item, edit(data) if item.filename == name else data)
    return target


def with_document(source: Path, target: Path, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of `source` with its document.xml edited."""
    return with_part(source, target, "word/document.xml", edit)


def example_contexts(tmp_path: Path) -> list[tuple[str, dict[str, object]]]:
    """(template, context) for every document of the example cohort, covers included."""
    write_example_intake(tmp_path / "intake", DEMO_YEAR)
    intake = read_intake(tmp_path / "intake", DEMO_CONFIG, DEMO_YEAR)
    found: list[tuple[str, dict[str, object]]] = []
    for leerling in intake.leerlingen:
        decision = propose_route(leerling, DEMO_CONFIG)
        deadlines = compute_deadlines(leerling, DEMO_YEAR, DEMO_CONFIG)
        plan = Plan(decision, deadlines, DEMO_YEAR, assign_counsellor(leerling, DEMO_CONFIG))
        context = build_context(leerling, plan, DEMO_CONFIG, dt.date(2026, 9, 1)).values
        kinds = DOCUMENTS_PER_ROUTE[decision.route]
        for kind in kinds:
            if kind is DocumentKind.INFORMATIEBRIEF:
                # One letter per parents' address, each with its own `brief`.
                found.extend(
                    (kind.value, {**context, "brief": letter_values(letter)})
                    for letter in letters(leerling)
                )
            else:
                found.append((kind.value, context))
        if kinds:
            cover = {**context, "inhoud": [{"titel": "OPP & bijlagen", "pagina": 2}]}
            found.append((COVER_TEMPLATE, cover))
    return found


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


def logo_png(width: int, height: int) -> bytes:
    """A small fictional school logo as a PNG: a dark blue disc with a yellow band on white.
    Written with zlib, so the tests need no imaging library."""

    def pixel(x: int, y: int) -> bytes:
        if (x - width / 2) ** 2 + (y - height / 2) ** 2 > (min(width, height) / 2.2) ** 2:
            return b"\xff\xff\xff"
        return b"\xdc\xb4\x28" if abs(y - height / 2) < height / 10 else b"\x1f\x3a\x5f"

    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
