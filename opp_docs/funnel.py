"""The one place where a failure becomes what the user sees: one Dutch line that says what
to do, and an exit status; never a traceback, never a student's name. The CLI's top command
is a `Funnel`; click's own English messages are said again in Dutch."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import click

from opp_docs.errors import OppDocsError
from opp_docs.files import explain_os_error

# Set to see the traceback of an internal error (a bug), for the developers.
DEBUG_ENV = "OPP_DOCS_DEBUG"


class Funnel(click.Group):
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
            click.echo(f"Fout: {explain_os_error(e)}", err=True)
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
