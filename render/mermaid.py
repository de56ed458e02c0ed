"""Process maps as Mermaid `flowchart TD` text (for wikis and Markdown that render Mermaid).

Labels are always quoted, and every character Mermaid could read as syntax (quotes, brackets,
braces, parentheses, `#`, `|`, `<`, `>`, `&`, backtick, `;`) is written as Mermaid's entity
code `#NN;`, so text from YAML can only ever be text. Node ids are generated (ASCII), never
taken from the YAML as they are.
"""

from __future__ import annotations

import re

from render.viewmodel import RutaView, SiteView, UnderprocessView, WayView

_ESCAPED = set('"#[](){}<>|&`;\\')
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O", "é": "e"})


def label(text: str) -> str:
    """A quoted Mermaid label: special characters as entity codes, whitespace collapsed."""
    text = " ".join(text.split())
    return '"' + "".join(f"#{ord(c)};" if c in _ESCAPED else c for c in text) + '"'


def node_id(*parts: str) -> str:
    """`soc-sjukskriven`, `självförsörjande` → `soc_sjukskriven__sjalvforsorjande`."""
    return "__".join(re.sub(r"[^A-Za-z0-9]", "_", p.translate(_FOLD)) for p in parts)


def _shape(ruta: RutaView, text: str) -> str:
    if ruta.typ == "beslut":
        return "{" + text + "}"
    if ruta.typ == "slut":
        return "([" + text + "])"
    if ruta.typ == "start":
        return "(" + text + ")"
    return "[" + text + "]"


def _ruta_text(ruta: RutaView) -> str:
    return f"{ruta.id}. {ruta.rubrik}" if ruta.nummer else ruta.rubrik


def _arrow(way: WayView) -> str:
    text = f"|{label(way.svar)}|" if way.svar else ""
    if way.kind == "konsultation":
        return f"-.->|{label('konsultation')}|"
    if way.kind == "överlämning":
        return "==>" + text
    return "-->" + text


class _Ids:
    """Unique ASCII node ids (two YAML ids may fold to the same text)."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}

    def get(self, up: str, ruta: str) -> str:
        key = f"{up}/{ruta}"
        if key not in self.by_key:
            base = node_id(up, ruta)
            candidate, n = base, 2
            while candidate in self.by_key.values():
                candidate, n = f"{base}_{n}", n + 1
            self.by_key[key] = candidate
        return self.by_key[key]


def _nodes(up: UnderprocessView, ids: _Ids, indent: str) -> list[str]:
    return [f"{indent}{ids.get(up.id, r.id)}{_shape(r, label(_ruta_text(r)))}" for r in up.rutor]


def _edges(up: UnderprocessView, ids: _Ids) -> tuple[list[str], list[str]]:
    """(edges inside the underprocess, edges leaving it)."""
    inside, leaving = [], []
    for ruta in up.rutor:
        ways = ([ruta.konsultation] if ruta.konsultation else []) + list(ruta.ways)
        for way in ways:
            target = ids.get(way.target.underprocess, way.target.ruta)
            line = f"  {ids.get(up.id, ruta.id)} {_arrow(way)} {target}"
            (inside if way.target.underprocess == up.id else leaving).append(line)
    return inside, leaving


def underprocess_mermaid(up: UnderprocessView) -> str:
    """One underprocess; hand-overs and consultations end in a stand-in node for the target."""
    ids = _Ids()
    lines = ["flowchart TD"] + _nodes(up, ids, "  ")
    inside, leaving = _edges(up, ids)
    external: dict[str, str] = {}
    for ruta in up.rutor:
        for way in ([ruta.konsultation] if ruta.konsultation else []) + list(ruta.ways):
            t = way.target
            if t.underprocess != up.id:
                external.setdefault(ids.get(t.underprocess, t.ruta), f"{t.up_namn}: {t.label}")
    lines += [f"  {nid}[/{label(text)}/]" for nid, text in external.items()]
    return "\n".join(lines + inside + leaving) + "\n"


def model_mermaid(site: SiteView) -> str:
    """The whole model: one subgraph per underprocess, hand-overs between them."""
    ids = _Ids()
    lines = ["flowchart TD"]
    crossing: list[str] = []
    for up in site.underprocesser:
        lines.append(f"  subgraph {node_id(up.id)}[{label(up.title)}]")
        lines += _nodes(up, ids, "    ")
        inside, leaving = _edges(up, ids)
        lines += ["  " + e for e in inside]
        lines.append("  end")
        crossing += leaving
    return "\n".join(lines + crossing) + "\n"
