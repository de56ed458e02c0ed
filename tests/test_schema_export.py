"""The JSON Schema for editors: draft-07, current, and true to the loader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from processmodell.jsonschema_export import DRAFT_07, flow_file_schema, schema_text
from processmodell.yamlstrict import read_yaml

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schema" / "processmodell.schema.json"
FLOW_FILES = sorted((ROOT / "flows").glob("*.yaml"))
EXAMPLE_FILES = sorted((ROOT / "examples").glob("*/*.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = flow_file_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_committed_schema_is_the_command_output() -> None:
    """If this fails, run: processmodell schema > schema/processmodell.schema.json"""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "processmodell"), "schema"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout.decode("utf-8") == COMMITTED.read_text(encoding="utf-8") == schema_text()


def test_it_is_draft_07_without_2020_12_keywords() -> None:
    text = schema_text()
    schema = flow_file_schema()
    assert schema["$schema"] == DRAFT_07
    assert schema["title"] == "Processmodell – flödesfil"
    for keyword in ("$defs", "prefixItems", "$dynamicRef", "unevaluatedProperties", "dependentRequired"):
        assert keyword not in text
    refs = [line.split('"$ref": ')[1].strip('",') for line in text.splitlines() if '"$ref"' in line]
    assert refs and all(
        r.startswith("#/definitions/") and r.split("/")[-1] in schema["definitions"] for r in refs
    )
    assert all(name.isascii() for name in schema["definitions"])


def test_descriptions_are_swedish() -> None:
    definitions = flow_file_schema()["definitions"]
    assert definitions["Vag"]["description"].startswith("En väg vidare.")
    english = ("The ", "One ", "A deadline", "How long")
    assert not [n for n, d in definitions.items() if d.get("description", "").startswith(english)]


@pytest.mark.parametrize("path", FLOW_FILES + EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_flow_file_is_valid(validator, path: Path) -> None:
    data, _ = read_yaml(path.read_bytes())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (
            {"rutor": [{"id": "1", "typ": "start", "rubrik": "x"}]},
            "'underprocess' is a dependency of 'rutor'",
        ),
        ({"underprocess": {"id": "A", "namn": "a", "aktör": "x"}}, "does not match"),
        ({"underprocess": {"id": "a", "namn": "a", "aktör": "x", "nummer": "ett"}}, "is not valid"),
        ({"lagrum": [{"id": "x", "kortnamn": "X", "författning": "X", "sfs": "2001"}]}, "does not match"),
        ({"fakta": [{"id": "f", "typ": "tal", "fråga": "?"}]}, "is not one of"),
        ({"underprocess": {"id": "a", "namn": "a", "aktör": "x", "nästta": 1}}, "Additional properties"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(validator, document: dict, words: str) -> None:
    messages = [e.message for e in validator.iter_errors(document)]
    messages += [c.message for e in validator.iter_errors(document) for c in (e.context or [])]
    assert any(words in m for m in messages), messages


def ruta(**fields) -> dict:
    return {
        "underprocess": {"id": "a", "namn": "A", "aktör": "x"},
        "rutor": [{"id": "1", "rubrik": "r", **fields}],
    }


@pytest.mark.parametrize(
    ("fields", "valid"),
    [
        ({"typ": "steg", "nästa": 2}, True),  # the loader reads 2 as ruta "2"
        ({"typ": "slut"}, True),
        ({"typ": "slut", "nästa": "2"}, False),
        ({"typ": "beslut", "nästa": "2"}, False),
        ({"typ": "beslut", "alternativ": [{"svar": "Ja", "till": "2"}, {"svar": "Nej", "till": "3"}]}, True),
        ({"typ": "steg", "nästa": "2", "frist": {"beskrivning": "b", "inom": "P30D"}}, True),
        ({"typ": "steg", "nästa": "2", "frist": {"beskrivning": "b", "inom": "30 dagar"}}, False),
        ({"typ": "steg", "nästa": "2", "frist": {"beskrivning": "b", "inom": "P1M", "var": "P1M"}}, False),
        ({"typ": "steg", "nästa": "2", "frist": {"beskrivning": "b", "inom": "P1M", "längst": "P1Y"}}, False),
        ({"typ": "steg", "nästa": {"till": "2", "villkor": {"fakta": "ålder"}}}, False),
        ({"typ": "steg", "nästa": {"till": "2", "villkor": {"fakta": "ålder", "högst": 18}}}, True),
        ({"typ": "steg", "nästa": {"till": "2", "villkor": {"alla": [{"fakta": "f", "är": True}]}}}, True),
        ({"typ": "steg", "nästa": {"till": "2", "villkor": {"fakta": "f", "är": True, "x": 1}}}, False),
        ({"typ": "steg", "nästa": "2", "varaktighet": {"beskrivning": "b"}}, False),
        ({"typ": "beslut", "fråga": "Kvarstår behov?", "alternativ": [{"svar": "Ja", "till": "2"}]}, True),
        ({"typ": "steg", "nästa": "2", "fråga": "Kvarstår behov?"}, False),
    ],
)
def test_rules_from_model_validators_are_in_the_schema(validator, fields: dict, valid: bool) -> None:
    from pydantic import ValidationError

    from processmodell.schema import FlowFile

    document = ruta(**fields)
    assert validator.is_valid(document) is valid
    # The schema and the loader's pydantic model agree on what a well-formed file is
    # (the typ rules for slut, beslut and fråga are the validera checks, not the model's).
    typ_rule = fields["typ"] == "slut" or ("nästa" in fields and fields["typ"] == "beslut")
    if not typ_rule and not ("fråga" in fields and fields["typ"] != "beslut"):
        try:
            FlowFile.model_validate(document)
            loads = True
        except ValidationError:
            loads = False
        assert loads is valid
