"""Small text helpers for the renderers: safe URLs, guidance text blocks and accent colours.
Pure functions of strings; no HTML is produced here (templates escape everything). The
Swedish wording of durations, conditions and lagrum is `processmodell.wording`, shared with
the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
