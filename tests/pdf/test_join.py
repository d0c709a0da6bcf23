"""Joining Word files for one LibreOffice conversion (no LibreOffice needed here): what is
joined, what is refused and why, and what the joined file says about page numbers and
sections."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from lxml import etree

from opp_docs.documents.compiled import TemplateCache
from opp_docs.pdf import join
from opp_docs.pdf.join import END, START, JoinRefused, compatible_groups, merge
from tests.helpers import REPO, example_contexts, with_document, with_part


def rendered(tmp_path: Path, count: int = 5) -> list[Path]:
    """The first student's documents, rendered from the real templates."""
    cache = TemplateCache(REPO / "templates")
    files = []
    for i, (name, context) in enumerate(example_contexts(tmp_path)[:count]):
        files.append(tmp_path / f"{i} {name}.docx")
        files[-1].write_bytes(cache.render(name, context))
    return files


def refusal(sources: list[Path], target: Path) -> str:
    """Why `merge` refuses to join `sources`; it writes nothing then."""
    with pytest.raises(JoinRefused) as refused:
        merge(sources, target)
    assert not target.exists()
    return refused.value.reason


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

    assert refusal([*sources, other], joined) == join.DIFFERENT
    assert refusal(sources[:1], joined) == join.ONE_FILE
    assert not joined.exists()

    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"PK\x03\x04 geen zip")
    assert refusal([*sources, broken], joined) == join.UNREADABLE


def before_final_section(extra: str) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        cut = data.rindex(b"<w:sectPr")
        return data[:cut] + extra.encode() + data[cut:]

    return edit


def in_final_section(extra: str) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        cut = data.rindex(b"</w:sectPr>")
        return data[:cut] + extra.encode() + data[cut:]

    return edit


def at_body_start(extra: str) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        cut = data.index(b"<w:body>") + len(b"<w:body>")
        return data[:cut] + extra.encode() + data[cut:]

    return edit


TABLE = (
    "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>cel</w:t></w:r>"
    "</w:p></w:tc></w:tr></w:tbl>"
)


# What each refusal below says: the pool counts these, and --verbose shows the counts.
REASONS = {
    "footnote": "voetnoot",
    "several sections": join.SECTIONS,
    "bookmark": "bladwijzer",
    "numbered list": join.NUMBERED,
    "numbered style": join.NUMBERED,
    "starts with a table": join.TABLE_AT_EDGE,
    "ends with a table": join.TABLE_AT_EDGE,
    "first page without its own footer": join.INHERITED_HEADER,
    "own page numbering": join.OWN_PAGE_NUMBERS,
    "page total not found": join.PAGE_TOTAL,
    "space in a paragraph's tags": join.SAVED_OTHERWISE,
    "w: bound anew in the body": join.SAVED_OTHERWISE,
    "strict namespaces": join.SAVED_OTHERWISE,
}


@pytest.mark.parametrize(
    ("why", "edit"),
    [
        ("footnote", before_final_section('<w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p>')),
        ("several sections", before_final_section("<w:p><w:pPr><w:sectPr/></w:pPr></w:p>")),
        # A cross-reference would find the bookmark of another child's document.
        (
            "bookmark",
            before_final_section(
                '<w:p><w:bookmarkStart w:id="0" w:name="Naam"/><w:r><w:t>x</w:t></w:r>'
                '<w:bookmarkEnd w:id="0"/></w:p>'
            ),
        ),
        # Lists would count on from the document before.
        (
            "numbered list",
            before_final_section(
                '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
                "</w:pPr><w:r><w:t>punt</w:t></w:r></w:p>"
            ),
        ),
        (
            "numbered style",
            before_final_section(
                '<w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t>punt</w:t></w:r></w:p>'
            ),
        ),
        ("starts with a table", at_body_start(TABLE)),
        # Its end mark goes in its last paragraph.
        ("ends with a table", before_final_section(TABLE)),
        # A different first page without a first-page footer would show the previous one's.
        ("first page without its own footer", in_final_section("<w:titlePg/>")),
        ("own page numbering", in_final_section('<w:pgNumType w:fmt="lowerRoman"/>')),
        # Written otherwise than lxml writes: the joining at the bytes does not guess.
        (
            "page total not found",
            before_final_section(
                "<w:p><w:fldSimple w:instr='NUMPAGES'><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>"
            ),
        ),
        ("space in a paragraph's tags", at_body_start("<w:p>\n<w:r><w:t>x</w:t></w:r></w:p>")),
        (
            "w: bound anew in the body",
            at_body_start('<w:p xmlns:w="urn:anders"><w:r><w:t>x</w:t></w:r></w:p>'),
        ),
        (
            "strict namespaces",
            lambda data: data.replace(
                b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                b"http://purl.oclc.org/ooxml/wordprocessingml/main",
            ),
        ),
    ],
)
def test_what_could_come_out_differently_is_not_joined(
    tmp_path: Path, why: str, edit: Callable[[bytes], bytes]
) -> None:
    sources = rendered(tmp_path, 2)
    changed = with_document(sources[1], tmp_path / "veranderd.docx", edit)
    assert merge([sources[0], sources[1]], tmp_path / "controle.docx")
    assert refusal([sources[0], changed], tmp_path / "samen.docx") == REASONS[why], why


def test_a_document_never_runs_on_after_the_previous_one(tmp_path: Path) -> None:
    sources = rendered(tmp_path, 2)
    continuous = with_document(
        sources[1],
        tmp_path / "doorlopend.docx",
        lambda d: d.replace(b"<w:pgSz", b'<w:type w:val="continuous"/><w:pgSz', 1),
    )
    joined = tmp_path / "samen.docx"
    assert merge([sources[0], continuous], joined)
    body = part(joined, "word/document.xml")
    assert "continuous" not in body
    assert body.count('<w:type w:val="nextPage"/>') == 1


def test_metadata_comes_from_each_files_document_properties(tmp_path: Path) -> None:
    sources = rendered(tmp_path, 2)
    infos = merge(sources, tmp_path / "samen.docx")
    assert infos is not None and len(infos) == 2
    for source, info in zip(sources, infos, strict=True):
        assert info.title and info.title in part(source, "docProps/core.xml")
    assert infos[0].title != infos[1].title


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_each_document_is_marked_and_closed_by_its_own_section(tmp_path: Path) -> None:
    """Joined at the bytes: every start mark opens a document's first paragraph (after its
    properties), every end mark closes its last paragraph, which also carries the document's
    section; page totals in the body count the document's own pages too."""
    sources = rendered(tmp_path, 3)
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="pre'
        'serve"> NUMPAGES </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:fldSimple w:instr=" SECTIONPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>'
    )
    sources[1] = with_document(sources[1], tmp_path / "velden.docx", before_final_section(field))
    joined = tmp_path / "samen.docx"

    assert merge(sources, joined)

    with zipfile.ZipFile(joined) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    paragraphs = body.findall(f"{W}p")
    starts = [p for p in paragraphs if p.find(f"{W}bookmarkStart") is not None]
    names = [p.findall(f"{W}bookmarkStart")[-1].get(f"{W}name") for p in starts]
    assert names == [name for k in range(3) for name in (START.format(k), END.format(k))]
    for k in range(3):
        (first,) = [
            p for p in starts if p.find(f"{W}bookmarkStart").get(f"{W}name") == START.format(k)
        ]
        children = [c for c in first if c.tag != f"{W}pPr"]
        assert children[0].get(f"{W}name") == START.format(k)
        (last,) = [
            p for p in starts if p.findall(f"{W}bookmarkStart")[-1].get(f"{W}name") == END.format(k)
        ]
        assert last[-1].tag == f"{W}bookmarkEnd"
        section = last.find(f"{W}pPr/{W}sectPr")
        if k < 2:
            assert section is not None and section is last.find(f"{W}pPr")[-1]
        else:
            assert section is None and body[-1].tag == f"{W}sectPr"
    instructions = [t.text for t in body.iter(f"{W}instrText")]
    simple = [f.get(f"{W}instr") for f in body.iter(f"{W}fldSimple")]
    assert [i.strip() for i in instructions] == [f"PAGEREF {END.format(1)}"]
    assert [s.strip() for s in simple] == [f"PAGEREF {END.format(1)}"]


def test_words_go_back_bookmark_does_not_stop_a_join(tmp_path: Path) -> None:
    """Word marks where the cursor was at the last save with a bookmark "_GoBack"; a template
    saved by Word hands it to every document. Nothing refers to it: the joined copy drops it."""
    sources = rendered(tmp_path, 2)
    go_back = '<w:p><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/></w:p>'
    sources[1] = with_document(sources[1], tmp_path / "word.docx", before_final_section(go_back))
    joined = tmp_path / "samen.docx"

    assert merge(sources, joined)

    body = part(joined, "word/document.xml")
    assert "_GoBack" not in body
    assert body.count("<w:bookmarkStart") == body.count("<w:bookmarkEnd") == 2 * len(sources)


def test_files_are_grouped_by_the_template_they_share(tmp_path: Path) -> None:
    sources = rendered(tmp_path, 4)
    # A template saved anew by Word: its documents have their own styles.
    restyled = [
        with_part(s, tmp_path / f"anders {i}.docx", "word/styles.xml", lambda d: d + b" ")
        for i, s in enumerate(sources[2:])
    ]
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"PK\x03\x04 geen zip")
    files = [sources[0], restyled[0], sources[1], restyled[1], broken]

    assert compatible_groups(files) == [[0, 2], [1, 3], [4]]
    assert refusal(files[:4], tmp_path / "samen.docx") == join.DIFFERENT
    assert merge([restyled[0], restyled[1]], tmp_path / "samen.docx")


def test_a_template_saved_by_libreoffice_still_joins(tmp_path: Path) -> None:
    """LibreOffice writes the plain page number format out; that is no numbering of its own."""
    sources = rendered(tmp_path, 2)
    plain = '<w:pgNumType w:fmt="decimal"/>'
    sources = [
        with_document(s, tmp_path / f"lo {i}.docx", in_final_section(plain))
        for i, s in enumerate(sources)
    ]
    joined = tmp_path / "samen.docx"

    assert merge(sources, joined)

    body = part(joined, "word/document.xml")
    assert body.count('<w:pgNumType w:fmt="decimal" w:start="1"/>') == len(sources)
