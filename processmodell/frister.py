"""Deadlines (frister): ISO 8601 durations added to a date, the way a calendar does it.

The handläggarstöd counts in days, weeks, months and years (P30D, P8W, P6M, P1Y). Months and
years are calendar arithmetic: 31 January + P1M is 28 (or 29) February, never 3 March, because
a frist "inom en månad" must not spill into the month after.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from processmodell.schema import DURATION_RE, Frist


@dataclass(frozen=True)
class Duration:
    months: int  # years are 12 months
    days: int  # weeks are 7 days

    def times(self, k: int) -> Duration:
        return Duration(self.months * k, self.days * k)


def parse_duration(text: str) -> Duration:
    """P1Y2M3W4D -> Duration(14 months, 25 days). Raises ValueError on anything else."""
    m = DURATION_RE.match(text)
    if not m:
        raise ValueError(f"'{text}' är ingen ISO 8601-tidslängd (t.ex. P30D, P8W, P6M, P1Y)")

    def n(group: int) -> int:
        part = m.group(group)
        return int(part[:-1]) if part else 0

    return Duration(months=12 * n(1) + n(2), days=7 * n(3) + n(4))


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months; a day past the end of the target month clamps to its last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def add(start: dt.date, duration: Duration | str) -> dt.date:
    """start + duration: months first (clamped to month end), then days."""
    if isinstance(duration, str):
        duration = parse_duration(duration)
    return add_months(start, duration.months) + dt.timedelta(days=duration.days)


def due_dates(start: dt.date, frist: Frist) -> list[dt.date]:
    """Every due date of a frist that starts on `start`.

    `inom`: one date. `var` + `längst`: start + k·var for k = 1, 2, … up to start + längst
    (each counted from the start, so month-end clamping never drifts: 31 Jan + P1M, P2M, P3M
    is 28 Feb, 31 Mar, 30 Apr). `var` without `längst` recurs for as long as the insats goes on,
    which a walk cannot know: only the first date is given."""
    if frist.inom is not None:
        return [add(start, frist.inom)]
    assert frist.var is not None  # the schema guarantees inom or var
    step = parse_duration(frist.var)
    if frist.längst is None:
        return [add(start, step)]
    limit = add(start, frist.längst)
    dates: list[dt.date] = []
    k = 1
    while True:
        due = add(start, step.times(k))
        if due > limit or (step.months == 0 and step.days == 0):
            return dates
        dates.append(due)
        k += 1
