"""Loading a flows folder: YAML (strict) -> schema (pydantic) -> merged Model.

Public API (stable for the rest of the code base):

    load_folder(path) -> LoadResult(model: Model | None, findings: list[Finding])
    read_yaml_file(path) -> data          # one strict YAML file, e.g. a --fakta file

`model` is None when a syntax or schema error makes the folder unusable; `findings` then
says why, each with file:line:column. Every error of a layer is reported before stopping:
all files are parsed, then all are schema-checked, then merged (duplicate ids). Reference
and graph checks live in `processmodell.checks` and run on a loaded model.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from processmodell.findings import Finding, Location, ModelError, Severity, os_reason
from processmodell.model import Model, UnderprocessEntry, YamlPath, nearest_mark
from processmodell.yamlstrict import MAX_BYTES, Marks, YamlError, YamlProblem, read_yaml

if TYPE_CHECKING:  # imported where used, as at run time
    from processmodell.schema import Aktör, Blankett, Fakta, FlowFile, Lagrum

    RegistryEntry = Lagrum | Aktör | Fakta | Blankett

REGISTRIES = ("lagrum", "aktörer", "fakta", "blanketter")


class FolderError(Exception):
    """The folder itself cannot be used (missing, not a folder, no YAML files): exit 2."""


@dataclass
class LoadResult:
    model: Model | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.model is not None and not any(f.is_error for f in self.findings)


@dataclass
class _Parsed:
    name: str  # display name: the folder as the user gave it + file name
    data: Any
    marks: Marks
    raw: bytes


def flow_files(path: Path) -> list[Path]:
    """The YAML files of a flows folder (not its subfolders, e.g. scenarier/), sorted."""
    if not path.exists():
        raise FolderError(f"Katalogen '{path}' finns inte.")
    if not path.is_dir():
        raise FolderError(f"'{path}' är ingen katalog; ange katalogen med modellens YAML-filer.")
    files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise FolderError(f"Katalogen '{path}' innehåller inga YAML-filer (.yaml).")
    return files


def load_folder(path: Path) -> LoadResult:
    """Load every flow file of `path` into one Model, or say exactly why not."""
    with gc_paused():
        return _load(Path(path))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Loading and checking allocate hundreds of thousands of small objects that all live on;
    the cyclic garbage collector would rescan them again and again (quadratic on large
    models; pausing it makes the checks a third faster at 50,000 rutor)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(path: Path) -> LoadResult:
    parsed, findings = _parse_all(flow_files(path))
    if findings:
        return LoadResult(None, findings)
    files: list[tuple[_Parsed, FlowFile]] = []
    for p in parsed:
        flow, errors = _validate_schema(p)
        findings.extend(errors)
        if flow is not None:  # None only with errors, and then the merge below is not reached
            files.append((p, flow))
    if findings:
        return LoadResult(None, findings)
    model, merge_findings = _merge(files)
    return LoadResult(model, merge_findings)


def read_yaml_file(path: Path) -> Any:
    """Read one YAML file strictly; raise ModelError with a located finding on failure."""
    name = str(path)
    try:
        raw = _read_bytes(Path(path))
        return read_yaml(raw)[0]
    except YamlError as exc:
        raise ModelError([_yaml_finding(name, exc.problem)]) from None
    except OSError as exc:
        raise ModelError([_os_finding(name, exc)]) from None


# ---------------------------------------------------------------- layer 1: YAML


def _parse_all(paths: list[Path]) -> tuple[list[_Parsed], list[Finding]]:
    parsed: list[_Parsed] = []
    findings: list[Finding] = []
    for path in paths:
        name = str(path)
        try:
            raw = _read_bytes(path)
            data, marks = read_yaml(raw)
        except YamlError as exc:
            findings.append(_yaml_finding(name, exc.problem))
            continue
        except OSError as exc:
            findings.append(_os_finding(name, exc))
            continue
        if not isinstance(data, dict):
            findings.append(
                Finding(
                    Severity.fel,
                    "inte-mappning",
                    "Filen ska bestå av nycklar som modell:, underprocess:, rutor: eller lagrum:.",
                    Location(name, 1, 1),
                    "Börja filen med en nyckel på översta nivån, t.ex. 'underprocess:'.",
                )
            )
            continue
        parsed.append(_Parsed(name, data, marks, raw))
    return parsed, findings


def _read_bytes(path: Path) -> bytes:
    # Check the size before reading, so a huge file is refused without loading it.
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlError(
            YamlProblem(
                "för-stor-fil",
                f"Filen är {size // 1024} kB; högst {MAX_BYTES // 1024} kB tillåts.",
                1,
                1,
                "Dela upp modellen i flera filer, en per underprocess.",
            )
        )
    return path.read_bytes()


def _yaml_finding(name: str, problem: YamlProblem) -> Finding:
    return Finding(
        Severity.fel,
        problem.code,
        problem.message,
        Location(name, problem.line, problem.column),
        problem.hint,
    )


def _os_finding(name: str, exc: OSError) -> Finding:
    return Finding(
        Severity.fel,
        "oläsbar-fil",
        f"Filen kan inte läsas: {os_reason(exc)}.",
        Location(name, 1, 1),
        "Kontrollera att filen finns och att du har läsrättighet.",
    )


# ---------------------------------------------------------------- layer 2: schema


def _validate_schema(p: _Parsed) -> tuple[FlowFile | None, list[Finding]]:
    from pydantic import ValidationError

    from processmodell.schema import FlowFile
    from processmodell.schema_messages import describe_error

    try:
        return FlowFile.model_validate(p.data), []
    except ValidationError as exc:
        findings = []
        seen: set[tuple[int, int, str]] = set()
        for error in exc.errors(include_url=False):
            path = _data_path(p.data, error["loc"])
            message, hint = describe_error(error, path)
            subject = _subject(p.data, path)
            if subject:
                message = f"{subject[0].upper()}{subject[1:]}: {message}"
            line, column = nearest_mark(p.marks, path)
            key = (line, column, message)
            if key in seen:  # a union reports each of its branches; one line is enough
                continue
            seen.add(key)
            findings.append(
                Finding(
                    Severity.fel,
                    "schemafel",
                    message,
                    Location(p.name, line, column),
                    hint,
                    subject=subject,
                )
            )
        return None, findings


def _data_path(data: Any, loc: tuple[int | str, ...]) -> YamlPath:
    """Pydantic's loc, minus the names of union branches and tags that are not in the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and part[:1].islower()
            and part not in _BRANCH_NAMES
        ):
            path.append(part)  # a missing or extra key: keep it, the message names it
            node = None
    return tuple(path)


# Names pydantic puts in `loc` for union branches; they are never YAML keys.
_BRANCH_NAMES = frozenset(
    {"str", "int", "bool", "float", "list", "dict", "none", "function-after", "constrained-str"}
)


def _subject(data: Any, path: YamlPath) -> str | None:
    """Name the object by id, not by position: 'ruta 5a' rather than 'rutor[4]'."""
    if len(path) >= 2 and path[0] == "rutor" and isinstance(path[1], int):
        ruta = data["rutor"][path[1]] if isinstance(data.get("rutor"), list) else None
        up = data.get("underprocess", {})
        up_id = up.get("id") if isinstance(up, dict) else None
        if isinstance(ruta, dict) and "id" in ruta:
            return f"ruta {up_id}/{ruta['id']}" if up_id else f"ruta {ruta['id']}"
    if len(path) >= 2 and path[0] in REGISTRIES and isinstance(path[1], int):
        entry = data[path[0]][path[1]]
        if isinstance(entry, dict) and "id" in entry:
            return f"{path[0]} {entry['id']}"
    return None


# ---------------------------------------------------------------- layer 3: merge


def _merge(files: list[tuple[_Parsed, FlowFile]]) -> tuple[Model, list[Finding]]:
    findings: list[Finding] = []
    model = Model(None, {}, {}, {}, {}, {})
    digest = hashlib.sha256()
    for p, flow in files:
        digest.update(Path(p.name).name.encode() + b"\0" + p.raw + b"\0")
        model.marks[p.name] = p.marks
        findings.extend(_merge_metadata(model, p, flow))
        for registry in REGISTRIES:
            findings.extend(_merge_registry(model, p, registry, getattr(flow, registry)))
        if flow.underprocess is not None:
            findings.extend(_merge_underprocess(model, p, flow))
    model.content_hash = digest.hexdigest()
    if model.modell is None:
        findings.append(
            Finding(
                Severity.varning,
                "modell-saknas",
                "Ingen fil beskriver modellen (nyckeln modell: med namn, version och källa).",
                Location(files[0][0].name, 1, 1) if files else None,
                "Lägg till en fil modell.yaml med modell: namn, version och källa.",
            )
        )
    return model, findings


def _merge_metadata(model: Model, p: _Parsed, flow: FlowFile) -> list[Finding]:
    if flow.modell is None:
        return []
    if model.modell is not None:
        return [
            Finding(
                Severity.fel,
                "dubblett-modell",
                "Modellen beskrivs (modell:) i mer än en fil.",
                _loc(p, ("modell",)),
                "Behåll modell: i en enda fil, t.ex. modell.yaml.",
            )
        ]
    model.modell = flow.modell
    return []


def _merge_registry(
    model: Model, p: _Parsed, registry: str, entries: Sequence[RegistryEntry]
) -> list[Finding]:
    findings = []
    target: dict[str, RegistryEntry] = getattr(model, registry)  # model.lagrum, model.fakta, …
    for index, entry in enumerate(entries):
        path = (registry, index, "id")
        if entry.id in target:
            first_file, first_path = model.registry_paths[(registry, entry.id)]
            first = model.locate(first_file, first_path)
            findings.append(_duplicate(p, path, f"{registry} {entry.id}", first))
            continue
        target[entry.id] = entry
        model.registry_paths[(registry, entry.id)] = (p.name, path)
    return findings


def _merge_underprocess(model: Model, p: _Parsed, flow: FlowFile) -> list[Finding]:
    up = flow.underprocess
    assert up is not None  # _merge calls this only for a file with an underprocess
    if up.id in model.underprocesser:
        first = model.underprocesser[up.id]
        return [
            _duplicate(
                p,
                ("underprocess", "id"),
                f"underprocess {up.id}",
                model.locate(first.file, ("underprocess", "id")),
            )
        ]
    entry = UnderprocessEntry(meta=up, file=p.name)
    findings = []
    for index, ruta in enumerate(flow.rutor):
        if ruta.id in entry.rutor:
            first_id = model.locate(p.name, ("rutor", entry.ruta_index[ruta.id], "id"))
            findings.append(_duplicate(p, ("rutor", index, "id"), f"ruta {up.id}/{ruta.id}", first_id))
            continue
        entry.rutor[ruta.id] = ruta
        entry.ruta_index[ruta.id] = index
    model.underprocesser[up.id] = entry
    return findings


def _duplicate(p: _Parsed, path: YamlPath, subject: str, first: Location) -> Finding:
    return Finding(
        Severity.fel,
        "dubblett-id",
        f"{subject[0].upper()}{subject[1:]} finns redan (först i {first}).",
        _loc(p, path),
        "Varje id måste vara unikt; byt id på den ena eller ta bort dubbletten.",
        subject=subject,
    )


def _loc(p: _Parsed, path: YamlPath) -> Location:
    line, column = nearest_mark(p.marks, path)
    return Location(p.name, line, column)
