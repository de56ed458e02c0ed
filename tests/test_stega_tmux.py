"""The interactive `stega` driven through tmux, as a socialsekreterare would use it.

Walks soc-sjukskriven from 1a: "Finns läkarintyg? Ja", "Läkarintyg komplett? Nej",
rehabiliteringsförfrågan (consent), komplettering, Finsamteam (consent, consultation) and back
to ruta 15; saves, quits, resumes with --fortsätt and finishes. Skipped only when tmux is
missing outside CI (in CI a missing tmux is a failure).
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TMUX = shutil.which("tmux")

pytestmark = pytest.mark.skipif(
    TMUX is None and os.environ.get("CI") != "true", reason="tmux saknas (krävs i CI)"
)

PROMPT = "Ditt val:"


class Terminal:
    """One tmux server of our own (its own socket), one pane running one command."""

    def __init__(self, tmp: Path, name: str):
        self.socket = f"processmodell-test-{os.getpid()}-{name}"
        self.conf = tmp / "tmux.conf"
        self.conf.write_text("set -g history-limit 50000\n")

    def tmux(self, *args: str) -> str:
        cmd = [TMUX or "tmux", "-u", "-L", self.socket, "-f", str(self.conf), *args]
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

    def start(self, argv: list[str]) -> None:
        command = " ".join(shlex.quote(a) for a in argv)
        shell = f"cd {shlex.quote(str(ROOT))} && {command}; echo EXIT=$?; sleep 120"
        self.tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "50", shell)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "t")

    def wait(self, predicate, what: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.05)
        raise AssertionError(f"väntade på {what}; skärmen:\n{self.screen()[-3000:]}")

    def ready(self) -> str:
        return self.wait(lambda s: s.rstrip().endswith(PROMPT) or "EXIT=" in s, "en fråga")

    def send(self, keys: str) -> None:
        """Type `keys` (literally) and Enter, without waiting for anything."""
        if keys:
            self.tmux("send-keys", "-t", "t", "-l", keys)
        self.tmux("send-keys", "-t", "t", "Enter")

    def open_note(self) -> str:
        """Press a and wait for the note question."""
        self.send("a")
        question = "Anteckning (inga personuppgifter):"
        return self.wait(lambda s: s.rstrip().endswith(question), "anteckningsfrågan")

    def type(self, keys: str) -> str:
        """Type an answer and Enter; wait for the next prompt (or the end)."""
        before = self.screen().count(PROMPT)
        self.send(keys)
        return self.wait(
            lambda s: (
                (s.count(PROMPT) > before and s.rstrip().endswith(PROMPT))
                or "EXIT=" in s
                or s.rstrip().endswith("]:")
            ),
            f"svar på {keys!r}",
        )

    def close(self) -> None:
        subprocess.run([TMUX or "tmux", "-L", self.socket, "kill-server"], capture_output=True)


def stega(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", "stega", "soc-sjukskriven", "--katalog", "flows", *args]


def has(screen: str, text: str) -> bool:
    """`text` is on the screen, whatever rich's word wrapping did to it."""
    return " ".join(text.split()) in " ".join(screen.split())


def last_ruta(screen: str) -> str:
    """The heading line of the ruta shown last, e.g. 'Socialtjänsten – sjukskriven · ruta 15 · beslut'."""
    rules = [line.strip("─ ") for line in screen.splitlines() if "· ruta " in line]
    return rules[-1]


@pytest.fixture
def terminal(tmp_path):
    made: list[Terminal] = []

    def make(name: str) -> Terminal:
        t = Terminal(tmp_path, name)
        made.append(t)
        return t

    yield make
    for t in made:
        t.close()


def test_walk_save_quit_resume_finish(terminal, tmp_path):
    saved, journal = tmp_path / "ärende.json", tmp_path / "journal.md"
    first = terminal("första")
    first.start(stega("--datum", "2026-01-15", "--spara", str(saved), "--journal", str(journal)))
    screen = first.ready()
    assert last_ruta(screen) == "Socialtjänsten – sjukskriven · ruta 1a · start"
    assert has(screen, "Individen kontaktar mottagningsenheten på försörjningsstödsenheten")
    assert has(screen, "Vad händer nu?")  # a steg asks nothing of its own

    for _ in range(4):  # 1a → 2 → 3 → 4 → 5, one Enter per steg
        screen = first.type("")
    assert last_ruta(screen).endswith("ruta 5 · beslut")
    assert has(screen, "Finns läkarintyg?") and has(screen, "1  Nej  → 6") and has(screen, "2  Ja  → 7")

    screen = first.type("ja")  # Finns läkarintyg? Ja
    assert last_ruta(screen).endswith("ruta 7 · steg")
    screen = first.type("")
    assert has(screen, "Läkarintyg komplett?")
    screen = first.type("nej")  # Läkarintyg komplett? Nej
    assert last_ruta(screen).endswith("ruta 9 · steg")
    assert has(
        screen,
        "Samtycke: Rehabiliteringsförfrågan skickas till behandlande läkare med individens samtycke. "
        "— saknas ännu",
    )
    assert has(screen, "1  Registrera att individen har samtyckt")
    assert has(screen, "2  Individen samtycker inte")

    screen = first.type("1")  # consent
    assert " ".join(screen.split()).count("— registrerat") == 1
    screen = first.type("")  # 9 → 10 Komplettering
    assert last_ruta(screen).endswith("ruta 10 · steg") and has(screen, "Komplettering")
    screen = first.type("")  # 10 → 11
    first.open_note()
    screen = first.type("Individen vill prova Finsamteam")
    assert has(screen, "Anteckningen sparas vid ruta 11 och visas i sammanfattningen och journalen.")
    screen = first.type("Finsamteam")
    assert last_ruta(screen).endswith("ruta 13 · steg")
    assert has(
        screen, "Lagrum: Finsamlagen (Lag om finansiell samordning av rehabiliteringsinsatser, SFS 2003:1210)"
    )

    screen = first.type("1")  # consent to Finsamteam
    assert has(screen, "⇄ konsultation: Finsamteam, ruta 1")
    screen = first.type("")  # the consultation
    assert last_ruta(screen) == "Finsamteam · ruta 1 · start"
    for _ in range(8):  # finsamteam 1 → … → 9
        screen = first.type("")
    assert last_ruta(screen) == "Finsamteam · ruta 9 · beslut"
    assert has(screen, "Finsamteam gör uppföljning efter 6 månader Fråga: Kvarstår behov av ny plan?")
    menu = [line.strip() for line in screen.splitlines()]
    answers = max(i for i, line in enumerate(menu) if line.startswith("1  Ja"))
    assert menu[answers - 1] == "Kvarstår behov av ny plan?"  # the question right above its answers
    assert has(
        screen,
        "Frist: Finsamteamet följer upp den gemensamma planen efter 6 månader (ruta 9) – senast 2026-07-15",
    )
    screen = first.type("nej")
    assert has(screen, "1  Tillbaka till soc-sjukskriven/13 Finsamteam")
    screen = first.type("")
    assert last_ruta(screen).endswith("ruta 13 · steg")
    screen = first.type("")
    assert last_ruta(screen) == "Socialtjänsten – sjukskriven · ruta 15 · beslut"
    assert has(screen, "Lagrum: SFB 30 kap. 10 § – Samordning av rehabiliteringsinsatser")
    assert has(screen, "https://lagen.nu/2010:110#K30P10")

    screen = first.type("s")
    assert has(screen, f"Ärendet sparat i {saved} (läsbart bara för dig).")
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    screen = first.type("q")
    assert screen.rstrip().endswith("Spara ärendet innan du avslutar? [j/n]:")
    screen = first.type("n")
    screen = first.wait(lambda s: "EXIT=" in s, "slutet")
    assert has(screen, "Journaltext (att klistra in):")
    assert has(
        screen,
        "Läge: Ärendet väntar i Socialtjänsten – sjukskriven, ruta 15 (Behov av samordnad rehabilitering?).",
    )
    assert has(screen, "EXIT=3")

    second = terminal("andra")
    second.start(stega("--datum", "2026-01-20", "--fortsätt", str(saved), "--journal", str(journal)))
    screen = second.ready()
    assert has(
        screen,
        f"Fortsätter ärendet från {saved}, senast vid Socialtjänsten – sjukskriven, ruta 15 "
        "(Behov av samordnad rehabilitering?), senast ändrat 2026-01-15.",
    )
    assert last_ruta(screen) == "Socialtjänsten – sjukskriven · ruta 15 · beslut"
    screen = second.type("nej")
    assert last_ruta(screen).endswith("ruta 16 · steg")
    screen = second.type("")
    assert has(screen, "Arbete, studier eller arbetssökande")
    screen = second.type("1")
    screen = second.wait(lambda s: "EXIT=" in s, "slutet")
    assert has(screen, "Ärendet är klart.")
    assert has(screen, "Sammanfattning") and has(screen, "Journaltext (att klistra in):")
    assert has(
        screen,
        "Socialtjänsten – sjukskriven, ruta 8 (Läkarintyg komplett?): Nej, enligt handläggarens bedömning.",
    )
    assert has(screen, "Lagrum: SFB 33 kap.")
    assert has(screen, "EXIT=0")

    text = journal.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(journal).st_mode) == 0o600
    assert (
        "- 2026-01-15, Socialtjänsten – sjukskriven, ruta 9 (Rehabiliteringsförfrågan): Samtycke "
        "registrerat. Samtycker individen till att rehabiliteringsförfrågan skickas till behandlande "
        "läkare? Ja.\n"
    ) in text
    assert (
        "- 2026-01-15, Socialtjänsten – sjukskriven, ruta 13 (Finsamteam): Konsultation av Finsamteam "
        "(ruta 1, Bedöma behov av samverkan). Lagrum: Finsamlagen.\n"
    ) in text
    assert (
        "- 2026-01-20, Socialtjänsten – sjukskriven, ruta 15 (Behov av samordnad rehabilitering?): Nej, "
        "enligt handläggarens bedömning."
    ) in text
    assert (
        "Frister som ärendet har passerat i kartan:\n- Finsamteamet följer upp den gemensamma planen "
        "efter 6 månader (ruta 9). Datum: 2026-07-15. Satt 2026-01-15 i Finsamteam, ruta 6 "
        "(Gemensam plan); ärendet nådde ruta 9 (Finsamteam gör uppföljning efter 6 månader) 2026-01-15.\n"
    ) in text
    assert "Öppna frister" not in text
    assert (
        "Anteckningar:\n- 2026-01-15, Socialtjänsten – sjukskriven, ruta 11 (Utreda förutsättningar för "
        "återgång i arbete med annan aktör): Individen vill prova Finsamteam\n"
    ) in text
    assert "samtycke_" not in text and "soc-sjukskriven" not in text  # no internal ids
    assert text.rstrip().endswith(
        "Läge: Ärendet är avslutat i Socialtjänsten – sjukskriven, Individen är självförsörjande genom "
        "arbete, studier eller arbetssökande."
    )


def test_back_and_help_in_the_terminal(terminal, tmp_path):
    t = terminal("bakåt")
    t.start(stega("--start", "5", "--datum", "2026-01-15"))
    screen = t.ready()
    assert last_ruta(screen).endswith("ruta 5 · beslut")
    screen = t.type("?")
    assert has(screen, "b   tillbaka ett steg (ångra)")
    screen = t.type("kanske")
    assert has(
        screen,
        "'kanske' är inget av valen. Skriv ett nummer mellan 1 och 2, svarets text, ? för hjälp, b för att "
        "gå tillbaka, a för en anteckning, s för att spara eller q för att avsluta.",
    )
    screen = t.type("7")
    assert has(screen, "'7' är inget av valen. Skriv ett nummer mellan 1 och 2")
    screen = t.type("2")
    assert last_ruta(screen).endswith("ruta 7 · steg")
    screen = t.type("b")
    assert has(screen, "Tillbaka till soc-sjukskriven/5.")
    assert last_ruta(screen).endswith("ruta 5 · beslut")
    t.open_note()
    t.send("pnr 811218-9876")
    screen = t.wait(lambda s: "ser ut som ett personnummer" in s, "vägran")
    assert has(screen, "Ärendefilen får inte innehålla uppgifter som identifierar en person")
