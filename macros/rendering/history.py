"""The knowledge base's history on the site: the Recent changes page and each record's History.

Built from `macros.kb.history.History` (the changes merged into the branch, each dated by its
commit), never from a clock. Those dates say when the knowledge base recorded something, and
are shown apart from the dates of events, and labelled so. Everything from the data is escaped;
every link is relative to the page it is on.

Pages stay small: the Recent changes page lists the latest `MAX_CHANGES` changes, each with at
most `MAX_ITEMS` claims per list; a record's History is one line (its dates) over a collapsed
list of the claims whose text or quotes changed or that came after the record (their last
`MAX_EVENTS` events, only the words that changed), within `RECORD_BYTES`: a large entity page
has little room left.
"""

from __future__ import annotations

import difflib

from macros.kb.diff import ClaimChange, ClaimView, KbDiff, RecordDiff, count_phrase, describe
from macros.kb.history import ClaimEvent, History, HistoryEntry
from macros.kb.model import KnowledgeBase
from macros.kb.prose import claim_text
from macros.rendering.markup import Linker, esc, tag

MAX_CHANGES = 100
MAX_ITEMS = 12
MAX_EVENTS = 2
RECORD_BYTES = 900  # a record's history rows at most: entity pages stay within 60 KB
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
    a, b = old.split(), new.split()
    out = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for number, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = a[i1:i2]
            if len(words) > 2 * CONTEXT_WORDS + 2:
                head = [] if number == 0 else words[:CONTEXT_WORDS]
                tail = [] if number == len(opcodes) - 1 else words[-CONTEXT_WORDS:]
                words = [*head, "…", *tail]
            out.append(esc(" ".join(words)))
            continue
        if i2 > i1:
            out.append(tag("del", esc(" ".join(a[i1:i2]))))
        if j2 > j1:
            out.append(tag("ins", esc(" ".join(b[j1:j2]))))
    return " ".join(out)


class HistoryRenderer:
    """History sections for one page."""

    def __init__(self, kb: KnowledgeBase, history: History, linker: Linker):
        self.kb = kb
        self.history = history
        self.link = linker

    # -- shared ----------------------------------------------------------------

    def name_of(self, record_id: str) -> str:
        return self.kb.name_of(record_id)

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
            f"{len(changes):,} {'change' if len(changes) == 1 else 'changes'} merged into the knowledge base, "
            "newest first, each dated by its commit "
            f"({DATES_NOTE}). "
            + (f"The latest {MAX_CHANGES} are listed here. " if len(changes) > MAX_CHANGES else "")
            + "Each entity page has the history of its own claims.",
        )
        return intro + "".join(self.change_block(change) for change in changes[:MAX_CHANGES])

    def change_block(self, change: HistoryEntry) -> str:
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
            if record.status in ("added", "removed", "renamed") or record.fields:
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
        if record.status == "changed":
            fields = ", ".join(esc(f.name.replace("_", " ")) for f in record.fields)
            return tag("li", f"{kind} changed: {self.record_link(record.id)} ({fields})")
        return tag("li", f"{kind} added: {self.record_link(record.id)}")

    # -- a record's History section ------------------------------------------------

    def record_section(self, record_id: str) -> str:
        """A record's History, as HTML: when the knowledge base first recorded it and last changed it
        and, collapsed, the claims whose text or quotes changed or that came later (within
        RECORD_BYTES, the rest counted)."""
        if not self.history.available:
            return "\n" + tag("p", "History: unavailable for this build.", class_="kb-history-dates") + "\n"
        found = self.history.of(record_id)
        if found is None:
            return "\n" + tag("p", "History: not in the committed history yet.", class_="kb-history-dates") + "\n"
        dates = (
            f"History: first recorded {_time(found.first)}, last changed {_time(found.last)} "
            f'<span class="kb-history-note">({DATES_NOTE})</span>'
        )
        record = self.kb.get(record_id)
        claims = {c.id: c for c in record.claims} if record is not None else {}
        changed = []
        for claim_id, events in found.claims.items():
            shown = [
                e
                for e in events
                if (e.added and e.change.commit != found.first.commit)
                or (not e.added and (e.detail.changed("text") or e.detail.quotes_changed or e.detail.cites_added))
            ]
            if claim_id in claims and shown:
                changed.append((claims[claim_id], shown[-MAX_EVENTS:]))
        labels = _labels([claim_text(self.kb, claim) for claim, _ in changed])
        rows = [self.claim_row(claim, events, label) for (claim, events), label in zip(changed, labels)]
        if not rows:
            return "\n" + tag("p", dates, class_="kb-history-dates", data_search_exclude="true") + "\n"
        kept, size = [], 0
        for row in rows:
            size += len(row.encode("utf-8"))
            if size > RECORD_BYTES and kept:
                break
            kept.append(row)
        if len(kept) < len(rows):
            kept.append(tag("li", f"and {len(rows) - len(kept)} more: see Recent changes", class_="kb-more"))
        if len(rows) < len(claims):
            kept.append(tag("li", "Its other claims are as first recorded.", class_="kb-more"))
        return (
            "\n"
            + tag(
                "details",
                tag("summary", dates) + tag("ul", "".join(kept), class_="kb-history-claims"),
                class_="kb-history",
                data_search_exclude="true",
            )
            + "\n"
        )

    def claim_row(self, claim, events: list[ClaimEvent], label: str) -> str:
        """One claim's changes in few bytes: its first words (a link to it), then each change."""
        label = tag("a", esc(label), href=f"#{claim.id}")
        parts = []
        for event in events:
            if event.added:
                parts.append(f"added {_time(event.change)}")
                continue
            detail = event.detail
            what = [f"text: {compact_diff(f.old, f.new)}" for f in detail.fields if f.name == "text"]
            what += [f"quote: {compact_diff(q.old, q.new)}" for q in detail.quotes_changed]
            what += [f"quote added: “{esc(_first_words(c.quote, 12))}”" for c in detail.cites_added]
            parts.append(f"{_time(event.change)} " + "; ".join(what))
        return tag("li", label + " " + "; ".join(parts))


def _time(change: HistoryEntry) -> str:
    return f"<time>{esc(change.date)}</time>"  # an ISO date: its own machine-readable value


def _labels(texts: list[str], words: int = 5, most: int = 15) -> list[str]:
    """Each text's first words, as few as tell it from the others' (up to `most`)."""
    counts = [words] * len(texts)
    while True:
        labels = [_first_words(text, count) for text, count in zip(texts, counts)]
        repeated = {label for label in labels if labels.count(label) > 1}
        grow = [i for i, label in enumerate(labels) if label in repeated and counts[i] < most]
        if not grow:
            return labels
        for i in grow:
            counts[i] += 2


def _first_words(text: str, count: int = 6) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def compact_diff(old: str, new: str) -> str:
    """Only what changed, word by word, with a word of context: '… asset <ins>within the ecosystem</ins>'."""
    a, b = old.split(), new.split()
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            words = a[i1:i2]
            if len(words) > 2:
                first, last = i1 == 0, i2 == len(a)
                words = ["…", words[-1]] if first else [words[0], "…"] if last else [words[0], "…", words[-1]]
            out.append(esc(" ".join(words)))
            continue
        if i2 > i1:
            out.append(tag("del", esc(_first_words(" ".join(a[i1:i2]), 10))))
        if j2 > j1:
            out.append(tag("ins", esc(_first_words(" ".join(b[j1:j2]), 10))))
    return " ".join(out)


def _value(value) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    return value or "none"


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
