"""What the runs wrote into one school year's folder, and from what: one file, one class.

The state makes a rerun cheap (a PDF, dossier or overview whose inputs did not change is not
made again) and tells our own unedited files from the staff's where a file carries no stamp
of its own (see `documents.stamp`). It is `.opp-docs-state.json` beside the manifest. A run
saves it between stages; what it writes in between is noted at once in a journal, so that a
killed run's work is taken over by the next.

Losing the file costs time, never staff work: every Word file we write says itself whose it
is and whether it changed. The manifest is written for people and scripts, never read back.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opp_docs.documents.stamp import parts_digest
from opp_docs.documents.working_copies import CopyRecords
from opp_docs.files import sha256_file, write_text_atomic
from opp_docs.models import DocumentOutcome, Written
from opp_docs.overviews.made_from import OverviewRecords

STATE = ".opp-docs-state.json"
JOURNAL = ".opp-docs-journal"
# 1: the sections as loose dictionaries (this file's keys are the same), the overviews' records
# in files of their own; 2: typed, with the overviews' records.
VERSION = 2
_OLD_OVERVIEWS = ".opp-docs-overzichten.json"
_OLD_TEACHERS_PDF = ".docentenoverzicht-pdf-bron"


@dataclass
class BuildState:
    """The state of one school year's folder (`folder`, not saved)."""

    folder: Path
    copies: CopyRecords = field(default_factory=CopyRecords)
    # What each document's PDF was made from, by the Word file's path (see `pdf_source`).
    pdfs: dict[str, str] = field(default_factory=dict)
    dossiers: dict[str, Written] = field(default_factory=dict)
    # The PDFs made of scanned images, by their path (named by the image's digest): what they
    # were made with (`images.CONVERSION`) and the PDF's hash.
    scans: dict[str, Written] = field(default_factory=dict)
    overviews: OverviewRecords = field(default_factory=OverviewRecords)
    # Each student's route at the last run, for `opp-docs planning` to see a change.
    routes: dict[str, str] = field(default_factory=dict)
    # Salt of the dossier password's digest; made when a run first encrypts.
    password_salt: str | None = None
    # The intake fields of each student with a plan at the last run: next school year's run
    # continues a plan also for a student who is not in its intake.
    leerlingen: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> BuildState:
        try:
            data = json.loads((folder / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        state = cls(folder) if not isinstance(data, dict) else _from_json(folder, data)
        if not isinstance(data, dict) or data.get("versie") != VERSION:
            pdf = folder / "docentenoverzicht.pdf"
            old = (folder / _OLD_OVERVIEWS, folder / _OLD_TEACHERS_PDF, pdf)
            state.overviews = OverviewRecords.from_old_files(*old)
        state._replay_journal()
        return state

    def save(self) -> None:
        data = {
            "versie": VERSION,
            "docx": {k: _written(v) for k, v in self.copies.written.items()},
            "aangeboden": self.copies.offered,
            "namen": self.copies.names,
            "pdf": self.pdfs,
            "dossier": {k: _written(v) for k, v in self.dossiers.items()},
            "scans": {k: _written(v) for k, v in self.scans.items()},
            "overzichten": self.overviews.to_json(),
            "routes": self.routes,
            "wachtwoordzout": self.password_salt,
            "leerlingen": self.leerlingen,
        }
        write_text_atomic(self.folder / STATE, json.dumps(data, indent=1, sort_keys=True))
        (self.folder / JOURNAL).unlink(missing_ok=True)
        # Version 1 kept the overviews' records in files of their own.
        (self.folder / _OLD_OVERVIEWS).unlink(missing_ok=True)
        (self.folder / _OLD_TEACHERS_PDF).unlink(missing_ok=True)

    def salt(self) -> str:
        """The password salt, made at first use; saved before any dossier depends on it."""
        if self.password_salt is None:
            self.password_salt = secrets.token_hex(16)
        return self.password_salt

    # --- PDFs and dossiers ------------------------------------------------------------------

    def pdf_is_current(self, doc: DocumentOutcome, pdfa: bool) -> bool:
        """Whether the document's PDF is there and made from its Word file as it is now."""
        if not doc.pdf.exists():
            return False
        key = self._key(doc.docx)
        made = self.pdfs.get(key)
        if made == pdf_source(doc.docx, pdfa):
            return True
        # Before stamps, a PDF's record was the whole Word file's hash: a PDF made from
        # these very bytes is still right, and gets today's record.
        if made == sha256_file(doc.docx) + (":pdfa" if pdfa else ""):
            self.pdfs[key] = pdf_source(doc.docx, pdfa)
            return True
        return False

    def pdf_made(self, docx: Path, pdfa: bool) -> None:
        key = self._key(docx)
        self.pdfs[key] = pdf_source(docx, pdfa)
        self._journal("pdf", key, self.pdfs[key])

    def dossier_is_current(self, dossier: Path, inputs: str) -> bool:
        """Whether `dossier` was made from `inputs` and is still the file written then: a copy
        put in its place (say, one without the password) is made again."""
        made = self.dossiers.get(self._key(dossier))
        return (
            made is not None
            and made.inputs == inputs
            and dossier.exists()
            and made.sha256 == sha256_file(dossier)
        )

    def dossier_made(self, dossier: Path, inputs: str) -> None:
        key = self._key(dossier)
        self.dossiers[key] = Written(inputs, sha256_file(dossier))
        self._journal("dossier", key, _written(self.dossiers[key]))

    def dossier_gone(self, dossier: Path) -> None:
        self.dossiers.pop(self._key(dossier), None)

    def scan_is_current(self, pdf: Path, inputs: str) -> bool:
        """Whether the PDF of a scanned image was made as `inputs` says and is unchanged."""
        made = self.scans.get(self._key(pdf))
        return (
            made is not None
            and made.inputs == inputs
            and pdf.exists()
            and made.sha256 == sha256_file(pdf)
        )

    def scan_made(self, pdf: Path, inputs: str) -> None:
        key = self._key(pdf)
        self.scans[key] = Written(inputs, sha256_file(pdf))
        self._journal("scan", key, _written(self.scans[key]))

    def scan_gone(self, pdf: Path) -> None:
        self.scans.pop(self._key(pdf), None)

    def is_our_dossier(self, dossier: Path) -> bool:
        made = self.dossiers.get(self._key(dossier))
        return made is not None and made.sha256 == sha256_file(dossier)

    # --- the journal ------------------------------------------------------------------------

    def _key(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def _journal(self, section: str, key: str, value: Any) -> None:
        """Note one write at once; the state itself is saved only between stages."""
        with (self.folder / JOURNAL).open("a", encoding="utf-8") as journal:
            journal.write(json.dumps([section, key, value], ensure_ascii=False) + "\n")

    def _replay_journal(self) -> None:
        """Take over what a killed run wrote after it last saved the state."""
        try:
            lines = (self.folder / JOURNAL).read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        for line in lines:
            try:
                section, key, value = json.loads(line)
            except (ValueError, TypeError):
                continue  # the last line of a killed run may be cut off
            if section == "pdf" and isinstance(value, str):
                self.pdfs[key] = value
            elif section == "dossier" and (made := _read_written(value)) is not None:
                self.dossiers[key] = made
            elif section == "scan" and (made := _read_written(value)) is not None:
                self.scans[key] = made
            elif section == "docx" and (made := _read_written(value)) is not None:
                # Version 1 noted a Word file just before replacing it: the note counts only
                # when the file on disk is the one noted.
                path = self.folder / key
                if path.is_file() and sha256_file(path) == made.sha256:
                    self.copies.written[key] = made


def pdf_source(docx: Path, pdfa: bool) -> str:
    """What a PDF is made from: its Word file's parts, and whether it is PDF/A. The stamp is
    left out (`stamp.parts_digest`): a changed intake that leaves a document's text as it was
    must not cost a conversion."""
    parts = f"delen:{parts_digest(docx)}"
    return f"{parts}:pdfa" if pdfa else parts


def _from_json(folder: Path, data: dict[str, Any]) -> BuildState:
    """The state as saved; what is malformed (a hand-edited file) is left out, which costs at
    most a conversion."""
    copies = CopyRecords(
        written=_records(data.get("docx")),
        offered=_strings(data.get("aangeboden")),
        names=_strings(data.get("namen")),
    )
    salt = data.get("wachtwoordzout")
    leerlingen = data.get("leerlingen")
    return BuildState(
        folder,
        copies=copies,
        pdfs=_strings(data.get("pdf")),
        dossiers=_records(data.get("dossier")),
        scans=_records(data.get("scans")),
        overviews=OverviewRecords.from_json(data.get("overzichten")),
        routes=_strings(data.get("routes")),
        password_salt=salt if isinstance(salt, str) else None,
        leerlingen=leerlingen if isinstance(leerlingen, dict) else {},
    )


def _written(made: Written) -> dict[str, str]:
    return {"inputs": made.inputs, "sha256": made.sha256}


def _read_written(value: object) -> Written | None:
    if isinstance(value, dict) and isinstance(value.get("sha256"), str):
        inputs = value.get("inputs")
        return Written(inputs if isinstance(inputs, str) else "", value["sha256"])
    return None


def _records(value: object) -> dict[str, Written]:
    if not isinstance(value, dict):
        return {}
    return {k: made for k, v in value.items() if (made := _read_written(v)) is not None}


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}
