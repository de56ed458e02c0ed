"""How long building the whole site takes, and how big each page is.

    .venv/bin/python benchmarks/build.py [KATALOG] [--gånger N]

Measures (1) in-process: load the model, then `render.site.render_site` (view model, all
Graphviz maps, all pages) and writing the files; (2) the command line as a user runs it
(`processmodell bygg`, a fresh Python process). Prints the best and median of N runs and the
size of every file. Targets: whole site < 2 s, no page > 500 kB. Exit 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
TARGET_PAGE_BYTES = 500_000


def in_process(katalog: Path, out: Path) -> float:
    from processmodell.loader import load_folder
    from render.site import build

    start = time.perf_counter()
    result = load_folder(katalog)
    assert result.model is not None, "modellen kan inte läsas"
    build(result.model, out)
    return time.perf_counter() - start


def via_cli(katalog: Path, out: Path) -> float:
    exe = Path(sys.executable).with_name("processmodell")
    start = time.perf_counter()
    subprocess.run([str(exe), "bygg", str(katalog), "--ut", str(out)], check=True, capture_output=True)
    return time.perf_counter() - start


def summary(label: str, times: list[float]) -> str:
    best, median = min(times), statistics.median(times)
    return f"{label:<22} bäst {best:6.3f} s   median {median:6.3f} s   ({len(times)} körningar)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mät bygget av webbplatsen.")
    parser.add_argument("katalog", nargs="?", type=Path, default=ROOT / "flows")
    parser.add_argument("--gånger", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        in_process(args.katalog, out)  # warm-up: imports, Jinja2 template compilation
        inproc = [in_process(args.katalog, out) for _ in range(args.gånger)]
        cli = [via_cli(args.katalog, out) for _ in range(args.gånger)]
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if not p.name.startswith(".")}
    print(summary("i processen", inproc))
    print(summary("processmodell bygg", cli))
    print()
    print(f"{'fil':<26}{'byte':>10}")
    for name, size in sizes.items():
        flag = "  ÖVER 500 kB" if name.endswith(".html") and size > TARGET_PAGE_BYTES else ""
        print(f"{name:<26}{size:>10}{flag}")
    print(f"{'totalt':<26}{sum(sizes.values()):>10}")
    largest = max(size for name, size in sizes.items() if name.endswith(".html"))
    ok = statistics.median(cli) < TARGET_SECONDS and largest <= TARGET_PAGE_BYTES
    verdict = "uppfyllt" if ok else "EJ uppfyllt"
    print(f"\nMål: hela webbplatsen < {TARGET_SECONDS:.0f} s, ingen sida > 500 kB: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
