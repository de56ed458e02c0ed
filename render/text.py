"""Small text helpers for the renderers: safe URLs, guidance text blocks, Swedish wording of
durations and conditions. Pure functions of strings; no HTML is produced here (templates
escape everything)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from processmodell.schema import (
    Fakta,
    VillkorAlla,
    VillkorAntal,
    VillkorEnAv,
    VillkorInte,
    VillkorIntervall,
    VillkorLika,
    VillkorNågon,
)

# ---------------------------------------------------------------- URLs

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Browsers drop tabs and newlines inside URLs ("java\nscript:" runs), and controls have no
# business in a link, so any of them makes the URL unusable.
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def safe_url(url: object) -> str | None:
    """The URL if it is http(s), mailto or relative (same site), else None.

    Protocol-relative URLs ("//host/x") are external loads in disguise and are refused, as are
    backslash tricks ("/\\host") that browsers treat like "//"."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _CONTROL_RE.search(url) or "\\" in url:
        return None
    match = _SCHEME_RE.match(url)
    if match:
        return url if match.group(1).lower() in _ALLOWED_SCHEMES else None
    if url.startswith("//"):
        return None
    # A colon before the first slash would be read as a scheme by some parsers.
    head = url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return None if ":" in head else url


# ---------------------------------------------------------------- guidance text


@dataclass(frozen=True)
class Block:
    """A paragraph (`items` empty) or a bullet list (`text` empty)."""

    text: str = ""
    items: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def blocks(text: str | None) -> tuple[Block, ...]:
    """Split guidance text into paragraphs (blank-line separated) and "- " bullet lists.

    Lines inside a paragraph are joined with spaces; an indented line after a bullet continues
    that bullet."""
    out: list[Block] = []
    para: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if para:
            out.append(Block(text=" ".join(para)))
            para.clear()
        if items:
            out.append(Block(items=tuple(items)))
            items.clear()

    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("- ") or stripped == "-":
            if para:
                flush()
            items.append(stripped[1:].strip())
        elif items and line[:1] in (" ", "\t"):
            items[-1] = f"{items[-1]} {stripped}"
        else:
            if items:
                flush()
            para.append(stripped)
    flush()
    return tuple(out)


def plain(text: str | None) -> str:
    """Text on one line (for search and tooltips)."""
    return " ".join((text or "").split())


# ---------------------------------------------------------------- durations

_DURATION_RE = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_UNITS = (("år", "år"), ("månad", "månader"), ("vecka", "veckor"), ("dag", "dagar"))


def _parts(iso: str) -> list[tuple[int, int]]:
    """[(unit index, amount)] of a duration, zero parts left out; [] if not a duration."""
    match = _DURATION_RE.match(iso)
    if not match:
        return []
    return [(i, int(v)) for i, v in enumerate(match.groups()) if v and int(v)]


def _join_sv(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


def duration(iso: str | None) -> str:
    """P30D → "30 dagar", P1M → "1 månad", P1Y2M → "1 år och 2 månader"."""
    if not iso:
        return ""
    parts = _parts(iso)
    if not parts:
        return iso
    return _join_sv([f"{n} {_UNITS[i][0] if n == 1 else _UNITS[i][1]}" for i, n in parts])


def _ordinal(n: int) -> str:
    last, last_two = n % 10, n % 100
    return f"{n}:{'a' if last in (1, 2) and last_two not in (11, 12) else 'e'}"


def every(iso: str) -> str:
    """P3M → "var 3:e månad", P1M → "varje månad", P2W → "varannan vecka"."""
    parts = _parts(iso)
    if len(parts) != 1:
        return f"med intervallet {duration(iso)}"
    unit, n = parts[0]
    word = _UNITS[unit][0]
    if n == 1:
        return f"varje {word}"
    if n == 2:
        return f"varannan {word}" if unit != 0 else "vartannat år"
    return f"var {_ordinal(n)} {word}"


# ---------------------------------------------------------------- conditions


def _fakta_name(fakta_id: str) -> str:
    return fakta_id.replace("_", " ")


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


def condition(villkor: object, fakta: dict[str, Fakta]) -> str:
    """A condition in plain Swedish: "ålder 19–29 år", "har läkarintyg = ja och …"."""
    if isinstance(villkor, VillkorLika):
        return f"{_fakta_name(villkor.fakta)} = {_value(villkor.är)}"
    if isinstance(villkor, VillkorIntervall):
        known = fakta.get(villkor.fakta)
        unit = f" {known.enhet}" if known is not None and known.enhet else ""
        name = _fakta_name(villkor.fakta)
        if villkor.minst is not None and villkor.högst is not None:
            return f"{name} {villkor.minst}–{villkor.högst}{unit}"
        if villkor.minst is not None:
            return f"{name} minst {villkor.minst}{unit}"
        return f"{name} högst {villkor.högst}{unit}"
    if isinstance(villkor, VillkorEnAv):
        return f"{_fakta_name(villkor.fakta)} är {_join_sv(list(villkor.en_av)).replace(' och ', ' eller ')}"
    if isinstance(villkor, VillkorAlla):
        return " och ".join(_nested(v, fakta) for v in villkor.alla)
    if isinstance(villkor, VillkorNågon):
        return " eller ".join(_nested(v, fakta) for v in villkor.någon)
    if isinstance(villkor, VillkorInte):
        return f"inte {_nested(villkor.inte, fakta)}"
    if isinstance(villkor, VillkorAntal):
        return f"minst {villkor.antal_minst} av: " + "; ".join(condition(v, fakta) for v in villkor.av)
    return ""


def _nested(villkor: object, fakta: dict[str, Fakta]) -> str:
    text = condition(villkor, fakta)
    combined = isinstance(villkor, (VillkorAlla, VillkorNågon, VillkorAntal))
    return f"({text})" if combined else text


# ---------------------------------------------------------------- colours

_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#4a4a4a"


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`share` of `colour` mixed with `other`."""
    a, b = _channels(colour), _channels(other)
    return "#" + "".join(f"{round(x * share + y * (1 - share)):02x}" for x, y in zip(a, b, strict=True))


def accent(colour: str | None) -> str:
    """A valid accent colour with at least 4.5:1 contrast on white (darkened if needed), so an
    editor's light colour cannot make text unreadable."""
    if not isinstance(colour, str) or not _COLOUR_RE.match(colour):
        return DEFAULT_COLOUR
    colour = colour.lower()
    while contrast(colour, "#ffffff") < 4.5:
        colour = mix(colour, "#000000", 0.9)
    return colour
