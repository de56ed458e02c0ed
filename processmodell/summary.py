"""What a walk amounts to, as plain data and Swedish text: the path, the decisions with their
reasons and lagrum, the frister, the notes, and a journal text a socialsekreterare can paste.

The journal speaks the way a journal note does: underprocesser and rutor by name and number
("Socialtjänsten – sjukskriven, ruta 5 (Finns läkarintyg?)"), fakta by their question, never
by their ids. The CLI renders this (rich for people, JSON for tools); nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from processmodell.interpreter import (
    AUTO,
    CHOSEN,
    CONSENT,
    CONSULT,
    DERIVED,
    FACTS,
    KLAR,
    RETURN,
    START,
    UPPFYLLD,
    ÖVERLÄMNING,
    Case,
    Event,
    FristDue,
    FristSet,
    Interpreter,
    open_due,
    path,
)
from processmodell.wording import lagrum_label

HANDOVER = "överlämning"  # Decision.how for a hand-over no one had to choose


@dataclass
class Decision:
    ruta: str  # qualified
    rubrik: str
    how: str  # valt | härlett | samtycke | konsultation | återkomst | fakta | överlämning
    text: str  # Swedish, one sentence without its full stop: what happened
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


@dataclass
class Note:
    ruta: str  # qualified: where the case stood when the note was written
    date: str
    text: str

    def as_dict(self) -> dict[str, object]:
        return {"ruta": self.ruta, "datum": self.date, "text": self.text}


class Summary:
    """Everything a reader wants to know about a case, computed once."""

    def __init__(self, interp: Interpreter, case: Case, on: dt.date | None = None):
        self.interp = interp
        self.case = case
        self.on = on or dt.date.today()
        self.path = path(case)
        self.status = interp.status(case)
        self.decisions = self._decisions(case.events)
        log = interp.frist_log(case)
        # the open frister's due dates; the met ones (reached their `till`) separately
        self.frister: list[FristDue] = open_due(log)
        self.finished: list[FristSet] = [s for s in log if s.state == UPPFYLLD]
        self.notes = [
            Note(e.target if e.target is not None else e.ruta, e.date, line)
            for e in case.events
            if e.note
            for line in e.note.splitlines()
            if line.strip()
        ]

    # ------------------------------------------------------------ names

    def rubrik(self, qualified: str) -> str:
        node = self.interp.nodes.get(qualified)
        return node.ruta.rubrik if node else "(finns inte i modellen)"

    def up_name(self, underprocess: str) -> str:
        entry = self.interp.model.underprocesser.get(underprocess)
        return entry.meta.namn if entry else underprocess

    def place(self, qualified: str) -> str:
        """'Socialtjänsten – sjukskriven, ruta 5 (Finns läkarintyg?)'; a ruta the source does not
        number (an end such as 'självförsörjande') by its rubrik only."""
        up = qualified.partition("/")[0]
        return f"{self.up_name(up)}, {self.ruta_words(qualified)}"

    def ruta_words(self, qualified: str) -> str:
        """'ruta 5 (Finns läkarintyg?)', or the rubrik alone for an unnumbered ruta."""
        rid = qualified.partition("/")[2]
        if rid[:1].isdigit():
            return f"ruta {rid} ({self.rubrik(qualified)})"
        return self.rubrik(qualified)

    def lagrum_of(self, qualified: str) -> list[str]:
        node = self.interp.nodes.get(qualified)
        if node is None:
            return []
        found = [self.interp.model.lagrum.get(i) for i in node.ruta.lagrum]
        return [lagrum_label(x) for x in found if x is not None]

    def fact_statement(self, name: str, value: object) -> str:
        """'Hur gammal är individen? 34 år': a fakta as its question and the answer."""
        decl = self.interp.model.fakta.get(name)
        if isinstance(value, bool):
            shown = "Ja" if value else "Nej"
        elif decl is not None and decl.enhet:
            shown = f"{value} {decl.enhet}"
        else:
            shown = str(value)
        question = decl.fråga.strip() if decl is not None else name.replace("_", " ")
        if not question.endswith(("?", ":")):
            question += ":"
        return f"{question} {shown}"

    # ------------------------------------------------------------ decisions

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
            return None  # recorded during the walk (or noted at an earlier ruta), listed there
        consented.add(node.consent)
        text = f"Samtycke fanns redan. {self.fact_statement(node.consent, True)}"
        return Decision(e.ruta, node.ruta.rubrik, CONSENT, text, None, None, self.lagrum_of(e.ruta), e.date)

    def _decision(self, e: Event) -> Decision | None:
        node = self.interp.nodes.get(e.ruta)
        if e.how == AUTO:
            if e.kind != ÖVERLÄMNING:
                return None  # an ordinary step is the path, not a decision
            how = HANDOVER
        elif e.how in (CHOSEN, DERIVED, CONSENT, CONSULT, RETURN, FACTS):
            how = e.how
        else:
            return None
        if e.how == CHOSEN and (node is None or node.kind != "beslut") and e.kind != ÖVERLÄMNING:
            return None  # choosing a step's only way is not a decision
        text = self._decision_text(e)
        law = self.lagrum_of(e.ruta)
        return Decision(e.ruta, self.rubrik(e.ruta), how, text, e.answer, e.reason, law, e.date)

    def _decision_text(self, e: Event) -> str:
        if e.how in (CHOSEN, DERIVED, AUTO):
            if e.answer is None:
                said = ""
            elif e.how == DERIVED:
                said = f"{e.answer}, avgjort av uppgifterna i ärendet ({_readable(e.reason)})"
            else:
                said = f"{e.answer}, enligt handläggarens bedömning"
            if e.kind != ÖVERLÄMNING:
                return said
            handover = f"ärendet lämnas över till {self.place(e.target or '')}{self._responsible(e)}"
            return f"{said}; {handover}" if said else handover[0].upper() + handover[1:]
        if e.how == CONSENT:
            return "Samtycke registrerat. " + " ".join(
                sentence(self.fact_statement(f, True)) for f in e.fakta or []
            )
        if e.how == CONSULT:
            target = e.target or ""
            up = target.partition("/")[0]
            return f"Konsultation av {self.up_name(up)} ({self._ruta_comma(target)})"
        if e.how == RETURN:
            up = e.ruta.partition("/")[0]
            return (
                f"Konsultationen av {self.up_name(up)} är avslutad; ärendet går tillbaka till "
                f"{self.place(e.target or '')}"
            )
        return self._facts_text(e)

    def _ruta_comma(self, qualified: str) -> str:
        """'ruta 1, Bedöma behov av samverkan' (inside parentheses already)."""
        rid = qualified.partition("/")[2]
        rubrik = self.rubrik(qualified)
        return f"ruta {rid}, {rubrik}" if rid[:1].isdigit() else rubrik

    def _responsible(self, e: Event) -> str:
        node = self.interp.nodes.get(e.ruta)
        if node is None:
            return ""
        for way in node.ways:
            if way.target == e.target and way.answer == e.answer and way.ansvarig:
                aktör = self.interp.model.aktörer.get(way.ansvarig)
                return f". {aktör.namn if aktör else way.ansvarig} ansvarar för kontakten"
        return ""

    def _facts_text(self, e: Event) -> str:
        values = e.values or {}
        node = self.interp.nodes.get(e.ruta)
        consent = node.consent if node is not None else None
        if consent is not None and values.get(consent) is False:
            statement = sentence(self.fact_statement(consent, False))
            rest = {k: v for k, v in values.items() if k != consent}
            extra = "".join(f" {sentence(self.fact_statement(k, v))}" for k, v in rest.items())
            return (
                f"Individen samtycker inte. {statement}{extra} Utan samtycke kan ärendet inte gå "
                "vidare härifrån"
            )
        statements = " ".join(sentence(self.fact_statement(k, v)) for k, v in values.items()).rstrip(".")
        word = "Uppgift registrerad" if len(values) == 1 else "Uppgifter registrerade"
        return f"{word}: {statements}"

    # ------------------------------------------------------------ plain data

    def as_dict(self) -> dict[str, object]:
        """The case as plain data (the core of `stega --json`): a met frist is listed once per
        due date, like the open ones, so a recurring follow-up keeps all its dates."""
        return {
            "status": self.status,
            "väg": self.path,
            "position": self.case.position,
            "beslut": [d.as_dict() for d in self.decisions],
            "frister": [f.as_dict() for f in self.frister],
            "avklarade_frister": [
                {**d.as_dict(), "status": s.state, "vid": s.vid, "avslutad": s.avslutad}
                for s in self.finished
                for d in s.due()
            ],
            "anteckningar": [n.as_dict() for n in self.notes],
        }

    # ------------------------------------------------------------ journal

    def journal_lines(self) -> list[str]:
        """A short, factual Swedish journal text (Markdown list syntax reads fine as plain text)."""
        model = self.interp.model
        meta = model.modell
        name = f"{meta.namn} (version {meta.version})" if meta else "processkartan"
        first = self.case.events[0].date
        start = self.place(self.case.start)
        lines = [sentence(f"Ärendet har stegats i {name} från och med {first}, med start i {start}")]
        if self.case.initial_facts:
            known = " ".join(sentence(self.fact_statement(k, v)) for k, v in self.case.initial_facts.items())
            lines.append(f"Uppgifter vid start: {known}")
        lines.append("")
        if self.decisions:
            lines.append("Bedömningar och händelser:")
            for d in self.decisions:
                law = lagrum_sentence(d.lagrum)
                lines.append(f"- {d.date}, {self.place(d.ruta)}: {sentence(d.text)}{law}")
            lines.append("")
        lines.extend(self._frist_lines())
        if self.notes:
            lines.append("Anteckningar:")
            for n in self.notes:
                lines.append(f"- {n.date}, {self.place(n.ruta)}: {n.text}")
            lines.append("")
        lines.append(self._where())
        return lines

    def _frist_lines(self) -> list[str]:
        lines: list[str] = []
        if self.frister:
            lines.append("Öppna frister:")
            for f in self.frister:
                lines.append(
                    f"- Senast {f.datum}: {sentence(f.beskrivning)} "
                    f"Räknat från {f.från} i {self.place(f.ruta)}."
                )
            lines.append("")
        if self.finished:
            # "Passed", not "done": a walk stepped in one sitting reaches the follow-up ruta on
            # the day the frist was set, months before the follow-up is due.
            lines.append("Frister som ärendet har passerat i kartan:")
            lines.extend(f"- {self.passed_text(s)}" for s in self.finished)
            lines.append("")
        return lines

    def passed_text(self, s: FristSet) -> str:
        dates = ", ".join(d.datum for d in s.due())
        return (
            f"{sentence(s.beskrivning)} Datum: {dates}. Satt {s.från} i {self.place(s.ruta)}; "
            f"ärendet nådde {self.ruta_words(s.vid or '')} {s.avslutad}."
        )

    def _where(self) -> str:
        where = self.place(self.case.position)
        if self.status == KLAR:
            return sentence(f"Läge: Ärendet är avslutat i {where}")
        node = self.interp.nodes.get(self.case.position)
        if node is not None and node.consent is not None and self.case.facts.get(node.consent) is not True:
            return sentence(f"Läge: Ärendet väntar på individens samtycke i {where}")
        return sentence(f"Läge: Ärendet väntar i {where}")

    def journal_text(self) -> str:
        return "\n".join(self.journal_lines()) + "\n"

    def journal_markdown(self) -> str:
        return "# Journalanteckning\n\n" + self.journal_text()


def lagrum_sentence(labels: list[str]) -> str:
    """' Lagrum: SFB 33 kap., Finsamlagen.' without a doubled full stop; '' when none."""
    if not labels:
        return ""
    return " Lagrum: " + ", ".join(labels).rstrip(".") + "."


def sentence(text: str) -> str:
    """A full stop unless the text already ends a sentence ('…? Ja' gets one, '…?' does not)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _readable(reason: str | None) -> str:
    """'har_läkarintyg = ja' reads 'har läkarintyg = ja' in a journal."""
    return (reason or "").replace("_", " ")
