"""How `stega` shows a ruta, a menu and a summary with rich.

The box itself (rubrik, text, lagrum, blanketter …) is `cli.visning.show_box`, shared with
`visa`; here is what belongs to a case: the consent's state, the frister's dates, answers that
are not possible, the summary. Everything from the YAML goes through `Text` (never console
markup), so a '[' in a guidance text is printed as it is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from cli.visning import show_box
from processmodell.interpreter import (
    FLÖDE,
    KLAR,
    KONSULTATION,
    ÖVERLÄMNING,
    Choice,
    FristDue,
    Interpreter,
    Options,
    fact_question,
)
from processmodell.summary import Summary, lagrum_sentence, sentence
from processmodell.wording import duration

KIND_WORDS = {"start": "start", "steg": "steg", "beslut": "beslut", "slut": "slut"}


def console(stderr: bool = False, soft_wrap: bool = True) -> Console:
    return Console(highlight=False, stderr=stderr, soft_wrap=soft_wrap)


def ruta_title(interp: Interpreter, qualified: str) -> str:
    up, _, rid = qualified.partition("/")
    entry = interp.model.underprocesser.get(up)
    name = entry.meta.namn if entry else up
    return f"{name} · ruta {rid}"


def target_label(interp: Interpreter, choice: Choice) -> str:
    """'→ 7 Individ sjukskriven med läkarintyg', or a hand-over with who and how long."""
    way = choice.way
    node = interp.nodes.get(way.target)
    rubrik = node.ruta.rubrik if node else "(finns inte)"
    up, _, rid = way.target.partition("/")
    if way.kind == FLÖDE:
        return f"→ {rid} {rubrik}"
    entry = interp.model.underprocesser.get(up)
    where = entry.meta.namn if entry else up
    if way.kind == KONSULTATION:
        return f"⇄ konsultation: {where}, ruta {rid} {rubrik} (ärendet kommer tillbaka hit)"
    extra = []
    if way.ansvarig:
        aktör = interp.model.aktörer.get(way.ansvarig)
        extra.append(f"ansvarig: {aktör.namn if aktör else way.ansvarig}")
    if way.väntetid:
        extra.append(f"längsta väntan {duration(way.väntetid)}")
    tail = f" ({', '.join(extra)})" if extra else ""
    return f"⇒ överlämning till {where}, ruta {rid} {rubrik}{tail}"


def show_ruta(out: Console, interp: Interpreter, opts: Options, on: dt.date, frister: list[FristDue]) -> None:
    """The box for this case: its title rule, the shared body (with the consent given or
    missing and the frister's dates), then the answers that are not possible and why."""
    node = opts.node
    ruta = node.ruta
    model = interp.model
    out.print()
    out.print(Rule(Text(f"{ruta_title(interp, node.qualified)} · {KIND_WORDS[node.kind]}"), style="cyan"))
    own = model.aktörer.get(ruta.aktör) if ruta.aktör else None
    if opts.consent is None:
        state = Text(" — registrerat", style="green")
    elif opts.refused:
        state = Text(" — individen samtycker inte", style="bold red")
    else:
        state = Text(" — saknas ännu", style="bold yellow")
    lines = [_due_text(f) for f in frister]
    show_box(out, model, ruta, on=on, aktör=own.namn if own else None, samtycke=state, frister=lines)
    for c in opts.excluded:
        what = f"'{c.way.answer}' " if c.way.answer else ""
        if opts.consent is not None and c.reason and c.reason.startswith("kräver samtycke"):
            waiting = "Inte möjligt utan samtycke: " if opts.refused else "Väntar på samtycke: "
            out.print(Text(waiting, style="yellow") + Text(what + target_label(interp, c)))
        else:
            out.print(
                Text("Inte möjligt: ", style="yellow") + Text(f"{what}{target_label(interp, c)} — {c.reason}")
            )


def _due_text(f: FristDue) -> str:
    """'Ansökan ska handläggas inom 30 dagar – senast 2026-02-14': the frist's date for this case
    (a dash, not brackets: many beskrivningar already end in a bracket)."""
    kind = "återkommande, " if f.återkommande else ""
    return f"{f.beskrivning.rstrip('.')} – {kind}senast {f.datum}"


def show_summary(out: Console, summary: Summary) -> None:
    out.print()
    out.print(Rule(Text("Sammanfattning"), style="green"))
    out.print(Text("Väg:", style="bold"))
    for i, q in enumerate(summary.path, 1):
        out.print(Text(f"  {i:>2}. {q}  {summary.rubrik(q)}"))
    if summary.decisions:
        out.print(Text("Beslut och händelser:", style="bold"))
        for d in summary.decisions:
            law = lagrum_sentence(d.lagrum)
            out.print(Text(f"  - {summary.place(d.ruta)}: {sentence(d.text)}{law}"))
    if summary.frister:
        out.print(Text("Öppna frister:", style="bold"))
        for f in summary.frister:
            out.print(
                Text(f"  - senast {f.datum}: {f.beskrivning.strip().rstrip('.')} ({summary.place(f.ruta)})")
            )
    if summary.finished:
        out.print(Text("Frister som ärendet har passerat i kartan:", style="bold"))
        for f in summary.finished:
            out.print(Text(f"  - {summary.passed_text(f)}"))
    if summary.notes:
        out.print(Text("Anteckningar:", style="bold"))
        for n in summary.notes:
            out.print(Text(f"  - {n.date}, {summary.place(n.ruta)}: {n.text}"))
    out.print(Text("Journaltext (att klistra in):", style="bold"))
    out.print(Text(summary.journal_text().rstrip()))


def print_batch(
    summary: Summary, opts: Options, notices: list[str], unused: list[str], saved: Path | None
) -> None:
    """The non-interactive, non-JSON result: where the case is and what it waits for."""
    out = console()
    for n in notices:
        out.print(Text(n, style="yellow"))
    if unused:
        out.print(Text(f"Svar som inte användes: {', '.join(unused)}", style="yellow"))
    show_summary(out, summary)
    out.print()
    if opts.status == KLAR:
        out.print(Text(f"Ärendet är klart i {opts.ruta} ({opts.question}).", style="bold green"))
    else:
        out.print(Text(f"Ärendet väntar i {opts.ruta}: {opts.question}", style="bold yellow"))
        if opts.consent is not None:
            out.print(
                Text(f"Samtycke saknas: {opts.consent.beskrivning.strip()} (fakta {opts.consent.fakta})")
            )
        deciding = [f for f in opts.fakta if opts.consent is None or f != opts.consent.fakta]
        if deciding:
            model = summary.interp.model
            asked = "; ".join(f"{name} ({fact_question(model, name)})" for name in deciding)
            out.print(Text(f"Frågan avgörs av fakta som saknas: {asked}. Ge dem med --fakta."))
        for c in opts.offered:
            out.print(Text(f"  - {c.way.answer or c.way.target}  {target_label(summary.interp, c)}"))
        for c in opts.excluded:
            out.print(Text(f"  (inte möjligt: {c.way.answer or c.way.target} — {c.reason})", style="dim"))
        if opts.consent is not None:
            how = f"Registrera samtycket med --fakta ({opts.consent.fakta}: true)"
            tail = f", eller svara med --svar {opts.ruta}=SVAR." if opts.offered else "."
            out.print(Text(how + tail, style="dim"))
        elif deciding:
            out.print(Text(f"Svara med --svar {opts.ruta}=SVAR eller ge fakta med --fakta.", style="dim"))
        else:
            out.print(Text(f"Svara med --svar {opts.ruta}=SVAR.", style="dim"))
    if saved is not None:
        out.print(Text(f"Ärendet sparat i {saved} (läsbart bara för dig).", style="green"))


__all__ = ["show_ruta", "show_summary", "print_batch", "target_label", "console", "ÖVERLÄMNING"]
