"""The parts of a plan and its evaluations that opp-docs reads back, as staff left them: the
goals of the handelingsdeel, the perspective and the factors, the final decision.

The templates mark each part with a bookmark (`Mark`), placed in a heading row or a label cell
that staff do not type over: Word and LibreOffice both keep bookmarks when they save, where
LibreOffice 7.4 drops the tags of content controls. A table is read by its heading texts, so a
school may move it, add or delete rows, or put text below it. Text is read from the XML as
Word left it: split over runs, inside content controls and tracked insertions, without
tracked deletions. A part whose mark is gone is reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from opp_docs.documents.ooxml import W


class Mark(StrEnum):
    """The bookmark names of the parts; `titel` is how a message names the part."""

    DOELEN = "opp_doelen"
    UITSTROOMPERSPECTIEF = "opp_uitstroomperspectief"
    ONDERBOUWING = "opp_onderbouwing"
    FACTOREN = "opp_factoren"
    EVALUATIE_DOELEN = "opp_evaluatie_doelen"
    DATUM_GESPREK = "opp_datum_gesprek"
    BESLUIT = "opp_besluit"

    @property
    def titel(self) -> str:
        return _TITLES[self]


_TITLES = {
    Mark.DOELEN: "de tabel met doelen (handelingsdeel)",
    Mark.UITSTROOMPERSPECTIEF: "het uitstroomperspectief",
    Mark.ONDERBOUWING: "de onderbouwing van het perspectief",
    Mark.FACTOREN: "de tabel met bevorderende en belemmerende factoren",
    Mark.EVALUATIE_DOELEN: "de tabel met doelen van de evaluatie",
    Mark.DATUM_GESPREK: "de datum van het gesprek",
    Mark.BESLUIT: "het besluit (voortzetten of beëindigen)",
}

# The marks each template must keep for opp-docs to read it back ('templates check').
PLAN_MARKS = (Mark.DOELEN, Mark.UITSTROOMPERSPECTIEF, Mark.ONDERBOUWING, Mark.FACTOREN)
EVALUATION_MARKS = (Mark.EVALUATIE_DOELEN, Mark.DATUM_GESPREK)
FINAL_MARKS = (*EVALUATION_MARKS, Mark.BESLUIT)

# The factor areas of the plan, by their label in the table, and the key the templates use.
FACTOR_AREAS = {
    "cognitief": "Cognitief",
    "sociaal_emotioneel": "Sociaal-emotioneel",
    "werkhouding": "Werkhouding",
    "thuissituatie": "Thuissituatie",
}
# The columns of the goals table, by the words their heading starts with.
GOAL_COLUMNS = {
    "gebied": ("gebied",),
    "doel": ("doel",),
    "aanpak": ("aanpak",),
    "wie": ("wie",),
    "tot_wanneer": ("tot wanneer", "wanneer", "termijn", "datum"),
}
EVALUATION_COLUMNS = {
    "doel": ("doel",),
    "voortgang": ("voortgang",),
    "wat_verandert": ("wat verandert", "aanpassing", "wat passen"),
}


@dataclass(frozen=True)
class Goal:
    """One goal of the handelingsdeel, as staff wrote it."""

    gebied: str = ""
    doel: str = ""
    aanpak: str = ""
    wie: str = ""
    tot_wanneer: str = ""

    def values(self) -> dict[str, str]:
        return {
            "gebied": self.gebied,
            "doel": self.doel,
            "aanpak": self.aanpak,
            "wie": self.wie,
            "tot_wanneer": self.tot_wanneer,
        }


@dataclass(frozen=True)
class PlanParts:
    """What the plan says. A text part is "" when staff left its prompt; `missing` names the
    marked parts that could not be found."""

    doelen: tuple[Goal, ...] = ()
    perspectief: str = ""
    onderbouwing: str = ""
    # Factor area key → (bevorderend, belemmerend).
    factoren: dict[str, tuple[str, str]] = field(default_factory=dict)
    missing: tuple[Mark, ...] = ()

    def values(self) -> dict[str, Any]:
        """As the templates get it (`plan` in the evaluations, `vorig` in next year's plan)."""
        factoren: dict[str, str] = {}
        for key in FACTOR_AREAS:
            plus, minus = self.factoren.get(key, ("", ""))
            factoren[f"{key}_bevorderend"] = plus
            factoren[f"{key}_belemmerend"] = minus
        return {
            "doelen": [goal.values() for goal in self.doelen],
            "perspectief": self.perspectief,
            "onderbouwing": self.onderbouwing,
            "factoren": factoren,
        }


class Decision(StrEnum):
    VOORTZETTEN = "voortzetten"
    BEEINDIGEN = "beëindigen"


@dataclass(frozen=True)
class EvaluationParts:
    """What an evaluation form says: the date of the meeting, what was said per goal (goal
    text → progress), and for the final evaluation the decision."""

    datum: dt.date | None = None
    voortgang: tuple[tuple[str, str], ...] = ()
    besluit: Decision | None = None
    # Why no decision could be read, when the form has a decision part.
    besluit_probleem: str = ""
    missing: tuple[Mark, ...] = ()


EMPTY_PLAN = PlanParts()


def plan_to_json(parts: PlanParts) -> dict[str, Any]:
    """As the run state keeps what it read (`reading.DocumentReader`)."""
    return {
        "doelen": [goal.values() for goal in parts.doelen],
        "perspectief": parts.perspectief,
        "onderbouwing": parts.onderbouwing,
        "factoren": {key: list(pair) for key, pair in parts.factoren.items()},
        "missing": [mark.value for mark in parts.missing],
    }


def plan_from_json(data: dict[str, Any]) -> PlanParts:
    """`plan_to_json` read back; raises KeyError, TypeError or ValueError on anything else."""
    return PlanParts(
        tuple(Goal(**{k: str(v) for k, v in goal.items()}) for goal in data["doelen"]),
        str(data["perspectief"]),
        str(data["onderbouwing"]),
        {str(k): (str(v[0]), str(v[1])) for k, v in data["factoren"].items()},
        tuple(Mark(m) for m in data["missing"]),
    )


def evaluation_to_json(parts: EvaluationParts) -> dict[str, Any]:
    return {
        "datum": parts.datum.isoformat() if parts.datum else None,
        "voortgang": [list(pair) for pair in parts.voortgang],
        "besluit": parts.besluit.value if parts.besluit else None,
        "besluit_probleem": parts.besluit_probleem,
        "missing": [mark.value for mark in parts.missing],
    }


def evaluation_from_json(data: dict[str, Any]) -> EvaluationParts:
    return EvaluationParts(
        dt.date.fromisoformat(data["datum"]) if data["datum"] else None,
        tuple((str(a), str(b)) for a, b in data["voortgang"]),
        Decision(data["besluit"]) if data["besluit"] else None,
        str(data["besluit_probleem"]),
        tuple(Mark(m) for m in data["missing"]),
    )


@dataclass(frozen=True)
class LastYear:
    """A plan that continues from last school year: what it said and what its final
    evaluation said of each goal (goal text → what was said)."""

    schooljaar: str
    plan: PlanParts
    evaluatie: dict[str, str] = field(default_factory=dict)


def plan_values(parts: PlanParts | None) -> dict[str, Any]:
    return (parts or EMPTY_PLAN).values()


# ---------------------------------------------------------------------------------------------
# Reading


Prompt = Callable[[Any], bool]


def read_plan(body: Any, prompt: Prompt) -> PlanParts:
    """The parts of a plan from its parsed w:body; `prompt` tells a prompt run."""
    marks = _marks(body)
    missing: list[Mark] = []
    doelen: tuple[Goal, ...] = ()
    table = _table_of(marks.get(Mark.DOELEN))
    if table is None:
        missing.append(Mark.DOELEN)
    else:
        rows = _table_rows(table, marks[Mark.DOELEN], GOAL_COLUMNS, prompt)
        if rows is None:
            missing.append(Mark.DOELEN)
        else:
            doelen = tuple(Goal(**row) for row in rows if row.get("doel"))
    texts: dict[Mark, str] = {}
    for mark in (Mark.UITSTROOMPERSPECTIEF, Mark.ONDERBOUWING):
        value = _value_beside(marks.get(mark), prompt)
        if value is None:
            missing.append(mark)
        texts[mark] = value or ""
    factoren: dict[str, tuple[str, str]] = {}
    table = _table_of(marks.get(Mark.FACTOREN))
    if table is None:
        missing.append(Mark.FACTOREN)
    else:
        labels = {label.casefold(): key for key, label in FACTOR_AREAS.items()}
        for row in _rows_after(table, marks[Mark.FACTOREN]):
            cells = [_cell_text(tc, prompt) for tc in _cells(row)]
            key = labels.get(cells[0].casefold()) if cells else None
            if key is not None and len(cells) >= 3 and (cells[1] or cells[2]):
                factoren[key] = (cells[1], cells[2])
    return PlanParts(
        doelen,
        texts[Mark.UITSTROOMPERSPECTIEF],
        texts[Mark.ONDERBOUWING],
        factoren,
        tuple(missing),
    )


def read_evaluation(body: Any, prompt: Prompt, *, final: bool) -> EvaluationParts:
    """The parts of an interim (`final` False) or final evaluation form."""
    marks = _marks(body)
    missing: list[Mark] = []
    datum_text = _value_beside(marks.get(Mark.DATUM_GESPREK), prompt)
    if datum_text is None:
        missing.append(Mark.DATUM_GESPREK)
    voortgang: list[tuple[str, str]] = []
    table = _table_of(marks.get(Mark.EVALUATIE_DOELEN))
    rows = (
        None
        if table is None
        else _table_rows(table, marks[Mark.EVALUATIE_DOELEN], EVALUATION_COLUMNS, prompt)
    )
    if rows is None:
        missing.append(Mark.EVALUATIE_DOELEN)
    else:
        for row in rows:
            said = " ".join(x for x in (row.get("voortgang"), row.get("wat_verandert")) if x)
            if row.get("doel"):
                voortgang.append((row["doel"], said))
    besluit: Decision | None = None
    probleem = ""
    if final:
        start = marks.get(Mark.BESLUIT)
        paragraph = _ancestor(start, "p") if start is not None else None
        if paragraph is None:
            missing.append(Mark.BESLUIT)
        else:
            besluit, probleem = decision_in(paragraph_text(paragraph, lambda _run: False))
    return EvaluationParts(
        parse_date(datum_text or ""), tuple(voortgang), besluit, probleem, tuple(missing)
    )


# A box ticked in Word: a crossed or checked box, a tick, or an x typed before the word.
_TICKED = "☒☑✓✔✗✘☓⊠■xX"
_UNTICKED = "☐□"
_CHOICES = {Decision.VOORTZETTEN: "voortgezet", Decision.BEEINDIGEN: "beëindigd"}


def decision_in(text: str) -> tuple[Decision | None, str]:
    """The decision of the final evaluation's sentence "… ☐ voortgezet ☐ beëindigd, omdat …":
    the one word whose box is ticked, or the one word left when staff deleted the other.
    With neither or both: no decision, and why."""
    ticked: list[Decision] = []
    present: list[Decision] = []
    for decision, word in _CHOICES.items():
        found = re.search(rf"(\S?)\s*{word}", text.replace("beeindigd", "beëindigd"))
        if found is None:
            continue
        present.append(decision)
        if found.group(1) and found.group(1) in _TICKED:
            ticked.append(decision)
    if len(ticked) == 1:
        return ticked[0], ""
    if len(ticked) > 1:
        return None, "zowel ‘voortgezet’ als ‘beëindigd’ is aangekruist"
    if len(present) == 1:
        return present[0], ""
    return None, "geen vakje aangekruist bij ‘voortgezet’ of ‘beëindigd’"


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_WRITTEN_DATE = re.compile(r"\b(\d{1,2})\s+([a-zA-Z]+)\.?\s+(\d{4})\b")


def parse_date(text: str) -> dt.date | None:
    """A date as staff write it in a form: 12-06-2027, 12/6/2027 or 12 juni 2027."""
    found = _NUMERIC_DATE.search(text)
    try:
        if found:
            day, month, year = (int(x) for x in found.groups())
            return dt.date(year, month, day)
        found = _WRITTEN_DATE.search(text)
        if found and found.group(2).casefold() in _MONTHS:
            return dt.date(int(found.group(3)), _MONTHS[found.group(2).casefold()], int(found[1]))
    except ValueError:
        return None
    return None


def marks_in(body: Any) -> set[str]:
    """The names of the bookmarks in a parsed w:body (for 'templates check')."""
    return set(_marks(body))


def _marks(body: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for start in body.iter(f"{W}bookmarkStart"):
        found.setdefault(start.get(f"{W}name", ""), start)
    return found


def _ancestor(element: Any, tag: str) -> Any:
    node = element.getparent() if element is not None else None
    while node is not None and node.tag != f"{W}{tag}":
        node = node.getparent()
    return node


def _table_of(start: Any) -> Any:
    return _ancestor(start, "tbl") if start is not None else None


def _value_beside(start: Any, prompt: Prompt) -> str | None:
    """The text of the cell after the marked label cell; None when the mark is not in a cell
    with one after it."""
    if start is None:
        return None
    cell, row = _ancestor(start, "tc"), _ancestor(start, "tr")
    if cell is None or row is None:
        return None
    cells = list(_cells(row))
    at = next((n for n, tc in enumerate(cells) if tc is cell), None)
    if at is None or at + 1 >= len(cells):
        return None
    return _cell_text(cells[at + 1], prompt)


def _rows(table: Any) -> Iterator[Any]:
    """The table's own rows, also those Word wrapped in a content control, without rows that
    are a tracked deletion."""
    for child in table:
        if child.tag == f"{W}tr":
            if child.find(f"{W}trPr/{W}del") is None:
                yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                yield from _rows(content)


def _cells(row: Any) -> Iterator[Any]:
    for child in row:
        if child.tag == f"{W}tc":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _cells(content)
        elif child.tag == f"{W}customXml":
            yield from _cells(child)


def _rows_after(table: Any, start: Any) -> list[Any]:
    """The rows below the one holding the mark."""
    heading = _ancestor(start, "tr")
    rows = list(_rows(table))
    at = next((n for n, row in enumerate(rows) if row is heading), None)
    return [] if at is None else rows[at + 1 :]


def _table_rows(
    table: Any, start: Any, columns: dict[str, tuple[str, ...]], prompt: Prompt
) -> list[dict[str, str]] | None:
    """Each row below the marked heading row as {column key: text}, the columns found by their
    heading; None when the heading has no column for the first key."""
    heading = _ancestor(start, "tr")
    if heading is None:
        return None
    titles = [_cell_text(tc, prompt).casefold() for tc in _cells(heading)]
    where: dict[str, int] = {}
    for key, starts in columns.items():
        for n, title in enumerate(titles):
            if n not in where.values() and title.startswith(starts):
                where[key] = n
                break
    first = next(iter(columns))
    if first not in where:
        return None
    found = []
    for row in _rows_after(table, start):
        cells = [_cell_text(tc, prompt) for tc in _cells(row)]
        if not any(cells):
            continue
        found.append({key: cells[n] if n < len(cells) else "" for key, n in where.items()})
    return found


def _cell_text(cell: Any, prompt: Prompt) -> str:
    """A cell's written text, one line per paragraph, without prompts."""
    lines = (paragraph_text(p, prompt) for p in cell.iter(f"{W}p"))
    return "\n".join(line for line in lines if line)


_SKIPPED = {f"{W}del", f"{W}moveFrom"}


def paragraph_text(p: Any, prompt: Prompt) -> str:
    """The paragraph's text without its prompts and tracked deletions; line breaks and tabs as
    spaces, runs of white space as one. A prompt is a stretch of runs for which `prompt` holds
    that opens with '[' (taken together: Word often splits a prompt over several runs); text
    typed in the prompt style without the bracket is written text."""
    kept: list[str] = []
    prompts: list[str] = []

    def close_prompt() -> None:
        text = "".join(prompts)
        if not text.strip().startswith("["):
            kept.append(text)
        prompts.clear()

    for run in p.iter(f"{W}r"):
        if _deleted(run, p):
            continue
        pieces = []
        for node in run:
            if node.tag == f"{W}t":
                pieces.append(node.text or "")
            elif node.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                pieces.append(" ")
        text = "".join(pieces)
        if prompt(run):
            prompts.append(text)
            continue
        if prompts:
            close_prompt()
        kept.append(text)
    if prompts:
        close_prompt()
    return " ".join("".join(kept).split())


def _deleted(run: Any, stop: Any) -> bool:
    node = run.getparent()
    while node is not None and node is not stop:
        if node.tag in _SKIPPED:
            return True
        node = node.getparent()
    return False
