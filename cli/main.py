"""The `processmodell` command line. Thin: it parses options and calls one module per command.

Command modules (and through them the core, pydantic, networkx, jinja2) are imported only when
their command runs, so `processmodell --help` stays fast.

Exit codes: 0 ok, 1 findings/failure, 2 usage or unreadable input, 3 (stega) waiting for an answer.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cli import svenska

# pydantic looks for third-party plugins through importlib.metadata on first use, which costs
# more than validating the whole model; processmodell uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
svenska.install()

app = typer.Typer(
    name="processmodell",
    help="Körbar processkarta för Stockholmsmodellen: validera, visa, stega och publicera.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

KATALOG_HELP = "Katalog med modellens YAML-filer."


class ValideraFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"


class GrafFormat(str, Enum):
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


@app.command("validera")
def validera(
    katalog: Annotated[Path, typer.Argument(help=KATALOG_HELP)] = Path("flows"),
    format: Annotated[
        ValideraFormat, typer.Option("--format", "-f", help="Utdataformat.")
    ] = ValideraFormat.text,
    strikt: Annotated[bool, typer.Option("--strikt", help="Varningar ger också slutkod 1.")] = False,
) -> None:
    """Kontrollera modellen: referenser, återvändsgränder, onåbara rutor, villkor, lagrum."""
    from cli import validera as cmd

    raise typer.Exit(cmd.run(katalog, format.value, strikt))


@app.command("visa")
def visa(
    mål: Annotated[str, typer.Argument(metavar="UNDERPROCESS[/RUTA]", help="T.ex. fk eller fk/5a.")],
    katalog: Annotated[Path, typer.Option("--katalog", "-k", help=KATALOG_HELP)] = Path("flows"),
) -> None:
    """Visa en underprocess eller en ruta: text, lagrum och vägar vidare."""
    from cli import visa as cmd

    raise typer.Exit(cmd.run(katalog, mål))


@app.command("stega")
def stega(
    underprocess: Annotated[
        str | None,
        typer.Argument(help="Underprocess att starta i, t.ex. soc-sjukskriven (behövs inte med --fortsätt)."),
    ] = None,
    katalog: Annotated[Path, typer.Option("--katalog", "-k", help=KATALOG_HELP)] = Path("flows"),
    start: Annotated[str | None, typer.Option("--start", help="Startruta, t.ex. 1b.")] = None,
    fakta: Annotated[
        Path | None, typer.Option("--fakta", help="YAML- eller JSON-fil med fakta om ärendet.")
    ] = None,
    svar: Annotated[list[str] | None, typer.Option("--svar", help="RUTA=SVAR, kan upprepas.")] = None,
    spara: Annotated[Path | None, typer.Option("--spara", help="Spara ärendet i denna fil.")] = None,
    fortsätt: Annotated[Path | None, typer.Option("--fortsätt", help="Fortsätt ett sparat ärende.")] = None,
    datum: Annotated[
        str | None, typer.Option("--datum", help="Dagens datum för frister, ÅÅÅÅ-MM-DD.")
    ] = None,
    journal: Annotated[
        Path | None, typer.Option("--journal", help="Skriv journaltext (Markdown) till fil.")
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Skriv resultatet som JSON, fråga aldrig.")
    ] = False,
) -> None:
    """Stega ett ärende genom kartan, en ruta i taget."""
    from cli import stega as cmd

    raise typer.Exit(
        cmd.run(
            katalog=katalog,
            underprocess=underprocess,
            start=start,
            fakta=fakta,
            svar=svar or [],
            spara=spara,
            fortsätt=fortsätt,
            datum=datum,
            journal=journal,
            json_out=json_out,
        )
    )


@app.command("testa")
def testa(
    scenarier: Annotated[Path, typer.Argument(help="Katalog med scenariofiler.")] = Path("tests/scenarier"),
    katalog: Annotated[Path, typer.Option("--katalog", "-k", help=KATALOG_HELP)] = Path("flows"),
) -> None:
    """Kör scenariofiler och visa vilka rutor och svar som inget scenario täcker."""
    from cli import testa as cmd

    raise typer.Exit(cmd.run(katalog, scenarier))


@app.command("bygg")
def bygg(
    ut: Annotated[Path, typer.Option("--ut", help="Katalog att skriva webbplatsen till (krävs).")],
    katalog: Annotated[Path, typer.Argument(help=KATALOG_HELP)] = Path("flows"),
    exempel: Annotated[
        Path | None,
        typer.Option(
            "--exempel",
            metavar="KATALOG",
            help=(
                "Katalog vars undermappar är andra modeller (som examples/): "
                "var och en byggs under exempel/ och länkas från startsidan."
            ),
        ),
    ] = None,
) -> None:
    """Bygg den statiska, tillgängliga HTML-processkartan."""
    from cli import bygg as cmd

    raise typer.Exit(cmd.run(katalog, ut, exempel))


@app.command("graf")
def graf(
    katalog: Annotated[Path, typer.Argument(help=KATALOG_HELP)] = Path("flows"),
    format: Annotated[
        GrafFormat, typer.Option("--format", "-f", help="json, dot eller mermaid.")
    ] = GrafFormat.json,
    underprocess: Annotated[
        str | None, typer.Option("--underprocess", "-u", help="Bara denna underprocess (dot/mermaid).")
    ] = None,
) -> None:
    """Skriv modellen som graf: JSON (maskinläsbar), Graphviz DOT eller Mermaid."""
    from cli import graf as cmd

    raise typer.Exit(cmd.run(katalog, format.value, underprocess))


@app.command("schema")
def schema() -> None:
    """Skriv JSON Schema (draft-07) för flödesfilerna, för editorer."""
    from cli import schema as cmd

    raise typer.Exit(cmd.run())


def main() -> None:
    """Console entry point: one error boundary, so no traceback reaches a user.

    Expected problems (bad input) are handled inside each command with a message and exit 2.
    Anything reaching this point is a bug in processmodell: say so plainly, without a traceback
    unless PROCESSMODELL_DEBUG is set."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\nAvbrutet.\n")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the one error boundary
        if os.environ.get("PROCESSMODELL_DEBUG"):
            raise
        sys.stderr.write(
            f"Internt fel i processmodell ({type(exc).__name__}): {exc}\n"
            "Det här är ett fel i programmet, inte i dina filer. Kör igen med PROCESSMODELL_DEBUG=1 "
            "och skicka utskriften till förvaltaren av processmodell.\n"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
