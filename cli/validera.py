"""`processmodell validera`: load a flows folder, check it, print the findings.

Formats: text (people), json (tools), github (workflow annotations), gitlab (Code Quality
report), junit (test report). Everything goes to stdout; only "the folder cannot be used"
goes to stderr, with exit code 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cli.common import EXIT_FINDINGS, EXIT_OK, CommandError, read_folder, report
from processmodell.findings import Finding

if TYPE_CHECKING:  # imported where used: only the gitlab and junit formats need them
    import xml.etree.ElementTree as ET


def run(katalog: Path, format: str, strikt: bool) -> int:
    from processmodell.checks import check
    from processmodell.loader import flow_files

    try:
        result = read_folder(katalog)
    except CommandError as exc:
        return report("validera", exc)
    files = [str(p) for p in flow_files(Path(katalog))]  # the listing load_folder just read
    findings = list(result.findings)
    if result.model is not None:
        findings.extend(check(result.model, prior=result.findings))
    findings.sort(key=Finding.sort_key)
    FORMATS[format](findings, files, katalog, strikt)
    failing = any(f.is_error or strikt for f in findings)
    return EXIT_FINDINGS if failing else EXIT_OK


# ---------------------------------------------------------------- text


def summary(findings: list[Finding], files: list[str]) -> str:
    """'3 fel, 2 varningar i 13 filer'."""
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    nfiles = f"{len(files)} {'fil' if len(files) == 1 else 'filer'}"
    if not findings:
        return f"Inga fel eller varningar i {nfiles}."
    varningar = "varning" if warnings == 1 else "varningar"
    return f"{errors} fel, {warnings} {varningar} i {nfiles}."


Segment = tuple[str, str]  # (text, rich style)


def text_lines(findings: list[Finding], files: list[str], katalog: Path, strikt: bool) -> list[list[Segment]]:
    """The text report as styled segments: grouped by file, one line per finding plus its
    hint, and the summary last."""
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.location.file if f.location else str(katalog), []).append(f)
    lines: list[list[Segment]] = []
    for file, group in by_file.items():
        lines.append([(file, "bold underline")])
        for f in group:
            where = str(f.location) if f.location else "-"
            severity = (f.severity.value.ljust(7), "bold red" if f.is_error else "yellow")
            lines.append([(f"{where}  ", ""), severity, (f"  {f.code}  ", "cyan"), (f.message, "")])
            if f.hint:
                lines.append([("    tips: ", "dim"), (f.hint, "")])
        lines.append([])
    failing = any(f.is_error or strikt for f in findings)
    style = "bold red" if failing else ("bold yellow" if findings else "bold green")
    lines.append([(summary(findings, files), style)])
    return lines


def print_text(findings: list[Finding], files: list[str], katalog: Path, strikt: bool) -> None:
    lines = text_lines(findings, files, katalog, strikt)
    if not sys.stdout.isatty():
        # Piped (CI logs, files): the same text without colours, and without importing rich.
        sys.stdout.write("".join("".join(text for text, _ in line) + "\n" for line in lines))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*line) if line else "")


# ---------------------------------------------------------------- json


def as_dict(f: Finding) -> dict:
    """One finding as plain data; the key order is part of the format."""
    loc = f.location
    return {
        "severity": f.severity.value,
        "code": f.code,
        "message": f.message,
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "hint": f.hint,
        "subject": f.subject,
    }


def print_json(findings: list[Finding], files: list[str], katalog: Path, strikt: bool) -> None:
    sys.stdout.write(json.dumps([as_dict(f) for f in findings], ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------- github


def escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF are encoded (GitHub's toolkit rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: like data, plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(f: Finding) -> str:
    kind = "error" if f.is_error else "warning"
    props = []
    if f.location:
        props += [
            f"file={escape_property(f.location.file)}",
            f"line={f.location.line}",
            f"col={f.location.column}",
        ]
    props.append(f"title={escape_property(f'processmodell {f.code}')}")
    message = f.message + (f"\nTips: {f.hint}" if f.hint else "")
    return f"::{kind} {','.join(props)}::{escape_data(message)}"


def print_github(findings: list[Finding], files: list[str], katalog: Path, strikt: bool) -> None:
    for f in findings:
        sys.stdout.write(github_line(f) + "\n")
    sys.stdout.write(summary(findings, files) + "\n")


# ---------------------------------------------------------------- gitlab


def gitlab_report(findings: list[Finding]) -> list[dict]:
    """GitLab Code Quality: fingerprints are stable (same finding, same hash) and unique (a
    repeat of an identical finding gets a counter in its hash input)."""
    import hashlib

    seen: dict[str, int] = {}
    report = []
    for f in findings:
        file = f.location.file if f.location else ""
        basis = "\0".join([f.code, file, f.subject or "", f.message])
        n = seen.get(basis, 0)
        seen[basis] = n + 1
        if n:
            basis += f"\0{n}"
        report.append(
            {
                "description": f.message + (f" Tips: {f.hint}" if f.hint else ""),
                "check_name": f.code,
                "fingerprint": hashlib.sha256(basis.encode("utf-8")).hexdigest(),
                "severity": "major" if f.is_error else "minor",
                "location": {"path": file, "lines": {"begin": f.location.line if f.location else 1}},
            }
        )
    return report


def print_gitlab(findings: list[Finding], files: list[str], katalog: Path, strikt: bool) -> None:
    sys.stdout.write(json.dumps(gitlab_report(findings), ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------- junit


def junit_tree(findings: list[Finding], files: list[str], katalog: Path, strikt: bool) -> ET.Element:
    """One testcase per (file, check): failures for errors (and warnings under --strikt);
    warnings otherwise pass with the warning as system-out."""
    import xml.etree.ElementTree as ET

    from processmodell.checks import CODES

    codes = list(CODES) + sorted({f.code for f in findings} - set(CODES))
    by_key: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        by_key.setdefault((f.location.file if f.location else str(katalog), f.code), []).append(f)
    groups = list(files) + sorted({file for file, _ in by_key} - set(files))
    suite = ET.Element("testsuite", name="processmodell validera")
    failures = 0
    for file in groups:
        for code in codes:
            case = ET.SubElement(suite, "testcase", classname=file, name=code)
            found = by_key.get((file, code), [])
            failing = [f for f in found if f.is_error or strikt]
            body = "\n".join(
                f"{f.location or file}: {f.message}" + (f" Tips: {f.hint}" if f.hint else "") for f in found
            )
            if failing:
                failures += 1
                failure = ET.SubElement(
                    case, "failure", message=failing[0].message, type=failing[0].severity.value
                )
                failure.text = body
            elif found:
                ET.SubElement(case, "system-out").text = body
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return suite


def print_junit(findings: list[Finding], files: list[str], katalog: Path, strikt: bool) -> None:
    import xml.etree.ElementTree as ET

    tree = junit_tree(findings, files, katalog, strikt)
    ET.indent(tree)
    sys.stdout.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    sys.stdout.write(ET.tostring(tree, encoding="unicode") + "\n")


FORMATS: dict[str, Callable[[list[Finding], list[str], Path, bool], None]] = {
    "text": print_text,
    "json": print_json,
    "github": print_github,
    "gitlab": print_gitlab,
    "junit": print_junit,
}
