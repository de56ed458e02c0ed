"""Checks of conditions (villkor): known fakta, the right kind of value, and — as advice —
whether the answers of one beslut cover every value of the fakta exactly once.

Coverage is decided by cutting the fakta's range into segments at every bound a condition
names and evaluating each answer on one value per segment. That handles any combination of
alla/någon/inte/antal_minst without enumerating ages one by one.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from processmodell.checks import Ctx, make, suggest, way_slots
from processmodell.conditions import Atom, atoms, keyed_children
from processmodell.findings import Finding
from processmodell.model import YamlPath
from processmodell.schema import (
    Fakta,
    Ruta,
    Villkor,
    VillkorAlla,
    VillkorAntal,
    VillkorEnAv,
    VillkorInte,
    VillkorIntervall,
    VillkorLika,
    VillkorNågon,
    Väg,
)
from processmodell.wording import join_sv, quote_list

# ---------------------------------------------------------------- walking


def atoms_with_paths(villkor: Villkor, path: YamlPath) -> Iterator[tuple[Atom, YamlPath]]:
    if isinstance(villkor, (VillkorLika, VillkorIntervall, VillkorEnAv)):
        yield villkor, path
        return
    for child, key in keyed_children(villkor):
        yield from atoms_with_paths(child, (*path, *key))


def conditioned_ways(ruta: Ruta) -> Iterator[tuple[str, Villkor, YamlPath]]:
    """(answer label, villkor, path of the villkor) for every way that carries a condition."""
    for way, _target, way_path, _ in way_slots(ruta):
        if way is not None and way.villkor is not None:
            label = f"svaret '{way.svar}'" if way.svar else f"vägen till '{way.till}'"
            yield label, way.villkor, (*way_path, "villkor")


# ---------------------------------------------------------------- types


def atom_problem(atom: Atom, fakta: Fakta) -> tuple[str, str, str, str] | None:
    """(code, what is wrong, key, hint) when `atom` does not fit `fakta`'s type, else None."""
    typ = fakta.typ.value
    if isinstance(atom, VillkorIntervall):
        if typ != "heltal":
            return (
                "villkor-fel-typ",
                f"minst/högst, men faktan är av typen {typ}",
                "minst" if atom.minst is not None else "högst",
                "minst och högst gäller bara heltal. " + _hint_for(fakta),
            )
        return None
    if isinstance(atom, VillkorEnAv):
        if typ != "val":
            return (
                "villkor-fel-typ",
                f"en_av, men faktan är av typen {typ}",
                "en_av",
                "en_av gäller bara fakta av typen val. " + _hint_for(fakta),
            )
        unknown = [v for v in atom.en_av if v not in (fakta.alternativ or [])]
        if unknown:
            return (
                "villkor-okänt-värde",
                f"en_av med {quote_list(unknown)}, som inte finns bland faktans alternativ",
                "en_av",
                "Faktans alternativ: " + ", ".join(fakta.alternativ or []) + ".",
            )
        return None
    return _equality_problem(atom, fakta)


def _equality_problem(atom: VillkorLika, fakta: Fakta) -> tuple[str, str, str, str] | None:
    typ, value = fakta.typ.value, atom.är
    shown = repr(value) if isinstance(value, str) else str(value).lower()
    if typ == "boolesk":
        ok = isinstance(value, bool)
    elif typ == "heltal":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif typ == "datum":
        ok = isinstance(value, str) and _is_date(value)
    else:
        ok = isinstance(value, str)
    if not ok:
        return ("villkor-fel-typ", f"är: {shown}, men faktan är av typen {typ}", "är", _hint_for(fakta))
    if typ == "val" and value not in (fakta.alternativ or []):
        return (
            "villkor-okänt-värde",
            f"är: '{value}', som inte finns bland faktans alternativ",
            "är",
            suggest(str(value), fakta.alternativ or []),
        )
    return None


def _is_date(value: str) -> bool:
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _hint_for(fakta: Fakta) -> str:
    """How to write a condition on this fakta."""
    typ = fakta.typ.value
    examples = {
        "boolesk": f"skriv {{fakta: {fakta.id}, är: true}} eller är: false.",
        "heltal": f"skriv {{fakta: {fakta.id}, minst: 19, högst: 29}} eller är: 30 (ett heltal).",
        "text": f'skriv {{fakta: {fakta.id}, är: "text"}}.',
        "datum": f'skriv {{fakta: {fakta.id}, är: "2026-01-15"}} (ÅÅÅÅ-MM-DD inom citattecken).',
        "val": f"skriv {{fakta: {fakta.id}, en_av: [...]}} med faktans alternativ: "
        + ", ".join(fakta.alternativ or [])
        + ".",
    }
    return examples[typ][0].upper() + examples[typ][1:]


def bounds_problem(atom: Atom, fakta: Fakta) -> tuple[str, str] | None:
    """(what, key) when a heltal condition names a value outside the fakta's minst/högst."""
    if fakta.typ.value != "heltal" or (fakta.minst is None and fakta.högst is None):
        return None
    if isinstance(atom, VillkorLika) and isinstance(atom.är, int) and not isinstance(atom.är, bool):
        values = [("är", atom.är)]
    elif isinstance(atom, VillkorIntervall):
        values = [(k, v) for k, v in (("minst", atom.minst), ("högst", atom.högst)) if v is not None]
    else:
        return None
    for key, value in values:
        if fakta.minst is not None and value < fakta.minst:
            return f"{key}: {value}, lägre än faktans minsta värde {fakta.minst}", key
        if fakta.högst is not None and value > fakta.högst:
            return f"{key}: {value}, högre än faktans högsta värde {fakta.högst}", key
    return None


def check_condition_types(ctx: Ctx) -> Iterator[Finding]:
    """Conditions name declared fakta and compare them with values of the fakta's type."""
    fakta = ctx.model.fakta
    for _up, ruta, q in ctx.rutor():
        for label, villkor, vpath in conditioned_ways(ruta):
            for atom, path in atoms_with_paths(villkor, vpath):
                yield from _atom_findings(ctx, q, label, atom, path, fakta)


def _atom_findings(
    ctx: Ctx, q: str, label: str, atom: Atom, path: YamlPath, fakta: dict[str, Fakta]
) -> Iterator[Finding]:
    declared = fakta.get(atom.fakta)
    if declared is None:
        yield make(
            "okänd-fakta",
            f"Ruta {q}: villkoret för {label} nämner faktan '{atom.fakta}', som inte finns i faktaregistret.",
            ctx.at(q, *path, "fakta"),
            suggest(atom.fakta, fakta) + f" Lägg annars till '{atom.fakta}' under fakta:.",
            f"ruta {q}",
        )
        return
    problem = atom_problem(atom, declared)
    if problem is not None:
        code, what, key, hint = problem
        yield make(
            code,
            f"Ruta {q}: villkoret för {label} på faktan {declared.id} har {what}.",
            ctx.at(q, *path, key),
            hint,
            f"ruta {q}",
        )
        return
    outside = bounds_problem(atom, declared)
    if outside is not None:
        what, key = outside
        yield make(
            "villkor-utanför-gräns",
            f"Ruta {q}: villkoret för {label} på faktan {declared.id} har {what}.",
            ctx.at(q, *path, key),
            f"Faktan {declared.id} tillåter {_range_txt(declared)}: rätta villkoret, "
            "eller vidga faktans minst/högst om värdet kan förekomma.",
            f"ruta {q}",
        )


def _range_txt(fakta: Fakta) -> str:
    return _segment_txt((fakta.minst, fakta.högst))


# ---------------------------------------------------------------- coverage

Segment = tuple[int | None, int | None]  # inclusive; None is -inf / +inf


def single_fakta(villkor: Villkor) -> str | None:
    """The one fakta every atom of `villkor` tests, or None when it tests several."""
    names = {atom.fakta for atom in atoms(villkor)}
    return names.pop() if len(names) == 1 else None


def holds(villkor: Villkor, value: object) -> bool:
    """Evaluate a single-fakta condition for one value of that fakta (no other facts)."""
    if isinstance(villkor, VillkorLika):
        return type(villkor.är) is type(value) and villkor.är == value
    if isinstance(villkor, VillkorIntervall):
        # coverage_subject lets minst/högst through only on a heltal fakta, whose values are ints
        assert isinstance(value, int)
        return (villkor.minst is None or value >= villkor.minst) and (
            villkor.högst is None or value <= villkor.högst
        )
    if isinstance(villkor, VillkorEnAv):
        return value in villkor.en_av
    if isinstance(villkor, VillkorAlla):
        return all(holds(c, value) for c in villkor.alla)
    if isinstance(villkor, VillkorNågon):
        return any(holds(c, value) for c in villkor.någon)
    if isinstance(villkor, VillkorInte):
        return not holds(villkor.inte, value)
    if isinstance(villkor, VillkorAntal):
        return sum(holds(c, value) for c in villkor.av) >= villkor.antal_minst
    return False


def integer_segments(fakta: Fakta, villkor: list[Villkor]) -> list[Segment]:
    """Cut [minst, högst] at every bound the conditions name; within a segment every
    condition has one truth value."""
    cuts: set[int] = set()
    for v in villkor:
        for atom in atoms(v):
            if isinstance(atom, VillkorIntervall):
                if atom.minst is not None:
                    cuts.add(atom.minst)
                if atom.högst is not None:
                    cuts.add(atom.högst + 1)
            elif isinstance(atom, VillkorLika):
                # coverage_subject checked the atoms: `är` on a heltal fakta is an int
                assert isinstance(atom.är, int)
                cuts.update((atom.är, atom.är + 1))
    lo, hi = fakta.minst, fakta.högst
    inner = sorted(c for c in cuts if (lo is None or c > lo) and (hi is None or c <= hi))
    starts: list[int | None] = [lo, *inner]
    ends: list[int | None] = [*(c - 1 for c in inner), hi]
    return list(zip(starts, ends, strict=True))


def _representative(segment: Segment) -> int:
    lo, hi = segment
    return lo if lo is not None else (hi if hi is not None else 0)


def _segment_txt(segment: Segment) -> str:
    lo, hi = segment
    if lo is None and hi is None:
        return "alla värden"
    if lo is None:
        return f"{hi} och lägre"
    if hi is None:
        return f"{lo} och högre"
    return str(lo) if lo == hi else f"{lo}–{hi}"


def value_cells(fakta: Fakta, villkor: list[Villkor]) -> list[tuple[Segment | str, object]] | None:
    """(segment or label, representative value) for every distinguishable part of the range."""
    typ = fakta.typ.value
    if typ == "heltal":
        return [(s, _representative(s)) for s in integer_segments(fakta, villkor)]
    if typ == "boolesk":
        return [("true", True), ("false", False)]
    if typ == "val" and fakta.alternativ:
        return [(f"'{a}'", a) for a in fakta.alternativ]
    return None  # text and datum have no finite range to cover


def answer_conditions(ruta: Ruta) -> list[Villkor] | None:
    """The villkor of each answer of a beslut with two answers or more, in the answers' order;
    None when the ruta is no such beslut or some answer has no villkor."""
    answers = ruta.alternativ or []
    if ruta.typ != "beslut" or len(answers) < 2:
        return None
    conditions = [a.villkor for a in answers if a.villkor is not None]
    return conditions if len(conditions) == len(answers) else None


def coverage_subject(ctx: Ctx, conditions: list[Villkor]) -> Fakta | None:
    """The fakta to check coverage on: every answer conditioned on it alone, all well typed."""
    names = {single_fakta(v) for v in conditions}
    name = names.pop() if len(names) == 1 else None  # None also when the one name is None
    fakta = ctx.model.fakta.get(name) if name is not None else None
    if fakta is None:
        return None
    for v in conditions:
        for atom in atoms(v):
            if atom_problem(atom, fakta) is not None:
                return None
    return fakta


def check_coverage(ctx: Ctx) -> Iterator[Finding]:
    """Warn when the answers of a beslut overlap or leave values with no answer."""
    for _up, ruta, q in ctx.rutor():
        conditions = answer_conditions(ruta)
        fakta = coverage_subject(ctx, conditions) if conditions is not None else None
        if conditions is None or fakta is None:
            continue
        answers = ruta.alternativ or []
        cells = value_cells(fakta, conditions)
        if cells is None:
            continue
        overlaps, gaps = _classify(cells, conditions)
        if overlaps:
            yield _overlap_finding(ctx, q, fakta, overlaps, answers)
        if gaps:
            yield _gap_finding(ctx, q, fakta, gaps)


Cell = tuple[Segment | str, list[int]]  # a part of the range and the answers that hold there


def _classify(
    cells: list[tuple[Segment | str, object]], conditions: list[Villkor]
) -> tuple[list[Cell], list[Cell]]:
    """Cells where several answers hold, and cells where none does (by the answers' indexes in
    `conditions`); neighbouring integer segments with the same answers are merged (16–17 and
    18 become 16–18)."""
    hit_cells: list[Cell] = []
    for where, value in cells:
        hit_cells.append((where, [i for i, v in enumerate(conditions) if holds(v, value)]))
    merged = _merge(hit_cells)
    return [c for c in merged if len(c[1]) > 1], [c for c in merged if not c[1]]


def _merge(cells: list[Cell]) -> list[Cell]:
    out: list[Cell] = []
    for where, hits in cells:
        if out and isinstance(where, tuple) and isinstance(out[-1][0], tuple) and out[-1][1] == hits:
            prev_lo, prev_hi = out[-1][0]
            if prev_hi is not None and where[0] == prev_hi + 1:
                out[-1] = ((prev_lo, where[1]), hits)
                continue
        out.append((where, hits))
    return out


def _label(where: Segment | str) -> str:
    return _segment_txt(where) if isinstance(where, tuple) else where


def _overlap_finding(ctx: Ctx, q: str, fakta: Fakta, overlaps: list[Cell], answers: list[Väg]) -> Finding:
    parts = []
    for where, hits in overlaps:
        label = _label(where)
        names = [f"'{answers[i].svar or answers[i].till}'" for i in hits]
        both = "både " if len(names) == 2 else ""
        parts.append(f"{label} täcks av {both}{join_sv(names)}")
    first_second = overlaps[0][1][1]
    return make(
        "villkor-överlapp",
        f"Beslutet {q}: villkoren på {fakta.id} överlappar: " + "; ".join(parts) + ".",
        ctx.at(q, "alternativ", first_second, "villkor"),
        "Varje värde ska leda till exakt ett svar; justera minst/högst så att intervallen "
        "inte går in i varandra (t.ex. högst: 29 och minst: 30)."
        if fakta.typ.value == "heltal"
        else "Varje värde ska leda till exakt ett svar; ändra villkoren så att de utesluter varandra.",
        f"ruta {q}",
    )


def _gap_finding(ctx: Ctx, q: str, fakta: Fakta, gaps: list[Cell]) -> Finding:
    labels = [_label(where) for where, _ in gaps]
    if fakta.typ.value == "heltal":
        single = len(gaps) == 1 and gaps[0][0][0] == gaps[0][0][1]
        what = ("värdet " if single else "värden ") + join_sv(labels)
    else:
        what = f"{fakta.id} = " + join_sv(labels)
    return make(
        "villkor-lucka",
        f"Beslutet {q}: villkoren på {fakta.id} lämnar luckor: {what} leder ingenstans.",
        ctx.at(q, "alternativ"),
        "Lägg till ett svar för de värdena, vidga ett villkor, eller snäva in faktans "
        "minst/högst om värdena inte kan förekomma."
        if fakta.typ.value == "heltal"
        else "Lägg till ett svar för de värdena eller vidga ett villkor.",
        f"ruta {q}",
    )


CHECKS = [check_condition_types, check_coverage]
