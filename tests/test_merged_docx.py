"""Joining Word files for one LibreOffice conversion (no LibreOffice needed here): what is
joined, what is refused, and what the joined file says about page numbers and sections."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pikepdf

from opp_docs._compiled_template import TemplateCache
from opp_docs._merged_docx import END, START, merge, metadata, split_pdf
from tests.test_compiled_template import example_contexts

REPO = Path(__file__).resolve().parent.parent


def rendered(tmp_path: Path, count: int = 5) -> list[Path]:
    """The first student's documents, rendered from the real templates."""
    cache = TemplateCache(REPO / "templates")
    files = []
    for i, (name, context) in enumerate(example_contexts(tmp_path)[:count]):
        files.append(tmp_path / f"{i} {name}.docx")
        files[-1].write_bytes(cache.render(name, context))
    return files


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode()


def test_documents_from_the_templates_are_joined_as_sections(tmp_path: Path) -> None:
    sources = rendered(tmp_path)
    joined = tmp_path / "samen.docx"

    assert merge(sources, joined)

    body = part(joined, "word/document.xml")
    # One section per document, each restarting its page numbers at 1.
    assert body.count("<w:sectPr") == len(sources)
    assert len(re.findall(r'<w:pgNumType w:start="1"/>', body)) == len(sources)
    for k in range(len(sources)):
        assert f'w:name="{START.format(k)}"' in body
        assert f'w:name="{END.format(k)}"' in body
    with zipfile.ZipFile(joined) as z:
        footers = sorted(n for n in z.namelist() if n.startswith("word/footer"))
        assert len(footers) == len(sources)
        texts = [z.read(n).decode() for n in footers]
    # "van N" counts the document's own pages, not the joined file's.
    assert all("NUMPAGES" not in t for t in texts)
    assert {re.search(r"PAGEREF (\w+)", t).group(1) for t in texts} == {  # type: ignore[union-attr]
        END.format(k) for k in range(len(sources))
    }
    # Every document's text is there, in order.
    text = "\n".join(p.text for p in docx.Document(str(joined)).paragraphs)
    for source in sources:
        first = next(p.text for p in docx.Document(str(source)).paragraphs if p.text.strip())
        assert first in text
    # The sources are left as they were.
    assert all("OppDocs" not in part(s, "word/document.xml") for s in sources)


def test_files_that_differ_in_more_than_their_text_are_not_joined(tmp_path: Path) -> None:
    sources = rendered(tmp_path, 2)
    # Saved by another program: different styles.
    other = tmp_path / "anders.docx"
    document = docx.Document()
    document.add_paragraph("Een brief uit Word.")
    document.save(str(other))
    joined = tmp_path / "samen.docx"

    assert not merge([*sources, other], joined)
    assert not merge(sources[:1], joined)
    assert not joined.exists()

    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"PK\x03\x04 geen zip")
    assert not merge([*sources, broken], joined)


def test_footnotes_and_several_sections_are_not_joined(tmp_path: Path) -> None:
    sources = rendered(tmp_path, 2)
    for extra in (
        '<w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p>',
        "<w:p><w:pPr><w:sectPr/></w:pPr></w:p>",
    ):
        changed = tmp_path / "veranderd.docx"
        with zipfile.ZipFile(sources[1]) as z, zipfile.ZipFile(changed, "w") as out:
            for item in z.infolist():
                data = z.read(item)
                if item.filename == "word/document.xml":
                    # Just before the final section's properties, at the end of the body.
                    cut = data.rindex(b"<w:sectPr")
                    data = data[:cut] + extra.encode() + data[cut:]
                out.writestr(item, data)
        assert not merge([sources[0], changed], tmp_path / "samen.docx"), extra


def test_metadata_comes_from_the_document_properties(tmp_path: Path) -> None:
    (source,) = rendered(tmp_path, 1)
    info = metadata(source)
    assert info.title and info.title in part(source, "docProps/core.xml")
    assert metadata(tmp_path / "bestaat-niet.docx").title == ""


def two_page_pdf(path: Path, *, with_destinations: bool) -> Path:
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()
    if with_destinations:
        pdf.Root.Dests = pikepdf.Dictionary(
            {
                f"/{START.format(0)}": pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]),
                f"/{START.format(1)}": pikepdf.Array([pdf.pages[2].obj, pikepdf.Name.Fit]),
            }
        )
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Kop in deel twee", 2))
    pdf.save(path)
    return path


def test_split_follows_the_named_destinations(tmp_path: Path) -> None:
    joined = two_page_pdf(tmp_path / "samen.pdf", with_destinations=True)
    targets = [tmp_path / "een.pdf", tmp_path / "twee.pdf"]
    infos = [metadata(tmp_path / "x.docx")] * 2

    assert split_pdf(joined, targets, infos)

    with pikepdf.open(targets[0]) as one, pikepdf.open(targets[1]) as two:
        assert (len(one.pages), len(two.pages)) == (2, 1)
        with two.open_outline() as outline:
            assert [i.title for i in outline.root] == ["Kop in deel twee"]
        with one.open_outline() as outline:
            assert list(outline.root) == []


def test_split_refuses_a_pdf_without_destinations(tmp_path: Path) -> None:
    joined = two_page_pdf(tmp_path / "samen.pdf", with_destinations=False)
    targets = [tmp_path / "een.pdf", tmp_path / "twee.pdf"]
    assert not split_pdf(joined, targets, [metadata(tmp_path / "x.docx")] * 2)
    assert not any(t.exists() for t in targets)
