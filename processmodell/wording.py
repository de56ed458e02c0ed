"""Swedish wording shared by every view of a model: the command line (`visa`, `stega`), the
journal text, the validator's messages and the HTML site all say a condition, a duration, a
frist, a lagrum or a list the same way, because they say it through these functions.

Pure functions of schema objects and strings: no rich, no Jinja, no HTML (the templates
escape what they get). What only one view needs (a rich line, an HTML link) stays there.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping

from processmodell import schema

# ---------------------------------------------------------------- values and lists


def yes_no(value: object) -> str:
    """A fakta value as a Swedish reader expects it: ja/nej for booleans, else as written."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


def join_sv(items: Iterable[str], last: str = "och") -> str:
    """'a, b och c' (or 'a, b eller c' with last='eller'): Swedish enumeration, no serial comma."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def quote_list(items: Iterable[str], last: str = "och") -> str:
    """Quoted names the reader should find verbatim in the YAML: 'a', 'b' och 'c'."""
    return join_sv((f"'{item}'" for item in items), last)


# ---------------------------------------------------------------- durations

# The schema has already checked the form (schema.DURATION_RE); this one captures the numbers.
_DURATION_RE = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_UNITS = (("år", "år"), ("månad", "månader"), ("vecka", "veckor"), ("dag", "dagar"))
_YEAR = 0
# "var tredje månad": the source writes small ordinals in words; larger ones read as "var 21:a dag".
_ORDINALS = {
    3: "tredje",
    4: "fjärde",
    5: "femte",
    6: "sjätte",
    7: "sjunde",
    8: "åttonde",
    9: "nionde",
    10: "tionde",
    11: "elfte",
    12: "tolfte",
}


def _parts(iso: str) -> list[tuple[int, int]]:
    """[(unit index, amount)] of a duration, zero parts left out; [] if it is not one."""
    match = _DURATION_RE.match(iso)
    if not match:
        return []
    return [(i, int(v)) for i, v in enumerate(match.groups()) if v and int(v)]


def _amount(unit: int, n: int) -> str:
    one, many = _UNITS[unit]
    return f"{n} {one if n == 1 else many}"


def duration(iso: str | None) -> str:
    """P30D → '30 dagar', P1M → '1 månad', P8W → '8 veckor', P1Y2M → '1 år och 2 månader'.

    Anything that is not a duration is returned as written (the schema rejects it anyway)."""
    if not iso:
        return ""
    parts = _parts(iso)
    if not parts:
        return iso
    return join_sv(_amount(unit, n) for unit, n in parts)


def _ordinal(n: int) -> str:
    if n in _ORDINALS:
        return _ORDINALS[n]
    last, last_two = n % 10, n % 100
    return f"{n}:{'a' if last in (1, 2) and last_two not in (11, 12) else 'e'}"


def every(iso: str) -> str:
    """P1M → 'varje månad', P2W → 'varannan vecka', P3M → 'var tredje månad',
    P21D → 'var 21:a dag', P2Y → 'vartannat år' (år is neuter: vart, vartannat)."""
    parts = _parts(iso)
    if len(parts) != 1:
        return f"med intervallet {duration(iso)}"
    unit, n = parts[0]
    word = _UNITS[unit][0]
    if n == 1:
        return f"varje {word}"
    if n == 2:
        return "vartannat år" if unit == _YEAR else f"varannan {word}"
    return f"{'vart' if unit == _YEAR else 'var'} {_ordinal(n)} {word}"


def span(minst: str | None, högst: str | None) -> str:
    """A range of durations: '10–12 månader', '8 veckor' (both the same), '1 månad – 1 år',
    'minst 1 månad', 'högst 1 år'."""
    if minst and högst:
        low, high = _parts(minst), _parts(högst)
        if minst == högst:
            return duration(minst)
        if len(low) == len(high) == 1 and low[0][0] == high[0][0]:
            unit = low[0][0]
            return f"{low[0][1]}–{high[0][1]} {_UNITS[unit][1]}"
        return f"{duration(minst)} – {duration(högst)}"
    if minst:
        return f"minst {duration(minst)}"
    return f"högst {duration(högst)}"


def frist_when(frist: schema.Frist) -> str:
    """'inom 30 dagar', or 'var tredje månad, i högst 12 månader' for a recurring frist, and
    where it is met: '…, uppfylld vid ruta 9'."""
    if frist.inom:
        when = f"inom {duration(frist.inom)}"
    else:
        when = every(frist.var or "")
        when = f"{when}, i högst {duration(frist.längst)}" if frist.längst else when
    tills = frist.till_rutor()
    return f"{when}, uppfylld vid ruta {join_sv(tills, 'eller')}" if tills else when


def frist_text(frist: schema.Frist) -> str:
    """'Ansökan ska handläggas inom 30 dagar. (inom 30 dagar)': the model's words, then the time."""
    return f"{frist.beskrivning.strip()} ({frist_when(frist)})"


def varaktighet_text(varaktighet: schema.Varaktighet) -> str:
    """'Kartläggningen tar (1–3 månader)'; the span alone when there is no beskrivning, and the
    beskrivning alone when it already says the span ('4–5 månader (G)')."""
    when = span(varaktighet.minst, varaktighet.högst)
    beskrivning = (varaktighet.beskrivning or "").strip()
    if not beskrivning:
        return when
    return beskrivning if when in beskrivning else f"{beskrivning} ({when})"


# ---------------------------------------------------------------- lagrum


def lagrum_place(lagrum: schema.Lagrum) -> str:
    """'2 kap. 7 §', '33 kap.', or '' for a whole law."""
    parts = []
    if lagrum.kapitel:
        parts.append(f"{lagrum.kapitel} kap.")
    if lagrum.paragraf:
        parts.append(f"{lagrum.paragraf} §")
    return " ".join(parts)


def lagrum_label(lagrum: schema.Lagrum, sfs: bool = False) -> str:
    """'SFB 30 kap. 8 §', 'Finsamlagen'; with sfs: 'SFB 30 kap. 8 §, SFS 2010:110'."""
    label = " ".join(p for p in (lagrum.kortnamn, lagrum_place(lagrum)) if p)
    return f"{label}, SFS {lagrum.sfs}" if sfs else label


def repealed_note(lagrum: schema.Lagrum, on: _dt.date | None = None) -> str | None:
    """'upphävd 2025-07-01, ersatt av …' when the lagrum no longer applies on `on`.

    `giltig_till` is the last day the law applied, so it was repealed the day after. Without a
    date (the published site, which must not depend on the day it was built) any lagrum with
    a `giltig_till` gets the note."""
    if lagrum.giltig_till is None or (on is not None and lagrum.giltig_till >= on):
        return None
    note = f"upphävd {(lagrum.giltig_till + _dt.timedelta(days=1)).isoformat()}"
    return f"{note}, ersatt av {lagrum.ersatt_av}" if lagrum.ersatt_av else note


# ---------------------------------------------------------------- blanketter

# What a reader is about to open: a form to fill in, an appendix, a decision aid or just a web
# page. Only the slag that are forms say "Blankett", so a home page is never called one.
_BLANKETT_LABELS = {
    "bilaga": "Bilaga",
    "anmälan": "Blankett",
    "samtycke": "Blankett",
    "ansökan": "Blankett",
    "beslutsstöd": "Beslutsstöd",
    "insatskatalog": "Insatskatalog",
    "webbplats": "Webbplats",
    "annat": "Dokument",  # e.g. a mapping document named in the text, often without an address
}


def blankett_label(slag: schema.BlankettSlag | str | None) -> str:
    """The word before a blankett's name, by its slag: 'Bilaga', 'Blankett', 'Beslutsstöd',
    'Insatskatalog', 'Webbplats', 'Dokument' (annat); 'Länk' for anything unknown."""
    value = slag.value if isinstance(slag, schema.BlankettSlag) else str(slag or "")
    return _BLANKETT_LABELS.get(value, "Länk")


# ---------------------------------------------------------------- conditions


def fakta_name(fakta_id: str) -> str:
    """'har_läkarintyg' reads 'har läkarintyg'."""
    return fakta_id.replace("_", " ")


def condition(villkor: schema.Villkor, fakta: Mapping[str, schema.Fakta] | None = None) -> str:
    """A condition in the fakta's own words: 'ålder 19–29 år', 'har läkarintyg = ja',
    'insats är a, b eller c', 'inte (a och b)'. `fakta` gives units (enhet) when known."""
    fakta = fakta or {}
    if isinstance(villkor, schema.VillkorLika):
        return f"{fakta_name(villkor.fakta)} = {yes_no(villkor.är)}"
    if isinstance(villkor, schema.VillkorIntervall):
        return _interval(villkor, fakta.get(villkor.fakta))
    if isinstance(villkor, schema.VillkorEnAv):
        return f"{fakta_name(villkor.fakta)} är {join_sv(villkor.en_av, 'eller')}"
    if isinstance(villkor, schema.VillkorAlla):
        return " och ".join(_nested(v, fakta) for v in villkor.alla)
    if isinstance(villkor, schema.VillkorNågon):
        return " eller ".join(_nested(v, fakta) for v in villkor.någon)
    if isinstance(villkor, schema.VillkorInte):
        return f"inte {_nested(villkor.inte, fakta)}"
    if isinstance(villkor, schema.VillkorAntal):
        return f"minst {villkor.antal_minst} av: " + "; ".join(condition(v, fakta) for v in villkor.av)
    return ""


def _interval(villkor: schema.VillkorIntervall, known: schema.Fakta | None) -> str:
    unit = f" {known.enhet}" if known is not None and known.enhet else ""
    name = fakta_name(villkor.fakta)
    if villkor.minst is not None and villkor.högst is not None:
        return f"{name} {villkor.minst}–{villkor.högst}{unit}"
    if villkor.minst is not None:
        return f"{name} minst {villkor.minst}{unit}"
    return f"{name} högst {villkor.högst}{unit}"


def _nested(villkor: schema.Villkor, fakta: Mapping[str, schema.Fakta]) -> str:
    """A combined condition inside another one gets brackets, so 'a och (b eller c)' is clear."""
    text = condition(villkor, fakta)
    combined = isinstance(villkor, (schema.VillkorAlla, schema.VillkorNågon, schema.VillkorAntal))
    return f"({text})" if combined else text
