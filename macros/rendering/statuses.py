"""Statuses as HTML, each with the date it holds as of: never what is true today.

"current" on a page means "current as its source tells it": so every status
carries its as-of (the source's publication date, the latest date of the
events it reports, or "an undated source"; see macros.kb.asof).
"""

from __future__ import annotations

from functools import lru_cache

from macros.kb.asof import EVENTS, PUBLISHED, AsOf, claim_as_of
from macros.kb.dates import PartialDate
from macros.kb.model import Claim, KnowledgeBase
from macros.rendering.markup import esc, tag

# Short: a page may hold dozens (the legend of the organization chart and the about page say more).
AS_OF_TITLES = {PUBLISHED: "its source's date", EVENTS: "undated source: the latest date it gives"}
UNDATED_TITLE = "no date in the source"
# Said of a summary line that follows one of several accounts that differ.
LATEST_NOTE = '<span class="kb-latest">per the latest-dated source</span>'


def date_html(date) -> str:
    return "" if date is None else _date_html(date)


@lru_cache(maxsize=1 << 12)  # a site shows a few hundred dates tens of thousands of times
def _date_html(date: PartialDate) -> str:
    return tag("time", esc(date.human()), datetime=date.iso(), title=f"precision: {date.precision}")


def as_of_html(as_of: AsOf) -> str:
    """'as of 10 May 2023', 'as of 8 June 2026 or later' or 'as of an undated source'."""
    return _as_of_html(as_of.date, as_of.basis)


@lru_cache(maxsize=1 << 12)
def _as_of_html(date: PartialDate | None, basis: str) -> str:
    if date is None:
        return tag("span", "as of an undated source", class_="kb-asof", title=UNDATED_TITLE)
    later = " or later" if basis == EVENTS else ""
    return tag("span", f"as of {date_html(date)}{later}", class_="kb-asof", title=AS_OF_TITLES[basis])


def span_html(kb: KnowledgeBase, start, end, status: str | None, claim: Claim, note: str = "") -> str:
    """A role's or a parent relation's dates and status, the status as of the claim's source:
    ' (from 1 June 2023; announced, as of 10 May 2023)'."""
    parts = []
    if start:
        parts.append(f"from {date_html(start)}")
    if end:
        parts.append(f"until {date_html(end)}")
    text = "; ".join(parts)
    if status:
        text += ("; " if text else "") + f"{esc(status)}, {as_of_html(claim_as_of(kb, claim))}"
    if note:
        text += ("; " if text else "") + note
    return f' <span class="kb-when">({text})</span>' if text else ""


def dated_event_ids(kb: KnowledgeBase) -> set[str]:
    """The events that hang on a date (dated, or placed against a dated one): every list shows them apart
    from the others, which are in no time order."""
    return kb.derived("dated_event_ids", lambda kb: {e.id for e in kb.timeline_groups.dated})
