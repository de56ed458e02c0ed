"""Validation (processmodell.checks): one broken model per defect, asserted exactly.

tests/data/ogiltiga/<fall>/flows/ is a minimal model with one defect; expected.yaml beside it
names the code, file and line the defect must produce (and, for some, the exact message and
the follow-on findings the defect causes). tests/data/giltiga/<fall>/flows/ must be clean.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from processmodell.checks import CODES, SAFE_LINK, check, suggest
from processmodell.findings import Severity
from processmodell.loader import load_folder
from processmodell.model import Model, UnderprocessEntry
from processmodell.schema import Aktör, Fakta, Lagrum, Ruta, Underprocess

DATA = Path(__file__).parent / "data"
INVALID = sorted(p for p in (DATA / "ogiltiga").iterdir() if p.is_dir())
VALID = sorted(p for p in (DATA / "giltiga").iterdir() if p.is_dir())
TODAY = dt.date(2026, 1, 1)


def validate(folder: Path):
    """Loader findings plus check findings, as `processmodell validera` reports them."""
    result = load_folder(folder)
    assert result.model is not None, [str(f.message) for f in result.findings]
    return list(result.findings) + check(result.model, today=TODAY, prior=result.findings)


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_each_defect_gives_its_finding_at_the_exact_line(case: Path) -> None:
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    flows = case / "flows"
    findings = validate(flows)
    codes = sorted(f.code for f in findings)
    assert codes == sorted([expected["kod"], *expected.get("följdfel", [])]), [
        (f.code, f.message) for f in findings
    ]
    at = [
        f
        for f in findings
        if f.code == expected["kod"]
        and f.location.file == str(flows / expected["fil"])
        and f.location.line == expected["rad"]
    ]
    assert len(at) == 1, [(f.code, str(f.location)) for f in findings]
    finding = at[0]
    assert finding.severity is CODES[finding.code][0]
    assert finding.hint and finding.subject
    if "meddelande" in expected:
        assert finding.message == expected["meddelande"].format(dir=flows)


def test_every_code_has_a_broken_model() -> None:
    covered = {yaml.safe_load((c / "expected.yaml").read_text(encoding="utf-8"))["kod"] for c in INVALID}
    assert covered == set(CODES)


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_models_have_no_findings(case: Path) -> None:
    assert [(f.code, f.message) for f in validate(case / "flows")] == []


def test_the_real_model_has_no_errors(real_model) -> None:
    findings = check(real_model, today=TODAY)
    assert [f.message for f in findings if f.is_error] == []
    # Only advice remains; in particular no trap although vård 3 <-> 4 is a loop.
    assert {f.code for f in findings} <= {"lagrum-upphävt", "lagrum-utan-länk", "villkor-lucka"}


def test_today_decides_what_is_repealed(real_model) -> None:
    before = {f.subject for f in check(real_model, today=dt.date(2025, 6, 30)) if f.code == "lagrum-upphävt"}
    after = {f.subject for f in check(real_model, today=dt.date(2025, 7, 1)) if f.code == "lagrum-upphävt"}
    assert before == set()
    assert after == {"lagrum sol", "lagrum sol-2-7"}


# ---------------------------------------------------------------- small models in code


def make_model(rutor: dict[str, list[dict]], fakta: list[dict] = ()) -> Model:
    """A model without files: every location is None, which the checks must tolerate."""
    ups = {}
    for up_id, items in rutor.items():
        parsed = [Ruta.model_validate(r) for r in items]
        ups[up_id] = UnderprocessEntry(
            meta=Underprocess(id=up_id, namn=up_id, aktör="soc"),
            file=f"{up_id}.yaml",
            rutor={r.id: r for r in parsed},
            ruta_index={r.id: i for i, r in enumerate(parsed)},
        )
    return Model(
        modell=None,
        lagrum={},
        aktörer={"soc": Aktör(id="soc", namn="Soc")},
        fakta={f["id"]: Fakta.model_validate(f) for f in fakta},
        blanketter={},
        underprocesser=ups,
    )


def steg(id_: str, nästa: str | None, typ: str = "steg", **extra) -> dict:
    return {"id": id_, "typ": typ, "rubrik": id_, "text": "t", **({"nästa": nästa} if nästa else {}), **extra}


def beslut(id_: str, *answers: tuple[str, str, dict | None]) -> dict:
    return {
        "id": id_,
        "typ": "beslut",
        "rubrik": id_,
        "text": "t",
        "alternativ": [{"svar": s, "till": t, **({"villkor": v} if v else {})} for s, t, v in answers],
    }


SLUT = {"id": "slut", "typ": "slut", "rubrik": "Slut"}
ÅLDER = {"id": "ålder", "typ": "heltal", "fråga": "?", "minst": 16, "högst": 67}


def codes(model: Model) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in check(model, today=TODAY)]


def test_consultation_that_returns_is_not_a_trap() -> None:
    model = make_model(
        {
            "a": [steg("1", "2", typ="start"), steg("2", "slut", konsultera="b/1"), SLUT],
            "b": [steg("1", "2", typ="start"), beslut("2", ("Ja", "slut", None), ("Nej", "1", None)), SLUT],
        }
    )
    assert codes(model) == []


def test_nested_consultations_return_through_each_level() -> None:
    model = make_model(
        {
            "a": [steg("1", "slut", typ="start", konsultera="b/1"), SLUT],
            "b": [steg("1", "slut", typ="start", konsultera="c/1"), SLUT],
            "c": [steg("1", "slut", typ="start"), SLUT],
        }
    )
    assert codes(model) == []


def test_consultation_that_never_returns_cuts_off_the_ways_forward() -> None:
    model = make_model(
        {
            "a": [steg("1", "2", typ="start", konsultera="b/1"), steg("2", "slut"), SLUT],
            "b": [steg("1", "2", typ="start"), steg("2", "1")],
        }
    )
    found = codes(model)
    assert ("onåbar-ruta", "Rutorna a/2 och a/slut kan inte nås från någon startruta.") in found
    assert (
        "fälla",
        "Ärendet kan fastna i rutorna b/1 och b/2: därifrån leder ingen väg till något slut."
        " Dit leder också a/1.",
    ) in found


def test_trap_reports_every_loop_separately_in_source_order() -> None:
    model = make_model(
        {
            "a": [
                steg("1", "2", typ="start"),
                beslut("2", ("x", "3", None), ("y", "5", None), ("z", "slut", None)),
                steg("3", "4"),
                steg("4", "3"),
                steg("5", "5"),
                SLUT,
            ]
        }
    )
    assert [m for c, m in codes(model) if c == "fälla"] == [
        "Ärendet kan fastna i rutorna a/3 och a/4: därifrån leder ingen väg till något slut.",
        "Ärendet kan fastna i ruta a/5: därifrån leder ingen väg till något slut.",
    ]


def test_a_dead_end_is_not_reported_again_as_a_trap() -> None:
    model = make_model({"a": [steg("1", "2", typ="start"), steg("2", "3"), steg("3", None)]})
    assert [c for c, _ in codes(model)] == ["återvändsgränd"]


def test_broken_reference_skips_the_graph_layer() -> None:
    model = make_model({"a": [steg("1", "2", typ="start"), steg("2", "x"), steg("9", "slut"), SLUT]})
    assert [c for c, _ in codes(model)] == ["okänd-ruta"]


@pytest.mark.parametrize(
    ("answers", "warnings"),
    [
        # The shared end structure of the Stockholmsmodellen: complete and disjoint.
        ([{"minst": 19, "högst": 29}, {"minst": 30}, {"högst": 18}], []),
        (
            [{"minst": 19, "högst": 30}, {"minst": 30}],
            [
                "Beslutet a/2: villkoren på ålder lämnar luckor: värden 16–18 leder ingenstans.",
                "Beslutet a/2: villkoren på ålder överlappar: 30 täcks av både 'A0' och 'A1'.",
            ],
        ),
        (
            [{"minst": 20, "högst": 25}, {"minst": 40}],
            ["Beslutet a/2: villkoren på ålder lämnar luckor: värden 16–19 och 26–39 leder ingenstans."],
        ),
        (
            [{"är": 30}, {"inte": {"fakta": "ålder", "är": 30}}],
            [],
        ),
        (
            [
                {"någon": [{"fakta": "ålder", "högst": 20}, {"fakta": "ålder", "minst": 60}]},
                {"minst": 21, "högst": 59},
            ],
            [],
        ),
        (
            [{"alla": [{"fakta": "ålder", "minst": 20}, {"fakta": "ålder", "högst": 18}]}, {"minst": 16}],
            [],
        ),
        (
            [{"minst": 16}, {"minst": 16}, {"är": 17}],
            [
                "Beslutet a/2: villkoren på ålder överlappar: 16 täcks av både 'A0' och 'A1'; "
                "17 täcks av 'A0', 'A1' och 'A2'; 18–67 täcks av både 'A0' och 'A1'."
            ],
        ),
        (
            [
                {"antal_minst": 2, "av": [{"fakta": "ålder", "minst": 18}, {"fakta": "ålder", "högst": 30}]},
                {"högst": 17},
            ],
            ["Beslutet a/2: villkoren på ålder lämnar luckor: värden 31–67 leder ingenstans."],
        ),
    ],
)
def test_coverage_of_integer_conditions(answers: list[dict], warnings: list[str]) -> None:
    alternativ = []
    for i, cond in enumerate(answers):
        villkor = (
            cond
            if any(k in cond for k in ("inte", "någon", "alla", "antal_minst"))
            else {"fakta": "ålder", **cond}
        )
        alternativ.append((f"A{i}", "slut", villkor))
    model = make_model({"a": [steg("1", "2", typ="start"), beslut("2", *alternativ), SLUT]}, [ÅLDER])
    assert [m for _, m in codes(model)] == warnings


def test_coverage_is_only_checked_when_every_answer_tests_the_fact() -> None:
    model = make_model(
        {
            "a": [
                steg("1", "2", typ="start"),
                beslut("2", ("A", "slut", {"fakta": "ålder", "minst": 30}), ("B", "slut", None)),
                SLUT,
            ]
        },
        [ÅLDER],
    )
    assert codes(model) == []


def test_val_coverage_names_the_missing_alternative() -> None:
    insats = {"id": "insats", "typ": "val", "fråga": "?", "alternativ": ["arbete", "studier", "praktik"]}
    model = make_model(
        {
            "a": [
                steg("1", "2", typ="start"),
                beslut(
                    "2",
                    ("A", "slut", {"fakta": "insats", "en_av": ["arbete"]}),
                    ("S", "slut", {"fakta": "insats", "är": "studier"}),
                ),
                SLUT,
            ]
        },
        [insats],
    )
    assert codes(model) == [
        (
            "villkor-lucka",
            "Beslutet a/2: villkoren på insats lämnar luckor: insats = 'praktik' leder ingenstans.",
        )
    ]


@pytest.mark.parametrize(
    ("typ", "villkor", "code"),
    [
        ("heltal", {"är": True}, "villkor-fel-typ"),
        ("heltal", {"är": "30"}, "villkor-fel-typ"),
        ("boolesk", {"är": 1}, "villkor-fel-typ"),
        ("datum", {"är": "15 januari"}, "villkor-fel-typ"),
        ("datum", {"är": "2026-01-15"}, None),
        ("text", {"är": 3}, "villkor-fel-typ"),
        ("val", {"är": "okänt"}, "villkor-okänt-värde"),
        ("val", {"en_av": ["a"]}, None),
        ("boolesk", {"minst": 1}, "villkor-fel-typ"),
        ("heltal", {"är": 3}, "villkor-utanför-gräns"),
        ("heltal", {"högst": 80}, "villkor-utanför-gräns"),
    ],
)
def test_condition_value_must_fit_the_fact_type(typ: str, villkor: dict, code: str | None) -> None:
    fakta = {"id": "f", "typ": typ, "fråga": "?"}
    if typ == "val":
        fakta["alternativ"] = ["a", "b"]
    if typ == "heltal":
        fakta.update(minst=16, högst=67)
    model = make_model(
        {
            "a": [
                steg("1", "2", typ="start"),
                beslut("2", ("A", "slut", {"fakta": "f", **villkor}), ("B", "slut", None)),
                SLUT,
            ]
        },
        [fakta],
    )
    assert [c for c, _ in codes(model)] == ([code] if code else [])


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("https://lagen.nu/2001:453#K2P7", True),
        ("http://example.se", True),
        ("mailto:finsam@example.se", True),
        ("HTTPS://EXAMPLE.SE/", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,x", False),
        ("file:///etc/passwd", False),
        ("//example.se", False),
        ("/relativ/sökväg", False),
        ("https://", False),
        ("https://exa mple.se", False),
        ("https://example.se/\njavascript:x", False),
    ],
)
def test_only_http_and_mailto_links_are_allowed(link: str, ok: bool) -> None:
    assert bool(SAFE_LINK.match(link)) is ok


def test_suggestions_by_edit_distance_and_listing() -> None:
    assert suggest("fk/5x", ["fk/5a", "fk/5b", "af/1"]) == "Menade du 'fk/5a' eller 'fk/5b'?"
    assert suggest("zzz", ["a", "b"]) == "Giltiga: a, b."


def test_every_message_names_ids_never_list_positions(real_model) -> None:
    """Break every ruta's first way forward at once: each message names the qualified ruta."""
    broken = make_model(
        {"a": [steg("1", "nope", typ="start"), beslut("2", ("Ja", "x1", None), ("Nej", "x2", None)), SLUT]}
    )
    messages = [m for _, m in codes(broken)]
    assert messages == [
        "Ruta a/1: nästa pekar på ruta 'nope', som inte finns i underprocessen a.",
        "Ruta a/2: svaret 'Ja' pekar på ruta 'x1', som inte finns i underprocessen a.",
        "Ruta a/2: svaret 'Nej' pekar på ruta 'x2', som inte finns i underprocessen a.",
    ]
    assert not any("[" in m or "rutor[" in m for m in messages)


def test_lagrum_without_location_still_reported() -> None:
    model = make_model({"a": [steg("1", "slut", typ="start", lagrum=["x"]), SLUT]})
    model.lagrum["x"] = Lagrum(id="x", kortnamn="X", författning="X-lag", sfs="2000:1")
    found = check(model, today=TODAY)
    assert [(f.code, f.severity, f.location) for f in found] == [("lagrum-utan-länk", Severity.varning, None)]


def synthetic(n_ups: int, per_up: int) -> Model:
    """n_ups underprocesser of per_up rutor: a chain of beslut with hand-overs onward."""
    rutor = {}
    for u in range(n_ups):
        items = [steg("1", "2", typ="start")]
        for i in range(2, per_up):
            nxt = f"up{(u + 1) % n_ups}/1" if i % 10 == 0 else str(i + 1)
            items.append(
                {
                    "id": str(i),
                    "typ": "beslut",
                    "rubrik": "?",
                    "text": "t",
                    "alternativ": [
                        {"svar": "Ja", "till": str(i + 1)},
                        {"svar": "Nej", "till": nxt, "ansvarig": "soc"},
                    ],
                }
            )
        items.append(steg(str(per_up), "slut"))
        items.append(SLUT)
        rutor[f"up{u}"] = items
    return make_model(rutor)


def test_checks_grow_linearly() -> None:
    """A quadratic step would make 40,000 rutor take ~16 times as long as 10,000. (Both sizes
    are past the CPU caches, which make a tiny model look faster per ruta.)"""
    small, large = synthetic(100, 100), synthetic(400, 100)
    check(small, today=TODAY)  # warm up imports

    def timed(model: Model) -> float:
        t = time.perf_counter()
        assert [f for f in check(model, today=TODAY) if f.is_error] == []
        return time.perf_counter() - t

    t_small = min(timed(small) for _ in range(2))
    t_large = min(timed(large) for _ in range(2))
    # A ratio, not an absolute time (CI machines are shared; benchmarks/validate.py measures
    # speed): 4x the rutor, linear is ~4, a quadratic step would be ~16.
    assert t_large / t_small < 10


# ---------------------------------------------------------------- never a traceback

_IDS = ["1", "2", "3", "slut", "b/1", "x/9", "2a"]
_WAY = st.fixed_dictionaries(
    {"till": st.sampled_from(_IDS)},
    optional={
        "svar": st.sampled_from(["Ja", "Nej", "ja", ""]),
        "villkor": st.sampled_from(
            [
                {"fakta": "ålder", "minst": 19},
                {"fakta": "ålder", "högst": 80},
                {"fakta": "ålder", "är": "x"},
                {"fakta": "okänd", "är": True},
                {"någon": [{"fakta": "ålder", "är": 30}, {"inte": {"fakta": "ålder", "minst": 20}}]},
            ]
        ),
        "ansvarig": st.sampled_from(["soc", "okänd"]),
    },
)
_RUTA = st.fixed_dictionaries(
    {"typ": st.sampled_from(["start", "steg", "beslut", "slut"]), "rubrik": st.just("r")},
    optional={
        "nästa": st.one_of(st.sampled_from(_IDS), _WAY),
        "alternativ": st.lists(_WAY, max_size=3),
        "konsultera": st.sampled_from(_IDS),
        "text": st.sampled_from(["", "t"]),
        "lagrum": st.lists(st.sampled_from(["l", "okänt"]), max_size=2),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_RUTA, min_size=1, max_size=6), st.lists(_RUTA, min_size=0, max_size=3))
def test_any_model_is_checked_without_exceptions(a: list[dict], b: list[dict]) -> None:
    ids = ["1", "2", "3", "slut", "2a", "4"]
    model = make_model(
        {
            "a": [{"id": ids[i], **r} for i, r in enumerate(a)],
            "b": [{"id": str(i + 1), **r} for i, r in enumerate(b)],
        },
        [ÅLDER],
    )
    model.lagrum["l"] = Lagrum(id="l", kortnamn="L", författning="L", sfs="2000:1", länk="javascript:x")
    for finding in check(model, today=TODAY):
        assert finding.code in CODES and finding.message and finding.hint and finding.subject
        assert "[" not in finding.message.split(":")[0]  # named by id, not by list position
