"""A comparison of two states of the knowledge base as a report: text, GitHub Markdown or JSON.

The report is for a reviewer who must check, claim by claim, that each new or changed quote
supports its claim: what can silently lose evidence comes first (removals, changed quotes,
changed archived texts), then discrepancies opened or closed, renames, additions and the other
changes. Each item shows the claim in words, its kind and attribution, and every quote with its
source.

The Markdown goes where anyone's text is rendered by GitHub (a job summary, a pull request's
comment), and everything in it that came from the data is a stranger's: `md` escapes it so that
it shows as the characters it is. Every ASCII punctuation character is backslash-escaped (no
emphasis, links, images, headings, tables or raw HTML can start), line breaks and other control
characters become spaces, bidirectional controls are shown by their code point, and a
zero-width space is put where GitHub would otherwise make a live link or a notification: after
'@' (mentions, e-mail addresses), after '#' (issue references) and inside '://' and 'www.' (bare
URLs). `max_bytes` cuts the Markdown at an item's end, with a note of what was left out: a job
summary may hold 1 MiB, a comment 65,536 characters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from macros.kb.diff import (
    ClaimChange,
    ClaimView,
    FieldChange,
    KbDiff,
    RecordDiff,
    count_phrase,
    describe,
    diff_to_json,
)
from macros.kb.revision import Comparison, Side

KIND_NAMES = {"source": "Source", "person": "Person", "unit": "Unit", "event": "Event", "discrepancy": "Discrepancy"}
ARCHIVE_FIELDS = ("archive", "sha256", "archive_text_sha256")
# Shown for a record added or removed: what names it (the rest is in its claims).
_HEADLINE_FIELDS = ("title", "question", "url", "publisher", "published", "kind", "status")


# -- escaping --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ZWSP = "&#8203;"
# One pass (str.translate): control characters to spaces, bidi controls to their code point, every
# ASCII punctuation character backslash-escaped, and '@' and '#' followed by a zero-width space.
_MD_TABLE: dict[int, str] = dict.fromkeys((*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029), " ")
_MD_TABLE.update(
    {code: f"[U+{code:04X}]" for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)
_MD_TABLE.update({ord(c): "\\" + c for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
_MD_TABLE[ord("@")] = "\\@" + _ZWSP
_MD_TABLE[ord("#")] = "\\#" + _ZWSP
_WWW = re.compile(r"(?i)(www)\\\.")


def md(text: object) -> str:
    """Text from the data as GitHub Markdown that shows exactly it: no markup, no live link, no mention."""
    text = str(text).translate(_MD_TABLE).replace("\\:\\/\\/", "\\:" + _ZWSP + "\\/\\/")
    return _WWW.sub(lambda m: m.group(1) + _ZWSP + "\\.", text)


def plain(text: object) -> str:
    """Text from the data for a terminal: control characters (ANSI escapes...) and bidi controls shown
    by their code point, never sent as they are."""
    text = str(text).replace("\n", " ")
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# -- the items of a report, in the order a reviewer needs them ------------------------------


@dataclass
class Item:
    section: str
    lines: list[tuple[int, str]]  # (indent level, text already escaped for the format)


class _Writer:
    """Builds the items of one comparison, with one format's escaping (`esc`) and emphasis."""

    def __init__(self, comparison: Comparison, esc, strong, code):
        self.comparison = comparison
        self.esc, self.strong, self.code = esc, strong, code
        self.items: list[Item] = []

    def add(self, section: str, lines: list[tuple[int, str]]) -> None:
        self.items.append(Item(section, lines))

    def record_title(self, record: RecordDiff) -> str:
        name = f" ({self.esc(record.name)})" if record.name and record.name != record.id else ""
        return f"{KIND_NAMES[record.kind]} {self.code(self.esc(record.id))}{name}"

    def claim_line(self, claim: ClaimView) -> str:
        kind = claim.kind
        if claim.said_by or claim.attribution:
            who = ", ".join(self.esc(x) for x in (claim.attribution, claim.said_by) if x)
            kind += f", {'said by' if claim.kind == 'attributed' else 'by'} {who}"
        return f"{self.esc(describe(claim))} [{self.esc(kind)}] {self.code(self.esc(claim.id))}"

    def cite_line(self, source: str, quote: str) -> str:
        return f"“{self.esc(quote)}” from {self.code(self.esc(source))}"

    def claim_lines(self, claim: ClaimView, level: int) -> list[tuple[int, str]]:
        lines = [(level, self.claim_line(claim))]
        lines += [(level + 1, self.cite_line(c.source, c.quote)) for c in claim.cite]
        if not claim.cite:
            lines.append((level + 1, "no citation"))
        return lines

    def value(self, value) -> str:
        if isinstance(value, tuple):
            return "; ".join(self.esc(v) for v in value) if value else "none"
        return self.esc(value) if value != "" else "none"

    def field_line(self, change: FieldChange) -> str:
        if isinstance(change.old, tuple) or isinstance(change.new, tuple):
            old, new = set(change.old or ()), set(change.new or ())
            parts = []
            if new - old:
                parts.append("added " + "; ".join(self.esc(v) for v in sorted(new - old)))
            if old - new:
                parts.append("removed " + "; ".join(self.esc(v) for v in sorted(old - new)))
            return f"{self.esc(change.name)}: {', '.join(parts)}"
        return f"{self.esc(change.name)}: {self.value(change.old)} → {self.value(change.new)}"

    def build(self) -> list[Item]:
        diff = self.comparison.diff
        records = diff.records
        # 1. What is gone: records, claims, citations.
        for record in records:
            if record.status == "removed":
                lines = [(0, f"{self.strong(self.record_title(record))} removed, with its claims:")]
                for claim in record.claims_removed:
                    lines += self.claim_lines(claim, 1)
                self.add("Removed", lines)
        for record in records:
            if record.status == "removed":
                continue
            for claim in record.claims_removed:
                self.add(
                    "Removed", [(0, f"Claim removed from {self.record_title(record)}:")] + self.claim_lines(claim, 1)
                )
            for change in record.claims_changed:
                for citation in change.cites_removed:
                    self.add(
                        "Removed",
                        [
                            (0, f"Citation removed from {self.record_title(record)}: {self.claim_line(change.new)}"),
                            (1, self.cite_line(citation.source, citation.quote)),
                        ],
                    )
        # 2. Quotes that changed, next to the claim they support.
        for record in records:
            for change in record.claims_changed:
                for quote in change.quotes_changed:
                    self.add(
                        "Changed quotes",
                        [
                            (0, f"{self.record_title(record)}: {self.claim_line(change.new)}"),
                            (1, f"before: {self.cite_line(quote.source, quote.old)}"),
                            (1, f"after: {self.cite_line(quote.source, quote.new)}"),
                        ],
                    )
        # 3. Archived texts: evidence, never edited.
        for record in records:
            if record.kind == "source" and record.status in ("changed", "renamed"):
                archive = [f for f in record.fields if f.name in ARCHIVE_FIELDS]
                if archive:
                    self.add(
                        "Archived texts changed",
                        [
                            (
                                0,
                                f"{self.strong(self.record_title(record))}: archived texts are evidence and are never edited",
                            )
                        ]
                        + [(1, self.field_line(f)) for f in archive],
                    )
        # 4. Discrepancies opened or closed.
        for record in records:
            if record.kind != "discrepancy":
                continue
            status = next((f for f in record.fields if f.name == "status"), None)
            if record.status == "added":
                state = status.new if status is not None else ""
                verb = "opened" if state == "open" else f"added as {self.esc(state)}"
                self.add("Discrepancies opened or closed", [(0, f"{verb}: {self.record_title(record)}")])
            elif record.status == "removed":
                self.add("Discrepancies opened or closed", [(0, f"removed: {self.record_title(record)}")])
            elif status is not None:
                verb = "closed" if status.old == "open" else "opened" if status.new == "open" else "changed"
                self.add(
                    "Discrepancies opened or closed",
                    [(0, f"{verb} ({self.esc(status.old)} → {self.esc(status.new)}): {self.record_title(record)}")],
                )
        # 5. Renames.
        for record in records:
            if record.status == "renamed":
                moved = f" ({self.esc(record.old_path)} → {self.esc(record.path)})" if record.old_path else ""
                self.add(
                    "Renamed",
                    [
                        (
                            0,
                            f"{KIND_NAMES[record.kind]} {self.code(self.esc(record.old_id))} → {self.code(self.esc(record.id))}{moved}",
                        )
                    ],
                )
        # 6. What is new: records, claims, citations.
        for record in records:
            if record.status == "added":
                shown = [f for f in record.fields if f.name in _HEADLINE_FIELDS and f.new not in ("", ())]
                lines = [(0, f"{self.strong(self.record_title(record))} added")]
                lines += [(1, f"{self.esc(f.name)}: {self.value(f.new)}") for f in shown]
                for claim in record.claims_added:
                    lines += self.claim_lines(claim, 1)
                self.add("Added", lines)
        for record in records:
            if record.status == "added":
                continue
            for claim in record.claims_added:
                self.add("Added", [(0, f"Claim added to {self.record_title(record)}:")] + self.claim_lines(claim, 1))
            for change in record.claims_changed:
                for citation in change.cites_added:
                    self.add(
                        "Added",
                        [
                            (0, f"Citation added to {self.record_title(record)}: {self.claim_line(change.new)}"),
                            (1, self.cite_line(citation.source, citation.quote)),
                        ],
                    )
        # 7. Everything else that changed: a record's fields, a claim's text, kind, attribution, dates, status.
        for record in records:
            if record.status in ("added", "removed"):
                continue
            fields = [f for f in record.fields if not (record.kind == "source" and f.name in ARCHIVE_FIELDS)]
            if record.kind == "discrepancy":
                fields = [f for f in fields if f.name != "status"]
            if fields:
                self.add("Changed", [(0, f"{self.record_title(record)}:")] + [(1, self.field_line(f)) for f in fields])
            for change in record.claims_changed:
                if change.fields:
                    self.add("Changed", self.claim_change_lines(record, change))
        return self.items

    def claim_change_lines(self, record: RecordDiff, change: ClaimChange) -> list[tuple[int, str]]:
        lines = [(0, f"{self.record_title(record)}: claim {self.code(self.esc(change.new.id))} changed")]
        for f in change.fields:
            if f.name == "text":
                lines += [(1, f"text before: {self.esc(f.old)}"), (1, f"text after: {self.esc(f.new)}")]
            else:
                lines.append((1, self.field_line(f)))
        lines.append((1, "now: " + self.claim_line(change.new)))
        lines += [(2, self.cite_line(c.source, c.quote)) for c in change.new.cite]
        return lines


def _summary(diff: KbDiff) -> str:
    return count_phrase(diff.counts())


def _warnings(comparison: Comparison, esc) -> list[str]:
    out = []
    for side in (comparison.base, comparison.head):
        if side.problems:
            out.append(
                f"{esc(side.label)} has {len(side.problems)} validation problem(s): the records with "
                "problems are left out of this comparison (`python -m scripts.kb validate` lists them)."
            )
        for entry in side.skipped:
            out.append(f"{esc(side.label)}: {esc(entry.path)}: {esc(entry.reason)}")
    return out


# -- the three formats --------------------------------------------------------------------


def _title(comparison: Comparison, code) -> str:
    return f"Knowledge base changes: {code(comparison.base.label)} → {code(comparison.head.label)}"


def as_text(comparison: Comparison) -> str:
    items = _Writer(comparison, plain, lambda s: s, lambda s: s).build()
    lines = [_title(comparison, lambda s: s), _summary(comparison.diff)]
    lines += [f"warning: {w}" for w in _warnings(comparison, plain)]
    section = None
    for item in items:
        if item.section != section:
            section = item.section
            lines += ["", f"{section}:"]
        lines += ["  " + "  " * level + ("- " if level == 0 else "") + text for level, text in item.lines]
    return "\n".join(lines) + "\n"


def _md_code(text: str) -> str:
    return f"`{text}`" if re.fullmatch(r"[0-9a-f]{4,64}", text) else text  # commit ids only: we made them


def as_markdown(comparison: Comparison, max_bytes: int | None = None) -> str:
    """The report as GitHub Markdown; with `max_bytes`, cut after the last item that fits, with a note."""
    items = _Writer(comparison, md, lambda s: f"**{s}**", lambda s: s).build()
    head = [f"### {_title(comparison, _md_code)}", "", f"**{_summary(comparison.diff)}**", ""]
    head += [f"> [!WARNING]\n> {w}\n" for w in _warnings(comparison, md)]
    out = ["\n".join(head) + "\n"]
    size = len(out[0].encode("utf-8"))
    section = None
    for number, item in enumerate(items):
        block = f"\n#### {item.section}\n\n" if item.section != section else ""
        block += "".join("  " * level + "- " + text + "\n" for level, text in item.lines)
        size += len(block.encode("utf-8"))
        if max_bytes is not None and size > max_bytes - 400:
            out.append(
                f"\n> [!NOTE]\n> This summary is cut here to stay within {max_bytes:,} bytes: {len(items) - number} "
                f"more item(s) of {len(items)} are left out. The full report has them all "
                "(`python -m scripts.kb diff`, or this run's `kb-diff` artifact).\n"
            )
            break
        section = item.section
        out.append(block)
    return "".join(out)


def as_json(comparison: Comparison) -> str:
    def side(s: Side) -> dict:
        return {
            "label": s.label,
            "commit": s.commit,
            "problems": [p.as_text() for p in s.problems],
            "skipped": [{"path": k.path, "reason": k.reason} for k in s.skipped],
        }

    data = {
        "base": side(comparison.base),
        "head": side(comparison.head),
        "counts": comparison.diff.counts(),
        "records": diff_to_json(comparison.diff),
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
