"""A scanned image (JPEG, PNG, TIFF) as PDF pages for the dossier: one A4 page per image (per
frame of a multi-page TIFF), the image fitted inside it.

img2pdf puts a JPEG's bytes in the PDF as they are (no second compression, no loss) and a PNG
or TIFF losslessly; it follows the EXIF orientation of a phone's photo. Without dates in the
PDF, the same image gives the same PDF: the dossier, made from the PDF's digest, is made again
only when the scan changed.
"""

from __future__ import annotations

import logging
from pathlib import Path

import img2pdf

from opp_docs.files import atomic_path

# A4 portrait; a landscape image gets a landscape A4 page (auto_orient).
A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
# What a made PDF depends on besides the image; a new value makes the cached ones again.
CONVERSION = "img2pdf a4-into auto-orient nodate 1"


class ImageError(Exception):
    """The image could not be made into a PDF; the message says why, in Dutch."""


def image_to_pdf(image: Path, target: Path) -> None:
    """Write `image` as an A4 PDF to `target` (atomically, readable by its owner only when
    the caller runs in `files.private_files`)."""
    layout = img2pdf.get_layout_fun(A4, fit=img2pdf.FitMode.into, auto_orient=True)
    # img2pdf warns on the log about an alpha channel it handles well; nothing to tell anyone.
    logging.getLogger("img2pdf").setLevel(logging.ERROR)
    try:
        data = img2pdf.convert(str(image), layout_fun=layout, nodate=True, creator="opp-docs")
    except Exception as e:
        # img2pdf and Pillow raise many kinds of errors on odd images; each means the same here.
        raise ImageError(
            f"de afbeelding kan niet worden omgezet naar PDF ({type(e).__name__})"
        ) from e
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
