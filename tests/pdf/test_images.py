"""A scanned image as A4 PDF pages: fitted inside the page, the JPEG's own bytes, the same PDF
from the same image."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from opp_docs.pdf.images import ImageError, image_to_pdf
from tests.scan_files import signed_image

A4 = (595.28, 841.89)


def page_size(pdf: Path) -> tuple[float, float]:
    box = PdfReader(pdf).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def drawn_size(pdf: Path) -> tuple[float, float]:
    """Width and height the page's image is drawn at (its `cm` operator)."""
    with pikepdf.open(pdf) as opened:
        for operands, operator in pikepdf.parse_content_stream(opened.pages[0]):
            if str(operator) == "cm":
                return float(operands[0]), float(operands[3])
    raise AssertionError("no image drawn")


def test_a_jpeg_goes_in_as_it_is_on_an_a4_page(tmp_path: Path) -> None:
    jpeg = signed_image(tmp_path / "scan.jpg")
    target = tmp_path / "scan.pdf"
    image_to_pdf(jpeg, target)
    assert page_size(target) == A4
    with pikepdf.open(target) as pdf:
        (page,) = pdf.pages
        (embedded,) = page.Resources.XObject.values()
        assert embedded.Filter == pikepdf.Name.DCTDecode
        # Lossless: the very bytes of the JPEG.
        assert embedded.read_raw_bytes() == jpeg.read_bytes()
    # Without dates in it, the same image makes the same PDF.
    again = tmp_path / "again.pdf"
    image_to_pdf(jpeg, again)
    assert again.read_bytes() == target.read_bytes()


def test_a_landscape_png_with_transparency_gets_a_landscape_a4_page(tmp_path: Path) -> None:
    png = signed_image(tmp_path / "scan.png", size=(1754, 1240), mode="RGBA")
    target = tmp_path / "scan.pdf"
    image_to_pdf(png, target)
    assert page_size(target) == (A4[1], A4[0])
    with pikepdf.open(target) as pdf:
        (embedded,) = pdf.pages[0].Resources.XObject.values()
        assert (int(embedded.Width), int(embedded.Height)) == (1754, 1240)


def test_a_small_image_is_fitted_to_the_page_and_a_multipage_tiff_gives_pages(
    tmp_path: Path,
) -> None:
    small = signed_image(tmp_path / "klein.png", size=(300, 200))
    target = tmp_path / "klein.pdf"
    image_to_pdf(small, target)
    assert page_size(target) == (A4[1], A4[0])
    # Drawn across the page's whole width (same proportions: 300×200 and landscape A4 differ
    # a little, so it is the height that leaves a margin).
    assert drawn_size(target)[0] == pytest.approx(A4[1], abs=0.01)
    assert drawn_size(target)[1] <= A4[0]
    frames = [Image.new("L", (1240, 1754), shade) for shade in (255, 200)]
    tiff = tmp_path / "twee.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], compression="tiff_lzw")
    image_to_pdf(tiff, tmp_path / "twee.pdf")
    reader = PdfReader(tmp_path / "twee.pdf")
    assert [round(float(p.mediabox.height), 2) for p in reader.pages] == [A4[1], A4[1]]


def test_an_image_that_cannot_be_converted_says_so_in_dutch(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.jpg"
    broken.write_bytes(signed_image(tmp_path / "heel.jpg").read_bytes()[:200])
    with pytest.raises(ImageError, match="kan niet worden omgezet naar PDF"):
        image_to_pdf(broken, tmp_path / "kapot.pdf")
    assert not (tmp_path / "kapot.pdf").exists()
