"""The machine-readable view of a model (`processmodell graf --format json`).

The shape is a stable contract for other tools (see DESIGN.md):

    {"underprocesser": [{"id", "namn", "aktör", "rutor": [{"id", "typ", "rubrik"}]}],
     "kanter": [{"från", "till", "svar", "slag"}]}

Ids in `kanter` are qualified ("fk/5a"); `svar` is null for an unconditional step; `slag` is
"flöde", "överlämning" or "konsultation". Order is stable: underprocesser by their number in
the process map (then id), rutor and edges in source order.
"""

from __future__ import annotations

import json
from typing import Any

from processmodell.model import Model, UnderprocessEntry


def ordered_underprocesser(model: Model) -> list[UnderprocessEntry]:
    """Underprocesser in process-map order: by `nummer` (unnumbered last), then id."""

    def key(entry: UnderprocessEntry) -> tuple[int, int, str]:
        nummer = entry.meta.nummer
        return (nummer is None, nummer or 0, entry.id)

    return sorted(model.underprocesser.values(), key=key)


def _underprocess_json(entry: UnderprocessEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "namn": entry.meta.namn,
        "aktör": entry.meta.aktör,
        "rutor": [
            {"id": ruta.id, "typ": ruta.typ.value, "rubrik": ruta.rubrik} for ruta in entry.rutor.values()
        ],
    }


def graph_json(model: Model, underprocess: str | None = None) -> dict[str, Any]:
    """The model as plain data. With `underprocess`, only it and the edges leaving it."""
    entries = ordered_underprocesser(model)
    if underprocess is not None:
        entries = [e for e in entries if e.id == underprocess]
    kanter: list[dict[str, Any]] = []
    for entry in entries:
        for ruta in entry.rutor.values():
            for edge in model.edges_from(entry.id, ruta):
                kanter.append(
                    {"från": edge.source, "till": edge.target, "svar": edge.answer, "slag": edge.kind}
                )
    return {"underprocesser": [_underprocess_json(e) for e in entries], "kanter": kanter}


def graph_json_text(model: Model, underprocess: str | None = None) -> str:
    """`graph_json` as text: UTF-8 as is (not \\u escapes), indented, newline at the end."""
    return json.dumps(graph_json(model, underprocess), ensure_ascii=False, indent=2) + "\n"
