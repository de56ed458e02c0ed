"""`processmodell testa`: run scenario files and show what they leave uncovered.

Exit codes: 0 every scenario passed, 1 a scenario failed, 2 the model or a scenario file
cannot be read. Coverage is printed, never a reason to fail here (the test suite asserts 100 %).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CommandError, folder_problem, load_model, report


def run(katalog: Path, scenarier: Path) -> int:
    from processmodell.interpreter import Interpreter
    from processmodell.scenario import coverage, run_folder

    out = Console(highlight=False, soft_wrap=True)
    try:
        problem = folder_problem(scenarier, " med scenarier")
        if problem:
            raise CommandError(problem)
        interp = Interpreter(load_model(katalog, require_valid=False))
        results, errors = run_folder(interp, Path(scenarier))
        if not results and not errors:
            raise CommandError(f"Katalogen '{scenarier}' innehåller inga scenariofiler.")
    except CommandError as exc:
        return report("testa", exc)
    for result in results:
        _print_result(out, result)
    for message in errors:
        out.print(Text("FEL  ", style="bold red") + Text(message))
    cov = coverage(interp.model, [r.case for r in results if r.ok and r.case is not None])
    _print_coverage(out, cov)
    failed = sum(not r.ok for r in results)
    summary = f"{len(results)} scenarier: {len(results) - failed} godkända, {failed} underkända"
    if errors:
        summary += f", {len(errors)} olästa filer"
    out.print(Text(summary + ".", style="bold red" if failed or errors else "bold green"))
    if errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if failed else EXIT_OK


def _print_result(out: Console, result) -> None:
    sc = result.scenario
    if result.ok:
        out.print(Text("ok   ", style="green") + Text(f"{sc.id}: {sc.namn}"))
        return
    out.print(Text("FEL  ", style="bold red") + Text(f"{sc.id}: {sc.namn}  ({sc.file})"))
    for m in result.mismatches:
        out.print(Text(f"     {m.message}"))
        for line in m.detail:
            style = "red" if line.startswith("-") else "green" if line.startswith("+") else "dim"
            out.print(Text(f"       {line}", style=style))


def _print_coverage(out: Console, cov) -> None:
    table = Table(title="Täckning (godkända scenarier)", title_justify="left", show_edge=False)
    table.add_column("underprocess")
    table.add_column("rutor", justify="right")
    table.add_column("svar", justify="right")
    for u in cov.underprocesser:
        rutor = f"{len(u.rutor) - len(u.uncovered_rutor)}/{len(u.rutor)} {u.rutor_percent:.0f} %"
        svar = f"{len(u.answers) - len(u.uncovered_answers)}/{len(u.answers)} {u.answers_percent:.0f} %"
        table.add_row(u.id, rutor, svar)
    visited, rutor, taken, answers = cov.totals()
    table.add_row(
        Text("totalt", style="bold"),
        f"{visited}/{rutor} {_pct(visited, rutor)}",
        f"{taken}/{answers} {_pct(taken, answers)}",
    )
    out.print()
    out.print(table)
    missing_rutor = {u.id: u.uncovered_rutor for u in cov.underprocesser if u.uncovered_rutor}
    if missing_rutor:
        out.print(Text("Rutor som inget scenario besöker:", style="bold yellow"))
        for up, rutor in missing_rutor.items():
            out.print(Text(f"  - {up}: {', '.join(r.split('/', 1)[1] for r in rutor)}"))
    by_ruta: dict[str, list[str]] = {}
    for u in cov.underprocesser:
        for ruta, answer in u.uncovered_answers:
            by_ruta.setdefault(ruta, []).append(f"'{answer}'")
    if by_ruta:
        out.print(Text("Svar som inget scenario tar:", style="bold yellow"))
        for ruta, answers in by_ruta.items():
            out.print(Text(f"  - {ruta}: {', '.join(answers)}"))
    out.print()


def _pct(part: int, whole: int) -> str:
    from processmodell.scenario import percent

    return f"{percent(part, whole):.0f} %"
