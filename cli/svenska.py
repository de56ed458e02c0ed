"""Swedish for the parts of the command line that typer (and its bundled click) write in English.

The users are socialsekreterare; "Usage", "Options" and "No such option" must not reach them.
Typer's help sections go through gettext (`typer.core._`); the rest are fixed English strings,
so we translate them at the two places they leave the program: the usage prefix and the
error display. Patterns we do not know are shown as they are rather than guessed at.
"""

from __future__ import annotations

import re
import sys
from typing import IO, Any

import typer.core
from typer._click import core as click_core
from typer._click import exceptions as click_exceptions
from typer._click import formatting as click_formatting

WORDS = {
    "Arguments": "Argument",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "required": "krävs",
    "default: {default}": "standard: {default}",
    "(dynamic)": "(dynamiskt)",
    "env var: {var}": "miljövariabel: {var}",
    "Aborted!": "Avbrutet.",
    "Missing command.": "Kommando saknas.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
}

# (English pattern, Swedish replacement) for click's error messages.
ERRORS = [
    (r"No such option: (\S+)", r"Flaggan \1 finns inte."),
    (r"Did you mean (.+)\?", r"Menade du \1?"),
    (r"\(Possible options: (.+)\)", r"(Möjliga flaggor: \1)"),
    (r"Missing argument '(.+)'\.", r"Argumentet '\1' saknas."),
    (r"Missing option '(.+)'\.", r"Flaggan '\1' saknas."),
    (r"Missing parameter: (.+)", r"Parametern \1 saknas."),
    (r"Option '(.+)' requires an argument\.", r"Flaggan '\1' behöver ett värde."),
    (r"Option '(.+)' does not take a value\.", r"Flaggan '\1' tar inget värde."),
    (r"Got unexpected extra arguments? \((.+)\)", r"Oväntade extra argument: \1"),
    (r"Invalid value for (.+?): (.+)", r"Ogiltigt värde för \1: \2"),
    (r"Invalid value: (.+)", r"Ogiltigt värde: \1"),
    (r"'(.+)' is not one of (.+)\.", r"'\1' är inte ett av \2."),
    (r"'(.+)' is not a valid integer\.", r"'\1' är inget heltal."),
    (r"No such command '(.+)'\.", r"Kommandot '\1' finns inte."),
    (r"Missing command\.", "Kommando saknas."),
]


def translate(message: str) -> str:
    message = message.replace("Value error, ", "")
    for pattern, replacement in ERRORS:
        message = re.sub(pattern, replacement, message)
    return message


def _show_usage_error(self: click_exceptions.UsageError, file: IO[Any] | None = None) -> None:
    out = file or sys.stderr
    if self.ctx is not None:
        out.write(self.ctx.get_usage() + "\n")
        out.write(f"Skriv '{self.ctx.command_path} --help' för hjälp.\n")
    out.write(f"Fel: {translate(self.format_message())}\n")


def _show_error(self: click_exceptions.ClickException, file: IO[Any] | None = None) -> None:
    (file or sys.stderr).write(f"Fel: {translate(self.format_message())}\n")


_original_write_usage = click_formatting.HelpFormatter.write_usage
_original_help_option = click_core.Command.get_help_option


def _write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    _original_write_usage(
        self,
        prog,
        args.replace("[OPTIONS]", "[FLAGGOR]").replace("COMMAND [ARGS]", "KOMMANDO [ARGUMENT]"),
        prefix or "Användning: ",
    )


def _help_option(self: Any, ctx: Any) -> Any:
    option = _original_help_option(self, ctx)
    if option is not None:
        option.help = "Visa denna hjälp och avsluta."
    return option


def install() -> None:
    typer.core._ = lambda text: WORDS.get(text, text)  # type: ignore[attr-defined]
    click_exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    click_exceptions.ClickException.show = _show_error  # type: ignore[method-assign]
    click_formatting.HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]
    click_core.Command.get_help_option = _help_option  # type: ignore[method-assign]
