"""changes.xml: an Atom 1.0 feed of the changes merged into the knowledge base.

One entry per change (a first-parent commit of the branch that changed the data; see
macros.kb.history), newest first, the latest MAX_ENTRIES. An entry is dated by its commit (its
`updated` is the committer's time, in UTC: when the knowledge base recorded the change, not when
anything happened), its id and alternate link are the change's anchor on the Recent changes page,
and its content (HTML, escaped as Atom requires) lists the claims added, changed and removed,
each linked by its absolute URL where it still exists. The feed's `updated` is its newest
entry's; with no history (a build from a tarball or a shallow clone) the feed has no entry, its
subtitle says why, and its `updated` is atom.FALLBACK_UPDATED. No clock is read.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from macros.exports.atom import ATOM, FALLBACK_UPDATED
from macros.exports.common import Urls
from macros.kb.diff import ClaimView, count_phrase, describe
from macros.kb.history import History, HistoryEntry

CHANGES_PATH = "changes.xml"
CHANGES_PAGE = "changes/"
MAX_ENTRIES = 100
MAX_ITEMS = 20
DEFAULT_TITLE = "Alibaba AI reorganization: changes to the knowledge base"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0, even escaped


def _text(parent: ET.Element, name: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, name, attrs)
    element.text = _NOT_XML.sub("", text)
    return element


def _claim(urls: Urls, record_id: str, claim: ClaimView) -> str:
    text = html.escape(describe(claim, urls.kb.name_of))
    record = urls.kb.records.get(record_id)
    if record is None or not any(c.id == claim.id for c in record.claims):
        return text
    return f'<a href="{html.escape(urls.claim(next(c for c in record.claims if c.id == claim.id)))}">{text}</a>'


def _list(title: str, items: list[str]) -> str:
    if not items:
        return ""
    more = len(items) - MAX_ITEMS
    shown = items[:MAX_ITEMS] + ([f"and {more:,} more"] if more > 0 else [])
    return f"<h3>{html.escape(title)}</h3><ul>" + "".join(f"<li>{item}</li>" for item in shown) + "</ul>"


def entry_html(change: HistoryEntry, urls: Urls) -> str:
    added, changed, removed, records = [], [], [], []
    for record in change.diff.records:
        if record.status in ("added", "removed", "renamed"):
            what = f"{record.kind} {record.status}: {record.name}"
            if record.status == "renamed":
                what += f" (was {record.old_id})"
            records.append(html.escape(what))
        added += [_claim(urls, record.id, c) for c in record.claims_added]
        for claim_change in record.claims_changed:
            what = [f.name.replace("_", " ") for f in claim_change.fields if f.name != "id"]
            if claim_change.quotes_changed or claim_change.cites_added or claim_change.cites_removed:
                what.append("quotes")
            changed.append(
                _claim(urls, record.id, claim_change.new) + html.escape(f" ({', '.join(what or ['anchor'])})")
            )
        removed += [html.escape(describe(c, urls.kb.name_of)) for c in record.claims_removed]
    counts = count_phrase(change.diff.counts())
    return (
        f"<p>{html.escape(counts)}</p>"
        + _list("Records", records)
        + _list("Claims added", added)
        + _list("Claims changed", changed)
        + _list("Claims removed", removed)
    )


def changes_feed(history: History, urls: Urls, title: str = DEFAULT_TITLE) -> bytes:
    changes = history.newest_first()[:MAX_ENTRIES]
    feed = ET.Element("feed", {"xmlns": ATOM})
    _text(feed, "id", urls.export(CHANGES_PATH))
    _text(feed, "title", title)
    if history.available:
        subtitle = "Each change merged into the knowledge base: the claims it added, changed and removed."
    else:
        subtitle = f"History is unavailable for this build: {history.reason}."
    _text(feed, "subtitle", subtitle)
    _text(feed, "updated", changes[0].instant if changes else FALLBACK_UPDATED)
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": urls.export(CHANGES_PATH)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": urls.export(CHANGES_PAGE)})
    author = ET.SubElement(feed, "author")
    _text(author, "name", title)
    for change in changes:
        entry = ET.SubElement(feed, "entry")
        page = f"{urls.export(CHANGES_PAGE)}#{change.anchor}"
        _text(entry, "id", page)
        _text(entry, "title", f"{change.date}: change {change.short}")
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": page})
        _text(entry, "updated", change.instant)
        _text(entry, "content", entry_html(change, urls), type="html")
    ET.indent(feed, space="  ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
