"""All errors opp-docs raises on purpose. Each message is Dutch and says what to do.

The CLI (`cli._Funnel`) turns an `OppDocsError`, and an `OSError` by its errno, into one such
message and exit status 1; anything else is a bug, shown by its type only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class OppDocsError(Exception):
    """Base class: raised when the user must act before the run can go on."""


class FileProblem:
    """One intake file that cannot be read, with the fix."""

    def __init__(self, *, file: str, problem: str, fix: str) -> None:
        self.file = file
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.file}: {self.problem} {self.fix}"


class IntakeFilesError(OppDocsError):
    """Raised when one or more intake files cannot be read; the run stops before writing."""

    def __init__(self, *, problems: Sequence[FileProblem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"{len(self.problems)} bestand(en) in de intake kunnen niet worden gelezen; "
            f"er is niets geschreven.\n{lines}"
        )


class IntakeFolderError(OppDocsError):
    """Raised when the intake folder is missing or holds no usable file."""

    def __init__(self, *, folder: str, problem: str) -> None:
        self.folder = folder
        super().__init__(f"Intakemap {folder}: {problem}")


class ConfigError(OppDocsError):
    """Raised when opp-docs.toml holds a value that cannot be used."""

    def __init__(self, *, file: str, key: str, problem: str, allowed: str = "") -> None:
        self.key = key
        hint = f" Toegestaan: {allowed}." if allowed else ""
        super().__init__(f"Instellingen {file}, sleutel '{key}': {problem}.{hint}")


class ConfigFileMissingError(OppDocsError):
    """Raised when a settings file was named but does not exist: its defaults would be wrong."""

    def __init__(self, *, file: str) -> None:
        self.file = file
        super().__init__(
            f"Instellingenbestand {file} bestaat niet; opp-docs gaat niet verder met de "
            "standaardinstellingen. Controleer de naam en de map (bij --instellingen), of laat "
            "--instellingen weg om opp-docs.toml in de huidige map te gebruiken."
        )


class TemplateError(OppDocsError):
    """Raised when a Word template cannot be used; names the template and the spot."""

    def __init__(self, *, template: str, problem: str) -> None:
        self.template = template
        self.problem = problem
        super().__init__(f"Sjabloon {template}: {problem}")


class ConversionError(OppDocsError):
    """Raised when LibreOffice is missing or cannot start at all."""


class OutputBusyError(OppDocsError):
    """Raised when another run holds the lock on the output folder."""

    def __init__(self, *, lock: str, holder: str = "") -> None:
        self.lock = lock
        by = f" door proces {holder}" if holder else ""
        super().__init__(
            f"Er loopt al een opp-docs-run op deze uitvoermap: het slot {lock} is in gebruik{by}. "
            "Wacht tot die run klaar is en probeer het dan opnieuw. Verwijder het slot niet: het "
            "gaat vanzelf open zodra die run stopt, ook als die vastloopt of wordt afgebroken."
        )


# Errors of the output folder. `place` is the spot as the terminal may show it: inside a
# student's folder only the student number (see files.shown_path), never a name.


class NoAccessError(OppDocsError):
    """Raised when the system refuses opp-docs a folder or file (permissions, a read-only disk)."""

    def __init__(self, *, place: str) -> None:
        self.place = place
        super().__init__(
            f"Geen toegang tot {place}: opp-docs mag daar niet schrijven (of lezen). Geef uw "
            "gebruiker schrijfrechten op die map, of kies met --output een andere map, en draai "
            "opnieuw."
        )


class DiskFullError(OppDocsError):
    """Raised when the disk (or the user's share of it) has no room for what the run writes."""

    def __init__(self, *, place: str) -> None:
        self.place = place
        super().__init__(
            f"De schijf is vol: opp-docs kon niet schrijven in {place}. Er staat geen half "
            "geschreven bestand; wat er al stond, is er nog. Maak ruimte vrij (of kies met "
            "--output een map op een andere schijf) en draai opnieuw."
        )


class InTheWayError(OppDocsError):
    """Raised when a file stands where the output needs a folder, or a folder where a file."""

    def __init__(self, *, place: str, folder_needed: bool = True) -> None:
        self.place = place
        found, needed = ("een bestand", "een map") if folder_needed else ("een map", "een bestand")
        super().__init__(
            f"Er staat {found} waar opp-docs {needed} nodig heeft: {place}. Verplaats of "
            "hernoem het en draai opnieuw."
        )


class OutputLinkError(OppDocsError, ValueError):
    """Raised when a path in the output is a link (symlink) leading out of it, or in circles."""

    def __init__(self, *, place: str) -> None:
        self.place = place
        super().__init__(
            "opp-docs schrijft alleen in de uitvoermap zelf, maar "
            f"{place} is een snelkoppeling (symbolische link) naar een andere plek. Vervang die "
            "door een gewone map: verplaats de echte map terug, of verwijder de snelkoppeling "
            "(dan maakt opp-docs de map opnieuw). Draai daarna opnieuw."
        )


class FileSystemError(OppDocsError):
    """Raised when the system reports another problem with a folder or file."""

    def __init__(self, *, place: str, code: str) -> None:
        self.place = place
        super().__init__(
            f"Het systeem meldt een probleem met {place} ({code}). Controleer of de schijf of "
            "netwerkmap bereikbaar is en draai opnieuw; blijft het, meld het dan met deze "
            "melding bij de beheerder."
        )


@dataclass(frozen=True)
class TemplateProblem:
    """One problem in one template, with the place and the fix in `problem`."""

    template: str
    problem: str

    def __str__(self) -> str:
        return str(TemplateError(template=self.template, problem=self.problem))


class TemplateCheckError(TemplateError):
    """Raised when the template check finds problems; the message lists every one."""

    def __init__(self, *, folder: str, problems: Sequence[TemplateProblem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(template=first.template, problem=first.problem)
        if len(self.problems) > 1:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            self.args = (f"{len(self.problems)} problemen in de sjablonen in {folder}:\n{lines}",)
