"""What the overviews were last made from, so that a rerun leaves the unchanged ones alone.

Kept in the run state (`pipeline.state`): per overview the digest of its inputs and of the file
written, and what the students' Word files said (`DocumentReader`). A rerun that would write
the same content over an untouched file writes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from opp_docs.documents.reading import DocumentReader
from opp_docs.files import sha256_file
from opp_docs.models import Written

# The code that reads the documents and writes the overviews (`code_digest`), by module name:
# imported when the digest is made, since the overview writers import this module.
CODE = (
    "opp_docs.models",
    "opp_docs.documents.formatting",
    "opp_docs.documents.ooxml",
    "opp_docs.documents.parts",
    "opp_docs.documents.reading",
    "opp_docs.documents.render",
    "opp_docs.overviews.made_from",
    "opp_docs.overviews.entries",
    "opp_docs.overviews.sheets",
    "opp_docs.overviews.worklist",
    "opp_docs.overviews.teachers",
    "opp_docs.overviews.bron",
    "opp_docs.overviews.ics",
    "opp_docs.overviews.write",
)


@functools.cache
def code_digest() -> str:
    """The code that reads the documents and writes the overviews: a new version may write
    them differently, so nothing made by an older one is taken as it is."""
    digest = hashlib.sha256()
    for name in CODE:
        try:
            digest.update(Path(str(import_module(name).__file__)).read_bytes())
        except OSError:
            # Without its source (a frozen build) the code is unknown: nothing is reused.
            digest.update(os.urandom(16))
    return digest.hexdigest()


@dataclass
class OverviewRecords:
    """What this stage keeps between runs, in the run state: per overview file the digest of
    what it was made from and the hash of the file written (the teacher overview's PDF too,
    made from its Word file's content), and what the students' Word files said, by their
    content digest (`DocumentReader`). Recorded with the digest of the code that reads the
    documents and writes the overviews: a new version starts afresh."""

    files: dict[str, Written] = field(default_factory=dict)
    read: dict[str, dict[str, Any]] = field(default_factory=dict)
    code: str = field(default_factory=lambda: code_digest())
    # The teacher overview's PDF, by the content of the Word file it was made from: what
    # LibreOffice makes of it does not depend on our code, so a new version keeps it.
    pdfs: dict[str, Written] = field(default_factory=dict)

    def current(self) -> OverviewRecords:
        """These records, or only the PDFs' when another version of the code made them."""
        return self if self.code == code_digest() else OverviewRecords(pdfs=self.pdfs)

    def unchanged(self, target: Path, inputs: str) -> bool:
        """Whether `target` was made from `inputs` and nobody changed it since."""
        made = (self.pdfs if target.suffix == ".pdf" else self.files).get(target.name)
        return (
            made is not None
            and made.inputs == inputs
            and target.exists()
            and made.sha256 == sha256_file(target)
        )

    def note(self, target: Path, inputs: str) -> None:
        made = self.pdfs if target.suffix == ".pdf" else self.files
        made[target.name] = Written(inputs, sha256_file(target))

    def remove_if_unchanged(self, target: Path) -> None:
        """Forget an overview that is no longer made, and remove its file if it is still as
        written: one that someone changed is theirs now."""
        made = self.files.pop(target.name, None)
        if made is not None and target.is_file() and sha256_file(target) == made.sha256:
            target.unlink()

    def reader(self) -> DocumentReader:
        """A reader that knows what the last run read; what it reads is kept (`keep_read`)."""
        return DocumentReader(self.read)

    def keep_read(self, reader: DocumentReader) -> None:
        self.read = {key: facts for key, facts in reader.seen.items() if facts}

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "bestanden": _to_json(self.files),
            "documenten": self.read,
            "pdf": _to_json(self.pdfs),
        }

    @classmethod
    def from_json(cls, data: object) -> OverviewRecords:
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return cls()
        read = data.get("documenten")
        files, pdfs = _from_json(data.get("bestanden")), _from_json(data.get("pdf"))
        return cls(files, read if isinstance(read, dict) else {}, data["code"], pdfs)

    @classmethod
    def from_old_files(cls, made_from: Path, teachers_pdf: Path, pdf: Path) -> OverviewRecords:
        """The records as version 1 kept them: a file of their own, and the teacher PDF's
        source in another."""
        try:
            data = json.loads(made_from.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict):
            return cls()
        given = data.get("bestanden")
        old = {
            name: {"inputs": made[0], "sha256": made[1]}
            for name, made in (given.items() if isinstance(given, dict) else [])
            if isinstance(made, list) and len(made) == 2
        }
        records = cls.from_json({**data, "bestanden": old})
        try:
            source = teachers_pdf.read_text("utf-8")
            records.pdfs[pdf.name] = Written(source, sha256_file(pdf))
        except OSError:
            pass
        return records


def _to_json(records: dict[str, Written]) -> dict[str, dict[str, str]]:
    return {k: {"inputs": v.inputs, "sha256": v.sha256} for k, v in records.items()}


def _from_json(given: object) -> dict[str, Written]:
    records: dict[str, Written] = {}
    for name, made in given.items() if isinstance(given, dict) else []:
        if isinstance(made, dict) and {"inputs", "sha256"} <= set(made):
            records[name] = Written(str(made["inputs"]), str(made["sha256"]))
    return records
