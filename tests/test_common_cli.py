"""cli/common.py: every command says the same thing, with the same exit code, when the flows
folder cannot be used or the model cannot be built."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.common import EXIT_FINDINGS, EXIT_USAGE, CommandError, report
from cli.main import app
from processmodell.interpreter import WalkError

ROOT = Path(__file__).resolve().parent.parent
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' saknas")


def command_args(command: str, katalog: Path, tmp_path: Path) -> list[str]:
    """`command` run on the flows folder `katalog`, with whatever else it needs to get that far."""
    scenarier = tmp_path / "scenarier"
    scenarier.mkdir(exist_ok=True)
    return {
        "validera": ["validera", str(katalog)],
        "visa": ["visa", "fk", "--katalog", str(katalog)],
        "stega": ["stega", "fk", "--katalog", str(katalog)],
        "testa": ["testa", str(scenarier), "--katalog", str(katalog)],
        "bygg": ["bygg", str(katalog), "--ut", str(tmp_path / "site")],
        "graf": ["graf", str(katalog)],
    }[command]


ALL = ["validera", "visa", "stega", "testa", pytest.param("bygg", marks=needs_dot), "graf"]
READERS = ["visa", "stega", "testa"]  # use a model with errors; give up only when it cannot be built
BUILDERS = [pytest.param("bygg", marks=needs_dot), "graf"]  # need a model without errors


def invoke(args: list[str]):
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize("command", ALL)
def test_missing_folder_same_words_exit_2(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "finns-inte"
    result = invoke(command_args(command, missing, tmp_path))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == f"processmodell {command}: Katalogen '{missing}' finns inte.\n"
    assert result.stdout == ""


@pytest.mark.parametrize("command", ALL)
def test_a_file_is_not_a_folder_exit_2(tmp_path: Path, command: str) -> None:
    file = tmp_path / "modell.yaml"
    file.write_text("modell:\n  namn: x\n", "utf-8")
    result = invoke(command_args(command, file, tmp_path))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == (
        f"processmodell {command}: '{file}' är ingen katalog; ange katalogen med modellens YAML-filer.\n"
    )


@pytest.mark.parametrize("command", ALL)
def test_unreadable_folder_names_the_reason_exit_2(tmp_path: Path, command: str, monkeypatch) -> None:
    # As root a chmod does not stop reading, so the loader is made to fail the way the OS would.
    import processmodell.loader

    def refuse(path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(processmodell.loader, "load_folder", refuse)
    folder = tmp_path / "flows"
    folder.mkdir()
    result = invoke(command_args(command, folder, tmp_path))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == (
        f"processmodell {command}: Katalogen '{folder}' kan inte läsas: du saknar behörighet.\n"
    )


def broken_model(tmp_path: Path, files: int) -> Path:
    """A flows folder of `files` YAML files that do not parse: one error each, no model."""
    folder = tmp_path / "trasig"
    folder.mkdir()
    for i in range(files):
        (folder / f"f{i}.yaml").write_text("namn: [\n", "utf-8")
    return folder


@pytest.mark.parametrize("command", READERS)
def test_a_model_that_cannot_be_built_is_exit_2_with_its_errors(tmp_path: Path, command: str) -> None:
    folder = broken_model(tmp_path, 1)
    result = invoke(command_args(command, folder, tmp_path))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == (
        f"processmodell {command}: Modellen i '{folder}' kan inte läsas.\n"
        f"  {folder}/f0.yaml:2:1: Raden går inte att läsa som YAML.\n"
        f"Kör 'processmodell validera {folder}' för alla fel med tips.\n"
    )


@pytest.mark.parametrize("command", BUILDERS)
def test_builders_refuse_a_model_with_errors_exit_1(tmp_path: Path, command: str) -> None:
    folder = broken_model(tmp_path, 7)
    result = invoke(command_args(command, folder, tmp_path))
    assert result.exit_code == EXIT_FINDINGS
    lines = [f"  {folder}/f{i}.yaml:2:1: Raden går inte att läsa som YAML." for i in range(5)]
    assert result.stderr.splitlines() == [
        f"processmodell {command}: Modellen i '{folder}' har 7 fel; kommandot körs bara på en felfri modell.",
        *lines,
        "  … och 2 fel till.",
        f"Kör 'processmodell validera {folder}' för alla fel med tips.",
    ]
    assert not (tmp_path / "site").exists()


def test_readers_list_at_most_five_errors_too(tmp_path: Path) -> None:
    folder = broken_model(tmp_path, 6)
    result = invoke(command_args("visa", folder, tmp_path))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.splitlines()[-2:] == [
        "  … och 1 fel till.",
        f"Kör 'processmodell validera {folder}' för alla fel med tips.",
    ]
    assert len(result.stderr.splitlines()) == 8


def test_testa_on_a_file_says_it_is_no_folder(tmp_path: Path) -> None:
    file = tmp_path / "s.yaml"
    file.write_text("namn: x\n", "utf-8")
    result = invoke(["testa", str(file), "--katalog", str(ROOT / "flows")])
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == f"processmodell testa: '{file}' är ingen katalog med scenarier.\n"


def test_testa_on_an_empty_folder_says_so(tmp_path: Path) -> None:
    result = invoke(["testa", str(tmp_path), "--katalog", str(ROOT / "flows")])
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == f"processmodell testa: Katalogen '{tmp_path}' innehåller inga scenariofiler.\n"


def test_report_prints_the_message_and_returns_the_code(capsys) -> None:
    assert report("bygg", CommandError("Något gick fel.", EXIT_FINDINGS)) == EXIT_FINDINGS
    assert report("stega", CommandError("Fel flagga.")) == EXIT_USAGE
    assert report("stega", WalkError("Svaret 'x' finns inte.", ["Ja"])) == EXIT_USAGE
    assert capsys.readouterr().err == (
        "processmodell bygg: Något gick fel.\n"
        "processmodell stega: Fel flagga.\n"
        "processmodell stega: Svaret 'x' finns inte.\n"
    )


def test_common_stays_light_for_help() -> None:
    # `processmodell --help` must stay fast: the shared module loads none of the heavy libraries.
    code = (
        "import sys, cli.common; "
        "print(sorted(m for m in ('pydantic', 'networkx', 'jinja2', 'rich') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
