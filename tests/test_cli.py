"""Every command has Dutch help with an example; bad options get a clear message."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from opp_docs.cli import main


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
    assert "twee opeenvolgende jaren" in result.output
    assert "Traceback" not in result.output


def test_missing_intake_folder_is_explained(tmp_path: object) -> None:
    result = CliRunner().invoke(
        main, ["check", "--intake", f"{tmp_path}/bestaat-niet", "--output", f"{tmp_path}/uit"]
    )
    assert result.exit_code == 1
    assert "bestaat-niet" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
