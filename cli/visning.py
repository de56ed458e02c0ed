"""How the command line shows one ruta's box: the parts `visa` and `stega` have in common.

`visa` prints the box as the model defines it; `stega` prints it for a case, with the state of
the consent and the frister's dates. Both print the box's body here, so a lagrum, a blankett
or a note looks the same in either view; the words come from `processmodell.wording`.

Everything from the YAML goes through rich `Text` (never console markup), so a '[' in a
guidance text prints as it is. Links are printed as visible URLs: terminals and tmux show
them, and a socialsekreterare can copy them.
"""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.text import Text

from processmodell import wording
from processmodell.model import Model
from processmodell.schema import Ruta


def label(name: str) -> Text:
    """'Lagrum: ' in bold: the start of a line about one part of the box."""
    return Text(f"{name}: ", style="bold")


def show_box(
    out: Console,
    model: Model,
    ruta: Ruta,
    *,
    on: dt.date,
    aktör: str | None,
    samtycke: Text | None = None,
    frister: list[str] | None = None,
) -> None:
    """Rubrik, fråga, aktör, guidance text, lagrum, blanketter, samtycke, frister, varaktighet
    and the model's interpretation note, in that order.

    `aktör`: the aktör's name to show, or None for none. `samtycke`: what to say after the
    consent's beskrivning (the fakta and form in `visa`, given or missing in `stega`).
    `frister`: the text of each frist line (the rule in `visa`, the due dates in `stega`)."""
    out.print(Text(ruta.rubrik, style="bold"))
    if ruta.fråga:
        out.print(label("Fråga") + Text(ruta.fråga.strip(), style="bold"))
    if aktör:
        out.print(Text(f"Aktör: {aktör}", style="dim"))
    if ruta.text:
        out.print()
        out.print(Text(ruta.text.rstrip()))
    out.print()
    for lagrum_id in ruta.lagrum:
        out.print(lagrum_line(model, lagrum_id, on))
    for blankett_id in ruta.blanketter:
        out.print(blankett_line(model, blankett_id))
    if ruta.samtycke is not None:
        tail = samtycke if samtycke is not None else Text()
        out.print(label("Samtycke") + Text(ruta.samtycke.beskrivning.strip()) + tail)
    for frist in frister or []:
        out.print(label("Frist") + Text(frist))
    if ruta.varaktighet is not None:
        out.print(label("Varaktighet") + Text(wording.varaktighet_text(ruta.varaktighet)))
    if ruta.not_:
        out.print(Text("Tolkning: ", style="dim bold") + Text(ruta.not_.strip(), style="dim"))


def lagrum_line(model: Model, lagrum_id: str, on: dt.date) -> Text:
    """'Lagrum: SoL 2 kap. 7 § – rubrik (Socialtjänstlag, SFS 2001:453) länk — upphävd …'."""
    lagrum = model.lagrum.get(lagrum_id)
    if lagrum is None:
        return label("Lagrum") + Text(f"{lagrum_id} (finns inte i lagrumsregistret)", style="red")
    line = label("Lagrum") + Text(wording.lagrum_label(lagrum))
    if lagrum.rubrik:
        line += Text(f" – {lagrum.rubrik}")
    line += Text(f" ({lagrum.författning}, SFS {lagrum.sfs})")
    if lagrum.länk:
        line += Text(f" {lagrum.länk}", style="underline")
    note = wording.repealed_note(lagrum, on)
    if note:
        line += Text(f" — {note}", style="bold red")
    return line


def blankett_line(model: Model, blankett_id: str) -> Text:
    """'Blankett: namn länk', with the word chosen by the blankett's slag ('Beslutsstöd: …')."""
    b = model.blanketter.get(blankett_id)
    line = label(wording.blankett_label(b.slag if b else None)) + Text(
        b.namn if b else f"{blankett_id} (finns inte)"
    )
    if b is not None and b.länk:
        line += Text(f" {b.länk}", style="underline")
    return line
