"""Prompts that give way: each is a Word content control showing its placeholder. Typed over, it
leaves normal text behind; LibreOffice keeps the placeholders (and shows them in the PDF), and
the count of unfinished prompts stays right whichever program saved the file last."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from opp_docs.documents.ooxml import DOCUMENT
from opp_docs.documents.reading import handling_advice
from opp_docs.documents.render import count_prompts, render_document, template_path
from opp_docs.models import Route
from tests.documents.students import context, leerling
from tests.helpers import REPO, type_over, words_in
from tests.intake_helpers import soffice_convert
from tests.ooxml import assert_valid_docx
from tests.pipeline.staff import save_with_libreoffice

pytestmark = pytest.mark.libreoffice

ADVICE = "[Wat werkt in de les"
TYPED = "Geef Sanne korte instructies en zet de planning op het bord."


def placeholders(path: Path) -> list[str]:
    """The text of each content control that still shows its placeholder."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(DOCUMENT))
    found = []
    for sdt in root.iter(qn("w:sdt")):
        if sdt.find(f"{qn('w:sdtPr')}/{qn('w:showingPlcHdr')}") is not None:
            found.append("".join(t.text or "" for t in sdt.iter(qn("w:t"))))
    return found


def plan(tmp_path: Path) -> Path:
    path = tmp_path / "opp.docx"
    render_document(template_path(REPO / "templates", "opp"), context(leerling(), Route.OPP), path)
    return path


def test_every_prompt_is_a_placeholder(tmp_path: Path) -> None:
    path = plan(tmp_path)
    shown = placeholders(path)
    assert len(shown) == count_prompts(path) > 20
    assert all(text.startswith("[") for text in shown)
    assert_valid_docx(path)


def test_a_prompt_typed_over_gives_way_to_normal_text(tmp_path: Path) -> None:
    path = plan(tmp_path)
    before = count_prompts(path)
    document = docx.Document(str(path))
    type_over(document, ADVICE, TYPED)
    document.save(str(path))
    assert count_prompts(path) == before - 1
    assert not any(text.startswith(ADVICE) for text in placeholders(path))
    # Normal text: no prompt style, so it counts as written.
    assert handling_advice(path) == (TYPED,)
    assert_valid_docx(path)


def test_libreoffice_keeps_the_placeholders_and_the_count(tmp_path: Path) -> None:
    path = plan(tmp_path)
    document = docx.Document(str(path))
    type_over(document, ADVICE, TYPED)
    document.save(str(path))
    before, shown = count_prompts(path), placeholders(path)
    save_with_libreoffice(path, tmp_path)
    assert count_prompts(path) == before
    assert placeholders(path) == shown
    assert handling_advice(path) == (TYPED,)
    # The PDF shows the placeholders as the prompts they are, and the typed text.
    pdf = soffice_convert(path, "pdf", tmp_path / "pdf")
    text = words_in(pdf)
    assert "[Schoolloopbaan: doublures, schoolwisselingen en eerdere ondersteuning.]" in text
    assert TYPED in text
