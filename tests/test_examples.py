"""The example models in examples/: other Finsam insatser on the same engine.

Each example must load and validate without a single finding, its scenarios must all pass and
together visit every ruta and take every answer. A few walks are asserted in detail here (the
exclusion that ends at "ej aktuell" with its reason, the follow-up dates every third month),
so a change in the engine that alters them shows up with the exact difference.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from processmodell.checks import check
from processmodell.interpreter import DERIVED, AnswerBook, Interpreter, path, walk
from processmodell.loader import load_folder
from processmodell.model import Model
from processmodell.scenario import coverage, files, read, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NAMES = ["stegen-karlstad", "steget-linkoping", "samordningsteam-norra-vastmanland"]
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/processmodell.schema.json"


def load(name: str) -> Model:
    result = load_folder(EXAMPLES / name)
    assert result.model is not None, [str(f) for f in result.findings]
    assert result.findings == []
    return result.model


@pytest.fixture(scope="module")
def models() -> dict[str, Model]:
    return {name: load(name) for name in NAMES}


def test_the_three_examples_are_there():
    assert sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()) == sorted(NAMES)


# ---------------------------------------------------------------- loading and validation


@pytest.mark.parametrize("name", NAMES)
def test_example_validates_without_findings(models, name):
    findings = check(models[name])
    assert [f"{f.code}: {f.message} ({f.location})" for f in findings] == []


@pytest.mark.parametrize("name", NAMES)
def test_validera_strikt_exits_0(name):
    result = CliRunner().invoke(app, ["validera", str(EXAMPLES / name), "--strikt"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", NAMES)
def test_every_file_names_the_schema_on_its_first_line(name):
    for file in sorted((EXAMPLES / name).glob("*.yaml")):
        assert file.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE, file.name


@pytest.mark.parametrize("name", NAMES)
def test_every_handover_names_who_is_responsible(models, name):
    """The Malmö evaluation shows the gap between authorities is where people wait: every
    hand-over to another underprocess must name the aktör that carries the person across."""
    handovers = [e for e in models[name].edges() if e.kind == "överlämning"]
    assert handovers, "exemplet ska ha minst en överlämning"
    missing = [f"{e.source} -> {e.target}" for e in handovers if e.way is None or e.way.ansvarig is None]
    assert missing == []


@pytest.mark.parametrize("name", NAMES)
def test_every_ruta_except_bare_ends_has_guidance_text(models, name):
    model = models[name]
    without = [
        f"{up.id}/{r.id}"
        for up in model.underprocesser.values()
        for r in up.rutor.values()
        if not r.text and r.typ.value != "slut"
    ]
    assert without == []


def test_the_engine_knows_nothing_about_the_examples(models, real_model):
    """No id that only an example uses may appear as a string in the core's code."""
    specific: set[str] = set()
    for model in models.values():
        specific |= set(model.underprocesser) | set(model.fakta) | set(model.aktörer)
        # Numbered rutor ("3") are generic; descriptive end ids ("ej-aktuell-hot") are not.
        specific |= {r.id for up in model.underprocesser.values() for r in up.rutor.values() if "-" in r.id}
    specific -= set(real_model.underprocesser) | set(real_model.fakta) | set(real_model.aktörer)
    specific -= {r.id for up in real_model.underprocesser.values() for r in up.rutor.values()}
    assert {"stegen", "samordningsteam", "behov_fk", "remitterande_part", "ej-aktuell-hot"} <= specific

    found = []
    for file in sorted((ROOT / "processmodell").glob("*.py")):
        for value in _string_literals(file):
            if value in specific:
                found.append(f"{file.name}: '{value}'")
    assert found == []


def _string_literals(file: Path) -> list[str]:
    """String constants in a module, docstrings excluded (they may cite any example)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


# ---------------------------------------------------------------- scenarios and coverage


SCENARIOS = [(name, f) for name in NAMES for f in files(EXAMPLES / name / "scenarier")]


@pytest.mark.parametrize("name,file", SCENARIOS, ids=[f"{n}/{f.stem}" for n, f in SCENARIOS])
def test_scenario_passes(models, name, file):
    result = run(Interpreter(models[name]), read(file))
    report = "\n".join(line for m in result.mismatches for line in (m.message, *m.detail))
    assert result.ok, report


@pytest.mark.parametrize("name", NAMES)
def test_scenarios_cover_every_ruta_and_every_answer(models, name):
    interp = Interpreter(models[name])
    results = [run(interp, read(f)) for f in files(EXAMPLES / name / "scenarier")]
    assert all(r.ok for r in results)
    cov = coverage(interp.model, [r.case for r in results])
    assert [r for u in cov.underprocesser for r in u.uncovered_rutor] == []
    assert [a for u in cov.underprocesser for a in u.uncovered_answers] == []
    assert cov.complete
    assert all(u.rutor_percent == 100.0 and u.answers_percent == 100.0 for u in cov.underprocesser)


@pytest.mark.parametrize("name", NAMES)
def test_testa_reports_full_coverage(name):
    folder = EXAMPLES / name
    result = CliRunner().invoke(app, ["testa", str(folder / "scenarier"), "--katalog", str(folder)])
    assert result.exit_code == 0, result.output
    assert "0 underkända" in result.output


# ---------------------------------------------------------------- walks asserted in detail


def walk_case(model: Model, underprocess: str, start: str, fakta: dict, svar: dict, datum: str):
    interp = Interpreter(model)
    case = interp.start(underprocess, start, fakta, datum)
    book = AnswerBook(svar)
    walk(interp, case, book, datum)
    assert book.unused() == []
    return interp, case


SAMORDNING_OK = {
    "behov_fk": True,
    "behov_af": False,
    "behov_kommun": True,
    "behov_region": False,
    "pågående_beroende": False,
    "känd_hotfull": False,
    "förestående_frihetsberövande": False,
    "allvarlig_sjukdom_utan_resurser": False,
    "motiverad_första_kontakt": True,
    "klarar_låg_takt": True,
}

EXCLUSIONS = [
    ("pågående_beroende", "3", "ej-aktuell-beroende", "Ej aktuell – pågående beroendeproblematik"),
    ("känd_hotfull", "4", "ej-aktuell-hot", "Ej aktuell – känd hotfull person"),
    (
        "förestående_frihetsberövande",
        "5",
        "ej-aktuell-frihetsberövande",
        "Ej aktuell – förestående frihetsberövande",
    ),
    (
        "allvarlig_sjukdom_utan_resurser",
        "6",
        "ej-aktuell-sjukdom",
        "Ej aktuell – allvarlig sjukdom utan resurser att klara ett deltagande",
    ),
]


@pytest.mark.parametrize("fakta,ruta,slut,rubrik", EXCLUSIONS, ids=[e[0] for e in EXCLUSIONS])
def test_an_exclusion_criterion_ends_at_ej_aktuell_with_its_reason(models, fakta, ruta, slut, rubrik):
    model = models["samordningsteam-norra-vastmanland"]
    interp, case = walk_case(model, "remittent", "1a", {**SAMORDNING_OK, fakta: True}, {}, "2026-02-01")
    assert interp.status(case) == "klar"
    assert case.position == f"remittent/{slut}"
    assert model.ruta(case.position).rubrik == rubrik
    last = [e for e in case.events if e.how == DERIVED][-1]
    assert (last.ruta, last.answer, last.reason) == (f"remittent/{ruta}", "Ja", f"{fakta} = ja")


def test_fewer_than_two_authorities_is_ej_aktuell_with_the_count(models):
    model = models["samordningsteam-norra-vastmanland"]
    fakta = {**SAMORDNING_OK, "behov_kommun": False}
    interp, case = walk_case(model, "remittent", "1a", fakta, {}, "2026-02-01")
    assert path(case) == ["remittent/1a", "remittent/2", "remittent/ej-aktuell-behov"]
    (decision,) = [e for e in case.events if e.how == DERIVED]
    assert decision.answer == "Nej"
    assert decision.reason == "1 av 4 villkor gäller (minst 2 krävs): behov_fk = ja"


def test_two_authorities_pass_and_the_walk_waits_at_continued_participation(models):
    """With every fakta known the walk runs on its own into the team and stops at the first
    question without a fakta: continued participation."""
    model = models["samordningsteam-norra-vastmanland"]
    interp, case = walk_case(model, "remittent", "1a", SAMORDNING_OK, {}, "2026-02-01")
    assert interp.status(case) == "väntar"
    assert case.position == "samordningsteam/5"
    assert path(case) == [f"remittent/{r}" for r in ("1a", "2", "3", "4", "5", "6", "7", "8")] + [
        f"samordningsteam/{r}" for r in ("1", "2", "3", "4", "5")
    ]
    reasons = [e.reason for e in case.events if e.how == DERIVED]
    assert reasons[0] == "2 av 4 villkor gäller (minst 2 krävs): behov_fk = ja; behov_kommun = ja"


def test_stegen_follow_up_every_third_month_up_to_avslut(models):
    model = models["stegen-karlstad"]
    fakta = {
        "behov_samordnad_rehabilitering": True,
        "motiverad": True,
        "redo_för_planering": True,
        "samtycke_samsip": True,
    }
    svar = {"6": "Individuellt (I)", "9": "Arbete eller studier"}
    interp, case = walk_case(model, "stegen", "1a", fakta, svar, "2026-01-31")
    assert case.position == "stegen/arbete-studier"
    frister = [(f.ruta, f.datum, f.återkommande) for f in interp.frister(case)]
    # Counted from the start each time, so the month-end clamp does not drift: 30 April,
    # 31 July, 31 October, 31 January.
    assert frister == [
        ("stegen/4", "2026-04-30", True),
        ("stegen/4", "2026-07-31", True),
        ("stegen/4", "2026-10-31", True),
        ("stegen/4", "2027-01-31", True),
    ]


def test_stegen_without_consent_waits_at_samsip(models):
    model = models["stegen-karlstad"]
    fakta = {"behov_samordnad_rehabilitering": True, "motiverad": True, "redo_för_planering": True}
    interp, case = walk_case(model, "stegen", "1b", fakta, {}, "2026-01-15")
    assert (interp.status(case), case.position) == ("väntar", "stegen/3")


def test_samordningsteam_slutdokumentation_within_three_weeks(models):
    model = models["samordningsteam-norra-vastmanland"]
    svar = {"5": ["Ja", "Ja", "Nej"], "8": "Arbete eller utbildning"}
    interp, case = walk_case(model, "remittent", "1a", SAMORDNING_OK, svar, "2026-12-20")
    assert case.position == "samordningsteam/arbete-utbildning"
    assert path(case).count("samordningsteam/3") == 3
    frister = [(f.ruta, f.datum) for f in interp.frister(case)]
    assert frister == [
        ("samordningsteam/2", "2027-03-20"),
        ("samordningsteam/2", "2027-06-20"),
        ("samordningsteam/2", "2027-09-20"),
        ("samordningsteam/2", "2027-12-20"),
        ("samordningsteam/7", "2027-01-10"),
    ]


@pytest.mark.parametrize(
    "part,slut,ansvarig",
    [
        ("kommun", "kommun/slut", "kommun"),
        ("af", "af/slut", "af"),
        ("fk", "fk/slut", "fk"),
        ("landstinget", "landstinget/slut", "landstinget"),
    ],
)
def test_steget_returns_the_assessment_to_the_referring_authority(models, part, slut, ansvarig):
    model = models["steget-linkoping"]
    interp, case = walk_case(model, "steget", "1", {"remitterande_part": part}, {"3": "Nej"}, "2026-01-15")
    assert case.position == slut
    (handover,) = [e for e in model.edges_from("steget", model.ruta("steget/6")) if e.target == f"{part}/1"]
    assert (handover.kind, handover.way.ansvarig) == ("överlämning", ansvarig)
    assert "steget/4" not in path(case)
