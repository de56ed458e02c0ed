"""What every command shares: the exit codes, the one error type, loading the flows folder
and reporting an error on stderr.

Imported by `processmodell --help` through the commands only when one runs, but kept light
anyway: the loader (pydantic, networkx) is imported inside the functions that need it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from processmodell.loader import LoadResult
    from processmodell.model import Model

EXIT_OK = 0  # done; validera: no errors
EXIT_FINDINGS = 1  # validera/bygg/graf: the model has errors; testa: a scenario failed
EXIT_USAGE = 2  # input the command cannot use: a missing folder, a bad option, an unreadable file
EXIT_WAITING = 3  # stega: the case stops at an open question

SHOWN_ERRORS = 5  # how many of a model's errors a command other than validera lists


class CommandError(Exception):
    """A Swedish message for stderr and the exit code the command returns."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.message = message
        self.code = code


def report(command: str, exc: Exception) -> int:
    """Print 'processmodell <command>: <message>' on stderr; the exit code to return.

    Also takes the core's own errors (WalkError has a Swedish `message`, no code): those are
    usage errors."""
    message = getattr(exc, "message", None) or str(exc)
    sys.stderr.write(f"processmodell {command}: {message}\n")
    return getattr(exc, "code", EXIT_USAGE)


def folder_problem(path: Path, what: str = "") -> str | None:
    """Why `path` cannot be used as a folder, in the loader's words, or None. `what` says
    which folder when it is not the model's: " med scenarier"."""
    path = Path(path)
    if not path.exists():
        return f"Katalogen '{path}'{what} finns inte."
    if not path.is_dir():
        return f"'{path}' är ingen katalog{what}."
    return None


def read_folder(katalog: Path) -> LoadResult:
    """Load the flows folder as `validera` sees it (model and findings); a folder that cannot
    be used at all is a CommandError (exit 2)."""
    from processmodell.findings import os_reason
    from processmodell.loader import FolderError, load_folder

    try:
        return load_folder(Path(katalog))
    except FolderError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"Katalogen '{katalog}' kan inte läsas: {os_reason(exc)}.") from None


def load_model(katalog: Path, *, require_valid: bool) -> Model:
    """The model in `katalog`, or CommandError.

    A folder that cannot be used, or a model that cannot be built at all, is exit 2. With
    `require_valid` (bygg, graf: never publish a model `validera` rejects) the model is also
    checked, and any error is exit 1; the first few errors are listed either way."""
    result = read_folder(katalog)
    findings = list(result.findings)
    if require_valid and result.model is not None:
        from processmodell.checks import check

        findings += check(result.model, prior=result.findings)
    errors = [f for f in findings if f.is_error]
    if require_valid and (result.model is None or errors):
        raise CommandError(
            f"Modellen i '{katalog}' har {len(errors)} fel; kommandot körs bara på en felfri modell."
            + _first_errors(errors, katalog),
            EXIT_FINDINGS,
        )
    if result.model is None:
        shown = errors or findings  # the loader only gives up on errors; be safe all the same
        raise CommandError(f"Modellen i '{katalog}' kan inte läsas." + _first_errors(shown, katalog))
    return result.model


def _first_errors(errors: list, katalog: Path) -> str:
    """The first few errors, one indented line each, and where to see them all."""
    shown = errors[:SHOWN_ERRORS]
    lines = [f"  {f.location}: {f.message}" if f.location else f"  {f.message}" for f in shown]
    if len(errors) > SHOWN_ERRORS:
        lines.append(f"  … och {len(errors) - SHOWN_ERRORS} fel till.")
    lines.append(f"Kör 'processmodell validera {katalog}' för alla fel med tips.")
    return "\n" + "\n".join(lines)
