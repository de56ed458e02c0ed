"""`processmodell bygg [KATALOG] --ut KATALOG [--exempel KATALOG]`: the static HTML process map.

Thin: checks that Graphviz is installed, loads and validates the model, then hands it to
`render.site`. A model that `validera` rejects is not published (exit 1); a folder or output
that cannot be used, or a missing `dot`, is exit 2. Messages are Swedish and go to stderr.

With `--exempel`, every subfolder of that folder holding YAML files is another model: each is
validated like the main model (nothing is written unless all are valid) and built as a site of
its own under `<ut>/exempel/<subfolder>/`, listed on the main index.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cli.common import EXIT_FINDINGS, EXIT_OK, CommandError, folder_problem, load_model, report
from processmodell.findings import os_reason

DOT_MISSING = (
    "Graphviz saknas: programmet 'dot' behövs för att rita processkartorna.\n"
    "Installera det och kör kommandot igen, t.ex.:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  Fedora:         sudo dnf install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  Windows:        winget install graphviz"
)


def _check_output(katalog: Path, ut: Path) -> None:
    if Path(katalog).resolve() == Path(ut).resolve():
        raise CommandError(
            f"--ut '{ut}' är modellens egen katalog: webbplatsens filer skulle blandas med "
            "modellens YAML-filer. Välj en annan katalog, t.ex. --ut site."
        )
    if Path(ut).exists() and not Path(ut).is_dir():
        raise CommandError(f"--ut '{ut}' finns redan och är ingen katalog.")


def _example_folders(exempel: Path, ut: Path) -> list[Path]:
    """The models in `exempel`: its subfolders with YAML files, sorted by name (hidden
    folders are skipped). Exit 2 when there are none, or a name cannot be a web address."""
    from render.site import example_name_problem

    problem = folder_problem(exempel)
    if problem:
        raise CommandError(f"--exempel: {problem}")
    try:
        folders = sorted(
            (d for d in exempel.iterdir() if d.is_dir() and not d.name.startswith(".") and _has_yaml(d)),
            key=lambda d: d.name,
        )
    except OSError as exc:
        raise CommandError(f"--exempel: Katalogen '{exempel}' kan inte läsas: {os_reason(exc)}.") from None
    if not folders:
        raise CommandError(
            f"--exempel: '{exempel}' har inga undermappar med YAML-filer. Ange en katalog som "
            "examples/, där varje undermapp är en modell."
        )
    out = Path(ut).resolve()
    for folder in [exempel, *folders]:
        if folder.resolve() == out:
            raise CommandError(
                f"--ut '{ut}' är samma katalog som '{folder}': webbplatsens filer skulle blandas med "
                "exemplens YAML-filer. Välj en annan katalog, t.ex. --ut site."
            )
    for folder in folders:
        problem = example_name_problem(folder.name)
        if problem:
            raise CommandError(f"--exempel: mappen '{folder}': {problem}.")
    return folders


def _has_yaml(folder: Path) -> bool:
    # The same files `load_folder` reads: .yaml/.yml directly in the folder.
    return any(p.suffix in (".yaml", ".yml") and p.is_file() for p in folder.iterdir())


def load_examples(exempel: Path, ut: Path) -> list[tuple[str, object]]:
    """(folder name, model) for every example, or CommandError naming each example that
    cannot be built and its findings (the highest exit code of them)."""
    examples, problems = [], []
    for folder in _example_folders(exempel, ut):
        try:
            examples.append((folder.name, load_model(folder, require_valid=True)))
        except CommandError as exc:
            problems.append(CommandError(f"Exemplet '{folder.name}': {exc}", exc.code))
    if problems:
        raise CommandError("\n".join(str(p) for p in problems), max(p.code for p in problems))
    return examples


def run(katalog: Path, ut: Path, exempel: Path | None = None) -> int:
    from render import graphviz

    try:
        if not graphviz.dot_available():
            raise CommandError(DOT_MISSING)
        _check_output(katalog, ut)
        model = load_model(katalog, require_valid=True)
        examples = load_examples(Path(exempel), Path(ut)) if exempel is not None else []
        main_pages, example_pages = _build(model, examples, Path(ut))
    except CommandError as exc:
        return report("bygg", exc)
    index = Path(ut) / "index.html"
    if examples:
        sys.stdout.write(
            f"Byggde {main_pages} sidor i {ut}/ och {len(examples)} exempel med {example_pages} sidor i "
            f"{Path(ut) / 'exempel'}/ — öppna {index}.\n"
        )
    else:
        sys.stdout.write(f"Byggde {main_pages} sidor i {ut}/ — öppna {index}.\n")
    return EXIT_OK


def _build(model, examples: list[tuple[str, object]], ut: Path) -> tuple[int, int]:
    """Render and write every site; the number of pages of the main site and of the examples."""
    from render import graphviz, site

    try:
        sites = site.render_sites(model, examples)
    except site.SiteError as exc:
        raise CommandError(f"Webbplatsen kan inte byggas: {exc}.", EXIT_FINDINGS) from None
    except graphviz.GraphvizMissing:
        raise CommandError(DOT_MISSING) from None
    except (graphviz.GraphvizFailed, graphviz.UnsafeSvg) as exc:
        raise CommandError(f"Graphviz kunde inte rita kartorna: {exc}", EXIT_FINDINGS) from None
    try:
        site.write_sites(sites, ut)
    except OSError as exc:
        raise CommandError(f"Kan inte skriva webbplatsen till '{ut}': {os_reason(exc)}.") from None
    pages = {key: sum(1 for name in files if name.endswith(".html")) for key, files in sites.items()}
    return pages[""], sum(n for key, n in pages.items() if key)
