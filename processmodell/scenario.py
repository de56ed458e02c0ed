"""Scenario files: a case with its fakta and answers, and what the walk must come to.

OpenFisca-style YAML, one scenario per file (see the team brief / README):

    namn: Kort beskrivning på svenska
    underprocess: soc-sjukskriven
    start: "1a"                  # optional
    datum: "2026-01-15"          # optional, for frister
    fakta: {ålder: 34, har_läkarintyg: true}
    svar: {"8": "Nej", "11": "13", "finsamteam/9": ["Ja", "Nej"]}
    förväntat:
      status: klar               # klar | väntar
      slut: soc-sjukskriven/sjukersättning   # when klar
      position: fk/3             # optional: where a waiting case stopped
      väg: [soc-sjukskriven/1a, ...]         # optional: the whole qualified path
      frister: [{ruta: fk/1, datum: "2026-02-14", status: öppen}]   # optional, see below
      skäl: ["ålder = 34 ≥ 30"]              # optional: substrings of derived reasons

`frister` lists every frist the case set, one entry per due date (a recurring frist gives
several), in the order they were set, each with its `status` where the walk stopped: `öppen`,
or `uppfylld` (the case reached the frist's `till`). A frist replaced because the case came back
to the same ruta while it was still open is not listed. `status` may be left out (then only ruta
and datum are compared); `frister: []` says the case set no frist at all. So a scenario shows
both which deadlines a walk creates and which of them a socialsekreterare still has to watch.

Running a folder gives a result per scenario and the coverage of the model: which rutor were
visited and which answers taken, per underprocess, by the scenarios that passed.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from processmodell.findings import os_reason
from processmodell.interpreter import (
    CHOSEN,
    DERIVED,
    KLAR,
    UPPFYLLD,
    ÖPPEN,
    AnswerBook,
    Case,
    FristDue,
    Interpreter,
    WalkError,
    path,
    walk,
)
from processmodell.model import Model, nearest_mark

TOP_KEYS = ("namn", "beskrivning", "underprocess", "start", "datum", "fakta", "svar", "förväntat", "not")
EXPECT_KEYS = ("status", "slut", "position", "väg", "frister", "skäl")


class ScenarioError(Exception):
    """A scenario file that cannot be read; the message names file:line:column."""


class _Fail(Protocol):
    """Makes the ScenarioError for a message at the YAML path `keys` (see read)."""

    def __call__(self, message: str, *keys: str | int) -> ScenarioError: ...


@dataclass
class Expected:
    status: str | None = None
    slut: str | None = None
    position: str | None = None
    väg: list[str] | None = None
    frister: list[tuple[str, str, str | None]] | None = None  # (ruta, datum, status or None)
    skäl: list[str] | None = None


@dataclass
class Scenario:
    file: str
    namn: str
    underprocess: str
    start: str | None
    datum: str | None
    fakta: dict[str, object]
    svar: dict[str, str | list[str]]
    förväntat: Expected

    @property
    def id(self) -> str:
        return Path(self.file).stem


@dataclass
class Mismatch:
    what: str  # status, slut, position, väg, frister, skäl, svar, fel
    message: str  # Swedish, one line
    detail: list[str] = field(default_factory=list)  # e.g. a path diff


@dataclass
class Result:
    scenario: Scenario
    mismatches: list[Mismatch]
    case: Case | None

    @property
    def ok(self) -> bool:
        return not self.mismatches


# ---------------------------------------------------------------- reading


def read(file: Path) -> Scenario:
    """Read one scenario file strictly (the flows' YAML rules); ScenarioError on any problem."""
    from processmodell.yamlstrict import YamlError, read_yaml

    name = str(file)
    try:
        data, marks = read_yaml(Path(file).read_bytes())
    except YamlError as exc:
        p = exc.problem
        raise ScenarioError(f"{name}:{p.line}:{p.column}: {p.message}") from None
    except OSError as exc:
        raise ScenarioError(f"{name}: kan inte läsas: {os_reason(exc)}") from None

    def fail(message: str, *keys: str | int) -> ScenarioError:
        line, col = nearest_mark(marks, keys)
        return ScenarioError(f"{name}:{line}:{col}: {message}")

    if not isinstance(data, dict):
        raise fail("en scenariofil ska vara en mappning med namn, underprocess, svar och förväntat")
    texts = _texts(data, fail)
    fakta = data.get("fakta") or {}
    if not isinstance(fakta, dict):
        raise fail("'fakta' ska vara en mappning, t.ex. {ålder: 34}", "fakta")
    return Scenario(
        name,
        texts["namn"] or "",
        texts["underprocess"] or "",
        texts["start"],
        texts["datum"],
        {str(k): v for k, v in fakta.items()},
        _answers(data.get("svar") or {}, fail),
        _expected(data["förväntat"], fail),
    )


def _texts(data: dict[str, Any], fail: _Fail) -> dict[str, str | None]:
    """Check the top-level keys; namn, underprocess, start and datum as text (None if left out)."""
    for key in data:
        if key not in TOP_KEYS:
            raise fail(f"okänd nyckel '{key}'; tillåtna: {', '.join(TOP_KEYS)}", key)
    for key in ("namn", "underprocess", "förväntat"):
        if key not in data:
            raise fail(f"nyckeln '{key}' saknas")
    texts: dict[str, str | None] = {}
    for key in ("namn", "underprocess", "start", "datum"):
        value = data.get(key)
        if value is not None and not _is_text(value):
            raise fail(f"'{key}' ska vara text", key)
        texts[key] = None if value is None else str(value)
    if texts["datum"] is not None:
        try:
            dt.date.fromisoformat(texts["datum"])
        except ValueError:
            raise fail(f"datum '{texts['datum']}' ska skrivas ÅÅÅÅ-MM-DD", "datum") from None
    return texts


def _answers(data: Any, fail: _Fail) -> dict[str, str | list[str]]:
    if not isinstance(data, dict):
        raise fail("'svar' ska vara en mappning RUTA: SVAR, t.ex. {\"5\": Ja}", "svar")
    out: dict[str, str | list[str]] = {}
    for key, value in data.items():
        if isinstance(value, list) and value and all(_is_text(v) for v in value):
            out[str(key)] = [str(v) for v in value]
        elif _is_text(value):
            out[str(key)] = str(value)
        else:
            raise fail(f"svaret för ruta {key} ska vara text eller en lista med texter", "svar", key)
    return out


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _expected(data: Any, fail: _Fail) -> Expected:
    if not isinstance(data, dict):
        raise fail("'förväntat' ska vara en mappning med t.ex. status och slut", "förväntat")
    for key in data:
        if key not in EXPECT_KEYS:
            allowed = ", ".join(EXPECT_KEYS)
            raise fail(f"okänd nyckel '{key}' i förväntat; tillåtna: {allowed}", "förväntat", key)
    exp = Expected()
    status = data.get("status")
    if status is not None and status not in ("klar", "väntar"):
        raise fail(f"status ska vara klar eller väntar, inte '{status}'", "förväntat", "status")
    exp.status = status
    for key in ("slut", "position"):
        value = data.get(key)
        if value is not None:
            if not isinstance(value, str) or "/" not in value:
                raise fail(f"'{key}' ska vara en kvalificerad ruta, t.ex. fk/4", "förväntat", key)
            setattr(exp, key, value)
    if "väg" in data:
        väg = data["väg"]
        if not isinstance(väg, list) or not all(isinstance(x, str) for x in väg):
            raise fail("'väg' ska vara en lista med kvalificerade rutor", "förväntat", "väg")
        exp.väg = list(väg)
    if "frister" in data:
        exp.frister = _frister(data["frister"], fail)
    if "skäl" in data:
        skäl = data["skäl"]
        if not isinstance(skäl, list) or not all(isinstance(x, str) for x in skäl):
            raise fail("'skäl' ska vara en lista med texter", "förväntat", "skäl")
        exp.skäl = list(skäl)
    return exp


FRIST_STATES = (ÖPPEN, UPPFYLLD)


def _frister(data: Any, fail: _Fail) -> list[tuple[str, str, str | None]]:
    if not isinstance(data, list):
        raise fail("'frister' ska vara en lista med {ruta, datum, status}", "förväntat", "frister")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not {"ruta", "datum"} <= set(item) <= {"ruta", "datum", "status"}:
            raise fail("varje frist ska ha ruta och datum, och kan ha status", "förväntat", "frister", i)
        status = item.get("status")
        if status is not None and status not in FRIST_STATES:
            states = ", ".join(FRIST_STATES)
            raise fail(
                f"fristens status ska vara en av {states}, inte '{status}'",
                "förväntat", "frister", i, "status",
            )  # fmt: skip
        out.append((str(item["ruta"]), str(item["datum"]), status))
    return out


def files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


# ---------------------------------------------------------------- running


def run(interp: Interpreter, scenario: Scenario) -> Result:
    """Walk the scenario's case and compare with what it expects."""
    date = scenario.datum or "2026-01-01"  # a fixed date, so frister do not depend on today
    try:
        case = interp.start(scenario.underprocess, scenario.start, scenario.fakta, date)
    except WalkError as exc:
        return Result(scenario, [Mismatch("fel", exc.message)], None)
    # An answer keyed to a ruta that can never take one (no such ruta, or not a beslut) is a
    # mistake in the scenario, said as such; the walk goes on with the others.
    usable, wrong = {}, []
    for key, value in scenario.svar.items():
        first = value[0] if isinstance(value, list) else value
        try:
            interp.check_answer_key(key, first, scenario.underprocess)
            usable[key] = value
        except WalkError as exc:
            wrong.append(Mismatch("svar", exc.message.replace("--svar ", "svaret ", 1)))
    book = AnswerBook(usable)
    try:
        walk(interp, case, book, date)
    except WalkError as exc:
        return Result(scenario, [*wrong, Mismatch("fel", exc.message)], case)
    return Result(scenario, [*compare(interp, scenario, case, book), *wrong], case)


def compare(interp: Interpreter, scenario: Scenario, case: Case, book: AnswerBook) -> list[Mismatch]:
    exp = scenario.förväntat
    out: list[Mismatch] = []
    status = interp.status(case)
    where = f"{case.position} ({interp.nodes[case.position].ruta.rubrik})"
    if exp.status is not None and exp.status != status:
        out.append(Mismatch("status", f"status: förväntat {exp.status}, fick {status} i {where}"))
    if exp.slut is not None and (status != KLAR or case.position != exp.slut):
        out.append(Mismatch("slut", f"slut: förväntat {exp.slut}, fick {where} ({status})"))
    if exp.position is not None and case.position != exp.position:
        out.append(Mismatch("position", f"position: förväntat {exp.position}, fick {where}"))
    got = path(case)
    if exp.väg is not None and exp.väg != got:
        diff = list(difflib.unified_diff(exp.väg, got, "förväntat", "fick", lineterm="", n=2))[2:]
        out.append(Mismatch("väg", "vägen skiljer sig från den förväntade", diff))
    if exp.frister is not None:
        mismatch = _frist_mismatch(exp.frister, interp.frister(case))
        if mismatch is not None:
            out.append(mismatch)
    reasons = [e.reason or "" for e in case.events if e.how == DERIVED]
    for wanted in exp.skäl or []:
        if not any(wanted in r for r in reasons):
            have = "; ".join(reasons) or "(inga härledda beslut)"
            out.append(Mismatch("skäl", f"skäl '{wanted}' finns inte bland de härledda skälen: {have}"))
    unused = book.unused()
    if unused:
        out.append(Mismatch("svar", f"svar som aldrig användes: {', '.join(unused)}"))
    return out


def _frist_mismatch(wanted: list[tuple[str, str, str | None]], due: list[FristDue]) -> Mismatch | None:
    """Compare ruta and datum of every frist set, and its status where the scenario gives one."""
    got = [(f.ruta, f.datum, f.status) for f in due]
    same = len(got) == len(wanted) and all(
        (r, d) == (gr, gd) and s in (None, gs) for (r, d, s), (gr, gd, gs) in zip(wanted, got, strict=True)
    )
    if same:
        return None
    with_status = any(s is not None for _, _, s in wanted)

    def show(items: Sequence[tuple[str, str, str | None]]) -> str:
        return (
            ", ".join(f"{r} {d}" + (f" ({s})" if with_status and s else "") for r, d, s in items) or "(inga)"
        )

    return Mismatch("frister", f"frister: förväntat {show(wanted)}; fick {show(got)}")


def run_folder(interp: Interpreter, folder: Path) -> tuple[list[Result], list[str]]:
    """Every scenario file in `folder`: results, and the files that could not be read."""
    results, errors = [], []
    for file in files(folder):
        try:
            scenario = read(file)
        except ScenarioError as exc:
            errors.append(str(exc))
            continue
        results.append(run(interp, scenario))
    return results, errors


# ---------------------------------------------------------------- coverage


@dataclass
class UnderprocessCoverage:
    id: str
    rutor: list[str]  # qualified, in source order
    answers: list[tuple[str, str]]  # (qualified ruta, answer text)
    visited: set[str] = field(default_factory=set)
    taken: set[tuple[str, str]] = field(default_factory=set)

    @property
    def uncovered_rutor(self) -> list[str]:
        return [r for r in self.rutor if r not in self.visited]

    @property
    def uncovered_answers(self) -> list[tuple[str, str]]:
        return [a for a in self.answers if a not in self.taken]

    @property
    def rutor_percent(self) -> float:
        return percent(len(self.rutor) - len(self.uncovered_rutor), len(self.rutor))

    @property
    def answers_percent(self) -> float:
        return percent(len(self.answers) - len(self.uncovered_answers), len(self.answers))


@dataclass
class Coverage:
    underprocesser: list[UnderprocessCoverage]

    def totals(self) -> tuple[int, int, int, int]:
        """(rutor visited, rutor, answers taken, answers)."""
        ups = self.underprocesser
        rutor = sum(len(u.rutor) for u in ups)
        answers = sum(len(u.answers) for u in ups)
        visited = rutor - sum(len(u.uncovered_rutor) for u in ups)
        taken = answers - sum(len(u.uncovered_answers) for u in ups)
        return visited, rutor, taken, answers

    @property
    def complete(self) -> bool:
        visited, rutor, taken, answers = self.totals()
        return visited == rutor and taken == answers


def percent(part: int, whole: int) -> float:
    """Coverage in per cent; nothing to cover counts as fully covered."""
    return 100.0 if whole == 0 else 100.0 * part / whole


def coverage(model: Model, cases: Iterable[Case]) -> Coverage:
    """Which rutor and answers of `model` the given cases visited and took."""
    ups = {}
    for up in model.underprocesser.values():
        rutor = [f"{up.id}/{r.id}" for r in up.rutor.values()]
        answers = [
            (f"{up.id}/{r.id}", w.svar) for r in up.rutor.values() for w in (r.alternativ or []) if w.svar
        ]
        ups[up.id] = UnderprocessCoverage(up.id, rutor, answers)
    for case in cases:
        for qualified in path(case):
            entry = ups.get(qualified.split("/", 1)[0])
            if entry is not None:
                entry.visited.add(qualified)
        for e in case.events:
            if e.how in (CHOSEN, DERIVED) and e.answer:
                entry = ups.get(e.ruta.split("/", 1)[0])
                if entry is not None:
                    entry.taken.add((e.ruta, e.answer))
    return Coverage(list(ups.values()))
