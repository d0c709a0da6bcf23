"""Reading the students' Word files back, as staff left them: how far each document is, and what
staff wrote in it that others need (the plan's handling advice for teachers).

After the first run the Word files are the staff's (see documents.md), so what the overviews
show of a plan comes from the file on disk, never from what the software once wrote.
`DocumentReader` remembers what it read by the file's content digest: a rerun opens only the
files that changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from lxml import etree

from opp_docs.documents.ooxml import DOCUMENT, W
from opp_docs.documents.parts import (
    Decision,
    EvaluationParts,
    Mark,
    PlanParts,
    evaluation_from_json,
    evaluation_to_json,
    plan_from_json,
    plan_to_json,
    read_evaluation,
    read_plan,
)
from opp_docs.documents.parts import paragraph_text as written_text
from opp_docs.documents.render import PROMPT_STYLE, parsed_styles, prompts_in, styled
from opp_docs.models import DeadlineKind, DocumentKind, StudentOutcome

# The steps of the procedure in order, by their deadline.
STEPS = tuple(DeadlineKind)
PLANS = (DocumentKind.OPP, DocumentKind.OPP_LIGHT)
_READ = (*PLANS, DocumentKind.TUSSENEVALUATIE, DocumentKind.EINDEVALUATIE)


class Stage(StrEnum):
    """How far a student's plan is, as its files show it; never a flag a person sets."""

    CONCEPT = "concept"
    AF = "plan af"
    ONDERTEKEND = "ondertekend"
    TUSSENEVALUATIE = "tussenevaluatie gehouden"
    EINDEVALUATIE = "eindevaluatie gehouden"


# The step each stage completes, with every step before it.
_STAGE_STEP = {
    Stage.AF: DeadlineKind.OPP,
    Stage.ONDERTEKEND: DeadlineKind.ONDERTEKENING,
    Stage.TUSSENEVALUATIE: DeadlineKind.TUSSENEVALUATIE,
    Stage.EINDEVALUATIE: DeadlineKind.EINDEVALUATIE,
}


@dataclass(frozen=True)
class StudentStatus:
    """What the student's Word files say: how far the plan is, and what teachers should know."""

    # Open prompts in the plan (OPP or OPP light); None when there is no readable plan file.
    plan_prompts: int | None = None
    # Deadline keys whose task is visibly done; their dates are no longer coloured.
    done: frozenset[str] = frozenset()
    # The handling advice and facilities from the plan, one paragraph each, as staff wrote them.
    advice: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    # How far the plan is; None without a plan file.
    stage: Stage | None = None
    # What the plan says (goals, perspective), and what the final evaluation decided.
    plan: PlanParts | None = None
    besluit: Decision | None = None
    # The dates of the evaluation meetings, as written in the forms.
    tussenevaluatie: dt.date | None = None
    eindevaluatie: dt.date | None = None

    @property
    def stage_text(self) -> str:
        """The stage as the worklist writes it: "eindevaluatie gehouden: voortzetten"."""
        if self.stage is Stage.EINDEVALUATIE and self.besluit is not None:
            return f"{self.stage.value}: {self.besluit.value}"
        return self.stage.value if self.stage is not None else ""

    def next_step(self) -> DeadlineKind | None:
        """The first step of the procedure not done yet."""
        return next((step for step in STEPS if step not in self.done), None)


def student_status(outcome: StudentOutcome, reader: DocumentReader | None = None) -> StudentStatus:
    """Read the student's documents: the plan's prompts, goals and advice, the evaluations'
    dates and decision, and so how far the plan is.

    A plan is finished when no prompts are left; signed when the intake or a signed scan gives
    a date (`outcome.ondertekend`); an evaluation is held when its form holds the date of the
    meeting or no prompts any more. Every earlier step then counts as done too: a plan is only
    finished after the parents' letter and the registration; an evaluation only happens after
    the signing.
    """
    reader = reader or DocumentReader()
    found = _Found()
    for doc in outcome.documents:
        # Of several edited versions the newest (the first) counts.
        if doc.kind not in _READ or doc.kind in found.read or not doc.docx.exists():
            continue
        try:
            with reader.open(doc.docx) as word:
                found.read_document(doc.kind, doc.docx.name, word)
        except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as e:
            found.problems.append(
                f"{doc.docx.name} kan niet worden gelezen als Word-bestand ({e})."
            )
    return found.status(outcome.ondertekend)


class _Found:
    """What `student_status` read so far from one student's files."""

    def __init__(self) -> None:
        self.read: set[DocumentKind] = set()
        self.problems: list[str] = []
        self.plan_prompts: int | None = None
        self.advice: tuple[str, ...] = ()
        self.plan: PlanParts | None = None
        self.held: dict[DocumentKind, dt.date | None] = {}
        self.besluit: Decision | None = None

    def read_document(self, kind: DocumentKind, name: str, word: _WordFile) -> None:
        self.read.add(kind)
        prompts = word.prompts()
        if kind in PLANS:
            self.plan_prompts = prompts
            self.advice = word.advice()
            self.plan = word.plan()
            self._missing(name, self.plan.missing)
            return
        final = kind is DocumentKind.EINDEVALUATIE
        form = word.evaluation(final=final)
        if form.datum is not None or prompts == 0:
            self.held[kind] = form.datum
            if final:
                self.besluit = form.besluit
                if form.besluit is None and Mark.BESLUIT not in form.missing:
                    self.problems.append(
                        f"{name}: het besluit is niet te lezen ({form.besluit_probleem}). "
                        "Kruis in het besluit één vakje aan: voortgezet of beëindigd."
                    )
        self._missing(name, form.missing)

    def _missing(self, name: str, missing: tuple[Mark, ...]) -> None:
        if not missing:
            return
        parts = ", ".join(mark.titel for mark in missing)
        marks = ", ".join(f"'{mark.value}'" for mark in missing)
        self.problems.append(
            f"{name}: opp-docs kan niet teruglezen: {parts}. De bladwijzers ({marks}) "
            "die deze delen markeren zijn weg, of het bestand is met een ouder sjabloon "
            "gemaakt. Neem het deel over in de nieuwe versie van het sjabloon als opp-docs "
            "het moet lezen."
        )

    def status(self, ondertekend: dt.date | None) -> StudentStatus:
        stage: Stage | None = None
        if self.plan_prompts is not None:
            stage = Stage.AF if self.plan_prompts == 0 else Stage.CONCEPT
        if ondertekend is not None:
            stage = Stage.ONDERTEKEND
        if DocumentKind.TUSSENEVALUATIE in self.held:
            stage = Stage.TUSSENEVALUATIE
        if DocumentKind.EINDEVALUATIE in self.held:
            stage = Stage.EINDEVALUATIE
        reached = STEPS.index(_STAGE_STEP[stage]) if stage in _STAGE_STEP else -1
        return StudentStatus(
            plan_prompts=self.plan_prompts,
            done=frozenset(STEPS[: reached + 1]),
            advice=self.advice,
            problems=tuple(self.problems),
            stage=stage,
            plan=self.plan,
            besluit=self.besluit,
            tussenevaluatie=self.held.get(DocumentKind.TUSSENEVALUATIE),
            eindevaluatie=self.held.get(DocumentKind.EINDEVALUATIE),
        )


class DocumentReader:
    """Reads what the overviews need from Word files (`count_prompts`, `handling_advice`),
    and remembers it by the file's content digest: a rerun only opens the files that changed.
    `known` is what an earlier run read; `seen` what this one needed, to keep for the next.

    One run asks about the same file several times (the evaluations list the plan's goals,
    the manifest and the overviews show its stage): a file unchanged since it was read this
    run (same size, same modification time to the nanosecond) is not read or hashed again."""

    def __init__(self, known: dict[str, Any] | None = None) -> None:
        self._known = known or {}
        self.seen: dict[str, dict[str, Any]] = {}
        self._digests: dict[tuple[Path, int, int], str] = {}

    @contextmanager
    def open(self, path: Path) -> Iterator[_WordFile]:
        status = path.stat()
        when = (path, status.st_mtime_ns, status.st_size)
        data: bytes | Path = path
        key = self._digests.get(when)
        if key is None:
            data = path.read_bytes()
            key = self._digests[when] = hashlib.sha256(data).hexdigest()
        if key not in self.seen:
            known = self._known.get(key)
            self.seen[key] = dict(known) if isinstance(known, dict) else {}
        word = _WordFile(data, self.seen[key])
        try:
            yield word
        finally:
            word.close()


class _WordFile:
    """One Word file's content, opened and parsed only for what is not known yet; `data` is
    its bytes, or its path when they were not read (yet)."""

    def __init__(self, data: bytes | Path, facts: dict[str, Any]) -> None:
        self._data = data
        self._facts = facts
        self._zip: zipfile.ZipFile | None = None
        self._document: Any = None
        self._prompt: Callable[[Any], bool] | None = None

    def prompts(self) -> int:
        if not isinstance(self._facts.get("invulinstructies"), int):
            self._facts["invulinstructies"] = prompts_in(self._package(), self._parsed_document)
        return int(self._facts["invulinstructies"])

    def advice(self) -> tuple[str, ...]:
        known = self._facts.get("adviezen")
        if not isinstance(known, list) or not all(isinstance(line, str) for line in known):
            known = list(advice_in(self._package(), self._parsed_document))
            self._facts["adviezen"] = known
        return tuple(known)

    def plan(self) -> PlanParts:
        """The goals, perspective and factors of a plan (`parts.read_plan`)."""
        try:
            return plan_from_json(self._facts["plan"])
        except (KeyError, TypeError, ValueError, AttributeError):
            parts = read_plan(self._body(), self._prompt_runs())
            self._facts["plan"] = plan_to_json(parts)
            return parts

    def evaluation(self, *, final: bool) -> EvaluationParts:
        """The date, progress per goal and (`final`) decision of an evaluation form."""
        key = "eindevaluatie" if final else "tussenevaluatie"
        try:
            return evaluation_from_json(self._facts[key])
        except (KeyError, TypeError, ValueError, AttributeError):
            parts = read_evaluation(self._body(), self._prompt_runs(), final=final)
            self._facts[key] = evaluation_to_json(parts)
            return parts

    def _body(self) -> Any:
        body = self._parsed_document().find(f"{W}body")
        if body is None:
            raise KeyError("w:body")
        return body

    def _prompt_runs(self) -> Callable[[Any], bool]:
        # Once per file: the plan's goals, perspective and factors all ask.
        if self._prompt is None:
            self._prompt = prompt_runs(self._package(), self._parsed_document())
        return self._prompt

    def _package(self) -> zipfile.ZipFile:
        if self._zip is None:
            data = self._data if isinstance(self._data, bytes) else self._data.read_bytes()
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        return self._zip

    def _parsed_document(self) -> Any:
        if self._document is None:
            self._document = etree.fromstring(self._package().read(DOCUMENT))
        return self._document

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


# ---------------------------------------------------------------------------------------------
# What staff wrote

# The heading of the section in the plan template, and the facility lines above it.
ADVICE_HEADING = re.compile(r"handelingsadvie", re.IGNORECASE)
FACILITY = re.compile(r"^\s*faciliteiten\b[^:]*:\s*\S", re.IGNORECASE)


def handling_advice(plan: Path) -> tuple[str, ...]:
    """The text under the heading 'Handelingsadviezen voor docenten', without prompts, followed
    by the filled-in facility lines ('Faciliteiten dyslexie: …'). Empty when none is written.

    Read from the XML rather than python-docx's paragraphs, so that text inside tracked
    insertions, hyperlinks and content controls counts too.
    """
    with zipfile.ZipFile(plan) as z:
        return advice_in(z, lambda: etree.fromstring(z.read(DOCUMENT)))


def advice_in(docx: zipfile.ZipFile, document: Callable[[], Any]) -> tuple[str, ...]:
    """`handling_advice` of an open Word file; `document` gives its word/document.xml parsed."""
    styles = parsed_styles(docx, _style_names)
    body = document().find(f"{W}body")
    if body is None:
        return ()
    paragraph_styles = styled(body, "p")
    prompt = prompt_runs(docx, body)
    advice: list[str] = []
    facilities: list[str] = []
    in_section = False
    for p in body.iter(f"{W}p"):
        style = styles.get(_attr(paragraph_styles.get(p)), "").casefold()
        text = written_text(p, prompt)
        if style.startswith(("heading", "kop", "title")):
            in_section = bool(ADVICE_HEADING.search(text))
            continue
        if not text:
            continue
        bullet = p.find(f"{W}pPr/{W}numPr") is not None or "list" in style
        line = f"• {text}" if bullet else text
        if in_section:
            advice.append(line)
        elif FACILITY.match(text):
            facilities.append(line)
    return (*advice, *facilities)


def prompt_runs(docx: zipfile.ZipFile, root: Any) -> Callable[[Any], bool]:
    """Tells a run below `root` (the parsed document or its body) in the prompt style, by the
    style names of the open Word file `docx`."""
    styles = parsed_styles(docx, _style_names)
    run_styles = styled(root, "r")

    def prompt(run: Any) -> bool:
        return styles.get(_attr(run_styles.get(run))) == PROMPT_STYLE

    return prompt


def _attr(element: Any) -> str:
    return "" if element is None else str(element.get(f"{W}val", ""))


def _style_names(styles_xml: bytes) -> dict[str, str]:
    root = etree.fromstring(styles_xml)
    names: dict[str, str] = {}
    for style in root.iter(f"{W}style"):
        names[style.get(f"{W}styleId", "")] = _attr(style.find(f"{W}name"))
    return names
