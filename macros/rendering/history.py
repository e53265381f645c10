"""The knowledge base's history on the site: the Recent changes page and each record's History.

Built from `macros.kb.history.History` (the changes merged into the branch, each dated by its
commit), never from a clock. Those dates say when the knowledge base recorded something, and
are shown apart from the dates of events, and labelled so. Everything from the data is escaped;
every link is relative to the page it is on.

Pages stay small: the Recent changes page lists the latest `MAX_CHANGES` changes, each with at
most `MAX_ITEMS` claims per list; a record's History is one collapsed <details>, listing the
claims whose text or quotes changed or that came after the record (at most `MAX_CLAIMS`, each
with its last `MAX_EVENTS` events), each change shown as a word-level difference.
"""

from __future__ import annotations

import difflib
import re

from macros.kb.diff import ClaimChange, ClaimView, KbDiff, RecordDiff, count_phrase, describe
from macros.kb.history import Change, ClaimEvent, History
from macros.kb.model import KnowledgeBase
from macros.kb.prose import claim_text
from macros.rendering.markup import Linker, esc, tag

MAX_CHANGES = 100
MAX_ITEMS = 12
MAX_CLAIMS = 15
MAX_EVENTS = 3
CONTEXT_WORDS = 5
PAGE_PATH = "changes/"
NOT_SEARCHED = ' { data-search-exclude="true" }'

UNAVAILABLE = (
    "History is unavailable for this build: {reason}. The site was built without the repository's "
    "history (from an archive of the files, or a shallow clone), so it cannot say when each claim "
    "was recorded or how it changed."
)
DATES_NOTE = "dates of changes to this knowledge base, not of the events"


def word_diff(old: str, new: str) -> str:
    """HTML of what changed from `old` to `new`, word by word: removed words in <del>, added in <ins>,
    long unchanged runs shortened to their ends."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    for number, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = a[i1:i2]
            first, last = number == 0, number == len(opcodes) - 1
            if len(words) > 2 * CONTEXT_WORDS + 2:
                head = [] if first else words[:CONTEXT_WORDS]
                tail = [] if last else words[-CONTEXT_WORDS:]
                out.append(esc("".join(head)) + "… " + esc("".join(tail)))
            else:
                out.append(esc("".join(words)))
            continue
        if i2 > i1:
            out.append(tag("del", esc("".join(a[i1:i2]).rstrip())) + " ")
        if j2 > j1:
            out.append(tag("ins", esc("".join(b[j1:j2]).rstrip())) + " ")
    return "".join(out).strip()


class HistoryRenderer:
    """History sections for one page."""

    def __init__(self, kb: KnowledgeBase, history: History, linker: Linker):
        self.kb = kb
        self.history = history
        self.link = linker
        listed = history.newest_first()[:MAX_CHANGES]
        self.listed = {change.commit for change in listed}

    # -- shared ----------------------------------------------------------------

    def name_of(self, record_id: str) -> str:
        return self.kb.name_of(record_id)

    def date(self, change: Change) -> str:
        """The change's date, linked to it on the Recent changes page when it is listed there."""
        time = tag("time", esc(change.date), datetime=change.instant)
        if change.commit not in self.listed:
            return time
        return tag("a", time, href=self.link.page(PAGE_PATH, change.anchor))

    def record_link(self, record_id: str, anchor: str | None = None) -> str:
        record = self.kb.get(record_id)
        if record is None:
            return esc(record_id)
        return tag("a", esc(record.name), href=self.link.record(record.record_kind, record_id, anchor))

    def claim_link(self, record_id: str, claim: ClaimView) -> str:
        """The claim in words, linked to it on its record's page (if both are still there)."""
        text = esc(_short(describe(claim, self.name_of)))
        record = self.kb.get(record_id)
        if record is None or not any(c.id == claim.id for c in record.claims):
            return text
        return tag("a", text, href=self.link.record(record.record_kind, record_id, claim.id))

    def what_changed(self, change: ClaimChange) -> str:
        parts = []
        for f in change.fields:
            if f.name == "text":
                parts.append("text: " + word_diff(f.old, f.new))
            elif f.name == "id":
                continue
            else:
                parts.append(f"{esc(f.name.replace('_', ' '))}: {esc(_value(f.old))} → {esc(_value(f.new))}")
        for quote in change.quotes_changed:
            parts.append(f"quote of {self.record_link(quote.source)}: " + word_diff(quote.old, quote.new))
        for citation in change.cites_added:
            parts.append(f"quote added from {self.record_link(citation.source)}: “{esc(_short(citation.quote))}”")
        for citation in change.cites_removed:
            parts.append(f"quote removed from {self.record_link(citation.source)}: “{esc(_short(citation.quote))}”")
        return "; ".join(parts) or "its anchor changed"

    # -- the Recent changes page -------------------------------------------------

    def page(self) -> str:
        if not self.history.available:
            return tag("p", esc(UNAVAILABLE.format(reason=self.history.reason)), class_="kb-history-unavailable")
        changes = self.history.newest_first()
        if not changes:
            return tag("p", "No change to the data has been committed yet.")
        intro = tag(
            "p",
            f"{len(changes):,} change(s) merged into the knowledge base, newest first, each dated by its commit "
            f"({DATES_NOTE}). "
            + (f"The latest {MAX_CHANGES} are listed here. " if len(changes) > MAX_CHANGES else "")
            + "Each entity page has the history of its own claims.",
        )
        return intro + "".join(self.change_block(change) for change in changes[:MAX_CHANGES])

    def change_block(self, change: Change) -> str:
        heading = tag(
            "h2",
            tag("time", esc(change.date), datetime=change.instant)
            + f' <span class="kb-change-id">change <code>{esc(change.short)}</code></span>'
            + tag("a", "¶", href=f"#{change.anchor}", class_="kb-permalink", title="Permanent link"),
            id=change.anchor,
        )
        return tag("section", heading + self.change_body(change.diff), class_="kb-change")

    def change_body(self, diff: KbDiff) -> str:
        summary = tag("p", esc(count_phrase(diff.counts())), class_="kb-change-counts")
        added, changed, removed, records = [], [], [], []
        for record in diff.records:
            if record.status in ("added", "removed", "renamed"):
                records.append(self.record_line(record))
            added += [self.claim_item(record.id, c) for c in record.claims_added]
            removed += [
                tag("li", esc(_short(describe(c, self.name_of))) + self.on(record)) for c in record.claims_removed
            ]
            for claim_change in record.claims_changed:
                changed.append(
                    tag("li", self.claim_link(record.id, claim_change.new) + " — " + self.what_changed(claim_change))
                )
        parts = [summary]
        for title, items in (
            ("Records", records),
            ("Claims added", added),
            ("Claims changed", changed),
            ("Claims removed", removed),
        ):
            if items:
                more = len(items) - MAX_ITEMS
                shown = items[:MAX_ITEMS] + ([tag("li", f"and {more:,} more", class_="kb-more")] if more > 0 else [])
                parts.append(tag("h3", esc(title)) + tag("ul", "".join(shown), class_="kb-change-list"))
        return "".join(parts)

    def on(self, record: RecordDiff) -> str:
        return f' <span class="kb-from">(on {self.record_link(record.id)})</span>'

    def claim_item(self, record_id: str, claim: ClaimView) -> str:
        return tag(
            "li",
            self.claim_link(record_id, claim) + f' <span class="kb-from">(on {self.record_link(record_id)})</span>',
        )

    def record_line(self, record: RecordDiff) -> str:
        kind = esc(record.kind)
        if record.status == "renamed":
            return tag("li", f"{kind} renamed: {esc(record.old_id)} → {self.record_link(record.id)}")
        if record.status == "removed":
            return tag("li", f"{kind} removed: {esc(record.name)}")
        return tag("li", f"{kind} added: {self.record_link(record.id)}")

    # -- a record's History section ------------------------------------------------

    def record_section(self, record_id: str) -> str:
        """The History section of a record's page, as Markdown (its heading) and HTML."""
        heading = f"\n## History{NOT_SEARCHED}\n\n"
        if not self.history.available:
            return heading + tag("p", "History is unavailable for this build.", class_="kb-history-unavailable") + "\n"
        found = self.history.of(record_id)
        if found is None:
            return heading + tag("p", "Not in the committed history yet.", class_="kb-history-dates") + "\n"
        dates = tag(
            "p",
            f"First recorded {self.date(found.first)}, last changed {self.date(found.last)} "
            f'<span class="kb-help">({DATES_NOTE})</span>',
            class_="kb-history-dates",
        )
        record = self.kb.get(record_id)
        current = {c.id for c in record.claims} if record is not None else set()
        rows = []
        for claim_id, events in found.claims.items():
            if claim_id not in current:
                continue
            later = [e for e in events if not e.added or e.change.commit != found.first.commit]
            if later:
                rows.append(self.claim_row(record_id, claim_id, events))
        if not rows:
            return heading + dates + tag("p", "Its claims are as first recorded.", class_="kb-help") + "\n"
        more = len(rows) - MAX_CLAIMS
        items = rows[:MAX_CLAIMS] + ([tag("li", f"and {more} more", class_="kb-more")] if more > 0 else [])
        details = tag(
            "details",
            tag("summary", f"How its claims changed ({len(rows)})")
            + tag("ul", "".join(items), class_="kb-history-claims"),
            class_="kb-history",
        )
        return heading + dates + details + "\n"

    def claim_row(self, record_id: str, claim_id: str, events: list[ClaimEvent]) -> str:
        record = self.kb.get(record_id)
        claim = next(c for c in record.claims if c.id == claim_id)
        label = tag("a", esc(_short(claim_text(self.kb, claim))), href=f"#{claim_id}")
        shown = events[-MAX_EVENTS:]
        parts = []
        if len(events) > len(shown):
            parts.append(f"{len(events) - len(shown)} earlier")
        for event in shown:
            if event.added:
                parts.append(f"added {self.date(event.change)}")
            else:
                parts.append(f"changed {self.date(event.change)}: {self.what_changed(event.detail)}")
        return tag("li", label + " — " + "; ".join(parts))


def _value(value) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    return value or "none"


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
