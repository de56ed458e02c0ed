"""Graph checks: unreachable rutor and traps, on one networkx DiGraph built once.

The graph's nodes are qualified rutor ("fk/5a"); its edges are every way forward. A ruta that
consults another underprocess (`konsultera: finsamteam/1`) has two kinds of out-edge:

- the call edge to the consulted ruta, always usable;
- its own ways forward, usable only when the consultation comes back, i.e. when a slut can
  be reached from the consulted ruta ("returns").

"Returns" is itself defined through consultations (a consulted underprocess may consult
another), so it is computed as a least fixpoint by one backward worklist pass.

Dead ends are reported by the structure layer; here they count as exits, so a ruta that only
leads to a dead end is not reported a second time as a trap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

import networkx as nx

from processmodell.checks import Ctx, join_sv, make
from processmodell.findings import Finding


def build_graph(ctx: Ctx) -> nx.DiGraph:
    """Nodes: every ruta (attrs: order, typ, konsultera). Edges: attrs `call` (the edge to a
    consulted ruta) and/or `after` (a way forward of a consulting ruta) and/or `plain`."""
    graph = nx.DiGraph()
    model = ctx.model
    order = 0
    for up in model.underprocesser.values():
        for ruta in up.rutor.values():
            q = f"{up.id}/{ruta.id}"
            consulted = model.qualify(up.id, ruta.konsultera) if ruta.konsultera else None
            graph.add_node(q, order=order, typ=ruta.typ.value, konsultera=consulted, ways=bool(ruta.ways()))
            order += 1
    for up in model.underprocesser.values():
        for ruta in up.rutor.values():
            for edge in model.edges_from(up.id, ruta):
                if edge.kind == "konsultation":
                    graph.add_edge(edge.source, edge.target, call=True)
                elif ruta.konsultera:
                    graph.add_edge(edge.source, edge.target, after=True)
                else:
                    graph.add_edge(edge.source, edge.target, plain=True)
    return graph


def returning(graph: nx.DiGraph) -> set[str]:
    """Rutor from which a slut can be reached (so a consultation entering there comes back).

    A plain ruta is in the set when a successor is; a consulting ruta when its consulted
    ruta is AND one of its ways forward is."""
    nodes = graph.nodes
    done = {n for n, typ in nodes(data="typ") if typ == "slut"}
    queue = deque(done)
    while queue:
        x = queue.popleft()
        for p, data in graph.pred[x].items():
            if p in done:
                continue
            if data.get("plain") or _consulting_returns(graph, p, done):
                done.add(p)
                queue.append(p)
    return done


def _consulting_returns(graph: nx.DiGraph, p: str, done: set[str]) -> bool:
    consulted = graph.nodes[p]["konsultera"]
    if consulted is None or consulted not in done:
        return False
    return any(d.get("after") and s in done for s, d in graph.succ[p].items())


def usable_graph(graph: nx.DiGraph, returns: set[str]) -> nx.DiGraph:
    """The graph without the ways forward of consultations that never come back."""
    dead = [
        (u, v)
        for u, v, d in graph.edges(data=True)
        if d.get("after")
        and not d.get("plain")
        and not d.get("call")
        and graph.nodes[u]["konsultera"] not in returns
    ]
    if not dead:
        return graph
    usable = graph.copy()
    usable.remove_edges_from(dead)
    return usable


def reach(adjacency, sources: Iterable[str]) -> set[str]:
    """Every node reachable from `sources` (included) over `adjacency` (succ or pred)."""
    seen = set(sources)
    queue = deque(seen)
    while queue:
        for nxt in adjacency[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def check_graph(ctx: Ctx) -> list[Finding]:
    graph = build_graph(ctx)
    returns = returning(graph)
    usable = usable_graph(graph, returns)
    findings = list(check_unreachable(ctx, usable, graph, returns))
    findings.extend(check_traps(ctx, usable))
    return findings


def _by_order(graph: nx.DiGraph, nodes: Iterable[str]) -> list[str]:
    return sorted(nodes, key=lambda n: graph.nodes[n]["order"])


def check_unreachable(
    ctx: Ctx, usable: nx.DiGraph, graph: nx.DiGraph, returns: set[str]
) -> Iterator[Finding]:
    """Rutor no start leads to, one finding per underprocess naming them all."""
    starts = [n for n, typ in usable.nodes(data="typ") if typ == "start"]
    reached = reach(usable.succ, starts)
    lost = _by_order(graph, (n for n in graph if n not in reached))
    per_up: dict[str, list[str]] = {}
    for q in lost:
        per_up.setdefault(q.split("/", 1)[0], []).append(q)
    for up_id, rutor in per_up.items():
        names = ("Ruta " if len(rutor) == 1 else "Rutorna ") + join_sv(rutor)
        yield make(
            "onåbar-ruta",
            f"{names} kan inte nås från någon startruta.",
            ctx.at(rutor[0], "id"),
            _unreachable_hint(graph, returns, rutor),
            f"ruta {rutor[0]}" if len(rutor) == 1 else f"underprocess {up_id}",
        )


def _unreachable_hint(graph: nx.DiGraph, returns: set[str], rutor: list[str]) -> str:
    """Name the consultation that never comes back when that is why a ruta is cut off."""
    stuck = sorted(
        {
            graph.nodes[u]["konsultera"]
            for r in rutor
            for u, d in graph.pred[r].items()
            if d.get("after") and graph.nodes[u]["konsultera"] not in returns
        }
    )
    if stuck:
        return (
            f"Ärendet kommer aldrig tillbaka från {join_sv(stuck)}: inget slut nås därifrån. "
            "Se till att den konsulterade underprocessen når ett slut."
        )
    return (
        "Lägg till en väg dit (nästa eller ett svar i en ruta som nås), gör rutan till "
        "start om ärendet kan börja där, eller ta bort den."
    )


def check_traps(ctx: Ctx, usable: nx.DiGraph) -> Iterator[Finding]:
    """Sets of rutor (loops) the case can enter but never leave for an end."""
    exits = [n for n, d in usable.nodes(data=True) if d["typ"] == "slut" or not d["ways"]]
    escape = reach(usable.pred, exits)
    trapped = [n for n in usable if n not in escape]
    if not trapped:
        return
    sub = usable.subgraph(trapped)
    condensed = nx.condensation(sub)
    members = condensed.graph["mapping"]
    inside: dict[int, list[str]] = {}
    for node, comp in members.items():
        inside.setdefault(comp, []).append(node)
    bottoms = [c for c in condensed if condensed.out_degree(c) == 0]
    groups = sorted(
        (_by_order(usable, inside[c]) for c in bottoms), key=lambda g: usable.nodes[g[0]]["order"]
    )
    for loop in groups:
        leading = _by_order(usable, (n for n in reach(sub.pred, loop) if n not in loop))
        also = f" Dit leder också {join_sv(leading)}." if leading else ""
        yield make(
            "fälla",
            f"Ärendet kan fastna i {'ruta' if len(loop) == 1 else 'rutorna'} {join_sv(loop)}: "
            f"därifrån leder ingen väg till något slut.{also}",
            ctx.at(loop[0], "id"),
            "Lägg till en väg ut ur slingan, t.ex. ett svar som leder till en ruta som når ett slut.",
            f"ruta {loop[0]}" if len(loop) == 1 else f"rutor {', '.join(loop)}",
        )
