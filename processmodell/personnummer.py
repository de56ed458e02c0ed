"""Finding Swedish personal identity numbers in free text, so a case never stores one.

A case file needs no identity: a walk is about which box a case is in, not about who.
Notes are free text, so a handläggare could paste a personnummer by habit; `find` spots
anything shaped like a personnummer or samordningsnummer whose check digit is right.

Shapes accepted (the ones people write): YYMMDD-XXXX, YYMMDD+XXXX (100 years or older),
YYMMDDXXXX, YYYYMMDD-XXXX, YYYYMMDDXXXX, and a space as separator. A samordningsnummer is
the same with 60 added to the day (61–91). The check digit is the Luhn digit over the ten
digits YYMMDDNNNC (the century is not part of it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Digits that are not part of a longer run of digits: an 11-digit number is not a match.
_SHAPE = re.compile(
    r"(?<!\d)(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+ ]?)(?P<serial>\d{3})(?P<check>\d)(?!\d)"
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February: 29 may occur


@dataclass(frozen=True)
class IdentityNumber:
    text: str  # as written
    kind: str  # "personnummer" | "samordningsnummer"
    start: int  # offset in the text


def luhn_ok(digits: str) -> bool:
    """The Luhn check used by Skatteverket: weights 2,1,2,1,… from the left over 10 digits."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _kind(mm: int, dd: int) -> str | None:
    """personnummer / samordningsnummer when month and day can be a birth date, else None."""
    if not 1 <= mm <= 12:
        return None
    if 1 <= dd <= _DAYS_IN_MONTH[mm - 1]:
        return "personnummer"
    if 61 <= dd <= 60 + _DAYS_IN_MONTH[mm - 1]:
        return "samordningsnummer"
    return None


def find(text: str) -> list[IdentityNumber]:
    """Every personnummer or samordningsnummer with a valid check digit in `text`."""
    found: list[IdentityNumber] = []
    for m in _SHAPE.finditer(text):
        if m.group("century") and m.group("century") not in ("18", "19", "20"):
            continue
        kind = _kind(int(m.group("mm")), int(m.group("dd")))
        ten = m.group("yy") + m.group("mm") + m.group("dd") + m.group("serial") + m.group("check")
        if kind and luhn_ok(ten):
            found.append(IdentityNumber(m.group(0), kind, m.start()))
    return found


def refusal(text: str) -> str | None:
    """A Swedish explanation why `text` may not be stored, or None when it is fine."""
    hits = find(text)
    if not hits:
        return None
    kinds = sorted({h.kind for h in hits})
    what = " eller ".join(kinds)
    return (
        f"Anteckningen innehåller något som ser ut som ett {what} (tecken {hits[0].start + 1}). "
        "Ärendefilen får inte innehålla uppgifter som identifierar en person; skriv anteckningen "
        "utan nummer, och håll identiteten i verksamhetssystemet."
    )
