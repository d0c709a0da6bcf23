"""Every template and every document rendered from it opens in Word without a repair; and the
validator of tests/ooxml.py finds what Word would repair."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from opp_docs.documents.compiled import TemplateCache
from tests.documents.students import STUDENT_TEMPLATES, STUDENTS, context, render
from tests.helpers import TEMPLATES, example_contexts, with_document
from tests.ooxml import (
    assert_valid_docx,
    cells_without_final_paragraph,
    docx_errors,
    require_validator,
)


def test_every_template_is_valid() -> None:
    templates = sorted(TEMPLATES.glob("*.docx"))
    assert {t.stem for t in templates} == set(STUDENT_TEMPLATES)
    assert_valid_docx(*templates)


def test_every_rendered_document_is_valid(tmp_path: Path) -> None:
    """Every kind of document: as a run renders it (TemplateCache) for the example cohort,
    covers included, and as docxtpl renders it for the awkward students of test_documents."""
    made = []
    cache = TemplateCache(TEMPLATES)
    # One student per template and route: each file costs the validator some 0.06 s.
    cases = example_contexts(tmp_path)
    kinds = {(name, values["route"]["code"]): values for name, values in cases}
    for i, ((name, _route), values) in enumerate(kinds.items()):
        made.append(tmp_path / f"{i} {name}.docx")
        made[-1].write_bytes(cache.render(name, values))
    for case, (student, route) in STUDENTS.items():
        (tmp_path / case).mkdir()
        for name in STUDENT_TEMPLATES:
            made.append(render(tmp_path / case, name, context(student, route)))
    assert {p.stem.split(" ")[-1] for p in made} == set(STUDENT_TEMPLATES)
    assert_valid_docx(*made)


def word_file(path: Path) -> Path:
    """A small python-docx document with a fixed-layout table."""
    document = docx.Document()
    document.add_paragraph("Verzonnen leerling: Sem Jansen")
    table = document.add_table(rows=1, cols=2)
    table.autofit = False  # writes the table's one w:tblLayout
    table.cell(0, 0).text = "Klas"
    table.cell(0, 1).text = "1A"
    document.save(str(path))
    return path


def test_a_valid_file_passes(tmp_path: Path) -> None:
    assert_valid_docx(word_file(tmp_path / "goed.docx"))


def test_a_second_table_layout_is_found(tmp_path: Path) -> None:
    layout = b'<w:tblLayout w:type="fixed"/>'
    broken = with_document(
        word_file(tmp_path / "goed.docx"),
        tmp_path / "dubbel.docx",
        lambda xml: xml.replace(layout, layout * 2),
    )
    with pytest.raises(AssertionError, match="tblLayout") as raised:
        assert_valid_docx(tmp_path / "goed.docx", broken)
    # Named per file: only the broken one.
    assert "dubbel.docx" in str(raised.value)
    assert "goed.docx:" not in str(raised.value)


def test_properties_out_of_schema_order_are_found(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Vertrouwelijk", style="Footer")
    # pBdr before pStyle, as the teachers' overview once wrote it.
    paragraph._p.get_or_add_pPr().insert(0, OxmlElement("w:pBdr"))
    document.save(str(tmp_path / "volgorde.docx"))
    with pytest.raises(AssertionError, match="pStyle"):
        assert_valid_docx(tmp_path / "volgorde.docx")


def test_a_cell_ending_in_a_table_is_found(tmp_path: Path) -> None:
    """The SDK's schema allows it; Word asks to repair the file."""
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.add_table(rows=1, cols=1)
    # python-docx ends the cell with an empty paragraph after the table, as Word wants: gone.
    cell._tc.remove(cell._tc[-1])
    document.save(str(tmp_path / "cel.docx"))

    (found,) = cells_without_final_paragraph(tmp_path / "cel.docx")
    assert found.startswith("/word/document.xml /w:document/w:body/w:tbl/w:tr/w:tc")
    with pytest.raises(AssertionError, match="does not end in a paragraph"):
        assert_valid_docx(tmp_path / "cel.docx")

    # A paragraph after the inner table, and bookmarks after that, make it right.
    cell._tc.append(OxmlElement("w:p"))
    cell._tc.append(OxmlElement("w:bookmarkEnd"))
    cell._tc[-1].set(qn("w:id"), "0")
    document.save(str(tmp_path / "cel.docx"))
    assert cells_without_final_paragraph(tmp_path / "cel.docx") == []


def test_a_file_the_sdk_cannot_open_is_a_finding(tmp_path: Path) -> None:
    """Not a crash of the validator: the other files are still checked."""
    require_validator()
    good = word_file(tmp_path / "goed.docx")
    empty = tmp_path / "leeg.docx"
    with_document(good, empty, lambda xml: b"")
    found = docx_errors([empty, good])
    assert found[good] == []
    assert found[empty] != []
