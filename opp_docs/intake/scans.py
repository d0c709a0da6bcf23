"""Scans of signed signature sheets (ondertekeningsbladen) that come back into the intake: told
apart from the primary schools' reports, checked, and matched to a student by the number in
their file name; the dossier puts them after the plan and the plan counts as signed.

What is a scan, without guessing (the README says the same):
- any image (JPEG, PNG, TIFF) in the intake folder;
- a PDF whose name holds one of `SCAN_WORDS` ('123456 ondertekend.pdf');
- every PDF and image in a folder of scans: a subfolder whose name holds one of `SCAN_WORDS`
  or is 'scans' ('handtekeningen/123456.jpg').
Every other PDF in the intake folder is a primary school's report (`rapporten`).
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

from opp_docs.intake.limits import check_size, read_head
from opp_docs.intake.rapporten import Numbered, check_pdf, match_numbered
from opp_docs.intake.tables import Unreadable
from opp_docs.intake.values import fold
from opp_docs.models import Problem, Scan

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
# Words in a file or folder name that make it a signed scan; 'ondertekening' also covers
# 'ondertekeningsblad', 'handtekening' 'handtekeningen'.
SCAN_WORDS = ("ondertekend", "ondertekening", "handtekening", "getekend")
SCAN_FOLDERS = ("scans", "scan")
# What Pillow calls the formats we take: a phone's JPEG may be a multi-picture one (MPO).
_FORMATS = frozenset({"JPEG", "MPO", "PNG", "TIFF"})
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")

SCAN = Numbered("scan", "123456 ondertekend.pdf")
SCAN_AGAIN = (
    "Scan het getekende ondertekeningsblad opnieuw, als PDF zonder wachtwoord of als JPEG of "
    "PNG (200 à 300 dpi is genoeg), en vervang dit bestand."
)


def _named_as_scan(name: str) -> bool:
    folded = fold(name)
    return any(word in folded for word in SCAN_WORDS)


def is_scan_folder(folder: Path) -> bool:
    return _named_as_scan(folder.name) or fold(folder.name) in SCAN_FOLDERS


def is_image(path: Path) -> bool:
    return path.suffix.casefold() in IMAGE_SUFFIXES


def is_scan(path: Path) -> bool:
    """Whether a file in the intake folder itself is a signed scan (see the module)."""
    if is_image(path):
        return True
    return path.suffix.casefold() == ".pdf" and _named_as_scan(path.stem)


def read_scan(path: Path, naam: str) -> Scan:
    """The scan at `path` (shown as `naam`), checked: raises `Unreadable` when it cannot go
    into a dossier."""
    if path.suffix.casefold() == ".pdf":
        try:
            check_pdf(path)
        except Unreadable as e:
            raise Unreadable(e.problem, SCAN_AGAIN) from e
    else:
        _check_image(path)
    return Scan(path, naam, dt.date.fromtimestamp(path.stat().st_mtime))


def match_scans(
    scans: list[Scan], known: set[str], problems: list[Problem]
) -> dict[str, list[Scan]]:
    """Each scan with the student whose number its file name holds; a scan of no student (or
    of more than one) is a problem in the intake report."""
    return match_numbered([(scan.naam, scan) for scan in scans], known, problems, SCAN)


def _check_image(path: Path) -> None:
    check_size(path, SCAN_AGAIN)
    if not read_head(path, 8).startswith(_MAGIC):
        raise Unreadable("het bestand is geen JPEG-, PNG- of TIFF-afbeelding.", SCAN_AGAIN)
    from PIL import Image, UnidentifiedImageError  # only needed when images are present

    try:
        # Pillow reads only the header here; an image of absurd size is refused before its
        # pixels fill the memory.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                known = image.format in _FORMATS
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as e:
        raise Unreadable("de afbeelding is te groot (te veel pixels).", SCAN_AGAIN) from e
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise Unreadable(f"de afbeelding is beschadigd ({type(e).__name__}).", SCAN_AGAIN) from e
    if not known:
        raise Unreadable("het bestand is geen JPEG-, PNG- of TIFF-afbeelding.", SCAN_AGAIN)
