"""Validation of a loaded model: `check(model) -> list[Finding]`.

Checks run in layers, like a compiler's passes:

1. references and structure: every id a ruta names exists, every ruta has the fields its
   typ needs, answers are unique, links are safe, conditions fit their fakta;
2. the graph (`processmodell.graphchecks`): dead ends, unreachable rutor, traps, missing
   starts. It is skipped when a way forward points at a ruta that does not exist (or a ruta
   id is defined twice), because the graph would then report the same mistake again as
   dead ends and unreachable rutor;
3. advice (warnings): repealed lagrum, missing links and texts, gaps and overlaps between
   conditions, hand-overs that nobody carries.

Each check is a small function `(Ctx) -> Iterator[Finding]`. Every message names the things
it is about by id (`ruta fk/5a`, `lagrum sol`), never by list position, and every finding
points at the exact YAML key (the `till` of the bad answer, the `länk` of the lagrum).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from processmodell.findings import Finding, Location, Severity
from processmodell.loader import gc_paused
from processmodell.model import Model, UnderprocessEntry, YamlPath
from processmodell.schema import Ruta, Väg
from processmodell.wording import join_sv, lagrum_label, quote_list

# ---------------------------------------------------------------- the codes

# Every code a check can produce, with its severity and a one-line meaning (Swedish, for the
# README and the junit report). Tests assert codes, so they are API: never rename one.
CODES: dict[str, tuple[Severity, str]] = {
    "okänd-ruta": (Severity.fel, "En väg (nästa, alternativ, konsultera) pekar på en ruta som inte finns."),
    "okänd-underprocess": (Severity.fel, "En hänvisning nämner en underprocess som inte finns."),
    "okänt-lagrum": (Severity.fel, "Ett lagrum-id finns inte i lagrumsregistret."),
    "okänd-fakta": (Severity.fel, "Ett villkor eller samtycke nämner en fakta som inte är deklarerad."),
    "okänd-aktör": (Severity.fel, "En aktör (aktör, ansvarig) finns inte i aktörsregistret."),
    "okänd-blankett": (Severity.fel, "En blankett finns inte i blankettregistret."),
    "dubblett-id": (Severity.fel, "Samma id används två gånger (ruta, underprocess eller registerpost)."),
    "beslut-för-få-svar": (Severity.fel, "Ett beslut har färre än två svar."),
    "beslut-med-nästa": (Severity.fel, "Ett beslut har nästa; ett beslut leder vidare bara genom sina svar."),
    "alternativ-utan-beslut": (
        Severity.fel,
        "En start- eller stegruta har alternativ; bara beslut har svar.",
    ),
    "slut-med-utgång": (Severity.fel, "En slutruta har nästa, alternativ eller konsultera."),
    "fråga-utan-beslut": (
        Severity.fel,
        "En ruta som inte är ett beslut har en fråga; bara beslut ställer frågor.",
    ),
    "konsultation-inom-underprocess": (
        Severity.fel,
        "En ruta konsulterar en ruta i sin egen underprocess; konsultera gäller en annan underprocess.",
    ),
    "dubbla-svar": (Severity.fel, "Två svar i samma beslut har samma text."),
    "svar-saknas": (Severity.fel, "Ett svar i ett beslut saknar svarstext."),
    "samtycke-ej-boolesk": (Severity.fel, "Ett samtycke pekar på en fakta som inte är boolesk."),
    "villkor-fel-typ": (Severity.fel, "Ett villkor jämför en fakta med fel sorts värde."),
    "villkor-okänt-värde": (Severity.fel, "Ett villkor nämner ett alternativ som faktan inte har."),
    "otillåten-länk": (Severity.fel, "En länk är inte http(s) eller mailto."),
    "återvändsgränd": (Severity.fel, "En ruta som inte är slut saknar väg vidare."),
    "underprocess-utan-start": (Severity.fel, "En underprocess har ingen startruta."),
    "onåbar-ruta": (Severity.fel, "En ruta kan inte nås från någon startruta."),
    "fälla": (Severity.fel, "Rutor (t.ex. en slinga) som ärendet inte kan lämna: inget slut nås."),
    "villkor-utanför-gräns": (Severity.varning, "Ett villkor ligger utanför faktans minst/högst."),
    "villkor-överlapp": (Severity.varning, "Två svar i ett beslut gäller för samma värde."),
    "villkor-lucka": (Severity.varning, "Några värden leder inte till något svar i ett beslut."),
    "lagrum-upphävt": (Severity.varning, "Ett lagrum gäller inte längre (giltig_till har passerats)."),
    "lagrum-utan-länk": (Severity.varning, "Ett lagrum saknar länk till lagtexten."),
    "ruta-utan-text": (Severity.varning, "En ruta saknar vägledningstext."),
    "överlämning-utan-ansvar": (
        Severity.varning,
        "En överlämning till en annan underprocess anger varken ansvarig eller väntetid.",
    ),
}

# The registries a ruta can refer to: Model attribute -> (code, Swedish name of the register,
# the YAML section to add the entry to).
REGISTRIES = {
    "lagrum": ("okänt-lagrum", "lagrumsregistret", "lagrum:"),
    "fakta": ("okänd-fakta", "faktaregistret", "fakta:"),
    "aktörer": ("okänd-aktör", "aktörsregistret", "aktörer:"),
    "blanketter": ("okänd-blankett", "blankettregistret", "blanketter:"),
}


# ---------------------------------------------------------------- context and helpers


@dataclass
class Ctx:
    """What every check gets: the model, today's date and lookups built once."""

    model: Model
    today: _dt.date
    # Findings the loader already made about duplicates (so graph checks can be skipped).
    prior: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Built once: a dozen checks walk every ruta, and the qualified ids are reused.
        self._rutor = [
            (up, ruta, f"{up.id}/{ruta.id}")
            for up in self.model.underprocesser.values()
            for ruta in up.rutor.values()
        ]

    def rutor(self) -> list[tuple[UnderprocessEntry, Ruta, str]]:
        """Every ruta with its underprocess and qualified id, in source order."""
        return self._rutor

    def at(self, qualified: str, *key: str | int) -> Location | None:
        return self.model.ruta_location(qualified, *key)

    def registry_at(self, kind: str, id_: str, *key: str | int) -> Location | None:
        where = self.model.registry_paths.get((kind, id_))
        if where is None:
            return None
        file, path = where
        # The loader records the path of the entry's `id`; a key is a sibling of it.
        if key and path and path[-1] == "id":
            path = path[:-1]
        return self.model.locate(file, (*path, *key))

    def underprocess_at(self, up: UnderprocessEntry, *key: str | int) -> Location:
        return self.model.locate(up.file, ("underprocess", *key))


def make(
    code: str,
    message: str,
    location: Location | None,
    hint: str | None,
    subject: str | None,
) -> Finding:
    """A finding whose severity comes from `CODES`, so no check can get it wrong."""
    return Finding(CODES[code][0], code, message, location, hint, subject)


def close_matches(word: str, candidates: Iterable[str]) -> list[str]:
    """Up to three candidates close to `word` by edit distance, best first, ties alphabetical
    (difflib alone breaks ties in reverse alphabetical order)."""
    import difflib  # only when there is something to suggest

    close = difflib.get_close_matches(word, sorted(set(candidates)), n=3, cutoff=0.5)
    return sorted(close, key=lambda c: (-difflib.SequenceMatcher(None, word, c).ratio(), c))


def did_you_mean(word: str, candidates: Iterable[str], prefix: str = "") -> str | None:
    """ "Menade du 'fk/5a' eller 'fk/5b'?" or None."""
    close = close_matches(word, candidates)
    if not close:
        return None
    return f"Menade du {quote_list((prefix + c for c in close), 'eller')}?"


def suggest(word: str, candidates: Iterable[str], prefix: str = "") -> str:
    """'Menade du 'fk/5a'?' by edit distance, or a list of the valid choices when few."""
    pool = sorted(set(candidates))
    guess = did_you_mean(word, pool, prefix)
    if guess:
        return guess
    if not pool:
        return "Det finns inga att välja mellan."
    if len(pool) <= 12:
        return "Giltiga: " + ", ".join(f"{prefix}{c}" for c in pool) + "."
    return f"Det finns {len(pool)} att välja mellan; kontrollera stavningen."


def way_slots(ruta: Ruta) -> Iterator[tuple[Väg | None, str, YamlPath, YamlPath]]:
    """Every way forward a ruta writes, whether or not its typ allows it.

    Yields (väg or None for a plain `nästa: "7"`, target, path of the way, path of its target).
    Both `nästa` and `alternativ` are yielded, so a reference is checked even in the field
    the typ check will reject."""
    if isinstance(ruta.nästa, str):
        yield None, ruta.nästa, ("nästa",), ("nästa",)
    elif ruta.nästa is not None:
        yield ruta.nästa, ruta.nästa.till, ("nästa",), ("nästa", "till")
    for i, way in enumerate(ruta.alternativ or []):
        yield way, way.till, ("alternativ", i), ("alternativ", i, "till")


def way_targets(ruta: Ruta) -> list[str]:
    """The targets of `ruta.ways()` without building Väg objects (hot in the graph layer)."""
    if ruta.alternativ is not None:
        return [way.till for way in ruta.alternativ]
    if ruta.nästa is None:
        return []
    return [ruta.nästa if isinstance(ruta.nästa, str) else ruta.nästa.till]


def describe_way(ruta: Ruta, way: Väg | None) -> str:
    """'svaret 'Ja'' for an answer, 'nästa' for a step's single way."""
    if way is not None and way.svar:
        return f"svaret '{way.svar}'"
    return "nästa" if ruta.alternativ is None else "ett svar"


# ---------------------------------------------------------------- layer 1: references


def check_ruta_references(ctx: Ctx) -> Iterator[Finding]:
    """nästa/alternativ/konsultera (and a frist's till) name rutor and underprocesser that exist."""
    ups = ctx.model.underprocesser
    for up, ruta, q in ctx.rutor():
        targets = [(describe_way(ruta, w), t, tp) for w, t, _, tp in way_slots(ruta)]
        if ruta.konsultera:
            targets.append(("konsultera", ruta.konsultera, ("konsultera",)))
        if ruta.frist is not None:
            tills = ruta.frist.till_rutor()
            for i, till in enumerate(tills):
                listed = isinstance(ruta.frist.till, list)
                path: YamlPath = ("frist", "till", i) if listed else ("frist", "till")
                targets.append(("fristens till", till, path))
        for what, target, path in targets:
            yield from _ruta_reference(ctx, up, q, what, target, path, ups)


def _ruta_reference(
    ctx: Ctx,
    up: UnderprocessEntry,
    q: str,
    what: str,
    target: str,
    path: YamlPath,
    ups: dict[str, UnderprocessEntry],
) -> Iterator[Finding]:
    target_up, _, target_id = ctx.model.qualify(up.id, target).partition("/")
    qualified_ref = "/" in target
    if target_up not in ups:
        yield make(
            "okänd-underprocess",
            f"Ruta {q}: {what} pekar på '{target}', men underprocessen '{target_up}' finns inte.",
            ctx.at(q, *path),
            suggest(target_up, ups, "") + " Skriv målet som underprocess/ruta, t.ex. fk/1.",
            f"ruta {q}",
        )
        return
    if target_id not in ups[target_up].rutor:
        prefix = f"{target_up}/" if qualified_ref else ""
        yield make(
            "okänd-ruta",
            f"Ruta {q}: {what} pekar på ruta '{target}', som inte finns i underprocessen {target_up}.",
            ctx.at(q, *path),
            suggest(target_id, ups[target_up].rutor, prefix),
            f"ruta {q}",
        )


def check_underprocess_aktör(ctx: Ctx) -> Iterator[Finding]:
    known = ctx.model.aktörer
    for up in ctx.model.underprocesser.values():
        if up.meta.aktör not in known:
            yield make(
                "okänd-aktör",
                f"Underprocess {up.id}: aktören '{up.meta.aktör}' finns inte i aktörsregistret.",
                ctx.underprocess_at(up, "aktör"),
                suggest(up.meta.aktör, known),
                f"underprocess {up.id}",
            )


def check_registry_references(ctx: Ctx) -> Iterator[Finding]:
    """aktör, ansvarig, lagrum, blanketter and samtycke/frist name registry entries."""
    for _up, ruta, q in ctx.rutor():
        for kind, id_, path in _registry_refs(ruta):
            registry = getattr(ctx.model, kind)
            if id_ in registry:
                continue
            code, register, section = REGISTRIES[kind]
            yield make(
                code,
                f"Ruta {q}: {_field_name(ruta, path)} '{id_}' finns inte i {register}.",
                ctx.at(q, *path),
                suggest(id_, registry) + f" Lägg annars till '{id_}' under {section}.",
                f"ruta {q}",
            )


def _field_name(ruta: Ruta, path: YamlPath) -> str:
    """The YAML field a reference stands in, for the message: 'samtycke.fakta', 'lagrum'."""
    if path[0] in ("nästa", "alternativ"):
        way = ruta.nästa if path[0] == "nästa" else (ruta.alternativ or [])[_answer_index(path)]
        return f"ansvarig ({describe_way(ruta, way if isinstance(way, Väg) else None)})"
    return ".".join(str(p) for p in path if isinstance(p, str))


def _answer_index(path: YamlPath) -> int:
    """The answer's index in an ("alternativ", i, ...) path."""
    index = path[1]
    assert isinstance(index, int)  # way_slots builds these paths with the index as an int
    return index


def _registry_refs(ruta: Ruta) -> Iterator[tuple[str, str, YamlPath]]:
    """(registry, id, path) for every registry id a ruta names outside its conditions."""
    if ruta.aktör is not None:
        yield "aktörer", ruta.aktör, ("aktör",)
    for i, id_ in enumerate(ruta.lagrum):
        yield "lagrum", id_, ("lagrum", i)
    for i, id_ in enumerate(ruta.blanketter):
        yield "blanketter", id_, ("blanketter", i)
    if ruta.samtycke is not None:
        yield "fakta", ruta.samtycke.fakta, ("samtycke", "fakta")
        if ruta.samtycke.blankett is not None:
            yield "blanketter", ruta.samtycke.blankett, ("samtycke", "blankett")
        for i, id_ in enumerate(ruta.samtycke.lagrum):
            yield "lagrum", id_, ("samtycke", "lagrum", i)
    if ruta.frist is not None:
        for i, id_ in enumerate(ruta.frist.lagrum):
            yield "lagrum", id_, ("frist", "lagrum", i)
    for way, _target, way_path, _ in way_slots(ruta):
        if way is not None and way.ansvarig is not None:
            yield "aktörer", way.ansvarig, (*way_path, "ansvarig")


def check_samtycke_boolesk(ctx: Ctx) -> Iterator[Finding]:
    """Consent is a yes/no fact: the case waits until it is true."""
    for _up, ruta, q in ctx.rutor():
        if ruta.samtycke is None:
            continue
        fakta = ctx.model.fakta.get(ruta.samtycke.fakta)
        if fakta is not None and fakta.typ.value != "boolesk":
            yield make(
                "samtycke-ej-boolesk",
                f"Ruta {q}: samtycket använder faktan '{fakta.id}', som är av typen "
                f"{fakta.typ.value}, inte boolesk.",
                ctx.at(q, "samtycke", "fakta"),
                f"Ett samtycke är ja/nej: deklarera '{fakta.id}' med typ: boolesk, "
                "eller använd en annan fakta.",
                f"ruta {q}",
            )


# ---------------------------------------------------------------- layer 1: structure


def check_typ_fields(ctx: Ctx) -> Iterator[Finding]:
    """Each typ has its own ways forward: beslut answers, start/steg nästa, slut nothing; and
    only a beslut asks a fråga."""
    for _up, ruta, q in ctx.rutor():
        if ruta.typ == "slut":
            yield from _slut_fields(ctx, ruta, q)
        elif ruta.typ == "beslut":
            yield from _beslut_fields(ctx, ruta, q)
        elif ruta.alternativ is not None:
            yield make(
                "alternativ-utan-beslut",
                f"Ruta {q} är av typen {ruta.typ.value} men har alternativ; bara beslut har svar.",
                ctx.at(q, "alternativ"),
                "Ändra typ till beslut om rutan ställer en fråga, annars skriv en enda väg som nästa.",
                f"ruta {q}",
            )
        if ruta.fråga is not None and ruta.typ != "beslut":
            yield _question_without_beslut(ctx, ruta, q)
        if ruta.konsultera and ctx.model.qualify(_up.id, ruta.konsultera).split("/", 1)[0] == _up.id:
            yield _consulting_itself(ctx, ruta, q)


def _consulting_itself(ctx: Ctx, ruta: Ruta, q: str) -> Finding:
    # A consultation comes back when the consulted flow ends; inside one's own underprocess that
    # end is the case's own end, so every pass would nest another consultation.
    return make(
        "konsultation-inom-underprocess",
        f"Ruta {q} konsulterar '{ruta.konsultera}' i sin egen underprocess; en konsultation går till "
        "en annan underprocess och kommer tillbaka.",
        ctx.at(q, "konsultera"),
        "Skriv rutan som nästa (eller som ett svar) om ärendet ska fortsätta där, eller konsultera "
        "en ruta i en annan underprocess, t.ex. finsamteam/1.",
        f"ruta {q}",
    )


def _question_without_beslut(ctx: Ctx, ruta: Ruta, q: str) -> Finding:
    # `fråga` is what a beslut asks; on a step or an end nobody would ever be asked it.
    return make(
        "fråga-utan-beslut",
        f"Ruta {q} är av typen {ruta.typ.value} men har en fråga; bara beslut ställer frågor.",
        ctx.at(q, "fråga"),
        "Ändra typ till beslut (med svar i alternativ) om rutan ställer frågan, "
        "annars ta bort fråga: (vägledningen hör hemma i text:).",
        f"ruta {q}",
    )


def _slut_fields(ctx: Ctx, ruta: Ruta, q: str) -> Iterator[Finding]:
    present = [k for k in ("nästa", "alternativ", "konsultera") if getattr(ruta, k) is not None]
    if present:
        yield make(
            "slut-med-utgång",
            f"Slutrutan {q} har {join_sv(present)}; en slutruta avslutar ärendet.",
            ctx.at(q, present[0]),
            f"Ta bort {join_sv(present)}, eller ändra typ till steg eller beslut "
            "om ärendet går vidare härifrån.",
            f"ruta {q}",
        )


def _beslut_fields(ctx: Ctx, ruta: Ruta, q: str) -> Iterator[Finding]:
    if ruta.nästa is not None:
        yield make(
            "beslut-med-nästa",
            f"Beslutet {q} har nästa; ett beslut leder vidare bara genom sina svar (alternativ).",
            ctx.at(q, "nästa"),
            "Flytta vägen till alternativ med ett svar, t.ex. "
            'alternativ: [{svar: Ja, till: "7"}, {svar: Nej, till: "8"}], '
            "eller ändra typ till steg.",
            f"ruta {q}",
        )
    answers = ruta.alternativ or []
    # No way forward at all is a dead end (graph layer); one answer is a question without choice.
    if len(answers) == 1 or (not answers and ruta.nästa is not None):
        yield make(
            "beslut-för-få-svar",
            f"Beslutet {q} har {len(answers)} svar; ett beslut behöver minst två.",
            ctx.at(q, "alternativ") if answers else ctx.at(q, "typ"),
            "Lägg till de svar som frågan har (t.ex. Ja och Nej), eller ändra typ till steg "
            "med nästa om det bara finns en väg.",
            f"ruta {q}",
        )


def check_answers(ctx: Ctx) -> Iterator[Finding]:
    """Answers of a beslut: each has a text, and no two texts are the same."""
    for _up, ruta, q in ctx.rutor():
        if ruta.typ != "beslut" or not ruta.alternativ:
            continue
        seen: dict[str, str] = {}
        for i, way in enumerate(ruta.alternativ):
            text = (way.svar or "").strip()
            if not text:
                yield make(
                    "svar-saknas",
                    f"Beslutet {q}: svaret som leder till '{way.till}' saknar svarstext.",
                    ctx.at(q, "alternativ", i),
                    "Skriv svarets text i svar:, t.ex. svar: Ja.",
                    f"ruta {q}",
                )
                continue
            key = text.casefold()
            if key in seen:
                yield make(
                    "dubbla-svar",
                    f"Beslutet {q} har svaret '{way.svar}' två gånger "
                    f"(till '{seen[key]}' och till '{way.till}').",
                    ctx.at(q, "alternativ", i, "svar"),
                    "Varje svar måste gå att skilja från de andra: slå ihop svaren eller ge dem olika text.",
                    f"ruta {q}",
                )
            else:
                seen[key] = way.till


def check_dead_ends(ctx: Ctx) -> Iterator[Finding]:
    """A ruta that is not an end must lead somewhere."""
    for _up, ruta, q in ctx.rutor():
        if ruta.typ == "slut" or way_targets(ruta):
            continue
        if ruta.typ == "beslut":
            hint = "Lägg till alternativ med svar och mål, eller ändra typ till slut."
        elif ruta.konsultera:
            hint = (
                "Ange nästa: vart ärendet går när det kommer tillbaka från "
                f"{ruta.konsultera}, eller ändra typ till slut."
            )
        else:
            hint = "Ange nästa: (den ruta ärendet går till härnäst), eller ändra typ till slut."
        yield make(
            "återvändsgränd",
            f"Ruta {q} är ingen slutruta men har ingen väg vidare.",
            ctx.at(q, "typ"),
            hint,
            f"ruta {q}",
        )


def check_starts(ctx: Ctx) -> Iterator[Finding]:
    """Every underprocess needs an entry point; hand-overs and walks begin at a start."""
    for up in ctx.model.underprocesser.values():
        if not up.starts():
            first = next(iter(up.rutor), "1")
            yield make(
                "underprocess-utan-start",
                f"Underprocess {up.id} har ingen startruta.",
                ctx.underprocess_at(up, "id"),
                f"Ändra typ till start på rutan där ärendet kommer in (t.ex. ruta {first}).",
                f"underprocess {up.id}",
            )


# ---------------------------------------------------------------- layer 1: links

# http(s) with a host, or mailto. Nothing else may reach an href on the intranet:
# `javascript:`, `data:`, `file:` and relative paths are refused.
SAFE_LINK = re.compile(r"^(https?://[^\s/?#@]+[^\s]*|mailto:[^\s@]+@[^\s]+)$", re.IGNORECASE)


def link_fields(model: Model) -> Iterator[tuple[str, str, str, tuple[str, str] | None, YamlPath]]:
    """(subject, field name, link, registry key or None, path) for every link in the model."""
    for lagrum in model.lagrum.values():
        if lagrum.länk is not None:
            yield f"lagrum {lagrum.id}", "länk", lagrum.länk, ("lagrum", lagrum.id), ("länk",)
    for blankett in model.blanketter.values():
        if blankett.länk is not None:
            yield f"blankett {blankett.id}", "länk", blankett.länk, ("blanketter", blankett.id), ("länk",)
    for aktör in model.aktörer.values():
        if aktör.webb is not None:
            yield f"aktör {aktör.id}", "webb", aktör.webb, ("aktörer", aktör.id), ("webb",)
    kontakt = model.modell.kontakt if model.modell else None
    if kontakt is not None and kontakt.webb is not None:
        yield "modell", "kontakt.webb", kontakt.webb, None, ("modell", "kontakt", "webb")


def check_links(ctx: Ctx) -> Iterator[Finding]:
    for subject, name, link, key, path in link_fields(ctx.model):
        if SAFE_LINK.match(link):
            continue
        location = ctx.registry_at(key[0], key[1], *path) if key else _modell_at(ctx, path)
        yield make(
            "otillåten-länk",
            f"{subject.capitalize()}: {name} '{link}' är ingen tillåten länk.",
            location,
            "Skriv en fullständig adress som börjar med https:// (eller http://, mailto:). "
            "Andra sorters länkar (t.ex. javascript:) kan köra kod i webbläsaren och tas inte emot.",
            subject,
        )


def _modell_at(ctx: Ctx, path: YamlPath) -> Location | None:
    """`modell:` is not in registry_paths under an id; find the file that defines it."""
    where = ctx.model.registry_paths.get(("modell", "modell"))
    if where is not None:
        return ctx.model.locate(where[0], (*where[1], *path[1:]))
    for file, marks in ctx.model.marks.items():
        if ("modell",) in marks:
            return ctx.model.locate(file, path)
    return None


# ---------------------------------------------------------------- layer 3: advice


def check_lagrum(ctx: Ctx) -> Iterator[Finding]:
    """Repealed lagrum and lagrum without a link to the law's text."""
    users = _lagrum_users(ctx)
    for lagrum in ctx.model.lagrum.values():
        name = lagrum_label(lagrum, sfs=True)
        used = users.get(lagrum.id, [])
        used_txt = f" Används i {_rutor_phrase(used)}." if used else " Ingen ruta hänvisar till det."
        if lagrum.giltig_till is not None and lagrum.giltig_till < ctx.today:
            replacement = f" Det är ersatt av {lagrum.ersatt_av}." if lagrum.ersatt_av else ""
            yield make(
                "lagrum-upphävt",
                f"Lagrum {lagrum.id} ({name}) gäller inte längre: giltigt till "
                f"{lagrum.giltig_till.isoformat()}.{replacement}{used_txt}",
                ctx.registry_at("lagrum", lagrum.id, "giltig_till"),
                "Hänvisa till den lag som gäller nu, eller skriv i lagrummets not varför den "
                "gamla hänvisningen står kvar.",
                f"lagrum {lagrum.id}",
            )
        if not lagrum.länk:
            yield make(
                "lagrum-utan-länk",
                f"Lagrum {lagrum.id} ({name}) saknar länk till lagtexten.{used_txt}",
                ctx.registry_at("lagrum", lagrum.id),
                f"Lägg till länk:, t.ex. https://lagen.nu/{lagrum.sfs} eller Riksdagens "
                "webbplats för SFS " + lagrum.sfs + ".",
                f"lagrum {lagrum.id}",
            )


def _lagrum_users(ctx: Ctx) -> dict[str, list[str]]:
    """lagrum id -> qualified rutor that refer to it (built once, not per lagrum)."""
    users: dict[str, list[str]] = {}
    for _up, ruta, q in ctx.rutor():
        ids = list(ruta.lagrum)
        if ruta.samtycke:
            ids += ruta.samtycke.lagrum
        if ruta.frist:
            ids += ruta.frist.lagrum
        for id_ in dict.fromkeys(ids):
            users.setdefault(id_, []).append(q)
    return users


def _rutor_phrase(rutor: list[str]) -> str:
    return ("ruta " if len(rutor) == 1 else "rutorna ") + join_sv(rutor)


def check_missing_text(ctx: Ctx) -> Iterator[Finding]:
    """The guidance text is what a handläggare reads; slut rutor need only their rubrik."""
    for _up, ruta, q in ctx.rutor():
        if ruta.typ != "slut" and not (ruta.text or "").strip():
            yield make(
                "ruta-utan-text",
                f"Ruta {q} ({ruta.rubrik}) saknar vägledningstext.",
                ctx.at(q, "rubrik"),
                "Skriv handläggarstödets text för rutan i text: | (hela texten, inte omskriven).",
                f"ruta {q}",
            )


def check_handover_responsibility(ctx: Ctx) -> Iterator[Finding]:
    """People wait between authorities (Malmö's evaluation of Stegen): a hand-over should say
    who carries the case across and how long the person may have to wait."""
    for up, ruta, q in ctx.rutor():
        for way, target, way_path, _ in way_slots(ruta):
            target_up = ctx.model.qualify(up.id, target).split("/", 1)[0]
            if target_up == up.id:
                continue
            if way is not None and (way.ansvarig or way.väntetid):
                continue
            yield make(
                "överlämning-utan-ansvar",
                f"Ruta {q}: överlämningen till {target} anger varken ansvarig eller väntetid.",
                ctx.at(q, *way_path),
                "Ange ansvarig: (aktören som tar kontakten och bär ärendet över glappet) "
                "och gärna väntetid: (längsta väntan, t.ex. P14D).",
                f"ruta {q}",
            )


# ---------------------------------------------------------------- orchestration

Check = Callable[[Ctx], Iterable[Finding]]

REFERENCE_CHECKS: list[Check] = [
    check_ruta_references,
    check_underprocess_aktör,
    check_registry_references,
    check_samtycke_boolesk,
    check_typ_fields,
    check_answers,
    check_dead_ends,
    check_starts,
    check_links,
]

ADVICE_CHECKS: list[Check] = [
    check_lagrum,
    check_missing_text,
    check_handover_responsibility,
]

# Findings that make the graph meaningless: an edge to nowhere, two rutor with one id, or a
# consultation inside its own underprocess (it could never come back).
GRAPH_BLOCKERS = {"okänd-ruta", "okänd-underprocess", "dubblett-id", "konsultation-inom-underprocess"}


def check(model: Model, today: _dt.date | None = None, prior: Iterable[Finding] = ()) -> list[Finding]:
    """Every finding about `model`, sorted by file, line and column.

    `today` decides which lagrum are repealed (default: the real date). `prior` are findings
    the loader already made (e.g. duplicate ids); they are not repeated, but a duplicate ruta
    id stops the graph checks just like a broken reference does."""
    from processmodell import conditionchecks, graphchecks

    ctx = Ctx(model, today or _dt.date.today(), list(prior))
    findings: list[Finding] = []
    with gc_paused():
        for fn in REFERENCE_CHECKS + conditionchecks.CHECKS:
            findings.extend(fn(ctx))
        blocked = any(f.code in GRAPH_BLOCKERS for f in [*findings, *ctx.prior])
        if not blocked:
            findings.extend(graphchecks.check_graph(ctx))
        for fn in ADVICE_CHECKS:
            findings.extend(fn(ctx))
    findings.sort(key=Finding.sort_key)
    return findings

