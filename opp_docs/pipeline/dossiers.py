"""One dossier per student: its cover page, the bundling once the cover is a PDF, and the
dossier under an earlier name removed. A dossier is made again only when a part (a signed scan
too), the cover template or the password changed."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opp_docs.config import Config
from opp_docs.documents.compiled import TemplateCache
from opp_docs.documents.render import COVER_TEMPLATE
from opp_docs.documents.student_files import dossier_name
from opp_docs.files import sha256_file, text_digest, write_bytes_atomic
from opp_docs.models import DocumentKind, StudentOutcome
from opp_docs.pdf.dossier import (
    DossierInfo,
    Part,
    build_dossier,
    contents_pages,
    dossier_student,
)
from opp_docs.pdf.images import ImageError
from opp_docs.pipeline.scans import ScanPdfs
from opp_docs.pipeline.state import BuildState

_PLANS = (DocumentKind.OPP, DocumentKind.OPP_LIGHT)


@dataclass
class Cover:
    """A dossier waiting for its cover page's PDF."""

    outcome: StudentOutcome
    parts: list[Part]
    dossier: Path
    inputs: str

    @property
    def docx(self) -> Path:
        return cover_docx(self.outcome)


def cover_docx(outcome: StudentOutcome) -> Path:
    assert outcome.folder is not None
    return outcome.folder / ".voorblad.docx"


@dataclass(frozen=True)
class DossierSettings:
    """What every dossier of a run is made with."""

    templates: TemplateCache
    config: Config
    # Encrypts each dossier (AES-256). Never written anywhere, so kept out of repr as well.
    password: str | None = field(default=None, repr=False)


class Dossiers:
    """The dossiers of one run."""

    def __init__(self, settings: DossierSettings, state: BuildState) -> None:
        self.settings = settings
        self.state = state
        self.scans = ScanPdfs(state)

    def start(
        self, outcome: StudentOutcome, reports: list[Path], context: dict[str, Any]
    ) -> Cover | None:
        """The student's dossier if it is up to date (None), else its cover page rendered
        from `context` (the student's template context)."""
        assert outcome.folder is not None
        parts = [Part(d.titel, d.pdf) for d in outcome.documents if d.pdf.exists()]
        # The signed sheet right after the plan (its last version, when staff made two);
        # without the plan's PDF, after the documents.
        plans = {d.pdf for d in outcome.documents if d.kind in _PLANS}
        at = max((i + 1 for i, part in enumerate(parts) if part.pdf in plans), default=len(parts))
        parts[at:at] = self._scan_parts(outcome)
        for report in reports:
            parts.append(Part(f"Onderwijskundig rapport ({report.name})", report, ours=False))
        dossier = outcome.folder / dossier_name(outcome.leerling)
        templates = self.settings.templates
        inputs = text_digest(
            "".join(p.titel + sha256_file(p.pdf) for p in parts)
            + templates.digest(COVER_TEMPLATE)
            + self._password_check()
        )
        if self.state.dossier_is_current(dossier, inputs):
            outcome.dossier = dossier
            return None
        cover = {**context, "inhoud": contents_pages(parts)}
        write_bytes_atomic(cover_docx(outcome), templates.render(COVER_TEMPLATE, cover))
        return Cover(outcome, parts, dossier, inputs)

    def _scan_parts(self, outcome: StudentOutcome) -> list[Part]:
        """The scans of the signed sheet as parts of the dossier, images converted to PDF."""
        parts: list[Part] = []
        for scan in outcome.scans:
            try:
                pdf = self.scans.pdf(scan)
            except ImageError as e:
                outcome.problems.append(f"{scan.naam}: {e}; de scan staat niet in het dossier.")
                continue
            # From a scanner, not from LibreOffice: copied as a PDF from elsewhere.
            parts.append(Part(f"Ondertekeningsblad, getekend ({scan.path.name})", pdf, ours=False))
        return parts

    def finish(self, cover: Cover, error: str | None) -> None:
        """Bundle the dossier now that its cover page is a PDF (or say why there is none)."""
        outcome = cover.outcome
        cover_pdf = cover.docx.with_suffix(".pdf")
        if error is not None:
            outcome.problems.append("Het voorblad van het dossier kon niet worden gemaakt.")
            self.state.dossier_gone(cover.dossier)
            cover.docx.unlink(missing_ok=True)
            return
        skipped = build_dossier(
            cover_pdf,
            cover.parts,
            cover.dossier,
            info=DossierInfo(
                title=f"Dossier {outcome.decision.route.label} {outcome.leerling.naam}",
                school=self.settings.config.school_naam,
                leerlingnummer=outcome.leerling.leerlingnummer,
            ),
            password=self.settings.password,
        )
        for titel in skipped:
            outcome.problems.append(f"{titel} kon niet aan het dossier worden toegevoegd.")
        # A dossier that lacks a part is made again next run, when the part may be readable.
        self.state.dossier_made(cover.dossier, "" if skipped else cover.inputs)
        self._remove_old(outcome, cover.dossier)
        cover.docx.unlink(missing_ok=True)
        cover_pdf.unlink(missing_ok=True)
        outcome.dossier = cover.dossier

    def _remove_old(self, outcome: StudentOutcome, dossier: Path) -> None:
        """One student, one dossier: one made under an earlier name goes once the new one is
        there. Only a dossier we made: the state says so, or its own document information."""
        assert outcome.folder is not None
        number = outcome.leerling.leerlingnummer
        for old in outcome.folder.glob("dossier - *.pdf"):
            if old == dossier:
                continue
            if (
                self.state.is_our_dossier(old)
                or dossier_student(old, self.settings.password) == number
            ):
                old.unlink(missing_ok=True)
                self.state.dossier_gone(old)

    def _password_check(self) -> str:
        """What a dossier's inputs say about its password: nothing without one, else a
        salted scrypt digest, so that a rerun sees a changed password without opening every
        dossier. It tells no more about the password than the encrypted dossiers do."""
        if self.settings.password is None:
            return ""
        return f"versleuteld:{_scrypt(self.settings.password, self.state.salt())}"


@functools.lru_cache(maxsize=1)
def _scrypt(password: str, salt: str) -> str:
    # Slow on purpose (some 50 ms); cached, so once per run.
    return hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()
