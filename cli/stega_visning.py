"""How `stega` shows a ruta, a menu and a summary with rich.

Everything from the YAML goes through `Text` (never console markup), so a '[' in a guidance
text is printed as it is. Links are printed as visible URLs: terminals and tmux show them,
and a socialsekreterare can copy them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from processmodell.interpreter import FLÖDE, KLAR, KONSULTATION, ÖVERLÄMNING, Choice, Interpreter, Options
from processmodell.summary import Summary, duration_text, lagrum_label, lagrum_sentence, repealed_note

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
        extra.append(f"längsta väntan {duration_text(way.väntetid)}")
    tail = f" ({', '.join(extra)})" if extra else ""
    return f"⇒ överlämning till {where}, ruta {rid} {rubrik}{tail}"


def show_ruta(out: Console, interp: Interpreter, opts: Options, on: dt.date, frister: list) -> None:
    """The box: heading, guidance, lagrum, blanketter, samtycke, frist, notes, excluded answers."""
    node = opts.node
    ruta = node.ruta
    model = interp.model
    out.print()
    out.print(Rule(Text(f"{ruta_title(interp, node.qualified)} · {KIND_WORDS[node.kind]}"), style="cyan"))
    out.print(Text(ruta.rubrik, style="bold"))
    if ruta.aktör and ruta.aktör in model.aktörer:
        out.print(Text(f"Aktör: {model.aktörer[ruta.aktör].namn}", style="dim"))
    if ruta.text:
        out.print()
        out.print(Text(ruta.text.rstrip()))
    out.print()
    _show_lagrum(out, interp, ruta.lagrum, on)
    _show_blanketter(out, interp, ruta.blanketter)
    if ruta.samtycke is not None:
        given = opts.consent is None
        state = (
            Text(" — registrerat", style="green") if given else Text(" — saknas ännu", style="bold yellow")
        )
        out.print(Text("Samtycke: ", style="bold") + Text(ruta.samtycke.beskrivning.strip()) + state)
    for f in frister:
        kind = "återkommande, " if f.återkommande else ""
        out.print(
            Text("Frist: ", style="bold") + Text(f"{f.beskrivning.rstrip('.')} ({kind}senast {f.datum})")
        )
    if ruta.varaktighet is not None:
        v = ruta.varaktighet
        span = " – ".join(
            x
            for x in (
                v.minst and f"minst {duration_text(v.minst)}",
                v.högst and f"högst {duration_text(v.högst)}",
            )
            if x
        )
        out.print(
            Text("Varaktighet: ", style="bold")
            + Text(span + (f". {v.beskrivning.strip()}" if v.beskrivning else ""))
        )
    if ruta.not_:
        out.print(Text("Tolkning: ", style="dim bold") + Text(ruta.not_.strip(), style="dim"))
    for c in opts.excluded:
        what = f"'{c.way.answer}' " if c.way.answer else ""
        if opts.consent is not None and c.reason and c.reason.startswith("kräver samtycke"):
            out.print(Text("Väntar på samtycke: ", style="yellow") + Text(what + target_label(interp, c)))
        else:
            out.print(
                Text("Inte möjligt: ", style="yellow") + Text(f"{what}{target_label(interp, c)} — {c.reason}")
            )


def _show_lagrum(out: Console, interp: Interpreter, ids: list[str], on: dt.date) -> None:
    for lid in ids:
        lagrum = interp.model.lagrum.get(lid)
        if lagrum is None:
            continue
        line = Text("Lagrum: ", style="bold") + Text(lagrum_label(lagrum))
        if lagrum.rubrik:
            line += Text(f" – {lagrum.rubrik}")
        line += Text(f" ({lagrum.författning}, SFS {lagrum.sfs})")
        if lagrum.länk:
            line += Text(f" {lagrum.länk}", style="underline")
        note = repealed_note(lagrum, on)
        if note:
            line += Text(f" — {note}", style="bold red")
        out.print(line)


def _show_blanketter(out: Console, interp: Interpreter, ids: list[str]) -> None:
    for bid in ids:
        b = interp.model.blanketter.get(bid)
        if b is None:
            continue
        line = Text("Blankett: ", style="bold") + Text(b.namn)
        if b.länk:
            line += Text(f" {b.länk}", style="underline")
        out.print(line)


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
            out.print(Text(f"  - {d.ruta} {d.rubrik}: {d.text}.{law}"))
    if summary.frister:
        out.print(Text("Öppna frister:", style="bold"))
        for f in summary.frister:
            out.print(Text(f"  - {f.datum}: {f.beskrivning.rstrip('.')} ({f.ruta})"))
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
        for c in opts.offered:
            out.print(Text(f"  - {c.way.answer or c.way.target}  {target_label(summary.interp, c)}"))
        for c in opts.excluded:
            out.print(Text(f"  (inte möjligt: {c.way.answer or c.way.target} — {c.reason})", style="dim"))
        out.print(Text(f"Svara med --svar {opts.ruta}=SVAR (eller ge fakta med --fakta).", style="dim"))
    if saved is not None:
        out.print(Text(f"Ärendet sparat i {saved} (läsbart bara för dig).", style="green"))


__all__ = ["show_ruta", "show_summary", "print_batch", "target_label", "console", "ÖVERLÄMNING"]
