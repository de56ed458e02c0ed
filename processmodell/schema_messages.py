"""Pydantic's validation errors, said in plain Swedish with a hint on how to fix them."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from processmodell.model import YamlPath
from processmodell.schema import FlowFile

_TYPE_WORDS = {
    "string_type": "ska vara text",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false",
    "list_type": "ska vara en lista (rader som börjar med '- ')",
    "model_type": "ska vara en mappning (rader med 'nyckel: värde')",
    "model_attributes_type": "ska vara en mappning (rader med 'nyckel: värde')",
    "dict_type": "ska vara en mappning (rader med 'nyckel: värde')",
    "date_parsing": "är inget giltigt datum",
    "date_from_datetime_parsing": "är inget giltigt datum",
    "date_type": "är inget giltigt datum",
}


def describe_error(error: ErrorDetails, path: YamlPath) -> tuple[str, str | None]:
    """(message, hint) for one pydantic error at YAML path `path`."""
    kind = error["type"]
    where = _where(path)
    if kind == "villkor":
        return _unknown_condition(error, where)
    if kind == "missing":
        return f"{where}: nyckeln '{path[-1]}' saknas.", f"Lägg till '{path[-1]}:' med ett värde."
    if kind == "extra_forbidden":
        return _unknown_key(path, where)
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        return (
            f"{where} kan inte vara '{error.get('input')}'.",
            "Välj ett av: " + expected.replace("'", "").replace(" or ", " eller ") + ".",
        )
    if kind in _TYPE_WORDS:
        return f"{where} {_TYPE_WORDS[kind]} (fick {_shown(error.get('input'))}).", _type_hint(kind)
    if kind == "string_pattern_mismatch":
        return (
            f"{where}: '{error.get('input')}' har fel form.",
            f"Värdet ska matcha mönstret {error.get('ctx', {}).get('pattern')}.",
        )
    if kind in ("too_short", "string_too_short"):
        return f"{where} får inte vara tom.", "Fyll i minst ett värde."
    if kind in ("greater_than_equal", "greater_than"):
        return f"{where} är för litet (fick {error.get('input')}).", None
    message = str(error.get("msg", "ogiltigt värde"))
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return f"{where}: {message}.", None


def _where(path: YamlPath) -> str:
    """`rutor[3].nästa` reads poorly for editors; name the key they see in the file."""
    tail: list[str] = []
    for part in reversed(path):
        if isinstance(part, int):
            break
        tail.insert(0, str(part))
    return f"'{'.'.join(tail)}'" if tail else "Värdet"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, list):
        return "en lista"
    if value is None:
        return "inget värde"
    return repr(value) if isinstance(value, str) else str(value)


def _type_hint(kind: str) -> str | None:
    if kind.startswith("date"):
        return 'Skriv datumet ÅÅÅÅ-MM-DD inom citattecken, t.ex. giltig_från: "2025-07-01".'
    if kind.startswith("int"):
        return "Skriv talet med siffror utan citattecken, t.ex. minst: 30."
    if kind.startswith("bool"):
        return "Skriv true eller false (ja/nej tolkas som text)."
    return None


_CONDITION_KEYS = ("fakta", "är", "minst", "högst", "en_av", "alla", "någon", "inte", "antal_minst", "av")


def _unknown_condition(error: ErrorDetails, where: str) -> tuple[str, str | None]:
    """A condition whose keys fit no kind: name the key that looks like a typo."""
    given = error.get("input")
    keys = [str(k) for k in given] if isinstance(given, dict) else []
    hints = []
    for key in keys:
        if key not in _CONDITION_KEYS:
            close = difflib.get_close_matches(key, _CONDITION_KEYS, n=1, cutoff=0.5)
            hints.append(f"Menade du '{close[0]}' i stället för '{key}'?" if close else f"'{key}' är okänd.")
    hints.append(
        "Ett villkor skrivs {fakta: F, är: V}, {fakta: F, minst: N, högst: N}, {fakta: F, en_av: [...]}, "
        "{alla: [...]}, {någon: [...]}, {inte: ...} eller {antal_minst: N, av: [...]}."
    )
    return f"{where} går inte att tolka som ett villkor.", " ".join(hints)


def _unknown_key(path: YamlPath, where: str) -> tuple[str, str | None]:
    key = str(path[-1])
    allowed = sorted(allowed_keys(path[:-1]))
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"Menade du '{close[0]}'?" if close else None
    if allowed:
        listing = "Tillåtna nycklar här: " + ", ".join(allowed) + "."
        hint = f"{hint} {listing}" if hint else listing
    return f"Okänd nyckel '{key}'.", hint


def allowed_keys(path: YamlPath) -> set[str]:
    """The keys the schema allows in the mapping at `path` (empty when unknown)."""
    model: Any = FlowFile
    for part in path:
        if isinstance(part, int):
            continue
        model = _field_type(model, part)
        if model is None:
            return set()
    return _keys(model)


def _keys(model: Any) -> set[str]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return {f.alias or name for name, f in model.model_fields.items()}
    keys: set[str] = set()
    for member in _members(model):
        keys |= _keys(member)
    return keys


def _field_type(model: Any, key: str) -> Any:
    for member in [model, *_members(model)]:
        if isinstance(member, type) and issubclass(member, BaseModel):
            for name, info in member.model_fields.items():
                if key in (name, info.alias):
                    return info.annotation
    return None


def _members(tp: Any) -> list[Any]:
    """Flatten Optional/Union/list/Annotated into the model classes inside."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _members(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType, list):
        out: list[Any] = []
        for arg in typing.get_args(tp):
            out.extend([arg] if isinstance(arg, type) and issubclass(arg, BaseModel) else _members(arg))
        return out
    return []
