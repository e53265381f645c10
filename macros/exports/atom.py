"""feed.xml: an Atom 1.0 feed of the events.

Entries: one per event, dated events first, newest first (by date, then id),
then the undated ones in the site's timeline order (`kb.timeline()`). Each
entry's id and alternate link are the event's page; its title is the event's
title; its summary says the date as the sources give it (with its precision,
or that it is unknown) and the event's summary.

Atom requires a full timestamp for `updated`; the feed takes it from the data,
never from the clock:
- a dated event's `updated` is the first instant (UTC) of its date, at its
  precision: 2026-06 gives 2026-06-01T00:00:00Z;
- the feed's `updated` is the newest of these, or of the sources'
  publication dates when no event is dated, or FALLBACK_UPDATED when the
  data has no date at all;
- an undated event's `updated` is the feed's: Atom needs one, the sources give
  none, and its summary says the date is unknown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from macros.exports.common import Urls
from macros.kb.dates import PartialDate
from macros.kb.model import Event, KnowledgeBase

ATOM = "http://www.w3.org/2005/Atom"
FALLBACK_UPDATED = "2000-01-01T00:00:00Z"
DEFAULT_TITLE = "Alibaba AI reorganization: events"
# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def timestamp(date: PartialDate) -> str:
    return date.earliest().isoformat() + "T00:00:00Z"


def feed_order(kb: KnowledgeBase) -> list[Event]:
    timeline = kb.timeline()
    dated = sorted((e for e in timeline if e.date), key=lambda e: (e.date.sort_key(), e.id), reverse=True)
    return dated + [e for e in timeline if not e.date]


def feed_updated(kb: KnowledgeBase) -> str:
    dates = [e.date for e in kb.events.values() if e.date] or [s.published for s in kb.sources.values() if s.published]
    return timestamp(max(dates, key=PartialDate.earliest)) if dates else FALLBACK_UPDATED


def _when(kb: KnowledgeBase, event: Event) -> str:
    when = event.when
    if event.date:
        return event.date.human() + "."
    text = "Date unknown"
    if when and when.phrase:
        text += f"; the source says: {when.phrase}"
    if when and when.relation and when.event:
        relation = {"before": "before", "after": "after", "same-time": "at the same time as"}.get(
            when.relation, when.relation
        )
        text += f" ({relation}: {kb.name_of(when.event)})"
    return text + "."


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = _NOT_XML.sub("", text)
    return element


def atom_feed(kb: KnowledgeBase, urls: Urls, title: str = DEFAULT_TITLE) -> bytes:
    updated = feed_updated(kb)
    feed = ET.Element("feed", {"xmlns": ATOM})
    _text(feed, "id", urls.export("feed.xml"))
    _text(feed, "title", title)
    _text(feed, "subtitle", "Events of the knowledge base, each tied to the sources that report it.")
    _text(feed, "updated", updated)
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": urls.export("feed.xml")})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": urls.base})
    author = ET.SubElement(feed, "author")
    _text(author, "name", title)
    for event in feed_order(kb):
        entry = ET.SubElement(feed, "entry")
        page = urls.page(event.id)
        _text(entry, "id", page)
        _text(entry, "title", event.title)
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page})
        _text(entry, "updated", timestamp(event.date) if event.date else updated)
        ET.SubElement(entry, "category", {"term": event.kind})
        summary = _when(kb, event)
        if event.summary:
            summary += " " + event.summary
        _text(entry, "summary", summary, type="text")
    ET.indent(feed, space="  ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
