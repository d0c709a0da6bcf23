"""Bundle a student's PDFs into one dossier: cover page, the documents, the primary school's
report, a bookmark per part, and metadata."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
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
) -> list[str]:
    """Write the dossier atomically; returns the titles of parts that could not be read."""
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
    with atomic_path(target) as tmp, tmp.open("wb") as f:
        writer.write(f)
    return skipped
