"""Bookmarks read and written on the outline's own dictionaries, as the cut and the dossier use
them: a range of pages keeps its own bookmarks, nested, and a damaged outline cannot loop."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from opp_docs.pdf.outline import link_outline, outline_items, outline_of_pages, read_outline


def three_pages_with_headings(path: Path) -> Path:
    """Pages 1-3; "Een" on page 1 with "Een, verder" (page 2) below it, "Twee" on page 3."""
    with Pdf.new() as pdf:
        for _ in range(3):
            pdf.add_blank_page()
        with pdf.open_outline() as outline:
            first = pikepdf.OutlineItem("Een", 0)
            first.children.append(pikepdf.OutlineItem("Een, verder", 1))
            outline.root.extend([first, pikepdf.OutlineItem("Twee", 2)])
        pdf.save(path)
    return path


def test_a_range_of_pages_keeps_its_own_bookmarks_nested(tmp_path: Path) -> None:
    source = three_pages_with_headings(tmp_path / "bron.pdf")
    target = tmp_path / "deel.pdf"
    with Pdf.open(source) as pdf, Pdf.new() as part:
        index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        entries = read_outline(pdf.Root.get(Name.Outlines), index)
        part.pages.extend(pdf.pages[0:2])
        root = part.make_indirect(Dictionary(Type=Name.Outlines))
        link_outline(root, outline_of_pages(part, entries, 0, 2))
        part.Root.Outlines = root
        part.save(target)

    with Pdf.open(target) as part, part.open_outline() as outline:
        (only,) = outline.root
        assert only.title == "Een"
        assert [child.title for child in only.children] == ["Een, verder"]
        # The part's own pages, not the source's.
        pages = [part.pages.index(pikepdf.Page(i.destination[0])) for i in (only, *only.children)]
        assert pages == [0, 1]


def test_an_outline_that_loops_is_read_once_round(tmp_path: Path) -> None:
    source = three_pages_with_headings(tmp_path / "bron.pdf")
    with Pdf.open(source) as pdf:
        outlines = pdf.Root.Outlines
        outlines.Last.Next = outlines.First  # damaged: round and round
        assert [str(item.Title) for item in outline_items(outlines)] == ["Een", "Twee"]


def test_linked_items_count_what_an_open_outline_shows(tmp_path: Path) -> None:
    with Pdf.new() as pdf:
        parent = pdf.make_indirect(Dictionary(Type=Name.Outlines))
        children = [pdf.make_indirect(Dictionary(Title=pikepdf.String(t))) for t in "abc"]
        children[0].Count = 2  # an open item with two below it
        link_outline(parent, children)
        assert parent.Count == 5
        assert parent.First == children[0] and parent.Last == children[2]
        assert children[1].Prev == children[0] and children[1].Next == children[2]
        assert "/Prev" not in children[0] and "/Next" not in children[2]
