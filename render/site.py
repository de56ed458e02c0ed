"""The static site: view model → Graphviz maps → Jinja2 pages → files.

`render_site(model)` returns every file as bytes (name → content) without touching the disk;
`write_site(files, folder)` writes them. Same model in, same bytes out: no timestamps, stable
order, Graphviz's own comments stripped.
"""

from __future__ import annotations

import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from processmodell.model import Model
from render import graphviz as gv
from render import text as tx
from render.viewmodel import RESERVED_PAGES, SiteView, UnderprocessView, build_site_view

MANIFEST = ".processmodell-bygg"  # names of the files the last build wrote, for cleaning up
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)


class SiteError(ValueError):
    """The model cannot be published as it is (message in Swedish)."""


@dataclass(frozen=True)
class Maps:
    overview: Markup
    underprocesser: dict[str, Markup]


# ---------------------------------------------------------------- templates


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("render") / name))


def safe_href(url: object) -> str | None:
    """Template filter: the URL if allowed (http, https, mailto, relative), else None."""
    return tx.safe_url(url)


def internal_href(url: object) -> str:
    """Template filter for links the site makes itself: the URL if allowed, else "#"."""
    return tx.safe_url(url) or "#"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(_package_dir("templates"))),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_href"] = safe_href
    env.filters["internal_href"] = internal_href
    env.globals["CSP"] = CSP
    return env


def _json_in_html(data: object) -> Markup:
    """JSON for a <script type="application/json"> block: `<`, `>` and `&` as \\u escapes so
    no text can close the element or start a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


# ---------------------------------------------------------------- maps


def _up_desc(up: UnderprocessView) -> str:
    starts = ", ".join(r.label for r in up.rutor if r.typ == "start")
    ends = sum(1 for r in up.rutor if r.typ == "slut")
    return (
        f"Processkarta med {len(up.rutor)} rutor. Startar i {starts or 'ingen startruta'}; "
        f"{ends} slut. Samma flöde finns som text under kartan."
    )


def _draw_underprocess(up: UnderprocessView) -> Markup:
    titles = gv.Titles()
    dot = gv.underprocess_dot(up, titles)
    return Markup(
        gv.svg_for(
            dot, titles, id_prefix=f"karta-{up.id}-", title=f"Processkarta: {up.title}", desc=_up_desc(up)
        )
    )


def _draw_overview(site: SiteView) -> Markup:
    titles = gv.Titles()
    dot = gv.overview_dot(site, titles)
    desc = (
        f"{len(site.underprocesser)} underprocesser och {len(site.overview)} förbindelser "
        "(överlämningar och konsultationer) mellan dem. Samma uppgifter finns i tabellen under kartan."
    )
    return Markup(
        gv.svg_for(
            dot, titles, id_prefix="oversikt-", title="Översiktskarta över underprocesserna", desc=desc
        )
    )


def draw_maps(site: SiteView) -> Maps:
    """Run `dot` for every map; a few in parallel (each is its own process)."""
    with ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 1) + 1)) as pool:
        overview = pool.submit(_draw_overview, site)
        ups = {up.id: pool.submit(_draw_underprocess, up) for up in site.underprocesser}
        return Maps(overview.result(), {k: f.result() for k, f in ups.items()})


# ---------------------------------------------------------------- pages


def _check_names(site: SiteView) -> None:
    for up in site.underprocesser:
        if up.id in RESERVED_PAGES:
            raise SiteError(
                f"underprocessen '{up.id}' kan inte få en egen sida: {up.id}.html är redan "
                f"webbplatsens egen sida; byt id på underprocessen"
            )


def search_index(site: SiteView) -> list[dict[str, str]]:
    return [
        {"url": e.href, "rubrik": e.label, "underprocess": e.underprocess, "typ": e.typ, "text": e.text}
        for e in site.search
    ]


def _static(name: str) -> bytes:
    return (_package_dir("static") / name).read_bytes()


def stylesheet(site: SiteView) -> bytes:
    """The one stylesheet: the static rules plus one rule per aktör with its colours."""
    lines = ["", "/* Aktörernas färger, från modellens aktörer (färg). */"]
    seen = set()
    for a in site.aktörer:
        if a.css_class in seen:
            continue
        seen.add(a.css_class)
        lines.append(f".{a.css_class} {{ --aktor: {a.färg}; --aktor-ljus: {a.tint}; }}")
    return _static("stil.css") + ("\n".join(lines) + "\n").encode("utf-8")


def render_site(model: Model) -> dict[str, bytes]:
    """Every file of the site, by name."""
    site = build_site_view(model)
    _check_names(site)
    maps = draw_maps(site)
    env = environment()
    common = {"site": site}

    def page(template: str, **context: object) -> bytes:
        return env.get_template(template).render(**common, **context).encode("utf-8")

    index = search_index(site)
    files: dict[str, bytes] = {
        "index.html": page("index.html", page_id="index", svg=maps.overview),
        "lagrum.html": page("lagrum.html", page_id="lagrum"),
        "sok.html": page("sok.html", page_id="sok", index_json=_json_in_html(index)),
        "tillganglighet.html": page("tillganglighet.html", page_id="tillganglighet"),
        "stil.css": stylesheet(site),
        "sok.js": _static("sok.js"),
        "sokindex.json": (json.dumps(index, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
    }
    for up in site.underprocesser:
        files[up.page] = page("underprocess.html", page_id=up.id, up=up, svg=maps.underprocesser[up.id])
    return dict(sorted(files.items()))


# ---------------------------------------------------------------- writing


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_site(files: dict[str, bytes], folder: Path) -> list[Path]:
    """Write the files into `folder` and remove files the previous build wrote but this one
    did not (a renamed underprocess); anything else in the folder is left alone."""
    for name in files:
        if "/" in name or "\\" in name or name.startswith(".") or not name:
            raise SiteError(f"'{name}' är inget giltigt filnamn för en sida")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / MANIFEST
    old = set(manifest.read_text("utf-8").split()) if manifest.is_file() else set()
    written = []
    for name, data in files.items():
        _write_atomic(folder / name, data)
        written.append(folder / name)
    for stale in sorted(old - set(files)):
        if "/" not in stale and stale != MANIFEST:
            (folder / stale).unlink(missing_ok=True)
    _write_atomic(manifest, ("\n".join(files) + "\n").encode("utf-8"))
    return written


def build(model: Model, folder: Path) -> list[Path]:
    """Render the model and write the site into `folder`."""
    return write_site(render_site(model), folder)
