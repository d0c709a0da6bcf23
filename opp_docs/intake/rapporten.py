"""Primary-school reports (OKR, PDF): checked, and matched to a student by the number in
their file name ('OKR 123456.pdf'); the dossier appends them after the documents. The
matching by number is shared with the signed scans (`scans`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from opp_docs.intake.limits import check_size, read_head
from opp_docs.intake.tables import Unreadable
from opp_docs.models import Place, Problem

T = TypeVar("T")


def check_pdf(path: Path) -> None:
    check_size(
        path,
        "Vraag de basisschool het rapport kleiner op te slaan, bijvoorbeeld via 'Afdrukken als "
        "PDF' of met een lagere scankwaliteit.",
    )
    head = read_head(path, 1024)
    if b"%PDF-" not in head:
        raise Unreadable(
            "het bestand is geen geldige PDF.",
            "Vraag de basisschool het rapport opnieuw te sturen, of sla het opnieuw op als PDF.",
        )
    if _pdf_encrypted(path):
        raise Unreadable(
            "de PDF is beveiligd met een wachtwoord.",
            "Sla de PDF op zonder wachtwoord (bijvoorbeeld via 'Afdrukken als "
            "PDF') en zet die in de intakemap.",
        )


def _pdf_encrypted(path: Path) -> bool:
    from pypdf import PdfReader  # only needed when PDFs are present

    try:
        return bool(PdfReader(path, strict=False).is_encrypted)
    except Exception as e:
        # pypdf's errors on damaged files vary; any of them means the PDF cannot be appended.
        raise Unreadable(
            f"de PDF is beschadigd ({type(e).__name__}).",
            "Vraag de basisschool het rapport opnieuw te sturen.",
        ) from e


_NUMBER_IN_NAME = re.compile(r"(?<!\d)\d{3,}(?!\d)")


@dataclass(frozen=True)
class Numbered:
    """What a file matched by the number in its name is called in the intake report."""

    noun: str
    example: str


REPORT = Numbered("PDF", "OKR 123456.pdf")


def match_rapporten(
    pdfs: list[Path], known: set[str], problems: list[Problem]
) -> dict[str, list[Path]]:
    return match_numbered([(pdf.name, pdf) for pdf in pdfs], known, problems, REPORT)


def match_numbered(
    files: list[tuple[str, T]], known: set[str], problems: list[Problem], wording: Numbered
) -> dict[str, list[T]]:
    """Each file (by the name the report shows, which ends in its file name) with the one
    known student whose number its file name holds; the others are problems."""
    matched: dict[str, list[T]] = {}
    noun = wording.noun
    for shown, item in files:
        numbers = _NUMBER_IN_NAME.findall(Path(shown).stem)
        found = sorted({n for n in numbers if n in known})
        if len(found) == 1:
            matched.setdefault(found[0], []).append(item)
            continue
        if len(found) > 1:
            problem = (
                f"De naam van de {noun} past bij meer dan één leerling "
                f"({', '.join(found)}); hij is niet toegevoegd."
            )
        elif numbers:
            problem = (
                f"Er is geen leerling met nummer {' of '.join(numbers)}; de {noun} is niet "
                "toegevoegd."
            )
        else:
            problem = (
                f"Er staat geen leerlingnummer in de naam van de {noun}; hij is niet toegevoegd."
            )
        problems.append(
            Problem(
                place=Place(shown, "", 0),
                column="",
                value=Path(shown).name,
                problem=problem,
                fix="Zet precies één leerlingnummer in de bestandsnaam, bijvoorbeeld "
                f"'{wording.example}'.",
                blocking=False,
            )
        )
    return matched
