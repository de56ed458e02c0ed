"""Graph checks: unreachable rutor and traps, on one networkx DiGraph built once.

The graph's nodes are qualified rutor ("fk/5a"); its edges are every way forward. A ruta that
consults another underprocess (`konsultera: finsamteam/1`) has two kinds of out-edge:

- the call edge to the consulted ruta, always usable;
- its own ways forward, usable only when the consultation comes back, i.e. when a slut can
  be reached from the consulted ruta ("returns").

"Returns" is itself defined through consultations (a consulted underprocess may consult
another), so it is computed as a least fixpoint by one backward worklist pass.

Traversals run over the DiGraph's adjacency directly (one pass each); networkx's own
algorithms are used on the (small) trapped part only, for its strongly connected components.

Dead ends are reported by the structure layer; here they count as exits, so a ruta that only
leads to a dead end is not reported a second time as a trap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from processmodell.checks import Ctx, make, way_targets
from processmodell.findings import Finding
from processmodell.wording import join_sv

if TYPE_CHECKING:  # imported lazily at run time: see Adjacency
    import networkx as nx


class Adjacency:
    """Successors and predecessors of every node, the part of a networkx DiGraph the
    reachability checks use. networkx itself is imported only when a trap has been found and
    its loops must be named (condensation): importing it costs more than validating the
    whole Stockholmsmodellen."""

    def __init__(self) -> None:
        self.succ: dict[str, dict[str, None]] = {}
        self.pred: dict[str, dict[str, None]] = {}

    def add_nodes_from(self, nodes: Iterable[str]) -> None:
        for node in nodes:
            self.succ.setdefault(node, {})
            self.pred.setdefault(node, {})

    def add_edges_from(self, edges: Iterable[tuple[str, str]]) -> None:
        for u, v in edges:
            self.add_nodes_from((u, v))
            self.succ[u][v] = None
            self.pred[v][u] = None

    def edges_within(self, nodes: set[str]) -> Iterator[tuple[str, str]]:
        for u in nodes:
            for v in self.succ[u]:
                if v in nodes:
                    yield u, v


@dataclass
class FlowGraph:
    """The model as one directed graph (qualified rutor, every way forward and every call
    edge to a consulted ruta), plus what the checks need to know about each node."""

    graph: Adjacency
    order: dict[str, int]  # source order, for messages and locations
    starts: list[str]
    exits: list[str]  # slut rutor and dead ends (dead ends are reported elsewhere)
    slut: list[str]
    consults: dict[str, str]  # consulting ruta -> consulted ruta
    after: dict[str, list[str]]  # consulting ruta -> its ways forward (taken on return)


def build_graph(ctx: Ctx) -> FlowGraph:
    graph = Adjacency()
    fg = FlowGraph(graph, {}, [], [], [], {}, {})
    edges: list[tuple[str, str]] = []
    for order, (up, ruta, q) in enumerate(ctx.rutor()):
        fg.order[q] = order
        targets = [ctx.model.qualify(up.id, t) for t in way_targets(ruta)]
        if ruta.typ == "start":
            fg.starts.append(q)
        if ruta.typ == "slut":
            fg.slut.append(q)
        if ruta.typ == "slut" or not targets:
            fg.exits.append(q)
        if ruta.konsultera:
            consulted = ctx.model.qualify(up.id, ruta.konsultera)
            fg.consults[q] = consulted
            fg.after[q] = targets
            edges.append((q, consulted))
        edges.extend((q, t) for t in targets)
    graph.add_nodes_from(fg.order)
    graph.add_edges_from(edges)
    return fg


def returning(fg: FlowGraph) -> set[str]:
    """Rutor from which a slut can be reached (so a consultation entering there comes back).

    A plain ruta is in the set when a successor is; a consulting ruta when its consulted
    ruta is AND one of its ways forward is. One backward worklist pass (least fixpoint)."""
    done = set(fg.slut)
    queue = deque(done)
    pred = fg.graph.pred
    while queue:
        x = queue.popleft()
        for p in pred[x]:
            if p in done:
                continue
            consulted = fg.consults.get(p)
            if consulted is None or (consulted in done and any(w in done for w in fg.after[p])):
                done.add(p)
                queue.append(p)
    return done


def stuck_consultations(fg: FlowGraph, returns: set[str]) -> set[str]:
    """Consulting rutor whose consultation never comes back: their ways forward are unusable."""
    return {q for q, consulted in fg.consults.items() if consulted not in returns}


def usable(fg: FlowGraph, stuck: set[str], u: str, v: str) -> bool:
    """Can the case take the edge u -> v? Not a way forward of a consultation that never
    returns (the call edge itself is always usable)."""
    return u not in stuck or v == fg.consults[u]


def reach_forward(fg: FlowGraph, stuck: set[str], sources: Iterable[str]) -> set[str]:
    succ = fg.graph.succ
    return _reach(sources, lambda x: (fg.consults[x],) if x in stuck else succ[x])


def reach_backward(fg: FlowGraph, stuck: set[str], targets: Iterable[str]) -> set[str]:
    pred = fg.graph.pred
    return _reach(targets, lambda x: (p for p in pred[x] if usable(fg, stuck, p, x)))


def _reach(start: Iterable[str], step: Callable[[str], Iterable[str]]) -> set[str]:
    """Breadth-first: every node `step` leads to from `start`, `start` included."""
    seen = set(start)
    queue = deque(seen)
    while queue:
        for nxt in step(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def check_graph(ctx: Ctx) -> list[Finding]:
    fg = build_graph(ctx)
    stuck = stuck_consultations(fg, returning(fg))
    findings = list(check_unreachable(ctx, fg, stuck))
    findings.extend(check_traps(ctx, fg, stuck))
    return findings


def _by_order(fg: FlowGraph, nodes: Iterable[str]) -> list[str]:
    return sorted(nodes, key=fg.order.__getitem__)


def check_unreachable(ctx: Ctx, fg: FlowGraph, stuck: set[str]) -> Iterator[Finding]:
    """Rutor no start leads to, one finding per underprocess naming them all."""
    reached = reach_forward(fg, stuck, fg.starts)
    if len(reached) == len(fg.order):
        return
    per_up: dict[str, list[str]] = {}
    for q in fg.order:  # source order
        if q not in reached:
            per_up.setdefault(q.split("/", 1)[0], []).append(q)
    for up_id, rutor in per_up.items():
        names = ("Ruta " if len(rutor) == 1 else "Rutorna ") + join_sv(rutor)
        yield make(
            "onåbar-ruta",
            f"{names} kan inte nås från någon startruta.",
            ctx.at(rutor[0], "id"),
            _unreachable_hint(fg, stuck, rutor),
            f"ruta {rutor[0]}" if len(rutor) == 1 else f"underprocess {up_id}",
        )


def _unreachable_hint(fg: FlowGraph, stuck: set[str], rutor: list[str]) -> str:
    """Name the consultation that never comes back when that is why a ruta is cut off."""
    pred = fg.graph.pred
    never = sorted({fg.consults[u] for r in rutor for u in pred[r] if not usable(fg, stuck, u, r)})
    if never:
        return (
            f"Ärendet kommer aldrig tillbaka från {join_sv(never)}: inget slut nås därifrån. "
            "Se till att den konsulterade underprocessen når ett slut."
        )
    return (
        "Lägg till en väg dit (nästa eller ett svar i en ruta som nås), gör rutan till "
        "start om ärendet kan börja där, eller ta bort den."
    )


def check_traps(ctx: Ctx, fg: FlowGraph, stuck: set[str]) -> Iterator[Finding]:
    """Sets of rutor (loops) the case can enter but never leave for an end."""
    escape = reach_backward(fg, stuck, fg.exits)
    if len(escape) == len(fg.order):
        return
    trapped = [n for n in fg.order if n not in escape]
    import networkx as nx  # only now: see Adjacency

    # The trapped part is small; give it its own graph without the unusable edges.
    sub = nx.DiGraph()
    sub.add_nodes_from(trapped)
    sub.add_edges_from((u, v) for u, v in fg.graph.edges_within(set(trapped)) if usable(fg, stuck, u, v))
    condensed = nx.condensation(sub)
    inside: dict[int, list[str]] = {}
    for node, comp in condensed.graph["mapping"].items():
        inside.setdefault(comp, []).append(node)
    bottoms = [_by_order(fg, inside[c]) for c in condensed if condensed.out_degree(c) == 0]
    for loop in sorted(bottoms, key=lambda g: fg.order[g[0]]):
        leading = _by_order(fg, (n for n in _ancestors(sub, loop) if n not in loop))
        also = f" Dit leder också {join_sv(leading)}." if leading else ""
        yield make(
            "fälla",
            f"Ärendet kan fastna i {'ruta' if len(loop) == 1 else 'rutorna'} {join_sv(loop)}: "
            f"därifrån leder ingen väg till något slut.{also}",
            ctx.at(loop[0], "id"),
            "Lägg till en väg ut ur slingan, t.ex. ett svar som leder till en ruta som når ett slut.",
            f"ruta {loop[0]}" if len(loop) == 1 else f"rutor {', '.join(loop)}",
        )


def _ancestors(graph: nx.DiGraph, nodes: list[str]) -> set[str]:
    import networkx as nx

    seen: set[str] = set(nodes)
    for node in nodes:
        seen |= nx.ancestors(graph, node)
    return seen
