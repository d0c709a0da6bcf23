"""Every command has Dutch help with an example; bad options get a clear message."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from opp_docs import files
from opp_docs.cli import main
from opp_docs.funnel import DEBUG_ENV, Funnel
from opp_docs.pdf import join, pool
from opp_docs.pdf.join import JoinRefused, Metadata
from opp_docs.pipeline.state import JOURNAL
from tests.helpers import REPO, docx_text
from tests.personal_data import OKR_TEXT, assert_no_personal_data, private_intake, settings


def all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = [("opp-docs", main)]

    def walk(prefix: str, group: click.Group) -> None:
        for name, command in group.commands.items():
            found.append((f"{prefix} {name}", command))
            if isinstance(command, click.Group):
                walk(f"{prefix} {name}", command)

    walk("opp-docs", main)
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=lambda v: str(v))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help, f"{name} heeft geen helptekst"
    assert "Voorbeeld" in command.help, f"{name}: helptekst zonder voorbeeld"
    args = [*name.split()[1:], "--help"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "Voorbeeld" in result.output
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{name} {param.opts[0]} heeft geen helptekst"


def test_commands_exist() -> None:
    names = {n for n, _ in all_commands()}
    assert {"opp-docs dossiers", "opp-docs check", "opp-docs demo"} <= names


def test_bad_school_year_is_explained() -> None:
    result = CliRunner().invoke(main, ["check", "--schooljaar", "2026-2028"])
    assert result.exit_code == 2
    assert result.output == (
        "Fout: Ongeldige waarde voor '--schooljaar': Schooljaar '2026-2028' is ongeldig: "
        "schrijf het als twee opeenvolgende jaren, bijvoorbeeld 2026-2027. "
        "Zie 'opp-docs check --help'.\n"
    )


def test_missing_intake_folder_is_explained(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", "--intake", f"{tmp_path}/bestaat-niet", "--output", f"{tmp_path}/uit"]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Fout: Intakemap {tmp_path}/bestaat-niet: de map bestaat niet. Maak de map aan en zet "
        "de exports erin.\n"
    )
    assert not (tmp_path / "uit").exists()


# --- one funnel: every failure is one Dutch message and an exit status ------------------------


def invoke(*args: str, **kwargs: Any) -> Result:
    return CliRunner().invoke(main, list(args), **kwargs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["dossiers", "--werkers", "x"],
            "Fout: Ongeldige waarde voor '--werkers': 'x' is geen geheel getal. "
            "Zie 'opp-docs dossiers --help'.",
        ),
        (
            ["dossiers", "--werkers", "99"],
            "Fout: Ongeldige waarde voor '--werkers': 99 ligt buiten het bereik 1<=x<=16. "
            "Zie 'opp-docs dossiers --help'.",
        ),
        (
            ["dossiers", "--werker", "3"],
            "Fout: De optie --werker bestaat niet. Bedoelde u --werkers? "
            "Zie 'opp-docs dossiers --help'.",
        ),
        (
            ["check", "--schooljaar"],
            # Click does not say which command this mistake was made in.
            "Fout: De optie '--schooljaar' heeft een waarde nodig. Zie 'opp-docs --help'.",
        ),
        (
            ["check", "intake"],
            "Fout: Onverwacht extra argument: intake. Zie 'opp-docs check --help'.",
        ),
        (
            ["dosiers"],
            "Fout: De opdracht 'dosiers' bestaat niet. Zie 'opp-docs --help'.",
        ),
    ],
)
def test_a_usage_mistake_is_explained_in_dutch(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.output == message + "\n"


def test_a_file_given_as_a_folder_is_explained_in_dutch(tmp_path: Path) -> None:
    file = tmp_path / "uitvoer.txt"
    file.write_text("")
    result = invoke("opschonen", "--output", str(file))
    assert result.exit_code == 2
    assert result.output == (
        f"Fout: Ongeldige waarde voor '--output': Map '{file}' is een bestand, geen map. "
        "Zie 'opp-docs opschonen --help'.\n"
    )


@click.group(cls=Funnel)
def tool() -> None:
    """A command of our own with what opp-docs has no use for yet: a required argument that
    must exist."""


@tool.command()
@click.argument("map", type=click.Path(exists=True))
def lees(map: str) -> None:
    """Read MAP."""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lees"], "Fout: Het argument 'MAP' ontbreekt. Zie 'tool lees --help'."),
        (
            ["lees", "weg"],
            "Fout: Ongeldige waarde voor 'MAP': Pad 'weg' bestaat niet. Zie 'tool lees --help'.",
        ),
    ],
)
def test_a_missing_argument_or_path_is_explained_in_dutch(args: list[str], message: str) -> None:
    result = CliRunner().invoke(tool, args, prog_name="tool")
    assert result.exit_code == 2
    assert result.output == message + "\n"


def test_ctrl_c_says_afgebroken(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("opp_docs.cli.run_check", interrupted)
    result = invoke("check", "--intake", str(tmp_path), "--output", str(tmp_path / "uit"))
    assert result.exit_code == 1
    # The blank line ends the line the terminal shows ^C on.
    assert result.output == "\nAfgebroken.\n"


def test_the_end_of_input_at_the_password_prompt_says_afgebroken(tmp_path: Path) -> None:
    result = invoke("dossiers", "--intake", str(tmp_path), "--wachtwoord-vragen", input="")
    assert result.exit_code == 1
    assert result.output.endswith("\nAfgebroken.\n")
    assert "Aborted" not in result.output


def test_an_internal_error_shows_no_traceback_and_no_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*_args: object) -> None:
        raise ValueError("Ysbrand Wolkenkrabber, uit/2026-2027/leerlingen/123456")

    monkeypatch.setattr("opp_docs.cli.run_check", broken)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    result = invoke("check", "--intake", str(tmp_path), "--output", str(tmp_path / "uit"))
    assert result.exit_code == 1
    assert result.output == (
        "Fout: opp-docs stopte door een interne fout (ValueError). Er staat geen half "
        "geschreven bestand in de uitvoer. Draai opnieuw; gebeurt het weer, meld het dan met "
        "deze melding en de opdracht die u gaf bij de beheerder.\n"
    )
    # For the developers, the error itself.
    result = invoke(
        "check", "--intake", str(tmp_path), "--output", str(tmp_path / "uit"),
        env={DEBUG_ENV: "1"},
    )  # fmt: skip
    assert isinstance(result.exception, ValueError)


# --- the output folder: not writable, in the way, full, a link --------------------------------

YEAR = "2026-2027"


def files_in(folder: Path) -> dict[str, str]:
    """Every file and link under `folder`, with its content's digest or where it leads. The
    journal is left out: a failed run leaves it as a killed one does, and the next run takes
    over only what it says of files that are on disk."""
    found: dict[str, str] = {}
    for root, folders, names in os.walk(folder):
        for name in [*folders, *names]:
            path = Path(root, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = f"-> {os.readlink(path)}"
            elif path.is_file() and name != JOURNAL:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_dir():
                found[key] = "map"
    return found


def dossiers(base: Path, *extra: str) -> Result:
    return invoke(
        "dossiers",
        "--intake", str(base / "intake"),
        "--output", str(base / "uit"),
        "--schooljaar", YEAR,
        "--sjablonen", str(REPO / "templates"),
        "--instellingen", str(settings(base)),
        *extra,
    )  # fmt: skip


def check(base: Path) -> Result:
    return invoke(
        "check", "--intake", str(base / "intake"), "--output", str(base / "uit"),
        "--schooljaar", YEAR,
    )  # fmt: skip


def assert_refused(result: Result, message: str, output: Path, before: dict[str, str]) -> None:
    """The run stopped with exactly `message`, no name or student folder shown, and the output
    left as it was."""
    assert result.exit_code == 1, result.output
    assert result.output == f"Fout: {message}\n"
    assert_no_personal_data(result.output)
    assert files_in(output) == before
    assert not [p for p in output.rglob(".tmp-*")]


NO_ACCESS = (
    "Geen toegang tot {}: opp-docs mag daar niet schrijven (of lezen). Geef uw gebruiker "
    "schrijfrechten op die map, of kies met --output een andere map, en draai opnieuw."
)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_output_folder_without_write_permission_is_explained(tmp_path: Path) -> None:
    private_intake(tmp_path / "intake")
    output = tmp_path / "uit"
    output.mkdir(mode=0o500)
    try:
        assert_refused(check(tmp_path), NO_ACCESS.format(output), output, {})
    finally:
        output.chmod(0o700)


def refuse_writes_in(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make the system refuse to make folders and files in `folder`, as it does for a user
    without write permission there (tests may run as root, who may write anywhere)."""
    real_mkdir, real_open = os.mkdir, os.open

    def refused(path: Any) -> None:
        if Path(path).parent == folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        refused(path)
        real_mkdir(path, *args, **kwargs)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            refused(path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "open", open_)


def test_an_output_folder_without_write_permission_is_explained_also_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private_intake(tmp_path / "intake")
    output = tmp_path / "uit"
    output.mkdir()
    refuse_writes_in(monkeypatch, output)
    assert_refused(check(tmp_path), NO_ACCESS.format(output), output, {})


IN_THE_WAY = (
    "Er staat een bestand waar opp-docs een map nodig heeft: {}. Verplaats of hernoem het en "
    "draai opnieuw."
)


def test_a_file_where_the_school_year_folder_should_be_is_named(tmp_path: Path) -> None:
    private_intake(tmp_path / "intake")
    output = tmp_path / "uit"
    output.mkdir()
    (output / YEAR).write_text("geen map")
    before = files_in(output)
    assert_refused(check(tmp_path), IN_THE_WAY.format(output / YEAR), output, before)


def test_a_file_where_the_students_folder_should_be_is_named(tmp_path: Path) -> None:
    private_intake(tmp_path / "intake", with_problems=False)
    output = tmp_path / "uit"
    (output / YEAR).mkdir(parents=True)
    (output / YEAR / "leerlingen").write_text("geen map")
    before = files_in(output)
    message = IN_THE_WAY.format(output / YEAR / "leerlingen")
    assert_refused(dossiers(tmp_path), message, output, before)


def link_out_of_the_output(base: Path) -> Path:
    """The student's folder as a link to a folder outside the output; returns that folder."""
    students = base / "uit" / YEAR / "leerlingen"
    students.mkdir(parents=True)
    elsewhere = base / "elders"
    elsewhere.mkdir()
    (elsewhere / "aantekeningen.txt").write_text("niet van opp-docs")
    (students / "123456 Wolkenkrabber, Ysbrand").symlink_to(elsewhere)
    return elsewhere


def test_a_student_folder_that_links_out_of_the_output_is_refused(tmp_path: Path) -> None:
    private_intake(tmp_path / "intake", with_problems=False)
    elsewhere = link_out_of_the_output(tmp_path)
    before, before_elsewhere = files_in(tmp_path / "uit"), files_in(elsewhere)
    students = tmp_path / "uit" / YEAR / "leerlingen"
    message = (
        "opp-docs schrijft alleen in de uitvoermap zelf, maar de map van leerling 123456 in "
        f"{students} is een snelkoppeling (symbolische link) naar een andere plek. Vervang die "
        "door een gewone map: verplaats de echte map terug, of verwijder de snelkoppeling (dan "
        "maakt opp-docs de map opnieuw). Draai daarna opnieuw."
    )
    assert_refused(dossiers(tmp_path), message, tmp_path / "uit", before)
    assert files_in(elsewhere) == before_elsewhere


def test_a_link_out_of_the_output_is_not_cleaned_up_through(tmp_path: Path) -> None:
    private_intake(tmp_path / "intake", with_problems=False)
    elsewhere = link_out_of_the_output(tmp_path)
    (elsewhere / ".tmp-van-iemand-anders").write_text("niet van opp-docs")
    before = files_in(elsewhere)
    assert dossiers(tmp_path).exit_code == 1
    assert files_in(elsewhere) == before


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output of a finished run for one student with an OPP light."""
    base = tmp_path_factory.mktemp("klaar")
    private_intake(base / "intake", with_problems=False)
    result = dossiers(base)
    assert result.exit_code == 0, result.output
    return base


@pytest.fixture
def rerun(finished: Path, tmp_path: Path) -> Path:
    """A copy of the finished run, to run again."""
    base = tmp_path / "opnieuw"
    shutil.copytree(finished, base, symlinks=True)
    return base


@pytest.mark.libreoffice
def test_a_student_folder_without_write_permission_is_named_by_number(
    rerun: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = rerun / "uit"
    (folder,) = (output / YEAR / "leerlingen").iterdir()
    # Gone since the last run: made anew by this one.
    next(folder.glob("tussenevaluatie - *.docx")).unlink()
    before = files_in(output)
    refuse_writes_in(monkeypatch, folder)
    place = f"de map van leerling 123456 in {folder.parent}"
    assert_refused(dossiers(rerun), NO_ACCESS.format(place), output, before)


@pytest.mark.libreoffice
def test_a_full_disk_leaves_the_output_as_it_was_and_a_rerun_completes(
    rerun: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = rerun / "uit"
    okr = rerun / "intake" / "okr.csv"
    okr.write_text(okr.read_text("cp1252").replace(OKR_TEXT, "Ballonangst"), "cp1252")
    before = files_in(output)
    real_atomic_path = files.atomic_path

    @contextmanager
    def disk_full(target: Path) -> Iterator[Path]:
        with real_atomic_path(target) as tmp:
            yield tmp
            # The disk fills up while the file is written.
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))

    monkeypatch.setattr(files, "atomic_path", disk_full)
    folder = output / YEAR / "leerlingen"
    message = (
        f"De schijf is vol: opp-docs kon niet schrijven in de map van leerling 123456 in {folder}. "
        "Er staat geen half geschreven bestand; wat er al stond, is er nog. Maak ruimte vrij (of "
        "kies met --output een map op een andere schijf) en draai opnieuw."
    )
    assert_refused(dossiers(rerun), message, output, before)

    monkeypatch.setattr(files, "atomic_path", real_atomic_path)
    result = dossiers(rerun)
    assert result.exit_code == 0, result.output
    # Only the plan says what the OKR says.
    assert "documenten: 1 gemaakt, 4 hergebruikt, 0 mislukt" in result.output
    (opp,) = folder.glob("*/opp-light - *.docx")
    assert "Ballonangst" in docx_text(opp)
    assert not (output / YEAR / JOURNAL).exists()


@pytest.mark.libreoffice
def test_verbose_counts_why_documents_went_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A join that is refused says why, and -v counts the reasons: a school sees why its
    documents went to LibreOffice one by one (and took longer)."""

    def refused(*args: object, **kwargs: object) -> list[Metadata]:
        raise JoinRefused(join.NUMBERED)

    monkeypatch.setattr(pool, "merge", refused)
    private_intake(tmp_path / "intake", with_problems=False)
    result = dossiers(tmp_path, "-v")
    assert result.exit_code == 0, result.output
    # One student's documents, refused as one group; the cover goes alone anyway.
    assert "Los omgezet in plaats van samen: 1× genummerde lijst" in result.output.splitlines()
    assert "documenten: 5 gemaakt, 0 hergebruikt, 0 mislukt" in result.output
    assert_no_personal_data(result.output)
