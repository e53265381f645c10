"""Reduced-precision dates: 2026, 2026-06 or 2026-06-08."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# English month names, whatever the locale (calendar.month_name follows the locale, and asks strftime).
MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def human(self) -> str:
        """'8 June 2026', 'June 2026' or '2026': the precision shows."""
        if self.day:
            return f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


def parse_date(text: str) -> PartialDate:
    """Parse a reduced-precision date; raise ValueError with a reason."""
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(f"'{text}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    if year < 1:
        raise ValueError("year 0000 does not exist")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month:02d} does not exist")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"{MONTHS[month]} {year} has no day {day}")
    return PartialDate(year, month, day)


def ends_before_start(start: PartialDate, end: PartialDate) -> bool:
    """True only when the end is certainly before the start, whatever the precision."""
    return end.latest() < start.earliest()
