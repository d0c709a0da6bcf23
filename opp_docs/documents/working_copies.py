"""A student's Word files: written when they are ours, left alone once a person worked in them.

Per student and document kind, the files found (`student_files.StudentFiles`) are either ours
(as opp-docs wrote them) or a person's. Ours are rewritten in place when what they say
changes, under the student's current name. A person's file is never overwritten, renamed or
removed: when what it was made from changed, a new version goes beside it under a name no
file has, and every edited version stays in the dossier.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from opp_docs.documents.compiled import TemplateCache
from opp_docs.documents.context import with_plan
from opp_docs.documents.letters import Letter, letter_values, letters
from opp_docs.documents.parts import EMPTY_PLAN, PlanParts
from opp_docs.documents.reading import DocumentReader
from opp_docs.documents.stamp import Stamp
from opp_docs.documents.student_files import (
    StudentFiles,
    WordFile,
    document_name,
    free_path,
    remove_ours,
)
from opp_docs.files import inside, text_digest, write_bytes_atomic
from opp_docs.models import (
    DOCUMENTS_PER_ROUTE,
    DocumentKind,
    DocumentOutcome,
    SchoolYear,
    StudentOutcome,
    Written,
)

# New versions beside a person's file: "(nieuwe versie)", then "(nieuwe versie 2)" and on.
_MAX_VERSIONS = 99


# The documents that list what the plan says, and the plans.
EVALUATIONS = (DocumentKind.TUSSENEVALUATIE, DocumentKind.EINDEVALUATIE)
PLANS = (DocumentKind.OPP, DocumentKind.OPP_LIGHT)

# Bumped when the rendering code changes in a way that must re-render every document.
RENDER_VERSION = "1"


@dataclass(frozen=True)
class Inputs:
    """What one student's documents are made from: the template context; what it says (the
    context without today's date, as JSON) and the settings' digest, which with each kind's
    template make the digest a document records as its `invoer`."""

    context: dict[str, Any]
    said: str
    settings: str
    # The day the deadlines in `context` count from, kept in each file's stamp.
    peildatum: dt.date | None = None

    def digest(self, template: str) -> str:
        return text_digest(RENDER_VERSION + self.said + template + self.settings)

    def with_plan(self, parts: PlanParts) -> Inputs:
        """The inputs of an evaluation form: also what the plan says now. So the form follows
        the plan until a person edits it; the other documents do not depend on the plan."""
        context = with_plan(self.context, parts)
        said = json.dumps(context["plan"], sort_keys=True, ensure_ascii=False)
        return Inputs(context, self.said + said, self.settings, self.peildatum)

    def for_letter(self, letter: Letter) -> Inputs:
        """What one letter is made from: the student's context with its `brief`. Only the
        letter gets it, so the other documents' inputs stay what they were."""
        brief = letter_values(letter)
        said = self.said + "\nbrief=" + json.dumps(brief, sort_keys=True, ensure_ascii=False)
        return replace(self, context={**self.context, "brief": brief}, said=said)


@dataclass
class CopyRecords:
    """What this stage keeps between runs, in the run state: the Word files we wrote (by path
    below the school year's folder), the inputs a new version was last offered for (by
    student and kind), and each student's name at the last run."""

    written: dict[str, Written] = field(default_factory=dict)
    offered: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CopyJob:
    """Where and with what one run writes: the school year's folder and year, the templates,
    the student numbers of the run, and the reader of what staff wrote (the plans)."""

    year_dir: Path
    schooljaar: SchoolYear
    templates: TemplateCache
    numbers: set[str]
    reader: DocumentReader = field(default_factory=DocumentReader)
    # The students' files as found at the start of the run, when the caller read them already.
    files: StudentFiles | None = None


@dataclass(frozen=True)
class _Due:
    """What one document of a student is to be: its kind, what it is made from, its stamp."""

    kind: DocumentKind
    inputs: Inputs
    stamp: Stamp

    @property
    def adres(self) -> int:
        return self.stamp.adres


class WorkingCopies:
    """The Word files of one run, with `records` carried over from the last."""

    def __init__(self, job: CopyJob, records: CopyRecords) -> None:
        self.year_dir = job.year_dir
        self.schooljaar = job.schooljaar
        self.records = records.written
        self.offered = records.offered
        self.names = records.names
        self.templates = job.templates
        self.numbers = job.numbers
        self.reader = job.reader
        self.files = job.files or StudentFiles(job.year_dir, job.schooljaar, self.records)

    def student(self, outcome: StudentOutcome, inputs: Inputs) -> list[DocumentOutcome]:
        """Write what is due for one student and give their documents (also noted in
        `outcome`, with what a person should know)."""
        leerling = outcome.leerling
        kinds = DOCUMENTS_PER_ROUTE[outcome.decision.route]
        if not kinds or outcome.wacht:
            return []
        home, problems = self.files.home(leerling, self.numbers)
        outcome.folder = inside(self.year_dir, home)
        outcome.problems.extend(problems)
        before = self.names.get(leerling.leerlingnummer)
        if before and before != leerling.naam:
            outcome.problems.append(
                f"De naam in de intake is veranderd van '{before}' in '{leerling.naam}'. "
                "Bewerkte bestanden en de map houden hun naam; opp-docs vindt ze aan het "
                "leerlingnummer. Nog niet bewerkte documenten zijn opnieuw gemaakt."
            )
        if not outcome.blocked:
            self.names[leerling.leerlingnummer] = leerling.naam
        plan = EMPTY_PLAN
        for kind in kinds:
            if kind is DocumentKind.INFORMATIEBRIEF:
                outcome.documents.extend(self._letters(outcome, inputs))
                continue
            due = inputs.with_plan(plan) if kind in EVALUATIONS else inputs
            documents = self._kind(outcome, kind, due)
            outcome.documents.extend(documents)
            if kind in PLANS and documents:
                # The newest version staff worked in, or ours: what the evaluations list.
                plan = self._read_plan(documents[0].docx, outcome)
        return outcome.documents

    def _read_plan(self, docx: Path, outcome: StudentOutcome) -> PlanParts:
        try:
            with self.reader.open(docx) as word:
                return word.plan()
        except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
            # student_status reports the unreadable file; the forms keep their prompts.
            return EMPTY_PLAN

    def unchanged(self, outcome: StudentOutcome, kind: DocumentKind, inputs: Inputs) -> bool:
        """Whether `student` would leave the student's document of `kind` as it is: a file of
        it was made from `inputs`, its new version was offered already, or the student gets no
        new documents this run."""
        if outcome.blocked or outcome.wacht:
            return True
        if kind is DocumentKind.INFORMATIEBRIEF:
            return all(
                self._unchanged(outcome, kind, inputs.for_letter(letter), letter.nummer)
                for letter in letters(outcome.leerling)
            )
        return self._unchanged(outcome, kind, inputs, 1)

    def _unchanged(
        self, outcome: StudentOutcome, kind: DocumentKind, inputs: Inputs, adres: int
    ) -> bool:
        number = outcome.leerling.leerlingnummer
        invoer = inputs.digest(self.templates.digest(kind.value))
        found = [w for w in self.files.documents(number, kind) if w.adres == adres]
        if any(w.invoer == invoer for w in found):
            return True
        staff = any(w.ours is False for w in found)
        return staff and self.offered.get(_offer_key(number, kind, adres)) == invoer

    def _letters(self, outcome: StudentOutcome, inputs: Inputs) -> list[DocumentOutcome]:
        """The parents' letters, one per address (`letters.py`), each a document of its own:
        found by its number in the stamp, named "(adres 2)" from the second on."""
        kind = DocumentKind.INFORMATIEBRIEF
        due = letters(outcome.leerling)
        documents = []
        for letter in due:
            documents.extend(self._kind(outcome, kind, inputs.for_letter(letter), letter.nummer))
        number = outcome.leerling.leerlingnummer
        gone = [w for w in self.files.documents(number, kind) if w.adres > len(due)]
        # A letter to an address the intake no longer gives: ours goes, a person's stays.
        self._drop([w for w in gone if w.ours], keep=None)
        for word in gone:
            if word.ours is False:
                documents.append(self._outcome(word.path, kind, bewerkt=True, adres=word.adres))
                outcome.problems.append(
                    f"{word.path.name} is door een medewerker bewerkt, maar de intake geeft geen "
                    f"{word.adres}e adres meer. Het blijft staan en in het dossier; haal het uit "
                    "de map als het niet meer geldt."
                )
        return documents

    def _kind(
        self, outcome: StudentOutcome, kind: DocumentKind, inputs: Inputs, adres: int = 1
    ) -> list[DocumentOutcome]:
        number = outcome.leerling.leerlingnummer
        invoer = inputs.digest(self.templates.digest(kind.value))
        peildatum = inputs.peildatum.isoformat() if inputs.peildatum else ""
        stamp = Stamp(number, kind.value, str(self.schooljaar), invoer, peildatum, adres)
        found = [w for w in self.files.documents(number, kind) if w.adres == adres]
        for word in found:
            if word.ours is None:
                self._settle(word, inputs)
        staff = sorted((w for w in found if not w.ours), key=lambda w: w.mtime, reverse=True)
        ours = [w for w in found if w.ours]
        due = _Due(kind, inputs, stamp)
        if not staff:
            return self._ours(outcome, ours, due)
        return self._staff(outcome, staff, ours, due)

    def _settle(self, word: WordFile, inputs: Inputs) -> None:
        """A file of an older version without a record (the state file was lost, say) is ours
        only when it is what we would write now; otherwise it is a person's."""
        made = self.templates.render(word.kind.value, inputs.context)
        word.ours = word.path.read_bytes() == made

    def _ours(
        self, outcome: StudentOutcome, ours: list[WordFile], due: _Due
    ) -> list[DocumentOutcome]:
        """No person worked in this document: it is ours, at the student's current name."""
        assert outcome.folder is not None
        kind, stamp = due.kind, due.stamp
        target = outcome.folder / document_name(kind, outcome.leerling, adres=due.adres)
        current = next((w for w in ours if w.path == target), ours[0] if ours else None)
        if current is not None and (current.invoer == stamp.invoer or outcome.blocked):
            self._drop(ours, keep=current.path)
            return [self._outcome(current.path, kind, bewerkt=False, adres=due.adres)]
        if outcome.blocked:
            # A student with unusable intake cells gets no new documents this run.
            return []
        if current is None or current.path != target:
            mine = {w.path for w in ours}
            target = (
                target if target in mine else free_path(target.parent, self._names(due, outcome))
            )
        self._write(target, due)
        self._drop(ours, keep=target)
        return [self._outcome(target, kind, bewerkt=False, adres=due.adres)]

    def _staff(
        self, outcome: StudentOutcome, staff: list[WordFile], ours: list[WordFile], due: _Due
    ) -> list[DocumentOutcome]:
        """A person worked in this document: every version they edited is the document, the
        newest first; a new version of ours stands beside it when what it says changed."""
        assert outcome.folder is not None
        kind, stamp = due.kind, due.stamp
        newest = staff[0]
        key = _offer_key(outcome.leerling.leerlingnummer, kind, due.adres)
        fresh = next((w for w in ours if w.invoer == stamp.invoer), ours[0] if ours else None)
        nieuw: Path | None = None
        if any(w.invoer == stamp.invoer for w in staff) and not outcome.blocked:
            # A person worked in a file made from what the document says now: a version of
            # ours beside it (offered when something had changed, and changed back since)
            # has nothing new to offer, and goes.
            self._drop(ours, keep=None)
        elif fresh is not None:
            nieuw = fresh.path
            if fresh.invoer != stamp.invoer and not outcome.blocked:
                self._write(fresh.path, due)
            self._drop(ours, keep=fresh.path)
        elif not outcome.blocked and stamp.invoer not in {
            self.offered.get(key),
            *(w.invoer for w in staff),
        }:
            nieuw = free_path(newest.path.parent, self._names(due, outcome, first=1))
            self._write(nieuw, due)
        if nieuw is not None:
            self.offered[key] = stamp.invoer
            outcome.problems.append(
                f"{newest.path.name} is door een medewerker bewerkt en niet overschreven; "
                f"de nieuwe versie staat ernaast: {nieuw.name}."
            )
        if len(staff) > 1:
            names = ", ".join(w.path.name for w in staff)
            outcome.problems.append(
                f"Van {kind.titel} zijn {len(staff)} bewerkte versies: {names}. Ze staan alle "
                "in het dossier, de nieuwste eerst; haal een versie die niet meer geldt uit de "
                "map."
            )
        documents = []
        for n, word in enumerate(staff):
            doc = self._outcome(word.path, kind, bewerkt=True, adres=due.adres)
            doc.nieuwe_versie = nieuw
            if n:
                doc.titel = f"{doc.titel} (andere bewerkte versie)"
            documents.append(doc)
        return documents

    def _names(self, due: _Due, outcome: StudentOutcome, first: int = 0) -> list[str]:
        return [
            document_name(due.kind, outcome.leerling, v, due.adres)
            for v in range(first, _MAX_VERSIONS)
        ]

    def _write(self, target: Path, due: _Due) -> None:
        stamp = due.stamp
        data = self.templates.render(due.kind.value, due.inputs.context, stamp)
        key = target.relative_to(self.year_dir).as_posix()
        # The stamp tells a file ours even when the state is lost; the record still gives the
        # manifest the hash of what we wrote.
        self.records[key] = Written(stamp.invoer, hashlib.sha256(data).hexdigest())
        write_bytes_atomic(target, data)

    def _drop(self, ours: list[WordFile], keep: Path | None) -> None:
        """Our own unedited copies besides `keep` (under a name the student no longer has,
        say) go, with their PDFs: one student, one file per document. Only where we wrote
        them: a copy a person made stays, even unedited (it is not in the dossier)."""
        for word in ours:
            key = word.path.relative_to(self.year_dir).as_posix()
            if word.path != keep and key in self.records:
                remove_ours(word.path)
                del self.records[key]

    def _outcome(
        self, docx: Path, kind: DocumentKind, *, bewerkt: bool, adres: int = 1
    ) -> DocumentOutcome:
        record = self.records.get(docx.relative_to(self.year_dir).as_posix())
        written = record.sha256 if record is not None else ""
        if not bewerkt and not written:
            written = hashlib.sha256(docx.read_bytes()).hexdigest()
        return DocumentOutcome(kind, docx, docx.with_suffix(".pdf"), written, bewerkt, adres=adres)


def _offer_key(number: str, kind: DocumentKind, adres: int) -> str:
    """Where `offered` keeps the inputs a new version was offered for: per student, kind and,
    from the second letter on, address."""
    key = f"{number}/{kind.value}"
    return key if adres == 1 else f"{key}/adres {adres}"
