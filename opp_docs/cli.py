"""The `opp-docs` command: a thin layer over the library. Every command's docstring is its help."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from opp_docs.config import CONFIG_NAME, Config, load_config
from opp_docs.errors import OppDocsError
from opp_docs.models import SchoolYear
from opp_docs.pipeline import RunOptions, RunSummary, run_check, run_dossiers
from opp_docs.voorbeeld import write_example_intake

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _schooljaar(_ctx: click.Context, _param: click.Parameter, value: str | None) -> SchoolYear:
    if not value:
        return SchoolYear.containing(dt.date.today())
    try:
        return SchoolYear.parse(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e


def _config(path: Path) -> Config:
    try:
        return load_config(path)
    except OppDocsError as e:
        raise click.ClickException(str(e)) from e


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


@click.group(context_settings=CONTEXT)
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
@click.option(
    "--intake",
    type=click.Path(file_okay=False, path_type=Path),
    default="intake",
    show_default=True,
    help="Map met de exports van de administratie (wordt nooit gewijzigd).",
)
@output_option
@schooljaar_option
@config_option
@templates_option
@workers_option
def dossiers(
    intake: Path,
    output: Path,
    schooljaar: SchoolYear,
    instellingen: Path,
    sjablonen: Path,
    werkers: int | None,
) -> None:
    """Maak alle documenten, PDF's, dossiers en overzichten.

    Leest de intakemap, stelt per leerling de route en deadlines vast, maakt de
    Word-documenten van de route, zet ze om naar PDF en bundelt per leerling een dossier.
    Door medewerkers bewerkte Word-bestanden worden nooit overschreven.

    Voorbeeld:

        opp-docs dossiers --intake intake --output output --schooljaar 2026-2027
    """
    options = RunOptions(
        intake=intake,
        output=output,
        schooljaar=schooljaar,
        templates=sjablonen,
        config=_config(instellingen),
        workers=werkers,
    )
    _run(options)


@main.command()
@click.option(
    "--intake",
    type=click.Path(file_okay=False, path_type=Path),
    default="intake",
    show_default=True,
    help="Map met de exports van de administratie (wordt nooit gewijzigd).",
)
@output_option
@schooljaar_option
@config_option
def check(intake: Path, output: Path, schooljaar: SchoolYear, instellingen: Path) -> None:
    """Controleer alleen de intake en schrijf het intakerapport.

    Maakt geen documenten. Het rapport (intake-rapport.xlsx) noemt per probleem het
    bestand, het blad, de rij, de kolom en hoe u het oplost.

    Voorbeeld:

        opp-docs check --intake intake --output output
    """
    try:
        summary = run_check(intake, output, schooljaar, _config(instellingen))
    except OppDocsError as e:
        raise click.ClickException(str(e)) from e
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
            config=Config(leerlingbegeleiders=("mevr. J. de Wit",), teamleider="dhr. M. Vos"),
            workers=werkers,
        )
    )


def _run(options: RunOptions) -> None:
    verbose = sys.stderr.isatty()
    try:
        summary = run_dossiers(
            options, progress=(lambda m: click.echo(f"… {m}", err=True)) if verbose else None
        )
    except OppDocsError as e:
        raise click.ClickException(str(e)) from e
    _print_intake_line(summary)
    click.echo(
        f"{summary.students} leerlingen, {summary.dossiers} dossiers; "
        f"documenten: {summary.made} gemaakt, {summary.reused} hergebruikt, "
        f"{summary.failed} mislukt."
    )
    click.echo(f"Uitvoer: {summary.year_dir}")


def _print_intake_line(summary: RunSummary) -> None:
    if summary.intake_problems:
        click.echo(
            f"Let op: {summary.intake_problems} probleem/problemen in de intake; "
            f"{summary.blocked} leerling(en) krijgen deze keer geen nieuwe documenten. "
            f"Zie {summary.intake_report}"
        )
    else:
        click.echo(
            f"Intake in orde ({summary.students} leerlingen). Rapport: {summary.intake_report}"
        )
