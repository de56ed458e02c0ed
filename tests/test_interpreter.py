"""The interpreter: walking a case, consultations, hand-overs, samtycke, decisions, frister, undo."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from pydantic import TypeAdapter
from walkmodels import build, chain

from processmodell import conditions
from processmodell.frister import add, add_months, due_dates, parse_duration
from processmodell.interpreter import (
    AUTO,
    CHOSEN,
    CONSENT,
    CONSULT,
    DERIVED,
    KLAR,
    RETURN,
    START,
    VÄNTAR,
    AnswerBook,
    Interpreter,
    WalkError,
    check_facts,
    fact_from_text,
    fact_question,
    path,
    replay,
    walk,
)
from processmodell.schema import Frist, Villkor

SOC = """
underprocess: {id: soc, namn: Soc sjukskriven, aktör: socialtjansten}
rutor:
  - {id: "1a", typ: start, rubrik: Individen kontaktar socialtjänsten, nästa: "2"}
  - {id: "1b", typ: start, rubrik: Individen har redan kontakt, nästa: "2"}
  - {id: "2", typ: steg, rubrik: Mottagning, nästa: "5", lagrum: [sol]}
  - id: "5"
    typ: beslut
    rubrik: Finns läkarintyg?
    alternativ:
      - {svar: Ja, till: "7", villkor: {fakta: har_läkarintyg, är: true}}
      - {svar: Nej, till: "6", villkor: {fakta: har_läkarintyg, är: false}}
  - {id: "6", typ: steg, rubrik: Ej sjukskriven, nästa: "fk/1"}
  - id: "7"
    typ: beslut
    rubrik: Läkarintyg komplett?
    alternativ: [{svar: Ja, till: "11"}, {svar: Nej, till: "9"}]
  - id: "9"
    typ: steg
    rubrik: Rehabiliteringsförfrågan
    samtycke: {fakta: samtycke_rehabiliteringsförfrågan, beskrivning: Samtycke till att förfrågan skickas}
    nästa: "11"
  - id: "11"
    typ: beslut
    rubrik: Utreda förutsättningar
    alternativ:
      - {svar: Finsamteam, till: "13"}
      - {svar: Försäkringskassan, till: "fk/1", ansvarig: socialtjansten, väntetid: P2W}
  - id: "13"
    typ: steg
    rubrik: Finsamteam
    konsultera: finsamteam/1
    samtycke: {fakta: samtycke_finsamteam, beskrivning: Individen skriver på samtycke}
    nästa: "15"
  - id: "15"
    typ: beslut
    rubrik: Behov av samordnad rehabilitering?
    alternativ: [{svar: Ja, till: ersättning}, {svar: Nej, till: "16"}]
  - {id: "16", typ: slut, rubrik: Inget behov}
  - id: ersättning
    typ: beslut
    rubrik: Aktivitetsersättning eller sjukersättning?
    lagrum: [sfb-33]
    alternativ:
      - svar: Aktivitetsersättning
        till: aktivitetsersättning
        villkor: {fakta: ålder, minst: 19, högst: 29}
      - {svar: Sjukersättning, till: sjukersättning, villkor: {fakta: ålder, minst: 30}}
      - {svar: Annan försörjning, till: annan, villkor: {fakta: ålder, högst: 18}}
  - {id: aktivitetsersättning, typ: slut, rubrik: Aktivitetsersättning}
  - {id: sjukersättning, typ: slut, rubrik: Sjukersättning}
  - {id: annan, typ: slut, rubrik: Annan försörjning}
"""

FINSAMTEAM = """
underprocess: {id: finsamteam, namn: Finsamteam, aktör: finsam}
rutor:
  - id: "1"
    typ: start
    rubrik: Anmälan till Finsamteam
    nästa: "2"
    frist: {beskrivning: Uppföljning, var: P3M, längst: P12M}
  - id: "2"
    typ: beslut
    rubrik: Tas ärendet upp?
    alternativ: [{svar: Ja, till: "3"}, {svar: Nej, till: "4"}]
  - {id: "3", typ: slut, rubrik: Planering}
  - {id: "4", typ: slut, rubrik: Ej upptaget}
"""

FK = """
underprocess: {id: fk, namn: Försäkringskassan, aktör: fk}
rutor:
  - id: "1"
    typ: start
    rubrik: Ansökan om samordning
    nästa: "2"
    frist: {beskrivning: Ansökan handläggs, inom: P30D}
  - {id: "2", typ: slut, rubrik: Beslut}
"""

DAY = "2026-01-15"


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter(build({"soc.yaml": SOC, "finsamteam.yaml": FINSAMTEAM, "fk.yaml": FK}))


def hows(case) -> list[tuple[str, str]]:
    return [(e.how, e.ruta) for e in case.events]


# ---------------------------------------------------------------- opening


def test_start_takes_the_first_start_ruta(interp):
    case = interp.start("soc", date=DAY)
    assert case.position == "soc/1a"
    assert case.events[0].how == START and case.events[0].date == DAY
    assert case.model_hash == interp.model.content_hash


def test_start_at_a_named_ruta(interp):
    assert interp.start("soc", "1b").position == "soc/1b"
    assert interp.start("soc", "soc/7").position == "soc/7"


def test_unknown_underprocess_lists_the_valid_ones(interp):
    with pytest.raises(WalkError) as err:
        interp.start("socc")
    assert err.value.message == "Okänd underprocess 'socc'. Välj en av: finsamteam, fk, soc."
    assert err.value.choices == ["finsamteam", "fk", "soc"]


def test_unknown_start_ruta_lists_the_rutor(interp):
    with pytest.raises(WalkError) as err:
        interp.start("fk", "9")
    assert err.value.message == "Ruta '9' finns inte i fk. Startrutor: 1; alla rutor: 1, 2."


def test_bad_facts_are_refused_with_every_problem(interp):
    with pytest.raises(WalkError) as err:
        interp.start("soc", facts={"ålder": "34", "okänd": 1, "har_läkarintyg": 1})
    assert err.value.message.splitlines() == [
        "Fakta som inte går att använda:",
        "- fakta 'ålder' ska vara ett heltal, inte '34'",
        "- okänd fakta 'okänd'. Modellen känner till: beslutsdatum, har_läkarintyg, kommentar, "
        "läkarintyg_komplett, samtycke_finsamteam, samtycke_rehabiliteringsförfrågan, stadsdel, ålder",
        "- fakta 'har_läkarintyg' ska vara true eller false (boolesk), inte 1",
    ]


@pytest.mark.parametrize(
    ("facts", "problem"),
    [
        ({"ålder": 15}, "fakta 'ålder' = 15 är mindre än lägsta tillåtna värde 16"),
        ({"ålder": 70}, "fakta 'ålder' = 70 är större än högsta tillåtna värde 67"),
        ({"ålder": True}, "fakta 'ålder' ska vara ett heltal, inte 'true'"),  # as written in the file
        (
            {"har_läkarintyg": "false"},
            "fakta 'har_läkarintyg' ska vara true eller false (boolesk), inte 'false'",
        ),
        (
            {"alder": 40},
            "okänd fakta 'alder'. Menade du 'ålder'? Modellen känner till: beslutsdatum, har_läkarintyg, "
            "kommentar, läkarintyg_komplett, samtycke_finsamteam, samtycke_rehabiliteringsförfrågan, "
            "stadsdel, ålder",
        ),
        ({"stadsdel": "väster"}, "fakta 'stadsdel' ska vara ett av norr, söder, inte 'väster'"),
        (
            {"beslutsdatum": "2026-13-01"},
            "fakta 'beslutsdatum' ska vara ett datum ÅÅÅÅ-MM-DD, inte '2026-13-01'",
        ),
        ({"kommentar": 5}, "fakta 'kommentar' ska vara text, inte 5"),
    ],
)
def test_fact_problems(interp, facts, problem):
    assert check_facts(interp.model, facts) == ({}, [problem])


def test_dates_are_normalised_to_text(interp):
    assert check_facts(interp.model, {"beslutsdatum": dt.date(2026, 1, 2)}) == (
        {"beslutsdatum": "2026-01-02"},
        [],
    )


# ---------------------------------------------------------------- automatic steps and decisions


def test_advance_stops_at_an_undecided_question(interp):
    case = interp.start("soc", date=DAY)
    opts = interp.advance(case, DAY)
    assert opts.status == VÄNTAR and opts.ruta == "soc/5"
    assert [c.way.answer for c in opts.offered] == ["Ja", "Nej"]
    assert opts.decided is None
    assert path(case) == ["soc/1a", "soc/2", "soc/5"]
    assert [e.how for e in case.events] == [START, AUTO, AUTO]


def test_a_known_fact_decides_and_the_reason_is_recorded(interp):
    case = interp.start("soc", facts={"har_läkarintyg": True})
    opts = interp.advance(case)
    assert opts.ruta == "soc/7"
    derived = case.events[-1]
    assert (derived.how, derived.ruta, derived.answer, derived.target) == (DERIVED, "soc/5", "Ja", "soc/7")
    assert derived.reason == "har_läkarintyg = ja"
    assert derived.fakta == ["har_läkarintyg"]


def test_age_decides_the_ersättning_with_reason(interp):
    case = interp.start("soc", "ersättning", facts={"ålder": 34})
    opts = interp.advance(case)
    assert opts.status == KLAR and case.position == "soc/sjukersättning"
    assert case.events[-1].reason == "ålder = 34 ≥ 30"


@pytest.mark.parametrize(
    ("age", "end", "reason"),
    [(25, "aktivitetsersättning", "ålder = 25, inom 19–29"), (17, "annan", "ålder = 17 ≤ 18")],
)
def test_age_boundaries(interp, age, end, reason):
    case = interp.start("soc", "ersättning", facts={"ålder": age})
    interp.advance(case)
    assert case.position == f"soc/{end}"
    assert case.events[-1].reason == reason


def test_false_conditions_are_not_offered_and_say_why(interp):
    case = interp.start("soc", "ersättning", facts={"ålder": 34})
    opts = interp.options(case)
    assert [c.way.answer for c in opts.offered] == ["Sjukersättning"]
    assert [(c.way.answer, c.reason) for c in opts.excluded] == [
        ("Aktivitetsersättning", "villkoret gäller inte: ålder = 34 > 29"),
        ("Annan försörjning", "villkoret gäller inte: ålder = 34 > 18"),
    ]
    with pytest.raises(WalkError) as err:
        interp.choose(case, "aktivitetsersättning")
    assert err.value.message == (
        "Svaret 'aktivitetsersättning' erbjuds inte vid ruta soc/ersättning (Aktivitetsersättning eller "
        "sjukersättning?): villkoret gäller inte: ålder = 34 > 29. "
        "Välj ett av: 'Sjukersättning' (→ sjukersättning)."
    )


def test_unknown_age_offers_every_answer(interp):
    case = interp.start("soc", "ersättning")
    opts = interp.advance(case)
    assert opts.status == VÄNTAR
    assert [c.way.answer for c in opts.offered] == [
        "Aktivitetsersättning",
        "Sjukersättning",
        "Annan försörjning",
    ]


def test_an_answer_without_villkor_is_never_decided(interp):
    # 7 has no villkor: even läkarintyg_komplett known does not decide it.
    case = interp.start("soc", "7", facts={"läkarintyg_komplett": True})
    assert interp.advance(case).ruta == "soc/7"


# ---------------------------------------------------------------- choosing


def test_choose_by_text_case_insensitive_or_by_target(interp):
    case = interp.start("soc", "7")
    event = interp.choose(case, "nej")
    assert (event.how, event.answer, event.target) == (CHOSEN, "Nej", "soc/9")
    case = interp.start("soc", "7")
    assert interp.choose(case, "11").answer == "Ja"


def test_an_answer_not_offered_lists_the_choices(interp):
    case = interp.start("soc", "7")
    with pytest.raises(WalkError) as err:
        interp.choose(case, "Kanske")
    assert err.value.message == (
        "Svaret 'Kanske' finns inte vid ruta soc/7 (Läkarintyg komplett?). "
        "Välj ett av: 'Ja' (→ 11), 'Nej' (→ 9)."
    )
    assert err.value.choices == ["'Ja' (→ 11)", "'Nej' (→ 9)"]


def test_hand_over_is_marked_and_moves_the_case(interp):
    case = interp.start("soc", "11")
    opts = interp.options(case)
    fk = opts.offered[1].way
    assert (fk.kind, fk.target, fk.ansvarig, fk.väntetid) == ("överlämning", "fk/1", "socialtjansten", "P2W")
    interp.choose(case, "Försäkringskassan")
    assert case.current_underprocess == "fk"
    assert interp.advance(case).status == KLAR
    assert path(case) == ["soc/11", "fk/1", "fk/2"]


def test_choosing_at_an_end_is_refused(interp):
    case = interp.start("fk")
    interp.advance(case)
    with pytest.raises(WalkError) as err:
        interp.choose(case, "Ja")
    assert err.value.message == "Ärendet är redan klart (ruta fk/2); det finns inget att välja."


# ---------------------------------------------------------------- samtycke and consultation


def test_samtycke_blocks_until_recorded(interp):
    case = interp.start("soc", "9", date=DAY)
    opts = interp.advance(case, DAY)
    assert opts.ruta == "soc/9" and opts.offered == []
    assert opts.consent is not None and opts.consent.fakta == "samtycke_rehabiliteringsförfrågan"
    assert opts.excluded[0].reason == (
        "kräver samtycke (samtycke_rehabiliteringsförfrågan): Samtycke till att förfrågan skickas"
    )
    with pytest.raises(WalkError) as err:
        interp.choose(case, "11")
    assert "erbjuds inte vid ruta soc/9 (Rehabiliteringsförfrågan): kräver samtycke" in err.value.message
    event = interp.record_samtycke(case, date=DAY)
    assert (event.how, event.fakta) == (CONSENT, ["samtycke_rehabiliteringsförfrågan"])
    assert interp.advance(case, DAY).ruta == "soc/11"


def test_samtycke_given_as_fakta_lets_the_walk_pass(interp):
    case = interp.start("soc", "9", facts={"samtycke_rehabiliteringsförfrågan": True})
    assert interp.advance(case).ruta == "soc/11"


def test_samtycke_refused_as_fakta_still_blocks(interp):
    case = interp.start("soc", "9", facts={"samtycke_rehabiliteringsförfrågan": False})
    opts = interp.advance(case)
    assert opts.ruta == "soc/9" and opts.consent is not None


def test_record_samtycke_where_none_is_asked(interp):
    case = interp.start("soc", "7")
    with pytest.raises(WalkError) as err:
        interp.record_samtycke(case)
    assert err.value.message == "Ruta soc/7 kräver inget samtycke; ange vilken samtyckesfakta som avses."
    with pytest.raises(WalkError) as err:
        interp.record_samtycke(case, "ålder")
    assert err.value.message == "'ålder' är ingen samtyckesfakta (boolesk fakta) i modellen."


def test_consultation_goes_and_comes_back_to_the_ways_forward(interp):
    case = interp.start("soc", "11", facts={"samtycke_finsamteam": True})
    interp.choose(case, "13")
    opts = interp.advance(case)
    assert opts.ruta == "finsamteam/2"
    assert case.stack == ("soc/13",)
    interp.choose(case, "Ja")
    opts = interp.advance(case)
    assert opts.ruta == "soc/15" and case.stack == ()
    assert path(case) == ["soc/11", "soc/13", "finsamteam/1", "finsamteam/2", "finsamteam/3", "soc/15"]
    assert [e.how for e in case.events] == [START, CHOSEN, CONSULT, AUTO, CHOSEN, RETURN, AUTO]
    back_event = case.events[-2]
    assert (back_event.ruta, back_event.target, back_event.kind) == ("finsamteam/3", "soc/13", "återkomst")


def test_consultation_waits_for_its_samtycke(interp):
    case = interp.start("soc", "13")
    opts = interp.advance(case)
    assert opts.ruta == "soc/13" and opts.consent.fakta == "samtycke_finsamteam"
    assert opts.excluded[0].way.kind == "konsultation"
    interp.record_samtycke(case)
    assert interp.advance(case).ruta == "finsamteam/2"


# ---------------------------------------------------------------- back


def test_back_across_a_hand_over(interp):
    case = interp.start("soc", "11")
    interp.choose(case, "Försäkringskassan")
    interp.advance(case)
    assert case.position == "fk/2"
    assert interp.back(case) == 1
    assert case.position == "soc/11" and case.current_underprocess == "soc"
    assert path(case) == ["soc/11"]


def test_back_across_a_consultation_restores_the_stack(interp):
    case = interp.start("soc", "11", facts={"samtycke_finsamteam": True})
    interp.choose(case, "Finsamteam")
    interp.advance(case)
    interp.choose(case, "Nej")
    interp.advance(case)
    assert case.position == "soc/15" and case.stack == ()
    interp.back(case)
    assert case.position == "finsamteam/2" and case.stack == ("soc/13",)
    interp.back(case)
    assert case.position == "soc/11" and case.stack == ()


def test_back_undoes_a_samtycke_and_its_fact(interp):
    case = interp.start("soc", "9")
    interp.advance(case)
    interp.record_samtycke(case)
    interp.advance(case)
    assert case.facts["samtycke_rehabiliteringsförfrågan"] is True
    interp.back(case)
    assert case.position == "soc/9" and "samtycke_rehabiliteringsförfrågan" not in case.facts


def test_back_many_steps_and_past_the_beginning(interp):
    case = interp.start("soc", facts={"har_läkarintyg": True})
    walk(interp, case, AnswerBook({"7": "Nej"}))
    assert case.position == "soc/9"
    assert interp.back(case, 5) == 1
    assert case.position == "soc/7"
    assert interp.back(case) == 0
    assert case.position == "soc/1a" and len(case.events) == 1


def test_back_one_event_at_a_time(interp):
    case = interp.start("soc")
    interp.step(case)
    interp.step(case)
    assert case.position == "soc/5"
    assert interp.back(case, only_choices=False) == 1
    assert case.position == "soc/2"


def test_replay_from_the_log_matches_the_live_state(interp):
    case = interp.start("soc", "11", facts={"samtycke_finsamteam": True})
    interp.choose(case, "Finsamteam")
    interp.advance(case)
    live = (case.position, case.stack, case.returned, dict(case.facts))
    replay(case)
    assert (case.position, case.stack, case.returned, case.facts) == live


# ---------------------------------------------------------------- answers up front


def test_answer_book_qualified_keys_win_and_lists_are_taken_in_order():
    book = AnswerBook({"2": ["Nej", "Ja"], "finsamteam/2": "Ja"})
    assert book.take("finsamteam/2") == "Ja"
    assert book.take("finsamteam/2") == "Nej"
    assert book.take("soc/2") == "Ja"
    assert book.take("soc/2") is None
    assert AnswerBook.parse(["5=Ja", "5=Nej", "11=13"]).unused() == ["5=Ja", "5=Nej", "11=13"]


def test_answer_book_rejects_a_malformed_answer():
    with pytest.raises(WalkError) as err:
        AnswerBook.parse(["5Ja"])
    assert err.value.message == "--svar '5Ja' ska skrivas RUTA=SVAR, t.ex. 5=Ja eller 11=13."


def test_walk_to_the_end_with_facts_and_answers(interp):
    case = interp.start("soc", facts={"har_läkarintyg": True, "ålder": 34, "samtycke_finsamteam": True})
    book = AnswerBook({"7": "Ja", "11": "13", "finsamteam/2": "Ja", "15": "Ja"})
    opts = walk(interp, case, book, DAY)
    assert opts.status == KLAR
    assert path(case) == [
        "soc/1a", "soc/2", "soc/5", "soc/7", "soc/11", "soc/13", "finsamteam/1", "finsamteam/2",
        "finsamteam/3", "soc/15", "soc/ersättning", "soc/sjukersättning",
    ]  # fmt: skip
    assert book.unused() == []


# ---------------------------------------------------------------- frister


def test_frist_once_and_recurring(interp):
    case = interp.start("soc", "11", facts={"samtycke_finsamteam": True}, date="2026-01-31")
    interp.choose(case, "Finsamteam", "2026-01-31")
    interp.advance(case, "2026-01-31")
    interp.choose(case, "Ja", "2026-02-10")
    interp.advance(case, "2026-02-10")
    dates = [(f.ruta, f.datum, f.återkommande) for f in interp.frister(case)]
    # every third month from 31 January, clamped to month end, up to 12 months
    assert dates == [
        ("finsamteam/1", "2026-04-30", True),
        ("finsamteam/1", "2026-07-31", True),
        ("finsamteam/1", "2026-10-31", True),
        ("finsamteam/1", "2027-01-31", True),
    ]


def test_frist_at_a_hand_over_counts_from_that_day(interp):
    case = interp.start("soc", "11", date=DAY)
    interp.choose(case, "Försäkringskassan", "2026-02-01")
    interp.advance(case, "2026-02-01")
    [frist] = interp.frister(case)
    assert (frist.ruta, frist.datum, frist.från, frist.beskrivning) == (
        "fk/1",
        "2026-03-03",
        "2026-02-01",
        "Ansökan handläggs",
    )


# A frist's life: open from the ruta that sets it until the case reaches its `till` (met);
# set again in a loop it replaces the open one.
LIFE = """
underprocess: {id: team, namn: Team, aktör: finsam}
rutor:
  - {id: "1", typ: start, rubrik: Anmälan, nästa: "2"}
  - id: "2"
    typ: steg
    rubrik: Plan
    frist: {beskrivning: Uppföljning av planen, inom: P6M, till: "4"}
    nästa: "3"
  - id: "3"
    typ: steg
    rubrik: Kontakt
    frist: {beskrivning: Ring tillbaka, inom: P1W}
    nästa: "4"
  - id: "4"
    typ: beslut
    rubrik: Ny plan?
    alternativ:
      - {svar: Ja, till: "2"}
      - {svar: Nej, till: "5"}
      - {svar: Försäkringskassan, till: "fk/1"}
  - id: "5"
    typ: steg
    rubrik: Avslut
    frist: {beskrivning: Slutdokumentation, inom: P3W}
    nästa: "6"
  - id: "6"
    typ: slut
    rubrik: Avslutat
    frist: {beskrivning: Efterkontroll, inom: P1M}
"""

LIFE_FK = """
underprocess: {id: fk, namn: Försäkringskassan, aktör: fk}
rutor:
  - id: "1"
    typ: start
    rubrik: Ansökan
    frist: {beskrivning: Beslut om ansökan, inom: P30D, till: "team/6"}
    nästa: "2"
  - id: "2"
    typ: beslut
    rubrik: Tillbaka till teamet?
    alternativ: [{svar: Ja, till: "team/5"}, {svar: Nej, till: "3"}]
  - {id: "3", typ: slut, rubrik: Avslag}
"""


@pytest.fixture(scope="module")
def life() -> Interpreter:
    return Interpreter(build({"team.yaml": LIFE, "fk.yaml": LIFE_FK}))


def states(interp, case) -> list[tuple[str, str, str | None, str | None]]:
    return [(s.ruta, s.state, s.vid, s.avslutad) for s in interp.frist_log(case)]


def test_a_frist_is_met_when_the_case_reaches_its_till(life):
    case = life.start("team", date="2026-01-10")
    life.advance(case, "2026-01-10")
    assert case.position == "team/4"
    assert states(life, case) == [
        ("team/2", "uppfylld", "team/4", "2026-01-10"),
        ("team/3", "öppen", None, None),
    ]
    assert [(f.ruta, f.datum) for f in life.open_frister(case)] == [("team/3", "2026-01-17")]
    # every frist set, met or not, still has its due dates
    assert [(f.ruta, f.datum, f.status) for f in life.frister(case)] == [
        ("team/2", "2026-07-10", "uppfylld"),
        ("team/3", "2026-01-17", "öppen"),
    ]


def test_a_frist_set_again_in_a_loop_replaces_the_open_one(life):
    case = life.start("team", date="2026-01-10")
    life.advance(case, "2026-01-10")
    life.choose(case, "Ja", "2026-02-01")  # back to 2: a new plan, and 3's frist again
    life.advance(case, "2026-02-01")
    assert states(life, case) == [
        ("team/2", "uppfylld", "team/4", "2026-01-10"),
        ("team/3", "öppen", None, None),  # the second call-back replaced the first
        ("team/2", "uppfylld", "team/4", "2026-02-01"),
    ]
    assert [(f.ruta, f.datum, f.från) for f in life.open_frister(case)] == [
        ("team/3", "2026-02-08", "2026-02-01")
    ]


def test_a_frist_without_till_stays_open_across_a_hand_over_and_the_end(life):
    """Walking on in the map does not do what a frist asks for; only its `till` meets it."""
    case = life.start("team", date="2026-01-10")
    life.advance(case, "2026-01-10")
    life.choose(case, "Försäkringskassan", "2026-01-12")
    life.advance(case, "2026-01-12")
    assert states(life, case) == [
        ("team/2", "uppfylld", "team/4", "2026-01-10"),
        ("team/3", "öppen", None, None),
        ("fk/1", "öppen", None, None),
    ]
    # a `till` in another underprocess is met there, across the hand-over back
    life.choose(case, "Ja", "2026-01-20")
    life.advance(case, "2026-01-20")
    assert life.status(case) == KLAR and case.position == "team/6"
    assert states(life, case)[1:] == [
        ("team/3", "öppen", None, None),
        ("fk/1", "uppfylld", "team/6", "2026-01-20"),
        ("team/5", "öppen", None, None),
        ("team/6", "öppen", None, None),
    ]


def test_the_end_leaves_open_frister_open(life):
    case = life.start("fk", date="2026-01-10")
    life.advance(case, "2026-01-10")
    life.choose(case, "Nej", "2026-01-15")
    assert life.status(case) == KLAR
    assert states(life, case) == [("fk/1", "öppen", None, None)]
    assert [f.ruta for f in life.open_frister(case)] == ["fk/1"]


def test_undo_reopens_a_frist(life):
    case = life.start("fk", date="2026-01-10")
    life.advance(case, "2026-01-10")
    life.choose(case, "Nej", "2026-01-15")
    life.back(case)
    assert states(life, case) == [("fk/1", "öppen", None, None)]


def test_a_consultation_keeps_every_frist_open_without_till(interp):
    soc = SOC.replace(
        "rubrik: Utreda förutsättningar\n",
        "rubrik: Utreda förutsättningar\n    frist: {beskrivning: Utredning, inom: P8W}\n",
    )
    assert soc != SOC
    local = Interpreter(build({"soc.yaml": soc, "finsamteam.yaml": FINSAMTEAM, "fk.yaml": FK}))
    case = local.start("soc", "11", facts={"samtycke_finsamteam": True}, date=DAY)
    local.choose(case, "Finsamteam", DAY)
    local.advance(case, DAY)
    assert case.position == "finsamteam/2" and case.stack == ("soc/13",)
    assert [s.state for s in local.frist_log(case)] == ["öppen", "öppen"]  # soc/11 and finsamteam/1
    local.choose(case, "Ja", "2026-02-01")
    local.advance(case, "2026-02-01")
    assert case.position == "soc/15"
    assert states(local, case) == [
        ("soc/11", "öppen", None, None),
        ("finsamteam/1", "öppen", None, None),
    ]


def test_an_unknown_till_is_a_validation_error():
    from processmodell.checks import check

    model = build({"team.yaml": LIFE.replace('till: "4"}', 'till: "44"}'), "fk.yaml": LIFE_FK})
    found = [(f.code, f.message) for f in check(model)]
    assert (
        "okänd-ruta",
        "Ruta team/2: fristens till pekar på ruta '44', som inte finns i underprocessen team.",
    ) in found


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        ("2026-01-31", "P1M", "2026-02-28"),
        ("2024-01-31", "P1M", "2024-02-29"),
        ("2024-02-29", "P1Y", "2025-02-28"),
        ("2026-08-31", "P6M", "2027-02-28"),
        ("2026-01-15", "P30D", "2026-02-14"),
        ("2026-01-15", "P8W", "2026-03-12"),
        ("2026-12-15", "P1Y2M1W1D", "2028-02-23"),
    ],
)
def test_duration_arithmetic(start, duration, expected):
    assert add(dt.date.fromisoformat(start), duration).isoformat() == expected


def test_month_arithmetic_across_years():
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert parse_duration("P1Y2M3W4D").months == 14 and parse_duration("P1Y2M3W4D").days == 25
    with pytest.raises(ValueError):
        parse_duration("30 dagar")


def test_recurring_without_end_gives_the_first_date():
    frist = Frist(beskrivning="Uppföljning", var="P3M")
    assert due_dates(dt.date(2026, 1, 31), frist) == [dt.date(2026, 4, 30)]


def test_recurring_weeks_up_to_a_limit():
    frist = Frist(beskrivning="Avstämning", var="P8W", längst="P6M")
    assert [d.isoformat() for d in due_dates(dt.date(2026, 1, 1), frist)] == [
        "2026-02-26", "2026-04-23", "2026-06-18",
    ]  # fmt: skip


# ---------------------------------------------------------------- notes, loops, speed


def test_a_note_with_a_personnummer_is_refused(interp):
    case = interp.start("soc", "7")
    with pytest.raises(WalkError) as err:
        interp.choose(case, "Ja", note="Ringde 811218-9876 om intyget")
    assert err.value.message.startswith(
        "Anteckningen innehåller något som ser ut som ett personnummer (tecken 8)."
    )
    assert len(case.events) == 1  # nothing recorded
    interp.add_note(case, "Intyget kom med posten")
    assert case.events[-1].note == "Intyget kom med posten"


def test_a_loop_without_questions_is_reported_not_hung():
    model = build(
        {
            "slinga.yaml": """
            underprocess: {id: slinga, namn: Slinga, aktör: a}
            rutor:
              - {id: "1", typ: start, rubrik: Start, nästa: "2"}
              - {id: "2", typ: steg, rubrik: Två, nästa: "3"}
              - {id: "3", typ: steg, rubrik: Tre, nästa: "2"}
            """
        }
    )
    interp = Interpreter(model)
    case = interp.start("slinga")
    with pytest.raises(WalkError) as err:
        interp.advance(case)
    assert err.value.message == (
        "Ärendet går runt i en slinga utan fråga vid ruta slinga/2; "
        "modellen har en fälla (kör processmodell validera)."
    )
    assert case.position == "slinga/2" and path(case) == ["slinga/1", "slinga/2", "slinga/3", "slinga/2"]


def test_a_step_costs_the_same_in_a_large_model():
    """No per-step work that grows with the model: 4 times the rutor, about 4 times the time.
    Compared by ratio, not by absolute speed (that is benchmarks/walk.py's job), so a loaded CI
    machine cannot make it fail; a quadratic step would be ~16 times slower. (Both sizes are
    past the CPU caches, which make a tiny model look faster per step.)"""
    small, large = Interpreter(chain(10_000)), Interpreter(chain(40_000))

    def timed(interp: Interpreter) -> float:
        case = interp.start("kedja")
        began = time.perf_counter()
        opts = interp.advance(case)
        elapsed = time.perf_counter() - began
        assert opts.status == KLAR and len(case.events) == len(interp.nodes)
        return elapsed

    timed(small)  # warm up
    assert min(timed(large) for _ in range(3)) / min(timed(small) for _ in range(3)) < 10


# ---------------------------------------------------------------- conditions


def villkor(data):
    return TypeAdapter(Villkor).validate_python(data)


@pytest.mark.parametrize(
    ("data", "facts", "expected"),
    [
        (
            {"fakta": "har_läkarintyg", "är": True},
            {"har_läkarintyg": False},
            (False, "har_läkarintyg = nej, inte ja"),
        ),
        ({"fakta": "har_läkarintyg", "är": True}, {}, (None, "har_läkarintyg är okänd")),
        ({"fakta": "ålder", "är": 1}, {"ålder": True}, (False, "ålder = ja, inte 1")),
        (
            {"fakta": "stadsdel", "en_av": ["norr", "söder"]},
            {"stadsdel": "norr"},
            (True, "stadsdel = norr, en av norr, söder"),
        ),
        ({"fakta": "ålder", "högst": 18}, {"ålder": 19}, (False, "ålder = 19 > 18")),
        (
            {"alla": [{"fakta": "ålder", "minst": 19}, {"fakta": "har_läkarintyg", "är": True}]},
            {"ålder": 20, "har_läkarintyg": True},
            (True, "ålder = 20 ≥ 19 och har_läkarintyg = ja"),
        ),
        (
            {"alla": [{"fakta": "ålder", "minst": 19}, {"fakta": "har_läkarintyg", "är": True}]},
            {"ålder": 20},
            (None, "har_läkarintyg är okänd"),
        ),
        (
            {"någon": [{"fakta": "ålder", "minst": 30}, {"fakta": "har_läkarintyg", "är": True}]},
            {"ålder": 20, "har_läkarintyg": False},
            (False, "ålder = 20 < 30 och har_läkarintyg = nej, inte ja"),
        ),
        (
            {"inte": {"fakta": "har_läkarintyg", "är": True}},
            {"har_läkarintyg": False},
            (True, "har_läkarintyg = nej, inte ja"),
        ),
        (
            {
                "antal_minst": 2,
                "av": [
                    {"fakta": "ålder", "minst": 19},
                    {"fakta": "har_läkarintyg", "är": True},
                    {"fakta": "samtycke_finsamteam", "är": True},
                ],
            },
            {"ålder": 40, "har_läkarintyg": True},
            (True, "2 av 3 villkor gäller (minst 2 krävs): ålder = 40 ≥ 19; har_läkarintyg = ja"),
        ),
        (
            {
                "antal_minst": 2,
                "av": [{"fakta": "ålder", "minst": 19}, {"fakta": "har_läkarintyg", "är": True}],
            },
            {"ålder": 18},
            (False, "0 av 2 villkor gäller (minst 2 krävs)"),
        ),
        (
            {
                "antal_minst": 2,
                "av": [{"fakta": "ålder", "minst": 19}, {"fakta": "har_läkarintyg", "är": True}],
            },
            {"ålder": 20},
            (None, "1 av 2 villkor gäller (minst 2 krävs); okänt: har_läkarintyg är okänd"),
        ),
    ],
)
def test_condition_evaluation_and_explanation(data, facts, expected):
    v = villkor(data)
    assert conditions.judge(v, facts) == expected
    assert conditions.evaluate(v, facts) is expected[0]
    assert conditions.explain(v, facts) == expected[1]


def test_a_beslut_with_samtycke_offers_the_way_without_consent():
    model = build(
        {
            "sip.yaml": """
            underprocess: {id: sip, namn: SIP, aktör: a}
            rutor:
              - {id: "1", typ: start, rubrik: Start, nästa: "2"}
              - id: "2"
                typ: beslut
                rubrik: Samordnad individuell plan?
                samtycke: {fakta: samtycke_finsamteam, beskrivning: Individen samtycker}
                alternativ:
                  - {svar: Kalla till SIP, till: "3"}
                  - {svar: Utan samtycke, till: "4", villkor: {fakta: samtycke_finsamteam, är: false}}
              - {id: "3", typ: slut, rubrik: SIP}
              - {id: "4", typ: slut, rubrik: Ingen SIP}
            """
        }
    )
    interp = Interpreter(model)
    case = interp.start("sip", facts={"samtycke_finsamteam": False})
    opts = interp.advance(case)
    assert opts.ruta == "sip/2" and opts.consent is not None
    assert [c.way.answer for c in opts.offered] == ["Utan samtycke"]
    assert [c.way.answer for c in opts.excluded] == ["Kalla till SIP"]
    interp.choose(case, "utan samtycke")
    assert interp.status(case) == KLAR and case.position == "sip/4"
    case = interp.start("sip")
    interp.advance(case)
    interp.record_samtycke(case)
    opts = interp.options(case)
    assert [c.way.answer for c in opts.offered] == ["Kalla till SIP"]
    assert opts.excluded[0].reason == "villkoret gäller inte: samtycke_finsamteam = ja, inte nej"


def test_refusing_consent_records_false_and_keeps_the_case_at_the_ruta(interp):
    case = interp.start("soc", "9", date=DAY)
    opts = interp.options(case)
    assert opts.consent is not None and not opts.refused
    assert opts.fakta == ()  # no answer here reads the consent, so none would decide it
    event = interp.refuse_samtycke(case, DAY)
    assert (event.how, event.ruta, event.values) == (
        "fakta",
        "soc/9",
        {"samtycke_rehabiliteringsförfrågan": False},
    )
    assert interp.advance(case, DAY).ruta == "soc/9"
    opts = interp.options(case)
    assert opts.consent is not None and opts.refused and opts.offered == []
    interp.record_samtycke(case, date=DAY)  # the person changed their mind
    assert interp.advance(case, DAY).ruta == "soc/11"
    with pytest.raises(WalkError) as err:
        interp.refuse_samtycke(case, DAY)
    assert err.value.message == "Ruta soc/11 kräver inget samtycke."


def test_options_name_the_unknown_fakta_that_would_decide(interp):
    case = interp.start("soc", "ersättning", date=DAY)
    opts = interp.options(case)
    assert opts.decided is None and opts.fakta == ("ålder",)
    interp.set_facts(case, {"ålder": 25}, DAY)
    opts = interp.options(case)
    assert opts.decided is not None and opts.fakta == ()
    case = interp.start("soc", "7", date=DAY)  # answers without villkor: no fakta decides them
    assert interp.options(case).fakta == ()


@pytest.mark.parametrize(
    ("name", "typed", "value"),
    [
        ("ålder", "34", 34),
        ("ålder", " 34 ", 34),
        ("har_läkarintyg", "Ja", True),
        ("har_läkarintyg", "n", False),
        ("stadsdel", "2", "söder"),
        ("stadsdel", "NORR", "norr"),
        ("beslutsdatum", "2026-02-01", "2026-02-01"),
        ("kommentar", "Ringer i morgon", "Ringer i morgon"),
    ],
)
def test_a_fakta_typed_as_text(interp, name, typed, value):
    assert fact_from_text(interp.model, name, typed) == value


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("ålder", "trettio", "'trettio' är inget heltal. Skriv ett heltal mellan 16 och 67."),
        ("ålder", "70", "70 ligger utanför det tillåtna. Skriv ett heltal mellan 16 och 67."),
        ("har_läkarintyg", "kanske", "Svara ja eller nej."),
        ("stadsdel", "väster", "Välj ett av: norr, söder."),
        ("beslutsdatum", "1/2", "Skriv ett datum ÅÅÅÅ-MM-DD, t.ex. 2026-01-15."),
        ("kommentar", "811218-9876", None),
    ],
)
def test_a_fakta_typed_wrong_says_how_to_write_it(interp, name, typed, message):
    with pytest.raises(WalkError) as err:
        fact_from_text(interp.model, name, typed)
    if message is None:
        assert "personnummer" in err.value.message
    else:
        assert err.value.message == message


def test_fakta_questions_say_how_to_answer(interp):
    assert [
        fact_question(interp.model, n) for n in ("ålder", "har_läkarintyg", "stadsdel", "beslutsdatum")
    ] == [
        "Hur gammal är individen? (ett heltal)",
        "Finns läkarintyg? (ja/nej)",
        "Vilken stadsdel? (norr eller söder)",
        "När? (ÅÅÅÅ-MM-DD)",
    ]


@pytest.mark.parametrize(
    ("key", "underprocess", "message"),
    [
        ("7", "soc", None),  # a beslut in soc
        ("2", "fk", None),  # not in fk, but a beslut in finsamteam: may apply later
        ("finsamteam/2", "soc", None),
        ("2", "soc", None),  # soc/2 is a steg, but finsamteam/2 a beslut the case may reach
        (
            "13",
            "soc",
            "--svar 13=Ja: ruta soc/13 är ett steg och har inga svar; beslut i soc: 5, 7, 11, 15, "
            "ersättning.",
        ),
        ("fk/9", "soc", "--svar fk/9=Ja: ruta fk/9 finns inte; beslut i fk: (inga)."),
        ("99", "fk", "--svar 99=Ja: ruta 99 finns inte i någon underprocess; beslut i fk: (inga)."),
        (
            "3",
            "fk",
            "--svar 3=Ja: ruta finsamteam/3 är en slutruta och har inga svar; beslut i finsamteam: 2.",
        ),
    ],
)
def test_answer_keys_are_checked_against_the_model(interp, key, underprocess, message):
    if message is None:
        interp.check_answer_key(key, "Ja", underprocess)
        return
    with pytest.raises(WalkError) as err:
        interp.check_answer_key(key, "Ja", underprocess)
    assert err.value.message == message
