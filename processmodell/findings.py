"""Findings: what validation (and loading) reports. A finding is data; the CLI prints it."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    fel = "fel"  # error: exit 1
    varning = "varning"  # warning: exit 0 unless --strikt


@dataclass(frozen=True, order=True)
class Location:
    file: str  # path as given/relative to the folder the user named
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    """One problem in a model.

    `code` is a stable kebab-case id (e.g. `okänd-ruta`, `återvändsgränd`), used by tests,
    by the json/gitlab formats and by anyone filtering output. `message` and `hint` are
    plain Swedish for an utvecklingsledare."""

    severity: Severity
    code: str
    message: str
    location: Location | None = None
    hint: str | None = None
    subject: str | None = field(default=None)  # e.g. "ruta fk/5a" — named by id, never index

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.fel

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code) if loc else ("", 0, 0, self.code)


class ModelError(Exception):
    """Raised by the core when input cannot be used at all; carries its findings."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def os_reason(exc: OSError) -> str:
    """The operating system's reason in Swedish (its own text is English)."""
    reasons = {
        errno.ENOENT: "filen finns inte",
        errno.EACCES: "du saknar behörighet",
        errno.EPERM: "du saknar behörighet",
        errno.EISDIR: "det är en katalog, inte en fil",
        errno.ENOTDIR: "en del av sökvägen är ingen katalog",
        errno.ENOSPC: "disken är full",
        errno.EROFS: "filsystemet är skrivskyddat",
        errno.ENAMETOOLONG: "filnamnet är för långt",
    }
    code = exc.errno or 0
    return reasons.get(code, f"systemfel {errno.errorcode.get(code, code)}")
