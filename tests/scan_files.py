"""Fictional scans of a signed signature sheet, made in the test: a PDF with a line of text
that pdftotext reads back, and images of a known size."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, Pdf
from PIL import Image, ImageDraw


def signed_pdf(path: Path, text: str) -> Path:
    """A one-page A4 PDF that says `text` (ASCII), as a scanner's OCR layer would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Pdf.new() as pdf:
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[0]
        font = pdf.make_indirect(
            Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        )
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
        page.obj.Contents = pdf.make_stream(stream)
        pdf.save(path)
    return path


def signed_image(path: Path, size: tuple[int, int] = (1240, 1754), mode: str = "RGB") -> Path:
    """A scan-like image (a white page with a signature-like line) in the format of its
    suffix; 1240×1754 is A4 at 150 dpi."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    draw.line([(100, size[1] - 200), (size[0] - 100, size[1] - 260)], fill="black", width=6)
    image.save(path)
    return path


def dated(path: Path, day: dt.date) -> Path:
    """Give the file `day` as its modification time, as if it were scanned then."""
    stamp = dt.datetime(day.year, day.month, day.day, 12).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def pdf_with_password(path: Path) -> Path:
    signed_pdf(path, "GETEKEND")
    with Pdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="geheim", user="geheim"))
    return path
