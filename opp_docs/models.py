"""Typed records that flow through the pipeline: intake → decisions → documents → outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Route(StrEnum):
    """The routes of the school's procedure; the value is the name used in files."""

    OPP = "opp"
    OPP_LIGHT = "opp-light"
    VOLGEN = "volgen"
    LWOO_HANDELINGSPLAN = "lwoo-handelingsplan"
    BASISONDERSTEUNING = "basisondersteuning"

    @property
    def label(self) -> str:
        return ROUTE_LABELS[self]

    @property
    def has_plan(self) -> bool:
        return self in (Route.OPP, Route.OPP_LIGHT)


ROUTE_LABELS: dict[Route, str] = {
    Route.OPP: "OPP",
    Route.OPP_LIGHT: "OPP light",
    Route.VOLGEN: "volgen",
    Route.LWOO_HANDELINGSPLAN: "handelingsplan LWOO",
    Route.BASISONDERSTEUNING: "basisondersteuning",
}


class DocumentKind(StrEnum):
    """Document kinds (`soort` in the manifest), in dossier order."""

    INFORMATIEBRIEF = "informatiebrief"
    OPP = "opp"
    OPP_LIGHT = "opp-light"
    ONDERTEKENINGSBLAD = "ondertekeningsblad"
    TUSSENEVALUATIE = "tussenevaluatie"
    EINDEVALUATIE = "eindevaluatie"

    @property
    def titel(self) -> str:
        return DOCUMENT_TITLES[self][0]

    @property
    def short(self) -> str:
        """Its name in a list: "OPP, ondertekeningsblad"."""
        return DOCUMENT_TITLES[self][1]


# Each kind's title in the dossier, and its short name in the overviews' lists.
DOCUMENT_TITLES: dict[DocumentKind, tuple[str, str]] = {
    DocumentKind.INFORMATIEBRIEF: ("Informatiebrief ouders", "informatiebrief"),
    DocumentKind.OPP: ("Ontwikkelingsperspectiefplan", "OPP"),
    DocumentKind.OPP_LIGHT: ("OPP light", "OPP light"),
    DocumentKind.ONDERTEKENINGSBLAD: ("Ondertekeningsblad", "ondertekeningsblad"),
    DocumentKind.TUSSENEVALUATIE: ("Tussenevaluatie", "tussenevaluatie"),
    DocumentKind.EINDEVALUATIE: ("Eindevaluatie", "eindevaluatie"),
}

DOCUMENTS_PER_ROUTE: dict[Route, tuple[DocumentKind, ...]] = {
    Route.OPP: (
        DocumentKind.INFORMATIEBRIEF,
        DocumentKind.OPP,
        DocumentKind.ONDERTEKENINGSBLAD,
        DocumentKind.TUSSENEVALUATIE,
        DocumentKind.EINDEVALUATIE,
    ),
    Route.OPP_LIGHT: (
        DocumentKind.INFORMATIEBRIEF,
        DocumentKind.OPP_LIGHT,
        DocumentKind.ONDERTEKENINGSBLAD,
        DocumentKind.TUSSENEVALUATIE,
        DocumentKind.EINDEVALUATIE,
    ),
    Route.VOLGEN: (),
    Route.LWOO_HANDELINGSPLAN: (),
    Route.BASISONDERSTEUNING: (),
}


@dataclass(frozen=True)
class Place:
    """Where a value came from: file, sheet and 1-based row number in the source."""

    file: str
    sheet: str
    row: int

    def __str__(self) -> str:
        sheet = f", blad '{self.sheet}'" if self.sheet else ""
        # Row 0 stands for the whole file (a report PDF, say).
        row = f", rij {self.row}" if self.row else ""
        return f"{self.file}{sheet}{row}"


@dataclass(frozen=True)
class Problem:
    """A problem with one cell or row of the intake, with the fix in Dutch."""

    place: Place
    column: str
    value: str
    problem: str
    fix: str
    leerlingnummer: str = ""
    # Blocking problems keep the student from getting new documents this run.
    blocking: bool = True
    # A copy of the source row for the intake report: its header cells and its values as
    # shown, and the 0-based position of the offending cell in it (-1: the whole row).
    headers: tuple[str, ...] = ()
    row_values: tuple[str, ...] = ()
    column_index: int = -1

    def __str__(self) -> str:
        column = f", kolom '{self.column}'" if self.column else ""
        return f"{self.place}{column}: {self.problem} {self.fix}".strip()


@dataclass(frozen=True)
class Adres:
    """A postal address as the intake gives it; any part may be empty."""

    straat: str = ""
    huisnummer: str = ""
    toevoeging: str = ""
    postcode: str = ""
    plaats: str = ""

    @property
    def empty(self) -> bool:
        return not any((self.straat, self.huisnummer, self.toevoeging, self.postcode, self.plaats))

    def missing(self) -> list[str]:
        """What an envelope needs that this address lacks, as Dutch nouns."""
        parts = [
            ("de straat", self.straat),
            # A cell "Kerkstraat 12" (column Adres) holds the number itself.
            ("het huisnummer", self.huisnummer or any(c.isdigit() for c in self.straat)),
            ("de postcode", self.postcode),
            ("de woonplaats", self.plaats),
        ]
        return [noun for noun, given in parts if not given]


@dataclass(frozen=True)
class Ouder:
    # Empty for a parent the intake gives an address for but no name.
    naam: str
    email: str = ""
    telefoon: str = ""
    adres: Adres = field(default_factory=Adres)
    # Ouder/verzorger 1 or 2 of the intake, for messages that name its columns.
    nummer: int = 1


@dataclass
class Leerling:
    """One student, joined over all intake files."""

    leerlingnummer: str
    achternaam: str
    roepnaam: str
    geboortedatum: dt.date | None
    tussenvoegsel: str = ""
    geslacht: str = ""
    basisschool: str = ""
    schooladvies: str = ""
    klas: str = ""
    tutor: str = ""
    # As the intake names the counsellor; the student's counsellor is decided from it and the
    # settings (`decide.counsellor`) and kept in `StudentOutcome.leerlingbegeleider`.
    leerlingbegeleider: str = ""
    lwoo: bool = False
    pro: bool = False
    opp_po: bool = False
    dyslexie: bool = False
    dyscalculie: bool = False
    ouders: list[Ouder] = field(default_factory=list)
    aanmelddatum: dt.date | None = None
    toets_lezen: str = ""
    toets_taalverzorging: str = ""
    toets_rekenen: str = ""
    ondersteuningsbehoefte: str = ""
    bevorderende_factoren: str = ""
    belemmerende_factoren: str = ""
    sociaal_emotioneel: str = ""
    werkhouding: str = ""
    thuissituatie: str = ""
    hulpverlening: str = ""
    ondersteuningsniveau: str = ""
    rt_momenten: int | None = None
    zorg_gedrag: bool = False
    tlv_mogelijk: bool = False
    risico_vo: bool = False
    signaaldatum: dt.date | None = None
    # The day the plan was signed, as the team leader wrote it in the intake: wins over a
    # scan's own date (see `decide.signing`).
    datum_ondertekening: dt.date | None = None
    route_besluit: Route | None = None
    # Places of the rows this student was built from, for reports.
    places: list[Place] = field(default_factory=list)

    @property
    def naam(self) -> str:
        """Roepnaam + tussenvoegsel + achternaam, as a Dutch school writes a name."""
        return " ".join(p for p in (self.roepnaam, self.tussenvoegsel, self.achternaam) if p)

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.achternaam.casefold(), self.roepnaam.casefold(), self.leerlingnummer)


@dataclass(frozen=True)
class Scan:
    """A scan of a signed signature sheet (PDF or image) that came back into the intake."""

    path: Path
    # As the intake report and the manifest name it: its path inside the intake folder
    # ("handtekeningen/123456.jpg").
    naam: str
    # The day the file was last changed: the signing date when the intake gives none.
    datum: dt.date

    @property
    def is_pdf(self) -> bool:
        return self.path.suffix.casefold() == ".pdf"


class SignedFrom(StrEnum):
    """Where a plan's signing date comes from (`ondertekend.bron` in the manifest)."""

    INTAKE = "datum uit de intake"
    FILE = "datum van het bestand"


@dataclass
class IntakeResult:
    """What the intake reader made of a folder."""

    leerlingen: list[Leerling]
    problems: list[Problem] = field(default_factory=list)
    # Primary-school report PDFs per leerlingnummer, appended to the dossier.
    rapporten: dict[str, list[Path]] = field(default_factory=dict)
    # Scans of signed signature sheets per leerlingnummer, put in the dossier after the plan.
    scans: dict[str, list[Scan]] = field(default_factory=dict)
    files_read: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def blocked(self) -> set[str]:
        """Student numbers that get no new documents this run."""
        return {p.leerlingnummer for p in self.problems if p.blocking and p.leerlingnummer}


@dataclass(frozen=True)
class RouteDecision:
    route: Route
    reden: str
    # True when the route is the team leader's decision from the intake.
    besluit: bool = False


class DeadlineKind(StrEnum):
    """The procedure's deadlines (keys of `deadlines` in the manifest and the templates), in
    procedure order."""

    INFORMATIEBRIEF = "informatiebrief"
    BRON = "bron"
    OPP = "opp"
    ONDERTEKENING = "ondertekening"
    TUSSENEVALUATIE = "tussenevaluatie"
    EINDEVALUATIE = "eindevaluatie"

    @property
    def header(self) -> str:
        """Its column in the worklist."""
        return f"Deadline {DEADLINE_LABELS[self][0]}"

    @property
    def description(self) -> str:
        """What `deadlines.<kind>` is, for `opp-docs templates velden`."""
        return f"Uiterste datum {DEADLINE_LABELS[self][1]}"

    def task(self, route: Route) -> str:
        """What must happen by this deadline, as the calendar shows it."""
        return DEADLINE_LABELS[self][2].format(plan=route.label)


# Per deadline: its name in a column header, what it is the last day of, and the task.
DEADLINE_LABELS: dict[DeadlineKind, tuple[str, str, str]] = {
    DeadlineKind.INFORMATIEBRIEF: (
        "informatiebrief",
        "voor de informatiebrief aan de ouders",
        "Informatiebrief naar ouders",
    ),
    DeadlineKind.BRON: (
        "BRON-aanmelding",
        "voor de aanmelding bij BRON",
        "BRON-aanmelding (notitie in SOMtoday)",
    ),
    DeadlineKind.OPP: (
        "plan vastgesteld",
        "waarop het plan is vastgesteld (de datum van het plan)",
        "{plan} vaststellen",
    ),
    DeadlineKind.ONDERTEKENING: (
        "ondertekening",
        "voor de handtekeningen",
        "{plan} ondertekenen",
    ),
    DeadlineKind.TUSSENEVALUATIE: (
        "tussenevaluatie",
        "van de tussenevaluatie",
        "Tussenevaluatie {plan}",
    ),
    DeadlineKind.EINDEVALUATIE: ("eindevaluatie", "van de eindevaluatie", "Eindevaluatie {plan}"),
}


@dataclass(frozen=True)
class Deadlines:
    """A student's deadlines; each field is named by its `DeadlineKind`."""

    informatiebrief: dt.date
    bron: dt.date
    opp: dt.date
    ondertekening: dt.date
    tussenevaluatie: dt.date
    eindevaluatie: dt.date
    # When the documents were made too late for the procedure: the day they were made
    # (`peildatum`), and the procedure's date of each deadline that was moved because of it.
    peildatum: dt.date | None = None
    verschoven: dict[DeadlineKind, dt.date] = field(default_factory=dict)

    def as_dict(self) -> dict[DeadlineKind, dt.date]:
        return {kind: getattr(self, kind.value) for kind in DeadlineKind}


@dataclass(frozen=True)
class SchoolYear:
    """A school year, starting on 1 August of `start`."""

    start: int

    @property
    def end(self) -> int:
        return self.start + 1

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, 8, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.end, 7, 31)

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"

    def previous(self) -> SchoolYear:
        return SchoolYear(self.start - 1)

    @classmethod
    def containing(cls, day: dt.date) -> SchoolYear:
        return cls(day.year if day.month >= 8 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """Parse 'YYYY-YYYY' (also 'YYYY/YYYY'); raises ValueError with a Dutch message."""
        parts = text.strip().replace("/", "-").split("-")
        if len(parts) == 2 and all(p.isdigit() and len(p) == 4 for p in parts):
            start, end = int(parts[0]), int(parts[1])
            if end == start + 1:
                return cls(start)
        raise ValueError(
            f"Schooljaar '{text}' is ongeldig: schrijf het als twee opeenvolgende jaren, "
            "bijvoorbeeld 2026-2027."
        )


# Files in a school year's folder that the run summary points to.
MANIFEST = "manifest.json"
INTAKE_REPORT = "intake-rapport.xlsx"


@dataclass(frozen=True)
class Written:
    """What a file opp-docs wrote was made from (a digest of its inputs), and the hash of the
    file as written: it is ours and current while both still hold."""

    inputs: str
    sha256: str


@dataclass
class DocumentOutcome:
    kind: DocumentKind
    docx: Path
    pdf: Path
    sha256: str
    bewerkt: bool
    nieuwe_versie: Path | None = None
    # Its title in the dossier; a second edited version of a kind gets its own.
    titel: str = ""
    # Which of the student's letters it is, one per parents' address; 1 for other documents.
    adres: int = 1

    def __post_init__(self) -> None:
        letter = f" (adres {self.adres})" if self.adres != 1 else ""
        self.titel = self.titel or self.kind.titel + letter


@dataclass
class StudentOutcome:
    leerling: Leerling
    decision: RouteDecision
    deadlines: Deadlines
    # The student's own counsellor (`decide.counsellor`); empty when none could be found.
    leerlingbegeleider: str = ""
    folder: Path | None = None
    documents: list[DocumentOutcome] = field(default_factory=list)
    dossier: Path | None = None
    problems: list[str] = field(default_factory=list)
    blocked: bool = False
    # The date the plan was signed: from the intake, else the signed scan's own date.
    ondertekend: dt.date | None = None
    # Where that date comes from, and the scans of the signed sheet that came back.
    ondertekend_bron: SignedFrom | None = None
    scans: list[Scan] = field(default_factory=list)
    # The school year of the plan this one continues, when it continues one.
    vorig_schooljaar: str = ""
    # Why this student gets no documents this run though the route has a plan (last year's
    # plan without a decision, say); "" when nothing holds them back.
    wacht: str = ""


@dataclass(frozen=True)
class EndedPlan:
    """A plan the final evaluation of last school year ended: for the BRON list."""

    leerlingnummer: str
    naam: str
    route: Route
    schooljaar: str
    einddatum: dt.date
    # Where the end date comes from, in words.
    bron: str


@dataclass
class RunSummary:
    year_dir: Path
    students: int
    made: int = 0
    reused: int = 0
    failed: int = 0
    dossiers: int = 0
    blocked: int = 0
    intake_problems: int = 0
    outcomes: list[StudentOutcome] = field(default_factory=list)
    # What was read, for the counts that --verbose shows.
    intake: IntakeResult | None = field(default=None, repr=False)
    # Why documents went to LibreOffice one by one instead of joined, with how often: for
    # --verbose (the pool's join_refusals).
    join_refusals: dict[str, int] = field(default_factory=dict)
    # Plans of last school year that its final evaluation ended.
    beeindigd: list[EndedPlan] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.year_dir / MANIFEST

    @property
    def intake_report(self) -> Path:
        return self.year_dir / INTAKE_REPORT
