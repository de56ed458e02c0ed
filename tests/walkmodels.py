"""Small models for interpreter tests, built straight from YAML text (no loader needed).

`build({"a.yaml": "...", ...})` validates each text as a FlowFile and merges them the way a
flows folder is merged, so a test states its model in the same YAML an editor writes.
"""

from __future__ import annotations

import hashlib
import textwrap

import yaml

from processmodell.model import Model, UnderprocessEntry
from processmodell.schema import FlowFile

REGISTRY = """
fakta:
  - {id: ålder, typ: heltal, fråga: "Hur gammal är individen?", minst: 16, högst: 67}
  - {id: har_läkarintyg, typ: boolesk, fråga: "Finns läkarintyg?"}
  - {id: läkarintyg_komplett, typ: boolesk, fråga: "Komplett?"}
  - {id: samtycke_finsamteam, typ: boolesk, fråga: "Samtycke till Finsamteam?"}
  - {id: samtycke_rehabiliteringsförfrågan, typ: boolesk, fråga: "Samtycke till förfrågan?"}
  - {id: stadsdel, typ: val, fråga: "Vilken stadsdel?", alternativ: [norr, söder]}
  - {id: beslutsdatum, typ: datum, fråga: "När?"}
  - {id: kommentar, typ: text, fråga: "Kommentar?"}
lagrum:
  - {id: sfb-33, kortnamn: SFB, författning: Socialförsäkringsbalk, sfs: "2010:110", kapitel: "33",
     länk: "https://lagen.nu/2010:110#K33"}
  - {id: sol, kortnamn: SoL, författning: Socialtjänstlag, sfs: "2001:453", länk: "https://lagen.nu/2001:453",
     giltig_till: "2025-06-30", ersatt_av: "Socialtjänstlag (2025:400)"}
"""


def build(files: dict[str, str], registry: str = REGISTRY) -> Model:
    texts = {"register.yaml": registry, **files}
    parsed = {name: FlowFile.model_validate(yaml.safe_load(textwrap.dedent(t))) for name, t in texts.items()}
    model = Model(None, {}, {}, {}, {}, {})
    digest = hashlib.sha256()
    for name in sorted(parsed):
        flow = parsed[name]
        digest.update(name.encode() + b"\0" + textwrap.dedent(texts[name]).encode() + b"\0")
        model.modell = flow.modell or model.modell
        model.lagrum.update({x.id: x for x in flow.lagrum})
        model.aktörer.update({x.id: x for x in flow.aktörer})
        model.fakta.update({x.id: x for x in flow.fakta})
        model.blanketter.update({x.id: x for x in flow.blanketter})
        if flow.underprocess is not None:
            entry = UnderprocessEntry(flow.underprocess, name)
            for i, ruta in enumerate(flow.rutor):
                entry.rutor[ruta.id] = ruta
                entry.ruta_index[ruta.id] = i
            model.underprocesser[entry.id] = entry
    model.content_hash = digest.hexdigest()
    return model


def chain(n: int) -> Model:
    """A synthetic underprocess: start -> n-2 steg -> slut (for benchmarks)."""
    from processmodell.schema import Ruta, Underprocess

    entry = UnderprocessEntry(Underprocess(id="kedja", namn="Kedja", aktör="a"), "kedja.yaml")
    for i in range(n):
        typ = "start" if i == 0 else "slut" if i == n - 1 else "steg"
        ruta = Ruta(id=str(i), typ=typ, rubrik=f"Ruta {i}", nästa=None if typ == "slut" else str(i + 1))
        entry.rutor[ruta.id] = ruta
        entry.ruta_index[ruta.id] = i
    model = Model(None, {}, {}, {}, {}, {"kedja": entry})
    model.content_hash = f"kedja-{n}"
    return model
