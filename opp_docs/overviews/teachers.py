"""`docentenoverzicht.docx` and its PDF: per class a page for the teachers, listing the students
with a plan and the counsellor's handling advice once the plan holds it.

Built in code rather than from a template, because it is a generated list whose rows hold text
taken from the staff's plans; it follows the templates' look.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import zipfile
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docx.types import ProvidesStoryPart

from opp_docs.config import Config
from opp_docs.documents.formatting import datum
from opp_docs.errors import ConversionError
from opp_docs.files import atomic_path
from opp_docs.models import SchoolYear
from opp_docs.overviews.entries import Entry, klas_key
from opp_docs.overviews.made_from import OverviewRecords
from opp_docs.overviews.sheets import clean
from opp_docs.pdf.pool import ConverterPool, convert_files

log = logging.getLogger(__name__)

DOCENTENOVERZICHT = "docentenoverzicht.docx"


def start_pdf(
    teachers: Path, pool: ConverterPool | None, records: OverviewRecords
) -> Callable[[], Path | None]:
    """Start the teacher overview's PDF (none when it is up to date: `records` say from what
    content it was made); the function returned waits for it and gives the PDF, or None
    (logged) when it failed."""
    target = teachers.with_suffix(".pdf")
    content = _word_content_digest(teachers)
    if records.unchanged(target, content):
        # A LibreOffice start costs seconds; a rerun with the same classes needs none.
        return lambda: target
    error: str | None = None
    if pool is not None:
        try:
            pool.submit(teachers, target)
        except ConversionError as e:
            error = str(e)

    def finish() -> Path | None:
        failure = error
        if failure is None:
            try:
                failure = _convert(teachers, target, pool)
            except ConversionError as e:
                failure = str(e)
        if failure is not None:
            log.warning("%s: geen PDF gemaakt: %s", teachers.name, failure)
            return None
        records.note(target, content)
        return target

    return finish


def _convert(source: Path, target: Path, pool: ConverterPool | None) -> str | None:
    """Convert one file (already submitted to `pool` when there is one); the reason when it
    failed."""
    if pool is None:
        return convert_files([source], [target]).failed.get(source)
    error = None
    for done, failure in pool.completed():
        if done == source:
            error = failure
    return error


def _word_content_digest(docx_path: Path) -> str:
    """A digest of what the document shows, leaving out the save time in its properties."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(docx_path) as z:
        for name in sorted(z.namelist()):
            if name.startswith("word/"):
                digest.update(name.encode("utf-8") + b"\0" + z.read(name))
    return digest.hexdigest()


FONT = "Carlito"
BLUE = RGBColor(0x1F, 0x3A, 0x5F)
DARK = RGBColor(0x40, 0x40, 0x40)
GREY = RGBColor(0x70, 0x70, 0x70)
BORDER = "BFBFBF"
HEAD_FILL = "DCE4EE"
TEACHER_WIDTHS = (3.6, 2.6, 3.5, 7.3)  # cm; A4 minus 2 cm margins is 17 cm
NO_CLASS = "zonder klas"


@dataclass(frozen=True)
class Look:
    """How a paragraph of the overview looks: font size and colour (None: the Normal style's)
    and the space before and after it, in points."""

    size: float | None = None
    color: RGBColor | None = None
    before: float = 0
    after: float = 4


BODY = Look()
INTRODUCTION = Look(after=8)
SUBTITLE = Look(size=12, color=DARK, after=12)
FOOTNOTE = Look(size=8.5, color=GREY, before=10)


def _klas_groups(entries: Sequence[Entry]) -> list[tuple[str, list[Entry]]]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.outcome.decision.route.has_plan:
            groups.setdefault(entry.outcome.leerling.klas.strip(), []).append(entry)
    return [
        (klas or NO_CLASS, sorted(rows, key=lambda e: e.outcome.leerling.sort_key))
        for klas, rows in sorted(groups.items(), key=lambda item: klas_key(item[0]))
    ]


def write_docentenoverzicht(
    entries: Sequence[Entry],
    target: Path,
    schooljaar: SchoolYear,
    config: Config,
    today: dt.date,
) -> Path:
    document = _new_document(schooljaar, config)
    groups = _klas_groups(entries)
    if not groups:
        _title(document, "Docentenoverzicht", schooljaar, today, first=True)
        _para(document, "Er zijn (nog) geen leerlingen met een OPP of OPP light.")
    for index, (klas, rows) in enumerate(groups):
        name = "Leerlingen zonder klas" if klas == NO_CLASS else f"Klas {klas}"
        _title(document, name, schooljaar, today, first=index == 0)
        _para(
            document,
            "Deze leerlingen hebben een ontwikkelingsperspectiefplan (OPP of OPP light). Houd in "
            "de les rekening met de handelingsadviezen. Het volledige plan staat in het dossier "
            "in SOMtoday; met vragen kunt u terecht bij de tutor of de leerlingbegeleider.",
            INTRODUCTION,
        )
        table = _table(document, TEACHER_WIDTHS)
        _header_row(table, ("Leerling", "Plan", "Begeleiding", "Handelingsadviezen"))
        for entry in rows:
            _teacher_row(table, entry, today)
        _para(
            document,
            "Vertrouwelijk: deze lijst is alleen voor de docenten van de klas. Bewaar hem niet "
            "langer dan nodig en deel hem niet buiten de school.",
            FOOTNOTE,
        )
    document.core_properties.title = f"Docentenoverzicht {schooljaar}"
    document.core_properties.author = config.school_naam
    document.core_properties.language = "nl-NL"
    with atomic_path(target) as tmp:
        document.save(str(tmp))
    return target


def _teacher_row(table: Table, entry: Entry, today: dt.date) -> None:
    outcome, status = entry
    leerling = outcome.leerling
    row = _add_row(table)
    cells = row.cells
    for cell, cm in zip(cells, TEACHER_WIDTHS, strict=True):
        cell.width = Cm(cm)
    if len(" ".join(status.advice)) < 700:
        # Keep a student on one page; a very long advice may run over.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    _run(_cell_para(cells[0]), leerling.naam).bold = True
    _small(_cell_para(cells[0]), f"lln. {leerling.leerlingnummer}")

    _run(_cell_para(cells[1]), outcome.decision.route.label)
    if status.plan_prompts != 0:
        _small(_cell_para(cells[1]), "in voorbereiding")
    for label, flag in (("dyslexie", leerling.dyslexie), ("dyscalculie", leerling.dyscalculie)):
        if flag:
            _small(_cell_para(cells[1]), label)

    for role, person in (
        ("Tutor", leerling.tutor),
        ("Leerlingbegeleider", outcome.leerlingbegeleider),
    ):
        _small(_cell_para(cells[2]), role)
        _run(_cell_para(cells[2]), person or "–")

    for line in status.advice:
        p = _cell_para(cells[3])
        _run(p, line)
        if line.startswith("• "):
            p.paragraph_format.left_indent = Cm(0.35)
            p.paragraph_format.first_line_indent = Cm(-0.35)
    if not status.advice:
        deadline = outcome.deadlines.opp
        if deadline < today:
            text = "Nog niet beschreven in het plan; vraag de leerlingbegeleider."
        else:
            text = (
                "Nog niet beschreven; de adviezen volgen in het plan "
                f"(uiterlijk {datum(deadline)})."
            )
        run = _run(_cell_para(cells[3]), text)
        run.italic = True
        run.font.color.rgb = GREY


def _new_document(schooljaar: SchoolYear, config: Config) -> DocxDocument:
    document = docx.Document()
    _use_font_everywhere(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.7), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(0.9)

    header = section.header.paragraphs[0]
    school = _run(header, config.school_naam)
    school.bold = True
    school.font.size = Pt(12)
    school.font.color.rgb = BLUE
    sub = section.header.add_paragraph()
    _small(sub, f"Docentenoverzicht ondersteuning  ·  schooljaar {schooljaar}")
    _paragraph_border(sub, "bottom")

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph_border(footer, "top")
    for piece in (
        f"Vertrouwelijk – docentenoverzicht {schooljaar} – pagina ",
        "PAGE",
        " van ",
        "NUMPAGES",
    ):
        _footer_piece(footer, piece)
    body = document.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return document


def _use_font_everywhere(document: DocxDocument) -> None:
    """Replace the theme fonts of the default template: Word would prefer them over ours."""
    styles = document.styles.element
    for rpr in styles.iter(qn("w:rPr")):
        for fonts in rpr.findall(qn("w:rFonts")):
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), FONT)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), "nl-NL")


def _footer_piece(paragraph: Paragraph, piece: str) -> None:
    if piece not in ("PAGE", "NUMPAGES"):
        _small(paragraph, piece)
        return
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        run.font.size = Pt(8.5)
        run.font.color.rgb = GREY
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {piece} "
            run._r.append(instr)
        elif kind == "result":
            run.text = "1"
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _paragraph_border(paragraph: Paragraph, side: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", "4"), ("space", "4"), ("color", BORDER)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    # After what the schema puts before it (the footer's pStyle, above all): Word repairs a
    # paragraph whose properties come in another order.
    before = [child for child in ppr if child.tag in _BEFORE_PBDR]
    if before:
        before[-1].addnext(borders)
    else:
        ppr.insert(0, borders)


# What comes before w:pBdr in a w:pPr (ECMA-376 part 1, CT_PPrBase).
_BEFORE_PBDR = frozenset(
    qn(f"w:{name}")
    for name in (
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
    )
)


def _title(
    document: DocxDocument, text: str, schooljaar: SchoolYear, today: dt.date, *, first: bool
) -> None:
    title = document.add_paragraph()
    title.paragraph_format.page_break_before = not first
    title.paragraph_format.space_after = Pt(2)
    run = _run(title, text)
    run.bold = True
    run.font.size = Pt(20)
    run.font.color.rgb = BLUE
    _para(
        document,
        f"Leerlingen met een OPP  ·  schooljaar {schooljaar}  ·  stand van {datum(today)}",
        SUBTITLE,
    )


def _para(document: DocxDocument, text: str, look: Look = BODY) -> Paragraph:
    p = document.add_paragraph()
    run = _run(p, text)
    if look.size is not None:
        run.font.size = Pt(look.size)
    if look.color is not None:
        run.font.color.rgb = look.color
    p.paragraph_format.space_before = Pt(look.before)
    p.paragraph_format.space_after = Pt(look.after)
    return p


def _run(paragraph: Paragraph, text: str) -> Run:
    run: Run = paragraph.add_run(clean(text))
    return run


def _small(paragraph: Paragraph, text: str) -> None:
    run = _run(paragraph, text)
    if run._r.rPr is None:
        run._r.insert(0, deepcopy(_SMALL))
    else:
        _make_small(run)


def _make_small(run: Run) -> Run:
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY
    return run


def _cell_para(cell: _Cell) -> Paragraph:
    """The cell's first paragraph while it is empty, else a new one; compact spacing."""
    first = cell._tc.find(qn("w:p"))
    empty = first is not None and first.find(qn("w:r")) is None
    p = Paragraph(first, cell) if empty else cell.add_paragraph()
    if p._p.pPr is None:
        p._p.insert(0, deepcopy(_COMPACT))
    else:
        _make_compact(p)
    return p


def _make_compact(p: Paragraph) -> Paragraph:
    p.paragraph_format.space_before = Pt(1)
    p.paragraph_format.space_after = Pt(1)
    return p


def _loose_paragraph() -> Paragraph:
    # In no document: only made for its formatting.
    return Paragraph(OxmlElement("w:p"), cast(ProvidesStoryPart, None))


# What _make_small and _make_compact give a new run or paragraph, made once and copied: the
# setters of python-docx cost more than the rest of the teacher overview together.
_SMALL = _make_small(_loose_paragraph().add_run())._r.rPr
_COMPACT = _make_compact(_loose_paragraph())._p.pPr


def _table(document: DocxDocument, widths: Sequence[float]) -> Table:
    table: Table = document.add_table(rows=0, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False  # writes the table's one w:tblLayout, fixed
    tblpr = table._tbl.tblPr
    for child in list(tblpr):
        if child.tag in (qn("w:tblStyle"), qn("w:tblW"), qn("w:tblLook")):
            tblpr.remove(child)
    # Children in schema order, tblW, jc, tblBorders, tblLayout, tblCellMar: Word repairs a
    # table whose properties come in another order.
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths) * 567)))
    width.set(qn("w:type"), "dxa")
    tblpr.insert(0, width)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", BORDER)):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar")
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 50), ("left", 100), ("bottom", 50), ("right", 100)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tblpr.append(margins)
    for column, cm in zip(table.columns, widths, strict=True):
        column.width = Cm(cm)
    return table


def _add_row(table: Table) -> _Row:
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    return row


def _header_row(table: Table, titles: Sequence[str]) -> None:
    row = _add_row(table)
    for cell, title, cm in zip(row.cells, titles, TEACHER_WIDTHS, strict=True):
        cell.width = Cm(cm)
        _run(_cell_para(cell), title).bold = True
        shading = OxmlElement("w:shd")
        for key, value in (("val", "clear"), ("color", "auto"), ("fill", HEAD_FILL)):
            shading.set(qn(f"w:{key}"), value)
        cell._tc.get_or_add_tcPr().append(shading)
    # Repeated at the top of every page the table runs onto.
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
