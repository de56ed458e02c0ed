"""`processmodell graf [KATALOG] --format json|dot|mermaid [--underprocess ID]`.

json is the stable machine-readable model (`processmodell.export`); dot is the same Graphviz
text the site draws (one underprocess: its map; the whole model: one cluster per
underprocess); mermaid is a `flowchart TD`. Output goes to stdout, UTF-8.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cli.common import EXIT_OK, CommandError, load_model, report


def run(katalog: Path, format: str, underprocess: str | None) -> int:
    try:
        model = load_model(katalog, require_valid=True)
        if underprocess is not None and underprocess not in model.underprocesser:
            known = ", ".join(sorted(model.underprocesser))
            raise CommandError(f"Underprocessen '{underprocess}' finns inte i modellen. Finns: {known}.")
        text = render(model, format, underprocess)
    except CommandError as exc:
        return report("graf", exc)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK


def render(model, format: str, underprocess: str | None) -> str:
    """The model as text in `format` (json, dot or mermaid)."""
    if format == "json":
        from processmodell.export import graph_json_text

        return graph_json_text(model, underprocess)
    from render.viewmodel import build_site_view

    site = build_site_view(model)
    up = site.underprocess(underprocess) if underprocess else None
    if format == "dot":
        from render import graphviz

        return graphviz.underprocess_dot(up) if up else graphviz.model_dot(site)
    if format == "mermaid":
        from render import mermaid

        return mermaid.underprocess_mermaid(up) if up else mermaid.model_mermaid(site)
    raise CommandError(f"Okänt format '{format}'; välj json, dot eller mermaid.")
