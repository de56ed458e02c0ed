"""Screenshots of the process map for the README: docs/index.png and docs/soc-sjukskriven.png.

Builds the site from flows/ into a temporary folder, serves it on 127.0.0.1 and photographs
two pages with Debian's Chromium (the same setup as tests/test_browser.py). Run from the
repository root:  .venv/bin/python scripts/screenshots.py  (or `make screenshots`).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1440, "height": 1000}

# (page, output file, height of the picture from the top, in CSS px)
SHOTS = [
    ("index.html", "index.png", 2000),
    ("soc-sjukskriven.html", "soc-sjukskriven.png", 2600),
]


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _build(folder: Path, flows: Path) -> None:
    from processmodell.loader import load_folder
    from render.site import build

    result = load_folder(flows)
    if result.model is None:
        sys.exit(f"Modellen i {flows} kan inte läsas; kör processmodell validera {flows}.")
    build(result.model, folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skärmbilder av processkartan till docs/.")
    parser.add_argument("--katalog", type=Path, default=ROOT / "flows")
    parser.add_argument("--ut", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.stderr.write(f"{CHROMIUM} saknas: installera med apt-get install -y chromium\n")
        return 2
    from playwright.sync_api import sync_playwright

    args.ut.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        _build(Path(tmp), args.katalog)
        server, base = _serve(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport=VIEWPORT, reduced_motion="reduce")
                for name, out, height in SHOTS:
                    page.goto(base + name)
                    full = page.evaluate("document.documentElement.scrollHeight")
                    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(height, full)}
                    page.screenshot(path=str(args.ut / out), clip=clip, full_page=True)
                    print(f"Sparade {args.ut / out}")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
