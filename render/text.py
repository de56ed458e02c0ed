"""Small text helpers for the renderers: safe URLs, guidance text blocks, inline code and web
addresses in that text, and accent colours. Pure functions of strings; no HTML is produced
here (templates escape everything; `render.site.rich` turns spans into escaped HTML). The
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


@dataclass(frozen=True)
class Span:
    """A piece of one line of guidance text: plain text, a `code` span or a web address."""

    text: str
    kind: str = "text"  # "text" | "code" | "link"
    href: str | None = None  # for "link": the address, already through safe_url


# Inline code is the only markup YAML text has: `självförsörjande` names an id. A span is one
# or more characters between two backticks on one line; anything else stays as written.
_CODE_RE = re.compile(r"`([^`\n]+)`")
# A web address in running text. It starts where a word starts and stops at white space or a
# character that cannot be in one unescaped (quotes, angle brackets, backtick).
_URL_RE = re.compile(r"(?<![\w@/])https?://[^\s<>\"'`]+", re.IGNORECASE)
_HOST_RE = re.compile(r"https?://[^/?#.]", re.IGNORECASE)
# Punctuation that ends the sentence, not the address: "se https://x.se/a." links ".../a".
_TRAILING = ".,;:!?"
_CLOSING = {")": "(", "]": "[", "}": "{"}


def _url_end(url: str) -> str:
    """The address without the sentence's punctuation after it; a closing bracket stays only
    when the address opened one ("https://sv.wikipedia.org/wiki/A_(B)")."""
    while url:
        last = url[-1]
        if last in _TRAILING or last in "'\"»”’":
            url = url[:-1]
        elif last in _CLOSING and url.count(last) > url.count(_CLOSING[last]):
            url = url[:-1]
        else:
            break
    return url


def _links(text: str) -> list[Span]:
    spans: list[Span] = []
    at = 0
    for match in _URL_RE.finditer(text):
        url = _url_end(match.group(0))
        href = safe_url(url) if _HOST_RE.match(url) else None
        if href is None:
            continue  # "https://" without a host, or refused by safe_url: stays text
        if match.start() > at:
            spans.append(Span(text[at : match.start()]))
        spans.append(Span(url, "link", href))
        at = match.start() + len(url)
    if at < len(text):
        spans.append(Span(text[at:]))
    return spans


def inline(text: str | None) -> tuple[Span, ...]:
    """One line of guidance text as spans: `code` becomes a code span, an http(s) address
    outside code a link (only if `safe_url` allows it). Templates escape every span."""
    spans: list[Span] = []
    value = text or ""
    at = 0
    for match in _CODE_RE.finditer(value):
        spans += _links(value[at : match.start()])
        spans.append(Span(match.group(1), "code"))
        at = match.end()
    spans += _links(value[at:])
    return tuple(spans)


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
