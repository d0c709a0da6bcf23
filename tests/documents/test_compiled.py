"""The compiled templates give the same Word documents as docxtpl, part by part."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from opp_docs.config import Config
from opp_docs.demo.cohort import DEMO_BEGELEIDER, DEMO_TEAMLEIDER
from opp_docs.documents.compiled import TemplateCache
from opp_docs.documents.render import COVER_TEMPLATE, render_document, template_path
from opp_docs.errors import TemplateError
from opp_docs.models import SchoolYear
from tests.helpers import REPO, example_contexts

TEMPLATES = REPO / "templates"
YEAR = SchoolYear(2026)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONFIG = Config(leerlingbegeleiders=(DEMO_BEGELEIDER,), teamleider=DEMO_TEAMLEIDER)


def docx_parts(data: bytes) -> dict[str, bytes]:
    """Every part of a .docx, XML canonicalised, to compare two renderings by content."""
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            blob = z.read(name)
            if name.endswith((".xml", ".rels")):
                blob = etree.tostring(etree.fromstring(blob), method="c14n")
            parts[name] = blob
    return parts


def test_same_parts_as_docxtpl_for_the_example_cohort(tmp_path: Path) -> None:
    cache = TemplateCache(TEMPLATES)
    cases = example_contexts(tmp_path)
    assert {name for name, _ in cases} >= {"opp", "opp-light", COVER_TEMPLATE}
    for name, context in cases:
        expected = tmp_path / "docxtpl.docx"
        render_document(template_path(TEMPLATES, name), context, expected)
        assert docx_parts(cache.render(name, context)) == docx_parts(expected.read_bytes()), name


def test_same_data_gives_the_same_bytes(tmp_path: Path) -> None:
    name, context = example_contexts(tmp_path)[0]
    first = TemplateCache(TEMPLATES).render(name, context)
    assert first == TemplateCache(TEMPLATES).render(name, context)


def test_digest_is_the_template_files_hash() -> None:
    path = template_path(TEMPLATES, "opp")
    assert TemplateCache(TEMPLATES).digest("opp") == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_field_is_a_template_error(tmp_path: Path) -> None:
    name, context = example_contexts(tmp_path)[0]
    with pytest.raises(TemplateError) as caught:
        TemplateCache(TEMPLATES).render(name, {k: v for k, v in context.items() if k != "school"})
    assert "onbekend veld" in str(caught.value)


def test_a_template_that_reaches_for_python_is_a_template_error(tmp_path: Path) -> None:
    """The compiled renderer gives the sandbox's refusal the same message as docxtpl's path."""
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    name, context = example_contexts(tmp_path)[0]
    document = docx.Document()
    document.add_paragraph("{{ cycler.__init__.__globals__ }}")
    document.save(str(template_path(folder, name)))
    with pytest.raises(TemplateError) as caught:
        TemplateCache(folder).render(name, context)
    assert "niet toegestane Jinja-code" in str(caught.value)


@pytest.mark.parametrize("fixed_row", [True, False])
@pytest.mark.parametrize("columns", [1, 3, 5])
def test_a_table_whose_columns_change_gets_docxtpls_grid(
    tmp_path: Path, columns: int, fixed_row: bool
) -> None:
    """A column loop (or colspan) changes how many cells a row has; the table's grid then
    follows, as docxtpl's fix_tables makes it, whichever way the row changed."""
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    document = docx.Document()
    rows = [("{%tc for k in kolommen %}", "{{ k }}", "{%tc endfor %}"), ("a", "b", "c")]
    if not fixed_row:
        rows = rows[:1]
    table = document.add_table(rows=len(rows), cols=3)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(str(template_path(folder, "opp")))
    context = {"kolommen": [f"kolom {i}" for i in range(columns)]}

    expected = tmp_path / "docxtpl.docx"
    render_document(template_path(folder, "opp"), context, expected)
    made = TemplateCache(folder).render("opp", context)

    assert docx_parts(made) == docx_parts(expected.read_bytes())
    (rendered,) = docx.Document(io.BytesIO(made)).tables
    assert [c.text for c in rendered.rows[0].cells][:columns] == context["kolommen"]
    grid = rendered._tbl.tblGrid.findall(f"{{{W}}}gridCol")
    # Wider when a row grew; narrower when no row fills the grid any more.
    assert len(grid) == (max(columns, 3) if fixed_row else columns)


ODD_TABLES = [
    # A span docxtpl cannot read: it raises, and so must we.
    '<w:tc><w:tcPr><w:gridSpan w:val="2.0"/></w:tcPr><w:p/></w:tc>',
    "<w:tc><w:tcPr><w:gridSpan/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc>",
    # Two spans in one cell: docxtpl counts the first.
    '<w:tc><w:tcPr><w:gridSpan w:val="1"/><w:gridSpan w:val="1"/></w:tcPr><w:p/></w:tc>',
    '<w:tc><w:tcPr/><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc>',
    '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc>',
]


@pytest.mark.parametrize("cells", ODD_TABLES)
def test_table_grids_come_out_as_docxtpl_makes_them(cells: str) -> None:
    """The quick check of a rendered table (`_fix_tables`) gives what docxtpl's own
    fix_tables gives, also for cells docxtpl reads in its own way."""
    from docxtpl import DocxTemplate

    from opp_docs.documents.compiled import _fix_tables

    template = DocxTemplate(str(template_path(TEMPLATES, "opp")))
    grid = '<w:gridCol w:w="100"/>' * 2
    xml = (
        f'<w:body xmlns:w="{W}"><w:tbl><w:tblGrid>{grid}</w:tblGrid>'
        f"<w:tr>{cells}</w:tr></w:tbl></w:body>"
    )
    try:
        expected = etree.tostring(template.fix_tables(xml))
    except (ValueError, TypeError) as e:
        with pytest.raises(type(e)):
            _fix_tables(template, xml)
    else:
        assert etree.tostring(_fix_tables(template, xml)) == expected
