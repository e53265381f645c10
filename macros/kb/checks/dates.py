"""Dates: they do not contradict each other within a record, and each is in the words of its citations."""

from __future__ import annotations

import re
from functools import lru_cache

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
                for name in fields:
                    text = item.get(name)
                    if text is None:
                        continue  # most claims carry no date: nothing to look for
                    date = _parsed(text)
                    quotes = [c.get("quote") for c in item.get("cite", []) if isinstance(c, dict)]
                    if date is None or any(in_words(date, q) for q in quotes if isinstance(q, str)):
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


_MONTH_NUMBER = {name.lower(): number for number, name in enumerate(MONTHS) if name}
_MONTH_NUMBER.update({name[:3]: number for name, number in list(_MONTH_NUMBER.items())})
_MONTH_NUMBER["sept"] = 9
_MONTH = r"(" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_DAY = r"([0-3]?[0-9])(?:st|nd|rd|th)?"
_YEAR = r"([0-9]{4})"
# One pattern for every way an English text writes a date (compiled once, whatever the dates): June 8, 2026;
# 8 June 2026; 8th of June, 2026; Jun. 8 2026; 2026-06-08; June 2026; June, 2026; 2026-06; 2026.
_MENTION = re.compile(
    rf"\b{_MONTH} {_DAY}\b,? {_YEAR}\b"
    rf"|\b{_DAY}(?: of)? {_MONTH},? {_YEAR}\b"
    rf"|\b{_MONTH},? (?:of )?{_YEAR}\b"
    rf"|\b{_YEAR}-([0-9]{{2}})(?:-([0-9]{{2}}))?\b"
    rf"|\b{_YEAR}\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 14)
def date_mentions(text: str) -> frozenset[tuple[int, int | None, int | None]]:
    """The dates `text` writes, as (year, month or None, day or None)."""
    found = set()
    for m in _MENTION.finditer(normalize(text)):
        g = m.groups()
        if g[0]:  # month day, year
            found.add((int(g[2]), _MONTH_NUMBER[g[0].lower()], int(g[1])))
        elif g[3]:  # day month year
            found.add((int(g[5]), _MONTH_NUMBER[g[4].lower()], int(g[3])))
        elif g[6]:  # month year
            found.add((int(g[7]), _MONTH_NUMBER[g[6].lower()], None))
        elif g[8]:  # ISO
            found.add((int(g[8]), int(g[9]), int(g[10]) if g[10] else None))
        else:  # a year alone
            found.add((int(g[11]), None, None))
    return frozenset(found)


def in_words(date: PartialDate, text: str) -> bool:
    """Whether `text` gives `date` at its precision (a day of the month gives its month; any date, its year)."""
    for year, month, day in date_mentions(text):
        if year != date.year:
            continue
        if date.precision == "year" or (month == date.month and (date.precision == "month" or day == date.day)):
            return True
    return False


def _example(date: PartialDate) -> str:
    if date.precision == "day":
        return f"'{MONTHS[date.month]} {date.day}, {date.year}' or '{date.human()}'"
    return f"'{date.human()}'"
