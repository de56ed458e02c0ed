"""Case files: saving a walk privately and atomically, and resuming it safely.

A case file is JSON with a format marker and version, the model's content hash, and the case's
event log. It never holds identity: notes that look like a personnummer are refused.

Saving: a temporary file created 0600 in the target folder (never a moment where others can
read it), written, flushed, fsynced, renamed over the target, and the folder fsynced, so a
crash leaves either the old file or the new one, never half of one.

Resuming: a file others can read is refused (the fix is `chmod 600`); a corrupt or foreign
file is reported and left untouched; against a changed model the walk goes on only if every
ruta and answer on its path still exists, otherwise the message says exactly what changed.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from processmodell.findings import os_reason
from processmodell.interpreter import (
    CONSENT,
    CONSULT,
    FACTS,
    RETURN,
    START,
    Case,
    Event,
    Interpreter,
    Node,
    check_facts,
    replay,
)
from processmodell.personnummer import refusal

FORMAT = "processmodell-ärende"
FORMAT_VERSION = 1

# event attribute -> key in the file (the file is read by Swedish-speaking people too)
_EVENT_KEYS = (
    ("how", "hur"),
    ("ruta", "ruta"),
    ("target", "till"),
    ("answer", "svar"),
    ("kind", "slag"),
    ("reason", "skäl"),
    ("fakta", "fakta"),
    ("values", "värden"),
    ("date", "datum"),
    ("time", "tid"),
    ("note", "not"),
)
_KNOWN_HOWS = {"start", "valt", "härlett", "automatisk", "samtycke", "konsultation", "återkomst", "fakta"}


class CaseFileError(Exception):
    """A case file that cannot be written or used; the message is Swedish, for the user."""


@dataclass
class Resumed:
    case: Case
    notices: list[str]  # e.g. that the model changed but the path is intact


# ---------------------------------------------------------------- to and from plain data


def to_data(case: Case, interp: Interpreter | None = None) -> dict[str, Any]:
    model = interp.model if interp else None
    meta = model.modell if model else None
    return {
        "format": FORMAT,
        "formatversion": FORMAT_VERSION,
        "modell": {
            "hash": case.model_hash,
            "namn": meta.namn if meta else None,
            "version": meta.version if meta else None,
        },
        "underprocess": case.underprocess,
        "start": case.start,
        "position": case.position,
        "stack": list(case.stack),
        "fakta": dict(case.initial_facts),
        "händelser": [_event_data(e) for e in case.events],
    }


def _event_data(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr, key in _EVENT_KEYS:
        value = getattr(event, attr)
        if value is not None and value != "":
            out[key] = value
    return out


def from_data(data: Any, name: str) -> Case:
    """Rebuild a case from a file's data; CaseFileError says what is wrong with it."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CaseFileError(
            f'{name} är ingen ärendefil från processmodell (formatmarkeringen "format: {FORMAT}" saknas). '
            "Filen har inte ändrats."
        )
    version = data.get("formatversion")
    if version != FORMAT_VERSION:
        raise CaseFileError(
            f"{name} har formatversion {version}, men den här versionen av processmodell läser version "
            f"{FORMAT_VERSION}. Filen har inte ändrats."
        )
    try:
        case = Case(
            model_hash=_text(data["modell"]["hash"]),
            underprocess=_text(data["underprocess"]),
            start=_text(data["start"]),
            initial_facts=dict(data["fakta"]),
            events=[_event(e) for e in data["händelser"]],
        )
        stored = (_text(data["position"]), tuple(_text(s) for s in data["stack"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CaseFileError(f"{name} är skadad: {_what(exc)}. Filen har inte ändrats.") from None
    if not case.events or case.events[0].how != START:
        raise CaseFileError(
            f"{name} är skadad: händelselistan börjar inte med start. Filen har inte ändrats."
        )
    replay(case)
    if (case.position, case.stack) != stored:
        raise CaseFileError(
            f"{name} är motsägelsefull: position {stored[0]} stämmer inte med händelserna "
            f"(som slutar i {case.position}). Filen har inte ändrats."
        )
    _refuse_identity(case, name)
    return case


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"väntade text, fann {value!r}")
    return value


def _event(data: Any) -> Event:
    if not isinstance(data, dict):
        raise ValueError("en händelse är inte en mappning")
    keys = dict(_EVENT_KEYS)
    unknown = set(data) - set(keys.values())
    if unknown:
        raise ValueError(f"okänd nyckel {sorted(unknown)[0]!r} i en händelse")
    # Values straight from the case file's JSON: how and ruta are checked here, the rest are
    # taken as `to_data` wrote them from an Event, so their types are not known statically.
    by_attr: dict[str, Any] = {attr: data.get(key) for attr, key in _EVENT_KEYS}
    if by_attr["how"] not in _KNOWN_HOWS:
        raise ValueError(f"okänd händelse {by_attr['how']!r}")
    _text(by_attr["ruta"])
    by_attr["date"] = by_attr["date"] or ""
    by_attr["time"] = by_attr["time"] or ""
    return Event(**by_attr)


def _what(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"nyckeln {exc.args[0]!r} saknas"
    return str(exc)


def _refuse_identity(case: Case, name: str) -> None:
    for event in case.events:
        if event.note and refusal(event.note):
            raise CaseFileError(
                f"{name} innehåller en anteckning som ser ut som ett personnummer eller samordningsnummer "
                f"(vid ruta {event.ruta}). Ta bort numret ur filen; den har inte ändrats."
            )


# ---------------------------------------------------------------- writing


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, readable by the owner only (0600)."""
    path = Path(path)
    if path.is_dir():
        raise CaseFileError(f"{path} är en katalog. Ange ett filnamn, t.ex. {path / 'ärende.json'}.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CaseFileError(f"Katalogen {folder} finns inte; skapa den eller välj en annan fil.")
    # mkstemp creates the file 0600 from the start: no window where others could read it.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some file systems cannot open a folder; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(case: Case, path: Path, interp: Interpreter | None = None) -> None:
    """Save the case atomically and privately (0600)."""
    _refuse_identity(case, str(path))
    text = json.dumps(to_data(case, interp), ensure_ascii=False, indent=2) + "\n"
    try:
        write_private(Path(path), text)
    except OSError as exc:
        raise CaseFileError(f"Kunde inte spara ärendet i {path}: {os_reason(exc)}.") from None


# ---------------------------------------------------------------- reading


def load(path: Path) -> Case:
    """Read a case file (without a model). Refuses files that others can read."""
    path = Path(path)
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CaseFileError(f"Ärendefilen {name} finns inte.") from None
    except OSError as exc:
        raise CaseFileError(f"Kunde inte läsa {name}: {os_reason(exc)}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise CaseFileError(f"{name} är en katalog, inte en ärendefil.")
    if not stat.S_ISREG(info.st_mode):
        raise CaseFileError(f"{name} är ingen vanlig fil.")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise CaseFileError(
            f"Ärendefilen {name} kan läsas av andra än du (rättigheter {mode:o}). Ett ärende ska vara "
            f"privat; gör filen privat med: chmod 600 {name}"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CaseFileError(f"Kunde inte läsa {name}: {os_reason(exc)}.") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CaseFileError(
            f"{name} är ingen ärendefil: den är inte UTF-8-text. Filen har inte ändrats."
        ) from None
    except json.JSONDecodeError as exc:
        raise CaseFileError(_unreadable(name, exc)) from None
    return from_data(data, name)


def _unreadable(name: str, exc: json.JSONDecodeError) -> str:
    """A case file that is not JSON: damaged (cut off while it was copied or written by hand) or
    another kind of file. What the JSON parser missed is a detail, not the story."""
    if not exc.doc.strip():
        what = "filen är tom"
    elif exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string"):
        # the parser ran out of text: the file stops in the middle (a string never closes)
        what = "filen tar slut mitt i texten, som om den har klippts av"
    else:
        what = f"texten är inte giltig JSON på rad {exc.lineno}, kolumn {exc.colno}"
    return (
        f"{name} är skadad eller ingen ärendefil från processmodell: {what}. Använd en kopia som du "
        "har sparat tidigare, eller starta ett nytt ärende. Filen har inte ändrats."
    )


def json_reason(msg: str) -> str:
    reasons = {
        "Expecting value": "ett värde saknas",
        "Unterminated string starting at": "en text tar aldrig slut",
        "Expecting ',' delimiter": "ett kommatecken saknas",
        "Expecting property name enclosed in double quotes": "en nyckel saknar citattecken",
        "Extra data": "text efter slutet",
    }
    return reasons.get(msg, msg)


def resume(path: Path, interp: Interpreter) -> Resumed:
    """Load a case and check it against the current model (see `compare`)."""
    case = load(path)
    problems = compare(case, interp)
    if problems:
        listing = "\n".join(f"- {p}" for p in problems)
        raise CaseFileError(
            f"Modellen har ändrats sedan ärendet i {path} sparades, och ärendets väg finns inte längre:\n"
            f"{listing}\nProcessmodell gissar inte hur ärendet ska flyttas. Starta ett nytt ärende, "
            "eller återställ modellen till versionen ärendet sparades med. Filen har inte ändrats."
        )
    notices = []
    if case.model_hash != interp.model.content_hash:
        notices.append(
            "Modellen har ändrats sedan ärendet sparades. Alla rutor och svar på ärendets väg finns kvar, "
            "så ärendet fortsätter med den nya modellen."
        )
        case.model_hash = interp.model.content_hash
    return Resumed(case, notices)


def compare(case: Case, interp: Interpreter) -> list[str]:
    """What on the case's path no longer exists in the model (empty when the path is intact)."""
    if case.model_hash == interp.model.content_hash:
        return []
    problems: list[str] = []
    for event in case.events:
        for problem in _event_problems(event, interp):
            if problem not in problems:
                problems.append(problem)
    _, fact_problems = check_facts(interp.model, dict(case.initial_facts))
    problems.extend(fact_problems)
    return problems


def _event_problems(event: Event, interp: Interpreter) -> list[str]:
    nodes = interp.nodes
    node = nodes.get(event.ruta)
    if node is None:
        return [f"ruta {event.ruta} finns inte längre"]
    if event.how in (CONSENT, FACTS):
        missing = [f for f in event.fakta or () if f not in interp.model.fakta]
        return [f"fakta '{f}' (registrerad vid ruta {event.ruta}) finns inte längre" for f in missing]
    if event.how == START:
        return []
    if event.target is not None and event.target not in nodes:
        return [f"ruta {event.target} finns inte längre"]
    if event.how == CONSULT:
        if node.consult is None or node.consult.target != event.target:
            return [f"ruta {event.ruta} konsulterar inte längre {event.target}"]
        return []
    if event.how == RETURN:
        return [] if node.kind == "slut" else [f"ruta {event.ruta} är inte längre en slutruta"]
    return _way_problems(event, node)


def _way_problems(event: Event, node: Node) -> list[str]:
    if event.answer is None:
        if any(w.target == event.target for w in node.ways):
            return []
        return [f"vägen från ruta {event.ruta} till {event.target} finns inte längre"]
    same = [w for w in node.ways if w.key == event.answer.casefold()]
    if same:
        if any(w.target == event.target for w in same):
            return []
        now = ", ".join(w.target for w in same)
        return [
            f"svaret '{event.answer}' vid ruta {event.ruta} leder nu till {now}, inte till {event.target}"
        ]
    renamed = [w.answer for w in node.ways if w.target == event.target and w.answer]
    hint = f" (omdöpt till '{renamed[0]}'?)" if len(renamed) == 1 else ""
    return [f"svaret '{event.answer}' vid ruta {event.ruta} finns inte längre{hint}"]
