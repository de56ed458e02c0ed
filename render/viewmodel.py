"""The view model: everything the site, the DOT maps and Mermaid show, gathered once from a
validated `Model` into plain frozen dataclasses.

Renderers (templates, `render.graphviz`, `render.mermaid`) read only these classes, never the
core, so a change in the core's shape touches this module alone. Every list is in a stable
order (process-map number, then source order) so the same model gives the same bytes.

References the validator would reject (unknown ruta, lagrum, aktör …) are rendered as plain
text rather than crashing: the renderer must be inert, whatever it is given.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from processmodell import wording
from processmodell.export import ordered_underprocesser
from processmodell.model import Edge, Model, UnderprocessEntry
from processmodell.schema import Aktör, Ruta
from render import text as tx

# Pages the site always has; an underprocess id must not take one of their names.
RESERVED_PAGES = ("index", "lagrum", "sok", "tillganglighet")
_NUMBERED_RE = re.compile(r"^\d+[a-zåäö]?$")

TYP_LABELS = {"start": "Start", "steg": "Steg", "beslut": "Beslut", "slut": "Slut"}


@dataclass(frozen=True)
class AktörView:
    id: str
    namn: str
    kortnamn: str
    färg: str  # accent, ≥ 4.5:1 on white
    tint: str  # light fill for map boxes
    css_class: str  # "aktor-fk": the one place colours reach the CSS
    webb: str | None


@dataclass(frozen=True)
class ModellView:
    namn: str
    version: str
    källa: str
    utgivare: str | None
    giltig_från: str | None
    beskrivning: tuple[tx.Block, ...]
    not_: tuple[tx.Block, ...]
    kontakt_namn: str | None
    kontakt_epost: str | None
    kontakt_epost_href: str | None
    kontakt_telefon: str | None
    kontakt_webb: str | None
    kontakt_webb_href: str | None


@dataclass(frozen=True)
class LagrumRef:
    id: str
    label: str  # "SoL 2 kap. 7 §"
    title: str  # "Socialtjänstlag (2001:453) 2 kap. 7 § – Samordnad individuell plan"
    href: str | None  # only an allowed URL, else None (shown as text)
    upphävd: str | None  # "Upphävd 2025-07-01, ersatt av …"
    known: bool = True


@dataclass(frozen=True)
class BlankettRef:
    id: str
    namn: str
    slag: str
    etikett: str  # "Blankett", "Bilaga", "Webbplats" … by slag (wording.blankett_label)
    href: str | None
    not_: str | None


@dataclass(frozen=True)
class Target:
    """Where a way forward leads, ready to show and link."""

    qualified: str  # "fk/1"
    underprocess: str  # "fk"
    ruta: str  # "1"
    label: str  # "Ruta 1: Ansökan …" (or the rubrik for unnumbered ids)
    href: str | None  # "#ruta-1" inside the page, "fk.html#ruta-1" across; None if unknown
    up_namn: str
    aktör: AktörView
    typ: str  # target's typ ("" if unknown)


@dataclass(frozen=True)
class WayView:
    kind: str  # "flöde" | "överlämning" | "konsultation"
    svar: str | None
    target: Target
    villkor: str | None
    ansvarig: str | None  # aktör name
    väntetid: str | None  # "30 dagar"
    not_: str | None

    @property
    def lead(self) -> str:
        """The words before the arrow in the text version: "Om Ja", "Nästa", "Konsultera"."""
        if self.kind == "konsultation":
            return "Konsultera"
        return f"Om {self.svar}" if self.svar else "Nästa"


@dataclass(frozen=True)
class SamtyckeView:
    beskrivning: str
    fakta: str
    blankett: BlankettRef | None
    lagrum: tuple[LagrumRef, ...]


@dataclass(frozen=True)
class RutaView:
    id: str
    qualified: str
    anchor: str  # "ruta-5a"
    label: str  # "Ruta 5a: Finns läkarintyg?" or the rubrik alone
    nummer: str | None  # "Ruta 5a" for numbered ids
    rubrik: str
    fråga: str | None  # what a beslut asks when its rubrik is not a question
    typ: str
    typ_label: str
    aktör: AktörView
    own_aktör: bool  # True when the ruta names an aktör other than its underprocess's
    text: tuple[tx.Block, ...]
    lagrum: tuple[LagrumRef, ...]
    blanketter: tuple[BlankettRef, ...]
    samtycke: SamtyckeView | None
    frist: str | None
    frist_lagrum: tuple[LagrumRef, ...]
    varaktighet: str | None
    not_: str | None
    konsultation: WayView | None
    ways: tuple[WayView, ...]
    incoming: tuple[Target, ...]  # rutor whose ways lead here (any underprocess)


@dataclass(frozen=True)
class UnderprocessView:
    id: str
    page: str  # "fk.html"
    nummer: int | None
    namn: str
    aktör: AktörView
    beskrivning: tuple[tx.Block, ...]
    varaktighet: str | None  # the whole insats: "10–12 månader"
    not_: str | None
    rutor: tuple[RutaView, ...]

    @property
    def title(self) -> str:
        return f"{self.nummer}. {self.namn}" if self.nummer is not None else self.namn


@dataclass(frozen=True)
class Crossing:
    """One hand-over or consultation between two underprocesser, for the overview table."""

    kind: str
    source: Target
    target: Target
    svar: str | None


@dataclass(frozen=True)
class OverviewEdge:
    source: str  # underprocess id
    target: str
    kind: str  # "överlämning" | "konsultation"
    crossings: tuple[Crossing, ...]


@dataclass(frozen=True)
class LagrumView:
    ref: LagrumRef
    författning: str
    sfs: str
    kortnamn: str
    kapitel: str | None
    paragraf: str | None
    rubrik: str | None
    giltig_från: str | None
    giltig_till: str | None
    not_: str | None
    cited_by: tuple[Target, ...]


@dataclass(frozen=True)
class SearchEntry:
    href: str
    underprocess: str  # name
    label: str  # "Ruta 5: Finns läkarintyg?"
    typ: str
    text: str  # one line: rubrik, guidance, lagrum, blanketter


@dataclass(frozen=True)
class SiteView:
    modell: ModellView
    aktörer: tuple[AktörView, ...]
    underprocesser: tuple[UnderprocessView, ...]
    overview: tuple[OverviewEdge, ...]
    lagrum: tuple[LagrumView, ...]
    search: tuple[SearchEntry, ...]

    def underprocess(self, up_id: str) -> UnderprocessView | None:
        return next((u for u in self.underprocesser if u.id == up_id), None)


# ---------------------------------------------------------------- building


def page_name(up_id: str) -> str:
    """`fk` → `fk.html`. Anything outside the id alphabet is percent-encoded, so no id can turn
    a link into `javascript:` or a file name into a path."""
    safe = "".join(
        c if re.match(r"[0-9a-zåäö_-]", c) else "".join(f"%{b:02X}" for b in c.encode()) for c in up_id
    )
    return f"{safe}.html"


def anchor(ruta_id: str) -> str:
    return f"ruta-{ruta_id}"


def ruta_label(ruta_id: str, rubrik: str) -> str:
    """Numbered boxes show their number ("Ruta 5: …"); named ends show their heading."""
    return f"Ruta {ruta_id}: {rubrik}" if _NUMBERED_RE.match(ruta_id) else rubrik


def _date(value: _dt.date | None) -> str | None:
    return value.isoformat() if value else None


class _Builder:
    """Holds the model and the lookups shared by the small build steps below."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.entries = ordered_underprocesser(model)
        self.aktörer = {a.id: _aktör(a) for a in model.aktörer.values()}
        self.incoming = self._incoming()

    # -- references

    def aktör(self, aktör_id: str | None) -> AktörView:
        if aktör_id and aktör_id in self.aktörer:
            return self.aktörer[aktör_id]
        name = aktör_id or "Okänd aktör"
        return AktörView(
            name,
            name,
            name,
            tx.DEFAULT_COLOUR,
            tx.mix(tx.DEFAULT_COLOUR, "#ffffff", 0.1),
            "aktor-okand",
            None,
        )

    def lagrum_ref(self, lagrum_id: str) -> LagrumRef:
        lag = self.model.lagrum.get(lagrum_id)
        if lag is None:
            return LagrumRef(lagrum_id, lagrum_id, f"Okänt lagrum: {lagrum_id}", None, None, known=False)
        place = wording.lagrum_place(lag)
        # A whole law's link text names its SFS number, so "Finsamlagen" is not a bare word.
        label = wording.lagrum_label(lag) if place else f"{lag.kortnamn} ({lag.sfs})"
        title = f"{lag.författning} ({lag.sfs})" + (f" {place}" if place else "")
        if lag.rubrik:
            title += f" – {lag.rubrik}"
        note = wording.repealed_note(lag)  # the site is built without a date: any giltig_till
        upphävd = note[:1].upper() + note[1:] if note else None
        return LagrumRef(lag.id, label, title, tx.safe_url(lag.länk), upphävd)

    def blankett_ref(self, blankett_id: str) -> BlankettRef:
        b = self.model.blanketter.get(blankett_id)
        if b is None:
            return BlankettRef(blankett_id, blankett_id, "okänd", wording.blankett_label(None), None, None)
        slag = b.slag.value
        return BlankettRef(b.id, b.namn, slag, wording.blankett_label(slag), tx.safe_url(b.länk), b.not_)

    def target(self, qualified: str, from_up: str | None) -> Target:
        """A ruta reference as a link: in-page when it stays in `from_up`, else to its page."""
        up_id, _, ruta_id = qualified.partition("/")
        entry = self.model.underprocesser.get(up_id)
        ruta = entry.rutor.get(ruta_id) if entry else None
        if entry is None or ruta is None:
            aktör = self.aktör(None)
            return Target(qualified, up_id, ruta_id, f"Okänd ruta {qualified}", None, up_id, aktör, "")
        href = f"#{anchor(ruta_id)}" if up_id == from_up else f"{page_name(up_id)}#{anchor(ruta_id)}"
        aktör = self.aktör(ruta.aktör or entry.meta.aktör)
        return Target(
            qualified,
            up_id,
            ruta_id,
            ruta_label(ruta_id, ruta.rubrik),
            href,
            entry.meta.namn,
            aktör,
            ruta.typ.value,
        )

    def _incoming(self) -> dict[str, list[str]]:
        seen: dict[str, list[str]] = {}
        for entry in self.entries:
            for ruta in entry.rutor.values():
                for edge in self.model.edges_from(entry.id, ruta):
                    sources = seen.setdefault(edge.target, [])
                    if edge.source not in sources:
                        sources.append(edge.source)
        return seen

    # -- rutor

    def way(self, edge: Edge, up_id: str) -> WayView:
        w = edge.way
        villkor = wording.condition(w.villkor, self.model.fakta) if w is not None and w.villkor else None
        ansvarig = self.aktör(w.ansvarig).namn if w is not None and w.ansvarig else None
        väntetid = wording.duration(w.väntetid) if w is not None and w.väntetid else None
        return WayView(
            edge.kind,
            edge.answer,
            self.target(edge.target, up_id),
            villkor or None,
            ansvarig,
            väntetid,
            w.not_ if w is not None else None,
        )

    def samtycke(self, ruta: Ruta) -> SamtyckeView | None:
        s = ruta.samtycke
        if s is None:
            return None
        blankett = self.blankett_ref(s.blankett) if s.blankett else None
        return SamtyckeView(s.beskrivning, s.fakta, blankett, tuple(self.lagrum_ref(x) for x in s.lagrum))

    def ruta(self, entry: UnderprocessEntry, ruta: Ruta) -> RutaView:
        edges = self.model.edges_from(entry.id, ruta)
        konsultation = next((self.way(e, entry.id) for e in edges if e.kind == "konsultation"), None)
        ways = tuple(self.way(e, entry.id) for e in edges if e.kind != "konsultation")
        qualified = f"{entry.id}/{ruta.id}"
        incoming = tuple(self.target(s, entry.id) for s in self.incoming.get(qualified, []))
        frist_lagrum = tuple(self.lagrum_ref(x) for x in ruta.frist.lagrum) if ruta.frist else ()
        return RutaView(
            id=ruta.id,
            qualified=qualified,
            anchor=anchor(ruta.id),
            label=ruta_label(ruta.id, ruta.rubrik),
            nummer=f"Ruta {ruta.id}" if _NUMBERED_RE.match(ruta.id) else None,
            rubrik=ruta.rubrik,
            fråga=ruta.fråga,
            typ=ruta.typ.value,
            typ_label=TYP_LABELS.get(ruta.typ.value, ruta.typ.value),
            aktör=self.aktör(ruta.aktör or entry.meta.aktör),
            own_aktör=bool(ruta.aktör) and ruta.aktör != entry.meta.aktör,
            text=tx.blocks(ruta.text),
            lagrum=tuple(self.lagrum_ref(x) for x in ruta.lagrum),
            blanketter=tuple(self.blankett_ref(x) for x in ruta.blanketter),
            samtycke=self.samtycke(ruta),
            frist=wording.frist_text(ruta.frist) if ruta.frist else None,
            frist_lagrum=frist_lagrum,
            varaktighet=wording.varaktighet_text(ruta.varaktighet) if ruta.varaktighet else None,
            not_=ruta.not_,
            konsultation=konsultation,
            ways=ways,
            incoming=incoming,
        )

    def underprocess(self, entry: UnderprocessEntry) -> UnderprocessView:
        meta = entry.meta
        return UnderprocessView(
            id=entry.id,
            page=page_name(entry.id),
            nummer=meta.nummer,
            namn=meta.namn,
            aktör=self.aktör(meta.aktör),
            beskrivning=tx.blocks(meta.beskrivning),
            varaktighet=wording.varaktighet_text(meta.varaktighet) if meta.varaktighet else None,
            not_=meta.not_,
            rutor=tuple(self.ruta(entry, r) for r in entry.rutor.values()),
        )

    # -- site-wide views

    def overview(self, ups: tuple[UnderprocessView, ...]) -> tuple[OverviewEdge, ...]:
        groups: dict[tuple[str, str, str], list[Crossing]] = {}
        for up in ups:
            for ruta in up.rutor:
                source = self.target(ruta.qualified, None)
                crossing_ways = ([ruta.konsultation] if ruta.konsultation else []) + list(ruta.ways)
                for way in crossing_ways:
                    if way.kind == "flöde" or way.target.underprocess == up.id:
                        continue
                    key = (up.id, way.target.underprocess, way.kind)
                    target = self.target(way.target.qualified, None)
                    groups.setdefault(key, []).append(Crossing(way.kind, source, target, way.svar))
        return tuple(OverviewEdge(s, t, k, tuple(c)) for (s, t, k), c in groups.items())

    def lagrum(self, ups: tuple[UnderprocessView, ...]) -> tuple[LagrumView, ...]:
        cited: dict[str, list[Target]] = {}
        for up in ups:
            for ruta in up.rutor:
                refs = list(ruta.lagrum) + list(ruta.frist_lagrum)
                if ruta.samtycke:
                    refs += list(ruta.samtycke.lagrum)
                for ref in refs:
                    targets = cited.setdefault(ref.id, [])
                    if all(t.qualified != ruta.qualified for t in targets):
                        targets.append(self.target(ruta.qualified, None))
        out = []
        for lag in self.model.lagrum.values():
            out.append(
                LagrumView(
                    ref=self.lagrum_ref(lag.id),
                    författning=lag.författning,
                    sfs=lag.sfs,
                    kortnamn=lag.kortnamn,
                    kapitel=lag.kapitel,
                    paragraf=lag.paragraf,
                    rubrik=lag.rubrik,
                    giltig_från=_date(lag.giltig_från),
                    giltig_till=_date(lag.giltig_till),
                    not_=lag.not_,
                    cited_by=tuple(cited.get(lag.id, ())),
                )
            )
        return tuple(out)

    def search(self, ups: tuple[UnderprocessView, ...]) -> tuple[SearchEntry, ...]:
        out = []
        for up in ups:
            for ruta in up.rutor:
                words = [ruta.rubrik, ruta.fråga or ""]
                words += [b.text or " ".join(b.items) for b in ruta.text]
                words += [f"{r.label} {r.title}" for r in ruta.lagrum]
                words += [b.namn for b in ruta.blanketter]
                if ruta.konsultation:
                    words.append(ruta.konsultation.target.up_namn)
                out.append(
                    SearchEntry(
                        f"{up.page}#{ruta.anchor}",
                        up.namn,
                        ruta.label,
                        ruta.typ_label,
                        tx.plain(" ".join(words)),
                    )
                )
        return tuple(out)

    def modell(self) -> ModellView:
        m = self.model.modell
        if m is None:
            return ModellView("Processkarta", "", "", None, None, (), (), None, None, None, None, None, None)
        k = m.kontakt
        epost = k.epost if k else None
        return ModellView(
            namn=m.namn,
            version=m.version,
            källa=m.källa,
            utgivare=m.utgivare,
            giltig_från=_date(m.giltig_från),
            beskrivning=tx.blocks(m.beskrivning),
            not_=tx.blocks(m.not_),
            kontakt_namn=k.namn if k else None,
            kontakt_epost=epost,
            kontakt_epost_href=tx.safe_url(f"mailto:{epost}") if epost else None,
            kontakt_telefon=k.telefon if k else None,
            kontakt_webb=k.webb if k else None,
            kontakt_webb_href=tx.safe_url(k.webb) if k else None,
        )


def css_class(aktör_id: str) -> str:
    """A CSS class for an aktör; anything outside the id alphabet becomes "_", so an id can
    never break out of the generated stylesheet or a class attribute."""
    return "aktor-" + re.sub(r"[^0-9a-zåäö_-]", "_", aktör_id.lower())


def _aktör(a: Aktör) -> AktörView:
    färg = tx.accent(a.färg)
    return AktörView(
        a.id,
        a.namn,
        a.kortnamn or a.namn,
        färg,
        tx.mix(färg, "#ffffff", 0.1),
        css_class(a.id),
        tx.safe_url(a.webb),
    )


def build_site_view(model: Model) -> SiteView:
    """Gather everything the site shows from a validated model."""
    b = _Builder(model)
    ups = tuple(b.underprocess(e) for e in b.entries)
    aktörer = tuple(b.aktörer.values())
    return SiteView(b.modell(), aktörer, ups, b.overview(ups), b.lagrum(ups), b.search(ups))
