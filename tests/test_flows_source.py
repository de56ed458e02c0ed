"""flows/ against its source: every numbered ruta of the handläggarstöd is in the model, with
its heading, every branch the text states ("Om ja: Gå till ruta 7") is an answer there, and
every other underprocess a ruta points to ("se process för Arbetsförmedlingen/Jobbtorg") is reached
from it.

The source is the PDF text of the remiss (bilaga 3 "Handläggarstöd Stockholmsmodellen"),
kept verbatim in tests/data/kalla/. The parser below reads it the way a reviewer does:
sections "Handläggarstöd Stockholmsmodellen – <namn> <nummer>", headings "Ruta <id>: <rubrik>",
and branch lines "Om ja/nej: Gå (vidare|tillbaka) till ruta <id>". Where the source deviates
from its own conventions, the deviation is listed by name below (SECTION_QUIRKS, ERRATA), so a
new deviation makes the test fail instead of being swallowed by a looser pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SOURCE = Path(__file__).parent / "data" / "kalla" / "stockholmsmodellen-remiss-2019.txt"

# Processkartans nummer -> underprocess id, in the source's order.
UNDERPROCESSER = {
    1: "soc-sjukskriven",
    2: "soc-ej-sjukskriven",
    3: "vard",
    4: "fk",
    5: "af",
    6: "jobbtorg",
    7: "finsamteam",
    8: "finsam-insatser",
}
# Numbered rutor per underprocess, counted by hand in the source (94 in all).
EXPECTED_COUNTS = {
    "soc-sjukskriven": 18,
    "soc-ej-sjukskriven": 10,
    "vard": 10,
    "fk": 10,
    "af": 18,
    "jobbtorg": 13,
    "finsamteam": 9,
    "finsam-insatser": 6,
}
# Explicit branch statements in the source, counted by hand: "Om ja/nej: Gå … till ruta N"
# (22) and the two bare "Om Ja:" / "Om Nej:" paragraphs of soc-sjukskriven 8 that point on with
# "Se vidare ruta 11" / "(Se ruta 9 …)".
EXPECTED_BRANCHES = 24

BILAGA_START = "Handläggarstöd Stockholmsmodellen bilaga 3"
# The first section has its own title line; the others share one pattern.
FIRST_SECTION = re.compile(r"^\s*Socialtjänsten/Soc sjukskriven-\s*1\s*$")
SECTION = re.compile(r"^\s*Handläggarstöd Stockholmsmodellen\s*[–-]\s*(?P<namn>.+?)\s+(?P<nr>\d)\s*$")
HEADING = re.compile(r"^\s*Ruta\s+(?P<id>\d+[a-z]?)\s*:\s*(?P<rubrik>.*?)\s*$")
# Source quirk: Finsam-insatser numbers its later rutor in parentheses, "Ruta (3) Stöd …",
# "Ruta (4): Insatskatalogen", "Ruta (5):Individ …" (with or without colon).
HEADING_PARENS = re.compile(r"^\s*Ruta\s+\((?P<id>\d+[a-z]?)\)\s*:?\s*(?P<rubrik>.*?)\s*$")
SECTION_QUIRKS = {"finsam-insatser": (HEADING, HEADING_PARENS)}

BRANCH = re.compile(
    r"^\s*Om (?P<svar>ja|nej)\s*:\s*gå (?:vidare |tillbaka )?till ruta\s+\(?(?P<till>\d+[a-z]?)\)?",
    re.IGNORECASE,
)
BARE_BRANCH = re.compile(r"^\s*Om (?P<svar>ja|nej)\s*:\s*$", re.IGNORECASE)
SEE_RUTA = re.compile(r"\bSe (?:vidare )?ruta\s+(?P<till>\d+[a-z]?)\b", re.IGNORECASE)

# References to other underprocesser in a ruta's text: "(se process för Arbetsförmedlingen/
# Jobbtorg)", "(se underprocess ”Jobbtorg”)", "Se vidare respektive underprocess ”Finsamteam”,
# alternativt ”Finsam-insats”", "(se steg ”…” i Försäkringskassans underprocess.)". Names as the
# source writes them -> underprocess id.
SEE_PROCESS = re.compile(r"\(se (?:process för|underprocess)\s*(?P<names>[^)]*)\)", re.IGNORECASE)
SEE_STEP = re.compile(r"\(se steg ”[^”]*” i (?P<names>\S+) underprocess", re.IGNORECASE)
SEE_RESPECTIVE = re.compile(r"Se vidare respektive underprocess (?P<names>.*)", re.IGNORECASE)
PROCESS_NAMES = {
    "Arbetsförmedlingen": "af",
    "Jobbtorg": "jobbtorg",
    "Finsamteam": "finsamteam",
    "Finsam-insats": "finsam-insatser",
    "Försäkringskassans": "fk",
}
# "(se underprocess)" without a name: soc-ej-sjukskriven 9 "Etablera kontakt med Jobbtorg",
# "Planering sker enligt Jobbtorgets interna processer (se underprocess)".
UNNAMED_REFERENCES = {("soc-ej-sjukskriven", "9"): ("jobbtorg",)}
# Every such reference in the source, found by hand.
EXPECTED_REFERENCES = [
    ("soc-sjukskriven", "12", "jobbtorg"),
    ("soc-sjukskriven", "14", "fk"),
    ("soc-ej-sjukskriven", "6", "af"),
    ("soc-ej-sjukskriven", "6", "jobbtorg"),
    ("soc-ej-sjukskriven", "8", "finsamteam"),
    ("soc-ej-sjukskriven", "8", "finsam-insatser"),
    ("soc-ej-sjukskriven", "9", "jobbtorg"),
]

# Branches the model deliberately does not take literally, each with the reason written in the
# ruta's `not`: (underprocess, ruta, svar) -> (target the source names, target in the model).
ERRATA = {
    # "Om ja: gå till ruta 3" stands in ruta 3 itself; the model reads it as "identify an
    # insats together with the part" (ruta 5).
    ("finsam-insatser", "3", "ja"): ("3", "5"),
}


@dataclass
class SourceRuta:
    underprocess: str
    id: str
    line: int  # 1-based line in the source file
    rubrik: str  # the heading's first line
    rubrik_full: str  # the heading with its continuation lines (a wrapped heading)
    branches: list[tuple[str, str]] = field(default_factory=list)  # (ja|nej, target id)
    body: list[str] = field(default_factory=list)  # the lines after the heading

    def references(self) -> list[str]:
        """Underprocess ids the ruta's text points to, in the order it names them."""
        text = re.sub(r"\s+", " ", " ".join(self.body))
        found: list[str] = []
        matches = [SEE_PROCESS, SEE_STEP, SEE_RESPECTIVE]
        for m in sorted((m for pattern in matches for m in pattern.finditer(text)), key=lambda m: m.start()):
            names = [n.strip(" ”“\"'.,") for n in re.split(r"/|,|alternativt", m["names"])]
            names = [n for n in names if n]
            if not names:
                found.extend(UNNAMED_REFERENCES[(self.underprocess, self.id)])
            found.extend(PROCESS_NAMES[n] for n in names)
        return found


def normalise(text: str) -> str:
    """Whitespace collapsed, trailing punctuation of a heading (": ." ) dropped."""
    return re.sub(r"\s+", " ", text).strip().rstrip(" .:")


def join_wrapped(parts: list[str]) -> str:
    """Join PDF lines: a word broken at a hyphen ("FINSAM-" + "insats") is joined without space."""
    out = ""
    for part in parts:
        part = part.strip()
        if re.search(r"\w-$", out):
            out += part
        else:
            out = f"{out} {part}" if out else part
    return out


def parse_source(lines: list[str]) -> list[SourceRuta]:
    start = next(i for i, line in enumerate(lines) if BILAGA_START in line)
    rutor: list[SourceRuta] = []
    current_up: str | None = None
    current: SourceRuta | None = None
    pending: str | None = None  # a bare "Om Ja:" waiting for its "Se ruta N"
    expected_nr = 1
    for i in range(start, len(lines)):
        line = lines[i]
        nr = _section_number(line)
        if nr is not None:
            assert nr == expected_nr, f"rad {i + 1}: avsnitt {nr} där {expected_nr} väntades"
            expected_nr += 1
            current_up, current, pending = UNDERPROCESSER[nr], None, None
            continue
        if current_up is None:
            continue
        heading = _heading(current_up, line)
        if heading is not None:
            rid, rubrik = heading
            current = SourceRuta(
                current_up, rid, i + 1, rubrik, join_wrapped([rubrik, *_continuation(lines, i)])
            )
            rutor.append(current)
            pending = None
            continue
        if current is None:
            continue
        current.body.append(line)
        if m := BRANCH.match(line):
            current.branches.append((m["svar"].lower(), m["till"]))
            pending = None
        elif m := BARE_BRANCH.match(line):
            pending = m["svar"].lower()
        elif pending and (m := SEE_RUTA.search(line)):
            current.branches.append((pending, m["till"]))
            pending = None
    assert expected_nr == 9, f"bara {expected_nr - 1} av 8 avsnitt hittades i källan"
    return rutor


def _section_number(line: str) -> int | None:
    if FIRST_SECTION.match(line):
        return 1
    m = SECTION.match(line)
    return int(m["nr"]) if m else None


def _heading(up: str, line: str) -> tuple[str, str] | None:
    for pattern in SECTION_QUIRKS.get(up, (HEADING,)):
        if m := pattern.match(line):
            return m["id"], m["rubrik"]
    return None


def _continuation(lines: list[str], i: int) -> list[str]:
    """Lines that continue a wrapped heading: they follow it directly (no blank line between)
    and start at the margin (a page break would start with a space)."""
    out = []
    j = i + 1
    while (
        j < len(lines) and lines[j].strip() and not lines[j].startswith(" ") and not HEADING.match(lines[j])
    ):
        out.append(lines[j])
        j += 1
    return out


SOURCE_RUTOR = parse_source(SOURCE.read_text(encoding="utf-8").split("\n"))


def by_underprocess(up: str) -> list[SourceRuta]:
    return [r for r in SOURCE_RUTOR if r.underprocess == up]


# ---------------------------------------------------------------- the parser itself


def test_source_has_94_numbered_rutor_in_the_expected_split() -> None:
    counts = {up: len(by_underprocess(up)) for up in UNDERPROCESSER.values()}
    assert counts == EXPECTED_COUNTS
    assert len(SOURCE_RUTOR) == 94


def test_source_ids_are_unique_per_underprocess() -> None:
    for up in UNDERPROCESSER.values():
        ids = [r.id for r in by_underprocess(up)]
        assert len(ids) == len(set(ids)), (up, ids)


def test_source_branches_are_found() -> None:
    found = [(r.underprocess, r.id, svar, till) for r in SOURCE_RUTOR for svar, till in r.branches]
    assert len(found) == EXPECTED_BRANCHES, found
    # Spot checks that pin the parser to the text, including the "Se vidare ruta" form and
    # the "Gå tillbaka till ruta 3" loop in vården.
    assert ("soc-sjukskriven", "5", "nej", "6") in found
    assert ("soc-sjukskriven", "8", "ja", "11") in found
    assert ("soc-sjukskriven", "8", "nej", "9") in found
    assert ("vard", "4", "nej", "3") in found
    assert ("af", "10c", "ja", "10d") in found
    assert ("finsam-insatser", "3", "ja", "3") in found


def test_underprocess_references_are_found() -> None:
    found = [(r.underprocess, r.id, ref) for r in SOURCE_RUTOR for ref in r.references()]
    assert found == EXPECTED_REFERENCES


def test_wrapped_headings_are_joined() -> None:
    ruta = next(r for r in by_underprocess("soc-sjukskriven") if r.id == "1b")
    assert ruta.rubrik == "Individ utan sjukpenninggrundande inkomst som redan har etablerad"
    assert ruta.rubrik_full == (
        "Individ utan sjukpenninggrundande inkomst som redan har etablerad kontakt med Socialtjänsten"
    )
    finsamteam7 = next(r for r in by_underprocess("finsamteam") if r.id == "7")
    assert finsamteam7.rubrik_full == (
        "Anmälaren samt annan part, Försäkringskassan, Arbetsförmedlingen, "
        "Jobbtorg, Socialtjänst, Region Stockholm ansvar för plan"
    )
    # A line after a blank line is body text, not heading: jobbtorg 7's list of parties.
    jobbtorg7 = next(r for r in by_underprocess("jobbtorg") if r.id == "7")
    assert jobbtorg7.rubrik_full == "Samverkan med annan part?"


def test_quirky_headings_are_read() -> None:
    ids = [r.id for r in by_underprocess("finsam-insatser")]
    assert ids == ["1", "1a", "2", "3", "4", "5"]
    fk = {r.id: r.rubrik for r in by_underprocess("fk")}
    assert fk["5a"] == "Rätt till samordning av rehabiliteringsinsats"  # "Ruta 5a : …"
    assert [r.id for r in by_underprocess("af")][8:14] == ["9", "10a", "10b", "10c", "10d", "10e"]


# ---------------------------------------------------------------- the model against the source


@pytest.mark.parametrize("up", list(UNDERPROCESSER.values()))
def test_every_numbered_ruta_is_in_flows_with_its_rubrik(real_model, up: str) -> None:
    entry = real_model.underprocesser.get(up)
    assert entry is not None, f"underprocess {up} saknas i flows/"
    missing = [r.id for r in by_underprocess(up) if r.id not in entry.rutor]
    assert missing == [], f"{up}: rutor som finns i källan men inte i flows/: {missing}"
    wrong = []
    for src in by_underprocess(up):
        rubrik = normalise(entry.rutor[src.id].rubrik)
        # A wrapped heading may be taken whole or by its first line; either must match exactly.
        if rubrik not in (normalise(src.rubrik), normalise(src.rubrik_full)):
            wrong.append(
                f"ruta {src.id} (källan rad {src.line}): '{rubrik}' ≠ '{normalise(src.rubrik_full)}'"
            )
    assert wrong == [], f"{up}: " + "; ".join(wrong)


@pytest.mark.parametrize("up", list(UNDERPROCESSER.values()))
def test_no_numbered_ruta_beyond_the_source(real_model, up: str) -> None:
    """Numbered ids are the source's; rutor the source does not number get descriptive ids."""
    entry = real_model.underprocesser[up]
    numbered = {rid for rid in entry.rutor if re.fullmatch(r"\d+[a-z]?", rid)}
    assert numbered == {r.id for r in by_underprocess(up)}


@pytest.mark.parametrize("up", list(UNDERPROCESSER.values()))
def test_every_stated_branch_is_an_answer(real_model, up: str) -> None:
    entry = real_model.underprocesser[up]
    problems = []
    for src in by_underprocess(up):
        ruta = entry.rutor[src.id]
        answers = {
            (edge.answer or "").casefold(): edge.target
            for edge in real_model.edges_from(up, ruta)
            if edge.kind != "konsultation"
        }
        for svar, till in src.branches:
            erratum = ERRATA.get((up, src.id, svar))
            if erratum is not None:
                assert erratum[0] == till, f"{up}/{src.id}: källan ändrad, skriver nu ruta {till}"
                till = erratum[1]
            expected = f"{up}/{till}"
            if answers.get(svar) != expected:
                problems.append(
                    f"ruta {src.id}: svar '{svar.capitalize()}' ska leda till {expected}, "
                    f"leder till {answers.get(svar)}"
                )
    assert problems == [], f"{up}: " + "; ".join(problems)


def test_errata_are_explained_in_the_model(real_model) -> None:
    """Every deliberate deviation from the source's branch text is written down in a `not`."""
    for (up, rid, _svar), (source_target, _model_target) in ERRATA.items():
        ruta = real_model.underprocesser[up].rutor[rid]
        notes = " ".join(n for n in [ruta.not_, *(w.not_ for w in ruta.ways())] if n)
        assert f"ruta {source_target}" in notes, f"{up}/{rid}: avvikelsen från källan saknar not"


def _reachable_underprocesser(model, up: str, rid: str) -> set[str]:
    """Underprocesser the case can be handed over to or consult from this ruta, following the
    ways forward inside its own underprocess (the hand-over may come a few rutor later)."""
    seen, todo, reached = set(), [rid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for edge in model.edges_from(up, model.underprocesser[up].rutor[current]):
            target_up, target_id = edge.target.split("/", 1)
            if target_up == up:
                todo.append(target_id)
            else:
                reached.add(target_up)
    return reached


def test_every_referenced_underprocess_is_reached(real_model) -> None:
    """ "Etablera kontakt med Arbetsförmedlingen/Jobbtorg (se process för …)" must lead there."""
    problems = [
        f"{up}/{rid} hänvisar till {ref} men ingen väg därifrån når {ref}"
        for up, rid, ref in EXPECTED_REFERENCES
        if ref not in _reachable_underprocesser(real_model, up, rid)
    ]
    assert problems == []


def test_finsamlagen_is_marked_as_the_models_addition(real_model) -> None:
    """The handläggarstöd cites no law at the Finsam rutor; the remiss cites Finsamlagen only for
    Samordningsförbundet. Every ruta that names it must say so in its `not`."""
    unmarked = [
        f"{up.id}/{ruta.id}"
        for up in real_model.underprocesser.values()
        for ruta in up.rutor.values()
        if "finsamlagen" in ruta.lagrum and "modellens tillägg" not in (ruta.not_ or "")
    ]
    assert unmarked == []
    assert (
        sum("finsamlagen" in r.lagrum for up in real_model.underprocesser.values() for r in up.rutor.values())
        == 8
    )
