"""`processmodell bygg [KATALOG] --ut KATALOG`: the static HTML process map.

Thin: checks that Graphviz is installed, loads and validates the model, then hands it to
`render.site`. A model that `validera` rejects is not published (exit 1); a folder or output
that cannot be used, or a missing `dot`, is exit 2. Messages are Swedish and go to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

DOT_MISSING = (
    "Graphviz saknas: programmet 'dot' behövs för att rita processkartorna.\n"
    "Installera det och kör kommandot igen, t.ex.:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  Fedora:         sudo dnf install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  Windows:        winget install graphviz\n"
)


class CommandError(Exception):
    """A Swedish message for stderr and the exit code to return."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def load_valid_model(katalog: Path, command: str):
    """The model in `katalog`, or CommandError: 2 when the folder cannot be used, 1 when the
    model has errors (the same errors `validera` reports, first few shown)."""
    from processmodell.checks import check
    from processmodell.loader import FolderError, load_folder

    try:
        result = load_folder(Path(katalog))
    except FolderError as exc:
        raise CommandError(str(exc), EXIT_UNUSABLE) from None
    except OSError as exc:
        raise CommandError(
            f"Katalogen '{katalog}' kan inte läsas: {exc.strerror or exc}.", EXIT_UNUSABLE
        ) from None
    findings = list(result.findings)
    if result.model is not None:
        findings += check(result.model, prior=result.findings)
    errors = [f for f in findings if f.is_error]
    if result.model is None or errors:
        shown = [f"  {f.location}: {f.message}" if f.location else f"  {f.message}" for f in errors[:5]]
        more = f"\n  … och {len(errors) - 5} fel till." if len(errors) > 5 else ""
        raise CommandError(
            f"Modellen i '{katalog}' har {len(errors)} fel; {command} körs bara på en felfri modell.\n"
            + "\n".join(shown)
            + more
            + f"\nKör 'processmodell validera {katalog}' för alla fel med tips.",
            EXIT_FINDINGS,
        )
    return result.model


def _check_output(katalog: Path, ut: Path) -> None:
    if Path(katalog).resolve() == Path(ut).resolve():
        raise CommandError(
            f"--ut '{ut}' är modellens egen katalog: webbplatsens filer skulle blandas med "
            "modellens YAML-filer. Välj en annan katalog, t.ex. --ut site.",
            EXIT_UNUSABLE,
        )
    if Path(ut).exists() and not Path(ut).is_dir():
        raise CommandError(f"--ut '{ut}' finns redan och är ingen katalog.", EXIT_UNUSABLE)


def run(katalog: Path, ut: Path) -> int:
    from render import graphviz

    try:
        if not graphviz.dot_available():
            raise CommandError(DOT_MISSING.rstrip(), EXIT_UNUSABLE)
        _check_output(katalog, ut)
        model = load_valid_model(katalog, "bygg")
        count = _build(model, Path(ut))
    except CommandError as exc:
        sys.stderr.write(f"processmodell bygg: {exc}\n")
        return exc.code
    sys.stdout.write(f"Byggde {count} sidor i {ut}/ — öppna {Path(ut) / 'index.html'}.\n")
    return EXIT_OK


def _build(model, ut: Path) -> int:
    from render import graphviz, site

    try:
        files = site.render_site(model)
    except site.SiteError as exc:
        raise CommandError(f"Webbplatsen kan inte byggas: {exc}.", EXIT_FINDINGS) from None
    except graphviz.GraphvizMissing:
        raise CommandError(DOT_MISSING.rstrip(), EXIT_UNUSABLE) from None
    except (graphviz.GraphvizFailed, graphviz.UnsafeSvg) as exc:
        raise CommandError(f"Graphviz kunde inte rita kartorna: {exc}", EXIT_FINDINGS) from None
    try:
        site.write_site(files, ut)
    except OSError as exc:
        raise CommandError(
            f"Kan inte skriva webbplatsen till '{ut}': {exc.strerror or exc}.", EXIT_UNUSABLE
        ) from None
    return sum(1 for name in files if name.endswith(".html"))
