"""The `opp-docs` command: a thin layer over the library. Every command's docstring is its help."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from opp_docs.config import CONFIG_NAME, Config, load_config
from opp_docs.demo.cohort import DEMO_BEGELEIDER, DEMO_TEAMLEIDER, write_example_intake
from opp_docs.demo.staff import sem_plan, write_sem_plan, write_signed_scan
from opp_docs.documents.check import check_templates
from opp_docs.documents.fields_reference import list_fields
from opp_docs.documents.formatting import datum
from opp_docs.funnel import Funnel
from opp_docs.models import SchoolYear
from opp_docs.pipeline.plan import PlanningRequest, run_check, run_planning
from opp_docs.pipeline.retention import delete, expired_years
from opp_docs.pipeline.run import RunOptions, run_dossiers
from opp_docs.terminal import detail_lines, intake_line, run_lines

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


@click.group(name="opp-docs", cls=Funnel, context_settings=CONTEXT)
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
    for line in [*(detail_lines(summary) if verbose else []), intake_line(summary)]:
        click.echo(line)


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
    options = RunOptions(
        intake=intake,
        output=output,
        schooljaar=schooljaar,
        templates=sjablonen,
        config=Config(leerlingbegeleiders=(DEMO_BEGELEIDER,), teamleider=DEMO_TEAMLEIDER),
        workers=werkers,
    )
    run_dossiers(options)
    # Then a counsellor writes one plan in full, and the run after it shows a finished plan
    # whose evaluation forms list its goals.
    texts = sem_plan(schooljaar.start, datum(options.today))
    plan = write_sem_plan(output / str(schooljaar), texts)
    if plan is not None:
        click.echo(f"Voorbeeld: de leerlingbegeleider heeft het plan ingevuld: {plan.name}")
        scan = write_signed_scan(intake, "Sem Jansen")
        click.echo(f"Voorbeeld: de administratie zet de scan van de handtekeningen in {scan}")
    _run(options)


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
    for warning in result.warnings:
        click.echo(f"Let op: {warning.template}: {warning.problem}")
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
    for line in run_lines(summary, verbose):
        click.echo(line)


@contextmanager
def progressbar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for one stage of a run; nothing when stderr is no terminal
    (logs and CI stay clean) or there is nothing to do."""
    if total == 0 or not sys.stderr.isatty():
        yield lambda _steps: None
        return
    with click.progressbar(length=total, label=f"… {label}", file=sys.stderr) as bar:
        yield bar.update


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

    result = run_planning(PlanningRequest(intake, output, schooljaar, _config(instellingen)))
    click.echo(intake_line(result.summary))
    click.echo("Overzichten:")
    for path in result.files:
        click.echo(f"  {path}")
