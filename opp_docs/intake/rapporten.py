"""Primary-school reports (OKR, PDF): checked, and matched to a student by the number in
their file name ('OKR 123456.pdf'); the dossier appends them after the documents."""

from __future__ import annotations

import re
from pathlib import Path

from opp_docs.intake.limits import check_size, read_head
from opp_docs.intake.tables import Unreadable
from opp_docs.models import Place, Problem


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


def match_rapporten(
    pdfs: list[Path], known: set[str], problems: list[Problem]
) -> dict[str, list[Path]]:
    rapporten: dict[str, list[Path]] = {}
    for pdf in pdfs:
        numbers = _NUMBER_IN_NAME.findall(pdf.stem)
        found = sorted({n for n in numbers if n in known})
        place = Place(pdf.name, "", 0)
        if len(found) == 1:
            rapporten.setdefault(found[0], []).append(pdf)
            continue
        if len(found) > 1:
            problem = (
                f"De naam van de PDF past bij meer dan één leerling "
                f"({', '.join(found)}); hij is niet toegevoegd."
            )
        elif numbers:
            problem = (
                f"Er is geen leerling met nummer {' of '.join(numbers)}; de PDF is niet toegevoegd."
            )
        else:
            problem = "Er staat geen leerlingnummer in de naam van de PDF; hij is niet toegevoegd."
        problems.append(
            Problem(
                place=place,
                column="",
                value=pdf.name,
                problem=problem,
                fix="Zet precies één leerlingnummer in de bestandsnaam, bijvoorbeeld "
                "'OKR 123456.pdf'.",
                blocking=False,
            )
        )
    return rapporten
