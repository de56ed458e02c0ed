"""How fast does a case walk? Prints figures; it is not a test.

(a) interpreter steps per second on a synthetic chain of 10,000 rutor (start → steg … → slut),
    one automatic step per ruta (aim: ≥ 100,000 steps/s);
(b) interpreter steps per second on the real model: every scenario in tests/scenarier walked
    from start to end with its fakta and answers (each event is a step);
(c) wall time of one `processmodell stega … --json` run against the floor
    `python -c "import pydantic, yaml"` (median of several runs each).

Run: .venv/bin/python benchmarks/walk.py [--runs N] [--size 10000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from processmodell.interpreter import AnswerBook, Interpreter, walk  # noqa: E402
from tests.walkmodels import chain  # noqa: E402  (the same synthetic chain the tests walk)

BIN = Path(sys.executable).parent
PROCESSMODELL = BIN / "processmodell"


def best_rate(steps_and_seconds: list[tuple[int, float]]) -> float:
    return max(steps / seconds for steps, seconds in steps_and_seconds)


def chain_rate(size: int, runs: int) -> tuple[float, float]:
    """(steps/s, seconds to build the interpreter's index)."""
    model = chain(size)
    began = time.perf_counter()
    interp = Interpreter(model)
    index_seconds = time.perf_counter() - began
    samples = []
    for _ in range(runs):
        case = interp.start("kedja", date="2026-01-15")
        began = time.perf_counter()
        interp.advance(case, "2026-01-15")
        samples.append((len(case.events) - 1, time.perf_counter() - began))
    return best_rate(samples), index_seconds


def real_rate(runs: int) -> tuple[float, int, int]:
    """(steps/s, scenarios, steps per round) walking every scenario on flows/."""
    from processmodell.loader import load_folder
    from processmodell.scenario import files, read

    model = load_folder(ROOT / "flows").model
    assert model is not None, "flows/ kan inte laddas"
    interp = Interpreter(model)
    scenarios = [read(f) for f in files(ROOT / "tests" / "scenarier")]
    samples = []
    steps = 0
    for _ in range(runs):
        steps = 0
        began = time.perf_counter()
        for _ in range(20):
            for sc in scenarios:
                case = interp.start(sc.underprocess, sc.start, sc.fakta, sc.datum)
                walk(interp, case, AnswerBook(sc.svar), sc.datum)
                steps += len(case.events) - 1
        samples.append((steps, time.perf_counter() - began))
    return best_rate(samples), len(scenarios), steps // 20


def wall(cmd: list[str], runs: int, ok: tuple[int, ...] = (0,)) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True)
        times.append(time.perf_counter() - began)
        if done.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd)} gav slutkod {done.returncode}:\n{done.stderr.decode()}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()

    rate, index = chain_rate(args.size, args.runs)
    print(f"(a) syntetisk kedja, {args.size} rutor: {rate:,.0f} steg/s (index: {index * 1000:.1f} ms)")
    rate, n, steps = real_rate(args.runs)
    print(f"(b) Stockholmsmodellen, {n} scenarier ({steps} steg per varv): {rate:,.0f} steg/s")
    cmd = [
        str(PROCESSMODELL), "stega", "soc-sjukskriven", "--json", "--datum", "2026-01-15",
        "--svar", "5=Ja", "--svar", "8=Ja", "--svar", "11=12", "--svar", "12=jobbtorg/1",
    ]  # fmt: skip
    stega = wall(cmd, args.runs, ok=(0, 3))
    floor = wall([sys.executable, "-c", "import pydantic, yaml"], args.runs)
    print(
        f"(c) processmodell stega … --json: {stega * 1000:.0f} ms; "
        f"python -c 'import pydantic, yaml': {floor * 1000:.0f} ms; kvot {stega / floor:.2f}"
    )


if __name__ == "__main__":
    main()
