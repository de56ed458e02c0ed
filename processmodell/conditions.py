"""Conditions (villkor) on fakta: walking them. Evaluation lives here too (interpreter)."""

from __future__ import annotations

from collections.abc import Iterator

from processmodell.schema import (
    Villkor,
    VillkorAlla,
    VillkorAntal,
    VillkorEnAv,
    VillkorInte,
    VillkorIntervall,
    VillkorLika,
    VillkorNågon,
)
from processmodell.wording import yes_no

Atom = VillkorLika | VillkorIntervall | VillkorEnAv


def keyed_children(villkor: Villkor) -> list[tuple[Villkor, tuple[str | int, ...]]]:
    """The sub-conditions of a combinator with their YAML keys (("alla", 0), ("inte",)), [] for
    an atom."""
    if isinstance(villkor, VillkorAlla):
        return [(c, ("alla", i)) for i, c in enumerate(villkor.alla)]
    if isinstance(villkor, VillkorNågon):
        return [(c, ("någon", i)) for i, c in enumerate(villkor.någon)]
    if isinstance(villkor, VillkorInte):
        return [(villkor.inte, ("inte",))]
    if isinstance(villkor, VillkorAntal):
        return [(c, ("av", i)) for i, c in enumerate(villkor.av)]
    return []


def children(villkor: Villkor) -> list[Villkor]:
    """The sub-conditions of a combinator, [] for an atom."""
    return [child for child, _ in keyed_children(villkor)]


def atoms(villkor: Villkor) -> Iterator[Atom]:
    """Every atomic test (one fakta each) inside a condition, depth first."""
    if isinstance(villkor, (VillkorLika, VillkorIntervall, VillkorEnAv)):
        yield villkor
        return
    for child in children(villkor):
        yield from atoms(child)


# ---------------------------------------------------------------- evaluation
# Three-valued: True, False, or None when a fakta the condition needs is not known yet.
# Every result comes with a short Swedish explanation ("ålder = 34 ≥ 30") that the walk
# records as the reason for a decision, so a case file says why a branch was taken.

Facts = dict[str, object]
Judgement = tuple[bool | None, str]


def evaluate(villkor: Villkor, facts: Facts) -> bool | None:
    """True or False when the facts decide the condition, None when a needed fakta is unknown."""
    return judge(villkor, facts)[0]


def explain(villkor: Villkor, facts: Facts) -> str:
    """The Swedish explanation of the condition's outcome, e.g. "ålder = 34 ≥ 30"."""
    return judge(villkor, facts)[1]


def judge(villkor: Villkor, facts: Facts) -> Judgement:
    """Evaluate and explain in one pass (the interpreter needs both)."""
    if isinstance(villkor, VillkorIntervall):
        return _judge_interval(villkor, facts)
    if isinstance(villkor, VillkorLika):
        return _judge_equal(villkor, facts)
    if isinstance(villkor, VillkorEnAv):
        return _judge_one_of(villkor, facts)
    if isinstance(villkor, VillkorAlla):
        return _judge_all([judge(c, facts) for c in villkor.alla])
    if isinstance(villkor, VillkorNågon):
        return _judge_any([judge(c, facts) for c in villkor.någon])
    if isinstance(villkor, VillkorInte):
        value, text = judge(villkor.inte, facts)
        # The child's explanation already states the fact that makes `inte` hold or fail.
        return (None if value is None else not value), text
    if isinstance(villkor, VillkorAntal):
        return _judge_count(villkor, [judge(c, facts) for c in villkor.av])
    raise TypeError(f"okänt villkor: {villkor!r}")


def _unknown(fakta: str) -> Judgement:
    return None, f"{fakta} är okänd"


def _same(value: object, expected: object) -> bool:
    # bool is an int in Python; `true` must never equal 1.
    return value == expected and isinstance(value, bool) == isinstance(expected, bool)


def _judge_equal(v: VillkorLika, facts: Facts) -> Judgement:
    if v.fakta not in facts or facts[v.fakta] is None:
        return _unknown(v.fakta)
    value = facts[v.fakta]
    if _same(value, v.är):
        return True, f"{v.fakta} = {yes_no(value)}"
    return False, f"{v.fakta} = {yes_no(value)}, inte {yes_no(v.är)}"


def _judge_interval(v: VillkorIntervall, facts: Facts) -> Judgement:
    value = facts.get(v.fakta)
    if not isinstance(value, int) or isinstance(value, bool):
        return _unknown(v.fakta)
    head = f"{v.fakta} = {value}"
    if v.minst is not None and value < v.minst:
        return False, f"{head} < {v.minst}"
    if v.högst is not None and value > v.högst:
        return False, f"{head} > {v.högst}"
    if v.minst is not None and v.högst is not None:
        return True, f"{head}, inom {v.minst}–{v.högst}"
    if v.minst is not None:
        return True, f"{head} ≥ {v.minst}"
    return True, f"{head} ≤ {v.högst}"


def _judge_one_of(v: VillkorEnAv, facts: Facts) -> Judgement:
    if v.fakta not in facts or facts[v.fakta] is None:
        return _unknown(v.fakta)
    value = facts[v.fakta]
    choices = ", ".join(v.en_av)
    if value in v.en_av:
        return True, f"{v.fakta} = {yes_no(value)}, en av {choices}"
    return False, f"{v.fakta} = {yes_no(value)}, inte en av {choices}"


def _texts(parts: list[Judgement], wanted: bool | None) -> list[str]:
    return [text for value, text in parts if value is wanted]


def _judge_all(parts: list[Judgement]) -> Judgement:
    if any(value is False for value, _ in parts):
        return False, " och ".join(_texts(parts, False))
    if any(value is None for value, _ in parts):
        return None, " och ".join(_texts(parts, None))
    return True, " och ".join(_texts(parts, True))


def _judge_any(parts: list[Judgement]) -> Judgement:
    if any(value is True for value, _ in parts):
        return True, " eller ".join(_texts(parts, True))
    if any(value is None for value, _ in parts):
        return None, " eller ".join(_texts(parts, None))
    return False, " och ".join(_texts(parts, False))


def _judge_count(v: VillkorAntal, parts: list[Judgement]) -> Judgement:
    true = _texts(parts, True)
    unknown = _texts(parts, None)
    head = f"{len(true)} av {len(parts)} villkor gäller (minst {v.antal_minst} krävs)"
    detail = "; ".join(true)
    if len(true) >= v.antal_minst:
        return True, f"{head}: {detail}"
    if len(true) + len(unknown) < v.antal_minst:
        return False, head + (f": {detail}" if detail else "")
    return None, f"{head}; okänt: " + ", ".join(unknown)
