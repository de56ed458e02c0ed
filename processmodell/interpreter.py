"""Walking a case (ärende) through the process map.

A `Case` is plain data: the model's content hash, where it started, the fakta it was given,
and a log of events. Where the case is now (ruta, consultation stack, fakta incl. consent) is
derived from that log, so undoing steps is truncating the log and replaying it, and a case
file needs nothing but the log to be trusted again.

An `Interpreter` is built once per model: it indexes every ruta's ways forward, so a step
costs the same in a 10-ruta map as in a 10,000-ruta one.

Semantics (see the team brief):
- start/steg with one way: taken automatically.
- beslut: each answer's villkor is evaluated on the known fakta; answers whose villkor is false
  are not offered; when exactly one answer is true and every other answer is false (an answer
  without villkor is never decided), it is taken automatically, with the reason recorded.
- samtycke: the ruta cannot be left until the consent fakta is true. At a beslut the user may
  instead take an answer whose villkor is about that consent (the "no consent" way).
- konsultera: before leaving the ruta, the case visits the consulted ruta; when it reaches a
  slut there it comes back and continues with this ruta's ways forward.
- a way to another underprocess is a hand-over: the case continues there.
- frist: open from the ruta that sets it until the case reaches one of its `till` rutor (met);
  see `frist_log`.

Nothing here prints, prompts or imports the CLI.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from processmodell import frister as _frister
from processmodell.conditions import atoms, judge
from processmodell.model import Model
from processmodell.personnummer import refusal
from processmodell.schema import Frist, Ruta, Samtycke, Villkor
from processmodell.wording import join_sv

# ---------------------------------------------------------------- vocabulary of the log

START = "start"  # the case was opened at `ruta`
CHOSEN = "valt"  # the user chose an answer (or a step's only way)
DERIVED = "härlett"  # fakta decided the answer; `reason` says how
AUTO = "automatisk"  # a start/steg with one way forward
CONSENT = "samtycke"  # consent recorded: fakta[0] is now true
CONSULT = "konsultation"  # the case went to the consulted ruta; `ruta` is pushed
RETURN = "återkomst"  # a slut reached during a consultation: back to the consulting ruta
FACTS = "fakta"  # fakta set during the walk (values in `values`)

USER_ACTIONS = frozenset({CHOSEN, CONSENT, FACTS})

KLAR = "klar"  # at an end, no consultation pending
VÄNTAR = "väntar"  # waiting for an answer or consent

FLÖDE = "flöde"
ÖVERLÄMNING = "överlämning"
KONSULTATION = "konsultation"
ÅTERKOMST = "återkomst"


@dataclass(slots=True)
class Event:
    how: str
    ruta: str  # qualified ruta where it happened (the ruta left, or where consent was given)
    target: str | None = None  # qualified ruta the case moved to; None for consent/fakta
    answer: str | None = None  # the answer's text at a beslut
    kind: str | None = None  # flöde | överlämning | konsultation | återkomst
    reason: str | None = None  # the condition's explanation for a derived answer
    fakta: list[str] | None = None  # fakta a derived answer used, or the ones set
    values: dict[str, object] | None = None  # FACTS events: the values set
    date: str = ""  # the case's date (YYYY-MM-DD), for frister
    time: str = ""  # when it was recorded (UTC, ISO 8601)
    note: str | None = None  # the user's free-text note (never identity)


@dataclass
class Case:
    """One walk. `events` is the truth; the fields below it are derived by `replay`."""

    model_hash: str
    underprocess: str  # where the case was opened
    start: str  # qualified start ruta
    initial_facts: dict[str, object]
    events: list[Event] = field(default_factory=list)
    # derived
    position: str = ""
    stack: tuple[str, ...] = ()  # consulting rutor to come back to, innermost last
    returned: bool = False  # the consultation of `position` is done
    facts: dict[str, object] = field(default_factory=dict)

    @property
    def current_underprocess(self) -> str:
        return self.position.split("/", 1)[0]


def replay(case: Case) -> None:
    """Derive position, stack and fakta from the event log (no model needed)."""
    position, returned = case.start, False
    stack: tuple[str, ...] = ()
    facts = dict(case.initial_facts)
    for e in case.events:
        if e.how == START:
            position = e.ruta
        elif e.how == CONSENT:
            for name in e.fakta or ():
                facts[name] = True
        elif e.how == FACTS:
            facts.update(e.values or {})
        elif e.how == CONSULT:
            stack = (*stack, e.ruta)
            position, returned = e.target or position, False
        elif e.how == RETURN:
            stack = stack[:-1]
            position, returned = e.target or position, True
        else:
            position, returned = e.target or position, False
    case.position, case.stack, case.returned, case.facts = position, stack, returned, facts


def path(case: Case) -> list[str]:
    """The qualified rutor the case has visited, in order (a return is not a new visit)."""
    out = [case.start]
    for e in case.events:
        if e.target is not None and e.how != RETURN:
            out.append(e.target)
    return out


# ---------------------------------------------------------------- errors


class WalkError(Exception):
    """Input the walk cannot use. `message` is Swedish for the user; `choices` the valid ones."""

    def __init__(self, message: str, choices: Iterable[str] = (), unknown: bool = False):
        super().__init__(message)
        self.message = message
        self.choices = list(choices)
        self.unknown = unknown  # an answer that matches nothing here (not one that is refused)


# ---------------------------------------------------------------- the index


@dataclass(frozen=True, slots=True)
class Way:
    answer: str | None
    key: str | None  # answer.casefold(), for matching what the user typed
    target: str  # qualified
    local: str  # as written in the YAML ("7" or "fk/1")
    kind: str  # flöde | överlämning | konsultation
    villkor: Villkor | None
    fakta: tuple[str, ...]  # fakta the villkor reads
    ansvarig: str | None = None
    väntetid: str | None = None


@dataclass(frozen=True, slots=True)
class Node:
    qualified: str
    ruta: Ruta
    kind: str  # start | steg | beslut | slut
    ways: tuple[Way, ...]
    consult: Way | None  # the konsultation as a way
    consent: str | None  # samtycke fakta
    auto: Way | None  # a start/steg's only, unconditional way: the hot path of a walk
    conditional: bool  # some way has a villkor, so fakta may decide it


@dataclass
class Choice:
    way: Way
    reason: str | None = None  # why offered (villkor true) or why not (villkor false)


@dataclass
class Options:
    """What the user can do at the case's current ruta."""

    status: str  # klar | väntar
    ruta: str
    node: Node
    offered: list[Choice]
    excluded: list[Choice]  # not offered, with the reason
    consent: Samtycke | None = None  # consent that is still missing here
    decided: Choice | None = None  # what a walk would take without asking
    returning_to: str | None = None  # at a slut inside a consultation: where the case goes back
    fakta: tuple[str, ...] = ()  # unknown fakta the offered answers' villkor read: they would decide it
    refused: bool = False  # the missing consent was refused (its fakta is false), not just not given

    @property
    def question(self) -> str:
        """What is asked here: a beslut's fråga when its rubrik is not itself a question."""
        ruta = self.node.ruta
        return ruta.fråga or ruta.rubrik


def _today() -> str:
    return dt.date.today().isoformat()


def _iso_date(date: dt.date | str | None) -> str:
    if date is None:
        return _today()
    if isinstance(date, dt.date):
        return date.isoformat()
    return _checked_date(date)


@functools.lru_cache(maxsize=64)
def _checked_date(text: str) -> str:
    return dt.date.fromisoformat(text).isoformat()


# (whole second, its ISO text): events recorded in the same second share one string
_clock: list = [None, ""]


def _now() -> str:
    second = int(time.time())
    if _clock[0] != second:
        _clock[0] = second
        _clock[1] = dt.datetime.fromtimestamp(second, dt.UTC).isoformat(timespec="seconds")
    return _clock[1]


class Interpreter:
    """Walks cases through one model. Build once; every operation is O(ways of one ruta)."""

    def __init__(self, model: Model):
        self.model = model
        self.nodes: dict[str, Node] = {}
        self.first_start: dict[str, str] = {}  # underprocess -> its first start ruta's id
        for up in model.underprocesser.values():
            for ruta in up.rutor.values():
                node = self._node(up.id, ruta)
                self.nodes[node.qualified] = node
                if node.kind == "start":
                    self.first_start.setdefault(up.id, ruta.id)

    def _node(self, up_id: str, ruta: Ruta) -> Node:
        qualified = f"{up_id}/{ruta.id}"
        ways = []
        # A plain `nästa: "7"` needs no Väg object (building one per ruta is pydantic work).
        raw = [ruta.nästa] if isinstance(ruta.nästa, str) else ruta.ways()
        for way in raw:
            if isinstance(way, str):
                target = self.model.qualify(up_id, way)
                kind = FLÖDE if target.split("/", 1)[0] == up_id else ÖVERLÄMNING
                ways.append(Way(None, None, target, way, kind, None, ()))
                continue
            target = self.model.qualify(up_id, way.till)
            kind = FLÖDE if target.split("/", 1)[0] == up_id else ÖVERLÄMNING
            ways.append(
                Way(
                    answer=way.svar,
                    key=way.svar.casefold() if way.svar else None,
                    target=target,
                    local=way.till,
                    kind=kind,
                    villkor=way.villkor,
                    fakta=tuple(dict.fromkeys(a.fakta for a in atoms(way.villkor))) if way.villkor else (),
                    ansvarig=way.ansvarig,
                    väntetid=way.väntetid,
                )
            )
        consult = None
        if ruta.konsultera:
            target = self.model.qualify(up_id, ruta.konsultera)
            consult = Way(None, None, target, ruta.konsultera, KONSULTATION, None, ())
        typ = ruta.typ.value
        auto = None
        if typ in ("start", "steg") and len(ways) == 1 and ways[0].villkor is None:
            auto = ways[0]
        consent = ruta.samtycke.fakta if ruta.samtycke else None
        conditional = any(w.villkor is not None for w in ways)
        return Node(qualified, ruta, typ, tuple(ways), consult, consent, auto, conditional)

    # ------------------------------------------------------------ opening a case

    def start(
        self,
        underprocess: str,
        start_ruta: str | None = None,
        facts: Mapping[str, object] | None = None,
        date: dt.date | str | None = None,
    ) -> Case:
        entry = self.model.underprocesser.get(underprocess)
        if entry is None:
            names = sorted(self.model.underprocesser)
            raise WalkError(f"Okänd underprocess '{underprocess}'. Välj en av: {', '.join(names)}.", names)
        if start_ruta is None:
            if underprocess not in self.first_start:
                raise WalkError(f"Underprocessen {underprocess} har ingen startruta.")
            rid = self.first_start[underprocess]
        else:
            rid = start_ruta.split("/", 1)[1] if start_ruta.startswith(f"{underprocess}/") else start_ruta
            if rid not in entry.rutor:
                ids = list(entry.rutor)
                starts = ", ".join(r.id for r in entry.starts())
                raise WalkError(
                    f"Ruta '{start_ruta}' finns inte i {underprocess}. Startrutor: {starts}; "
                    f"alla rutor: {', '.join(ids)}.",
                    ids,
                )
        given, problems = check_facts(self.model, dict(facts or {}))
        if problems:
            raise WalkError("Fakta som inte går att använda:\n" + "\n".join(f"- {p}" for p in problems))
        qualified = f"{underprocess}/{rid}"
        case = Case(self.model.content_hash, underprocess, qualified, given)
        case.events.append(Event(START, qualified, date=_iso_date(date), time=_now()))
        replay(case)
        return case

    # ------------------------------------------------------------ what can happen here

    def node(self, qualified: str) -> Node:
        try:
            return self.nodes[qualified]
        except KeyError:
            raise WalkError(f"Ruta {qualified} finns inte i modellen.") from None

    def options(self, case: Case) -> Options:
        node = self.node(case.position)
        if node.kind == "slut":
            if case.stack:
                return Options(VÄNTAR, node.qualified, node, [], [], returning_to=case.stack[-1])
            return Options(KLAR, node.qualified, node, [], [])
        consent = None
        if node.consent is not None and case.facts.get(node.consent) is not True:
            consent = node.ruta.samtycke
        if node.consult is not None and not case.returned:
            choice = Choice(node.consult)
            if consent is not None:
                refused = case.facts.get(consent.fakta) is False
                return Options(
                    VÄNTAR,
                    node.qualified,
                    node,
                    [],
                    [Choice(node.consult, _needs(consent))],
                    consent,
                    refused=refused,
                )
            return Options(VÄNTAR, node.qualified, node, [choice], [], decided=choice)
        offered, excluded, results = [], [], []
        for way in node.ways:
            value, text = judge(way.villkor, case.facts) if way.villkor is not None else (None, None)
            results.append(value)
            if value is False:
                excluded.append(Choice(way, f"villkoret gäller inte: {text}"))
            elif consent is not None and consent.fakta not in way.fakta:
                excluded.append(Choice(way, _needs(consent)))
            else:
                offered.append(Choice(way, text if value else None))
        decided = None
        if consent is None:
            decided = self._decided(node, offered, results)
        unknown: tuple[str, ...] = ()
        if decided is None:
            read = (name for c in offered for name in c.way.fakta)
            unknown = tuple(dict.fromkeys(n for n in read if n not in case.facts))
        refused = consent is not None and case.facts.get(consent.fakta) is False
        return Options(
            VÄNTAR, node.qualified, node, offered, excluded, consent, decided, fakta=unknown, refused=refused
        )

    @staticmethod
    def _decided(node: Node, offered: list[Choice], results: list[bool | None]) -> Choice | None:
        if node.auto is not None:
            return offered[0]
        # Exactly one true and every other false; an answer without villkor is never decided.
        if len(offered) == 1 and results.count(True) == 1 and results.count(False) == len(results) - 1:
            return offered[0]
        return None

    # ------------------------------------------------------------ moving

    def choose(
        self, case: Case, answer: str, date: dt.date | str | None = None, note: str | None = None
    ) -> Event:
        """Take the offered answer `answer` (its text, case-insensitive, or its target ruta)."""
        return self.choose_from(self.options(case), case, answer, date, note)

    def choose_from(
        self,
        opts: Options,
        case: Case,
        answer: str,
        date: dt.date | str | None = None,
        note: str | None = None,
    ) -> Event:
        """`choose` with the options already at hand (they must be the case's current ones)."""
        if opts.status == KLAR:
            raise WalkError(f"Ärendet är redan klart (ruta {opts.ruta}); det finns inget att välja.")
        choice = self._match(opts, answer)
        _check_note(note)
        if choice.way.kind == KONSULTATION:
            event = Event(CONSULT, opts.ruta, choice.way.target, kind=KONSULTATION)
        else:
            event = Event(CHOSEN, opts.ruta, choice.way.target, choice.way.answer, choice.way.kind)
        event.date, event.time, event.note = _iso_date(date), _now(), note
        self._apply(case, event)
        return event

    def _match(self, opts: Options, answer: str) -> Choice:
        wanted = answer.strip()
        key = wanted.casefold()

        def hits(choices: list[Choice]) -> list[Choice]:
            by_text = [c for c in choices if c.way.key is not None and c.way.key == key]
            if by_text:
                return by_text
            return [
                c for c in choices if wanted in (c.way.local, c.way.target, c.way.target.split("/", 1)[1])
            ]

        offered = hits(opts.offered)
        if len(offered) == 1:
            return offered[0]
        listing = [describe_way(c.way) for c in opts.offered]
        where = f"ruta {opts.ruta} ({opts.question})"
        if len(offered) > 1:
            raise WalkError(
                f"'{answer}' passar flera svar vid {where}; skriv svarets text: {', '.join(listing)}.",
                listing,
            )
        refused = hits(opts.excluded)
        if refused:
            reason = refused[0].reason
            tail = f" Välj ett av: {', '.join(listing)}." if listing else ""
            raise WalkError(f"Svaret '{answer}' erbjuds inte vid {where}: {reason}.{tail}", listing)
        if not listing:
            raise WalkError(f"Vid {where} finns inget svar att välja just nu.", listing, unknown=True)
        raise WalkError(
            f"Svaret '{answer}' finns inte vid {where}. Välj ett av: {', '.join(listing)}.",
            listing,
            unknown=True,
        )

    def record_samtycke(
        self, case: Case, fakta: str | None = None, date: dt.date | str | None = None, note: str | None = None
    ) -> Event:
        """Record the person's consent (a boolean fakta becomes true)."""
        node = self.node(case.position)
        name = fakta or node.consent
        if name is None:
            raise WalkError(
                f"Ruta {node.qualified} kräver inget samtycke; ange vilken samtyckesfakta som avses."
            )
        declared = self.model.fakta.get(name)
        if declared is None or declared.typ.value != "boolesk":
            raise WalkError(f"'{name}' är ingen samtyckesfakta (boolesk fakta) i modellen.")
        _check_note(note)
        event = Event(CONSENT, node.qualified, fakta=[name], date=_iso_date(date), time=_now(), note=note)
        self._apply(case, event)
        return event

    def refuse_samtycke(self, case: Case, date: dt.date | str | None = None) -> Event:
        """Record that the person does not consent: the consent fakta becomes false. The case
        stays at the ruta (it cannot be left without consent); at a beslut, an answer for the
        case without consent may now be offered. Undo with `back` like any step."""
        node = self.node(case.position)
        if node.consent is None:
            raise WalkError(f"Ruta {node.qualified} kräver inget samtycke.")
        return self.set_facts(case, {node.consent: False}, date)

    def set_facts(self, case: Case, values: Mapping[str, object], date: dt.date | str | None = None) -> Event:
        """Add or change fakta during the walk (undoable like any step)."""
        given, problems = check_facts(self.model, dict(values))
        if problems:
            raise WalkError("Fakta som inte går att använda:\n" + "\n".join(f"- {p}" for p in problems))
        event = Event(
            FACTS, case.position, fakta=sorted(given), values=given, date=_iso_date(date), time=_now()
        )
        self._apply(case, event)
        return event

    def add_note(self, case: Case, text: str) -> None:
        """Attach a free-text note to the latest event (refused if it holds a personnummer)."""
        _check_note(text)
        last = case.events[-1]
        last.note = f"{last.note}\n{text}" if last.note else text

    def back(self, case: Case, n: int = 1, only_choices: bool = True) -> int:
        """Undo the last `n` steps; returns how many were undone.

        only_choices=True (a non-interactive walk): a step is a user action (answer, consent,
        fakta), together with every automatic move after it, so the case lands on the question
        that was answered. only_choices=False (stepping one ruta at a time): every event is a
        step. The opening event is never undone."""
        if n < 1:
            return 0
        if only_choices:
            marks = [i for i, e in enumerate(case.events) if i > 0 and e.how in USER_ACTIONS]
        else:
            marks = list(range(1, len(case.events)))
        if not marks:
            del case.events[1:]  # nothing to undo but automatic moves: back to the opening
            replay(case)
            return 0
        undone = min(n, len(marks))
        del case.events[marks[-undone] :]
        replay(case)
        return undone

    def step(self, case: Case, date: dt.date | str | None = None) -> Event | None:
        """Take one automatic move if there is one (steg, decided beslut, consultation, return)."""
        event = self._automatic(case)
        if event is None:
            return None
        event.date, event.time = _iso_date(date), _now()
        self._apply(case, event)
        return event

    def advance(self, case: Case, date: dt.date | str | None = None) -> Options:
        """Take every automatic move; stop at a question, a missing consent or an end."""
        when, now = _iso_date(date), _now()
        nodes, events, facts = self.nodes, case.events, case.facts
        position, stack, returned = case.position, case.stack, case.returned
        seen: set[tuple[str, bool, tuple[str, ...]]] = set()
        try:
            while True:
                state = (position, returned, stack)
                if state in seen:
                    raise WalkError(
                        f"Ärendet går runt i en slinga utan fråga vid ruta {position}; "
                        "modellen har en fälla (kör processmodell validera)."
                    )
                seen.add(state)
                node = nodes.get(position)
                if node is None:
                    raise WalkError(f"Ruta {position} finns inte i modellen.")
                way = node.auto
                # Hot path: a steg with one unconditional way, no consent or consultation pending.
                if (
                    way is not None
                    and (node.consent is None or facts.get(node.consent) is True)
                    and (node.consult is None or returned)
                ):
                    events.append(Event(AUTO, position, way.target, None, way.kind, date=when, time=now))
                    position, returned = way.target, False
                    continue
                case.position, case.stack, case.returned = position, stack, returned
                event = self._automatic(case)
                if event is None:
                    return self.options(case)
                event.date, event.time = when, now
                self._apply(case, event)
                position, stack, returned = case.position, case.stack, case.returned
        finally:
            # The hot path moves local variables only; the case must always match its log.
            case.position, case.stack, case.returned = position, stack, returned

    def _automatic(self, case: Case) -> Event | None:
        """The automatic move from the current ruta, or None when the user must act."""
        node = self.node(case.position)
        if node.kind == "slut":
            return Event(RETURN, node.qualified, case.stack[-1], kind=ÅTERKOMST) if case.stack else None
        if node.consent is not None and case.facts.get(node.consent) is not True:
            return None
        if node.consult is not None and not case.returned:
            return Event(CONSULT, node.qualified, node.consult.target, kind=KONSULTATION)
        if node.auto is not None:
            return Event(AUTO, node.qualified, node.auto.target, None, node.auto.kind)
        if not node.conditional:
            return None  # a question no fakta can answer
        opts = self.options(case)
        if opts.returning_to is not None:
            return Event(RETURN, opts.ruta, opts.returning_to, kind=ÅTERKOMST)
        decided = opts.decided
        if decided is None:
            return None
        way = decided.way
        if way.kind == KONSULTATION:
            return Event(CONSULT, opts.ruta, way.target, kind=KONSULTATION)
        if opts.node.kind == "beslut" or way.villkor is not None:
            return Event(
                DERIVED,
                opts.ruta,
                way.target,
                way.answer,
                way.kind,
                reason=decided.reason,
                fakta=list(way.fakta),
            )
        return Event(AUTO, opts.ruta, way.target, way.answer, way.kind)

    @staticmethod
    def _apply(case: Case, event: Event) -> None:
        case.events.append(event)
        if event.how == CONSENT:
            for name in event.fakta or ():
                case.facts[name] = True
        elif event.how == FACTS:
            case.facts.update(event.values or {})
        elif event.how == CONSULT:
            case.stack = (*case.stack, event.ruta)
            case.position, case.returned = event.target or case.position, False
        elif event.how == RETURN:
            case.stack = case.stack[:-1]
            case.position, case.returned = event.target or case.position, True
        else:
            case.position, case.returned = event.target or case.position, False

    # ------------------------------------------------------------ answers given up front

    def beslut_ids(self, underprocess: str) -> list[str]:
        """The ids of the rutor in `underprocess` that take an answer (its beslut), in source order."""
        entry = self.model.underprocesser.get(underprocess)
        if entry is None:
            return []
        return [rid for rid in entry.rutor if self.nodes[f"{underprocess}/{rid}"].kind == "beslut"]

    def check_answer_key(self, key: str, value: str, underprocess: str) -> None:
        """Refuse an answer keyed to a ruta that can never take it (WalkError listing the beslut).

        A qualified key must name a beslut; an unqualified one a beslut in some underprocess.
        An answer for a beslut the walk never reaches is fine (it is reported as unused)."""
        given = f"--svar {key}={value}"
        if "/" in key:
            up, _, rid = key.partition("/")
            if up not in self.model.underprocesser:
                names = sorted(self.model.underprocesser)
                raise WalkError(
                    f"{given}: underprocessen '{up}' finns inte.{_did_you_mean(up, names)} "
                    f"Välj en av: {', '.join(names)}.",
                    names,
                )
            self._must_be_beslut(given, up, rid)
            return
        ups = list(self.model.underprocesser)
        if any(self.nodes[f"{u}/{key}"].kind == "beslut" for u in ups if f"{u}/{key}" in self.nodes):
            return
        holders = [u for u in ups if f"{u}/{key}" in self.nodes]
        holder = underprocess if underprocess in holders else (holders[0] if holders else None)
        if holder is None:
            ids = self.beslut_ids(underprocess)
            raise WalkError(
                f"{given}: ruta {key} finns inte i någon underprocess; "
                f"beslut i {underprocess}: {', '.join(ids) or '(inga)'}.",
                ids,
            )
        self._must_be_beslut(given, holder, key)

    def _must_be_beslut(self, given: str, up: str, rid: str) -> None:
        ids = self.beslut_ids(up)
        listing = f"beslut i {up}: {', '.join(ids) or '(inga)'}"
        node = self.nodes.get(f"{up}/{rid}")
        if node is None:
            raise WalkError(f"{given}: ruta {up}/{rid} finns inte; {listing}.", ids)
        if node.kind != "beslut":
            raise WalkError(
                f"{given}: ruta {up}/{rid} är {KIND_PHRASES[node.kind]} och har inga svar; {listing}.", ids
            )

    # ------------------------------------------------------------ reading a case

    def status(self, case: Case) -> str:
        node = self.node(case.position)
        return KLAR if node.kind == "slut" and not case.stack else VÄNTAR

    def frist_log(self, case: Case) -> list[FristSet]:
        """Every frist the case has set, in order, with its state (see `FristSet`).

        A frist is open from the ruta that sets it until the case reaches its `till`; then it
        is met. Without `till` it stays open: the walk reaching an end or leaving the
        underprocess does not do what the frist asks for (FK still has to decide within 30
        days, the slutdokumentation still has to be sent), so the summary keeps it with its
        date. A frist set again at the same ruta (a loop) replaces the one still open there."""
        sets: list[FristSet] = []
        open_at: dict[str, int] = {}  # ruta -> index in `sets` of its open frist
        for e in case.events:
            arrived = e.ruta if e.how == START else e.target
            if arrived is None:
                continue  # consent and fakta do not move the case
            for ruta, i in list(open_at.items()):
                if arrived in sets[i].till:
                    sets[i] = sets[i].met(arrived, e.date)
                    del open_at[ruta]
            node = self.nodes.get(arrived)
            if e.how == RETURN or node is None or node.ruta.frist is None:
                continue  # coming back to the consulting ruta is not a new arrival there
            frist = node.ruta.frist
            up = arrived.split("/", 1)[0]
            till = tuple(self.model.qualify(up, t) for t in frist.till_rutor())
            made = FristSet(arrived, frist, e.date, till)
            if arrived in open_at:
                sets[open_at[arrived]] = made  # set again at the same ruta: replaces the open one
            else:
                open_at[arrived] = len(sets)
                sets.append(made)
        return sets

    def frister(self, case: Case) -> list[FristDue]:
        """Every due date of every frist the case has set (open or met)."""
        return [d for s in self.frist_log(case) for d in s.due()]

    def open_frister(self, case: Case) -> list[FristDue]:
        """The due dates of the frister that are still open, in the order they were set."""
        return open_due(self.frist_log(case))


ÖPPEN = "öppen"
UPPFYLLD = "uppfylld"


@dataclass(frozen=True)
class FristDue:
    ruta: str
    beskrivning: str
    datum: str  # due date, YYYY-MM-DD
    från: str  # the date the case reached the ruta
    återkommande: bool
    lagrum: tuple[str, ...] = ()
    status: str = ÖPPEN  # öppen | uppfylld: the state of the frist that set this date

    def as_dict(self) -> dict[str, object]:
        return {
            "ruta": self.ruta,
            "beskrivning": self.beskrivning,
            "datum": self.datum,
            "från": self.från,
            "återkommande": self.återkommande,
            "lagrum": list(self.lagrum),
        }


@dataclass(frozen=True)
class FristSet:
    """One frist set by the case at a ruta, and what became of it."""

    ruta: str  # qualified ruta that set it
    frist: Frist
    från: str  # the date the case reached the ruta
    till: tuple[str, ...] = ()  # qualified rutor where it is met
    state: str = ÖPPEN  # öppen | uppfylld
    vid: str | None = None  # qualified ruta where it was met
    avslutad: str | None = None  # the date of that

    @property
    def beskrivning(self) -> str:
        return self.frist.beskrivning

    def met(self, vid: str, date: str) -> FristSet:
        """This frist, met when the case reached `vid` on `date`."""
        return replace(self, state=UPPFYLLD, vid=vid, avslutad=date)

    def due(self) -> list[FristDue]:
        return due(self.ruta, self.frist, dt.date.fromisoformat(self.från), self.state)


def open_due(sets: Iterable[FristSet]) -> list[FristDue]:
    """The due dates of the frister in `sets` that are still open, in order."""
    return [d for s in sets if s.state == ÖPPEN for d in s.due()]


def due(ruta: str, frist: Frist, start: dt.date, state: str = ÖPPEN) -> list[FristDue]:
    recurring = frist.var is not None
    law = tuple(frist.lagrum)
    return [
        FristDue(ruta, frist.beskrivning, d.isoformat(), start.isoformat(), recurring, law, state)
        for d in _frister.due_dates(start, frist)
    ]


KIND_PHRASES = {"start": "en startruta", "steg": "ett steg", "beslut": "ett beslut", "slut": "en slutruta"}


def _did_you_mean(word: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.6)
    return f" Menade du '{close[0]}'?" if close else ""


def _needs(consent: Samtycke) -> str:
    return f"kräver samtycke ({consent.fakta}): {consent.beskrivning}"


def _check_note(note: str | None) -> None:
    if note:
        problem = refusal(note)
        if problem:
            raise WalkError(problem)


def describe_way(way: Way) -> str:
    """How an answer is listed for the user: 'Ja' (→ 7), or → 7 for a step."""
    target = way.target if way.kind != FLÖDE else way.target.split("/", 1)[1]
    if way.answer:
        return f"'{way.answer}' (→ {target})"
    return f"→ {target}"


# ---------------------------------------------------------------- fakta


def check_facts(model: Model, facts: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """Validate fakta against the model's declarations. Returns (normalised fakta, problems)."""
    out: dict[str, object] = {}
    problems: list[str] = []
    known = ", ".join(sorted(model.fakta)) or "(inga)"
    for name, value in facts.items():
        decl = model.fakta.get(name)
        if decl is None:
            hint = _did_you_mean(name, model.fakta)
            problems.append(f"okänd fakta '{name}'.{hint} Modellen känner till: {known}")
            continue
        typ = decl.typ.value
        problem = _fact_problem(name, typ, value, decl.minst, decl.högst, decl.alternativ)
        if problem:
            problems.append(problem)
            continue
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out, problems


def _fact_problem(
    name: str, typ: str, value: object, minst: int | None, högst: int | None, choices: list[str] | None
) -> str | None:
    # Quote what the user wrote: a YAML/JSON true is 'true' in the file, not "ja".
    shown = _as_written(value)
    if typ == "boolesk" and not isinstance(value, bool):
        return f"fakta '{name}' ska vara true eller false (boolesk), inte {shown}"
    if typ == "heltal":
        if not isinstance(value, int) or isinstance(value, bool):
            return f"fakta '{name}' ska vara ett heltal, inte {shown}"
        if minst is not None and value < minst:
            return f"fakta '{name}' = {value} är mindre än lägsta tillåtna värde {minst}"
        if högst is not None and value > högst:
            return f"fakta '{name}' = {value} är större än högsta tillåtna värde {högst}"
    if typ == "text" and not isinstance(value, str):
        return f"fakta '{name}' ska vara text, inte {shown}"
    if typ == "val" and value not in (choices or []):
        return f"fakta '{name}' ska vara ett av {', '.join(choices or [])}, inte {shown}"
    if typ == "datum":
        return _date_problem(name, value, shown)
    return None


def _as_written(value: object) -> str:
    """A fakta value as the user wrote it in a YAML or JSON file: 'true', 'trettio', 34."""
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


def _date_problem(name: str, value: object, shown: str) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return f"fakta '{name}' ska vara ett datum ÅÅÅÅ-MM-DD, inte {shown}"


_YES = frozenset({"ja", "j", "yes", "y", "true"})
_NO = frozenset({"nej", "n", "no", "false"})


def fact_question(model: Model, name: str) -> str:
    """The fakta's question as asked on screen: 'Hur gammal är individen? (år)'."""
    decl = model.fakta.get(name)
    if decl is None:
        return name
    typ = decl.typ.value
    if typ == "heltal":
        hint = decl.enhet or "ett heltal"
    elif typ == "boolesk":
        hint = "ja/nej"
    elif typ == "val":
        hint = join_sv(decl.alternativ or [], "eller")
    elif typ == "datum":
        hint = "ÅÅÅÅ-MM-DD"
    else:
        hint = ""
    return f"{decl.fråga} ({hint})" if hint else decl.fråga


def fact_from_text(model: Model, name: str, text: str) -> object:
    """What the user typed for fakta `name`, as a value of its type (WalkError says how to write it)."""
    decl = model.fakta.get(name)
    if decl is None:
        raise WalkError(f"Fakta '{name}' finns inte i modellen.")
    raw = text.strip()
    typ = decl.typ.value
    if typ == "boolesk":
        if raw.casefold() in _YES | _NO:
            return raw.casefold() in _YES
        raise WalkError("Svara ja eller nej.")
    if typ == "heltal":
        return _integer(raw, decl.minst, decl.högst, decl.enhet)
    if typ == "val":
        choices = decl.alternativ or []
        if raw.isdigit() and 1 <= int(raw) <= len(choices):
            return choices[int(raw) - 1]
        for choice in choices:
            if choice.casefold() == raw.casefold():
                return choice
        raise WalkError(f"Välj ett av: {', '.join(choices)}.", choices)
    if typ == "datum":
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise WalkError("Skriv ett datum ÅÅÅÅ-MM-DD, t.ex. 2026-01-15.") from None
    if not raw:
        raise WalkError("Skriv en text.")
    _check_note(raw)  # text fakta are stored in the case file: never identity
    return raw


def _integer(raw: str, minst: int | None, högst: int | None, enhet: str | None) -> int:
    unit = f" {enhet}" if enhet else ""
    if minst is not None and högst is not None:
        want = f"Skriv ett heltal mellan {minst} och {högst}{unit}."
    elif minst is not None:
        want = f"Skriv ett heltal, minst {minst}{unit}."
    elif högst is not None:
        want = f"Skriv ett heltal, högst {högst}{unit}."
    else:
        want = "Skriv ett heltal."
    number = raw.removesuffix(enhet).strip() if enhet else raw  # "34 år" is 34
    try:
        value = int(number)
    except ValueError:
        raise WalkError(f"'{raw}' är inget heltal. {want}") from None
    if (minst is not None and value < minst) or (högst is not None and value > högst):
        raise WalkError(f"{value} ligger utanför det tillåtna. {want}")
    return value


# ---------------------------------------------------------------- answers given up front


class AnswerBook:
    """Answers keyed by ruta, as on the command line (`--svar 5=Ja`) or in a scenario file.

    A qualified key ("finsamteam/9") applies to that ruta only; an unqualified key ("5") to a
    ruta with that id in whichever underprocess the case is in (qualified keys win). A ruta
    visited several times takes its answers in order; each answer is used once."""

    def __init__(self, answers: Mapping[str, str | list[str]] | None = None):
        self._queues: dict[str, deque[str]] = {}
        for key, value in (answers or {}).items():
            values = value if isinstance(value, list) else [value]
            self._queues[str(key)] = deque(str(v) for v in values)

    @classmethod
    def parse(cls, items: Iterable[str]) -> AnswerBook:
        """From `RUTA=SVAR` strings; repeated keys queue up in order."""
        answers: dict[str, list[str]] = {}
        for item in items:
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise WalkError(f"--svar '{item}' ska skrivas RUTA=SVAR, t.ex. 5=Ja eller 11=13.")
            answers.setdefault(key.strip(), []).append(value.strip())
        return cls(answers)

    def take(self, qualified: str) -> str | None:
        local = qualified.split("/", 1)[1]
        for key in (qualified, local):
            queue = self._queues.get(key)
            if queue:
                return queue.popleft()
        return None

    def given(self) -> list[tuple[str, str]]:
        """(key, first value) of every key given, in order: for checking the keys up front."""
        return [(key, queue[0]) for key, queue in self._queues.items() if queue]

    def unused(self) -> list[str]:
        return [f"{key}={value}" for key, queue in self._queues.items() for value in queue]


def walk(interp: Interpreter, case: Case, answers: AnswerBook, date: dt.date | str | None = None) -> Options:
    """Advance as far as fakta and answers allow; returns the options where it stopped."""
    while True:
        opts = interp.advance(case, date)
        if opts.status == KLAR or not opts.offered:
            return opts
        answer = answers.take(opts.ruta)
        if answer is None:
            return opts
        interp.choose_from(opts, case, answer, date)


def decisions(case: Case) -> list[Event]:
    """The events a reader of the case wants explained: answers, consent, consultations."""
    return [e for e in case.events if e.how in (CHOSEN, DERIVED, CONSENT, CONSULT, RETURN, FACTS)]
