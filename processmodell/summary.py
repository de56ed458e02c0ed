"""What a walk amounts to, as plain data and Swedish text: the path, the decisions with their
reasons and lagrum, the frister, and a journal text a socialsekreterare can paste.

The CLI renders this (rich for people, JSON for tools); nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from processmodell.interpreter import (
    CHOSEN,
    CONSENT,
    CONSULT,
    DERIVED,
    FACTS,
    KLAR,
    RETURN,
    START,
    Case,
    Event,
    FristDue,
    Interpreter,
    path,
)
from processmodell.wording import lagrum_label, yes_no


@dataclass
class Decision:
    ruta: str  # qualified
    rubrik: str
    how: str  # valt | härlett | samtycke | konsultation | återkomst | fakta
    text: str  # Swedish, one line: what happened
    answer: str | None
    reason: str | None
    lagrum: list[str]  # labels, e.g. "SFB 33 kap."
    date: str

    def as_dict(self) -> dict[str, object]:
        return {
            "ruta": self.ruta,
            "rubrik": self.rubrik,
            "hur": self.how,
            "svar": self.answer,
            "skäl": self.reason,
            "lagrum": self.lagrum,
            "datum": self.date,
            "text": self.text,
        }


class Summary:
    """Everything a reader wants to know about a case, computed once."""

    def __init__(self, interp: Interpreter, case: Case, on: dt.date | None = None):
        self.interp = interp
        self.case = case
        self.on = on or dt.date.today()
        self.path = path(case)
        self.status = interp.status(case)
        self.decisions = self._decisions(case.events)
        self.frister: list[FristDue] = interp.frister(case)

    def rubrik(self, qualified: str) -> str:
        node = self.interp.nodes.get(qualified)
        return node.ruta.rubrik if node else "(finns inte i modellen)"

    def label(self, qualified: str) -> str:
        """'soc-sjukskriven 5 Finns läkarintyg?'."""
        up, _, rid = qualified.partition("/")
        return f"{up} {rid} {self.rubrik(qualified)}"

    def lagrum_of(self, qualified: str) -> list[str]:
        node = self.interp.nodes.get(qualified)
        if node is None:
            return []
        found = [self.interp.model.lagrum.get(i) for i in node.ruta.lagrum]
        return [lagrum_label(x) for x in found if x is not None]

    def _decisions(self, events: list[Event]) -> list[Decision]:
        out: list[Decision] = []
        previous: Event | None = None
        consented: set[str] = set()  # consent fakta recorded during the walk
        for e in events:
            if e.how == CONSENT:
                consented.update(e.fakta or ())
            given = self._consent_from_facts(e, previous, consented)
            if given is not None:
                out.append(given)
            decision = self._decision(e)
            if decision is not None:
                out.append(decision)
            previous = e
        return out

    def _consent_from_facts(self, e: Event, previous: Event | None, consented: set[str]) -> Decision | None:
        """A samtycke ruta passed because the consent was among the fakta the case was given."""
        node = self.interp.nodes.get(e.ruta)
        if node is None or node.consent is None or e.how in (START, CONSENT, FACTS, RETURN):
            return None
        if previous is not None and previous.how == RETURN and previous.target == e.ruta:
            return None  # leaving after a consultation: the consent was noted on the way in
        if node.consent in consented:
            return None  # recorded during the walk, and listed where it was recorded
        text = f"individens samtycke finns enligt given fakta ({node.consent} = ja)"
        return Decision(e.ruta, node.ruta.rubrik, CONSENT, text, None, None, self.lagrum_of(e.ruta), e.date)

    def _decision(self, e: Event) -> Decision | None:
        if e.how not in (CHOSEN, DERIVED, CONSENT, CONSULT, RETURN, FACTS):
            return None
        node = self.interp.nodes.get(e.ruta)
        if e.how == CHOSEN and (node is None or node.kind != "beslut"):
            return None  # choosing a step's only way is not a decision
        rubrik = self.rubrik(e.ruta)
        text = self._decision_text(e)
        return Decision(e.ruta, rubrik, e.how, text, e.answer, e.reason, self.lagrum_of(e.ruta), e.date)

    def _decision_text(self, e: Event) -> str:
        if e.how == CHOSEN:
            return f"{e.answer} (bedömning av handläggaren)"
        if e.how == DERIVED:
            return f"{e.answer} (avgjort av fakta: {e.reason})"
        if e.how == CONSENT:
            fakta = ", ".join(e.fakta or [])
            return f"individens samtycke registrerat ({fakta})"
        if e.how == CONSULT:
            return f"konsultation av {self.label(e.target or '')}"
        if e.how == RETURN:
            return f"konsultationen avslutad; tillbaka till {self.label(e.target or '')}"
        values = ", ".join(f"{k} = {yes_no(v)}" for k, v in (e.values or {}).items())
        return f"fakta registrerade: {values}"

    # ------------------------------------------------------------ plain data

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "väg": self.path,
            "position": self.case.position,
            "beslut": [d.as_dict() for d in self.decisions],
            "frister": [f.as_dict() for f in self.frister],
        }

    # ------------------------------------------------------------ journal

    def journal_lines(self) -> list[str]:
        """A short, factual Swedish journal text (Markdown list syntax reads fine as plain text)."""
        model = self.interp.model
        meta = model.modell
        name = f"{meta.namn} (version {meta.version})" if meta else "processkartan"
        start_up = model.underprocesser.get(self.case.underprocess)
        up_name = start_up.meta.namn if start_up else self.case.underprocess
        first = self.case.events[0].date
        lines = [
            f"Ärendet har stegats i {name} från {first}. Start i {up_name}, ruta "
            f"{self.case.start.split('/', 1)[1]} ({self.rubrik(self.case.start)}).",
            "",
        ]
        if self.decisions:
            lines.append("Bedömningar och händelser:")
            for d in self.decisions:
                law = lagrum_sentence(d.lagrum)
                lines.append(f"- {d.date} ruta {_short(d.ruta)} {d.rubrik}: {d.text}.{law}")
            lines.append("")
        if self.frister:
            lines.append("Frister:")
            for f in self.frister:
                lines.append(
                    f"- senast {f.datum}: {f.beskrivning.rstrip('.')} "
                    f"(ruta {_short(f.ruta)}, räknat från {f.från})"
                )
            lines.append("")
        where = f"ruta {_short(self.case.position)} ({self.rubrik(self.case.position)})"
        if self.status == KLAR:
            lines.append(f"Läge: ärendet är avslutat i {where}.")
        else:
            lines.append(f"Läge: ärendet väntar i {where}.")
        return lines

    def journal_text(self) -> str:
        return "\n".join(self.journal_lines()) + "\n"

    def journal_markdown(self) -> str:
        return "# Journalanteckning\n\n" + self.journal_text()


def lagrum_sentence(labels: list[str]) -> str:
    """' Lagrum: SFB 33 kap., Finsamlagen.' without a doubled full stop; '' when none."""
    if not labels:
        return ""
    return " Lagrum: " + ", ".join(labels).rstrip(".") + "."


def _short(qualified: str) -> str:
    """'soc-sjukskriven/5' reads 'soc-sjukskriven 5' in Swedish prose."""
    return qualified.replace("/", " ", 1)
