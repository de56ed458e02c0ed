"""Delete each way forward of the real model in turn; validation must notice what breaks.

For every edge (a `nästa`, one answer of a beslut, or a `konsultera`) of flows/, a copy of
the model without that edge goes through the public `check`. Independently of the checker —
with naive fixpoint loops and breadth-first search written here — the test works out which
rutor become dead ends, unreachable, or trapped, and asserts that validation names exactly
those rutor: nothing missed, nothing extra.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import deque

import pytest

from processmodell.checks import check
from processmodell.model import Model

TODAY = dt.date(2026, 1, 1)
QUALIFIED = re.compile(r"[\w-]+/[\w-]+")


# ---------------------------------------------------------------- the model as plain data


def plain(model: Model) -> dict[str, dict]:
    """qualified ruta -> {typ, ways: [qualified], consult: qualified | None}, from the model's
    own edges (Model.edges_from, not the checker)."""
    out = {}
    for up in model.underprocesser.values():
        for ruta in up.rutor.values():
            edges = model.edges_from(up.id, ruta)
            out[f"{up.id}/{ruta.id}"] = {
                "typ": ruta.typ.value,
                "ways": [e.target for e in edges if e.kind != "konsultation"],
                "consult": next((e.target for e in edges if e.kind == "konsultation"), None),
            }
    return out


# ---------------------------------------------------------------- expected defects (independent)


def dead_ends(g: dict[str, dict]) -> set[str]:
    return {q for q, n in g.items() if n["typ"] != "slut" and not n["ways"]}


def returns(g: dict[str, dict]) -> set[str]:
    """Naive fixpoint: rutor from which a slut is reachable, a consultation counting only when
    the consulted ruta itself returns."""
    done = {q for q, n in g.items() if n["typ"] == "slut"}
    changed = True
    while changed:
        changed = False
        for q, n in g.items():
            if q in done:
                continue
            if n["consult"] is not None and n["consult"] not in done:
                continue
            if any(w in done for w in n["ways"]):
                done.add(q)
                changed = True
    return done


def successors(g: dict[str, dict], back: set[str], q: str) -> list[str]:
    """Where the case can go from q: the consulted ruta, and the ways forward if it returns."""
    n = g[q]
    out = [n["consult"]] if n["consult"] else []
    if n["consult"] is None or n["consult"] in back:
        out += n["ways"]
    return out


def reachable(g: dict[str, dict], back: set[str], sources) -> set[str]:
    seen = set(sources)
    queue = deque(seen)
    while queue:
        for nxt in successors(g, back, queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def expected_defects(g: dict[str, dict]) -> tuple[set[str], set[str], set[str]]:
    back = returns(g)
    dead = dead_ends(g)
    unreachable = set(g) - reachable(g, back, [q for q, n in g.items() if n["typ"] == "start"])
    exits = dead | {q for q, n in g.items() if n["typ"] == "slut"}
    # Trapped: no exit can be reached. Search backwards from the exits over the same moves.
    pred: dict[str, list[str]] = {q: [] for q in g}
    for q in g:
        for nxt in successors(g, back, q):
            pred[nxt].append(q)
    escape = set(exits)
    queue = deque(escape)
    while queue:
        for p in pred[queue.popleft()]:
            if p not in escape:
                escape.add(p)
                queue.append(p)
    return dead, unreachable, set(g) - escape


# ---------------------------------------------------------------- removing one edge


def edges(model: Model) -> list[tuple[str, str, int | None]]:
    """(underprocess, ruta, answer index or None for nästa, -1 for konsultera)."""
    out = []
    for up in model.underprocesser.values():
        for ruta in up.rutor.values():
            if ruta.alternativ is not None:
                out += [(up.id, ruta.id, i) for i in range(len(ruta.alternativ))]
            elif ruta.nästa is not None:
                out.append((up.id, ruta.id, None))
            if ruta.konsultera:
                out.append((up.id, ruta.id, -1))
    return out


def without(model: Model, up_id: str, ruta_id: str, which: int | None) -> Model:
    """A copy of the model (sharing everything unchanged) without one way forward."""
    entry = model.underprocesser[up_id]
    ruta = entry.rutor[ruta_id]
    if which == -1:
        changed = ruta.model_copy(update={"konsultera": None})
    elif which is None:
        changed = ruta.model_copy(update={"nästa": None})
    else:
        changed = ruta.model_copy(
            update={"alternativ": [w for i, w in enumerate(ruta.alternativ) if i != which]}
        )
    rutor = dict(entry.rutor)
    rutor[ruta_id] = changed
    ups = dict(model.underprocesser)
    ups[up_id] = dataclasses.replace(entry, rutor=rutor)
    return dataclasses.replace(model, underprocesser=ups)


def reported(model: Model) -> tuple[set[str], set[str], set[str]]:
    findings = check(model, today=TODAY)
    dead = {f.subject.removeprefix("ruta ") for f in findings if f.code == "återvändsgränd"}
    unreachable = {q for f in findings if f.code == "onåbar-ruta" for q in QUALIFIED.findall(f.message)}
    trapped = {q for f in findings if f.code == "fälla" for q in QUALIFIED.findall(f.message)}
    return dead, unreachable, trapped


def test_the_real_model_has_no_structural_defect(real_model) -> None:
    assert expected_defects(plain(real_model)) == (set(), set(), set())
    assert reported(real_model) == (set(), set(), set())


def test_every_single_edge_deletion_is_caught(real_model) -> None:
    all_edges = edges(real_model)
    assert len(all_edges) > 150  # the whole Stockholmsmodellen, not a sample
    seen = {"dead": 0, "unreachable": 0, "trapped": 0}
    for up_id, ruta_id, which in all_edges:
        broken = without(real_model, up_id, ruta_id, which)
        expected = expected_defects(plain(broken))
        got = reported(broken)
        where = f"utan väg {which} från {up_id}/{ruta_id}"
        assert got[0] == expected[0], f"återvändsgränd {where}"
        assert got[1] == expected[1], f"onåbar-ruta {where}"
        assert got[2] == expected[2], f"fälla {where}"
        for key, found in zip(seen, expected, strict=True):
            seen[key] += bool(found)
    # The test is not vacuous: each kind of defect arises from some deletion.
    assert all(seen.values()), seen


@pytest.mark.parametrize(
    ("up_id", "ruta_id", "answer", "code", "named"),
    [
        # vård 3 <-> 4 is a loop with an exit (4: Ja -> 5); without the exit it is a trap.
        ("vard", "4", "Ja", "fälla", {"vard/3", "vard/4", "vard/1", "vard/2"}),
    ],
)
def test_known_loop_becomes_a_trap_without_its_exit(real_model, up_id, ruta_id, answer, code, named) -> None:
    ruta = real_model.underprocesser[up_id].rutor[ruta_id]
    index = next(i for i, w in enumerate(ruta.alternativ) if w.svar == answer)
    findings = check(without(real_model, up_id, ruta_id, index), today=TODAY)
    trap = [f for f in findings if f.code == code]
    assert len(trap) == 1
    assert trap[0].message.startswith("Ärendet kan fastna i rutorna vard/3 och vard/4:")
    assert set(QUALIFIED.findall(trap[0].message)) >= named
