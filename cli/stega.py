"""`processmodell stega`: walk a case through the map, one ruta at a time.

Interactive (a terminal and no --json): every ruta is shown with its guidance, lagrum,
blanketter, samtycke and frist, and the ways forward as a numbered menu. Otherwise the walk
never prompts: it goes as far as fakta and --svar allow and stops (exit 3) at the first open
question, or ends (exit 0). Bad input is exit 2 with the valid choices listed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cli.common import EXIT_OK, EXIT_WAITING, CommandError, load_model, report
from processmodell.findings import os_reason
from processmodell.interpreter import KLAR, Case, Interpreter, Options, WalkError


@dataclass
class Session:
    interp: Interpreter
    case: Case
    date: str
    spara: Path | None
    fortsätt: Path | None
    journal: Path | None
    notices: list[str] = field(default_factory=list)  # for every reader, --json included
    resumed: str | None = None  # "Fortsätter ärendet från …": for people (--json knows what it asked)
    by_hand: set[str] = field(default_factory=set)  # beslut the user answers without the fakta


def run(
    katalog: Path,
    underprocess: str | None,
    start: str | None,
    fakta: Path | None,
    svar: list[str],
    spara: Path | None,
    fortsätt: Path | None,
    datum: str | None,
    journal: Path | None,
    json_out: bool,
) -> int:
    try:
        session = _open(katalog, underprocess, start, fakta, spara, fortsätt, datum, journal)
        from processmodell.interpreter import AnswerBook

        answers = AnswerBook.parse(svar)
        for key, value in answers.given():
            session.interp.check_answer_key(key, value, session.case.current_underprocess)
        if not json_out and sys.stdin.isatty() and sys.stdout.isatty():
            from cli import stega_interaktiv

            return stega_interaktiv.run(session, answers)
        return _batch(session, answers, json_out)
    except (CommandError, WalkError) as exc:
        return report("stega", exc)


# ---------------------------------------------------------------- opening the case


def _open(
    katalog: Path,
    underprocess: str | None,
    start: str | None,
    fakta: Path | None,
    spara: Path | None,
    fortsätt: Path | None,
    datum: str | None,
    journal: Path | None,
) -> Session:
    date = _date(datum)
    interp = Interpreter(load_model(katalog, require_valid=False))
    facts = read_facts(fakta) if fakta else {}
    notices: list[str] = []
    if fortsätt is not None:
        from processmodell.casefile import CaseFileError, resume

        if start is not None:
            raise CommandError(
                "--start och --fortsätt går inte att kombinera: ett sparat ärende har redan en startruta."
            )
        try:
            resumed = resume(fortsätt, interp)
        except CaseFileError as exc:
            raise CommandError(str(exc)) from None
        case, notices = resumed.case, resumed.notices
        if underprocess is not None and underprocess not in (case.underprocess, case.current_underprocess):
            raise CommandError(
                f"Ärendet i {fortsätt} startade i {case.underprocess} och står nu i "
                f"{case.current_underprocess}, inte i {underprocess}."
            )
        confirmation = resumed_line(interp, case, fortsätt)
        changed = {k: v for k, v in facts.items() if case.facts.get(k) != v}
        if changed:
            interp.set_facts(case, changed, date)
        return Session(interp, case, date, spara, fortsätt, journal, notices, confirmation)
    if underprocess is None:
        raise CommandError("Ange vilken underprocess ärendet ska starta i, t.ex. soc-sjukskriven.")
    case = interp.start(underprocess, start, facts, date)
    return Session(interp, case, date, spara, fortsätt, journal, notices)


def resumed_line(interp: Interpreter, case: Case, file: Path) -> str:
    """'Fortsätter ärendet från ärende.json, senast vid Socialtjänsten – sjukskriven, ruta 15
    (Behov av samordnad rehabilitering?), senast ändrat 2026-01-15.'"""
    from processmodell.summary import Summary

    summary = Summary(interp, case)
    last = next((e.date for e in reversed(case.events) if e.date), "")
    when = f", senast ändrat {last}" if last else ""
    return f"Fortsätter ärendet från {file}, senast vid {summary.place(case.position)}{when}."


def _date(datum: str | None) -> str:
    if datum is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(datum).isoformat()
    except ValueError:
        raise CommandError(f"--datum '{datum}' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-01-15.") from None


def read_facts(path: Path) -> dict[str, Any]:
    """A --fakta file: YAML (strict) or JSON, a mapping of fakta id to value."""
    from processmodell.findings import ModelError

    path = Path(path)
    if not path.exists():
        raise CommandError(f"Faktafilen {path} finns inte. Ange en YAML- eller JSON-fil, t.ex. fakta.yaml.")
    if path.is_dir():
        raise CommandError(f"{path} är en katalog, inte en faktafil. Ange en YAML- eller JSON-fil.")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            from processmodell.casefile import os_reason

            raise CommandError(f"Faktafilen {path} kan inte läsas: {os_reason(exc)}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: filen är inte UTF-8-text.") from None
        except json.JSONDecodeError as exc:
            from processmodell.casefile import json_reason

            raise CommandError(
                f"{path}:{exc.lineno}:{exc.colno}: ogiltig JSON: {json_reason(exc.msg)}."
            ) from None
    else:
        from processmodell.loader import read_yaml_file

        try:
            data = read_yaml_file(path)
        except ModelError as exc:
            raise CommandError("\n".join(_finding_lines(exc.findings, path))) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CommandError(f"{path}: faktafilen ska vara en mappning, t.ex. 'ålder: 34' på varje rad.")
    if isinstance(data.get("fakta"), dict) and len(data) == 1:
        data = data["fakta"]  # a scenario-like file: {fakta: {...}}
    return {str(k): v for k, v in data.items()}


def _finding_lines(findings, path: Path) -> list[str]:
    """The loader's located findings for a --fakta file: 'fil:rad:kolumn: meddelande' + tips."""
    lines = [f"Faktafilen {path} kan inte läsas:"]
    for f in findings:
        where = f"{f.location}" if f.location else str(path)
        lines.append(f"{where}: {f.message}")
        if f.hint:
            lines.append(f"  tips: {f.hint}")
    return lines


# ---------------------------------------------------------------- non-interactive


def _batch(session: Session, answers, json_out: bool) -> int:
    from processmodell.interpreter import walk

    interp, case = session.interp, session.case
    opts = walk(interp, case, answers, session.date)
    unused = answers.unused()
    saved = _save_if_asked(session)
    from processmodell.summary import Summary

    summary = Summary(interp, case, dt.date.fromisoformat(session.date))
    if session.journal is not None:
        write_journal(session.journal, summary)
    if json_out:
        data = result_data(summary, opts)
        data["meddelanden"] = session.notices + [f"Svar som inte användes: {', '.join(unused)}"] * bool(
            unused
        )
        if saved:
            data["sparad"] = str(saved)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        from cli import stega_visning

        notices = [session.resumed, *session.notices] if session.resumed else session.notices
        stega_visning.print_batch(summary, opts, notices, unused, saved)
    return EXIT_OK if opts.status == KLAR else EXIT_WAITING


def question_data(opts: Options) -> dict[str, Any]:
    q: dict[str, Any] = {
        "ruta": opts.ruta,
        "text": opts.question,
        "svar": [c.way.answer or c.way.target for c in opts.offered],
    }
    # The fakta that would settle the question: the missing consent first, then the unknown
    # fakta the answers' villkor read. A caller passes them with --fakta.
    consent = [opts.consent.fakta] if opts.consent is not None else []
    deciding = list(dict.fromkeys([*consent, *opts.fakta]))
    if deciding:
        q["fakta"] = deciding
    if opts.consent is not None:
        q["samtycke"] = {"fakta": opts.consent.fakta, "beskrivning": opts.consent.beskrivning}
    if opts.excluded:
        q["ej_möjliga"] = [{"svar": c.way.answer or c.way.target, "skäl": c.reason} for c in opts.excluded]
    return q


def result_data(summary, opts: Options) -> dict[str, Any]:
    """The --json document: status, väg, position, frågor, frister (+ beslut, modell)."""
    model = summary.interp.model
    data = summary.as_dict()
    return {
        "status": data["status"],
        "väg": data["väg"],
        "position": data["position"],
        "frågor": [] if opts.status == KLAR else [question_data(opts)],
        "frister": data["frister"],
        "avklarade_frister": data["avklarade_frister"],
        "beslut": data["beslut"],
        "anteckningar": data["anteckningar"],
        "modell": {
            "namn": model.modell.namn if model.modell else None,
            "version": model.modell.version if model.modell else None,
            "hash": model.content_hash,
        },
    }


def _save_if_asked(session: Session) -> Path | None:
    if session.spara is None:
        return None
    save_case(session, session.spara)
    return session.spara


def save_case(session: Session, target: Path) -> None:
    from processmodell.casefile import CaseFileError, save

    try:
        save(session.case, target, session.interp)
    except CaseFileError as exc:
        raise CommandError(str(exc)) from None


def write_journal(target: Path, summary) -> None:
    from processmodell.casefile import CaseFileError, write_private

    try:
        write_private(Path(target), summary.journal_markdown())
    except CaseFileError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"Kunde inte skriva journalen {target}: {os_reason(exc)}.") from None
