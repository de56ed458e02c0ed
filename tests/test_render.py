# ruff: noqa: E501  (exact HTML snippets are clearer unbroken)
"""The static site (`processmodell bygg`): escaping, SVG safety, content, determinism.

The small model in tests/data/render/flows has HTML, quotes, ampersands and DOT escape
sequences in its texts on purpose; `hostile_model` adds what the validator would refuse
(javascript: links, broken colours) to show the renderer is inert on its own.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup
from typer.testing import CliRunner

from processmodell import wording
from processmodell.loader import load_folder
from processmodell.schema import BlankettSlag
from render import graphviz as gv
from render import site as site_mod
from render import text as tx
from render.viewmodel import build_site_view

DATA = Path(__file__).parent / "data" / "render" / "flows"
SVG_NS = "{http://www.w3.org/2000/svg}"
PAGES = [
    "alfa.html",
    "beta.html",
    "gamma.html",
    "index.html",
    "lagrum.html",
    "sok.html",
    "tillganglighet.html",
]


def require_dot() -> None:
    """Graphviz is a system package: under CI its absence is a failure, locally a skip."""
    if shutil.which("dot") is None:
        message = "Graphviz (dot) saknas: apt-get install -y graphviz"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def model():
    result = load_folder(DATA)
    assert result.model is not None, [str(f) for f in result.findings]
    assert [f for f in result.findings if f.is_error] == []
    return result.model


@pytest.fixture(scope="module")
def files(model) -> dict[str, bytes]:
    require_dot()
    return site_mod.render_site(model)


def page(files: dict[str, bytes], name: str) -> str:
    return files[name].decode("utf-8")


def article(html: str, marker: str) -> str:
    """The part of `html` from `marker` to the end of the <article> it is in (a ruta or a lagrum)."""
    start = html.index(marker)
    return html[start : html.index("</article>", start)]


def hostile(model):
    """The test model with links and colours the validator would refuse."""
    lagrum = dict(model.lagrum)
    lagrum["sol"] = lagrum["sol"].model_copy(update={"länk": "javascript:alert(1)"})
    lagrum["sfb-33"] = lagrum["sfb-33"].model_copy(update={"länk": " JaVaScRiPt:alert(2)"})
    lagrum["finsamlagen"] = lagrum["finsamlagen"].model_copy(update={"länk": "java\nscript:alert(3)"})
    blanketter = dict(model.blanketter)
    blanketter["finsamteam-samtycke"] = blanketter["finsamteam-samtycke"].model_copy(
        update={"länk": "//evil.example/samtycke"}
    )
    blanketter["processpilen"] = blanketter["processpilen"].model_copy(
        update={"länk": "data:text/html,<script>alert(4)</script>"}
    )
    aktörer = dict(model.aktörer)
    aktörer["fk"] = aktörer["fk"].model_copy(update={"färg": "red;}</style><script>alert(5)</script>"})
    kontakt = model.modell.kontakt.model_copy(
        update={"webb": "vbscript:msgbox(6)", "epost": 'x@y.se?x="><b>'}
    )
    modell = model.modell.model_copy(update={"kontakt": kontakt})
    # An underprocess id that would be a javascript: URL (and a path) if used as it is.
    gamma = model.underprocesser["gamma"]
    evil = type(gamma)(
        gamma.meta.model_copy(update={"id": "javascript:alert(7)/../x"}),
        gamma.file,
        dict(gamma.rutor),
        dict(gamma.ruta_index),
    )
    underprocesser = {**model.underprocesser, evil.id: evil}
    copy = type(model)(**{**model.__dict__})
    copy.lagrum, copy.blanketter, copy.aktörer, copy.modell = lagrum, blanketter, aktörer, modell
    copy.underprocesser = underprocesser
    return copy


class Inspector(HTMLParser):
    """Collects what must never be in a page built from YAML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.event_attrs: list[tuple[str, str]] = []
        self.urls: list[tuple[str, str, str]] = []  # (tag, attr, value)
        self.style_attrs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(dict(attrs))
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.event_attrs.append((tag, name))
            if name.lower() in ("href", "src", "xlink:href", "action", "formaction"):
                self.urls.append((tag, name, value or ""))
            if name.lower() == "style":
                self.style_attrs.append(tag)

    handle_startendtag = handle_starttag


def inspect(html: str) -> Inspector:
    parser = Inspector()
    parser.feed(html)
    parser.close()
    return parser


def svg_of(html: str) -> ET.Element:
    """The inline map of a page, parsed as XML (it must be well-formed on its own)."""
    start = html.index("<svg xmlns=")
    end = html.index("</svg>", start) + len("</svg>")
    # The legend icons are small <svg> without xmlns; the map is the one with it.
    return ET.fromstring(html[start:end])


OUR_SCRIPTS = [{"type": "application/json", "id": "sokindex"}, {"src": "sok.js"}]


def assert_inert(files: dict[str, bytes]) -> None:
    for name in [n for n in files if n.endswith(".html")]:
        found = inspect(page(files, name))
        expected = OUR_SCRIPTS if name == "sok.html" else []
        assert found.scripts == expected, name
        assert found.event_attrs == [], name
        assert found.style_attrs == [], name
        for tag, attr, value in found.urls:
            assert re.match(r"^(https?:|mailto:|#|[a-z0-9_%-]+\.(html|css|js)(#|$)|data:,$)", value, re.I), (
                name,
                tag,
                attr,
                value,
            )
            assert ":" not in value.split("#")[0] or value.startswith(("http", "mailto:", "data:,")), (
                name,
                value,
            )


# ---------------------------------------------------------------- escaping


def test_every_page_is_inert(files):
    assert sorted(files) == sorted(PAGES + ["sok.js", "sokindex.json", "stil.css"])
    assert_inert(files)


def test_hostile_links_are_dropped_and_shown_as_text(model):
    require_dot()
    files = site_mod.render_site(hostile(model))
    assert_inert(files)
    assert "javascript%3Aalert%287%29%2F%2E%2E%2Fx.html" in files
    assert 'href="javascript%3Aalert%287%29%2F%2E%2E%2Fx.html"' in page(files, "index.html")
    alfa = page(files, "alfa.html")
    # The lagrum is still named, just not linked.
    assert '<li>SoL (2001:453) <span class="lagrum-titel">Socialtjänstlag (2001:453)</span>' in alfa
    assert "<li>Bilaga: Processpilen (bilaga 1)</li>" in alfa  # data: link dropped, name kept
    assert "evil.example" not in alfa
    # A broken colour never reaches the stylesheet; the default accent is used instead.
    css = page(files, "stil.css")
    assert "<script>" not in css and "</style>" not in css
    assert ".aktor-fk { --aktor: #4a4a4a; --aktor-ljus: #ededed; }" in css
    tillg = page(files, "tillganglighet.html")
    assert "<li>Webbplats: vbscript:msgbox(6)</li>" in tillg  # shown, not linked
    assert 'href="mailto:x@y.se?x=&#34;&gt;&lt;b&gt;"' in tillg


def test_yaml_text_is_escaped_not_interpreted(files):
    alfa = page(files, "alfa.html")
    assert "Socialsekreteraren kartlägger ärendet. &lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt;" in alfa
    assert "Individen ringer. &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in alfa
    assert (
        '<h3 id="ruta-1a-rubrik">Ruta 1a: Individen kontaktar &lt;b&gt;Socialtjänsten&lt;/<wbr>b&gt; &amp; &#34;mottagningen&#34;</h3>'
        in alfa
    )
    index = page(files, "index.html")
    assert (
        "<title>Översikt – Testmodellen &lt;script&gt;alert(&#34;modell&#34;)&lt;/script&gt; &amp; &#34;citat&#34;</title>"
        in index
    )


def test_guidance_paragraphs_and_lists(files):
    alfa = page(files, "alfa.html")
    assert "<p>Underlag:</p>\n<ul>\n  <li>tidigare insatser &amp; planer</li>\n" in alfa
    assert "  <li>kontakt med &#34;Försäkringskassan&#34;</li>\n  <li>javascript:alert(1)</li>\n</ul>" in alfa
    assert "<p>Sista stycket med &#39;apostrof&#39;.</p>" in alfa


def test_csp_language_and_one_stylesheet_on_every_page(files):
    for name in PAGES:
        html = page(files, name)
        assert html.startswith('<!DOCTYPE html>\n<html lang="sv">'), name
        assert (
            '<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; '
            "script-src &#39;self&#39;; style-src &#39;self&#39;; img-src &#39;self&#39; data:; "
            'object-src &#39;none&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;">'
        ) in html, name
        assert html.count('<link rel="stylesheet"') == 1 and 'href="stil.css"' in html, name
        assert '<a class="hoppa" href="#innehall">Hoppa till innehållet</a>' in html, name


# ---------------------------------------------------------------- SVG


def test_map_is_safe_svg_whose_rutor_are_links(files, model):
    root = svg_of(page(files, "alfa.html"))
    assert root.get("role") == "group"
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    assert root.find(f"{SVG_NS}title").get("id") == title_id == "karta-alfa-titel"
    assert root.find(f"{SVG_NS}desc").get("id") == desc_id == "karta-alfa-beskrivning"
    links = {}
    for a in root.iter(f"{SVG_NS}a"):
        links[a.get("href")] = a.find(f"{SVG_NS}title").text
    expected = {f"#ruta-{rid}" for rid in model.underprocesser["alfa"].rutor}
    assert expected <= set(links)
    assert links["#ruta-2"] == 'Ruta 2: Kartläggning "med citat" \\N \\G ]; x [label="y (steg)'
    assert links["beta.html#ruta-1"] == "Till Beta – Försäkringskassan: Ruta 1: Ansökan kommer in"
    assert (
        links["gamma.html#ruta-1"] == "Konsultera Gamma – Finsamteam: Ruta 1: Ärendet anmäls till Finsamteam"
    )
    assert set(links) - expected == {"beta.html#ruta-1", "gamma.html#ruta-1"}
    # Each ruta node is exactly one link, and Graphviz drew the label as given (no \N expansion).
    nodes = [g for g in root.iter(f"{SVG_NS}g") if "ruta" in (g.get("class") or "").split()]
    assert len(nodes) == len(expected)
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert 'citat" \\N \\G ]; x' in texts and '[label="y' in texts
    for element in root.iter():
        assert element.tag.split("}")[1] not in ("script", "foreignObject", "style", "image")
        for name in element.attrib:
            assert not name.lower().startswith("on") and name != "style"


def test_map_links_follow_the_rutor_in_source_order(files, model):
    """The order of the links in the SVG is the Tab order through the map: the rutor as the YAML
    lists them (a hand-over box after the ruta that leads to it), edges all drawn before."""
    root = svg_of(page(files, "alfa.html"))
    graph = root.find(f"{SVG_NS}g")
    kinds = [(g.get("class") or "").split()[0] for g in graph.findall(f"{SVG_NS}g")]
    assert kinds == sorted(kinds)  # every "edge" group before every "node" group
    assert "edge" in kinds and "node" in kinds
    hrefs = [a.get("href") for a in root.iter(f"{SVG_NS}a")]
    assert hrefs[:7] == [
        "#ruta-1a",
        "#ruta-1b",
        "#ruta-2",
        "#ruta-3",
        "beta.html#ruta-1",
        "#ruta-5",
        "gamma.html#ruta-1",
    ]
    own = [h for h in hrefs if h.startswith("#")]
    assert own == [f"#ruta-{rid}" for rid in model.underprocesser["alfa"].rutor]
    assert 'outputorder="edgesfirst"' in gv.underprocess_dot(build_site_view(model).underprocesser[0])


def test_sanitiser_puts_nodes_in_dot_order_after_the_edges():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<g id="graph0" class="graph"><polygon points="0,0"/>'
        '<g id="n3" class="node"><g id="a_n3"><a xlink:href="#ruta-3"><text>3</text></a></g></g>'
        '<g id="edge1" class="edge"><path d="M0,0"/></g>'
        '<g id="n1" class="node"><g id="a_n1"><a xlink:href="#ruta-1"><text>1</text></a></g></g>'
        '<g id="edge2" class="edge"><path d="M1,1"/></g>'
        '<g id="n10" class="node"><g id="a_n10"><a xlink:href="#ruta-10"><text>10</text></a></g></g>'
        '<g id="n2" class="node"><g id="a_n2"><a xlink:href="#ruta-2"><text>2</text></a></g></g>'
        "</g></svg>"
    )
    out = gv.sanitise_svg(svg, id_prefix="", title="T", desc="D", title_id="t", desc_id="d")
    ids = re.findall(r'<g id="(n\d+|edge\d+)"', out)
    assert ids == ["edge1", "edge2", "n1", "n2", "n3", "n10"]
    assert out.index("<polygon") < out.index('<g id="edge1"')  # the background stays first


def test_hand_over_boxes_have_room_around_their_text(model):
    dot = gv.underprocess_dot(build_site_view(model).underprocesser[0])
    boxes = [line for line in dot.splitlines() if 'class="extern' in line]
    assert len(boxes) == 2
    assert all(f'margin="{gv.EXTERNAL_MARGIN}"' in line for line in boxes)
    assert gv.EXTERNAL_MARGIN == "0.3,0.16"  # measured in tests/test_browser.py


def test_decision_answers_are_on_the_edges(files):
    root = svg_of(page(files, "alfa.html"))
    edge_texts = {
        t.text
        for g in root.iter(f"{SVG_NS}g")
        if "edge" in (g.get("class") or "").split()
        for t in g.iter(f"{SVG_NS}text")
    }
    assert {"Ja", "Nej <script>", "Sjukersättning", "Annan", "försörjning"} <= edge_texts


HOSTILE_SVG = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generated by graphviz version 2.43.0 (0) -->
<svg width="100pt" height="50pt" viewBox="0 0 100 50" onload="alert(1)"
 xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<script>alert(2)</script>
<style>* { background: url(http://evil.example/x) }</style>
<g id="node1" class="node" onclick="alert(3)"><title>r:1</title>
<g id="a_node1"><a xlink:href="javascript:alert(4)" xlink:title="x"><text x="1" y="2">ett</text></a></g>
<g id="a_node2"><a xlink:href="http://evil.example/"><text>två</text></a></g>
<g id="a_node3"><a xlink:href="fk.html#ruta-1"><text>tre</text></a></g>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
<image xlink:href="http://evil.example/pixel.png"/>
<polygon fill="url(http://evil.example/#p)" stroke="#000" points="0,0 1,1"/>
</g>
</svg>
"""


def test_sanitiser_strips_everything_active_or_external():
    out = gv.sanitise_svg(
        HOSTILE_SVG, id_prefix="k-", title="T", desc="D", title_id="t", desc_id="d", titles={"node3": "Tre"}
    )
    assert out == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" viewBox="0 0 100 50" '
        'role="group" aria-labelledby="t" aria-describedby="d" class="karta-svg">'
        '<title id="t">T</title><desc id="d">D</desc>'
        '<g id="k-node1" class="node">'
        '<g id="k-a_node1"><g><text x="1" y="2">ett</text></g></g>'
        '<g id="k-a_node2"><g><text>två</text></g></g>'
        '<g id="k-a_node3"><a href="fk.html#ruta-1"><title>Tre</title><text>tre</text></a></g>'
        '<polygon stroke="#000" points="0,0 1,1"></polygon>'
        "</g></svg>"
    )


@pytest.mark.parametrize(
    "svg",
    [
        '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><g>',
        '<html xmlns="http://www.w3.org/1999/xhtml"></html>',
    ],
    ids=["entity", "broken", "not-svg"],
)
def test_sanitiser_refuses_entities_and_non_svg(svg):
    with pytest.raises(gv.UnsafeSvg):
        gv.sanitise_svg(svg, id_prefix="", title="", desc="", title_id="t", desc_id="d")


def test_dot_strings_are_escaped():
    assert gv.dot_string('a "b" \\N\nc') == '"a \\"b\\" \\\\N c"'
    assert gv.dot_label(['x"', "<b>"]) == '"x\\"\\n<b>"'
    assert gv.wrap("arbete/studier/arbetssökande", 14) == ["arbete/", "studier/", "arbetssökande"]


# ---------------------------------------------------------------- content


def test_ruta_section_shows_everything(files):
    alfa = page(files, "alfa.html")
    ruta2 = article(alfa, '<article class="ruta typ-steg aktor-socialtjansten" id="ruta-2"')
    assert '<a href="https://lagen.nu/2001:453" class="lagrum-lank">SoL (2001:453)</a>' in ruta2
    assert (
        '<span class="upphavd"><span aria-hidden="true">⚠ </span>Upphävd 2025-07-01, ersatt av Socialtjänstlag (2025:400)</span>'
        in ruta2
    )
    assert "<li>Bilaga: Processpilen (bilaga 1)</li>" in ruta2
    assert "<dt>Frist</dt><dd>Kartläggningen ska vara klar (inom 30 dagar)</dd>" in ruta2
    assert "<dt>Varaktighet</dt><dd>Kartläggningen tar (1–3 månader)</dd>" in ruta2
    assert 'Hit från: <a href="#ruta-1a">Ruta 1a:' in ruta2
    beta = page(files, "beta.html")
    assert "<dt>Frist</dt><dd>Uppföljning (var tredje månad, i högst 12 månader)</dd>" in beta


def test_a_beslut_shows_its_question_and_an_underprocess_its_length(files):
    alfa = page(files, "alfa.html")
    beslut = alfa.split('id="ruta-självförsörjande"', 1)[1].split("</header>", 1)[0]
    assert (
        '<p class="ruta-fraga"><strong>Fråga:</strong> Hur blir individen självförsörjande – '
        "arbete &amp; studier eller &lt;ersättning&gt;?</p>"
    ) in beslut
    assert alfa.count('class="ruta-fraga"') == 1  # only the ruta that has a fråga
    beta = page(files, "beta.html")
    header = beta[: beta.index('id="karta-rubrik"')]
    assert (
        '<p class="up-varaktighet"><strong>Insatsens längd:</strong> '
        "Insatsen pågår &lt;oftast&gt; (10–12 månader)</p>"
    ) in header
    assert "up-varaktighet" not in page(files, "alfa.html")
    search = json.loads(files["sokindex.json"])
    assert any("arbete & studier eller <ersättning>?" in e["text"] for e in search)


def test_decision_ways_and_hand_overs(files):
    alfa = page(files, "alfa.html")
    ruta3 = article(alfa, 'id="ruta-3"')
    assert (
        '<span class="vag-svar">Om Ja</span>' in ruta3 and '<a href="#ruta-5">Ruta 5: Finsamteam</a>' in ruta3
    )
    assert '<span class="vag-svar">Om Nej &lt;script&gt;</span>' in ruta3
    assert (
        '<span class="aktor-text aktor-fk">Beta – Försäkringskassan</span>: '
        '<a href="beta.html#ruta-1">Ruta 1: Ansökan kommer in</a>'
    ) in ruta3
    assert "<li>Ansvarig för kontakten: Socialtjänsten</li>" in ruta3
    assert "<li>Längsta väntetid: 14 dagar</li>" in ruta3
    assert (
        '<strong class="tolkning-etikett">Modellens tolkning, inte källans text:</strong> '
        "Överlämningen är en tolkning." in ruta3
    )
    ersättning = article(alfa, 'id="ruta-ersättning"')
    assert "<li>Gäller när ålder 19–29 år</li>" in ersättning
    assert "<li>Gäller när ålder minst 30 år</li>" in ersättning
    assert "<li>Gäller när ålder högst 18 år</li>" in ersättning


def test_consultation_and_consent(files):
    alfa = page(files, "alfa.html")
    ruta5 = article(alfa, 'id="ruta-5"')
    assert (
        '<strong>Konsultation:</strong> ärendet tas upp i <span class="aktor-text aktor-finsam">'
        'Gamma – Finsamteam</span>: <a href="gamma.html#ruta-1">Ruta 1: Ärendet anmäls till Finsamteam</a>'
    ) in ruta5
    assert "<dt>Samtycke krävs</dt>" in ruta5
    assert '<p>Blankett: <a href="https://example.org/samtycke">Samtycke till Finsamteam</a></p>' in ruta5


@pytest.mark.parametrize(
    ("slag", "label"),
    [
        ("bilaga", "Bilaga"),
        ("anmälan", "Blankett"),
        ("samtycke", "Blankett"),
        ("ansökan", "Blankett"),
        ("beslutsstöd", "Beslutsstöd"),
        ("insatskatalog", "Insatskatalog"),
        ("webbplats", "Webbplats"),
        ("annat", "Dokument"),
    ],
)
def test_blankett_label_by_slag(slag, label):
    assert wording.blankett_label(slag) == label
    assert wording.blankett_label(BlankettSlag(slag)) == label


def test_every_blankett_slag_has_its_label_and_unknown_is_a_link():
    # A new slag in the schema must be given its word here, not fall through to "Länk" unseen.
    assert {s.value for s in BlankettSlag} == {
        "bilaga",
        "anmälan",
        "samtycke",
        "ansökan",
        "beslutsstöd",
        "insatskatalog",
        "webbplats",
        "annat",
    }
    assert wording.blankett_label("okänd") == "Länk"
    assert wording.blankett_label(None) == "Länk"


def test_links_are_labelled_by_their_slag_not_all_as_blankett(model):
    """A home page or a decision aid is not a form: the word before it follows its slag."""
    require_dot()
    blanketter = dict(model.blanketter)
    blanketter["processpilen"] = blanketter["processpilen"].model_copy(
        update={"slag": BlankettSlag.webbplats, "länk": "https://example.org/"}
    )
    blanketter["finsamteam-samtycke"] = blanketter["finsamteam-samtycke"].model_copy(
        update={"slag": BlankettSlag.beslutsstöd}
    )
    copy = type(model)(**{**model.__dict__})
    copy.blanketter = blanketter
    alfa = page(site_mod.render_site(copy), "alfa.html")
    assert '<li>Webbplats: <a href="https://example.org/">Processpilen (bilaga 1)</a></li>' in alfa
    assert '<p>Beslutsstöd: <a href="https://example.org/samtycke">Samtycke till Finsamteam</a></p>' in alfa
    assert "Blankett:" not in alfa


def text_flow(html: str) -> str:
    """The "Flödet i text" list of a page, from its start tag to its end tag."""
    start = html.index('<ul class="textflode" role="list">')
    return html[start : html.index("\n  </ul>\n</section>", start)]


def test_text_version_items_are_labelled_by_ruta_number_not_counted(files, model):
    """An ordered list would number the items 1, 2, 3 … while the rutor are 1a, 1b, 2, 3, 5:
    item 6 would be Ruta 5. The list is unnumbered and each item starts with its ruta number."""
    alfa = page(files, "alfa.html")
    assert '<ol class="textflode"' not in alfa
    items = re.findall(r'\n    <li>\s*<a href="#ruta-([^"]+)">(.*?)</a>', text_flow(alfa))
    assert [rid for rid, _ in items] == list(model.underprocesser["alfa"].rutor)
    assert [label.split(":")[0] for _, label in items[:5]] == [
        "Ruta 1a",
        "Ruta 1b",
        "Ruta 2",
        "Ruta 3",
        "Ruta 5",
    ]
    css = page(files, "stil.css")
    assert ".textflode {\n  list-style: none;\n  padding-left: 0;\n}" in css


def test_text_version_lists_every_way(files, model):
    alfa = page(files, "alfa.html")
    flow = text_flow(alfa)
    assert (
        len(re.findall(r'\n    <li>\s*<a href="#ruta-', flow))
        == len(model.underprocesser["alfa"].rutor)
        == 11
    )
    assert (
        'Om Ja <span aria-hidden="true">→</span><span class="visuellt-dold"> gå till</span> '
        '<a href="#ruta-5">Ruta 5: Finsamteam</a>'
    ) in flow
    assert "(överlämning)" in flow
    assert "(när ålder 19–29 år)" in flow


def test_index_overview_and_table(files):
    index = page(files, "index.html")
    root = svg_of(index)
    hrefs = sorted(a.get("href") for a in root.iter(f"{SVG_NS}a"))
    assert hrefs == ["alfa.html", "beta.html", "gamma.html"]
    table = index[index.index("<tbody>") : index.index("</tbody>")]
    assert table.count("<tr>") == 2
    assert "<td>Nej &lt;script&gt;</td>" in table and "<td>Överlämning</td>" in table
    assert "<td>Konsultation</td>" in table


def test_lagrum_page_lists_citing_rutor(files):
    lagrum = page(files, "lagrum.html")
    sfb = article(lagrum, 'id="lagrum-sfb-33"')
    assert '<a href="alfa.html#ruta-självförsörjande">Individen blir självförsörjande</a>' in sfb
    assert '<a href="alfa.html#ruta-ersättning">Aktivitetsersättning eller sjukersättning?</a>' in sfb
    finsam = article(lagrum, 'id="lagrum-finsamlagen"')
    assert "Ingen länk angiven." in finsam
    assert '<a href="alfa.html#ruta-5">Ruta 5: Finsamteam</a>' in finsam  # cited by the samtycke


def test_accessibility_statement_has_contact(files):
    tillg = page(files, "tillganglighet.html")
    assert "lagen (2018:1937) om tillgänglighet till digital offentlig service" in tillg
    assert 'E-post: <a href="mailto:test@example.org">test@example.org</a>' in tillg
    assert "<h2>Rapportera brister i webbplatsens tillgänglighet</h2>" in tillg


class PageText(HTMLParser):
    """A page's text as a reader gets it: inline elements joined as they are, block elements
    on lines of their own, white space collapsed (what a browser's innerText gives)."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "dt", "dd", "td", "th", "caption", "title", "div", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\x00")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\x00")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def lines(self) -> list[str]:
        text = "".join(self.parts)
        return [" ".join(line.split()) for line in text.split("\x00") if line.strip()]


def page_text(html: str) -> list[str]:
    parser = PageText()
    parser.feed(html)
    parser.close()
    return parser.lines()


def test_no_space_before_punctuation_in_any_page(files):
    """The templates put a link or a value right before its full stop ("påtala det."): no stray
    space from a macro's white space may end up in between."""
    for name in PAGES:
        for line in page_text(page(files, name)):
            assert not re.search(r"\S [.,;:!?](\s|$)", line), (name, line)
    tillsyn = [line for line in page_text(page(files, "tillganglighet.html")) if "påtala" in line]
    assert len(tillsyn) == 1
    assert tillsyn[0].endswith("kan du kontakta Myndigheten för digital förvaltning och påtala det.")


def test_accessibility_statement_is_dated_by_the_model_not_the_build(model):
    require_dot()
    dated = type(model)(**{**model.__dict__})
    dated.modell = model.modell.model_copy(update={"giltig_från": datetime.date(2019, 3, 12)})
    tillg = page(site_mod.render_site(dated), "tillganglighet.html")
    about = page_text(tillg[tillg.index("<h2>Om redogörelsen</h2>") :])
    assert about[:2] == [
        "Om redogörelsen",
        'Redogörelsen gäller Testmodellen <script>alert("modell")</script> & "citat" version 1-test. '
        "Den är daterad 2019-03-12, den dag då den versionen av modellen började gälla. "
        "Datumet kommer från modellen, inte från dagen då webbplatsen byggdes. "
        "Redogörelsen ses över varje gång modellen får en ny version.",
    ]
    assert datetime.date.today().isoformat() not in tillg
    # Without a giltig_från there is no date at all, rather than the day of the build.
    undated = page_text(page(site_mod.render_site(model), "tillganglighet.html"))
    assert undated[undated.index("Om redogörelsen") + 1] == (
        'Redogörelsen gäller Testmodellen <script>alert("modell")</script> & "citat" version 1-test. '
        "Redogörelsen ses över varje gång modellen får en ny version."
    )


def test_search_index_embedded_and_as_file(files, model):
    sok = page(files, "sok.html")
    embedded = sok[sok.index('<script type="application/json" id="sokindex">') :]
    embedded = embedded[embedded.index(">") + 1 : embedded.index("</script>")]
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    index = json.loads(embedded)
    assert index == json.loads(files["sokindex.json"])
    urls = [e["url"] for e in index]
    expected = [
        f"{up}.html#ruta-{rid}" for up in ("alfa", "beta", "gamma") for rid in model.underprocesser[up].rutor
    ]
    assert urls == expected
    assert any("&lt;" not in e["text"] and "<script>" in e["text"] for e in index)  # plain text, not HTML
    assert sok.count("<li data-url=") == len(expected)  # the no-JS fallback lists every ruta


# ---------------------------------------------------------------- determinism, writing, CLI


def test_same_model_gives_same_bytes(model, tmp_path):
    require_dot()
    site_mod.build(model, tmp_path / "a")
    site_mod.build(load_folder(DATA).model, tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert b"Generated by" not in (tmp_path / "a" / "alfa.html").read_bytes()
    assert b"<?xml" not in (tmp_path / "a" / "alfa.html").read_bytes()


def test_write_site_removes_only_its_own_stale_files(tmp_path):
    site_mod.write_site({"a.html": b"1", "b.html": b"2"}, tmp_path)
    (tmp_path / "egen.txt").write_text("behåll")
    site_mod.write_site({"a.html": b"3"}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".processmodell-bygg", "a.html", "egen.txt"]
    assert (tmp_path / "a.html").read_bytes() == b"3"


def test_bygg_command_builds_the_site(tmp_path):
    require_dot()
    from cli.main import app

    result = CliRunner().invoke(app, ["bygg", str(DATA), "--ut", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == f"Byggde 7 sidor i {tmp_path / 'site'}/ — öppna {tmp_path / 'site' / 'index.html'}.\n"
    )
    assert (tmp_path / "site" / "alfa.html").is_file()


def test_bygg_without_graphviz_exits_2_with_install_hint(tmp_path, monkeypatch):
    from cli.main import app

    monkeypatch.setattr(gv.shutil, "which", lambda name: None)
    result = CliRunner().invoke(app, ["bygg", str(DATA), "--ut", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert "Graphviz saknas: programmet 'dot' behövs" in result.stderr
    assert "sudo apt-get install graphviz" in result.stderr
    assert not (tmp_path / "site").exists()


def test_bygg_refuses_a_model_with_errors(tmp_path):
    require_dot()
    from cli.main import app

    flows = tmp_path / "flows"
    shutil.copytree(DATA, flows)
    text = (flows / "beta.yaml").read_text("utf-8").replace('nästa: "3"', 'nästa: "99"')
    (flows / "beta.yaml").write_text(text, "utf-8")
    result = CliRunner().invoke(app, ["bygg", str(flows), "--ut", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert f"processmodell bygg: Modellen i '{flows}' har" in result.stderr
    assert "beta.yaml:" in result.stderr and "99" in result.stderr
    assert f"Kör 'processmodell validera {flows}'" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bygg", "finns-inte", "--ut", "x"], "Katalogen 'finns-inte' finns inte."),
        (["bygg", str(DATA), "--ut", str(DATA)], "är modellens egen katalog"),
    ],
    ids=["missing-folder", "output-is-input"],
)
def test_bygg_usage_errors_exit_2(args, message):
    require_dot()
    from cli.main import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


# ---------------------------------------------------------------- small helpers


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://lagen.nu/2001:453#K2P7", "https://lagen.nu/2001:453#K2P7"),
        ("http://example.org", "http://example.org"),
        ("mailto:a@b.se", "mailto:a@b.se"),
        ("fk.html#ruta-1", "fk.html#ruta-1"),
        ("#ruta-5a", "#ruta-5a"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,x", None),
        ("vbscript:x", None),
        ("//evil.example/x", None),
        ("/\\evil.example", None),
        ("a:b/c", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url, expected):
    assert tx.safe_url(url) == expected


def test_swedish_wording():
    assert [wording.duration(d) for d in ("P30D", "P1M", "P1Y2M", "P8W", "P1D")] == [
        "30 dagar",
        "1 månad",
        "1 år och 2 månader",
        "8 veckor",
        "1 dag",
    ]
    assert [wording.every(d) for d in ("P1M", "P2W", "P3M", "P21D", "P1Y")] == [
        "varje månad",
        "varannan vecka",
        "var tredje månad",
        "var 21:a dag",
        "varje år",
    ]
    assert tx.blocks("a\nb\n\n- x\n  y\n- z\nc") == (
        tx.Block(text="a b"),
        tx.Block(items=("x y", "z")),
        tx.Block(text="c"),
    )
    assert tx.accent("#ffff00") != "#ffff00" and tx.contrast(tx.accent("#ffff00"), "#ffffff") >= 4.5


def test_view_model_is_built_from_the_model_only(model):
    site = build_site_view(model)
    assert [u.id for u in site.underprocesser] == ["alfa", "beta", "gamma"]
    assert [(o.source, o.target, o.kind, len(o.crossings)) for o in site.overview] == [
        ("alfa", "beta", "överlämning", 1),
        ("alfa", "gamma", "konsultation", 1),
    ]


# ---------------------------------------------------------------- examples (--exempel)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = ["samordningsteam-norra-vastmanland", "stegen-karlstad", "steget-linkoping"]


class LinkCollector(HTMLParser):
    """Every id in a page, and every URL it points to (href, src, xlink:href, data-url)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src", "xlink:href", "data-url"):
                self.urls.append(value or "")

    handle_startendtag = handle_starttag


def broken_links(root: Path) -> tuple[list[str], list[str]]:
    """(problems, every local link checked) for all pages under `root`: each relative link must
    name a file inside `root`, and its #fragment an id in that page. The search index's URLs
    are checked too (they are relative to the folder holding sokindex.json)."""
    from urllib.parse import unquote, urlsplit

    parsed: dict[Path, LinkCollector] = {}

    def collector(path: Path) -> LinkCollector:
        if path not in parsed:
            parsed[path] = LinkCollector()
            parsed[path].feed(path.read_text("utf-8"))
            parsed[path].close()
        return parsed[path]

    sources: list[tuple[Path, str]] = []
    for html in sorted(root.rglob("*.html")):
        sources += [(html, url) for url in collector(html).urls]
    for index in sorted(root.rglob("sokindex.json")):
        sources += [(index, entry["url"]) for entry in json.loads(index.read_text("utf-8"))]
    problems, checked = [], []
    base = root.resolve()
    for page_path, url in sources:
        where = f"{page_path.relative_to(root)}: {url!r}"
        if url == "data:," or url.startswith(("http://", "https://", "mailto:")):
            continue
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or url.startswith("/"):
            problems.append(f"{where}: ingen relativ länk")
            continue
        checked.append(url)
        target = page_path if not parts.path else (page_path.parent / unquote(parts.path)).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            problems.append(f"{where}: filen finns inte")
        elif parts.fragment and unquote(parts.fragment) not in collector(target).ids:
            problems.append(f"{where}: id saknas i {target.relative_to(base)}")
    return problems, checked


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`bygg flows --exempel examples` twice, into a/ and b/: (a, b, stdout of the first)."""
    require_dot()
    from cli.main import app

    out = tmp_path_factory.mktemp("exempel")
    outputs = []
    for name in ("a", "b"):
        result = CliRunner().invoke(
            app, ["bygg", str(ROOT / "flows"), "--ut", str(out / name), "--exempel", str(EXAMPLES)]
        )
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    return out / "a", out / "b", outputs[0]


def test_link_checker_finds_missing_files_ids_and_escapes(tmp_path):
    (tmp_path / "under").mkdir()
    (tmp_path / "a.html").write_text(
        '<a href="b.html#finns">1</a><a href="b.html#saknas">2</a><a href="c.html">3</a>'
        '<a href="#egen" id="egen">4</a><img src="../utanfor.png" alt=""><a href="/b.html">5</a>'
        '<a href="under/d.html#r%C3%A4tt">6</a><a href="https://example.org/x">7</a>',
        "utf-8",
    )
    (tmp_path / "b.html").write_text('<p id="finns">b</p>', "utf-8")
    (tmp_path / "under" / "d.html").write_text('<a href="../a.html#egen" id="rätt">d</a>', "utf-8")
    (tmp_path / "utanfor.png").write_bytes(b"")  # exists, but outside the checked root below
    problems, checked = broken_links(tmp_path)
    assert problems == [
        "a.html: 'b.html#saknas': id saknas i b.html",
        "a.html: 'c.html': filen finns inte",
        "a.html: '../utanfor.png': filen finns inte",
        "a.html: '/b.html': ingen relativ länk",
    ]
    assert checked == [
        "b.html#finns",
        "b.html#saknas",
        "c.html",
        "#egen",
        "../utanfor.png",
        "under/d.html#r%C3%A4tt",
        "../a.html#egen",
    ]


def test_bygg_with_examples_builds_each_as_a_site_of_its_own(built):
    a, _, stdout = built
    assert sorted(p.name for p in (a / "exempel").iterdir() if p.is_dir()) == EXAMPLE_NAMES
    pages = 0
    for name in EXAMPLE_NAMES:
        model = load_folder(EXAMPLES / name).model
        ups = sorted(f"{up}.html" for up in model.underprocesser)
        expected = sorted(
            ups
            + ["index.html", "lagrum.html", "sok.html", "tillganglighet.html"]
            + ["sok.js", "sokindex.json", "stil.css", ".processmodell-bygg"]
        )
        assert sorted(p.name for p in (a / "exempel" / name).iterdir()) == expected, name
        pages += len(ups) + 4
        css = (a / "exempel" / name / "stil.css").read_text("utf-8")
        for aktör in model.aktörer:  # its own colours, not the main model's
            assert f".aktor-{aktör} {{ --aktor:" in css, (name, aktör)
        for page_name in [p for p in expected if p.endswith(".html")]:
            html = (a / "exempel" / name / page_name).read_text("utf-8")
            assert 'content="default-src &#39;self&#39;; script-src &#39;self&#39;;' in html, page_name
            assert html.count('<link rel="stylesheet" href="stil.css">') == 1, page_name
            assert (
                '<nav class="hemrad" aria-label="Huvudwebbplatsen">\n    <div class="ram"><a href="../../index.html">'
                '<span aria-hidden="true">← </span>Tillbaka till Stockholmsmodellen</a>'
            ) in html, (name, page_name)
        index = (a / "exempel" / name / "index.html").read_text("utf-8")
        assert f"<h1>{model.modell.namn}</h1>" in index
        assert "Fler modeller byggda med processmodell" not in index  # examples do not list examples
    assert pages == 24
    assert stdout == (
        f"Byggde 12 sidor i {a}/ och 3 exempel med 24 sidor i {a / 'exempel'}/ — öppna {a / 'index.html'}.\n"
    )
    assert "hemrad" not in (a / "index.html").read_text("utf-8")  # the main site has no way back


def test_main_index_lists_every_example(built):
    a, _, _ = built
    index = (a / "index.html").read_text("utf-8")
    section = index[index.index('<section aria-labelledby="exempel-rubrik">') :]
    section = section[: section.index("</section>")]
    assert '<h2 id="exempel-rubrik">Fler modeller byggda med processmodell</h2>' in section
    links = re.findall(r'<h3><a href="([^"]+)">([^<]+)</a></h3>', section)
    assert links == [
        ("exempel/samordningsteam-norra-vastmanland/index.html", "Samordningsteam Norra Västmanland"),
        ("exempel/stegen-karlstad/index.html", "Stegen Karlstad"),
        ("exempel/steget-linkoping/index.html", "Steget till arbete (Linköping)"),
    ]
    for name in EXAMPLE_NAMES:
        model = load_folder(EXAMPLES / name).model
        ups = model.underprocesser.values()
        counts = f"{len(ups)} underprocesser, {sum(len(u.rutor) for u in ups)} rutor"
        assert f'<p class="kort-aktor">{model.modell.utgivare} · {counts}</p>' in section, name
        first = " ".join(model.modell.beskrivning.split())[:60]
        assert f"<p>{first}" in section, name


def test_every_relative_link_in_the_built_site_resolves(built):
    a, _, _ = built
    problems, checked = broken_links(a)
    assert problems == []
    assert len(checked) > 1000  # every page was read, maps included
    assert checked.count("../../index.html") == 24  # the way back, on every example page
    assert {f"exempel/{n}/index.html" for n in EXAMPLE_NAMES} <= set(checked)
    assert any(u.startswith("fk.html#ruta-") for u in checked)


def test_examples_build_to_the_same_bytes(built):
    a, b, _ = built
    first, second = tree(a), tree(b)
    assert sorted(first) == sorted(second)
    # 24 pages; per example stil.css, sok.js, sokindex.json and the manifest; the examples' list.
    assert sum(1 for name in first if name.startswith("exempel/")) == 24 + 3 * 4 + 1
    for name in first:
        assert first[name] == second[name], name


def test_example_back_link_escapes_the_main_name(model):
    require_dot()
    sites = site_mod.render_sites(model, [("kopia", model)])
    assert sorted(sites) == ["", "exempel/kopia"]
    back = page(sites["exempel/kopia"], "alfa.html")
    assert (
        '<span aria-hidden="true">← </span>Tillbaka till Testmodellen &lt;script&gt;alert(&#34;modell&#34;)'
        "&lt;/script&gt; &amp; &#34;citat&#34;</a>"
    ) in back
    index = page(sites[""], "index.html")
    assert (
        '<h3><a href="exempel/kopia/index.html">Testmodellen &lt;script&gt;alert(&#34;modell&#34;)&lt;/script&gt;'
        " &amp; &#34;citat&#34;</a></h3>"
    ) in index


def _examples_folder(tmp_path: Path, *names: str) -> Path:
    """A folder of examples: copies of the small test model under the given names."""
    folder = tmp_path / "ex"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copytree(DATA, folder / name)
    return folder


def test_bygg_refuses_an_example_with_errors_and_names_it(tmp_path):
    require_dot()
    from cli.main import app

    examples = _examples_folder(tmp_path, "bra", "trasig", "trasig2")
    for name in ("trasig", "trasig2"):
        text = (examples / name / "beta.yaml").read_text("utf-8").replace('nästa: "3"', 'nästa: "99"')
        (examples / name / "beta.yaml").write_text(text, "utf-8")
    result = CliRunner().invoke(
        app, ["bygg", str(DATA), "--ut", str(tmp_path / "site"), "--exempel", str(examples)]
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == f"processmodell bygg: Exemplet 'trasig': Modellen i '{examples / 'trasig'}' har 1 fel; kommandot körs bara på en felfri modell."
    )
    assert any(
        line.startswith(f"Exemplet 'trasig2': Modellen i '{examples / 'trasig2'}' har 1 fel")
        for line in lines
    )
    assert "beta.yaml:" in result.stderr and "99" in result.stderr
    assert f"Kör 'processmodell validera {examples / 'trasig'}'" in result.stderr
    assert "'bra'" not in result.stderr
    assert not (tmp_path / "site").exists()  # nothing is written unless every model is valid


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda ex: None, "--exempel: Katalogen '{ex}' finns inte."),
        (lambda ex: ex.mkdir(), "--exempel: '{ex}' har inga undermappar med YAML-filer."),
        (lambda ex: (ex.mkdir(), (ex / "x.yaml").write_text("")), "--exempel: '{ex}' har inga undermappar"),
        (
            lambda ex: shutil.copytree(DATA, ex / "Med Mellanslag"),
            "--exempel: mappen '{ex}/Med Mellanslag': namnet 'Med Mellanslag' kan inte bli en webbadress",
        ),
    ],
    ids=["missing", "empty", "only-files", "bad-name"],
)
def test_bygg_example_folder_problems_exit_2(tmp_path, setup, message):
    require_dot()
    from cli.main import app

    ex = tmp_path / "ex"
    setup(ex)
    result = CliRunner().invoke(
        app, ["bygg", str(DATA), "--ut", str(tmp_path / "site"), "--exempel", str(ex)]
    )
    assert result.exit_code == 2
    assert message.format(ex=ex) in result.stderr
    assert not (tmp_path / "site").exists()


def test_bygg_refuses_output_inside_the_examples(tmp_path):
    require_dot()
    from cli.main import app

    ex = _examples_folder(tmp_path, "alfa")
    for ut in (ex, ex / "alfa"):
        result = CliRunner().invoke(app, ["bygg", str(DATA), "--ut", str(ut), "--exempel", str(ex)])
        assert result.exit_code == 2
        assert f"--ut '{ut}' är samma katalog som" in result.stderr


def test_examples_skip_hidden_and_yaml_less_folders(tmp_path):
    require_dot()
    from cli.main import app

    ex = _examples_folder(tmp_path, "b-modell", "a-modell")
    (ex / ".dold").mkdir()
    (ex / ".dold" / "x.yaml").write_text("trasig: [", "utf-8")
    (ex / "bilder").mkdir()
    (ex / "bilder" / "karta.png").write_bytes(b"")
    result = CliRunner().invoke(
        app, ["bygg", str(DATA), "--ut", str(tmp_path / "site"), "--exempel", str(ex)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "site" / "exempel").iterdir()) == [
        ".processmodell-bygg",
        "a-modell",
        "b-modell",
    ]
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert index.index('href="exempel/a-modell/index.html"') < index.index(
        'href="exempel/b-modell/index.html"'
    )


def test_removed_example_is_cleaned_up_and_own_files_stay(tmp_path):
    require_dot()
    from cli.main import app

    ex = _examples_folder(tmp_path, "alfa", "beta")
    site = tmp_path / "site"

    def bygg(*extra: str) -> None:
        result = CliRunner().invoke(app, ["bygg", str(DATA), "--ut", str(site), *extra])
        assert result.exit_code == 0, result.output

    bygg("--exempel", str(ex))
    (site / "exempel" / "beta" / "egen.txt").write_text("behåll", "utf-8")
    shutil.rmtree(ex / "alfa")
    shutil.rmtree(ex / "beta")
    shutil.copytree(DATA, ex / "gamma")
    bygg("--exempel", str(ex))
    assert sorted(p.name for p in (site / "exempel").iterdir()) == [".processmodell-bygg", "beta", "gamma"]
    assert [p.name for p in (site / "exempel" / "beta").iterdir()] == ["egen.txt"]
    assert 'href="exempel/alfa/' not in (site / "index.html").read_text("utf-8")
    bygg()  # without --exempel: the examples this tool wrote go, the user's file stays
    assert sorted(p.relative_to(site / "exempel").as_posix() for p in (site / "exempel").rglob("*")) == [
        "beta",
        "beta/egen.txt",
    ]
    assert "exempel-rubrik" not in (site / "index.html").read_text("utf-8")


# ---------------------------------------------------------------- inline code, addresses, <wbr>


def with_ruta(model, up_id: str, ruta_id: str, **update):
    """The model with one ruta's fields replaced (text the validator would accept as text)."""
    entry = model.underprocesser[up_id]
    rutor = dict(entry.rutor)
    rutor[ruta_id] = rutor[ruta_id].model_copy(update=update)
    changed = type(entry)(entry.meta, entry.file, rutor, dict(entry.ruta_index))
    copy = type(model)(**{**model.__dict__})
    copy.underprocesser = {**model.underprocesser, up_id: changed}
    return copy


def spans(text: str) -> list[tuple[str, str, str | None]]:
    return [(s.kind, s.text, s.href) for s in tx.inline(text)]


def test_inline_code_spans():
    assert spans("heter här `självförsörjande`.") == [
        ("text", "heter här ", None),
        ("code", "självförsörjande", None),
        ("text", ".", None),
    ]
    # An unpaired or empty backtick is text as written.
    assert spans("ett ` ensamt") == [("text", "ett ` ensamt", None)]
    assert spans("tomt `` här") == [("text", "tomt `` här", None)]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Se https://roi.socialstyrelsen.se/fmb.", "https://roi.socialstyrelsen.se/fmb"),
        ("(https://insatskatalogen.samordning.org/), som", "https://insatskatalogen.samordning.org/"),
        ("https://a.se/x?a=1&b=2; sedan", "https://a.se/x?a=1&b=2"),
        ("https://sv.wikipedia.org/wiki/A_(B)), sedan", "https://sv.wikipedia.org/wiki/A_(B)"),
        ("”https://a.se/”", "https://a.se/"),
        ("HTTP://A.SE!", "HTTP://A.SE"),
    ],
)
def test_addresses_in_text_end_before_the_sentence_punctuation(text, url):
    links = [(s.text, s.href) for s in tx.inline(text) if s.kind == "link"]
    assert links == [(url, url)]
    assert "".join(s.text for s in tx.inline(text)) == text  # nothing is lost or added


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
        "https:// mellanslag",
        "https://",
        "xhttps://a.se/ mitt i ett ord",
        "`https://i.kod.se/`",
        "mailto:a@b.se",
    ],
)
def test_only_http_addresses_outside_code_become_links(text):
    assert [s for s in tx.inline(text) if s.kind == "link"] == []


def test_rich_escapes_every_span():
    hostile_text = 'Se `<b>id</b>` och https://x.se/"><script>alert(1)</script> & javascript:alert(2).'
    assert site_mod.rich(hostile_text) == (
        "Se <code>&lt;b&gt;id&lt;/b&gt;</code> och "
        '<a class="webbadress" href="https://x.se/">https://x.se/</a>'
        "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; javascript:alert(2)."
    )
    # Markup handed to the filter is text too: its tags are shown, never kept.
    assert site_mod.rich(Markup("<i>`x`</i>")) == "&lt;i&gt;<code>x</code>&lt;/i&gt;"


def test_code_and_addresses_in_guidance_and_notes_on_the_page(model):
    require_dot()
    changed = with_ruta(
        model,
        "alfa",
        "2",
        text=(
            "Ringer `<b>mottagningen</b>`. Läs https://example.org/a?b=1&c=2.\n\n"
            '- Blankett: https://x.se/"><script>alert(1)</script>\n'
            "- Inte en länk: javascript:alert(1) eller `https://kod.example/`"
        ),
        not_="Rutan heter `självförsörjande` i källan; se (https://example.org/not).",
    )
    files = site_mod.render_site(changed)
    assert_inert(files)
    alfa = page(files, "alfa.html")
    ruta2 = article(alfa, 'id="ruta-2"')
    assert (
        "<p>Ringer <code>&lt;b&gt;mottagningen&lt;/b&gt;</code>. Läs "
        '<a class="webbadress" href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a>.</p>'
    ) in ruta2
    assert (
        '<li>Blankett: <a class="webbadress" href="https://x.se/">https://x.se/</a>'
        "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</li>"
    ) in ruta2
    assert "<li>Inte en länk: javascript:alert(1) eller <code>https://kod.example/</code></li>" in ruta2
    assert (
        "</strong> Rutan heter <code>självförsörjande</code> i källan; se "
        '(<a class="webbadress" href="https://example.org/not">https://example.org/not</a>).</p>'
    ) in ruta2
    assert "`" not in ruta2
    # Printed, an address written in the text is not repeated after itself.
    assert '.vagledning a[href^="http"]:not(.webbadress)::after' in page(files, "stil.css")


def test_wbr_breaks_after_slashes_of_escaped_text():
    assert site_mod.wbr("arbete/studier/annan") == "arbete/<wbr>studier/<wbr>annan"
    # Escaped first: the "/" of an end tag in the text is text, and gets its break like any other.
    assert site_mod.wbr('a/<b>"x"</b>') == "a/<wbr>&lt;b&gt;&#34;x&#34;&lt;/<wbr>b&gt;"
    assert site_mod.wbr(Markup("<i>a/b</i>")) == "&lt;i&gt;a/<wbr>b&lt;/<wbr>i&gt;"


def test_long_slashed_headings_and_link_texts_can_break_at_their_slashes(model):
    require_dot()
    changed = with_ruta(model, "alfa", "5", rubrik="Arbete/studier/<ersättning>")
    alfa = page(site_mod.render_site(changed), "alfa.html")
    label = "Ruta 5: Arbete/<wbr>studier/<wbr>&lt;ersättning&gt;"
    assert f'<h3 id="ruta-5-rubrik">{label}</h3>' in alfa  # the heading
    assert f'<a href="#ruta-5">{label}</a> <span class="typ-text">(steg)</span>' in alfa  # text flow
    assert (
        f'Om Ja <span aria-hidden="true">→</span><span class="visuellt-dold"> gå till</span> <a href="#ruta-5">{label}</a>'
        in alfa
    )
    # Never inside an attribute or the map: the link title is the plain label.
    assert "<title>Ruta 5: Arbete/studier/&lt;ersättning&gt; (steg)</title>" in alfa
    assert "&lt;wbr" not in alfa


def test_map_heading_names_the_underprocess_also_when_printed_turned(files):
    alfa = page(files, "alfa.html")
    assert '<h2 id="karta-rubrik">Kartan: 1. Alfa – socialtjänsten</h2>' in alfa
    figure = alfa[alfa.index('<figure class="karta"') : alfa.index("</figure>")]
    assert '<p class="karta-utskriftsnamn">Kartan: 1. Alfa – socialtjänsten</p>' in figure
    css = page(files, "stil.css")
    screen, print_ = css.split("@media print", 1)
    assert ".karta-utskriftsnamn {\n  display: none;\n}" in screen
    assert ".karta:has(.karta-hog) .karta-utskriftsnamn {\n    display: block;" in print_
