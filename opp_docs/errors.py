"""All errors opp-docs raises on purpose. Each message is Dutch and says what to do.

The CLI turns an `OppDocsError` into a clean message and exit status 1; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence


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
