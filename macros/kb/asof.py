"""Time: what date a status holds as of.

A status (current, former, announced, planned; a change done, announced or
planned) is what its source said when it was written, not what is true
today. So each holds as of its source: the source's publication date when it
is known; else the latest date the source gives to the events it reports (it
was written then or later); else it is "as of an undated source". A claim
resting on several sources holds as of the latest-dated of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.kb.dates import PartialDate
from macros.kb.model import Claim, KnowledgeBase

PUBLISHED, EVENTS, UNDATED = "published", "events", "undated"


@dataclass(frozen=True)
class AsOf:
    date: PartialDate | None
    basis: str  # PUBLISHED: the source's publication date; EVENTS: the latest date it gives its events (or later)
    source: str | None  # the source it rests on (None when no claim cites one)

    @property
    def dated(self) -> bool:
        return self.date is not None

    def sort_key(self) -> tuple:
        """Undated first, then by date: the largest key is the latest-dated."""
        return (1, self.date.sort_key()) if self.date else (0, (0, 0, 0))


def _sources_as_of(kb: KnowledgeBase) -> dict[str, AsOf]:
    latest_event: dict[str, PartialDate] = {}
    for event in kb.events.values():
        if event.when and event.when.date:
            for source_id in {c.source for c in event.when.claim.cite}:
                known = latest_event.get(source_id)
                if known is None or event.when.date.sort_key() > known.sort_key():
                    latest_event[source_id] = event.when.date
    out = {}
    for source_id, source in kb.sources.items():
        if source.published:
            out[source_id] = AsOf(source.published, PUBLISHED, source_id)
        elif source_id in latest_event:
            out[source_id] = AsOf(latest_event[source_id], EVENTS, source_id)
        else:
            out[source_id] = AsOf(None, UNDATED, source_id)
    return out


def source_as_of(kb: KnowledgeBase, source_id: str) -> AsOf:
    return kb.derived("sources_as_of", _sources_as_of).get(source_id) or AsOf(None, UNDATED, source_id)


def claim_as_of(kb: KnowledgeBase, claim: Claim) -> AsOf:
    """As of the latest-dated source the claim cites (the first cited, when none is dated)."""
    found = [source_as_of(kb, source_id) for source_id in dict.fromkeys(c.source for c in claim.cite)]
    if not found:
        return AsOf(None, UNDATED, None)
    return max(found, key=AsOf.sort_key)  # max keeps the first of equals


def latest(kb: KnowledgeBase, items, claim_of=lambda item: item.claim):
    """The item whose claim holds as of the latest date (the first of equals; the first when none is dated)."""
    items = list(items)
    return max(items, key=lambda item: claim_as_of(kb, claim_of(item)).sort_key()) if items else None


def latest_of_each(kb: KnowledgeBase, items, key) -> list[tuple[object, bool]]:
    """One item per group of items with the same `key` (accounts of one thing, say a person's role in a
    unit): the latest-dated, and whether the group's accounts differ in status or dates (then a summary
    says it follows the latest-dated source). In the order the groups first appear."""
    groups: dict = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    out = []
    for group in groups.values():
        chosen = latest(kb, group)
        differ = len({tuple(getattr(i, name, None) for name in ("status", "start", "end")) for i in group}) > 1
        out.append((chosen, differ))
    return out
