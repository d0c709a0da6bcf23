"""Where each student's Word files are: found by what they are, not by what they are called.

A run looks at every Word file under `leerlingen/` once. A file stamped by opp-docs (see
`stamp.py`) says itself whose document it is and whether it is still as we wrote it; a file
of an older version is known by its folder's leading student number and its name. So a
renamed folder, a corrected surname or a lost state file never hides a document that a
person worked on. The names made here are cut so that their suffixes and extension survive.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from opp_docs.documents.stamp import read_stamp
from opp_docs.files import STUDENTS_DIR, safe_name, sha256_file
from opp_docs.models import DocumentKind, Leerling, SchoolYear, Written

NEW_VERSION = "nieuwe versie"
ADDRESS = "adres"
# Longest first, so that "opp-light - …" is not taken for "opp - …".
_KINDS_BY_PREFIX = sorted(DocumentKind, key=lambda k: -len(k.value))


@dataclass
class WordFile:
    """One Word file of a student's document."""

    path: Path
    kind: DocumentKind
    leerlingnummer: str
    # True: as opp-docs wrote it; False: a person changed it (or it is not ours at all);
    # None: a file of an older version without a record, still to be compared with what
    # opp-docs would write (`Documents.settle`).
    ours: bool | None
    # The digest of what it was rendered from, when known.
    invoer: str | None
    # The day its deadlines count from, when its stamp says (see `stamp.Stamp.peildatum`).
    peildatum: dt.date | None = None
    # Which of the student's letters it is (`letters.py`); 1 for every other document.
    adres: int = 1

    @property
    def mtime(self) -> float:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return 0.0


def folder_name(leerling: Leerling) -> str:
    # The number keeps two students with the same name apart, and finds the folder back
    # after a person renamed it ("990103 Visser, Daan - afgerond").
    return safe_name(f"{leerling.leerlingnummer} {leerling.achternaam}, {leerling.roepnaam}")


def document_name(kind: DocumentKind, leerling: Leerling, version: int = 0, adres: int = 1) -> str:
    """The file name of a document; version 1 and up are the new versions written beside a
    file that staff edited. A letter to a second address says so: "(adres 2)"."""
    extra = f" ({NEW_VERSION} {version})" if version > 1 else f" ({NEW_VERSION})" * version
    letter = f" ({ADDRESS} {adres})" if adres != 1 else ""
    return safe_name(f"{kind.value} - {leerling.naam}", suffix=f"{letter}{extra}.docx")


def dossier_name(leerling: Leerling) -> str:
    return safe_name(f"dossier - {leerling.naam}", suffix=".pdf")


class StudentFiles:
    """The students' folders and Word files in one school year's output, as found at the
    start of a run. `records` is what the state says opp-docs wrote, by path: it tells
    whether a file of an older version (without a stamp) is still ours."""

    def __init__(
        self, year_dir: Path, schooljaar: SchoolYear, records: Mapping[str, Written]
    ) -> None:
        self.year_dir = year_dir
        self.root = year_dir / STUDENTS_DIR
        self._by_number: dict[str, list[Path]] = defaultdict(list)
        self._files: dict[str, list[WordFile]] = defaultdict(list)
        for folder in self._folders():
            number = folder.name.split(" ", 1)[0]
            self._by_number[number].append(folder)
            for path in sorted(folder.iterdir()):
                found = self._word_file(path, number, str(schooljaar), records)
                if found is not None:
                    self._files[found.leerlingnummer].append(found)

    def _folders(self) -> list[Path]:
        try:
            entries = sorted(self.root.iterdir())
        except FileNotFoundError:
            return []
        # A folder that is a link leads out of the output: never read (the run refuses it).
        return [
            e for e in entries if not e.name.startswith(".") and e.is_dir() and not e.is_symlink()
        ]

    def _word_file(
        self, path: Path, number: str, schooljaar: str, records: Mapping[str, Written]
    ) -> WordFile | None:
        name = path.name
        # Word's owner files (~$…) and our own temporary files are nobody's document.
        if not name.lower().endswith(".docx") or name.startswith(("~$", ".")):
            return None
        if not path.is_file():
            return None
        found = read_stamp(path)
        if found is not None:
            try:
                kind = DocumentKind(found.stamp.soort)
            except ValueError:
                return None
            # A copy from another school year is a person's file in this one.
            ours = found.unchanged and found.stamp.schooljaar == schooljaar
            stamp = found.stamp
            peildatum = _iso_date(stamp.peildatum)
            return WordFile(
                path, kind, stamp.leerlingnummer, ours, stamp.invoer, peildatum, stamp.adres
            )
        legacy = next((k for k in _KINDS_BY_PREFIX if name.startswith(f"{k.value} - ")), None)
        if legacy is None:
            return None
        record = records.get(path.relative_to(self.year_dir).as_posix())
        if record is not None:
            return WordFile(path, legacy, number, sha256_file(path) == record.sha256, record.inputs)
        return WordFile(path, legacy, number, None, None)

    def numbered_folders(self, leerlingnummer: str) -> list[Path]:
        """Folders whose name starts with the student number."""
        return list(self._by_number.get(leerlingnummer, []))

    def documents(self, leerlingnummer: str, kind: DocumentKind) -> list[WordFile]:
        return [f for f in self._files.get(leerlingnummer, []) if f.kind == kind]

    def has_documents(self, leerlingnummer: str) -> bool:
        return bool(self._files.get(leerlingnummer))

    def peildatum(self, leerlingnummer: str) -> dt.date | None:
        """The latest day the student's documents say their deadlines count from (the files
        written last carry it), or None when none says."""
        days = [f.peildatum for f in self._files.get(leerlingnummer, []) if f.peildatum]
        return max(days, default=None)

    def home(self, leerling: Leerling, numbers: set[str]) -> tuple[Path, list[str]]:
        """The student's folder, and what a person should know about it. It is the folder
        named by the student's number (the one holding their files when there are more), or
        else the folder holding their files (renamed without the number); a new folder only
        when there is neither. `numbers` are the run's students: a folder named by another
        student's number is never this student's home."""
        number = leerling.leerlingnummer
        files = self._files.get(number, [])
        holding = {f.path.parent for f in files}
        named = self.numbered_folders(number)
        problems: list[str] = []
        if named:
            home = max(named, key=lambda f: (f in holding, sum(w.path.parent == f for w in files)))
            if len(named) > 1:
                others = ", ".join(f"'{f.name}'" for f in named if f != home)
                problems.append(
                    f"Er zijn meer mappen met leerlingnummer {number}: '{home.name}' wordt "
                    f"gebruikt, ook {others}. Zet de bestanden in één map en verwijder de lege."
                )
        else:
            unnamed = [f for f in holding if f.name.split(" ", 1)[0] not in numbers]
            if unnamed:
                home = max(unnamed, key=lambda f: sum(w.path.parent == f for w in files))
            else:
                home = self.root / folder_name(leerling)
        for word in files:
            owner = word.path.parent.name.split(" ", 1)[0]
            if word.path.parent != home and owner in numbers and owner != number:
                problems.append(
                    f"{word.path.name} staat in de map van leerling {owner}, maar hoort bij "
                    f"leerling {number}. Het telt mee voor {number}; verplaats het naar "
                    f"'{home.name}'."
                )
        return home, problems


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None  # a property a person changed: the file says nothing


def remove_ours(path: Path) -> None:
    """Remove a Word file of ours (never a person's) and the PDF made from it."""
    path.unlink(missing_ok=True)
    path.with_suffix(".pdf").unlink(missing_ok=True)


def free_path(folder: Path, names: list[str]) -> Path:
    """The first of `names` in `folder` that no file has: a new file never replaces one."""
    for name in names:
        candidate = folder / name
        if not os.path.lexists(candidate):
            return candidate
    raise FileExistsError(folder / names[-1])
