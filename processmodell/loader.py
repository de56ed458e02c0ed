"""Loading a flows folder: YAML (strict) -> schema (pydantic) -> merged Model.

Public API (stable for the rest of the code base):

    load_folder(path) -> LoadResult(model: Model | None, findings: list[Finding])

`model` is None when a syntax or schema error makes the folder unusable; `findings` then
says why, each with file:line:column. Reference and graph checks live in
`processmodell.checks` and run on a loaded model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from processmodell.findings import Finding
from processmodell.model import Model


@dataclass
class LoadResult:
    model: Model | None
    findings: list[Finding] = field(default_factory=list)


def load_folder(path: Path) -> LoadResult:  # pragma: no cover - being written
    raise NotImplementedError
