"""Generate the docxtpl (Jinja) Word templates in templates/.

Run from the project root:  .venv/bin/python tools/make_templates.py

The .docx files it writes are the templates the pipeline renders. A school may edit them in
Word afterwards; this script is only the reproducible starting point. Rules the templates keep:

- Every Jinja tag sits whole inside one run (docxtpl cannot join a tag split over runs).
- Everything a person must still write is a prompt: text in square brackets in the character
  style "Invulinstructie" (grey, italic), so an unfinished document is recognisable. Each prompt
  is the placeholder of a Word content control (rich text, inline): a person who clicks it in
  Word selects it whole, and what they type replaces it as normal text, not grey italics.
  Rich text and inline, because LibreOffice 7.4 keeps only those (with their style) on saving.
- The parts opp-docs reads back (goals, perspective, decision, ...) are marked with bookmarks
  named `opp_...` (`MARKS`): LibreOffice and Word both keep bookmarks, and drop content
  control tags (LibreOffice 7.4). A bookmark sits in a heading row or a label cell, which staff
  do not type over, so it stays when the text around it is rewritten.
- Table-row loops use {%tr %}, paragraph blocks {%p %}; each such tag has its own row/paragraph.
- A value that may be empty gets a prompt or an {% if %} around the words that belong to it, so
  no sentence is left with loose words ("via  of .").

After a change: `opp-docs templates check`, then render a demo and look at every page.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from opp_docs.documents.parts import FACTOR_AREAS, Mark

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

FONT = "Carlito"
BLUE = RGBColor(0x1F, 0x3A, 0x5F)  # restrained dark blue for headings and titles
DARK = RGBColor(0x40, 0x40, 0x40)
GREY = RGBColor(0x80, 0x80, 0x80)
BORDER = "BFBFBF"
HEAD_FILL = "DCE4EE"  # header row of a table
LABEL_FILL = "F2F5F9"  # label column of a label/value table
TEXT_WIDTH = 17.0  # cm: A4 minus 2 cm margins
PROMPT = "Invulinstructie"
TEMPLATE_DATE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
CHECKBOX = "\u2610"  # ☐ ballot box; "[ ]" would look like a prompt to the software


# ---------------------------------------------------------------------------------------------
# Run pieces. A paragraph is built from a sequence of these; each piece becomes exactly one run.


@dataclass(frozen=True)
class Prompt:
    """Text a person must still replace; rendered in the Invulinstructie style."""

    text: str


@dataclass(frozen=True)
class Bold:
    text: str


@dataclass(frozen=True)
class Small:
    """Smaller grey text, for remarks that need no action."""

    text: str


class _Break:
    pass


@dataclass(frozen=True)
class Bookmark:
    """A bookmark at this point: a part opp-docs reads back (opp_docs/documents/parts.py)."""

    mark: Mark


BR = _Break()  # line break inside a paragraph

Piece = str | Prompt | Bold | Small | _Break | Bookmark


def value_or_prompt(expr: str, prompt: str) -> list[Piece]:
    """The value of `expr` when the intake filled it, else a prompt; all in one paragraph."""
    return [f"{{% if {expr} %}}", f"{{{{ {expr} }}}}", "{% else %}", Prompt(prompt), "{% endif %}"]


def add_pieces(paragraph: Paragraph, pieces: Iterable[Piece]) -> None:
    for piece in pieces:
        if isinstance(piece, _Break):
            paragraph.add_run().add_break()
        elif isinstance(piece, Prompt):
            add_prompt(paragraph, piece.text)
        elif isinstance(piece, Bookmark):
            add_mark(paragraph, piece.mark)
        elif isinstance(piece, Bold):
            paragraph.add_run(piece.text).bold = True
        elif isinstance(piece, Small):
            run = paragraph.add_run(piece.text)
            run.font.size = Pt(9)
            run.font.color.rgb = GREY
        else:
            paragraph.add_run(piece)


def add_prompt(paragraph: Paragraph, text: str) -> None:
    """A content control showing `text` as its placeholder, in the prompt style. No w:id (it is
    optional, and a prompt in a table-row loop would repeat it) and no run properties of its
    own: what a person types in its place gets the paragraph's normal formatting."""
    sdt = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    properties.append(OxmlElement("w:showingPlcHdr"))
    sdt.append(properties)
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    paragraph._p.append(sdt)
    run = paragraph.add_run(text, style=PROMPT)
    content.append(run._r)


_bookmark_ids = iter(range(1, 10_000))


def add_mark(paragraph: Paragraph, mark: Mark) -> None:
    """An empty bookmark named after `mark` at this point of the paragraph."""
    number = str(next(_bookmark_ids))
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), number)
    start.set(qn("w:name"), mark.value)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), number)
    paragraph._p.append(start)
    paragraph._p.append(end)


# ---------------------------------------------------------------------------------------------
# Styles, page and header/footer


def _clean_rpr_theme(rpr: BaseOxmlElement) -> None:
    """Drop theme font/colour references, which would override the explicit font in Word."""
    for fonts in rpr.findall(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    for color in rpr.findall(qn("w:color")):
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attr), None)


def _set_doc_defaults(doc: DocumentObject) -> None:
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _clean_rpr_theme(rpr)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "nl-NL")
    lang.set(qn("w:eastAsia"), "nl-NL")
    # Every style of the built-in template: no theme fonts anywhere.
    for rpr in styles.iter(qn("w:rPr")):
        _clean_rpr_theme(rpr)


def _style_paragraph(
    doc: DocumentObject,
    name: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    before: float = 0,
    after: float = 6,
    keep_next: bool = False,
    base: str | None = "Normal",
) -> None:
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    if base:
        style.base_style = doc.styles[base]
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    font = style.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = color if color is not None else RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next
    _clean_rpr_theme(style.element.get_or_add_rPr())


def setup_styles(doc: DocumentObject) -> None:
    _set_doc_defaults(doc)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    _style_paragraph(doc, "Title", size=20, bold=True, color=BLUE, after=2)
    _style_paragraph(doc, "Ondertitel", size=12.5, color=DARK, after=14)
    _style_paragraph(
        doc, "Heading 1", size=13.5, bold=True, color=BLUE, before=14, after=4, keep_next=True
    )
    _style_paragraph(
        doc, "Heading 2", size=11.5, bold=True, color=BLUE, before=8, after=2, keep_next=True
    )
    _style_paragraph(doc, "Tabeltekst", size=10.5, before=1, after=1)
    doc.styles["Tabeltekst"].paragraph_format.line_spacing = 1.0
    _style_paragraph(doc, "Header", size=9, after=0)
    _style_paragraph(doc, "Footer", size=8.5, color=GREY, after=0)

    prompt = doc.styles.add_style(PROMPT, WD_STYLE_TYPE.CHARACTER)
    prompt.quick_style = True
    prompt.font.italic = True
    prompt.font.color.rgb = GREY


def setup_page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = Cm(2.7)
    section.bottom_margin = Cm(2.0)
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(0.9)


def _border(element: BaseOxmlElement, side: str, color: str, size: int = 4, space: int = 1) -> None:
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    element.append(el)


def _paragraph_border(paragraph: Paragraph, side: str, color: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    _border(bdr, side, color, size=4, space=4)
    # pBdr must come before spacing/jc in the schema; put it right after pStyle.
    style = ppr.find(qn("w:pStyle"))
    if style is not None:
        style.addnext(bdr)
    else:
        ppr.insert(0, bdr)


def _field(paragraph: Paragraph, instr: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin/instr/separate/result/end runs."""

    def fld_char(kind: str) -> None:
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld_char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run._r.append(text)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")


def setup_header_footer(doc: DocumentObject, *, page_numbers: bool = True) -> None:
    section = doc.sections[0]
    header = section.header
    p = header.paragraphs[0]
    p.style = doc.styles["Header"]
    name = p.add_run("{{ school.naam }}")
    name.bold = True
    name.font.size = Pt(12)
    name.font.color.rgb = BLUE
    p2 = header.add_paragraph(style="Header")
    # The separator only between two filled parts: a school may leave either empty.
    for text in (
        "{{ school.adres }}",
        "{% if school.adres and school.postcode_plaats %}",
        "  ·  ",
        "{% endif %}",
        "{{ school.postcode_plaats }}",
    ):
        address = p2.add_run(text)
        address.font.size = Pt(8.5)
        address.font.color.rgb = GREY
    _paragraph_border(p2, "bottom", BORDER)

    footer = section.footer
    f = footer.paragraphs[0]
    f.style = doc.styles["Footer"]
    f.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph_border(f, "top", BORDER)
    f.add_run("Vertrouwelijk – ")
    f.add_run("{{ leerling.naam }}")
    if page_numbers:
        f.add_run(" – pagina ")
        _field(f, "PAGE", "1")
        f.add_run(" van ")
        _field(f, "NUMPAGES", "1")


def new_document(title: str, *, page_numbers: bool = True) -> DocumentObject:
    doc = Document()
    setup_styles(doc)
    setup_page(doc)
    setup_header_footer(doc, page_numbers=page_numbers)
    # Rendered by docxtpl too: the PDF made from the document carries title and school.
    # `|safe` because python-docx escapes these itself; autoescape would escape them twice.
    props = doc.core_properties
    props.title = title.replace("{{ leerling.naam }}", "{{ leerling.naam|safe }}")
    props.subject = "{{ leerling.naam|safe }}, schooljaar {{ schooljaar }}"
    props.author = "{{ school.naam|safe }}"
    # A fixed date: the same script makes the same bytes, so a template that did not change
    # keeps its digest and re-renders no document.
    props.created = props.modified = TEMPLATE_DATE
    props.revision = 1
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.language = "nl-NL"
    # The built-in template starts with one empty paragraph: remove it.
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


# ---------------------------------------------------------------------------------------------
# Paragraphs and tables


def para(
    container: DocumentObject | _Cell,
    *pieces: Piece,
    style: str | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    after: float | None = None,
    before: float | None = None,
    keep_next: bool = False,
) -> Paragraph:
    p = container.add_paragraph(style=style)
    add_pieces(p, pieces)
    if align is not None:
        p.alignment = align
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if before is not None:
        p.paragraph_format.space_before = Pt(before)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    return p


def tag(container: DocumentObject | _Cell, jinja: str) -> None:
    """A paragraph holding only a {%p ... %} tag; docxtpl removes the paragraph."""
    container.add_paragraph(jinja)


def heading(doc: DocumentObject, text: str, level: int = 1) -> Paragraph:
    return doc.add_paragraph(text, style=f"Heading {level}")


def title_block(doc: DocumentObject, title: Sequence[Piece], with_klas: bool = True) -> None:
    para(doc, *title, style="Title")
    sub: list[Piece] = ["{{ leerling.naam }}"]
    if with_klas:
        sub += ["{% if leerling.klas %}", "  ·  klas {{ leerling.klas }}", "{% endif %}"]
    sub += ["  ·  schooljaar {{ schooljaar }}"]
    para(doc, *sub, style="Ondertitel")


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    if tcpr.find(qn("w:shd")) is not None:
        return
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def make_table(
    doc: DocumentObject | _Cell,
    widths: Sequence[float],
    *,
    borders: bool = True,
) -> Table:
    table = doc.add_table(rows=0, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False  # writes the table's w:tblLayout: a second one makes Word repair it
    tblpr = table._tbl.tblPr
    style = tblpr.find(qn("w:tblStyle"))
    if style is not None:
        tblpr.remove(style)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths) * 567)))
    width.set(qn("w:type"), "dxa")
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    tblpr.append(width)
    bdr = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders:
            _border(bdr, side, BORDER, size=4, space=0)
        else:
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "nil")
            bdr.append(el)
    tblpr.append(bdr)
    mar = OxmlElement("w:tblCellMar")
    for side, value in (("top", 45), ("left", 100), ("bottom", 45), ("right", 100)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(value if borders else (0 if side in ("left", "right") else 20)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)
    # Schema order inside tblPr: tblStyle, ..., tblW, jc, ..., tblBorders, ..., tblLayout,
    # tblCellMar, tblLook. Re-sort what we appended.
    order = [
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    ]
    children = sorted(
        tblpr,
        key=lambda el: (
            order.index(el.tag.split("}")[1]) if el.tag.split("}")[1] in order else len(order)
        ),
    )
    for child in children:
        tblpr.remove(child)
        tblpr.append(child)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))
    return table


def column_widths(table: Table) -> list[float]:
    """The table's column widths in cm, read back from its grid."""
    return [int(col.get(qn("w:w"))) / 567 for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def add_row(
    table: Table,
    cells: Sequence[Sequence[Piece] | Piece],
    *,
    header: bool = False,
    label: bool = False,
    merge: Sequence[tuple[int, int]] = (),
    cant_split: bool = True,
    height: float | None = None,
    keep_next: bool = False,
    fill: str | None = None,
) -> _Row:
    """Add a row. `cells` has one entry per visible cell (after merging); each entry is a list of
    pieces for one paragraph or a single piece. `merge` lists (first, last) column spans."""
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]  # python-docx is unannotated here
    widths = column_widths(table)
    for i, cell in enumerate(row.cells):
        cell.width = Cm(widths[i])
    visible: list[_Cell] = []
    spans = {first: last for first, last in merge}
    col = 0
    while col < len(widths):
        last = spans.get(col, col)
        cell = row.cells[col].merge(row.cells[last]) if last != col else row.cells[col]
        visible.append(cell)
        col = last + 1
    if len(visible) != len(cells):
        raise ValueError(f"row has {len(visible)} cells, got {len(cells)} contents")
    for index, (cell, content) in enumerate(zip(visible, cells, strict=True)):
        pieces = (
            [content]
            if isinstance(content, (str, Prompt, Bold, Small, _Break, Bookmark))
            else content
        )
        p = cell.paragraphs[0]
        p.style = "Tabeltekst"
        if header or (label and index == 0):
            pieces = [Bold(x) if isinstance(x, str) and "{" not in x else x for x in pieces]
        add_pieces(p, pieces)
        if keep_next:
            p.paragraph_format.keep_with_next = True
        if header or fill:
            _shade(cell, fill or HEAD_FILL)
        elif label and index == 0:
            _shade(cell, LABEL_FILL)
    trpr = row._tr.get_or_add_trPr()
    if cant_split:
        trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))
    if height is not None:
        row.height = Cm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return row


def tag_row(table: Table, jinja: str) -> None:
    """A row holding only a {%tr ... %} tag; docxtpl removes the row."""
    n = len(column_widths(table))
    add_row(table, [jinja], merge=[(0, n - 1)] if n > 1 else ())


def keep_together(table: Table) -> None:
    """Keep a short table on one page (and with the paragraph before it, if that keeps next)."""
    for tr in table._tbl.tr_lst[:-1]:
        for p in tr.iter(qn("w:p")):
            Paragraph(p, table).paragraph_format.keep_with_next = True


def label_rows(table: Table, rows: Sequence[tuple[str, Sequence[Piece] | Piece]]) -> None:
    for label, value in rows:
        add_row(table, [label, value], label=True)


def spacer(doc: DocumentObject, points: float = 4) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.line_spacing = Pt(points)


# ---------------------------------------------------------------------------------------------
# Shared blocks

ROEPNAAM = "{{ leerling.roepnaam }}"
LB = value_or_prompt("leerlingbegeleider", "[naam leerlingbegeleider]")
SCHOOLADVIES = value_or_prompt("leerling.schooladvies", "[schooladvies]")
TUTOR = value_or_prompt("leerling.tutor", "[naam tutor]")
TEAMLEIDER = value_or_prompt("teamleider", "[naam teamleider]")


def level(key: str) -> list[Piece]:
    return value_or_prompt(f"leerling.toets_{key}", "[niveau]")


def personalia(doc: DocumentObject, *, light: bool) -> None:
    heading(doc, "Personalia")
    t = make_table(doc, [3.6, 4.9, 3.6, 4.9])
    add_row(
        t,
        [
            Bold("Leerling"),
            "{{ leerling.naam }}",
            Bold("Leerlingnummer"),
            "{{ leerling.leerlingnummer }}",
        ],
    )
    add_row(
        t,
        [
            Bold("Geboortedatum"),
            [
                "{% if leerling.geboortedatum %}",
                "{{ leerling.geboortedatum }} ({{ leerling.leeftijd }} jaar)",
                "{% else %}",
                Prompt("[geboortedatum]"),
                "{% endif %}",
            ],
            Bold("Klas"),
            value_or_prompt("leerling.klas", "[klas]"),
        ],
    )
    add_row(t, [Bold("Tutor"), TUTOR, Bold("Leerlingbegeleider"), LB])
    add_row(
        t,
        [
            Bold("Basisschool"),
            value_or_prompt("leerling.basisschool", "[basisschool]"),
            Bold("Schooladvies"),
            SCHOOLADVIES,
        ],
    )
    if light:
        add_row(
            t,
            [
                Bold("Doorstroomtoets"),
                [
                    "lezen ",
                    *level("lezen"),
                    "  ·  taalverzorging ",
                    *level("taalverzorging"),
                    "  ·  rekenen ",
                    *level("rekenen"),
                ],
            ],
            merge=[(1, 3)],
        )
        add_row(
            t,
            [
                Bold("LWOO / PrO"),
                "{{ leerling.lwoo }} / {{ leerling.pro }}",
                Bold("Dyslexie / dyscalculie"),
                "{{ leerling.dyslexie }} / {{ leerling.dyscalculie }}",
            ],
        )
    else:
        add_row(
            t,
            [
                Bold("Toets lezen"),
                level("lezen"),
                Bold("Toets taalverzorging"),
                level("taalverzorging"),
            ],
        )
        add_row(
            t,
            [
                Bold("Toets rekenen"),
                level("rekenen"),
                Bold("OPP basisschool"),
                "{{ leerling.opp_po }}",
            ],
        )
        add_row(t, [Bold("LWOO"), "{{ leerling.lwoo }}", Bold("PrO"), "{{ leerling.pro }}"])
        add_row(
            t,
            [
                Bold("Dyslexie"),
                "{{ leerling.dyslexie }}",
                Bold("Dyscalculie"),
                "{{ leerling.dyscalculie }}",
            ],
        )
    tag_row(t, "{%tr for ouder in ouders %}")
    add_row(
        t,
        [
            Bold("Ouder/verzorger"),
            "{{ ouder.naam }}",
            Bold("E-mail / telefoon"),
            [
                "{{ ouder.email }}",
                "{% if ouder.email and ouder.telefoon %}",
                BR,
                "{% endif %}",
                "{{ ouder.telefoon }}",
            ],
        ],
    )
    tag_row(t, "{%tr else %}")
    add_row(
        t,
        [
            Bold("Ouder/verzorger"),
            Prompt("[naam]"),
            Bold("E-mail / telefoon"),
            Prompt("[e-mail, telefoon]"),
        ],
    )
    tag_row(t, "{%tr endfor %}")
    _shade_label_columns(t, (0, 2))


def _shade_label_columns(table: Table, columns: Sequence[int]) -> None:
    for tr in table._tbl.tr_lst:
        tcs = tr.tc_lst
        col = 0
        for tc in tcs:
            span = tc.grid_span
            if col in columns and span == 1 and "{%tr" not in "".join(tc.itertext()):
                _shade(_Cell(tc, table), LABEL_FILL)
            col += span


BASISSCHOOL_ROWS = [
    (
        "Ondersteuningsbehoefte",
        "ondersteuningsbehoefte",
        "[Welke ondersteuningsbehoefte beschrijft de basisschool?]",
    ),
    (
        "Sociaal-emotionele ontwikkeling",
        "sociaal_emotioneel",
        "[Wat meldt de basisschool over de sociaal-emotionele ontwikkeling?]",
    ),
    ("Werkhouding", "werkhouding", "[Wat meldt de basisschool over de werkhouding?]"),
    (
        "Thuissituatie",
        "thuissituatie",
        "[Wat is relevant uit de thuissituatie? Schrijf ‘geen bijzonderheden’ als er niets is.]",
    ),
    (
        "Externe hulpverlening",
        "hulpverlening",
        "[Welke externe hulpverlening is of was betrokken? Schrijf ‘geen’ als er geen is.]",
    ),
]


def basisschool(doc: DocumentObject, *, light: bool) -> None:
    heading(doc, "Informatie van de basisschool")
    para(
        doc,
        Small("Uit het onderwijskundig rapport (OKR)"),
        "{% if leerling.basisschool %}",
        Small(" van {{ leerling.basisschool }}"),
        "{% endif %}",
        Small(" en de intake."),
        after=3,
    )
    t = make_table(doc, [4.4, 12.6])
    if not light:
        add_row(
            t,
            [
                "Schoolloopbaan",
                Prompt("[Schoolloopbaan: doublures, schoolwisselingen en eerdere ondersteuning.]"),
            ],
            label=True,
            cant_split=False,
        )
    for label, key, prompt in BASISSCHOOL_ROWS:
        add_row(
            t, [label, value_or_prompt(f"leerling.{key}", prompt)], label=True, cant_split=False
        )


AREAS = [
    (
        "Cognitief",
        "[Wat helpt bij het leren? Bijv. sterke vakken, leerstrategieën, toetsresultaten.]",
        "[Wat maakt het leren moeilijker? Bijv. zwakke vakken, tempo, geheugen.]",
    ),
    (
        "Sociaal-emotioneel",
        "[Bijv. contact met klasgenoten, zelfvertrouwen, veerkracht.]",
        "[Bijv. faalangst, spanning, conflicten, teruggetrokken gedrag.]",
    ),
    (
        "Werkhouding",
        "[Bijv. motivatie, inzet, zelfstandigheid.]",
        "[Bijv. concentratie, planning, huiswerk, doorzetten.]",
    ),
    (
        "Thuissituatie",
        "[Bijv. betrokkenheid en steun van ouders.]",
        "[Bijv. omstandigheden thuis die het leren beïnvloeden.]",
    ),
]


def factoren(doc: DocumentObject) -> None:
    heading(doc, "Bevorderende en belemmerende factoren")
    t = make_table(doc, [3.4, 6.8, 6.8])
    add_row(
        t,
        [[Bookmark(Mark.FACTOREN), "Gebied"], "Bevorderende factoren", "Belemmerende factoren"],
        header=True,
    )
    keys = {label: key for key, label in FACTOR_AREAS.items()}
    for area, plus, minus in AREAS:
        key = f"vorig.factoren.{keys[area]}"
        add_row(
            t,
            [
                Bold(area),
                value_or_prompt(f"{key}_bevorderend", plus),
                value_or_prompt(f"{key}_belemmerend", minus),
            ],
            cant_split=False,
        )
    add_row(
        t,
        [
            [Bold("Algemeen"), BR, Small("(van de basisschool)")],
            value_or_prompt(
                "leerling.bevorderende_factoren", "[Bevorderende factoren volgens de basisschool]"
            ),
            value_or_prompt(
                "leerling.belemmerende_factoren", "[Belemmerende factoren volgens de basisschool]"
            ),
        ],
        cant_split=False,
    )
    _shade_label_columns(t, (0,))
    keep_together(t)


PERSPECTIEF_PROMPT = (
    "[Beschrijf het uitstroomperspectief: welk niveau en welke "
    "uitstroombestemming is haalbaar? Bijv. diploma vmbo-kb, daarna mbo niveau 3.]"
)
ONDERBOUWING_PROMPT = (
    "[Onderbouw het perspectief met het schooladvies, de toetsresultaten en de "
    "bevorderende en belemmerende factoren hieronder.]"
)


def uitstroom(doc: DocumentObject) -> None:
    heading(doc, "Uitstroomperspectief en onderbouwing")
    tag(doc, "{%p if vorig.schooljaar %}")
    para(
        doc,
        Small(
            "Overgenomen uit het plan van {{ vorig.schooljaar }} en de eindevaluatie; "
            "pas aan wat niet meer klopt."
        ),
        after=3,
    )
    tag(doc, "{%p endif %}")
    t = make_table(doc, [4.4, 12.6])
    label_rows(
        t,
        [
            ("Schooladvies basisschool", SCHOOLADVIES),
            (
                [Bookmark(Mark.UITSTROOMPERSPECTIEF), "Uitstroomperspectief"],
                value_or_prompt("vorig.perspectief", PERSPECTIEF_PROMPT),
            ),
            (
                [Bookmark(Mark.ONDERBOUWING), "Onderbouwing"],
                value_or_prompt("vorig.onderbouwing", ONDERBOUWING_PROMPT),
            ),
        ],
    )
    keep_together(t)


def ondersteuning(doc: DocumentObject, *, light: bool) -> None:
    if not light:
        heading(doc, "Onderwijsbehoeften")
        para(
            doc,
            Prompt(
                f"[Wat heeft {ROEPNAAM} nodig om tot leren te komen? Bijvoorbeeld: "
                f"‘{ROEPNAAM} heeft instructie nodig die …’, ‘… heeft een docent nodig "
                "die …’, ‘… heeft opdrachten nodig die …’.]"
            ),
        )
    heading(doc, "Ondersteuning en begeleiding")
    tag(doc, "{%p if leerling.ondersteuningsniveau or leerling.rt_momenten %}")
    para(
        doc,
        Small("Volgens de intake:"),
        "{% if leerling.ondersteuningsniveau %}",
        Small(" ondersteuningsniveau {{ leerling.ondersteuningsniveau }}"),
        "{% endif %}",
        "{% if leerling.ondersteuningsniveau and leerling.rt_momenten %}",
        Small(";"),
        "{% endif %}",
        "{% if leerling.rt_momenten %}",
        Small(" verwacht aantal RT-momenten per jaar: {{ leerling.rt_momenten }}"),
        "{% endif %}",
        Small("."),
        after=3,
    )
    tag(doc, "{%p endif %}")
    what = (
        "[Beschrijf de ondersteuning en begeleiding: wat, door wie, hoe vaak en waar. "
        "Bijv. wekelijks gesprek met de leerlingbegeleider, RT, huiswerkbegeleiding, "
        "inzet van externe hulp.]"
    )
    if light:
        what = (
            "[Wat heeft " + ROEPNAAM + " nodig om tot leren te komen, en welke ondersteuning "
            "en begeleiding krijgt " + ROEPNAAM + ": wat, door wie, hoe vaak?]"
        )
    para(doc, Prompt(what))
    tag(doc, '{%p if leerling.dyslexie == "ja" %}')
    para(
        doc,
        Bold("Faciliteiten dyslexie: "),
        Prompt("[Bijv. extra tijd bij toetsen, vergroot lettertype, voorleessoftware.]"),
    )
    tag(doc, "{%p endif %}")
    tag(doc, '{%p if leerling.dyscalculie == "ja" %}')
    para(
        doc,
        Bold("Faciliteiten dyscalculie: "),
        Prompt("[Bijv. extra tijd, rekenkaart, gebruik van een rekenmachine.]"),
    )
    tag(doc, "{%p endif %}")
    heading(doc, "Handelingsadviezen voor docenten")
    para(
        doc,
        Prompt(
            f"[Wat werkt in de les voor {ROEPNAAM}? Schrijf korte, concrete adviezen; "
            "tutor en leerlingbegeleider delen ze met de (gast)docenten.]"
        ),
    )
    heading(doc, "Afwijkingen van het reguliere programma")
    para(
        doc,
        Prompt(
            "[Beschrijf de afwijkingen van het reguliere onderwijsprogramma, zoals "
            "vrijstellingen, een aangepast rooster of andere toetsvormen. Is er geen "
            "afwijking, schrijf dan ‘Geen afwijkingen van het reguliere programma.’]"
        ),
    )


GOAL_PROMPTS = [
    Prompt("[gebied]"),
    Prompt("[Concreet en meetbaar doel]"),
    Prompt("[Wat doen school, leerling en ouders?]"),
    Prompt("[wie]"),
    Prompt("[datum]"),
]


def terugblik(doc: DocumentObject) -> None:
    """Next year's plan: what the final evaluation said of each of last year's goals."""
    tag(doc, "{%p if vorig.doelen %}")
    heading(doc, "Terugblik op de doelen van {{ vorig.schooljaar }}")
    para(
        doc,
        Small("Uit de eindevaluatie van {{ vorig.schooljaar }}."),
        after=3,
        keep_next=True,
    )
    t = make_table(doc, [6.0, 11.0])
    add_row(t, ["Doel", "Wat de eindevaluatie erover zei"], header=True)
    tag_row(t, "{%tr for doel in vorig.doelen %}")
    add_row(
        t,
        [
            "{{ doel.doel }}",
            [
                "{% if doel.evaluatie %}",
                "{{ doel.evaluatie }}",
                "{% else %}",
                Small("(niets over geschreven)"),
                "{% endif %}",
            ],
        ],
        cant_split=False,
    )
    tag_row(t, "{%tr endfor %}")
    tag(doc, "{%p endif %}")


def handelingsdeel(doc: DocumentObject, goals: int) -> None:
    terugblik(doc)
    heading(doc, "Handelingsdeel")
    para(
        doc,
        "In het handelingsdeel staan de doelen voor dit schooljaar en de afspraken om ze "
        "te bereiken. Het handelingsdeel wordt uitgevoerd met instemming van de "
        "ouder(s)/verzorger(s)",
        "{% if instemming_leerling %}",
        f" en van {ROEPNAAM} zelf (16 jaar of ouder)",
        "{% endif %}",
        ".",
        keep_next=True,
    )
    t = make_table(doc, [2.7, 4.6, 4.6, 2.6, 2.5])
    add_row(
        t, [[Bookmark(Mark.DOELEN), "Gebied"], "Doel", "Aanpak", "Wie", "Tot wanneer"], header=True
    )
    # Last year's goals, to keep, change or delete; and room for one more.
    tag_row(t, "{%tr for doel in vorig.doelen %}")
    add_row(
        t,
        [
            "{{ doel.gebied }}",
            "{{ doel.doel }}",
            "{{ doel.aanpak }}",
            "{{ doel.wie }}",
            Prompt("[datum]"),
        ],
        height=1.6,
        cant_split=False,
    )
    tag_row(t, "{%tr endfor %}")
    tag_row(t, "{%tr if vorig.doelen %}")
    add_row(t, GOAL_PROMPTS, height=1.6, cant_split=False)
    tag_row(t, "{%tr else %}")
    for _ in range(goals):
        add_row(t, GOAL_PROMPTS, height=1.6, cant_split=False)
    tag_row(t, "{%tr endif %}")
    keep_together(t)


def evaluatie(doc: DocumentObject) -> None:
    heading(doc, "Evaluatiemomenten")
    para(
        doc,
        "Het plan wordt geëvalueerd met de ouder(s)/verzorger(s), ",
        ROEPNAAM,
        ", de tutor en de leerlingbegeleider. Bij de eindevaluatie wordt besloten of het ",
        "{{ route.naam }}",
        " in het volgende schooljaar wordt voortgezet.",
        keep_next=True,
    )
    t = make_table(doc, [4.4, 12.6])
    # A plan made during the year: its deadlines count from the signal.
    tag_row(t, "{%tr if leerling.signaaldatum %}")
    add_row(t, ["Signaal", "{{ leerling.signaaldatum }}"], label=True)
    tag_row(t, "{%tr endif %}")
    label_rows(
        t,
        [
            ("Vaststelling plan", "uiterlijk {{ deadlines.opp }}"),
            ("Ondertekening", "uiterlijk {{ deadlines.ondertekening }}"),
            ("Tussenevaluatie", "uiterlijk {{ deadlines.tussenevaluatie }}"),
            ("Eindevaluatie", "uiterlijk {{ deadlines.eindevaluatie }}"),
        ],
    )
    keep_together(t)


def stem_van_de_leerling(doc: DocumentObject, when: str) -> None:
    """The student's right to be heard (Wet versterking positie ouders en leerlingen in het
    passend onderwijs, 36443): their view, and how the school weighed it."""
    heading(doc, "Visie van de leerling")
    para(
        doc,
        Prompt(
            f"[Wat vindt {ROEPNAAM} zelf{when}? Wat gaat goed, wat is moeilijk, wat wil "
            f"{ROEPNAAM} bereiken en wat helpt daarbij? Noteer het zo veel mogelijk in "
            "de eigen woorden van de leerling.]"
        ),
    )
    para(doc, Bold("Hoe de mening van de leerling is meegewogen"), after=2, keep_next=True)
    para(
        doc,
        Prompt(
            f"[Hoe is de mening van {ROEPNAAM} meegewogen in de besluiten? Wat is "
            "overgenomen, en waarom is iets niet overgenomen?]"
        ),
    )


def visie(doc: DocumentObject, *, light: bool) -> None:
    stem_van_de_leerling(doc, "")
    if not light:
        heading(doc, "Visie van de ouder(s)/verzorger(s)")
        para(
            doc,
            Prompt(
                "[Hoe kijken de ouder(s)/verzorger(s) naar het plan? Noteer ook waar "
                "zij het (nog) niet mee eens zijn.]"
            ),
        )


def betrokkenen(doc: DocumentObject) -> None:
    heading(doc, "Betrokkenen")
    t = make_table(doc, [4.4, 12.6])
    add_row(t, ["Leerling", "{{ leerling.naam }}"], label=True)
    tag_row(t, "{%tr for ouder in ouders %}")
    add_row(t, ["Ouder/verzorger", "{{ ouder.naam }}"], label=True)
    tag_row(t, "{%tr else %}")
    add_row(t, ["Ouder/verzorger", Prompt("[naam]")], label=True)
    tag_row(t, "{%tr endfor %}")
    add_row(t, ["Tutor", TUTOR], label=True)
    add_row(t, ["Leerlingbegeleider", [*LB, Small("  (opsteller van het plan)")]], label=True)
    add_row(t, ["Teamleider B&O", TEAMLEIDER], label=True)
    keep_together(t)
    spacer(doc, 6)
    para(
        doc,
        "Het plan is besproken op ",
        Prompt("[datum]"),
        " en vastgesteld op ",
        Prompt("[datum]"),
        ". De handtekeningen staan op het ondertekeningsblad.",
    )


# ---------------------------------------------------------------------------------------------
# The documents


def make_opp(light: bool) -> DocumentObject:
    name = "OPP light" if light else "Ontwikkelingsperspectiefplan (OPP)"
    doc = new_document(f"{name} – {{{{ leerling.naam }}}}")
    title_block(doc, [name])
    personalia(doc, light=light)
    basisschool(doc, light=light)
    uitstroom(doc)
    factoren(doc)
    ondersteuning(doc, light=light)
    handelingsdeel(doc, goals=2 if light else 3)
    evaluatie(doc)
    visie(doc, light=light)
    betrokkenen(doc)
    return doc


# The address block sits where a window envelope shows it. Standard followed: DIN 5008 form B
# (the address field of A4 business letters, 20 mm from the left edge, 45 mm from the top,
# 85 x 45 mm: return line above an imaginary line at 62.7 mm, the address below it, down to
# 90 mm), which is where the window of the C5/6 (DL, 220 x 110 mm) window envelope sold in the
# Netherlands falls once the A4 is folded in three (window 90 x 45 mm, 20 mm from the left,
# 15 mm from the bottom: 50-95 mm of the sheet's top third). The text keeps to 20-105 mm
# across and 55-90 mm down, inside both, with room for the sheet to shift in the envelope.
# The frame is placed on the page itself, so a taller header (a logo) does not move it. It
# starts where the body does and its text only at 55 mm: the letter's own text cannot fit
# above it and so always starts below the window.
ADDRESS_LEFT_MM = 20.0
ADDRESS_TOP_MM = 55.0
ADDRESS_WIDTH_MM = 85.0
ADDRESS_BOTTOM_MM = 90.0
FRAME_TOP_MM = 27.0  # the top margin (setup_page)
_TWIPS_PER_MM = 1440 / 25.4


def _twips(mm: float) -> str:
    return str(round(mm * _TWIPS_PER_MM))


def in_address_frame(paragraph: Paragraph) -> None:
    """Put `paragraph` in the window frame; consecutive paragraphs with the same frame
    properties form one frame (ECMA-376 part 1, 17.3.1.11)."""
    frame = OxmlElement("w:framePr")
    for name, value in (
        ("w:w", _twips(ADDRESS_WIDTH_MM)),
        ("w:h", _twips(ADDRESS_BOTTOM_MM - FRAME_TOP_MM)),
        ("w:hRule", "exact"),
        # No text beside the frame: the letter's text goes on below the address.
        ("w:wrap", "notBeside"),
        ("w:vAnchor", "page"),
        ("w:hAnchor", "page"),
        ("w:x", _twips(ADDRESS_LEFT_MM)),
        ("w:y", _twips(FRAME_TOP_MM)),
    ):
        frame.set(qn(name), value)
    ppr = paragraph._p.get_or_add_pPr()
    # framePr follows pStyle, keepNext, keepLines and pageBreakBefore in the schema.
    before = {qn(t) for t in ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore")}
    index = next((i for i, child in enumerate(ppr) if child.tag not in before), len(ppr))
    ppr.insert(index, frame)


def address_block(doc: DocumentObject) -> None:
    """The window: the school's return line, small; then to whom and where, as PostNL asks
    (no empty lines, no bold, a plain sans-serif font)."""
    # The body starts outside the frame: where a document begins, in a file of several
    # documents converted together (pdf/join.py), must be a place the PDF can point to.
    tiny_paragraph(doc)
    top = para(doc, after=0)
    top.paragraph_format.line_spacing = Cm((ADDRESS_TOP_MM - FRAME_TOP_MM) / 10)
    top.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    # The school's return line: its filled parts, one comma between each two.
    line = para(
        doc,
        '{{ [school.naam, school.adres, school.postcode_plaats]|select|join(", ") }}',
        after=11,
    )
    for run in line.runs:
        run.font.size = Pt(7)
        run.font.color.rgb = GREY
    lines: list[Paragraph] = [top, line]
    # To whom: each parent at this address by name, or the generic line.
    tag(doc, "{%p for naam in brief.aan %}")
    lines.append(para(doc, "{{ naam }}", after=0))
    tag(doc, "{%p else %}")
    lines.append(para(doc, "Aan de ouder(s)/verzorger(s) van {{ leerling.naam }}", after=0))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for regel in brief.adres %}")
    lines.append(para(doc, "{{ regel }}", after=0))
    tag(doc, "{%p else %}")
    lines.append(
        para(doc, Prompt("[straat en huisnummer]"), BR, Prompt("[postcode  WOONPLAATS]"), after=0)
    )
    tag(doc, "{%p endfor %}")
    for paragraph in lines[1:]:
        paragraph.paragraph_format.line_spacing = 1.0
    for paragraph in lines:
        in_address_frame(paragraph)
    # The frame's anchor: LibreOffice drops a frame that a table follows.
    tiny_paragraph(doc)


def tiny_paragraph(doc: DocumentObject) -> None:
    paragraph = para(doc, after=0)
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def make_informatiebrief() -> DocumentObject:
    doc = new_document("Informatiebrief {{ route.naam }} – {{ leerling.naam }}")
    address_block(doc)
    t = make_table(doc, [2.4, 14.6], borders=False)
    add_row(t, [Small("Datum"), "{{ vandaag }}"])
    add_row(
        t,
        [
            Small("Betreft"),
            [
                Bold("{{ route.naam }} voor {{ leerling.naam }}"),
                "{% if leerling.klas %}",
                ", klas {{ leerling.klas }}",
                "{% endif %}",
                ", schooljaar {{ schooljaar }}",
            ],
        ],
    )
    spacer(doc, 18)
    para(
        doc,
        "Beste ",
        "{% for naam in brief.aan %}",
        "{{ naam }}",
        "{% if not loop.last %}",
        " en ",
        "{% endif %}",
        "{% else %}",
        "ouder(s)/verzorger(s)",
        "{% endfor %}",
        ",",
    )
    para(
        doc,
        "Graag informeren wij u over de begeleiding van ",
        ROEPNAAM,
        "{% if school.naam %}",
        " op {{ school.naam }}",
        "{% endif %}",
        ". Alle leerlingen krijgen bij ons basisondersteuning: begeleiding "
        "door de tutor en, waar nodig, kortdurende extra hulp. Wij zien dat ",
        ROEPNAAM,
        " meer ondersteuning nodig heeft dan deze basisondersteuning. Daarom willen wij voor ",
        ROEPNAAM,
        " ",
        '{% if route.code == "opp-light" %}',
        "een OPP light opstellen: een beknopt ontwikkelingsperspectiefplan.",
        "{% else %}",
        "een ontwikkelingsperspectiefplan (OPP) opstellen.",
        "{% endif %}",
    )
    para(
        doc,
        "In het plan beschrijven wij welk onderwijsniveau wij voor ",
        ROEPNAAM,
        " haalbaar vinden (het uitstroomperspectief), wat ",
        ROEPNAAM,
        " helpt en wat het leren moeilijker maakt, en welke ondersteuning en begeleiding ",
        ROEPNAAM,
        " op school krijgt. Het plan geldt voor het schooljaar ",
        "{{ schooljaar }}",
        " en wordt halverwege en aan het einde van het schooljaar samen met u en ",
        ROEPNAAM,
        " geëvalueerd.",
    )
    para(doc, Bold("Wie zijn betrokken?"), after=2, keep_next=True)
    t = make_table(doc, [4.0, 13.0], borders=False)
    add_row(t, [[*LB], ["leerlingbegeleider; stelt het plan op en is uw aanspreekpunt"]])
    add_row(t, [[*TUTOR], [f"tutor van {ROEPNAAM}; denkt mee en houdt contact met de docenten"]])
    spacer(doc, 8)
    para(
        doc,
        "Wij vinden het belangrijk dat u en ",
        ROEPNAAM,
        " meedenken. Voordat het plan wordt vastgesteld, nodigen wij u en ",
        ROEPNAAM,
        " uit voor een gesprek om het plan "
        "samen te bespreken. Wij streven naar afspraken waar iedereen achter staat. Het plan "
        "wordt uiterlijk ",
        "{{ deadlines.opp }}",
        " vastgesteld. Voor het deel met de "
        "concrete afspraken (het handelingsdeel) vragen wij uw instemming",
        "{% if instemming_leerling %}",
        ", en omdat ",
        ROEPNAAM,
        " 16 jaar of ouder is, ook die van ",
        ROEPNAAM,
        " zelf",
        "{% endif %}",
        ".",
    )
    para(
        doc,
        "Het plan wordt vertrouwelijk bewaard in het leerlingdossier. Alleen medewerkers die ",
        ROEPNAAM,
        " begeleiden of lesgeven kunnen het inzien, zodat zij ",
        ROEPNAAM,
        " goed kunnen ondersteunen.",
    )
    para(
        doc,
        "Heeft u vragen, of wilt u alvast iets met ons delen? Neem dan gerust contact op met ",
        *LB,
        # Phone and e-mail are optional settings: "via A of B", "via A", "via B" or nothing.
        "{% if school.telefoon or school.email %}",
        " via ",
        "{{ school.telefoon }}",
        "{% if school.telefoon and school.email %}",
        " of ",
        "{% endif %}",
        "{{ school.email }}",
        "{% endif %}",
        ".",
    )
    para(doc, "Met vriendelijke groet,", before=6, after=30, keep_next=True)
    para(doc, *LB, after=0, keep_next=True)
    para(doc, "leerlingbegeleider", after=0, keep_next=True)
    para(doc, "{{ school.naam }}", after=0)
    return doc


def signature_block(
    doc: DocumentObject, who: str, role: Sequence[Piece], name: Sequence[Piece]
) -> None:
    t = make_table(doc, [3.0, 5.9, 3.0, 5.1])
    add_row(t, [[Bold(who), "  –  ", *role]], merge=[(0, 3)], fill=HEAD_FILL)
    # Sized so that two parents, the student, tutor and counsellor fit on one page.
    add_row(t, [Bold("Naam"), list(name), Bold("Datum"), ""], height=0.7)
    add_row(t, [Bold("Plaats"), "", Bold("Handtekening"), ""], height=1.35)
    # Underscores, not a tab leader: LibreOffice draws no leader for a trailing tab in a cell.
    add_row(
        t,
        [[f"{CHECKBOX} akkoord     {CHECKBOX} niet akkoord, omdat: ", "_" * 55]],
        merge=[(0, 3)],
        height=0.7,
    )
    _shade_label_columns(t, (0, 2))
    keep_together(t)
    spacer(doc, 7)


def make_ondertekeningsblad() -> DocumentObject:
    doc = new_document("Ondertekeningsblad {{ route.naam }} – {{ leerling.naam }}")
    title_block(doc, ["Ondertekeningsblad ", "{{ route.naam }}"])
    para(
        doc,
        "Het ontwikkelingsperspectiefplan (",
        "{{ route.naam }}",
        ") van ",
        "{{ leerling.naam }}",
        " voor het schooljaar ",
        "{{ schooljaar }}",
        " is opgesteld door de school en besproken met de ouder(s)/verzorger(s) en ",
        ROEPNAAM,
        ", met als doel overeenstemming te bereiken.",
    )
    para(
        doc,
        "Met hun handtekening verklaren de ondergetekenden dat zij het plan hebben "
        "besproken. De ouder(s)/verzorger(s) ",
        "{% if instemming_leerling %}",
        "en ",
        ROEPNAAM,
        " ",
        "{% endif %}",
        "geven met hun handtekening instemming met het handelingsdeel",
        "{% if instemming_leerling %}",
        f"; {ROEPNAAM} is op de datum van het plan 16 jaar of ouder en stemt daarom zelf in",
        "{% else %}",
        f"; {ROEPNAAM} tekent voor ‘gezien en besproken’",
        "{% endif %}",
        ". Wie niet akkoord gaat, geeft aan waarom.",
        after=12,
    )
    tag(doc, "{%p for ouder in ouders %}")
    signature_block(
        doc, "Ouder/verzorger", ["instemming met het handelingsdeel"], ["{{ ouder.naam }}"]
    )
    tag(doc, "{%p else %}")
    # No parent in the intake: room for two, filled in by hand.
    for _ in range(2):
        signature_block(doc, "Ouder/verzorger", ["instemming met het handelingsdeel"], [""])
    tag(doc, "{%p endfor %}")
    signature_block(
        doc,
        "Leerling",
        [
            "{% if instemming_leerling %}",
            "instemming met het handelingsdeel",
            "{% else %}",
            "gezien en besproken",
            "{% endif %}",
        ],
        ["{{ leerling.naam }}"],
    )
    signature_block(doc, "Tutor", ["namens de school"], ["{{ leerling.tutor }}"])
    signature_block(
        doc,
        "Leerlingbegeleider",
        ["namens de school, opsteller van het plan"],
        LB,
    )
    # Shrink the last spacer: a full-height one could spill onto an empty page.
    last = doc.paragraphs[-1]
    last.paragraph_format.line_spacing = Pt(1)
    return doc


def make_evaluatie(eind: bool) -> DocumentObject:
    kind = "Eindevaluatie" if eind else "Tussenevaluatie"
    deadline = "deadlines.eindevaluatie" if eind else "deadlines.tussenevaluatie"
    doc = new_document(f"{kind} {{{{ route.naam }}}} – {{{{ leerling.naam }}}}")
    title_block(doc, [f"{kind} ", "{{ route.naam }}"])
    t = make_table(doc, [4.4, 12.6])
    label_rows(
        t,
        [
            (
                # The planned date in the label cell: the value cell holds only the date of
                # the meeting, which opp-docs reads back.
                [
                    Bookmark(Mark.DATUM_GESPREK),
                    "Datum gesprek",
                    BR,
                    Small(f"gepland uiterlijk {{{{ {deadline} }}}}"),
                ],
                Prompt("[datum]"),
            ),
            (
                "Aanwezig",
                Prompt(
                    "[Namen en rol van de aanwezigen, bijv. ouder(s)/verzorger(s), "
                    "leerling, tutor, leerlingbegeleider]"
                ),
            ),
            ("Leerlingbegeleider", LB),
            ("Verslag door", Prompt("[naam]")),
        ],
    )
    heading(doc, "Doelen uit het handelingsdeel")
    # The plan's own goals, read back from it; prompts while the plan has none written.
    t = make_table(doc, [5.6, 5.7, 5.7])
    add_row(
        t, [[Bookmark(Mark.EVALUATIE_DOELEN), "Doel"], "Voortgang", "Wat verandert"], header=True
    )
    progress = [
        Prompt("[Wat is bereikt? Wat gaat goed, wat nog niet?]"),
        Prompt("[Wat passen we aan in doel, aanpak of ondersteuning?]"),
    ]
    tag_row(t, "{%tr for doel in plan.doelen %}")
    add_row(
        t,
        [
            [
                "{{ doel.doel }}",
                "{% if doel.wie or doel.tot_wanneer %}",
                BR,
                Small("{{ doel.wie }}"),
                "{% if doel.wie and doel.tot_wanneer %}",
                Small(", "),
                "{% endif %}",
                "{% if doel.tot_wanneer %}",
                Small("tot {{ doel.tot_wanneer }}"),
                "{% endif %}",
                "{% endif %}",
            ],
            *progress,
        ],
        height=1.8,
        cant_split=False,
    )
    tag_row(t, "{%tr else %}")
    for number in (1, 2, 3):
        if number == 3:
            tag_row(t, '{%tr if route.code == "opp" %}')
        add_row(
            t,
            [Prompt(f"[Doel {number} uit het handelingsdeel]"), *progress],
            height=1.8,
            cant_split=False,
        )
        if number == 3:
            tag_row(t, "{%tr endif %}")
    tag_row(t, "{%tr endfor %}")
    keep_together(t)
    heading(doc, "Uitstroomperspectief")
    tag(doc, "{%p if plan.perspectief %}")
    para(doc, Small("In het plan: "), "{{ plan.perspectief }}", after=3)
    tag(doc, "{%p endif %}")
    para(
        doc,
        Prompt(
            "[Is het uitstroomperspectief nog passend? Licht toe en pas zo nodig het plan aan.]"
        ),
    )
    stem_van_de_leerling(doc, " van de afgelopen periode")
    heading(doc, "Visie van de ouder(s)/verzorger(s)")
    para(doc, Prompt("[Hoe kijken de ouder(s)/verzorger(s) naar de afgelopen periode?]"))
    if eind:
        heading(doc, "Besluit")
        para(
            doc,
            Bookmark(Mark.BESLUIT),
            "Het ",
            "{{ route.naam }}",
            f" wordt in het volgende schooljaar   {CHECKBOX} voortgezet   {CHECKBOX} beëindigd,"
            " omdat: ",
            Prompt("[licht het besluit toe]"),
        )
        para(
            doc,
            Small(
                f"Kruis één vakje aan (vervang {CHECKBOX} door ☒); opp-docs leest het besluit "
                "terug. Bij voortzetting maakt opp-docs het plan voor het nieuwe schooljaar, met "
                "deze doelen. Bij beëindiging meldt de teamleider B&O de einddatum aan BRON."
            ),
        )
    else:
        heading(doc, "Afspraken")
        para(doc, Prompt("[Vervolgafspraken: wie doet wat, en wanneer?]"))
        para(doc, "De eindevaluatie volgt uiterlijk ", "{{ deadlines.eindevaluatie }}", ".")
    return doc


def make_voorblad() -> DocumentObject:
    # No page number on the cover: its own "pagina 1 van 1" said nothing, and "1 van 23" would
    # clash with the documents after it, which keep their own numbers ("pagina 1 van 3") as
    # they were signed and sent. The contents list gives each part's page in the dossier.
    doc = new_document("Dossier {{ route.naam }} – {{ leerling.naam }}", page_numbers=False)
    para(doc, "{{ school.naam }}", before=60, after=4, style="Ondertitel")
    para(doc, "Dossier", style="Title")
    p = para(doc, "{{ leerling.naam }}", after=24)
    p.runs[0].font.size = Pt(24)
    p.runs[0].font.color.rgb = BLUE
    t = make_table(doc, [4.4, 12.6])
    label_rows(
        t,
        [
            ("Leerlingnummer", "{{ leerling.leerlingnummer }}"),
            ("Schooljaar", "{{ schooljaar }}"),
            ("Route", "{{ route.naam }}"),
            ("Gemaakt op", "{{ vandaag }}"),
        ],
    )
    heading(doc, "Inhoud").paragraph_format.space_before = Pt(30)
    tag(doc, "{%p for deel in inhoud %}")
    p = para(doc, "{{ deel.titel }}", "\t", "{{ deel.pagina }}", after=4)
    p.paragraph_format.tab_stops.add_tab_stop(
        Cm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    tag(doc, "{%p endfor %}")
    para(
        doc,
        Small(
            "Dit dossier bevat vertrouwelijke persoonsgegevens. Alleen medewerkers die "
            "bij de begeleiding van de leerling betrokken zijn, mogen het inzien. Het "
            "wordt niet langer bewaard dan de bewaartermijn van de school toestaat."
        ),
        before=36,
    )
    return doc


def main() -> None:
    TEMPLATES.mkdir(exist_ok=True)
    documents = {
        "informatiebrief.docx": make_informatiebrief(),
        "opp.docx": make_opp(light=False),
        "opp-light.docx": make_opp(light=True),
        "ondertekeningsblad.docx": make_ondertekeningsblad(),
        "tussenevaluatie.docx": make_evaluatie(eind=False),
        "eindevaluatie.docx": make_evaluatie(eind=True),
        "voorblad.docx": make_voorblad(),
    }
    for filename, doc in documents.items():
        save_reproducibly(doc, TEMPLATES / filename)
        print(f"geschreven: {TEMPLATES / filename}")


def save_reproducibly(doc: DocumentObject, target: Path) -> None:
    """Save with the zip entries' dates fixed: the same script makes the same bytes."""
    made = io.BytesIO()
    doc.save(made)
    out = io.BytesIO()
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=TEMPLATE_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            copy.writestr(entry, source.read(info))
    target.write_bytes(out.getvalue())


if __name__ == "__main__":
    main()
