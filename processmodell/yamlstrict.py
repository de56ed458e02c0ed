"""A strict, safe YAML reader that remembers where every value came from.

PyYAML's safe loader follows YAML 1.1: it keeps the last of two duplicate keys, turns `no`,
`on` and `Ja`-like words into booleans, `10:30` into 630, `0123` into 83 and `2019-03-12`
into a date, and expands aliases (a few lines can blow up memory). Editors of flows are not
programmers, so all of that is either an error with a location or plain text here:

- only `true`/`false` are booleans, `null`/`~`/empty is null, `5` and `-3` are integers,
  `1.5` is a decimal number; everything else (`no`, `Ja`, `10:30`, `0123`, dates) is text;
- duplicate keys, anchors/aliases, tags, several documents, tabs in indentation, non-UTF-8,
  empty files, too large files and too deep nesting are errors.

The result is plain Python data plus `marks`: YAML path -> (line, column), both 1-based,
pointing at the key (for mapping entries) or the item (for list entries).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

try:  # the C parser is ~10x faster; the pure one behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024  # a flow file is a few dozen kB; 2 MB is far beyond any real one
MAX_DEPTH = 40

YamlPath = tuple[str | int, ...]
Marks = dict[YamlPath, tuple[int, int]]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+")


@dataclass(frozen=True)
class YamlProblem:
    """One reason a file could not be read; the loader turns it into a Finding."""

    code: str
    message: str
    line: int
    column: int
    hint: str | None = None


class YamlError(Exception):
    def __init__(self, problem: YamlProblem):
        super().__init__(problem.message)
        self.problem = problem


def read_yaml(data: bytes) -> tuple[Any, Marks]:
    """Parse one YAML document from bytes; raise YamlError with a located, Swedish problem."""
    text = _decode(data)
    _check_tabs(text)
    if not _has_content(text):
        raise YamlError(
            YamlProblem("tom-fil", "Filen är tom.", 1, 1, "Skriv innehållet eller ta bort filen.")
        )
    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        raise YamlError(_syntax_problem(exc)) from None
    except yaml.reader.ReaderError as exc:
        raise YamlError(_reader_problem(text, exc)) from None
    except yaml.YAMLError:  # pragma: no cover - every PyYAML error is one of the above
        raise YamlError(YamlProblem("yaml-syntax", "Filen går inte att läsa som YAML.", 1, 1)) from None
    return _Builder(events).document()


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise YamlError(
            YamlProblem(
                "för-stor-fil",
                f"Filen är {len(data) // 1024} kB; högst {MAX_BYTES // 1024} kB tillåts.",
                1,
                1,
                "Dela upp modellen i flera filer, en per underprocess.",
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            YamlProblem(
                "inte-utf8",
                f"Filen är inte UTF-8 (byte 0x{data[exc.start]:02x} går inte att läsa).",
                line,
                column,
                "Spara filen som UTF-8 i editorn (t.ex. 'Spara med kodning: UTF-8').",
            )
        ) from None


def _check_tabs(text: str) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0:
            raise YamlError(
                YamlProblem(
                    "tabb",
                    "Tabbtecken i indraget; YAML tillåter bara mellanslag.",
                    number,
                    tab + 1,
                    "Ersätt tabben med mellanslag (ställ in editorn på 'indrag med mellanslag').",
                )
            )


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> YamlProblem:
    """A character YAML does not allow at all (NUL, other control characters)."""
    # The C reader counts the position in UTF-8 bytes, the pure one in characters.
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character or "\0")[:1] or "\0")
    index = text.find(chr(code))
    if index < 0:
        index = 0
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return YamlProblem(
        "yaml-syntax",
        f"Filen innehåller ett osynligt styrtecken (U+{code:04X}) som YAML inte tillåter.",
        line,
        column,
        "Ta bort tecknet; det kommer ofta med när text klistras in från ett annat program.",
    )


_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "Ett kolon står där det inte får stå.",
        "Sätt texten inom citattecken om den innehåller ': ', eller rätta indraget.",
    ),
    (
        "could not find expected ':'",
        "Ett kolon saknas efter en nyckel.",
        "Skriv 'nyckel: värde', eller sätt en text som fortsätter på nästa rad inom citattecken.",
    ),
    (
        "expected <block end>",
        "Indraget stämmer inte med raderna ovanför.",
        "Rikta in raden med de andra nycklarna på samma nivå (samma antal mellanslag).",
    ),
    (
        "did not find expected key",
        "Indraget stämmer inte med raderna ovanför.",
        "Rikta in raden med de andra nycklarna på samma nivå (samma antal mellanslag).",
    ),
    (
        "found unexpected end of stream",
        "Filen tar slut mitt i ett värde (ett citattecken eller en hakparentes stängs inte).",
        "Stäng citattecknet eller parentesen.",
    ),
    (
        "did not find expected '-' indicator",
        "Raden hör till en lista men står på fel indrag.",
        "Rikta in raden med de andra raderna i listan, eller börja en ny post med '- '.",
    ),
    (
        "did not find expected ','",
        "En lista eller mappning inom hakparenteser eller klammerparenteser stängs inte.",
        "Stäng med ] eller } och skilj värdena åt med kommatecken.",
    ),
    (
        "found character",
        "Ett tecken som inte får inleda ett värde.",
        "Sätt värdet inom citattecken.",
    ),
)


def _syntax_problem(exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(exc.problem or exc.context or "okänt fel")
    for needle, message, hint in _SYNTAX_HINTS:
        if needle in problem:
            return YamlProblem("yaml-syntax", message, line, column, hint)
    return YamlProblem(
        "yaml-syntax",
        "Raden går inte att läsa som YAML.",
        line,
        column,
        "Jämför raden med raderna runt omkring: indrag, kolon efter nyckeln och stängda citattecken "
        "och parenteser.",
    )


class _Builder:
    """Turns parser events into plain data, refusing what flows must not contain."""

    def __init__(self, events: list[yaml.Event]):
        self.events = events
        self.pos = 0
        self.marks: Marks = {}

    def next(self) -> yaml.Event:
        event = self.events[self.pos]
        self.pos += 1
        return event

    def document(self) -> tuple[Any, Marks]:
        self.next()  # StreamStart
        self.next()  # DocumentStart
        value = self.node((), 0)
        self.next()  # DocumentEnd
        extra = self.next()
        if not isinstance(extra, yaml.StreamEndEvent):
            raise self.problem(
                "flera-dokument",
                "Filen innehåller flera YAML-dokument (skilda med '---').",
                extra,
                "En fil får bara innehålla ett dokument; dela upp den i flera filer.",
            )
        self.marks.setdefault((), (1, 1))
        return value, self.marks

    def node(self, path: YamlPath, depth: int) -> Any:
        event = self.next()
        if depth > MAX_DEPTH:
            raise self.problem(
                "för-djup-nästling",
                f"Strukturen är nästlad mer än {MAX_DEPTH} nivåer djupt.",
                event,
                "Förenkla strukturen; en flödesfil behöver sällan mer än sex nivåer.",
            )
        self.refuse_anchor_and_tag(event)
        if isinstance(event, yaml.ScalarEvent):
            return _scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(path, depth)
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path, depth)
        raise self.problem("yaml-syntax", "Oväntat innehåll i YAML-filen.", event)  # pragma: no cover

    def sequence(self, path: YamlPath, depth: int) -> list[Any]:
        items: list[Any] = []
        while not isinstance(self.events[self.pos], yaml.SequenceEndEvent):
            item_path = (*path, len(items))
            self.marks[item_path] = _mark(self.events[self.pos])
            items.append(self.node(item_path, depth + 1))
        self.next()
        return items

    def mapping(self, path: YamlPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not isinstance(self.events[self.pos], yaml.MappingEndEvent):
            key_event = self.next()
            self.refuse_anchor_and_tag(key_event)
            if not isinstance(key_event, yaml.ScalarEvent):
                raise self.problem(
                    "ogiltig-nyckel",
                    "En nyckel måste vara en enkel text, inte en lista eller mappning.",
                    key_event,
                )
            key = key_event.value
            if key in result:
                first_line = self.marks[(*path, key)][0]
                raise self.problem(
                    "dubblett-nyckel",
                    f"Nyckeln '{key}' finns två gånger (först på rad {first_line}).",
                    key_event,
                    "Ta bort eller slå ihop den ena; annars skulle den sista tyst vinna. Ska raden "
                    "börja en ny post i en lista saknas '- ' framför den.",
                )
            self.marks[(*path, key)] = _mark(key_event)
            result[key] = self.node((*path, key), depth + 1)
        self.next()
        return result

    def refuse_anchor_and_tag(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise self.problem(
                "yaml-alias",
                "Ankare och alias (& och *) används inte i flödesfiler.",
                event,
                "Skriv ut värdet där det behövs, eller hänvisa med ett id.",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise self.problem(
                "yaml-tagg",
                f"Taggen '{tag}' är inte tillåten i flödesfiler.",
                event,
                "Ta bort taggen (det som börjar med '!'); skriv värdet som vanlig text.",
            )

    def problem(self, code: str, message: str, event: yaml.Event, hint: str | None = None) -> YamlError:
        line, column = _mark(event)
        return YamlError(YamlProblem(code, message, line, column, hint))


def _mark(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    # Events from the parser always carry a mark; only hand-built events (never made here) lack one.
    assert mark is not None
    return mark.line + 1, mark.column + 1


def _scalar(event: yaml.ScalarEvent) -> Any:
    value = event.value
    if event.style:  # quoted or block scalars are always text (C parser: "" for plain)
        return value
    if value in ("", "~", "null"):
        return None
    if value in ("true", "false"):
        return value == "true"
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value
