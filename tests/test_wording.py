"""processmodell.wording: the one place the Swedish words for conditions, durations, frister,
lagrum and lists come from (visa, stega, the journal, validera and the site all use it)."""

from __future__ import annotations

import datetime as dt

import pytest

from processmodell import wording
from processmodell.schema import Fakta, Frist, Lagrum, Varaktighet, Väg


def villkor(data: dict) -> object:
    """A condition parsed the way the loader parses it."""
    return Väg.model_validate({"till": "1", "villkor": data}).villkor


FAKTA = {
    "ålder": Fakta(id="ålder", typ="heltal", fråga="Ålder?", enhet="år"),
    "har_läkarintyg": Fakta(id="har_läkarintyg", typ="boolesk", fråga="Läkarintyg?"),
}


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"fakta": "ålder", "minst": 19, "högst": 29}, "ålder 19–29 år"),
        ({"fakta": "ålder", "minst": 30}, "ålder minst 30 år"),
        ({"fakta": "ålder", "högst": 18}, "ålder högst 18 år"),
        ({"fakta": "har_läkarintyg", "är": True}, "har läkarintyg = ja"),
        ({"fakta": "har_läkarintyg", "är": False}, "har läkarintyg = nej"),
        ({"fakta": "part", "en_av": ["fk", "af", "kommun"]}, "part är fk, af eller kommun"),
        (
            {
                "alla": [
                    {"fakta": "ålder", "minst": 19},
                    {"någon": [{"fakta": "a", "är": 1}, {"fakta": "b", "är": 2}]},
                ]
            },
            "ålder minst 19 år och (a = 1 eller b = 2)",
        ),
        ({"inte": {"fakta": "har_läkarintyg", "är": True}}, "inte har läkarintyg = ja"),
        (
            {"antal_minst": 2, "av": [{"fakta": f, "är": True} for f in ("a", "b", "c")]},
            "minst 2 av: a = ja; b = ja; c = ja",
        ),
    ],
)
def test_a_condition_in_the_faktas_own_words(data: dict, text: str) -> None:
    assert wording.condition(villkor(data), FAKTA) == text


def test_without_the_fakta_registry_there_is_no_unit() -> None:
    assert wording.condition(villkor({"fakta": "ålder", "minst": 19, "högst": 29})) == "ålder 19–29"


@pytest.mark.parametrize(
    ("iso", "text"),
    [("P30D", "30 dagar"), ("P1D", "1 dag"), ("P8W", "8 veckor"), ("P6M", "6 månader"), ("P1Y", "1 år"),
     ("P1Y2M", "1 år och 2 månader"), ("P1Y2M3D", "1 år, 2 månader och 3 dagar"), ("30 dagar", "30 dagar"),
     (None, "")],
)  # fmt: skip
def test_durations(iso: str | None, text: str) -> None:
    assert wording.duration(iso) == text


@pytest.mark.parametrize(
    ("iso", "text"),
    [("P1M", "varje månad"), ("P2W", "varannan vecka"), ("P3M", "var tredje månad"),
     ("P12M", "var tolfte månad"), ("P21D", "var 21:a dag"), ("P13W", "var 13:e vecka"),
     ("P2Y", "vartannat år"), ("P3Y", "vart tredje år"), ("P1Y6M", "med intervallet 1 år och 6 månader")],
)  # fmt: skip
def test_recurring_intervals(iso: str, text: str) -> None:
    assert wording.every(iso) == text


def test_frist_once_and_recurring() -> None:
    once = Frist(beskrivning="Ansökan ska handläggas inom 30 dagar.\n", inom="P30D")
    assert wording.frist_text(once) == "Ansökan ska handläggas inom 30 dagar. (inom 30 dagar)"
    recurring = Frist(beskrivning="Uppföljning", var="P3M", längst="P12M")
    assert wording.frist_when(recurring) == "var tredje månad, i högst 12 månader"
    assert wording.frist_when(Frist(beskrivning="Uppföljning", var="P1M")) == "varje månad"
    met = Frist(beskrivning="Uppföljning", inom="P6M", till="9")
    assert wording.frist_when(met) == "inom 6 månader, uppfylld vid ruta 9"


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"minst": "P10M", "högst": "P12M"}, "10–12 månader"),
        ({"minst": "P8W", "högst": "P8W"}, "8 veckor"),
        ({"minst": "P1M", "högst": "P1Y"}, "1 månad – 1 år"),
        ({"minst": "P1M"}, "minst 1 månad"),
        ({"högst": "P1Y", "beskrivning": "Riktmärke"}, "Riktmärke (högst 1 år)"),
        ({"minst": "P4M", "högst": "P5M", "beskrivning": "4–5 månader (G)"}, "4–5 månader (G)"),
    ],
)
def test_varaktighet(fields: dict, text: str) -> None:
    assert wording.varaktighet_text(Varaktighet(**fields)) == text


SOL = Lagrum(
    id="sol-2-7", kortnamn="SoL", författning="Socialtjänstlag", sfs="2001:453", kapitel="2", paragraf="7",
    giltig_till=dt.date(2025, 6, 30), ersatt_av="Socialtjänstlag (2025:400)",
)  # fmt: skip


def test_lagrum_labels() -> None:
    assert wording.lagrum_label(SOL) == "SoL 2 kap. 7 §"
    assert wording.lagrum_label(SOL, sfs=True) == "SoL 2 kap. 7 §, SFS 2001:453"
    finsam = Lagrum(id="f", kortnamn="Finsamlagen", författning="Finsamlag", sfs="2003:1210")
    assert wording.lagrum_label(finsam) == "Finsamlagen"
    assert wording.lagrum_label(finsam, sfs=True) == "Finsamlagen, SFS 2003:1210"
    chapter = Lagrum(id="s", kortnamn="SFB", författning="Balk", sfs="2010:110", kapitel="33")
    assert wording.lagrum_label(chapter) == "SFB 33 kap."


def test_repeal_is_dated_the_day_after_the_last_valid_day() -> None:
    assert wording.repealed_note(SOL, dt.date(2025, 6, 30)) is None
    note = "upphävd 2025-07-01, ersatt av Socialtjänstlag (2025:400)"
    assert wording.repealed_note(SOL, dt.date(2025, 7, 1)) == note
    assert wording.repealed_note(SOL) == note  # no date (the site): any giltig_till
    assert wording.repealed_note(SOL.model_copy(update={"ersatt_av": None})) == "upphävd 2025-07-01"
    assert wording.repealed_note(SOL.model_copy(update={"giltig_till": None})) is None


def test_lists_and_values() -> None:
    assert wording.join_sv([]) == ""
    assert wording.join_sv(["a"]) == "a"
    assert wording.join_sv(["a", "b", "c"]) == "a, b och c"
    assert wording.join_sv(["a", "b"], "eller") == "a eller b"
    assert wording.quote_list(["fk/5a", "fk/5b"], "eller") == "'fk/5a' eller 'fk/5b'"
    assert [wording.yes_no(v) for v in (True, False, 0, 1, "ja", 34)] == ["ja", "nej", "0", "1", "ja", "34"]
