"""The flow file schema as JSON Schema draft-07, for editors (yaml-language-server, VS Code).

Pydantic writes JSON Schema 2020-12. Editors and most validators in the wild speak draft-07,
so the export converts: `$defs` → `definitions` (and every `$ref` with it), a `$ref` with
sibling keys is wrapped in `allOf` (draft-07 ignores siblings of `$ref`), definition names
become ASCII (`Aktör` is mangled to `Akt_r` by pydantic; here it is `Aktor`).

It also writes down what pydantic checks in code, so an editor can say it while typing:
id and duration patterns, "minst or högst", "inom or var", `rutor` only with `underprocess`,
and the fields a slut or beslut may not have. Descriptions are Swedish (the editors are).

Numbers are allowed where the loader turns them into text (`id: 5` is ruta "5"), so the
editor never complains about what `processmodell validera` accepts.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import AfterValidator, BaseModel

from processmodell import schema as s

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

TITLE = "Processmodell – flödesfil"
DESCRIPTION = (
    "En YAML-fil i en flödeskatalog (t.ex. flows/). Den kan innehålla register (modell, lagrum, "
    "aktörer, fakta, blanketter) och/eller en underprocess med dess rutor. Kontrollera hela "
    "modellen med: processmodell validera flows"
)

# Swedish descriptions for every definition (pydantic takes the English docstrings).
DESCRIPTIONS = {
    "Modell": "Modellens metadata: namn, version och källa (en gång per katalog).",
    "Kontakt": "Kontakt för tillgänglighetsredogörelsen och felanmälan.",
    "Lagrum": "En lagrumshänvisning: författning, SFS-nummer, kapitel, paragraf, länk och giltighet.",
    "Aktor": "En aktör (myndighet eller part), t.ex. socialtjänsten eller Försäkringskassan.",
    "Fakta": "Ett faktum om ärendet som beslut, villkor och samtycken kan bero på.",
    "FaktaTyp": "boolesk (true/false), heltal, text, val (ett av alternativ) eller datum (ÅÅÅÅ-MM-DD).",
    "Blankett": "En blankett, bilaga eller länk som rutor hänvisar till.",
    "BlankettSlag": "Vad slags dokument eller länk det är.",
    "Underprocess": "En underprocess: en av processkartans delkartor, med en ansvarig aktör.",
    "Ruta": "En ruta i handläggarstödet: start (ingång), steg, beslut (fråga med svar) eller slut.",
    "RutaTyp": "start (ingång), steg (aktivitet), beslut (fråga med svar) eller slut.",
    "Vag": (
        'En väg vidare. till är en ruta i samma underprocess ("7") eller underprocess/ruta '
        '("fk/1"), som lämnar över ärendet; ansvarig och väntetid säger vem som bär ärendet '
        "över glappet och hur länge individen längst väntar."
    ),
    "Frist": (
        "En frist från det att ärendet når rutan: inom (en gång, t.ex. P30D) eller var "
        "(återkommande, t.ex. P3M), med längst som längsta tid för en återkommande frist."
    ),
    "Varaktighet": (
        "Hur länge en fas (på en ruta) eller hela insatsen (på underprocessen) pågår, "
        "t.ex. {minst: P1M, högst: P3M}."
    ),
    "Samtycke": (
        "Individens samtycke krävs innan ärendet lämnar rutan. Samtycket är en boolesk fakta, "
        "så ett samtycke som getts en gång gäller överallt där det efterfrågas."
    ),
    "VillkorLika": "Faktan har exakt ett värde: {fakta: har_läkarintyg, är: true}.",
    "VillkorIntervall": "Ett heltal inom ett slutet intervall: {fakta: ålder, minst: 19, högst: 29}.",
    "VillkorEnAv": "En fakta av typen val har ett av flera alternativ: {fakta: insats, en_av: [a, b]}.",
    "VillkorAlla": "Alla villkoren gäller.",
    "VillkorNagon": "Minst ett av villkoren gäller.",
    "VillkorInte": "Villkoret gäller inte.",
    "VillkorAntal": "Minst antal_minst av villkoren gäller: {antal_minst: 2, av: [...]}.",
}

DURATION_HELP = "ISO 8601-tidslängd: P30D (30 dagar), P8W (8 veckor), P6M (6 månader), P1Y (1 år)."
ID_HELP = "Små bokstäver, siffror, '-' och '_', t.ex. 5a, soc-sjukskriven, har_läkarintyg."

# Rules pydantic checks in model validators, in JSON Schema terms (by definition name).
RULES: dict[str, dict[str, Any]] = {
    "VillkorIntervall": {"anyOf": [{"required": ["minst"]}, {"required": ["högst"]}]},
    "Varaktighet": {"anyOf": [{"required": ["minst"]}, {"required": ["högst"]}]},
    "Frist": {"oneOf": [{"required": ["inom"]}, {"required": ["var"]}], "dependencies": {"längst": ["var"]}},
    "Ruta": {
        "allOf": [
            {
                "if": {"properties": {"typ": {"const": "slut"}}, "required": ["typ"]},
                "then": {"properties": {"nästa": False, "alternativ": False, "konsultera": False}},
            },
            {
                "if": {"properties": {"typ": {"const": "beslut"}}, "required": ["typ"]},
                "then": {"properties": {"nästa": False}},
            },
            {  # validera: fråga-utan-beslut
                "if": {"properties": {"typ": {"enum": ["start", "steg", "slut"]}}, "required": ["typ"]},
                "then": {"properties": {"fråga": False}},
            },
        ]
    },
}
TOP_RULES: dict[str, Any] = {"dependencies": {"rutor": ["underprocess"]}}

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O"})


def flow_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) for one flow file, as a dict."""
    raw = s.FlowFile.model_json_schema(mode="validation", by_alias=True)
    defs: dict[str, Any] = raw.pop("$defs", {})
    names = {old: (d.get("title") or old).translate(_FOLD) for old, d in defs.items()}
    definitions = {names[old]: d for old, d in defs.items()}
    _add_patterns(definitions)
    for name, definition in definitions.items():
        if name in DESCRIPTIONS:
            definition["description"] = DESCRIPTIONS[name]
        definition.update(RULES.get(name, {}))
    raw.pop("title", None)
    raw.pop("description", None)
    out: dict[str, Any] = {"$schema": DRAFT_07, "title": TITLE, "description": DESCRIPTION}
    out.update(raw)
    out.update(TOP_RULES)
    out["definitions"] = dict(sorted(definitions.items()))
    return _to_draft7(out, names)


def schema_text() -> str:
    """The schema as the file schema/processmodell.schema.json holds it (stable bytes)."""
    return json.dumps(flow_file_schema(), ensure_ascii=False, indent=2) + "\n"


def _to_draft7(node: Any, names: dict[str, str]) -> Any:
    """Rewrite refs to #/definitions/<ascii name>, wrap $ref siblings, allow numbers where the
    loader coerces them to text."""
    if isinstance(node, list):
        return [_to_draft7(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    node = {k: _to_draft7(v, names) for k, v in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        node["$ref"] = "#/definitions/" + names[ref.removeprefix("#/$defs/")]
        if len(node) > 1:
            target = node.pop("$ref")
            node["allOf"] = [{"$ref": target}]
    if node.get("type") == "string" and not ({"enum", "format", "const"} & node.keys()):
        # Strict models have coerce_numbers_to_str: `id: 5` and `version: 1.0` are text.
        if "pattern" not in node or node.get("x-tal-tillåtna"):
            node["type"] = ["string", "number"]
        node.pop("x-tal-tillåtna", None)
    return node


def _add_patterns(definitions: dict[str, Any]) -> None:
    """Id and duration fields are checked by AfterValidators, invisible to pydantic's schema."""
    models = {m.__name__.translate(_FOLD): m for m in _models(s.FlowFile)}
    for name, model in models.items():
        props = definitions.get(name, {}).get("properties", {})
        for field_name, info in model.model_fields.items():
            key = info.alias or field_name
            kinds = _validators(info.annotation) | {
                getattr(m, "func", None) for m in info.metadata if isinstance(m, AfterValidator)
            }
            if key not in props:
                continue
            if s._check_id in kinds:
                _set_pattern(props[key], s.ID_RE.pattern, ID_HELP, numbers=True)
            elif s._check_duration in kinds:
                _set_pattern(props[key], s.DURATION_RE.pattern, DURATION_HELP, numbers=False)


def _set_pattern(prop: dict[str, Any], pattern: str, help_text: str, numbers: bool) -> None:
    branches = prop.get("anyOf", [prop])
    for branch in branches:
        if branch.get("type") == "string":
            branch["pattern"] = pattern
            if numbers:
                branch["x-tal-tillåtna"] = True
    prop.setdefault("description", help_text)


def _validators(annotation: Any) -> set[Any]:
    """The AfterValidator functions anywhere inside an annotation (Optional, Annotated …)."""
    found: set[Any] = set()
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, AfterValidator):
            found.add(meta.func)
    for arg in typing.get_args(annotation):
        found |= _validators(arg)
    return found


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every pydantic model reachable from `root` through its fields."""
    seen: list[type[BaseModel]] = []
    stack = [root]
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            stack.extend(_nested_models(info.annotation))
    return seen


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out.extend(_nested_models(arg))
    return out
