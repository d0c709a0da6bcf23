"""What the overviews were last made from, so that a rerun leaves the unchanged ones alone.

Kept in the school year's folder (`MADE_FROM`): per overview the digest of its inputs and of the
file written, and what the students' Word files said (`DocumentReader`). A rerun that would
write the same content over an untouched file writes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib import import_module
from pathlib import Path
from typing import Any

from opp_docs.documents.reading import DocumentReader
from opp_docs.files import sha256_file, write_text_atomic

# In the school year's folder; hidden, as it is for opp-docs alone.
MADE_FROM = ".opp-docs-overzichten.json"
# The code that reads the documents and writes the overviews (`_code_digest`), by module name:
# imported when the digest is made, since the overview writers import this module.
CODE = (
    "opp_docs.models",
    "opp_docs.documents.formatting",
    "opp_docs.documents.ooxml",
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


def document_reader(year_dir: Path) -> DocumentReader:
    """A reader for the Word files in `year_dir` that knows what the last overviews read: a
    run reads its students' files with it while LibreOffice works (`student_status`), and
    `write_overviews` then finds them read."""
    return DocumentReader(MadeFrom.load(year_dir / MADE_FROM).documents)


class MadeFrom:
    """What the overviews were last made from (`MADE_FROM`, in the school year's folder): per
    overview the digest of its inputs and of the file written, and what the students' Word
    files said, by content digest. All of it is made anew when the code that reads the
    documents or writes the overviews changes."""

    def __init__(self, path: Path, files: dict[str, Any], documents: dict[str, Any]) -> None:
        self.path = path
        self.files = files
        self.documents = documents

    @classmethod
    def load(cls, path: Path) -> MadeFrom:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict) or data.get("code") != _code_digest():
            return cls(path, {}, {})
        files, documents = data.get("bestanden"), data.get("documenten")
        return cls(
            path,
            files if isinstance(files, dict) else {},
            documents if isinstance(documents, dict) else {},
        )

    def unchanged(self, target: Path, inputs: str) -> bool:
        """Whether `target` was made from `inputs` and nobody changed it since."""
        made = self.files.get(target.name)
        return (
            isinstance(made, list)
            and made[:1] == [inputs]
            and target.exists()
            and made[1:] == [sha256_file(target)]
        )

    def note(self, target: Path, inputs: str) -> None:
        self.files[target.name] = [inputs, sha256_file(target)]

    def save(self) -> None:
        data = {"code": _code_digest(), "bestanden": self.files, "documenten": self.documents}
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False))


@functools.cache
def _code_digest() -> str:
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
