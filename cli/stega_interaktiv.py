"""The interactive `stega`: one ruta at a time, a numbered menu, plain input() for answers.

Reading with plain input (through rich's Console.input) keeps it scriptable: tmux, expect or
a screen reader see ordinary lines. Keys: a number (or Enter when there is one way), an
answer's text, ? help, b back, a note, s save, q quit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from cli.common import EXIT_OK, EXIT_WAITING, CommandError
from cli.stega import Session, save_case, write_journal
from cli.stega_visning import console, show_ruta, show_summary, target_label
from processmodell.interpreter import KLAR, AnswerBook, Options, WalkError, fact_from_text, fact_question
from processmodell.summary import Summary

HELP = """\
Skriv numret för det du vill göra och tryck Enter (bara Enter räcker när det finns ett val).
Du kan också skriva svarets text, t.ex. ja.
Avgörs ett beslut av en uppgift som saknas (t.ex. ålder) kan du ange uppgiften – då tas beslutet
och skälet sparas – eller svara utan att ange den.
  b   tillbaka ett steg (ångra)
  a   skriv en anteckning till senaste steget (inga personuppgifter eller personnummer)
  s   spara ärendet (privat fil, bara läsbar för dig)
  q   avsluta (du får frågan om ärendet ska sparas)
  ?   den här hjälpen"""


@dataclass
class Item:
    label: Text
    action: Callable[[], object]


COMMANDS = ("?", "b", "a", "s", "q")


class Quit(Exception):
    pass


def run(session: Session, answers: AnswerBook) -> int:
    out = console(soft_wrap=False)  # word-wrapped for reading on screen
    if session.resumed:
        out.print(Text(session.resumed, style="green"))
    for notice in session.notices:
        out.print(Text(notice, style="yellow"))
    out.print(Text("Stega ärendet ruta för ruta. Skriv ? för hjälp.", style="dim"))
    try:
        while True:
            opts = session.interp.options(session.case)
            _show(out, session, opts)
            if opts.status == KLAR:
                return _finish(out, session)
            if _preset(out, session, opts, answers):
                continue
            _prompt(out, session, _menu(out, session, opts), _heading(opts))
    except Quit:
        return EXIT_OK if session.interp.status(session.case) == KLAR else EXIT_WAITING
    except EOFError:
        out.print(Text("\nIndata tog slut; ärendet avbröts utan att sparas.", style="yellow"))
        return EXIT_WAITING


def _show(out: Console, session: Session, opts: Options) -> None:
    on = dt.date.fromisoformat(session.date)
    # the frist this ruta set, while it is open (a loop back here replaced the earlier one)
    frister = [f for f in session.interp.open_frister(session.case) if f.ruta == opts.ruta]
    show_ruta(out, session.interp, opts, on, frister)


def _preset(out: Console, session: Session, opts: Options, answers: AnswerBook) -> bool:
    """Use an answer given with --svar for this ruta, if any."""
    if not opts.offered or opts.decided is not None:
        return False
    answer = answers.take(opts.ruta)
    if answer is None:
        return False
    try:
        session.interp.choose(session.case, answer, session.date)
    except WalkError as exc:
        out.print(Text(exc.message, style="red"))
        return False
    out.print(Text(f"Svar från --svar: {answer}", style="dim"))
    return True


def _menu(out: Console, session: Session, opts: Options) -> list[Item]:
    interp, case, date = session.interp, session.case, session.date
    items: list[Item] = []
    if opts.returning_to is not None:
        label = Text(f"Tillbaka till {opts.returning_to} {interp.nodes[opts.returning_to].ruta.rubrik}")
        items.append(Item(label, lambda: interp.step(case, date)))
        return items
    if opts.consent is not None:
        label = Text("Registrera att individen har samtyckt")
        items.append(Item(label, lambda: interp.record_samtycke(case, date=date)))
        if not opts.refused:
            items.append(Item(Text("Individen samtycker inte"), lambda: _refuse(out, session)))
    asked = _deciding_fakta(session, opts)
    if asked and opts.ruta not in session.by_hand:
        for name in asked:
            question = fact_question(interp.model, name)
            label = Text(f"Ange {_fakta_words(name)}: ", style="bold") + Text(question)
            items.append(Item(label, lambda n=name: _ask_fact(out, session, n)))
        words = _fakta_words(asked[0]) if len(asked) == 1 else "uppgifterna"
        items.append(Item(Text(f"Svara utan att ange {words}"), lambda: session.by_hand.add(opts.ruta)))
        return items
    for choice in opts.offered:
        label = Text(f"{choice.way.answer}  " if choice.way.answer else "Vidare ", style="bold")
        label += Text(target_label(interp, choice))
        if opts.decided is choice:
            if choice.reason:
                label += Text(f"  (avgjort av fakta: {choice.reason})", style="green")
            items.append(Item(label, lambda: interp.step(case, date)))
        else:
            wanted = choice.way.answer or choice.way.target
            items.append(Item(label, lambda w=wanted: interp.choose(case, w, date)))
    return items


def _deciding_fakta(session: Session, opts: Options) -> list[str]:
    """The unknown fakta worth asking for at this beslut: they would decide it, with the reason
    recorded. Not the consent (it has its own menu lines), and not when one yes/no fakta is all
    it takes: then the answers Ja/Nej say the same thing as the fakta would."""
    if opts.node.kind != "beslut" or opts.decided is not None:
        return []
    consent = opts.consent.fakta if opts.consent is not None else None
    names = [n for n in opts.fakta if n != consent and n in session.interp.model.fakta]
    model = session.interp.model
    if len(names) == 1 and model.fakta[names[0]].typ.value == "boolesk":
        return []
    return names


def _fakta_words(name: str) -> str:
    """'ålder', 'behov fk': a fakta's id as words in a menu line."""
    return name.replace("_", " ")


def _ask_fact(out: Console, session: Session, name: str) -> None:
    """Ask the fakta's question until the answer has the right type; empty input cancels.
    When the fakta decides the beslut, take the decision at once and say why."""
    interp = session.interp
    question = fact_question(interp.model, name)
    while True:
        raw = out.input(Text(f"{question}: ")).strip()
        if not raw:
            out.print(Text("Ingen uppgift angiven.", style="dim"))
            raise _Unchanged
        try:
            value = fact_from_text(interp.model, name, raw)
        except WalkError as exc:
            out.print(Text(exc.message, style="red"))
            continue
        break
    interp.set_facts(session.case, {name: value}, session.date)
    opts = interp.options(session.case)
    if opts.decided is not None and opts.decided.way.answer:
        event = interp.step(session.case, session.date)
        if event is not None:
            reason = f" ({event.reason})" if event.reason else ""
            out.print(Text(f"Beslutet avgjordes av uppgiften: {event.answer}{reason}.", style="green"))


def _refuse(out: Console, session: Session) -> None:
    """Record that the person does not consent, and say plainly what that means."""
    interp = session.interp
    where = interp.options(session.case)
    interp.refuse_samtycke(session.case, session.date)
    opts = interp.options(session.case)
    rubrik = where.node.ruta.rubrik
    lines = [
        f"Individen samtycker inte. Utan samtycke kan ärendet inte gå vidare från ruta "
        f"{where.ruta.split('/', 1)[1]} ({rubrik})."
    ]
    if opts.offered:
        lines.append("Välj ett svar som inte kräver samtycke, eller skriv b för att gå tillbaka.")
    else:
        lines.append("Skriv b för att gå tillbaka och välja en annan väg.")
    lines.append("Om individen ändrar sig: välj Registrera att individen har samtyckt.")
    out.print(Text(" ".join(lines), style="yellow"))


class _Unchanged(Exception):
    """A menu action that did nothing (e.g. a fakta question left empty): ask again."""


def _heading(opts: Options) -> str:
    """The line above the menu: a beslut's question (its fråga, or a rubrik that is one) right
    above its answers, where a long guidance text would otherwise push it off the screen.
    Before the answers (a consultation or a consent comes first) nothing is asked yet."""
    answers = any(c.way.answer for c in opts.offered)
    return opts.question if opts.node.kind == "beslut" and answers else "Vad händer nu?"


def _prompt(out: Console, session: Session, menu: list[Item], heading: str) -> None:
    """Ask until the case moved (return) or the user quits (raise Quit)."""
    out.print(Text(heading, style="bold"))
    for i, item in enumerate(menu, 1):
        out.print(Text(f"  {i}  ") + item.label)
    out.print(Text("  ? hjälp   b tillbaka   a anteckning   s spara   q avsluta", style="dim"))
    while True:
        raw = out.input(Text("Ditt val: ")).strip()
        if raw == "" and len(menu) == 1:
            raw = "1"
        if raw.isdigit() and 1 <= int(raw) <= len(menu):
            if _attempt(out, menu[int(raw) - 1].action):
                return
            continue
        if raw.lower() in COMMANDS:
            if _command(out, session, raw.lower()):
                return
            continue
        if not raw or raw.isdigit():
            out.print(Text(what_to_type(raw, len(menu)), style="yellow"))
            continue
        try:
            session.interp.choose(session.case, raw, session.date)
            return
        except WalkError as exc:
            # an answer that is refused here says why; anything else gets the keys to use
            message = what_to_type(raw, len(menu)) if exc.unknown else exc.message
            out.print(Text(message, style="yellow" if exc.unknown else "red"))


def what_to_type(raw: str, n: int) -> str:
    """What the user can type, after input that is none of it ('xyz', '99', or nothing)."""
    said = f"'{raw}' är inget av valen. " if raw else ""
    number = "1 (eller bara Enter)" if n == 1 else f"ett nummer mellan 1 och {n}"
    return (
        f"{said}Skriv {number}, svarets text, ? för hjälp, b för att gå tillbaka, a för en anteckning, "
        "s för att spara eller q för att avsluta."
    )


def _attempt(out: Console, action: Callable[[], object]) -> bool:
    try:
        action()
        return True
    except _Unchanged:
        return False
    except WalkError as exc:
        out.print(Text(exc.message, style="red"))
        return False


def _command(out: Console, session: Session, cmd: str) -> bool:
    """Handle ? b a s q. Returns True when the view must be redrawn (the case changed)."""
    if cmd == "?":
        out.print(Text(HELP))
    elif cmd == "b":
        if session.interp.back(session.case, only_choices=False):
            out.print(Text(f"Tillbaka till {session.case.position}.", style="dim"))
            return True
        out.print(Text("Ärendet står redan i sin första ruta.", style="yellow"))
    elif cmd == "a":
        text = out.input(Text("Anteckning (inga personuppgifter): ")).strip()
        if text and _attempt(out, lambda: session.interp.add_note(session.case, text)):
            where = session.case.position.split("/", 1)[1]
            out.print(
                Text(
                    f"Anteckningen sparas vid ruta {where} och visas i sammanfattningen och journalen.",
                    style="dim",
                )
            )
    elif cmd == "s":
        _save(out, session)
    elif cmd == "q":
        answer = out.input(Text("Spara ärendet innan du avslutar? [j/n]: ")).strip().lower()
        if answer in ("j", "ja", "y"):
            _save(out, session)
        _journal(out, session)
        raise Quit
    return False


def _save(out: Console, session: Session) -> None:
    target = session.spara or session.fortsätt
    if target is None:
        name = out.input(Text("Spara i fil (t.ex. ärende.json): ")).strip()
        if not name:
            out.print(Text("Inte sparat.", style="yellow"))
            return
        target = session.spara = Path(name)
    try:
        save_case(session, target)
    except CommandError as exc:
        out.print(Text(str(exc), style="red"))
        return
    out.print(Text(f"Ärendet sparat i {target} (läsbart bara för dig).", style="green"))


def _journal(out: Console, session: Session) -> None:
    summary = Summary(session.interp, session.case, dt.date.fromisoformat(session.date))
    show_summary(out, summary)
    if session.journal is not None:
        try:
            write_journal(session.journal, summary)
            out.print(Text(f"Journaltexten skriven till {session.journal}.", style="green"))
        except CommandError as exc:
            out.print(Text(str(exc), style="red"))


def _finish(out: Console, session: Session) -> int:
    out.print()
    out.print(Text("Ärendet är klart.", style="bold green"))
    if session.spara is not None:
        _save(out, session)
    _journal(out, session)
    return EXIT_OK
