"""`processmodell visa`: an underprocess, a ruta, and clear exits for unknown names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli import visa

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"


def show(capsys, mål: str, katalog: Path = FLOWS) -> tuple[int, list[str], str]:
    code = visa.run(katalog, mål)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_underprocess_lists_rutor_entries_and_handovers(capsys) -> None:
    code, lines, _ = show(capsys, "fk")
    assert code == 0
    assert lines[0] == "Försäkringskassan (fk)"
    assert lines[1].startswith("underprocess 4, aktör: Försäkringskassan")
    rutor = lines[lines.index("Rutor:") + 1 :]
    assert rutor[0].split() == [
        "1",
        "start",
        "Individ",
        "ansöker",
        "om",
        "samordning",
        "av",
        "rehabiliteringsinsatser",
    ]
    assert "Ingångar: fk/1" in lines
    assert (
        "  vard/10 → fk/1 (överlämning, svar 'Försäkringskassan', "
        "ansvarig: Hälso- och sjukvården (Region Stockholm))" in lines
    )
    assert "  fk/6 → finsamteam/1 (konsultation)" in lines


def test_ruta_shows_text_lagrum_and_ways_forward(capsys) -> None:
    code, lines, _ = show(capsys, "soc-sjukskriven/ersättning")
    assert code == 0
    assert lines[0] == "Ruta ersättning · Socialtjänsten – sjukskriven (soc-sjukskriven/ersättning) · beslut"
    assert lines[1] == "Aktivitetsersättning eller sjukersättning?"
    assert any(
        line.startswith(
            "Lagrum: SFB 33 kap. – Sjukersättning och aktivitetsersättning "
            "(Socialförsäkringsbalk, SFS 2010:110)"
        )
        and line.endswith("https://lagen.nu/2010:110#K33")
        for line in lines
    )
    ways = lines[lines.index("Vägar vidare:") + 1 :]
    assert ways[:3] == [
        "  Aktivitetsersättning → ruta aktivitetsersättning: Ansökan om aktivitetsersättning "
        "(villkor: ålder 19–29 år)",
        "  Sjukersättning → ruta sjukersättning: Ansökan om sjukersättning (villkor: ålder minst 30 år)",
        "  Annan försörjning → ruta annan-försörjning: Annan försörjning (villkor: ålder högst 18 år)",
    ]


def test_underprocess_shows_how_long_the_whole_insats_lasts(capsys) -> None:
    _, lines, _ = show(capsys, "stegen", ROOT / "examples" / "stegen-karlstad")
    assert "Varaktighet: Sammanlagd tid i Stegen fram till avslut (10–12 månader)" in lines[:5]
    _, lines, _ = show(capsys, "samordningsteam", ROOT / "examples" / "samordningsteam-norra-vastmanland")
    assert (
        "Varaktighet: Riktmärke upp till ett år; tiden anpassas efter deltagarens behov (högst 1 år)"
        in lines[:5]
    )
    _, lines, _ = show(capsys, "fk")
    assert not any(line.startswith("Varaktighet:") for line in lines)


def test_a_beslut_shows_its_fråga_under_the_rubrik(capsys) -> None:
    _, lines, _ = show(capsys, "finsamteam/9")
    assert lines[1:3] == ["Finsamteam gör uppföljning efter 6 månader", "Fråga: Kvarstår behov av ny plan?"]
    _, lines, _ = show(capsys, "soc-sjukskriven/5")  # the rubrik is the question: no fråga line
    assert lines[1] == "Finns läkarintyg?" and not any(line.startswith("Fråga:") for line in lines)


def test_handover_names_responsible_and_consultation_comes_first(capsys) -> None:
    _, lines, _ = show(capsys, "vard/6")
    ways = lines[lines.index("Vägar vidare:") + 1 :]
    assert ways[0].startswith("  Först: konsultation → finsamteam/1: ")
    assert ways[1] == "  → ruta 8: Behov av samordnad rehabilitering"
    assert any(line.startswith("Samtycke: ") and "fakta: samtycke_finsamteam" in line for line in lines)
    _, lines, _ = show(capsys, "vard/10")
    assert any(
        line.startswith("  Försäkringskassan → fk/1: ")
        and line.endswith("(överlämning, ansvarig: Hälso- och sjukvården (Region Stockholm))")
        for line in lines
    )


def test_repealed_lagrum_is_marked(capsys) -> None:
    _, lines, _ = show(capsys, "soc-sjukskriven/14")
    sip = next(line for line in lines if line.startswith("Lagrum: SoL 2 kap. 7 §"))
    assert sip.endswith("— upphävd 2025-07-01, ersatt av Socialtjänstlag (2025:400)")


def test_frist_is_shown_in_words(capsys) -> None:
    _, lines, _ = show(capsys, "fk/1")
    assert (
        "Frist: Ansökan ska handläggas inom 30 dagar. (inom 30 dagar, uppfylld vid ruta 4 eller 5a)" in lines
    )


@pytest.mark.parametrize(
    ("mål", "words"),
    [
        ("fkk", "Underprocessen 'fkk' finns inte. Menade du 'fk'?"),
        ("fk/5x", "Ruta '5x' finns inte i Försäkringskassan (fk). Menade du 'fk/5a', 'fk/5b' eller 'fk/5c'?"),
        ("fk/99", "Rutor: 1, 2, 3, 4, 5a, 5b, 5c, 6, 7, 8,"),
        ("xyz", "Välj en av: af, finsam-insatser, finsamteam, fk, jobbtorg, soc-ej-sjukskriven,"),
    ],
)
def test_unknown_names_exit_2_with_the_choices(capsys, mål: str, words: str) -> None:
    code, lines, err = show(capsys, mål)
    assert code == 2
    assert lines == []
    assert words in err


def test_missing_folder_exits_2_without_traceback() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "processmodell"), "visa", "fk", "--katalog", "saknas"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Katalogen 'saknas' finns inte." in done.stderr
    assert "Traceback" not in done.stderr
