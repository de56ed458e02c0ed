"""Conditions (villkor) on fakta: walking them. Evaluation lives here too (interpreter)."""

from __future__ import annotations

from collections.abc import Iterator

from processmodell.schema import (
    VillkorAlla,
    VillkorAntal,
    VillkorEnAv,
    VillkorInte,
    VillkorIntervall,
    VillkorLika,
    VillkorNågon,
)

Atom = VillkorLika | VillkorIntervall | VillkorEnAv


def children(villkor: object) -> list:
    """The sub-conditions of a combinator, [] for an atom."""
    if isinstance(villkor, VillkorAlla):
        return list(villkor.alla)
    if isinstance(villkor, VillkorNågon):
        return list(villkor.någon)
    if isinstance(villkor, VillkorInte):
        return [villkor.inte]
    if isinstance(villkor, VillkorAntal):
        return list(villkor.av)
    return []


def atoms(villkor: object) -> Iterator[Atom]:
    """Every atomic test (one fakta each) inside a condition, depth first."""
    if isinstance(villkor, (VillkorLika, VillkorIntervall, VillkorEnAv)):
        yield villkor
        return
    for child in children(villkor):
        yield from atoms(child)
