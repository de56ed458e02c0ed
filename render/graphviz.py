"""Process maps as Graphviz DOT, drawn to SVG by the system `dot`, then sanitised for inlining.

DOT is written here by hand from the view model: every label and attribute is a quoted DOT
string with `\\` and `"` escaped, so text from YAML can never become an HTML-like label
(`<...>`) or an attribute. The SVG that `dot` returns is parsed as XML and re-serialised
through an allowlist (elements, attributes, link targets), which also drops Graphviz's
prolog, DOCTYPE and generator comments so the output is byte-for-byte reproducible. The
sanitiser also puts the map's links in the order of the rutor (the keyboard's Tab order) and
marks the map role="group", not role="img", so those links stay reachable (see sanitise_svg).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from render.viewmodel import (
    OverviewEdge,
    RutaView,
    SiteView,
    Target,
    UnderprocessView,
    WayView,
)

FONT = "Arial"  # metric-compatible Liberation Sans is what `dot` measures with on Debian
FONT_STACK = "Arial, 'Liberation Sans', Helvetica, sans-serif"
INK = "#1b1b1b"
EDGE = "#4a4a4a"
WRAP = 24  # characters per label line
MARGIN = "0.14,0.07"  # inches around a label
PEN = "1.6"  # outline width of a box
EXTERNAL_MARGIN = "0.3,0.16"  # inches around the label of a hand-over or consultation box


class GraphvizMissing(RuntimeError):
    """`dot` is not installed."""


class GraphvizFailed(RuntimeError):
    """`dot` ran but did not produce an SVG."""


# ---------------------------------------------------------------- DOT text


def dot_string(value: str) -> str:
    """A DOT double-quoted string. Backslashes are doubled so Graphviz's escapes (\\N, \\G,
    \\l …) cannot be smuggled in; newlines in the text become spaces (we place line breaks)."""
    value = " ".join(value.split())
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Quoted(str):
    """A DOT string that is already quoted and escaped (see `dot_label`)."""


def dot_label(lines: Iterable[str]) -> Quoted:
    """A label of several lines: each line escaped, joined with DOT's own `\\n`."""
    return Quoted("\\n".join(dot_string(line)[1:-1] for line in lines).join('""'))


_TOKEN_RE = re.compile(r"[^\s/]*/+|\S+")


def wrap(value: str, width: int = WRAP) -> list[str]:
    """Greedy line breaking at spaces and after slashes ("arbete/studier/…" is one word to
    textwrap, and would make its box as wide as the whole sentence)."""
    lines: list[str] = []
    line = ""
    for match in _TOKEN_RE.finditer(value):
        token = match.group(0)
        glue = "" if not line or line.endswith("/") else " "
        if line and len(line) + len(glue) + len(token) > width:
            lines.append(line)
            line, glue = "", ""
        line += glue + token
    if line:
        lines.append(line)
    return lines or [""]


def _attrs(**attrs: str | None) -> str:
    """`[k="v", …]` with values escaped; keys are ours (fixed identifiers)."""
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        quoted = value if isinstance(value, Quoted) else dot_string(value)
        parts.append(f"{key.rstrip('_')}={quoted}")
    return "[" + ", ".join(parts) + "]"


_SHAPES = {
    # typ: (shape, style, peripheries)
    "start": ("oval", "filled,bold", "1"),
    "steg": ("box", "filled,rounded", "1"),
    "beslut": ("diamond", "filled", "1"),
    "slut": ("oval", "filled", "2"),
}


def _ruta_node_label(ruta: RutaView) -> list[str]:
    head = f"{ruta.id}. " if ruta.nummer else ""
    return wrap(head + ruta.rubrik, 20 if ruta.typ == "beslut" else WRAP)


class Titles(dict[str, str]):
    """Link titles by node id. They are put into the SVG after drawing, not passed through
    DOT, because Graphviz expands \\N, \\G … inside tooltips however they are escaped."""

    def add(self, title: str) -> str:
        node_id = f"n{len(self) + 1}"
        self[node_id] = title
        return node_id


def ruta_node(name: str, ruta: RutaView, href: str, titles: Titles) -> str:
    shape, style, peripheries = _SHAPES.get(ruta.typ, _SHAPES["steg"])
    attrs = _attrs(
        label=dot_label(_ruta_node_label(ruta)),
        shape=shape,
        style=style,
        peripheries=peripheries,
        color=ruta.aktör.färg,
        fillcolor=ruta.aktör.tint,
        URL=href,
        id=titles.add(f"{ruta.label} ({ruta.typ_label.lower()})"),
        class_=f"ruta typ-{ruta.typ}",
    )
    return f"  {dot_string(name)} {attrs};"


def external_node(name: str, target: Target, kind: str, titles: Titles) -> str:
    """A box for a ruta in another underprocess: a hand-over (arrow-shaped, dashed) or a
    consultation (folder tab, dotted), in that underprocess's colour."""
    verb = "Till" if kind == "överlämning" else "Konsultera"
    # Short on the map ("Till Jobbtorg, ruta 1a"); the link title and the text version name
    # the target ruta in full.
    where = f"ruta {target.ruta}" if target.label.startswith("Ruta ") else target.label
    lines = wrap(f"{verb} {target.up_namn}", 20) + wrap(where, 20)
    attrs = _attrs(
        label=dot_label(lines),
        shape="cds" if kind == "överlämning" else "tab",
        style="filled,dashed" if kind == "överlämning" else "filled,dotted",
        color=target.aktör.färg,
        fillcolor=target.aktör.tint,
        URL=target.href,
        # cds (the arrow) and tab shapes eat into the label's room: without the extra margin
        # the longest line ("Till Socialtjänsten –") touches the dashed outline.
        margin=EXTERNAL_MARGIN,
        id=titles.add(f"{verb} {target.up_namn}: {target.label}"),
        class_=f"extern {'overlamning' if kind == 'överlämning' else 'konsultation'}",
    )
    return f"  {dot_string(name)} {attrs};"


def _edge(source: str, target: str, way: WayView) -> str:
    label = dot_label(wrap(way.svar, 16)) if way.svar else None
    if way.kind == "överlämning":
        attrs = _attrs(
            label=label, style="dashed", color=way.target.aktör.färg, penwidth="1.6", class_="overlamning"
        )
    elif way.kind == "konsultation":
        attrs = _attrs(
            label=label,
            style="dotted",
            dir="both",
            color=way.target.aktör.färg,
            penwidth="1.6",
            class_="konsultation",
        )
    else:
        attrs = _attrs(label=label, class_="flode")
    return f"  {dot_string(source)} -> {dot_string(target)} {attrs};"


def _header(graph_id: str, fontsize: str = "11", **graph: str) -> list[str]:
    # edgesfirst: every line is drawn under every box, so the sanitiser can put the boxes (the
    # links) in the order of the rutor without changing what is drawn on top of what.
    graph_attrs = {"rankdir": "TB", "nodesep": "0.3", "ranksep": "0.4", "outputorder": "edgesfirst", **graph}
    return [
        f"digraph {dot_string(graph_id)} {{",
        f"  graph {_attrs(**graph_attrs, bgcolor='transparent', pad='0.15', fontname=FONT)};",
        f"  node {_attrs(fontname=FONT, fontsize=fontsize, fontcolor=INK, margin=MARGIN, penwidth=PEN)};",
        f"  edge {_attrs(fontname=FONT, fontsize='10', fontcolor=INK, color=EDGE, arrowsize='0.7')};",
    ]


def underprocess_body(
    up: UnderprocessView, titles: Titles, prefix: str = "", page_links: bool = False
) -> tuple[list[str], list[str]]:
    """Node and edge lines of one underprocess. `prefix` keeps node names unique when several
    underprocesser share one graph; `page_links` makes links absolute to the page."""
    nodes: list[str] = []
    edges: list[str] = []
    external: dict[str, str] = {}
    for ruta in up.rutor:
        href = f"{up.page}#{ruta.anchor}" if page_links else f"#{ruta.anchor}"
        name = f"{prefix}r:{ruta.id}"
        nodes.append(ruta_node(name, ruta, href, titles))
        ways = ([ruta.konsultation] if ruta.konsultation else []) + list(ruta.ways)
        for way in ways:
            if way.target.underprocess == up.id:
                edges.append(_edge(name, f"{prefix}r:{way.target.ruta}", way))
                continue
            ext = f"{prefix}x:{way.kind}:{way.target.qualified}"
            if ext not in external:
                external[ext] = external_node(ext, way.target, way.kind, titles)
            edges.append(_edge(name, ext, way))
    return nodes + list(external.values()), edges


def underprocess_dot(up: UnderprocessView, titles: Titles | None = None) -> str:
    """The map of one underprocess: its rutor, and boxes for where it hands over or consults."""
    nodes, edges = underprocess_body(up, Titles() if titles is None else titles)
    return "\n".join(_header(f"karta-{up.id}") + nodes + edges + ["}"]) + "\n"


def model_dot(site: SiteView, titles: Titles | None = None) -> str:
    """The whole model in one graph: one cluster per underprocess, hand-overs between them."""
    titles = Titles() if titles is None else titles
    lines = _header("modell")
    for up in site.underprocesser:
        nodes, edges = underprocess_body(up, titles, prefix=f"{up.id}/", page_links=True)
        lines.append(f"  subgraph {dot_string('cluster_' + up.id)} {{")
        lines.append(
            f"    graph {_attrs(label=up.title, color=up.aktör.färg, style='rounded', URL=up.page)};"
        )
        # Hand-over boxes are drawn in their own cluster by the other underprocess, so join the
        # edge straight to the target ruta instead of a stand-in box.
        lines += ["  " + n for n in nodes if '"' + up.id + "/x:" not in n.split(" [")[0]]
        lines.append("  }")
        for edge in edges:
            lines.append(_rewire_external(edge))
    lines.append("}")
    return "\n".join(lines) + "\n"


_EXTERNAL_TARGET_RE = re.compile(r'-> "([^"]*?)/x:(?:överlämning|konsultation):([^"]*)"')


def _rewire_external(edge: str) -> str:
    """`"a/r:5" -> "a/x:överlämning:fk/1"` becomes `"a/r:5" -> "fk/r:1"` in the model graph."""

    def repl(match: re.Match[str]) -> str:
        up_id, _, ruta_id = match.group(2).partition("/")
        return f'-> "{up_id}/r:{ruta_id}"'

    return _EXTERNAL_TARGET_RE.sub(repl, edge)


def overview_dot(site: SiteView, titles: Titles | None = None) -> str:
    """The 8 underprocesser as boxes with their hand-overs and consultations between them."""
    titles = Titles() if titles is None else titles
    # circo puts the underprocesser on a circle: every hand-over is a straight, visible chord,
    # which reads far better than dot's ranks for a graph where everything talks to everything.
    lines = _header("oversikt", fontsize="14", layout="circo", mindist="1.25")
    for up in site.underprocesser:
        attrs = _attrs(
            label=dot_label(wrap(up.title, 22)),
            shape="box",
            style="filled,rounded",
            color=up.aktör.färg,
            fillcolor=up.aktör.tint,
            URL=up.page,
            id=titles.add(up.title),
            class_="underprocess",
            penwidth="2",
        )
        lines.append(f"  {dot_string('u:' + up.id)} {attrs};")
    for edge in site.overview:
        lines.append(_overview_edge(site, edge))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _overview_edge(site: SiteView, edge: OverviewEdge) -> str:
    target = site.underprocess(edge.target)
    colour = target.aktör.färg if target else EDGE
    # No labels: the line style says which kind, the colour says who receives, and the table
    # under the map lists every crossing.
    if edge.kind == "konsultation":
        attrs = _attrs(style="dotted", dir="both", color=colour, penwidth="2", class_="konsultation")
    else:
        attrs = _attrs(style="dashed", color=colour, penwidth="1.8", class_="overlamning")
    return f"  {dot_string('u:' + edge.source)} -> {dot_string('u:' + edge.target)} {attrs};"


# ---------------------------------------------------------------- running dot


def dot_available() -> bool:
    return shutil.which("dot") is not None


def run_dot(dot_text: str, timeout: float = 60) -> str:
    """SVG text from the system `dot`."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing("dot")
    proc = subprocess.run(
        [exe, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
    )
    if proc.returncode != 0 or not proc.stdout:
        raise GraphvizFailed(proc.stderr.decode("utf-8", "replace").strip() or f"slutkod {proc.returncode}")
    return proc.stdout.decode("utf-8")


# ---------------------------------------------------------------- sanitising

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ALLOWED_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "title",
        "desc",
        "a",
        "path",
        "polygon",
        "polyline",
        "ellipse",
        "circle",
        "rect",
        "line",
        "text",
        "tspan",
    }
)
ALLOWED_ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "transform",
        "viewBox",
        "width",
        "height",
        "preserveAspectRatio",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-dasharray",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "opacity",
        "text-anchor",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "href",
    }
)
# Links may stay inside the page or go to another page of the site; nothing else.
_SAFE_HREF_RE = re.compile(r"^(?:[a-z0-9åäö%][a-z0-9åäö%_-]*\.html)?(?:#[^\s\"'<>\\]*)?$")
_SAFE_URL_VALUE_RE = re.compile(r"url\((?!#)", re.IGNORECASE)
_PROLOG_RE = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>\[]*>\s*)?", re.DOTALL)


class UnsafeSvg(ValueError):
    """The SVG cannot be made safe (e.g. it declares entities)."""


def _local(name: str) -> tuple[str, str]:
    """("{ns}tag") → (ns, tag)."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _escape(value: str, quote: bool = False) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace('"', "&quot;") if quote else value


def _clean_attributes(element: ET.Element, id_prefix: str) -> list[tuple[str, str]]:
    """Allowed attributes of `element`: hrefs checked, ids prefixed, Graphviz's xlink:title
    (the raw label, with \\N expanded) dropped in favour of our own titles."""
    out: list[tuple[str, str]] = []
    for key, value in element.attrib.items():
        ns, name = _local(key)
        if ns not in ("", XLINK_NS) or (ns == XLINK_NS and name != "href"):
            continue
        if name.lower().startswith("on") or name not in ALLOWED_ATTRIBUTES:
            continue
        if _SAFE_URL_VALUE_RE.search(value):
            continue
        if name == "href" and not _SAFE_HREF_RE.match(value):
            continue
        if name == "id":
            value = f"{id_prefix}{value}"
        if name == "font-family":
            value = FONT_STACK
        out.append((name, value))
    return out


def _serialise(
    element: ET.Element, id_prefix: str, titles: dict[str, str], out: list[str], link_title: str | None = None
) -> None:
    ns, tag = _local(element.tag)
    if ns != SVG_NS or tag not in ALLOWED_ELEMENTS:
        return  # <script>, <foreignObject>, <style>, <image>, unknown: dropped with content
    attrs = _clean_attributes(element, id_prefix)
    raw_id = element.get("id", "")
    # Graphviz wraps a node's link in <g id="a_<node id>">: that is where our title belongs.
    child_title = titles.get(raw_id[2:]) if tag == "g" and raw_id.startswith("a_") else None
    if tag == "a" and not any(name == "href" for name, _ in attrs):
        tag = "g"  # a link whose target was refused stays as its drawing, not as a link
    out.append("<" + tag + "".join(f' {k}="{_escape(v, True)}"' for k, v in attrs) + ">")
    if link_title and tag == "a":
        out.append(f"<title>{_escape(link_title)}</title>")
    if element.text and tag in ("text", "tspan", "title", "desc"):
        out.append(_escape(element.text))
    for child in element:
        _, child_tag = _local(child.tag)
        # Graphviz titles name nodes by their DOT id ("r:5"): noise for tooltips and readers.
        if child_tag == "title" and tag == "g":
            continue
        _serialise(child, id_prefix, titles, out, child_title)
    out.append(f"</{tag}>")


WIDE_PX = 960  # maps wider than this are scaled down to the page, but not below this width


def _width_px(width: str) -> float:
    """Graphviz writes width="1402pt"; 1 pt = 4/3 CSS px."""
    match = re.match(r"^([0-9.]+)(pt|px)?$", width)
    if not match:
        return 0.0
    value = float(match.group(1))
    return value * 4 / 3 if match.group(2) in (None, "pt") else value


# The room a map gets on its printed page (A3 landscape less margins, heading and legend; see
# @page and @media print in stil.css), in CSS px. A tall map on that wide page would print with
# ~5 pt text, so it is marked "karta-hog" and the print style turns it a quarter turn, when
# that makes it markedly larger on paper.
PRINT_AREA_PX = (1450.0, 870.0)


def _tall_for_print(width_px: float, height_px: float) -> bool:
    if width_px <= 0 or height_px <= 0:
        return False
    room_w, room_h = PRINT_AREA_PX
    upright = min(1.0, room_w / width_px, room_h / height_px)
    turned = min(1.0, room_w / height_px, room_h / width_px)
    return turned >= 1.25 * upright


_NODE_ID_RE = re.compile(r"^n(\d+)$")


def _classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def _source_order(element: ET.Element) -> None:
    """Put the node groups of every graph in the order their DOT nodes were written (the ids
    n1, n2 … that `Titles` hands out follow the rutor's order in the YAML), after everything
    else. Graphviz writes them in its own traversal order (soc-sjukskriven came out 1a, 2, 1b,
    3), and the order in the document is the keyboard's Tab order through the map's links.
    Edges stay before the nodes, as `outputorder=edgesfirst` drew them."""
    children = list(element)
    nodes = [c for c in children if _local(c.tag)[1] == "g" and "node" in _classes(c)]
    if nodes:
        others = [c for c in children if c not in nodes and "edge" not in _classes(c)]
        edges = [c for c in children if "edge" in _classes(c) and c not in nodes]

        def key(node: ET.Element) -> tuple[int, int]:
            match = _NODE_ID_RE.match(node.get("id", ""))
            return (0, int(match.group(1))) if match else (1, nodes.index(node))

        element[:] = others + edges + sorted(nodes, key=key)
    for child in element:
        _source_order(child)


def sanitise_svg(
    svg: str,
    *,
    id_prefix: str,
    title: str,
    desc: str,
    title_id: str,
    desc_id: str,
    titles: dict[str, str] | None = None,
) -> str:
    """Graphviz SVG → SVG safe to inline in HTML, with an accessible name and description.

    Raises UnsafeSvg when the document declares its own DTD subset or entities."""
    body = _PROLOG_RE.sub("", svg, count=1)
    if "<!DOCTYPE" in body or "<!ENTITY" in body:
        raise UnsafeSvg("SVG med egen DTD eller entiteter")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise UnsafeSvg("Graphviz gav SVG som inte går att tolka") from err
    if _local(root.tag) != (SVG_NS, "svg"):
        raise UnsafeSvg("roten är inte <svg>")
    _source_order(root)
    inner: list[str] = []
    for child in root:
        _serialise(child, id_prefix, titles or {}, inner)
    attrs = _clean_attributes(root, id_prefix)
    attrs = [(k, v) for k, v in attrs if k in ("width", "height", "viewBox")]
    width, height = (_width_px(dict(attrs).get(k, "")) for k in ("width", "height"))
    classes = (
        "karta-svg"
        + (" karta-bred" if width > WIDE_PX else "")
        + (" karta-hog" if _tall_for_print(width, height) else "")
    )
    # role="group", not role="img", on purpose. The map is made of links (one per ruta, one per
    # hand-over box), and ARIA makes every child of an img presentational: a screen reader
    # would announce one picture and never reach the links that Tab moves through. As a group
    # named by the <title> (aria-labelledby) and described by the <desc> (aria-describedby),
    # the map is announced by name and its links stay reachable, each with its own title.
    # (Same content as text: "Flödet i text" under the map.)
    head = (
        f'<svg xmlns="{SVG_NS}"'
        + "".join(f' {k}="{_escape(v, True)}"' for k, v in attrs)
        + f' role="group" aria-labelledby="{_escape(title_id, True)}"'
        + f' aria-describedby="{_escape(desc_id, True)}" class="{classes}">'
    )
    labels = (
        f'<title id="{_escape(title_id, True)}">{_escape(title)}</title>'
        f'<desc id="{_escape(desc_id, True)}">{_escape(desc)}</desc>'
    )
    return head + labels + "".join(inner) + "</svg>"


def svg_for(dot_text: str, titles: dict[str, str], *, id_prefix: str, title: str, desc: str) -> str:
    """Draw `dot_text` and return sanitised inline SVG."""
    return sanitise_svg(
        run_dot(dot_text),
        id_prefix=id_prefix,
        title=title,
        desc=desc,
        title_id=f"{id_prefix}titel",
        desc_id=f"{id_prefix}beskrivning",
        titles=titles,
    )
