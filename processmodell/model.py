"""The merged model: every file of a flows folder, with ids resolved to objects.

`Model` is what the loader returns when the schema layer passed. It is plain and read-only;
checks, the interpreter and the renderer all read it. Source locations are kept beside it
(`Model.locate`) so any finding can name file:line:column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from processmodell.findings import Location
from processmodell.schema import Aktör, Blankett, Fakta, Lagrum, Modell, Ruta, Underprocess, Väg
from processmodell.yamlstrict import YamlPath  # a path inside one YAML file: ("rutor", 3, "nästa")


def nearest_mark(marks: dict[YamlPath, tuple[int, int]], path: YamlPath) -> tuple[int, int]:
    """(line, column) of `path`, or of its nearest ancestor that has one; (1, 1) if none has."""
    p = tuple(path)
    while p and p not in marks:
        p = p[:-1]
    return marks.get(p, (1, 1))


@dataclass
class UnderprocessEntry:
    meta: Underprocess
    file: str  # the file it was defined in
    rutor: dict[str, Ruta] = field(default_factory=dict)  # in source order
    ruta_index: dict[str, int] = field(default_factory=dict)  # ruta id -> index in `rutor:` list

    @property
    def id(self) -> str:
        return self.meta.id

    def starts(self) -> list[Ruta]:
        return [r for r in self.rutor.values() if r.typ.value == "start"]


@dataclass(frozen=True)
class Edge:
    """A resolved way forward between two qualified rutor."""

    source: str  # "soc-sjukskriven/5"
    target: str  # "soc-sjukskriven/7"
    answer: str | None  # the answer's text for a beslut, else None
    kind: str  # "flöde" | "överlämning" | "konsultation"
    way: Väg | None  # the Väg it came from (None for a konsultation edge)


@dataclass
class Model:
    modell: Modell | None
    lagrum: dict[str, Lagrum]
    aktörer: dict[str, Aktör]
    fakta: dict[str, Fakta]
    blanketter: dict[str, Blankett]
    underprocesser: dict[str, UnderprocessEntry]
    # file -> YAML path -> (line, column), 1-based; filled by the loader
    marks: dict[str, dict[YamlPath, tuple[int, int]]] = field(default_factory=dict)
    # where each registry entry was defined: ("lagrum", id) -> (file, path)
    registry_paths: dict[tuple[str, str], tuple[str, YamlPath]] = field(default_factory=dict)
    content_hash: str = ""  # sha256 of the files' bytes, in sorted path order

    def locate(self, file: str, path: YamlPath) -> Location:
        """The location of `path` in `file`, or of its nearest ancestor that has one."""
        line, col = nearest_mark(self.marks.get(file, {}), path)
        return Location(file, line, col)

    def ruta(self, qualified: str) -> Ruta | None:
        up, _, rid = qualified.partition("/")
        entry = self.underprocesser.get(up)
        return entry.rutor.get(rid) if entry else None

    def ruta_location(self, qualified: str, *key: str | int) -> Location | None:
        up, _, rid = qualified.partition("/")
        entry = self.underprocesser.get(up)
        if entry is None or rid not in entry.ruta_index:
            return None
        return self.locate(entry.file, ("rutor", entry.ruta_index[rid], *key))

    def qualify(self, up: str, ref: str) -> str:
        """Turn a ruta reference written in underprocess `up` into a qualified id."""
        return ref if "/" in ref else f"{up}/{ref}"

    def edges(self) -> list[Edge]:
        """Every way forward in the model, in source order (unresolved targets included)."""
        out: list[Edge] = []
        for up in self.underprocesser.values():
            for ruta in up.rutor.values():
                out.extend(self.edges_from(up.id, ruta))
        return out

    def edges_from(self, up_id: str, ruta: Ruta) -> list[Edge]:
        source = f"{up_id}/{ruta.id}"
        out: list[Edge] = []
        if ruta.konsultera:
            out.append(Edge(source, self.qualify(up_id, ruta.konsultera), None, "konsultation", None))
        for way in ruta.ways():
            target = self.qualify(up_id, way.till)
            kind = "flöde" if target.split("/", 1)[0] == up_id else "överlämning"
            out.append(Edge(source, target, way.svar, kind, way))
        return out
