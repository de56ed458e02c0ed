"""The core (processmodell/) type-checks under mypy with the settings in pyproject.toml
(`[tool.mypy]`: every function annotated, untyped bodies checked too). Runs in the normal
suite, so a change that breaks the annotations fails here and not only in `make lint`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent

# A cache outside the repository keeps repeated runs fast (about 1 s warm, under 10 s cold)
# without sharing a cache with a `make lint` that may run at the same time.
CACHE = Path(tempfile.gettempdir()) / "processmodell-mypy-cache"


def test_core_type_checks() -> None:
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(CACHE),
            "--no-color-output",
            "--no-error-summary",
            str(ROOT / "processmodell"),
        ]
    )
    assert (stdout, stderr, status) == ("", "", 0)


def test_the_settings_reject_an_unannotated_function(tmp_path: Path) -> None:
    """The check above is only as strong as its settings: run them on a small package that is
    also called processmodell, with a function without annotations and a needless ignore."""
    package = tmp_path / "processmodell"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "probe.py").write_text(
        "def untyped(x):\n    return x\n\n\nvalue: int = 1  # type: ignore[assignment]\n",
        encoding="utf-8",
    )
    stdout, _, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(CACHE.with_name(CACHE.name + "-probe")),
            "--no-color-output",
            "--no-error-summary",
            str(package),
        ]
    )
    assert status == 1
    lines = sorted(line.split(": error: ", 1)[1] for line in stdout.splitlines())
    assert lines == [
        "Function is missing a type annotation  [no-untyped-def]",
        'Unused "type: ignore" comment  [unused-ignore]',
    ]
