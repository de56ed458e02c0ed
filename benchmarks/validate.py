"""How fast is validation? Prints figures; it is not a test.

(a) `processmodell validera flows` against the floor `python -c "import pydantic, yaml,
    networkx"` (median of several runs each; aim: ratio ≤ 1.3);
(b) `processmodell --help` (aim: ≤ 0.15 s);
(c) load + check in-process for synthetic models of 1,000, 10,000 and 50,000 rutor, with the
    time per ruta, to show that validation grows linearly.

Run: .venv/bin/python benchmarks/validate.py [--runs N] [--sizes 1000,10000,50000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROCESSMODELL = BIN / "processmodell"

RUTOR_PER_UNDERPROCESS = 100
TEXT = (
    "Handläggaren går igenom ärendet tillsammans med individen och dokumenterar vad som "
    "framkommer. Vid behov kontaktas andra parter med individens samtycke.\n"
    "- Kontrollera att läkarintyget är komplett.\n- Boka uppföljning inom en månad.\n"
)


def _env() -> dict[str, str]:
    """Like a user's shell: byte-code caching on (this sandbox sets PYTHONDONTWRITEBYTECODE,
    which would make every run compile the project's modules again)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU is user + system time of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def median_times(cmds: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """(median wall, median CPU) per command. The commands take turns, run after run, so a
    burst of load on a shared machine hits them alike; one unmeasured warm-up run each
    (fills the byte-code cache). CPU time varies far less than wall time under load."""
    env = _env()
    for cmd in cmds:
        _once(cmd, env)
    samples: list[list[tuple[float, float]]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            samples[i].append(_once(cmd, env))
    return [
        (statistics.median(w for w, _ in runs_), statistics.median(c for _, c in runs_)) for runs_ in samples
    ]


# ---------------------------------------------------------------- synthetic models


REGISTRIES = """\
modell:
  namn: Syntetisk modell
  version: "1"
  källa: benchmarks/validate.py
aktörer:
{aktörer}
lagrum:
{lagrum}
fakta:
  - id: ålder
    typ: heltal
    fråga: Hur gammal är individen?
    minst: 16
    högst: 67
  - id: samtycke
    typ: boolesk
    fråga: Samtycker individen?
"""


def registries(n_lagrum: int = 20, n_aktörer: int = 6) -> str:
    aktörer = "\n".join(f"  - id: a{i}\n    namn: Aktör {i}" for i in range(n_aktörer))
    lagrum = "\n".join(
        f'  - id: l{i}\n    kortnamn: L{i}\n    författning: Lag {i}\n    sfs: "2001:{i + 1}"\n'
        f"    länk: https://lagen.nu/2001:{i + 1}"
        for i in range(n_lagrum)
    )
    return REGISTRIES.format(aktörer=aktörer, lagrum=lagrum)


def underprocess(u: int, n_ups: int, per_up: int) -> str:
    """One underprocess: start, a chain of steg and beslut (some hand over to the next
    underprocess, some consult the one after that), an age-conditioned decision, ends."""
    lines = [
        "underprocess:",
        f"  id: u{u}",
        f"  namn: Underprocess {u}",
        f"  aktör: a{u % 6}",
        "rutor:",
        '  - id: "1"',
        "    typ: start",
        "    rubrik: Ärendet kommer in",
        "    text: |",
        *[f"      {line}" for line in TEXT.splitlines()],
        '    nästa: "2"',
    ]
    last = per_up - 4  # leave room for the decision and the three ends
    for i in range(2, last + 1):
        nxt = str(i + 1) if i < last else "ersättning"
        lines += [f'  - id: "{i}"', "    rubrik: Ruta " + str(i), "    text: |"]
        lines += [f"      {line}" for line in TEXT.splitlines()]
        lines += [f"    lagrum: [l{i % 20}, l{(i + 7) % 20}]"]
        if i % 3 == 0:
            other = f"u{(u + 1) % n_ups}/1"
            lines += [
                "    typ: beslut",
                "    alternativ:",
                "      - svar: Ja",
                f'        till: "{nxt}"',
                "      - svar: Nej",
                f'        till: "{nxt}"' if i % 9 else f"        till: {other}",
            ]
            if i % 9 == 0:
                lines += [f"        ansvarig: a{u % 6}", "        väntetid: P14D"]
        elif i % 17 == 0 and u != n_ups - 1:
            # Everyone consults the last underprocess, which consults no one (no recursion).
            lines += ["    typ: steg", f"    konsultera: u{n_ups - 1}/1", f'    nästa: "{nxt}"']
        else:
            lines += ["    typ: steg", f'    nästa: "{nxt}"']
    lines += [
        "  - id: ersättning",
        "    typ: beslut",
        "    rubrik: Aktivitetsersättning eller sjukersättning?",
        "    text: Välj efter ålder.",
        "    alternativ:",
        "      - svar: Aktivitetsersättning",
        "        till: aktivitetsersättning",
        "        villkor: {fakta: ålder, minst: 19, högst: 29}",
        "      - svar: Sjukersättning",
        "        till: sjukersättning",
        "        villkor: {fakta: ålder, minst: 30}",
        "      - svar: Annan försörjning",
        "        till: slut",
        "        villkor: {fakta: ålder, högst: 18}",
        "  - id: aktivitetsersättning",
        "    typ: slut",
        "    rubrik: Aktivitetsersättning",
        "  - id: sjukersättning",
        "    typ: slut",
        "    rubrik: Sjukersättning",
        "  - id: slut",
        "    typ: slut",
        "    rubrik: Annan försörjning",
    ]
    return "\n".join(lines) + "\n"


def write_synthetic(folder: Path, n_rutor: int) -> None:
    n_ups = max(1, n_rutor // RUTOR_PER_UNDERPROCESS)
    (folder / "register.yaml").write_text(registries(), encoding="utf-8")
    for u in range(n_ups):
        (folder / f"u{u}.yaml").write_text(underprocess(u, n_ups, RUTOR_PER_UNDERPROCESS), encoding="utf-8")


def time_validation(folder: Path, runs: int) -> tuple[float, float, int, int]:
    """(load seconds, check seconds, rutor, findings), best of `runs`."""
    from processmodell.checks import check
    from processmodell.loader import load_folder

    loads, checks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = load_folder(folder)
        middle = time.perf_counter()
        assert result.model is not None, [f.message for f in result.findings[:5]]
        findings = check(result.model)
        end = time.perf_counter()
        loads.append(middle - start)
        checks.append(end - middle)
    n = sum(len(up.rutor) for up in result.model.underprocesser.values())
    return min(loads), min(checks), n, len(findings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1000,10000,50000")
    args = parser.parse_args()

    (floor, floor_cpu), (validera, validera_cpu) = median_times(
        [
            [sys.executable, "-c", "import pydantic, yaml, networkx"],
            [str(PROCESSMODELL), "validera", "flows"],
        ],
        args.runs,
    )
    print(f"(a) processmodell validera flows:            {validera:.3f} s (cpu {validera_cpu:.3f} s)")
    print(f"    python -c 'import pydantic, yaml, networkx': {floor:.3f} s (cpu {floor_cpu:.3f} s)")
    ratio, ratio_cpu = validera / floor, validera_cpu / floor_cpu
    print(f"    kvot: {ratio:.2f} (cpu {ratio_cpu:.2f}); mål ≤ 1.3; median av {args.runs}")

    [(helptime, help_cpu)] = median_times([[str(PROCESSMODELL), "--help"]], args.runs)
    print(
        f"(b) processmodell --help:                    {helptime:.3f} s (cpu {help_cpu:.3f} s); mål ≤ 0.15 s"
    )

    print("(c) laddning + kontroll i processen (bästa av 3):")
    head = (
        ("rutor", 7),
        ("laddning", 9),
        ("kontroll", 9),
        ("totalt", 8),
        ("µs/ruta", 8),
        ("kontroll/ruta", 13),
    )
    print("    " + "  ".join(name.rjust(width) for name, width in head) + "  fynd")
    sys.path.insert(0, str(ROOT))
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            write_synthetic(folder, size)
            load, chk, n, nfind = time_validation(folder, runs=3)
        total = load + chk
        print(
            f"    {n:>7}  {load:>8.3f}s  {chk:>8.3f}s  {total:>7.3f}s  {total / n * 1e6:>8.1f}  "
            f"{chk / n * 1e6:>10.1f} µs  {nfind}"
        )


if __name__ == "__main__":
    main()
