"""`processmodell visa UNDERPROCESS[/RUTA]`: one underprocess (its rutor, entries and
hand-overs) or one ruta (the box as the handläggarstöd has it, with lagrum and ways forward).

Everything from the YAML goes through rich `Text` (never console markup), so '[' in a
guidance text prints as it is. Links are printed as visible URLs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.text import Text

from cli.common import EXIT_OK, CommandError, load_model, report
from cli.visning import label, show_box
from processmodell import wording
from processmodell.model import Edge, Model, UnderprocessEntry
from processmodell.schema import Ruta, Väg


def run(katalog: Path, mål: str) -> int:
    try:
        model = load_model(katalog, require_valid=False)
    except CommandError as exc:
        return report("visa", exc)
    up_id, _, ruta_id = mål.strip().partition("/")
    entry = model.underprocesser.get(up_id)
    if entry is None:
        return fail(
            f"Underprocessen '{up_id}' finns inte.{did_you_mean(up_id, model.underprocesser)}\n"
            f"Välj en av: {', '.join(model.underprocesser)}."
        )
    out = Console(highlight=False, soft_wrap=True)
    if not ruta_id:
        show_underprocess(out, model, entry)
        return EXIT_OK
    ruta = entry.rutor.get(ruta_id)
    if ruta is None:
        return fail(
            f"Ruta '{ruta_id}' finns inte i {entry.meta.namn} ({up_id})."
            f"{did_you_mean(ruta_id, entry.rutor, f'{up_id}/')}\n"
            f"Rutor: {', '.join(entry.rutor)}."
        )
    show_ruta(out, model, entry, ruta, dt.date.today())
    return EXIT_OK


def fail(message: str) -> int:
    return report("visa", CommandError(message))


def did_you_mean(word: str, choices, prefix: str = "") -> str:
    from processmodell.checks import did_you_mean as guess

    found = guess(word, choices, prefix)
    return f" {found}" if found else ""


# ---------------------------------------------------------------- labels


def rubrik_of(model: Model, qualified: str) -> str:
    ruta = model.ruta(qualified)
    return ruta.rubrik if ruta else "(finns inte)"


def aktör_name(model: Model, aktör_id: str) -> str:
    aktör = model.aktörer.get(aktör_id)
    return aktör.namn if aktör else aktör_id


def way_line(model: Model, edge: Edge, way: Väg) -> str:
    """'Ja → ruta 7: Individ sjukskriven med läkarintyg' or, across underprocesser,
    'Försäkringskassan → fk/1: … (överlämning, ansvarig: Vården, väntetid: 14 dagar)'.

    `edge` is the model's resolved way (`Model.edges_from`), `way` the Väg it came from."""
    handover = edge.kind == "överlämning"
    shown = edge.target if handover else f"ruta {edge.target.partition('/')[2]}"
    head = f"{way.svar} → " if way.svar else "→ "
    line = f"{head}{shown}: {rubrik_of(model, edge.target)}"
    extra = []
    if handover:
        extra.append("överlämning")
        if way.ansvarig:
            extra.append(f"ansvarig: {aktör_name(model, way.ansvarig)}")
        if way.väntetid:
            extra.append(f"väntetid: högst {wording.duration(way.väntetid)}")
    if way.villkor is not None:
        extra.append(f"villkor: {wording.condition(way.villkor, model.fakta)}")
    return line + (f" ({', '.join(extra)})" if extra else "")


# ---------------------------------------------------------------- underprocess


def show_underprocess(out: Console, model: Model, entry: UnderprocessEntry) -> None:
    meta = entry.meta
    nummer = f"underprocess {meta.nummer}, " if meta.nummer is not None else ""
    out.print(Text(f"{meta.namn} ({meta.id})", style="bold"))
    out.print(Text(f"{nummer}aktör: {aktör_name(model, meta.aktör)} · fil: {entry.file}", style="dim"))
    if meta.beskrivning:
        out.print(Text(meta.beskrivning.strip()))
    if meta.varaktighet is not None:
        out.print(label("Varaktighet") + Text(wording.varaktighet_text(meta.varaktighet)))
    out.print()
    out.print(Text("Rutor:", style="bold"))
    width = max((len(r) for r in entry.rutor), default=1)
    for ruta in entry.rutor.values():
        out.print(Text(f"  {ruta.id.ljust(width)}  {ruta.typ.value.ljust(6)}  {ruta.rubrik}"))
    edges = model.edges()
    incoming = [
        e for e in edges if e.target.startswith(f"{meta.id}/") and not e.source.startswith(f"{meta.id}/")
    ]
    outgoing = [
        e for e in edges if e.source.startswith(f"{meta.id}/") and not e.target.startswith(f"{meta.id}/")
    ]
    starts = ", ".join(f"{meta.id}/{r.id}" for r in entry.starts()) or "(ingen startruta)"
    out.print()
    out.print(Text("Ingångar: ", style="bold") + Text(starts))
    _edge_list(out, model, "Hit från andra underprocesser:", incoming)
    _edge_list(out, model, "Härifrån till andra underprocesser:", outgoing)


def _edge_list(out: Console, model: Model, title: str, edges: list[Edge]) -> None:
    if not edges:
        return
    out.print(Text(title, style="bold"))
    for e in edges:
        out.print(Text(f"  {e.source} {edge_text(model, e)}"))


def edge_text(model: Model, e: Edge) -> str:
    """'→ fk/1 (överlämning, svar 'Försäkringskassan', ansvarig: Vården)'."""
    extra = [e.kind]
    if e.answer:
        extra.append(f"svar '{e.answer}'")
    if e.way is not None and e.way.ansvarig:
        extra.append(f"ansvarig: {aktör_name(model, e.way.ansvarig)}")
    return f"→ {e.target} ({', '.join(extra)})"


# ---------------------------------------------------------------- ruta


def show_ruta(out: Console, model: Model, entry: UnderprocessEntry, ruta: Ruta, today: dt.date) -> None:
    q = f"{entry.id}/{ruta.id}"
    out.print(Text(f"Ruta {ruta.id} · {entry.meta.namn} ({q}) · {ruta.typ.value}", style="bold cyan"))
    show_box(
        out,
        model,
        ruta,
        on=today,
        aktör=aktör_name(model, ruta.aktör or entry.meta.aktör),
        samtycke=_consent_details(model, ruta),
        frister=[wording.frist_text(ruta.frist)] if ruta.frist else [],
    )
    _show_ways(out, model, entry, ruta)
    incoming = [e for e in model.edges() if e.target == q]
    if incoming:
        out.print(
            Text("Hit från: ", style="dim") + Text(", ".join(_from_text(e) for e in incoming), style="dim")
        )


def _from_text(e: Edge) -> str:
    return f"{e.source} ({e.answer})" if e.answer else e.source


def _consent_details(model: Model, ruta: Ruta) -> Text | None:
    """' (fakta: samtycke_sip; blankett: Kallelse till SIP länk)': what the consent is recorded as."""
    s = ruta.samtycke
    if s is None:
        return None
    extra = [f"fakta: {s.fakta}"]
    if s.blankett:
        b = model.blanketter.get(s.blankett)
        extra.append(f"blankett: {b.namn if b else s.blankett}" + (f" {b.länk}" if b and b.länk else ""))
    return Text(f" ({'; '.join(extra)})")


def _show_ways(out: Console, model: Model, entry: UnderprocessEntry, ruta: Ruta) -> None:
    edges = model.edges_from(entry.id, ruta)  # the konsultation, if any, comes first
    if not edges:
        if ruta.typ.value == "slut":
            out.print(Text("Slut: ärendet avslutas här.", style="bold"))
        return
    out.print(Text("Vägar vidare:", style="bold"))
    for edge in edges:
        if edge.way is None:  # konsultation
            out.print(
                Text(
                    f"  Först: konsultation → {edge.target}: {rubrik_of(model, edge.target)} "
                    "(ärendet kommer tillbaka hit och går sedan vidare)"
                )
            )
            continue
        out.print(Text(f"  {way_line(model, edge, edge.way)}"))
        if edge.way.not_:
            out.print(Text(f"      not: {edge.way.not_.strip()}", style="dim"))
