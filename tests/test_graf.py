"""`processmodell graf`: the JSON contract, Mermaid escaping and the DOT the site uses."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from processmodell.export import graph_json, graph_json_text
from processmodell.loader import load_folder
from render import graphviz as gv
from render import mermaid
from render.viewmodel import build_site_view

DATA = Path(__file__).parent / "data" / "render" / "flows"


@pytest.fixture(scope="module")
def model():
    result = load_folder(DATA)
    assert result.model is not None and not [f for f in result.findings if f.is_error]
    return result.model


def invoke(*args: str):
    return CliRunner().invoke(app, ["graf", *args])


def edge_tuples(model) -> list[tuple[str, str, str | None, str]]:
    return [(e.source, e.target, e.answer, e.kind) for e in model.edges()]


# ---------------------------------------------------------------- json


def test_json_shape_and_values(model):
    data = graph_json(model)
    assert list(data) == ["underprocesser", "kanter"]
    assert [list(u) for u in data["underprocesser"]] == [["id", "namn", "aktör", "rutor"]] * 3
    assert data["underprocesser"][1] == {
        "id": "beta",
        "namn": "Beta – Försäkringskassan",
        "aktör": "fk",
        "rutor": [
            {"id": "1", "typ": "start", "rubrik": "Ansökan kommer in"},
            {"id": "2", "typ": "steg", "rubrik": "Uppföljning"},
            {"id": "3", "typ": "slut", "rubrik": "Klart"},
        ],
    }
    kanter = data["kanter"]
    assert all(list(k) == ["från", "till", "svar", "slag"] for k in kanter)
    assert {"från": "alfa/1a", "till": "alfa/2", "svar": None, "slag": "flöde"} in kanter
    assert {"från": "alfa/3", "till": "beta/1", "svar": "Nej <script>", "slag": "överlämning"} in kanter
    assert {"från": "alfa/5", "till": "gamma/1", "svar": None, "slag": "konsultation"} in kanter
    assert {
        "från": "alfa/ersättning",
        "till": "alfa/sjukersättning",
        "svar": "Sjukersättning",
        "slag": "flöde",
    } in kanter


def test_json_has_every_ruta_and_edge(model):
    data = graph_json(model)
    rutor = [f"{u['id']}/{r['id']}" for u in data["underprocesser"] for r in u["rutor"]]
    expected = [f"{up.id}/{rid}" for up in model.underprocesser.values() for rid in up.rutor]
    assert sorted(rutor) == sorted(expected) and len(rutor) == 16
    got = [(k["från"], k["till"], k["svar"], k["slag"]) for k in data["kanter"]]
    assert sorted(got, key=repr) == sorted(edge_tuples(model), key=repr)
    assert len(got) == 15


def test_json_covers_the_real_model(real_model):
    data = graph_json(real_model)
    assert [u["id"] for u in data["underprocesser"]] == [
        "soc-sjukskriven",
        "soc-ej-sjukskriven",
        "vard",
        "fk",
        "af",
        "jobbtorg",
        "finsamteam",
        "finsam-insatser",
    ]
    assert sum(len(u["rutor"]) for u in data["underprocesser"]) == sum(
        len(up.rutor) for up in real_model.underprocesser.values()
    )
    got = [(k["från"], k["till"], k["svar"], k["slag"]) for k in data["kanter"]]
    assert sorted(got, key=repr) == sorted(edge_tuples(real_model), key=repr)
    assert {k["slag"] for k in data["kanter"]} == {"flöde", "överlämning", "konsultation"}


def test_json_command_prints_utf8_stable_text(model):
    result = invoke(str(DATA), "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == graph_json_text(model)
    assert '"namn": "Alfa – socialtjänsten"' in result.stdout  # not \u2013 escapes
    assert result.stdout.startswith('{\n  "underprocesser": [\n    {\n      "id": "alfa",')
    assert invoke(str(DATA), "--format", "json").stdout == result.stdout


def test_json_for_one_underprocess(model):
    data = json.loads(invoke(str(DATA), "-f", "json", "-u", "beta").stdout)
    assert [u["id"] for u in data["underprocesser"]] == ["beta"]
    assert [(k["från"], k["till"]) for k in data["kanter"]] == [("beta/1", "beta/2"), ("beta/2", "beta/3")]


def test_unknown_underprocess_is_a_usage_error():
    result = invoke(str(DATA), "-f", "dot", "-u", "delta")
    assert result.exit_code == 2
    assert result.stderr == (
        "processmodell graf: Underprocessen 'delta' finns inte i modellen. Finns: alfa, beta, gamma.\n"
    )


def test_missing_folder_is_a_usage_error():
    result = invoke("finns-inte")
    assert result.exit_code == 2
    assert result.stderr == "processmodell graf: Katalogen 'finns-inte' finns inte.\n"


# ---------------------------------------------------------------- mermaid


def test_mermaid_label_escaping():
    assert mermaid.label('Ja "kanske" [x] {y} (z) #1 <b> & a|b; `c`') == (
        '"Ja #34;kanske#34; #91;x#93; #123;y#125; #40;z#41; #35;1 #60;b#62; #38; a#124;b#59; #96;c#96;"'
    )
    assert mermaid.label("rad\nny") == '"rad ny"'
    assert mermaid.node_id("soc-sjukskriven", "självförsörjande") == "soc_sjukskriven__sjalvforsorjande"


def test_mermaid_whole_model(model):
    result = invoke(str(DATA), "-f", "mermaid")
    assert result.exit_code == 0, result.output
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert [line.strip() for line in lines if line.strip().startswith("subgraph")] == [
        'subgraph alfa["1. Alfa – socialtjänsten"]',
        'subgraph beta["2. Beta – Försäkringskassan"]',
        'subgraph gamma["3. Gamma – Finsamteam"]',
    ]
    assert sum(1 for line in lines if line.strip() == "end") == 3
    assert '    alfa__3{"3. Finns läkarintyg?"}' in lines
    assert '    alfa__slut(["Individen är självförsörjande"])' in lines
    assert (
        '    alfa__1a("1a. Individen kontaktar #60;b#62;Socialtjänsten#60;/b#62; #38; #34;mottagningen#34;")'
        in lines
    )
    assert '    alfa__2["2. Kartläggning #34;med citat#34; #92;N #92;G #93;#59; x #91;label=#34;y"]' in lines
    assert '  alfa__3 ==>|"Nej #60;script#62;"| beta__1' in lines
    assert '  alfa__5 -.->|"konsultation"| gamma__1' in lines
    assert '    alfa__ersattning -->|"Sjukersättning"| alfa__sjukersattning' in lines
    # Inside every quoted label there is no raw quote, bracket or angle bracket left.
    for label in re.findall(r'"((?:[^"])*)"', text):
        assert not re.search(r"[\[\]{}()<>|`]", label), label
    # One arrow per edge of the model.
    assert sum(1 for line in lines if re.search(r" (-->|==>|-\.->)", line)) == len(model.edges())


def test_mermaid_one_underprocess_has_stand_ins_for_other_underprocesser():
    text = invoke(str(DATA), "-f", "mermaid", "-u", "alfa").stdout
    assert "subgraph" not in text
    assert '  beta__1[/"Beta – Försäkringskassan: Ruta 1: Ansökan kommer in"/]' in text.splitlines()
    assert '  gamma__1[/"Gamma – Finsamteam: Ruta 1: Ärendet anmäls till Finsamteam"/]' in text.splitlines()


# ---------------------------------------------------------------- dot


def test_dot_for_one_underprocess_is_the_map_the_site_draws(model):
    result = invoke(str(DATA), "-f", "dot", "-u", "alfa")
    assert result.exit_code == 0, result.output
    assert result.stdout == gv.underprocess_dot(build_site_view(model).underprocess("alfa"))
    assert result.stdout.startswith('digraph "karta-alfa" {\n')
    assert '"r:3" -> "x:överlämning:beta/1" [label="Nej <script>", style="dashed"' in result.stdout


def test_dot_of_whole_model_joins_hand_overs_to_the_target_ruta(model):
    text = invoke(str(DATA), "-f", "dot").stdout
    assert text.count("subgraph") == 3
    assert '"alfa/r:3" -> "beta/r:1" [label="Nej <script>"' in text
    assert '"alfa/r:5" -> "gamma/r:1" [style="dotted", dir="both"' in text
    assert "x:överlämning" not in text and "x:konsultation" not in text
    assert 'URL="alfa.html#ruta-2"' in text


@pytest.mark.parametrize("args", [["-u", "alfa"], []], ids=["underprocess", "model"])
def test_dot_output_is_valid_graphviz(args):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz (dot) saknas")
    text = invoke(str(DATA), "-f", "dot", *args).stdout
    proc = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
