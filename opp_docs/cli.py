"""The `opp-docs` command: a thin layer over the library. Every command's docstring is its help."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from opp_docs.config import CONFIG_NAME, Config, load_config
from opp_docs.demo.cohort import DEMO_BEGELEIDER, DEMO_TEAMLEIDER, write_example_intake
from opp_docs.documents.check import check_templates
from opp_docs.documents.fields_reference import list_fields
from opp_docs.documents.formatting import datum
from opp_docs.errors import (
    DiskFullError,
    FileSystemError,
    InTheWayError,
    NoAccessError,
    OppDocsError,
    OutputLinkError,
)
from opp_docs.files import shown_path
from opp_docs.models import RunSummary, SchoolYear
from opp_docs.overviews.worklist import OVERZICHT
from opp_docs.pipeline.plan import run_check, run_planning
from opp_docs.pipeline.retention import delete, expired_years
from opp_docs.pipeline.run import RunOptions, run_dossiers
from opp_docs.terminal import detail_lines

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _schooljaar(_ctx: click.Context, _param: click.Parameter, value: str | None) -> SchoolYear:
    if not value:
        return SchoolYear.containing(dt.date.today())
    try:
        return SchoolYear.parse(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e


def _config(path: Path) -> Config:
    # A settings file named on the command line must exist; the default one may be absent.
    source = click.get_current_context().get_parameter_source("instellingen")
    return load_config(path, required=source != click.core.ParameterSource.DEFAULT)


schooljaar_option = click.option(
    "--schooljaar",
    callback=_schooljaar,
    metavar="JJJJ-JJJJ",
    help="Schooljaar, bijvoorbeeld 2026-2027. Standaard het schooljaar van vandaag "
    "(een schooljaar begint op 1 augustus).",
)
config_option = click.option(
    "--instellingen",
    type=click.Path(dir_okay=False, path_type=Path),
    default=CONFIG_NAME,
    show_default=True,
    help="Instellingenbestand van de school.",
)
intake_option = click.option(
    "--intake",
    type=click.Path(file_okay=False, path_type=Path),
    default="intake",
    show_default=True,
    help="Map met de exports van de administratie (wordt nooit gewijzigd).",
)
output_option = click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default="output",
    show_default=True,
    help="Map voor de uitvoer; per schooljaar komt er een submap.",
)
templates_option = click.option(
    "--sjablonen",
    type=click.Path(file_okay=False, path_type=Path),
    default="templates",
    show_default=True,
    help="Map met de Word-sjablonen.",
)
workers_option = click.option(
    "--werkers",
    type=click.IntRange(1, 16),
    default=None,
    help="Aantal LibreOffice-processen tegelijk (standaard: één per processorkern).",
)
pdfa_option = click.option(
    "--pdfa",
    is_flag=True,
    help="Maak de PDF's als PDF/A-2b, voor het archief (met LibreOffice's PDF/A-export).",
)
verbose_option = click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Toon ook de aantallen per bestand, de plaats van elk probleem, per leerlingnummer "
    "de route, en welke bestanden niet gelukt zijn (hun naam is die van de leerling). Nooit de "
    "tekst uit de OKR.",
)
# The password itself is never an argument: it would show in the process list and the history.
MIN_PASSWORD = 12


def _password(env_name: str | None, ask: bool) -> str | None:
    """The dossier password from the environment variable `env_name` or a hidden prompt."""
    if env_name and ask:
        raise click.UsageError("Kies --wachtwoord-env of --wachtwoord-vragen, niet allebei.")
    if env_name:
        # Taken out of the environment, so LibreOffice and other children never inherit it.
        password = os.environ.pop(env_name, "")
        if not password:
            raise click.ClickException(
                f"De omgevingsvariabele {env_name} is niet gezet of leeg. Zet het wachtwoord "
                "erin, of laat het vragen met --wachtwoord-vragen."
            )
    elif ask:
        password = click.prompt(
            "Wachtwoord voor de dossiers",
            hide_input=True,
            confirmation_prompt="Herhaal het wachtwoord",
        )
    else:
        return None
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(
            f"Het wachtwoord voor de dossiers is korter dan {MIN_PASSWORD} tekens. Kies een "
            "langer wachtwoord, bijvoorbeeld vier losse woorden."
        )
    return password


# Set to see the traceback of an internal error (a bug), for the developers.
DEBUG_ENV = "OPP_DOCS_DEBUG"


class _Funnel(click.Group):
    """The top command, and the one place where a failure becomes what the user sees: one
    Dutch line that says what to do and an exit status, never a traceback or a name."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            # Not standalone: click hands us its errors instead of printing them in English.
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except (click.Abort, KeyboardInterrupt):
            # Ctrl-C, or the end of input at a prompt.
            click.echo("Afgebroken.", err=True)
            sys.exit(1)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.format_message(), err=True)
            sys.exit(e.exit_code)
        except click.UsageError as e:
            command = e.ctx.command_path if e.ctx else "opp-docs"
            click.echo(f"Fout: {_usage_message(e)} Zie '{command} --help'.", err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            click.echo(f"Fout: {e.format_message()}", err=True)
            sys.exit(e.exit_code)
        except OppDocsError as e:
            click.echo(f"Fout: {e}", err=True)
            sys.exit(1)
        except OSError as e:
            click.echo(f"Fout: {_os_error(e)}", err=True)
            sys.exit(1)
        except Exception as e:
            if os.environ.get(DEBUG_ENV):
                raise
            # Only the type: the text of an unforeseen error may hold a name or a path.
            click.echo(
                f"Fout: opp-docs stopte door een interne fout ({type(e).__name__}). Er staat "
                "geen half geschreven bestand in de uitvoer. Draai opnieuw; gebeurt het weer, "
                "meld het dan met deze melding en de opdracht die u gaf bij de beheerder.",
                err=True,
            )
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _os_error(e: OSError) -> OppDocsError:
    """What the user must know of a failed system call: what to do, the place without names."""
    if not isinstance(e.filename, str | os.PathLike):
        path = None
        place = "een bestand of map"
    else:
        path = Path(e.filename)
        place = shown_path(path)
    code = e.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        # A file that could not be made: its folder is where the user must give access.
        return NoAccessError(place=shown_path(_first(path, os.path.lexists)) if path else place)
    if code in (errno.ENOSPC, errno.EDQUOT):
        # The folder: the file that did not fit is a temporary one.
        return DiskFullError(place=shown_path(path.parent) if path else place)
    if code in (errno.ENOTDIR, errno.EEXIST) and path is not None:
        in_the_way = _first(path, lambda p: os.path.lexists(p) and not os.path.isdir(p))
        return InTheWayError(place=shown_path(in_the_way))
    if code == errno.EISDIR:
        return InTheWayError(place=place, folder_needed=False)
    if code == errno.ELOOP:
        return OutputLinkError(place=place)
    return FileSystemError(place=place, code=errno.errorcode.get(code or 0, "onbekend"))


def _first(path: Path, found: Callable[[str], bool]) -> Path:
    """`path` or the nearest folder above it for which `found` holds; else `path`."""
    return next((p for p in (path, *path.parents) if found(str(p))), path)


def _usage_message(e: click.UsageError) -> str:
    """Click's message in Dutch, for the mistakes people make; others as click says them."""
    if isinstance(e, click.NoSuchOption):
        guess = f" Bedoelde u {' of '.join(e.possibilities)}?" if e.possibilities else ""
        return f"De optie {e.option_name} bestaat niet.{guess}"
    if isinstance(e, click.MissingParameter):
        kind = e.param_type or (e.param.param_type_name if e.param is not None else "")
        what = "Het argument" if kind == "argument" else "De optie"
        return f"{what} {_param_hint(e)} ontbreekt."
    if isinstance(e, click.BadParameter):
        return f"Ongeldige waarde voor {_param_hint(e)}: {_dutch(e.message)}"
    return _dutch(e.message)


def _param_hint(e: click.BadParameter) -> str:
    if e.param_hint is not None:
        hints = [e.param_hint] if isinstance(e.param_hint, str) else list(e.param_hint)
        return " / ".join(f"'{h}'" for h in hints)
    return e.param.get_error_hint(e.ctx) if e.param is not None else "een optie"


# Click's own English messages (click/parser.py, core.py, types.py) as the user sees them.
_KINDS = {"File": "Bestand", "Directory": "Map", "Path": "Pad"}
_CLICK_MESSAGES = [
    (r"No such command '(?P<x>.*)'\.", "De opdracht '{x}' bestaat niet."),
    (r"Missing command\.", "Geef een opdracht, bijvoorbeeld 'dossiers'."),
    (r"Option '(?P<x>.*)' requires an argument\.", "De optie '{x}' heeft een waarde nodig."),
    (r"Option '(?P<x>.*)' requires \d+ arguments\.", "De optie '{x}' heeft meer waarden nodig."),
    (r"Option '(?P<x>.*)' does not take a value\.", "De optie '{x}' krijgt geen waarde."),
    (r"Got unexpected extra arguments? \((?P<x>.*)\)", "Onverwacht extra argument: {x}."),
    (r"(?P<k>\w+) '(?P<x>.*)' does not exist\.", "{k} '{x}' bestaat niet."),
    (r"(?P<k>\w+) '(?P<x>.*)' is a file\.", "{k} '{x}' is een bestand, geen map."),
    (r"(?P<k>\w+) '(?P<x>.*)' is a directory\.", "{k} '{x}' is een map, geen bestand."),
    (r"(?P<k>\w+) '(?P<x>.*)' is not readable\.", "{k} '{x}' mag niet worden gelezen."),
    (r"(?P<k>\w+) '(?P<x>.*)' is not writable\.", "{k} '{x}' mag niet worden beschreven."),
    (r"'(?P<x>.*)' is not a valid integer(?: range)?\.", "'{x}' is geen geheel getal."),
    (r"(?P<x>.*) is not in the range (?P<r>.*)\.", "{x} ligt buiten het bereik {r}."),
]


def _dutch(message: str) -> str:
    for pattern, dutch in _CLICK_MESSAGES:
        found = re.fullmatch(pattern, message)
        if found:
            fields = found.groupdict()
            if "k" in fields:
                fields["k"] = _KINDS.get(fields["k"], fields["k"])
            return dutch.format(**fields)
    return message


@click.group(name="opp-docs", cls=_Funnel, context_settings=CONTEXT)
@click.version_option(package_name="opp-docs", message="opp-docs %(version)s")
def main() -> None:
    """opp-docs: van intake-exports naar OPP-documenten en dossiers.

    Lees de exports in de intakemap, stel per leerling een route voor (OPP, OPP light,
    volgen, handelingsplan LWOO of basisondersteuning), maak de Word-documenten en PDF's
    en stel per leerling een dossier samen.

    Voorbeeld:

        opp-docs dossiers --intake intake --output output --schooljaar 2026-2027
    """
    # Student records: everything this run writes is readable by its owner only.
    os.umask(0o077)


@main.command()
@intake_option
@output_option
@schooljaar_option
@config_option
@templates_option
@workers_option
@pdfa_option
@click.option(
    "--wachtwoord-env",
    metavar="NAAM",
    help="Versleutel elk dossier (AES-256) met het wachtwoord uit omgevingsvariabele NAAM, "
    "voor dossiers die per mail gaan. Het wachtwoord komt nooit in een bestand of log.",
)
@click.option(
    "--wachtwoord-vragen",
    is_flag=True,
    help="Versleutel elk dossier met een wachtwoord dat wordt gevraagd (verborgen, twee keer).",
)
@verbose_option
def dossiers(
    intake: Path,
    output: Path,
    schooljaar: SchoolYear,
    instellingen: Path,
    sjablonen: Path,
    werkers: int | None,
    pdfa: bool,
    wachtwoord_env: str | None,
    wachtwoord_vragen: bool,
    verbose: bool,
) -> None:
    """Maak alle documenten, PDF's, dossiers en overzichten.

    Leest de intakemap, stelt per leerling de route en deadlines vast, maakt de
    Word-documenten van de route, zet ze om naar PDF en bundelt per leerling een dossier.
    Door medewerkers bewerkte Word-bestanden worden nooit overschreven.

    Voorbeeld:

        opp-docs dossiers --intake intake --output output --schooljaar 2026-2027

    Dossiers versleutelen (het wachtwoord staat in de omgevingsvariabele OPP_WACHTWOORD):

        opp-docs dossiers --wachtwoord-env OPP_WACHTWOORD

    PDF's voor het archief (PDF/A-2b):

        opp-docs dossiers --pdfa
    """
    options = RunOptions(
        intake=intake,
        output=output,
        schooljaar=schooljaar,
        templates=sjablonen,
        config=_config(instellingen),
        workers=werkers,
        pdfa=pdfa,
        password=_password(wachtwoord_env, wachtwoord_vragen),
    )
    _run(options, verbose=verbose)


@main.command()
@intake_option
@output_option
@schooljaar_option
@config_option
@verbose_option
def check(
    intake: Path, output: Path, schooljaar: SchoolYear, instellingen: Path, verbose: bool
) -> None:
    """Controleer alleen de intake en schrijf het intakerapport.

    Maakt geen documenten. Het rapport (intake-rapport.xlsx) noemt per probleem het
    bestand, het blad, de rij, de kolom en hoe u het oplost.

    Voorbeeld:

        opp-docs check --intake intake --output output
    """
    summary = run_check(intake, output, schooljaar, _config(instellingen))
    _print_details(summary, verbose)
    _print_intake_line(summary)


@main.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default="output/demo",
    show_default=True,
    help="Map voor de voorbeelduitvoer.",
)
@schooljaar_option
@templates_option
@workers_option
def demo(output: Path, schooljaar: SchoolYear, sjablonen: Path, werkers: int | None) -> None:
    """Draai de hele keten op een verzonnen voorbeeldcohort.

    Schrijft de voorbeeld-exports naar OUTPUT/intake en maakt daarvan alle documenten
    en dossiers in OUTPUT/<schooljaar>. Alle leerlingen zijn verzonnen.

    Voorbeeld:

        opp-docs demo --output output/demo
    """
    intake = output / "intake"
    write_example_intake(intake, schooljaar)
    _run(
        RunOptions(
            intake=intake,
            output=output,
            schooljaar=schooljaar,
            templates=sjablonen,
            config=Config(leerlingbegeleiders=(DEMO_BEGELEIDER,), teamleider=DEMO_TEAMLEIDER),
            workers=werkers,
        )
    )


@main.group(context_settings=CONTEXT)
def templates() -> None:
    """Werk met de Word-sjablonen: welke velden er zijn, en of een sjabloon klopt.

    De sjablonen staan in de map templates; zie templates/LEESMIJ.md voordat u er een
    aanpast in Word.

    Voorbeeld:

        opp-docs templates check
    """


@templates.command()
def velden() -> None:
    """Toon elk veld dat een sjabloon mag gebruiken, met uitleg en een voorbeeld.

    De lijst komt uit de gegevens die opp-docs echt aan de sjablonen geeft, met de waarden
    van een verzonnen voorbeeldleerling.

    Voorbeeld:

        opp-docs templates velden
    """

    click.echo(
        "Velden voor de Word-sjablonen, met de waarden van een verzonnen leerling.\n"
        "Schrijf een veld precies zo in het sjabloon, in één keer getypt en in één opmaak.\n"
    )
    for f in list_fields():
        click.echo(f.usage)
        click.echo(f"    {f.description}")
        if f.loop:
            click.echo(f"    Alleen binnen {f.loop} … {{% endfor %}}")
        if f.only_in:
            click.echo(f"    Alleen in {f.only_in}")
        click.echo(f"    Voorbeeld: {f.example}")
    click.echo("\nControleer een aangepast sjabloon met: opp-docs templates check")


@templates.command(name="check")
@click.option(
    "--templates",
    "--sjablonen",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default="templates",
    show_default=True,
    help="Map met de Word-sjablonen.",
)
def templates_check(folder: Path) -> None:
    """Controleer alle Word-sjablonen voordat ze worden gebruikt.

    Meldt per sjabloon: fouten in de Jinja-code, velden die niet bestaan, en codes die Word
    heeft opgesplitst in stukken met verschillende opmaak. Eindigt met status 1 bij een
    probleem. Dezelfde controle draait aan het begin van 'opp-docs dossiers'.

    Voorbeeld:

        opp-docs templates check --templates templates
    """

    result = check_templates(folder)
    click.echo(f"{len(result.checked)} sjablonen in {folder} gecontroleerd: geen problemen.")
    for name in result.fields_unchecked:
        click.echo(
            f"Let op: {name} is geen sjabloon voor één leerling; de Jinja-code is "
            "gecontroleerd, de velden niet."
        )


@main.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default="output",
    show_default=True,
    help="Map met de schooljaarmappen.",
)
@click.option(
    "--bewaartermijn",
    type=click.IntRange(0, 50),
    default=2,
    show_default=True,
    help="Aantal jaren na het einde van het schooljaar dat de dossiers bewaard blijven.",
)
@click.option(
    "--uitvoeren",
    is_flag=True,
    help="Verwijder echt. Zonder deze optie wordt alleen getoond wat weg zou gaan.",
)
def opschonen(output: Path, bewaartermijn: int, uitvoeren: bool) -> None:
    """Toon (en verwijder) schooljaren die over de bewaartermijn heen zijn.

    Zonder --uitvoeren verandert er niets: u ziet welke schooljaarmappen weg zouden gaan.
    Met --uitvoeren worden ze verwijderd, nadat de lijst is getoond.

    Voorbeeld:

        opp-docs opschonen --bewaartermijn 2 --uitvoeren
    """
    expired = expired_years(output, bewaartermijn, dt.date.today())
    if not expired:
        click.echo(f"Niets te verwijderen in {output} (bewaartermijn {bewaartermijn} jaar).")
        return
    for e in expired:
        click.echo(
            f"  {e.folder}  (schooljaar {e.schooljaar}, {e.files} bestanden, "
            f"bewaren tot {datum(e.bewaren_tot)})"
        )
    if not uitvoeren:
        click.echo(
            f"{len(expired)} schooljaar/schooljaren over de bewaartermijn. "
            "Verwijderen: voeg --uitvoeren toe."
        )
        return
    for e in expired:
        delete(e)
    click.echo(f"{len(expired)} schooljaar/schooljaren verwijderd.")


def _run(options: RunOptions, verbose: bool = False) -> None:
    show_progress = verbose or sys.stderr.isatty()
    summary = run_dossiers(
        options,
        progress=(lambda m: click.echo(f"… {m}", err=True)) if show_progress else None,
        bar=progressbar,
    )
    _print_details(summary, verbose)
    _print_intake_line(summary)
    click.echo(
        f"{summary.students} leerlingen, {summary.dossiers} dossiers; "
        f"documenten: {summary.made} gemaakt, {summary.reused} hergebruikt, "
        f"{summary.failed} mislukt."
    )
    _print_closing_line(summary, verbose)


@contextmanager
def progressbar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for one stage of a run; nothing when stderr is no terminal
    (logs and CI stay clean) or there is nothing to do."""
    if total == 0 or not sys.stderr.isatty():
        yield lambda _steps: None
        return
    with click.progressbar(length=total, label=f"… {label}", file=sys.stderr) as bar:
        yield bar.update


def _print_details(summary: RunSummary, verbose: bool) -> None:
    if verbose:
        for line in detail_lines(summary):
            click.echo(line)


def _print_intake_line(summary: RunSummary) -> None:
    # Not blocking, but still for the user to act on: a report PDF that went to no student.
    notes = sum(1 for p in summary.intake.problems if not p.blocking) if summary.intake else 0
    if summary.intake_problems:
        click.echo(
            f"Let op: {summary.intake_problems} probleem/problemen in de intake; "
            f"{summary.blocked} leerling(en) krijgen deze keer geen nieuwe documenten. "
            f"Zie {summary.intake_report}"
        )
    elif notes:
        click.echo(
            f"Let op: de intake is gelezen ({summary.students} leerlingen), met {notes} "
            f"melding(en) om na te kijken. Zie {summary.intake_report}"
        )
    else:
        click.echo(
            f"Intake in orde ({summary.students} leerlingen). Rapport: {summary.intake_report}"
        )


def _print_closing_line(summary: RunSummary, verbose: bool) -> None:
    """The last line says whether the user must look at something, and where. With -v the
    problems of the run itself come first: they name the files, and so the students, which the
    user needs to act on them. The intake's are left out: they may quote the intake's cells."""
    from_intake = {str(p) for p in summary.intake.problems} if summary.intake else set()
    with_problems = [o for o in summary.outcomes if o.problems or o.blocked]
    found = [
        (o.leerling.leerlingnummer, p)
        for o in with_problems
        for p in o.problems
        if p not in from_intake
    ]
    if verbose and found:
        click.echo("Niet gelukt of na te kijken (per leerlingnummer):")
        for nummer, problem in found:
            click.echo(f"  {nummer}: {problem}")
    click.echo(f"Uitvoer: {summary.year_dir}")
    if with_problems:
        more = " Met -v staan hier ook de bestanden." if found and not verbose else ""
        click.echo(
            f"Let op: {len(with_problems)} leerling(en) met een probleem. Lees in de kolom "
            f"Problemen van {summary.year_dir / OVERZICHT} per leerling wat er is, los het op "
            f"en draai opnieuw.{more}"
        )


@main.command()
@intake_option
@output_option
@schooljaar_option
@config_option
def planning(intake: Path, output: Path, schooljaar: SchoolYear, instellingen: Path) -> None:
    """Schrijf alleen de overzichten, snel: maakt geen documenten.

    Leest de intake en de Word-bestanden die er al zijn, en schrijft in de map van het
    schooljaar: overzicht.xlsx (werklijst met routes en deadlines), bron-aanmelding.xlsx
    (met de notitie voor SOMtoday), planning.ics (deadlines voor de agenda), het
    docentenoverzicht per klas (Word en PDF) en het intakerapport.

    Voorbeeld:

        opp-docs planning --intake intake --output output --schooljaar 2026-2027
    """

    result = run_planning(intake, output, schooljaar, _config(instellingen))
    _print_intake_line(result.summary)
    click.echo("Overzichten:")
    for path in result.files:
        click.echo(f"  {path}")
