"""Dossiers from PDFs made here: pages, bookmarks, form fields of a primary school's report."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf
from pypdf import PdfReader

from opp_docs.pdf.dossier import DossierInfo, Part, build_dossier


def make_pdf(path: Path, pages: int, headings: list[tuple[str, int]]) -> Path:
    """A PDF of `pages` pages (each its own size, so a page is known by it) and a bookmark
    per heading (title, page)."""
    with Pdf.new() as pdf:
        for i in range(pages):
            pdf.add_blank_page(page_size=(500 + i, 700))
        with pdf.open_outline() as outline:
            outline.root.extend(pikepdf.OutlineItem(title, page) for title, page in headings)
        pdf.save(path)
    return path


def make_report_with_a_form(path: Path) -> Path:
    """A report as a primary school might send it: a form field and a named destination."""
    make_pdf(path, 2, [("Rapport", 0)])
    with Pdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[1].obj
        field = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Widget,
                FT=Name.Tx,
                T=pikepdf.String("advies"),
                V=pikepdf.String("vmbo-tl"),
                Rect=Array([50, 50, 250, 80]),
                P=page,
            )
        )
        page.Annots = Array([field])
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
        pdf.Root.Names = Dictionary(
            Dests=Dictionary(Names=Array([pikepdf.String("toets"), Array([page, Name.Fit])]))
        )
        pdf.save(path)
    return path


def nested(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Top-level bookmarks with their page, and the bookmarks below each."""
    result: list[tuple[str, int, list[tuple[str, int]]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            children = [(c.title, reader.get_destination_page_number(c)) for c in item]
            result[-1] = (*result[-1][:2], children)
        else:
            result.append((item.title, reader.get_destination_page_number(item), []))
    return result


def test_dossier_nests_each_parts_bookmarks_and_keeps_a_reports_form(tmp_path: Path) -> None:
    cover = make_pdf(tmp_path / "voorblad.pdf", 1, [])
    plan = make_pdf(tmp_path / "opp.pdf", 3, [("Personalia", 0), ("Doelen", 2)])
    letter = make_pdf(tmp_path / "brief.pdf", 1, [("Brief", 0)])
    report = make_report_with_a_form(tmp_path / "rapport.pdf")
    target = tmp_path / "dossier.pdf"

    skipped = build_dossier(
        cover,
        [Part("OPP", plan), Part("Informatiebrief", letter), Part("Rapport", report, ours=False)],
        target,
        info=DossierInfo(title="Dossier", school="School", leerlingnummer="990001"),
    )

    assert skipped == []
    reader = PdfReader(target)
    widths = [int(page.mediabox.width) for page in reader.pages]
    # Cover, the plan's three pages, the letter, the report's two: in order.
    assert widths == [500, 500, 501, 502, 500, 500, 501]
    assert nested(reader) == [
        ("Voorblad", 0, []),
        ("OPP", 1, [("Personalia", 1), ("Doelen", 3)]),
        ("Informatiebrief", 4, [("Brief", 4)]),
        ("Rapport", 5, [("Rapport", 5)]),
    ]
    # The report's form field still works in the dossier, on its own page.
    fields = reader.get_fields()
    assert fields is not None and fields["advies"]["/V"] == "vmbo-tl"
    assert reader.pages[6]["/Annots"][0].get_object()["/T"] == "advies"


def dossier_with_report(tmp_path: Path, report: Path) -> Path:
    """A dossier of a cover and `report`, a PDF from a primary school."""
    target = tmp_path / "dossier.pdf"
    cover = make_pdf(tmp_path / "voorblad.pdf", 1, [])
    build_dossier(
        cover,
        [Part("Rapport", report, ours=False)],
        target,
        info=DossierInfo(title="D", school="S", leerlingnummer="1"),
    )
    return target


def test_a_report_whose_bookmarks_loop_does_not_stop_the_dossier(tmp_path: Path) -> None:
    report = make_pdf(tmp_path / "rapport.pdf", 2, [("Een", 0), ("Twee", 1)])
    with Pdf.open(report, allow_overwriting_input=True) as pdf:
        last = pdf.Root.Outlines.Last
        last.Next = pdf.Root.Outlines.First  # a damaged outline: round and round
        pdf.save(report)
    target = dossier_with_report(tmp_path, report)

    with Pdf.open(target) as dossier:
        assert len(dossier.pages) == 3
        (part,) = [i for i in dossier.open_outline().root if i.title == "Rapport"]
        assert [child.title for child in part.children] == ["Een", "Twee"]


def test_a_reports_bookmark_scripts_stay_out_of_the_dossier(tmp_path: Path) -> None:
    """A report from elsewhere is copied with pikepdf's care: a bookmark that would run a
    script when clicked loses the script."""
    report = make_pdf(tmp_path / "rapport.pdf", 1, [("Rapport", 0)])
    with Pdf.open(report, allow_overwriting_input=True) as pdf:
        item = pdf.Root.Outlines.First
        del item["/Dest"]
        item.A = Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert('hallo')"))
        pdf.save(report)
    target = dossier_with_report(tmp_path, report)

    with Pdf.open(target) as dossier:
        assert len(dossier.pages) == 2
        (part,) = [i for i in dossier.open_outline().root if i.title == "Rapport"]
        actions = [child.action for child in part.children if child.action is not None]
        assert all(action.get("/S") != Name.JavaScript for action in actions)
        assert "JavaScript" not in repr(part.children)
