"""Dates: they do not contradict each other within a record, and each is in the words of its citations."""

from __future__ import annotations

import re
from functools import cache

from macros.kb.dates import MONTHS, PartialDate, ends_before_start, parse_date
from macros.kb.load import Loaded
from macros.kb.model import KnowledgeBase
from macros.kb.problems import Problem
from macros.kb.quotes import normalize
from macros.kb.schemas import dotted


def check_dates(kb: KnowledgeBase) -> list[Problem]:
    problems = []
    spans = [(r.start, r.end, r.claim) for p in kb.people.values() for r in p.roles]
    spans += [(p.start, p.end, p.claim) for u in kb.units.values() for p in u.parents]
    for start, end, claim in spans:
        if start and end and ends_before_start(start, end):
            problems.append(
                Problem(
                    claim.loc.path,
                    claim.loc.line,
                    claim.loc.col,
                    "end-before-start",
                    f"end {end.iso()} is before start {start.iso()}",
                    "check both dates against the source; swap them if they were reversed",
                )
            )
    return problems


# Where dates sit in a record, by the list that holds the claim and the claim's date fields. A source's
# `published` is not here: it is the source's metadata, not a claim cited to its words.
_DATED = {"when": ("date",), "roles": ("start", "end"), "parents": ("start", "end")}


def check_dates_quoted(loaded: Loaded) -> list[Problem]:
    """Each date on a claim is in the words of one of the claim's citations: the source gives it, at the
    precision written (a day needs its day, month and year; a month, its month and year)."""
    problems = []
    for doc in loaded.documents.values():
        for key, fields in _DATED.items():
            value = doc.data.get(key)
            items = [((key,), value)] if isinstance(value, dict) else []
            if isinstance(value, list):
                items = [((key, i), item) for i, item in enumerate(value) if isinstance(item, dict)]
            for path, item in items:
                quotes = [normalize(c.get("quote", "")) for c in item.get("cite", []) if isinstance(c, dict)]
                for name in fields:
                    text = item.get(name)
                    date = _parsed(text)
                    if date is None or any(date_pattern(date).search(q) for q in quotes):
                        continue
                    line, col = doc.where(path + (name,))
                    problems.append(
                        Problem(
                            doc.path,
                            line,
                            col,
                            "date-not-in-quote",
                            f"{dotted(path + (name,))} {date.iso()} is not in the words of any of its citations",
                            f"cite the words that give it (for {date.iso()}: {_example(date)}), give only the "
                            "precision they support, or remove the date if the source gives none",
                        )
                    )
    return problems


def _parsed(text) -> PartialDate | None:
    if not isinstance(text, str):
        return None
    try:
        return parse_date(text)
    except ValueError:
        return None  # reported as bad-date where the record is built


def _month_names(month: int) -> str:
    full = MONTHS[month]
    short = full[:3]
    names = [full, short + r"\.?"] + ([r"Sept\.?"] if month == 9 else [])
    return "(?:" + "|".join(names) + ")"


@cache
def date_pattern(date: PartialDate) -> re.Pattern:
    """The ways an English text writes the date, at its precision: 2026; June 2026, Jun. 2026, 2026-06;
    June 8, 2026, 8 June 2026, June 8th 2026, 2026-06-08."""
    year = rf"\b{date.year:04d}\b"
    if date.precision == "year":
        return re.compile(year)
    month = _month_names(date.month)
    # A month is also given by any of its days (a less precise date than the words is no overclaim).
    day = rf"0?{date.day}" if date.day else r"[0-3]?[0-9]"
    day += r"(?:st|nd|rd|th)?"
    forms = [
        rf"\b{month} {day}\b,? {year}",
        rf"\b{day}(?: of)? {month},? {year}",
        rf"\b{date.year:04d}-{date.month:02d}-{date.day:02d}\b"
        if date.day
        else rf"\b{date.year:04d}-{date.month:02d}(?:-[0-3][0-9])?\b",
    ]
    if date.precision == "month":
        forms.append(rf"\b{month},? (?:of )?{year}")
    return re.compile("|".join(forms), re.IGNORECASE)


def _example(date: PartialDate) -> str:
    if date.precision == "day":
        return f"'{MONTHS[date.month]} {date.day}, {date.year}' or '{date.human()}'"
    return f"'{date.human()}'"
