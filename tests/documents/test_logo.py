"""The school's logo in the header of every document and cover, and nothing changed without it."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from pypdf import PdfReader

from opp_docs.config import load_config
from opp_docs.documents.check import check_templates
from opp_docs.documents.compiled import TemplateCache
from opp_docs.documents.logo import MAX_HEIGHT, MAX_WIDTH, Logo
from opp_docs.documents.render import COVER_TEMPLATE, render_document, template_path
from opp_docs.pdf.pool import ConverterPool
from tests.documents.test_compiled import docx_parts
from tests.helpers import REPO, example_contexts, logo_png
from tests.ooxml import assert_valid_docx

TEMPLATES = REPO / "templates"
KINDS = (
    "informatiebrief",
    "opp",
    "opp-light",
    "ondertekeningsblad",
    "tussenevaluatie",
    "eindevaluatie",
    COVER_TEMPLATE,
)
HEADER = re.compile(r"^word/header\d+\.xml$")


def school_logo(tmp_path: Path, width: int = 60, height: int = 40) -> Logo:
    path = tmp_path / "logo.png"
    path.write_bytes(logo_png(width, height))
    return Logo.read(path, "opp-docs.toml")


def one_of_each(tmp_path: Path) -> dict[str, dict[str, object]]:
    contexts: dict[str, dict[str, object]] = {}
    for name, context in example_contexts(tmp_path / "voorbeeld"):
        contexts.setdefault(name, context)
    assert set(contexts) == set(KINDS)
    return contexts


def render(
    cache: TemplateCache, contexts: dict[str, dict[str, object]], folder: Path
) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, context in contexts.items():
        made[name] = folder / f"{name}.docx"
        made[name].write_bytes(cache.render(name, context))
    return made


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_every_header_shows_the_logo_and_only_the_header_changes(tmp_path: Path) -> None:
    logo = school_logo(tmp_path)
    contexts = one_of_each(tmp_path)
    plain = render(TemplateCache(TEMPLATES), contexts, tmp_path / "zonder")
    with_logo = render(TemplateCache(TEMPLATES, logo), contexts, tmp_path / "met")
    assert_valid_docx(*with_logo.values())
    for name in KINDS:
        before, after = parts(plain[name]), parts(with_logo[name])
        # The image itself, byte for byte the school's file.
        media = [n for n in after if n.startswith("word/media/")]
        assert [after[n] for n in media] == [logo.data], name
        assert not any(n.startswith("word/media/") for n in before)
        # The body, styles, settings and footer are untouched; the header gets one picture.
        changed = {n for n in after if before.get(n) != after[n]}
        assert {n for n in changed if not HEADER.match(n)} == {
            *media,
            "[Content_Types].xml",
            *(f"word/_rels/{n.split('/')[-1]}.rels" for n in after if HEADER.match(n)),
        }, name
        # In the school's name paragraph, which reads as before.
        header = docx.Document(io.BytesIO(with_logo[name].read_bytes())).sections[0].header
        first = header.paragraphs[0]
        assert first.text == header_text(plain[name]) == "Revius Wijk", name
        blips = first._p.xpath(".//a:blip/@r:embed")
        assert len(blips) == 1, name
        assert header.part.related_parts[blips[0]].blob == logo.data
        assert first._p.xpath(".//wp:docPr/@descr") == ["Logo van de school"]


def header_text(path: Path) -> str:
    return str(docx.Document(str(path)).sections[0].header.paragraphs[0].text)


def test_the_logo_keeps_its_proportions_within_the_box(tmp_path: Path) -> None:
    tall = school_logo(tmp_path, 40, 80)
    assert tall.height == MAX_HEIGHT and tall.width == pytest.approx(MAX_HEIGHT / 2, abs=1)
    wide = school_logo(tmp_path, 400, 40)
    assert wide.width == pytest.approx(MAX_WIDTH, abs=1)
    assert wide.height == pytest.approx(MAX_WIDTH / 10, abs=1)


def test_without_a_logo_documents_and_digests_are_as_before(tmp_path: Path) -> None:
    """A school that sets no logo gets the same bytes as a run before logos existed, so that
    nothing is made again: a settings file without the key is the plain cache."""
    settings = tmp_path / "opp-docs.toml"
    settings.write_text('[school]\nnaam = "Revius Wijk"\n', encoding="utf-8")
    assert Logo.of(load_config(settings)) is None
    contexts = one_of_each(tmp_path)
    cache = TemplateCache(TEMPLATES, Logo.of(load_config(settings)))
    for name, context in contexts.items():
        expected = tmp_path / "docxtpl.docx"
        render_document(template_path(TEMPLATES, name), context, expected)
        made = cache.render(name, context)
        assert docx_parts(made) == docx_parts(expected.read_bytes()), name
        assert made == TemplateCache(TEMPLATES).render(name, context), name
        assert b"<w:drawing" not in b"".join(parts(expected).values())
        file_digest = hashlib.sha256(template_path(TEMPLATES, name).read_bytes()).hexdigest()
        assert cache.digest(name) == file_digest


def test_a_logo_or_another_logo_makes_documents_again(tmp_path: Path) -> None:
    first = school_logo(tmp_path, 60, 40)
    second = school_logo(tmp_path, 61, 40)
    digests = {TemplateCache(TEMPLATES, logo).digest("opp") for logo in (None, first, second)}
    assert len(digests) == 3


def test_the_docxtpl_renderer_puts_the_logo_in_as_well(tmp_path: Path) -> None:
    """Templates with Jinja in their footnotes are rendered by docxtpl itself: same header."""
    logo = school_logo(tmp_path)
    name, context = "informatiebrief", one_of_each(tmp_path)["informatiebrief"]
    target = tmp_path / "docxtpl.docx"
    render_document(template_path(TEMPLATES, name), context, target, logo)
    assert_valid_docx(target)
    made = docx_parts(TemplateCache(TEMPLATES, logo).render(name, context))
    assert docx_parts(target.read_bytes()) == made


def test_a_template_the_school_edited_keeps_working(tmp_path: Path) -> None:
    """A school's own template: a header with a table only (no logo there: the school made its
    own header), and one with a first-page header of its own (the logo in both)."""
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    own = docx.Document()
    section = own.sections[0]
    section.header.paragraphs[0]._p.getparent().remove(section.header.paragraphs[0]._p)
    section.header.add_table(1, 1, Cm(17)).cell(0, 0).text = "{{ school.naam }}"
    own.add_paragraph("Beste {{ leerling.naam }},")
    own.save(str(folder / "brief.docx"))
    first_page = docx.Document()
    section = first_page.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "{{ school.naam }}"
    section.first_page_header.paragraphs[0].text = "Eerste pagina: {{ school.naam }}"
    first_page.add_paragraph("{{ leerling.naam }}")
    first_page.save(str(folder / "twee.docx"))
    context = one_of_each(tmp_path)["opp"]
    cache = TemplateCache(folder, school_logo(tmp_path))
    for name, drawings in (("brief", 0), ("twee", 2)):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(cache.render(name, context))
        assert_valid_docx(path)
        headers = b"".join(v for n, v in parts(path).items() if HEADER.match(n))
        assert headers.count(b"<wp:anchor") == drawings, name
        assert b"Revius Wijk" in headers
    ids = re.findall(rb'<wp:docPr id="(\d+)"', headers)
    assert len(set(ids)) == 2  # each picture its own id
    # Our own templates still pass the check a run starts with.
    check_templates(TEMPLATES)


def test_the_cover_has_no_page_number() -> None:
    footer = docx.Document(str(template_path(TEMPLATES, COVER_TEMPLATE))).sections[0].footer
    text = "".join(p.text for p in footer.paragraphs)
    assert "Vertrouwelijk" in text
    assert "pagina" not in text and b"NUMPAGES" not in footer.part.blob


@pytest.mark.libreoffice
def test_the_logo_is_on_every_page_of_every_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Converted as the run converts them (documents joined, covers joined), each page of each
    document and of the cover shows the logo, and the text stands where it stood without it."""
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    monkeypatch.setenv("TMPDIR", str(work))
    contexts = one_of_each(tmp_path)
    covers = {COVER_TEMPLATE: contexts.pop(COVER_TEMPLATE)}
    second_cover = {**covers[COVER_TEMPLATE], "inhoud": [{"titel": "OPP", "pagina": 2}]}
    logo = school_logo(tmp_path)
    sets = {}
    for kind, cache in (
        ("met", TemplateCache(TEMPLATES, logo)),
        ("zonder", TemplateCache(TEMPLATES)),
    ):
        documents = render(cache, contexts, tmp_path / kind)
        cover = render(cache, covers, tmp_path / kind)
        extra = tmp_path / kind / "voorblad 2.docx"
        extra.write_bytes(cache.render(COVER_TEMPLATE, second_cover))
        sets[kind] = [*documents.values(), *cover.values(), extra]
    with ConverterPool(workers=2) as pool:
        for files in sets.values():
            pool.submit_group([(s, s.with_suffix(".pdf")) for s in files[:-2]])
            pool.submit_group([(s, s.with_suffix(".pdf")) for s in files[-2:]])
        assert pool.wait().failed == {}
        # Still converted together: nothing went one by one.
        assert pool.join_refusals == {}
        assert (pool.joined, pool.joined_conversions) == (16, 4)
    pages = 0
    for source in sets["met"]:
        pdf = source.with_suffix(".pdf")
        reader = PdfReader(pdf)
        for number, page in enumerate(reader.pages, start=1):
            images = [
                x
                for x in page["/Resources"].get("/XObject", {}).values()
                if x.get_object()["/Subtype"] == "/Image"
            ]
            assert images, f"{source.name}, pagina {number}"
        pages += len(reader.pages)
        # The header is no taller: every word stands where it stood without the logo.
        plain = tmp_path / "zonder" / pdf.name
        assert words_at(pdf) == words_at(plain), source.name
    assert pages > len(sets["met"])  # some document has more than one page
    for cover in sets["met"][-2:]:
        text = subprocess.run(
            ["pdftotext", str(cover.with_suffix(".pdf")), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Vertrouwelijk" in text and "pagina" not in text


def words_at(pdf: Path) -> list[str]:
    """Every word of the PDF with its place on the page (poppler's -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.findall(r"<word [^>]*>[^<]*</word>", out)
