"""Scenario files: every one in tests/scenarier passes, and together they cover the whole model."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from processmodell.interpreter import Interpreter
from processmodell.scenario import ScenarioError, coverage, files, read, run

SCENARIER = Path(__file__).parent / "scenarier"
SCENARIO_FILES = files(SCENARIER)


@pytest.fixture(scope="module")
def interp(real_model) -> Interpreter:
    return Interpreter(real_model)


@pytest.fixture(scope="module")
def results(interp):
    return [run(interp, read(f)) for f in SCENARIO_FILES]


def test_there_are_enough_scenarios():
    assert len(SCENARIO_FILES) >= 15


@pytest.mark.parametrize("file", SCENARIO_FILES, ids=[f.stem for f in SCENARIO_FILES])
def test_scenario(interp, file):
    result = run(interp, read(file))
    report = "\n".join(line for m in result.mismatches for line in (m.message, *m.detail))
    assert result.ok, report


def test_scenarios_cover_every_ruta_and_answer(interp, results):
    cov = coverage(interp.model, [r.case for r in results if r.ok])
    missing_rutor = [r for u in cov.underprocesser for r in u.uncovered_rutor]
    missing_answers = [a for u in cov.underprocesser for a in u.uncovered_answers]
    assert missing_rutor == []
    assert missing_answers == []
    visited, rutor, taken, answers = cov.totals()
    assert (visited, taken) == (rutor, answers)
    assert len(cov.underprocesser) == 8


# ---------------------------------------------------------------- the runner can fail


def scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


WRONG = """\
namn: Fel förväntan
underprocess: soc-sjukskriven
datum: "2026-01-15"
fakta: {ålder: 34, har_läkarintyg: true, läkarintyg_komplett: true, samtycke_sip: true}
svar: {"11": "14", "15": Nej, "självförsörjande": Ansökan om ersättning, "99": Ja}
förväntat:
  status: klar
  slut: soc-sjukskriven/aktivitetsersättning
  skäl: ["ålder = 34, inom 19–29"]
  frister: [{ruta: fk/1, datum: "2026-02-14"}]
  väg: [soc-sjukskriven/1a, soc-sjukskriven/3]
"""


def test_mismatches_are_reported_exactly(interp, tmp_path):
    result = run(interp, read(scenario(tmp_path, WRONG)))
    assert not result.ok
    messages = [m.message for m in result.mismatches]
    assert messages == [
        "slut: förväntat soc-sjukskriven/aktivitetsersättning, fick soc-sjukskriven/sjukersättning "
        "(Ansökan om sjukersättning) (klar)",
        "vägen skiljer sig från den förväntade",
        "frister: förväntat fk/1 2026-02-14; fick (inga)",
        "skäl 'ålder = 34, inom 19–29' finns inte bland de härledda skälen: har_läkarintyg = ja; "
        "läkarintyg_komplett = ja; ålder = 34 ≥ 30",
        "svaret 99=Ja: ruta 99 finns inte i någon underprocess; beslut i soc-sjukskriven: 5, 8, 11, 12, 15, "
        "17, självförsörjande, ersättning.",
    ]
    diff = result.mismatches[1].detail
    assert diff[:4] == ["@@ -1,2 +1,14 @@", " soc-sjukskriven/1a", "+soc-sjukskriven/2", " soc-sjukskriven/3"]


def test_answers_never_used_and_answers_that_cannot_apply(interp, tmp_path):
    text = (
        "namn: FK\nunderprocess: fk\nsvar: {'3': Nej, '5b': Finsamteam, '1': Ja, 'fk/99': Ja}\n"
        "förväntat: {status: klar}\n"
    )
    result = run(interp, read(scenario(tmp_path, text)))
    assert [m.message for m in result.mismatches] == [
        "svar som aldrig användes: 5b=Finsamteam",  # a beslut the walk never reached
        "svaret 1=Ja: ruta fk/1 är en startruta och har inga svar; beslut i fk: 3, 5b, 6, 8, "
        "självförsörjande, ersättning.",
        "svaret fk/99=Ja: ruta fk/99 finns inte; beslut i fk: 3, 5b, 6, 8, självförsörjande, ersättning.",
    ]


def test_frist_status_is_compared_when_given(interp, tmp_path):
    text = (
        "namn: FK\nunderprocess: fk\ndatum: '2026-01-15'\nsvar: {'3': Nej}\n"
        "förväntat:\n  frister: [{ruta: fk/1, datum: '2026-02-14', status: öppen}]\n"
    )
    result = run(interp, read(scenario(tmp_path, text)))
    assert [m.message for m in result.mismatches] == [
        "frister: förväntat fk/1 2026-02-14 (öppen); fick fk/1 2026-02-14 (uppfylld)"
    ]
    fixed = text.replace("status: öppen", "status: uppfylld")
    assert run(interp, read(scenario(tmp_path, fixed))).ok
    # without status only ruta and datum count
    assert run(interp, read(scenario(tmp_path, text.replace(", status: öppen", "")))).ok


def test_a_walk_error_is_a_failure_not_a_crash(interp, tmp_path):
    text = WRONG.replace('"15": Nej', '"15": Kanske')
    result = run(interp, read(scenario(tmp_path, text)))
    assert [m.what for m in result.mismatches] == ["svar", "fel"]  # the "99" answer, then the stop
    assert result.mismatches[1].message.startswith("Svaret 'Kanske' finns inte vid ruta soc-sjukskriven/15")


HEAD = "namn: x\nunderprocess: fk\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEAD, "1:1: nyckeln 'förväntat' saknas"),
        (HEAD + "förväntat: {status: klar}\nsvarr: {}\n", "4:1: okänd nyckel 'svarr'"),
        (HEAD + "förväntat:\n  status: färdig\n", "4:3: status ska vara klar eller väntar"),
        (HEAD + "datum: 15/1\nförväntat: {}\n", "3:1: datum '15/1' ska skrivas ÅÅÅÅ-MM-DD"),
        (HEAD + "förväntat: {slut: fk-4}\n", "3:13: 'slut' ska vara en kvalificerad ruta"),
        (HEAD + "svar: {'3': {a: 1}}\nförväntat: {}\n", "3:8: svaret för ruta 3 ska vara text"),
        (
            HEAD + "förväntat:\n  frister: [{ruta: fk/1, datum: '2026-02-14', status: klar}]\n",
            "4:47: fristens status ska vara en av öppen, uppfylld, inte 'klar'",
        ),
        (
            HEAD + "förväntat:\n  frister: [{ruta: fk/1}]\n",
            "4:13: varje frist ska ha ruta och datum, och kan ha status",
        ),
        ("namn: x\nnamn: y\n", "2:1: "),
    ],
)
def test_unreadable_scenarios_name_file_line_column(tmp_path, text, message):
    path = scenario(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        read(path)
    assert str(err.value).startswith(f"{path}:{message}")


# ---------------------------------------------------------------- processmodell testa


def test_testa_passes_on_the_real_scenarios(flows_dir):
    result = CliRunner().invoke(app, ["testa", str(SCENARIER), "--katalog", str(flows_dir)])
    assert result.exit_code == 0, result.output
    assert f"{len(SCENARIO_FILES)} scenarier: {len(SCENARIO_FILES)} godkända, 0 underkända." in result.output
    assert "totalt" in result.output and "127/127 100 %" in result.output


def test_testa_fails_and_shows_what_is_uncovered(flows_dir, tmp_path):
    scenario(tmp_path, WRONG)
    result = CliRunner().invoke(app, ["testa", str(tmp_path), "--katalog", str(flows_dir)])
    assert result.exit_code == 1
    assert "FEL  s: Fel förväntan" in result.output
    assert "+soc-sjukskriven/2" in result.output
    assert "1 scenarier: 0 godkända, 1 underkända." in result.output
    assert "Svar som inget scenario tar:" in result.output
    assert "  - af/3: 'Service på distans', 'Matcha direkt', 'Förstärkt stöd'" in result.output


def test_testa_unreadable_file_is_exit_2(flows_dir, tmp_path):
    scenario(tmp_path, "namn: [\n")
    result = CliRunner().invoke(app, ["testa", str(tmp_path), "--katalog", str(flows_dir)])
    assert result.exit_code == 2
    assert f"FEL  {tmp_path / 's.yaml'}:" in result.output


def test_testa_missing_folder_is_exit_2(flows_dir, tmp_path):
    result = CliRunner().invoke(app, ["testa", str(tmp_path / "nej"), "--katalog", str(flows_dir)])
    assert result.exit_code == 2
    assert f"Katalogen '{tmp_path / 'nej'}' med scenarier finns inte." in result.output
