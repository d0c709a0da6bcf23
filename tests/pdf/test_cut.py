"""Cutting a joined PDF back into one PDF per document: by the named destinations the join
left, refused when they do not match the pages."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from opp_docs.pdf import cut
from opp_docs.pdf.cut import split_pdf
from opp_docs.pdf.join import END, START, JoinRefused, Metadata

NO_METADATA = Metadata("", "", "", "")


def two_page_pdf(path: Path, *, with_destinations: bool, first_ends_on: int = 1) -> Path:
    """Three pages: the first document on pages 1-2, the second on page 3."""
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()

    def at(page: int) -> pikepdf.Array:
        return pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.Fit])

    if with_destinations:
        pdf.Root.Dests = pikepdf.Dictionary(
            {
                f"/{START.format(0)}": at(0),
                f"/{END.format(0)}": at(first_ends_on),
                f"/{START.format(1)}": at(2),
                f"/{END.format(1)}": at(2),
            }
        )
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Kop in deel twee", 2))
    pdf.save(path)
    return path


def test_split_follows_the_named_destinations(tmp_path: Path) -> None:
    joined = two_page_pdf(tmp_path / "samen.pdf", with_destinations=True)
    targets = [tmp_path / "een.pdf", tmp_path / "twee.pdf"]
    infos = [NO_METADATA] * 2

    split_pdf(joined, targets, infos)

    with pikepdf.open(targets[0]) as one, pikepdf.open(targets[1]) as two:
        assert (len(one.pages), len(two.pages)) == (2, 1)
        with two.open_outline() as outline:
            assert [i.title for i in outline.root] == ["Kop in deel twee"]
        with one.open_outline() as outline:
            assert list(outline.root) == []


def test_split_refuses_a_pdf_without_destinations(tmp_path: Path) -> None:
    joined = two_page_pdf(tmp_path / "samen.pdf", with_destinations=False)
    targets = [tmp_path / "een.pdf", tmp_path / "twee.pdf"]
    with pytest.raises(JoinRefused, match=cut.NO_START):
        split_pdf(joined, targets, [NO_METADATA] * 2)
    assert not any(t.exists() for t in targets)


def test_split_refuses_a_document_that_does_not_end_on_its_own_last_page(
    tmp_path: Path,
) -> None:
    """The first document's last paragraph on its first page, while its second page is
    counted as its own: the joined layout differs from the single one."""
    joined = two_page_pdf(tmp_path / "samen.pdf", with_destinations=True, first_ends_on=0)
    targets = [tmp_path / "een.pdf", tmp_path / "twee.pdf"]
    with pytest.raises(JoinRefused, match=cut.OTHER_LAYOUT):
        split_pdf(joined, targets, [NO_METADATA] * 2)
    assert not any(t.exists() for t in targets)
