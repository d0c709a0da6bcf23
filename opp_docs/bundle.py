"""Bundle a student's PDFs into one dossier: cover page, the documents, the primary school's
report, a bookmark per part, and metadata."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from opp_docs.files import atomic_path


@dataclass(frozen=True)
class Part:
    titel: str
    pdf: Path


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def contents_pages(parts: Sequence[Part], cover_pages: int = 1) -> list[dict[str, object]]:
    """The cover's table of contents: each part with the dossier page it starts on."""
    entries: list[dict[str, object]] = []
    page = cover_pages + 1
    for part in parts:
        entries.append({"titel": part.titel, "pagina": page})
        page += page_count(part.pdf)
    return entries


def build_dossier(
    cover: Path,
    parts: Sequence[Part],
    target: Path,
    *,
    title: str,
    school: str,
    leerlingnummer: str,
    password: str | None = None,
) -> list[str]:
    """Write the dossier atomically; returns the titles of parts that could not be read.

    With a `password` the dossier is encrypted with AES-256, metadata included, for schools
    that send dossiers by mail."""
    writer = PdfWriter()
    skipped: list[str] = []
    writer.append(str(cover), outline_item="Voorblad")
    for part in parts:
        try:
            reader = PdfReader(part.pdf)
            writer.append(reader, outline_item=part.titel)
        except (PyPdfError, OSError, ValueError):
            # A damaged report PDF from a primary school must not cost the whole dossier.
            skipped.append(part.titel)
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": school,
            "/Subject": f"Leerlingnummer {leerlingnummer}",
            "/Keywords": f"OPP; vertrouwelijk; {leerlingnummer}",
            "/Creator": "opp-docs",
        }
    )
    writer.page_mode = "/UseOutlines"
    if password:
        writer.encrypt(password, algorithm="AES-256")
    with atomic_path(target) as tmp, tmp.open("wb") as f:
        writer.write(f)
    return skipped


def opens_with(pdf: Path, password: str | None) -> bool:
    """Whether `pdf` is encrypted with exactly this password, or not at all when it is None;
    so a rerun knows to rebuild a dossier after the password changed, without storing it."""
    try:
        reader = PdfReader(pdf)
        if not reader.is_encrypted:
            return password is None
        return password is not None and reader.decrypt(password) != PasswordType.NOT_DECRYPTED
    except (PyPdfError, OSError, ValueError):
        return False
