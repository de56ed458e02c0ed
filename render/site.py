"""The static site: view model → Graphviz maps → Jinja2 pages → files.

`render_site(model)` returns every file as bytes (name → content) without touching the disk;
`write_site(files, folder)` writes them. Same model in, same bytes out: no timestamps, stable
order, Graphviz's own comments stripped.

`render_sites` / `write_sites` add example models: each a complete site of its own under
`exempel/<folder>/`, listed on the main index and linking back to it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from processmodell.model import Model
from render import graphviz as gv
from render import text as tx
from render.viewmodel import RESERVED_PAGES, SiteView, UnderprocessView, build_site_view

MANIFEST = ".processmodell-bygg"  # names of the files the last build wrote, for cleaning up
EXEMPEL_DIR = "exempel"  # example sites live in <ut>/exempel/<folder>/
EXAMPLE_NAME_RE = re.compile(r"[0-9a-zåäö][0-9a-zåäö_-]*")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)


class SiteError(ValueError):
    """The model cannot be published as it is (message in Swedish)."""


@dataclass(frozen=True)
class Home:
    """The main site, as an example site links back to it."""

    namn: str
    href: str  # relative to the example's pages: "../../index.html"


@dataclass(frozen=True)
class ExampleCard:
    """One example site, as the main index lists it."""

    folder: str
    href: str  # "exempel/<folder>/index.html"
    namn: str
    utgivare: str | None
    beskrivning: tuple[tx.Block, ...]
    underprocesser: int
    rutor: int


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


def _as_text(value: object) -> str:
    """Any value as plain text to escape: Markup is taken as its characters, not as HTML, so a
    filter below can never be handed tags to cut into."""
    if value is None:
        return ""
    return str.__str__(value) if isinstance(value, str) else str(value)


def rich(value: object) -> Markup:
    """Template filter for guidance text and notes from YAML: escaped, with `code` as <code>
    and http(s) addresses as links (only those `safe_url` allows). Nothing else is markup."""
    parts = []
    for span in tx.inline(_as_text(value)):
        if span.kind == "code":
            parts.append(Markup("<code>{}</code>").format(span.text))
        elif span.kind == "link" and span.href:
            parts.append(Markup('<a class="webbadress" href="{}">{}</a>').format(span.href, span.text))
        else:
            parts.append(escape(span.text))
    return Markup("").join(parts)


def wbr(value: object) -> Markup:
    """Template filter for headings and link texts: escaped, with a line break opportunity
    (<wbr>) after every "/", so "arbete/studier/arbetssökande/annan/ersättning" wraps at its
    slashes instead of at an arbitrary letter. The text is escaped first: no "/" of a tag can
    be reached (escaping makes no slashes)."""
    return Markup(str(escape(_as_text(value))).replace("/", "/<wbr>"))


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
    env.filters["rich"] = rich
    env.filters["wbr"] = wbr
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


def render_site(
    model: Model, *, home: Home | None = None, exempel: tuple[ExampleCard, ...] = ()
) -> dict[str, bytes]:
    """Every file of the site, by name. `home` makes it an example site that links back to the
    main site; `exempel` are the example sites the main index lists."""
    return _render(build_site_view(model), home, exempel)


def _render(site: SiteView, home: Home | None, exempel: tuple[ExampleCard, ...]) -> dict[str, bytes]:
    _check_names(site)
    maps = draw_maps(site)
    env = environment()
    common = {"site": site, "home": home, "exempel": exempel}

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


# ---------------------------------------------------------------- examples


def example_name_problem(name: str) -> str | None:
    """Why an example folder's name cannot be a folder of the site (Swedish), or None.

    The name becomes part of a web address (exempel/<name>/index.html); a small alphabet keeps
    it the same on every file system and web server, with nothing to escape."""
    if EXAMPLE_NAME_RE.fullmatch(name):
        return None
    return (
        f"namnet '{name}' kan inte bli en webbadress: använd små bokstäver (a–z, å, ä, ö), "
        "siffror, - och _, och börja med en bokstav eller siffra"
    )


def _card(name: str, view: SiteView) -> ExampleCard:
    return ExampleCard(
        folder=name,
        href=f"{EXEMPEL_DIR}/{name}/index.html",
        namn=view.modell.namn,
        utgivare=view.modell.utgivare,
        beskrivning=view.modell.beskrivning,
        underprocesser=len(view.underprocesser),
        rutor=sum(len(u.rutor) for u in view.underprocesser),
    )


def render_sites(model: Model, examples: Sequence[tuple[str, Model]] = ()) -> dict[str, dict[str, bytes]]:
    """The main site (key "") and one complete site per example (key "exempel/<name>"), each
    with its own stylesheet (its own aktör colours) and search, so every link inside an example
    stays in its folder; only the way back to the main index leaves it."""
    for name, _ in examples:
        problem = example_name_problem(name)
        if problem:
            raise SiteError(f"exemplet '{name}': {problem}")
    main = build_site_view(model)
    views = sorted(((name, build_site_view(m)) for name, m in examples), key=lambda nv: nv[0])
    if len({name for name, _ in views}) != len(views):
        raise SiteError("två exempel har samma mappnamn")
    home = Home(namn=main.modell.namn, href="../../index.html")
    sites = {"": _render(main, None, tuple(_card(name, v) for name, v in views))}
    for name, view in views:
        try:
            sites[f"{EXEMPEL_DIR}/{name}"] = _render(view, home, ())
        except SiteError as exc:
            raise SiteError(f"exemplet '{name}': {exc}") from None
    return sites


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


def write_sites(sites: dict[str, dict[str, bytes]], folder: Path) -> None:
    """Write `render_sites` output: the main site into `folder`, each example into
    `folder/exempel/<name>/`. An example the previous build wrote but this one did not (its
    folder was removed or renamed) loses the files that build wrote, and its folder if empty;
    `folder/exempel/` keeps its own list of the examples written."""
    write_site(sites[""], folder)
    names = [key.split("/", 1)[1] for key in sites if key]
    for name in names:
        if example_name_problem(name):
            raise SiteError(f"'{name}' är inget giltigt namn för ett exempel")
    root = folder / EXEMPEL_DIR
    manifest = root / MANIFEST
    old = set(manifest.read_text("utf-8").split()) if manifest.is_file() else set()
    for name in names:
        write_site(sites[f"{EXEMPEL_DIR}/{name}"], root / name)
    for stale in sorted(old - set(names)):
        if example_name_problem(stale) is None and (root / stale / MANIFEST).is_file():
            write_site({}, root / stale)  # removes what that build wrote, leaves the rest
            (root / stale / MANIFEST).unlink()
            _remove_if_empty(root / stale)
    if names:
        _write_atomic(manifest, ("\n".join(names) + "\n").encode("utf-8"))
    elif manifest.is_file():
        manifest.unlink()
        _remove_if_empty(root)


def _remove_if_empty(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:  # not empty: the user's own files stay
        pass
