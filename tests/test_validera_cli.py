"""`processmodell validera`: exit codes, and each output format parses and says the same thing."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cli import validera
from processmodell.findings import Finding, Location, Severity

ROOT = Path(__file__).resolve().parent.parent
PROCESSMODELL = Path(sys.executable).parent / "processmodell"
BROKEN = ROOT / "tests" / "data" / "ogiltiga"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PROCESSMODELL), "validera", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def rel(case: str) -> str:
    """A broken model's folder as the user would name it (relative to the repository)."""
    return f"tests/data/ogiltiga/{case}/flows"


# ---------------------------------------------------------------- exit codes


def test_the_real_model_passes() -> None:
    done = cli("flows")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("0 fel, ")
    assert done.stdout.splitlines()[-1].endswith(" i 13 filer.")


def test_an_error_exits_1_with_file_line_column() -> None:
    done = cli(rel("okänd-ruta"))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == f"{rel('okänd-ruta')}/a.yaml"
    assert lines[1] == (
        f"{rel('okänd-ruta')}/a.yaml:25:5  fel      okänd-ruta  "
        "Ruta a/3: nästa pekar på ruta 'slutt', som inte finns i underprocessen a."
    )
    assert lines[2] == "    tips: Menade du 'slut'?"
    assert lines[-1] == "1 fel, 0 varningar i 2 filer."
    assert done.stderr == ""


def test_warnings_pass_unless_strict() -> None:
    assert cli(rel("ruta-utan-text")).returncode == 0
    strict = cli(rel("ruta-utan-text"), "--strikt")
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[-1] == "0 fel, 1 varning i 2 filer."


def test_a_schema_error_from_the_loader_is_reported_the_same_way(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("underprocess:\n  id: a\n  namn: A\n  aktör: x\n  nästta: 1\n")
    done = cli(str(tmp_path))
    assert done.returncode == 1
    assert f"{tmp_path}/a.yaml:5:3  fel      schemafel" in done.stdout


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp / "saknas", "finns inte"),
        (lambda tmp: (tmp / "fil.yaml").write_text("a: 1\n") and tmp / "fil.yaml", "är ingen katalog"),
        (lambda tmp: tmp, "innehåller inga YAML-filer"),
    ],
    ids=["saknas", "fil", "tom"],
)
def test_unusable_folder_exits_2_in_swedish(tmp_path: Path, make, words: str) -> None:
    done = cli(str(make(tmp_path)))
    assert done.returncode == 2
    assert words in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout == ""


# ---------------------------------------------------------------- formats


def run_format(capsys, folder: str, format: str, strikt: bool = False) -> tuple[int, str]:
    code = validera.run(ROOT / folder, format, strikt)
    return code, capsys.readouterr().out


def test_json_has_stable_keys_and_exact_values(capsys) -> None:
    code, out = run_format(capsys, rel("dubbla-svar"), "json")
    data = json.loads(out)
    assert code == 1
    assert [list(d) for d in data] == [
        ["severity", "code", "message", "file", "line", "column", "hint", "subject"]
    ]
    assert data[0] | {"file": Path(data[0]["file"]).name} == {
        "severity": "fel",
        "code": "dubbla-svar",
        "message": "Beslutet a/2 har svaret 'ja' två gånger (till '3' och till 'slut').",
        "file": "a.yaml",
        "line": 18,
        "column": 9,
        "hint": "Varje svar måste gå att skilja från de andra: slå ihop svaren eller ge dem olika text.",
        "subject": "ruta a/2",
    }


def test_json_is_an_empty_list_for_a_clean_model(capsys) -> None:
    code, out = run_format(capsys, "tests/data/giltiga/slinga-med-utgång/flows", "json")
    assert (code, json.loads(out)) == (0, [])


def test_github_escapes_data_and_properties() -> None:
    assert validera.escape_data("100% klart\r\nny rad") == "100%25 klart%0D%0Any rad"
    assert validera.escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    finding = Finding(
        Severity.varning,
        "ruta-utan-text",
        "Ruta x: 50% klar,\nny rad",
        Location("flows/a,b:c.yaml", 3, 7),
        "Skriv text.",
        "ruta x",
    )
    assert validera.github_line(finding) == (
        "::warning file=flows/a%2Cb%3Ac.yaml,line=3,col=7,title=processmodell ruta-utan-text"
        "::Ruta x: 50%25 klar,%0Any rad%0ATips: Skriv text."
    )


def test_github_output_has_one_command_per_finding(capsys) -> None:
    code, out = run_format(capsys, rel("onåbar-ruta-konsultation"), "github")
    lines = out.splitlines()
    assert code == 1
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::error"] * 3
    assert all("\n" not in line and "::" in line[2:] for line in lines[:-1])
    assert lines[-1] == "3 fel, 0 varningar i 3 filer."


def test_gitlab_fingerprints_are_unique_and_stable(capsys) -> None:
    _, first = run_format(capsys, rel("onåbar-ruta-konsultation"), "gitlab")
    _, second = run_format(capsys, rel("onåbar-ruta-konsultation"), "gitlab")
    report = json.loads(first)
    assert first == second
    assert len({r["fingerprint"] for r in report}) == len(report) == 3
    assert {r["severity"] for r in report} == {"major"}
    assert report[0]["location"]["path"].endswith("a.yaml")
    assert report[0]["location"]["lines"] == {"begin": 27}
    assert report[0]["check_name"] == "onåbar-ruta"


def test_gitlab_identical_findings_still_get_distinct_fingerprints() -> None:
    twice = [Finding(Severity.fel, "okänt-lagrum", "Samma.", Location("a.yaml", 1, 1), None, "ruta a/1")] * 2
    prints = [r["fingerprint"] for r in validera.gitlab_report(twice)]
    assert len(set(prints)) == 2
    assert validera.gitlab_report(twice) == validera.gitlab_report(twice)
    assert validera.gitlab_report(twice[:1])[0]["severity"] == "major"


def test_junit_parses_and_fails_exactly_the_broken_checks(capsys) -> None:
    code, out = run_format(capsys, rel("fälla-konsultation"), "junit")
    suite = ET.fromstring(out.split("\n", 1)[1])
    failed = {
        (c.get("classname").rsplit("/", 1)[1], c.get("name")) for c in suite if c.find("failure") is not None
    }
    assert code == 1
    assert failed == {("b.yaml", "fälla"), ("b.yaml", "onåbar-ruta")}
    assert suite.get("failures") == "2"
    assert int(suite.get("tests")) == len(suite) >= 3 * 28  # every check for each of the 3 files


def test_junit_warnings_fail_only_when_strict(capsys) -> None:
    _, lenient = run_format(capsys, rel("ruta-utan-text"), "junit")
    _, strict = run_format(capsys, rel("ruta-utan-text"), "junit", strikt=True)
    lenient_suite = ET.fromstring(lenient.split("\n", 1)[1])
    strict_suite = ET.fromstring(strict.split("\n", 1)[1])
    assert lenient_suite.get("failures") == "0"
    assert "saknar vägledningstext" in "".join(lenient_suite.itertext())
    assert strict_suite.get("failures") == "1"


def test_junit_escapes_markup_from_yaml(capsys) -> None:
    """The link text '<script>' comes from YAML; ElementTree escapes it, so the XML parses."""
    _, out = run_format(capsys, rel("otillåten-länk-kontakt"), "junit")
    suite = ET.fromstring(out.split("\n", 1)[1])
    failure = next(c.find("failure") for c in suite if c.find("failure") is not None)
    assert "<script>alert(1)</script>" in failure.get("message")
    assert "&lt;script&gt;" in out
