"""The difference in meaning between two states of the knowledge base, claim by claim.

Each record is reduced to a view of what it says (`RecordView`): its own fields, and its claims,
each with its kind, text, attribution, dates, status and citations (source and quote). Lists
whose order carries no meaning (claims, citations, units, mentions) are compared as sets, and
the YAML's formatting, key order and comments are gone by then: a change that only reformats or
reorders gives an empty diff.

Records are matched by id; a record removed and another added with the same content (or nearly:
most of its claims and quotes) is a rename. Within a record, claims are matched by id, then by
content (an id that changed because the text it is made from changed), then by likeness (same
field, similar text or shared quotes): such a pair is a changed claim. Within a claim, a
citation removed and one added of the same source is a changed quote.

Pure data in, data out: `diff_knowledge_bases(old, new)` for two loaded knowledge bases,
`diff_views` for views however obtained (the history builds them file by file), and a JSON form
(`diff_to_json`, `diff_from_json`) for `kb diff --format json` and the history's cache.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from macros.kb.kinds import RECORD_KINDS
from macros.kb.model import Claim, Discrepancy, Event, KnowledgeBase, Person, Record, Source, Unit

Value = str | tuple[str, ...]  # a field's value: text ('' when absent), or a set of texts, sorted

# The order claims are listed in: as a record's page shows them.
FIELD_ORDER = ("name", "other_name", "role", "parent", "event", "when", "change", "account", "statement")
RENAME_LIKENESS = 0.5  # share of claims and quotes two records must have in common to be a rename
CLAIM_LIKENESS = 0.5  # how alike two claims of one record must be to be one claim changed


@dataclass(frozen=True, order=True)
class CitationView:
    source: str
    quote: str


@dataclass(frozen=True)
class ClaimView:
    """What a claim says. `facts` are the structured parts a claim's sentence is made from (a role's
    name, unit, dates and status; an event's date...), as (name, text) pairs."""

    id: str
    field: str
    kind: str
    text: str
    facts: tuple[tuple[str, str], ...] = ()
    said_by: str = ""
    attribution: str = ""
    mentions: tuple[str, ...] = ()
    cite: tuple[CitationView, ...] = ()

    @property
    def content(self) -> tuple:
        """Everything the claim says, without its id."""
        return (self.field, self.kind, self.text, self.facts, self.said_by, self.attribution, self.mentions, self.cite)

    def fact(self, name: str) -> str:
        return dict(self.facts).get(name, "")


@dataclass(frozen=True)
class RecordView:
    kind: str
    id: str
    path: str
    name: str  # what to call it in a report (not compared)
    fields: tuple[tuple[str, Value], ...] = ()
    claims: tuple[ClaimView, ...] = ()

    @property
    def content(self) -> tuple:
        return (self.kind, self.fields, tuple(sorted((c.id, c.content) for c in self.claims)))

    def field_value(self, name: str) -> Value:
        return dict(self.fields).get(name, "")


# -- views of the model ------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "iso"):
        return value.iso()
    return str(value)


def _facts(*pairs: tuple[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple([(name, _text(value)) for name, value in pairs])


def claim_view(claim: Claim, facts: tuple[tuple[str, str], ...] = ()) -> ClaimView:
    return ClaimView(
        id=claim.id,
        field=claim.field,
        kind=claim.kind,
        text=claim.text,
        facts=facts,
        said_by=claim.said_by or "",
        attribution=claim.attribution or "",
        mentions=tuple(sorted(set(claim.mentions))),
        cite=tuple(sorted(CitationView(c.source, c.quote) for c in claim.cite)),
    )


def record_view(record: Record) -> RecordView:
    """What one record says, for comparing."""
    fields: list[tuple[str, Value]] = []
    claims: list[ClaimView] = []
    if isinstance(record, Source):
        fields = [
            ("title", record.title),
            ("title_is_editorial", _text(record.title_is_editorial)),
            ("kind", record.kind),
            ("publisher", _text(record.publisher)),
            ("author", _text(record.author)),
            ("url", _text(record.url)),
            ("published", _text(record.published)),
            ("notes", _text(record.notes)),
            ("archive", record.archive),
            ("sha256", record.sha256),
            # What the archived text is now: its recorded sha256 may no longer say (validation tells).
            ("archive_text_sha256", hashlib.sha256(record.text.encode("utf-8")).hexdigest()),
            ("no_claim", tuple(sorted(f"{n.quote} ({n.reason})" for n in record.no_claim))),
        ]
    elif isinstance(record, Person):
        claims.append(claim_view(record.name_claim, _facts(("name", record.name))))
        claims += [claim_view(n.claim, _facts(("name", n.name))) for n in record.other_names]
        claims += [
            claim_view(
                r.claim,
                _facts(("role", r.role), ("unit", r.unit), ("start", r.start), ("end", r.end), ("status", r.status)),
            )
            for r in record.roles
        ]
        claims += [claim_view(s) for s in record.statements]
    elif isinstance(record, Unit):
        fields = [("kind", record.kind)]
        claims.append(claim_view(record.name_claim, _facts(("name", record.name))))
        claims += [claim_view(n.claim, _facts(("name", n.name))) for n in record.other_names]
        claims += [
            claim_view(p.claim, _facts(("unit", p.unit), ("start", p.start), ("end", p.end), ("status", p.status)))
            for p in record.parents
        ]
        claims += [claim_view(s) for s in record.statements]
    elif isinstance(record, Event):
        fields = [
            ("title", record.title),
            ("kind", record.kind),
            ("people", tuple(sorted(set(record.people)))),
        ]
        claims.append(claim_view(record.event_claim))
        if record.when:
            w = record.when
            claims.append(
                claim_view(
                    w.claim,
                    _facts(("date", w.date), ("relation", w.relation), ("event", w.event), ("phrase", w.phrase)),
                )
            )
        claims += [
            claim_view(
                c.claim,
                _facts(
                    ("change", c.change),
                    ("units", ", ".join(sorted(set(c.units)))),
                    ("into", c.into),
                    ("from", c.source_parent),
                    ("complete", c.complete),
                    ("status", c.status),
                ),
            )
            for c in record.changes
        ]
        claims += [claim_view(s) for s in record.statements]
    elif isinstance(record, Discrepancy):
        fields = [
            ("question", record.question),
            ("status", record.status),
            ("note", record.note),
            ("subjects", tuple(sorted(set(record.subjects)))),
        ]
        claims += [claim_view(a.claim, _facts(("source", a.source))) for a in record.accounts]
    return RecordView(
        kind=record.record_kind,
        id=record.id,
        path=record.path,
        name=record.name,
        fields=tuple(fields),
        claims=tuple(sorted(claims, key=claim_order)),
    )


def claim_order(claim: ClaimView) -> tuple:
    return (FIELD_ORDER.index(claim.field) if claim.field in FIELD_ORDER else len(FIELD_ORDER), claim.id)


def views_of(kb: KnowledgeBase) -> dict[str, RecordView]:
    """record id -> its view, for every record of the knowledge base (sources included)."""
    return {record_id: record_view(record) for record_id, record in kb.records.items()}


# -- what changed ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Value
    new: Value


@dataclass(frozen=True)
class QuoteChange:
    source: str
    old: str
    new: str


@dataclass(frozen=True)
class ClaimChange:
    old: ClaimView
    new: ClaimView
    fields: tuple[FieldChange, ...] = ()  # id, text, kind, said_by, attribution, mentions, facts
    cites_added: tuple[CitationView, ...] = ()
    cites_removed: tuple[CitationView, ...] = ()
    quotes_changed: tuple[QuoteChange, ...] = ()

    def changed(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)


@dataclass(frozen=True)
class RecordDiff:
    kind: str
    id: str
    status: str  # added, removed, renamed, changed
    path: str
    name: str
    old_id: str = ""  # of a renamed record
    old_path: str = ""
    fields: tuple[FieldChange, ...] = ()
    claims_added: tuple[ClaimView, ...] = ()
    claims_removed: tuple[ClaimView, ...] = ()
    claims_changed: tuple[ClaimChange, ...] = ()


@dataclass(frozen=True)
class KbDiff:
    records: tuple[RecordDiff, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.records)

    def of_status(self, status: str) -> list[RecordDiff]:
        return [r for r in self.records if r.status == status]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for record in self.records:
            counts[f"records {record.status}"] += 1
            counts["claims added"] += len(record.claims_added)
            counts["claims removed"] += len(record.claims_removed)
            counts["claims changed"] += len(record.claims_changed)
            for change in record.claims_changed:
                counts["quotes changed"] += len(change.quotes_changed)
                counts["citations added"] += len(change.cites_added)
                counts["citations removed"] += len(change.cites_removed)
        return {key: value for key, value in sorted(counts.items()) if value}


def count_phrase(counts: dict[str, int]) -> str:
    """'2 claims added, 1 quote changed' from KbDiff.counts()."""
    if not counts:
        return "no change in meaning"
    phrases = []
    for key, value in counts.items():
        noun, _, rest = key.partition(" ")
        phrases.append(f"{value:,} {noun.removesuffix('s') if value == 1 else noun} {rest}")
    return ", ".join(phrases)


def diff_knowledge_bases(old: KnowledgeBase, new: KnowledgeBase) -> KbDiff:
    return diff_views(views_of(old), views_of(new))


def diff_views(old: dict[str, RecordView], new: dict[str, RecordView]) -> KbDiff:
    """What changed from the records `old` to the records `new` (both: id -> view)."""
    out: list[RecordDiff] = []
    removed = [old[i] for i in sorted(old.keys() - new.keys())]
    added = [new[i] for i in sorted(new.keys() - old.keys())]
    for record_id in sorted(old.keys() & new.keys()):
        before, after = old[record_id], new[record_id]
        if before.kind == after.kind and before.fields == after.fields and before.claims == after.claims:
            continue  # (claims are kept in one order: equal tuples, equal content)
        if before.kind != after.kind:  # the same id for another kind of record: not the same record
            removed.append(before)
            added.append(after)
            continue
        found = _record_changes(before, after, "changed")
        if found is not None:
            out.append(found)
    renames, removed, added = _renames(removed, added)
    for before, after in renames:
        out.append(_record_changes(before, after, "renamed"))
    out += [
        RecordDiff(
            r.kind, r.id, "removed", r.path, r.name, fields=_field_changes(r.fields, ()), claims_removed=r.claims
        )
        for r in removed
    ]
    out += [
        RecordDiff(a.kind, a.id, "added", a.path, a.name, fields=_field_changes((), a.fields), claims_added=a.claims)
        for a in added
    ]
    return KbDiff(tuple(sorted(out, key=lambda r: (RECORD_KINDS.index(r.kind), r.id, r.status))))


def _field_changes(old: tuple, new: tuple) -> list[FieldChange]:
    before, after = dict(old), dict(new)
    return [
        FieldChange(name, before.get(name, ""), after.get(name, ""))
        for name in dict.fromkeys([*before, *after])
        if before.get(name, "") != after.get(name, "")
    ]


def _record_changes(before: RecordView, after: RecordView, status: str) -> RecordDiff | None:
    fields = _field_changes(before.fields, after.fields)
    pairs, removed, added = match_claims(before.claims, after.claims)
    # A claim that only moved to an id another claim had (two statements of one slug, swapped) says
    # nothing new; one whose id is new is a changed anchor.
    old_ids, new_ids = {c.id for c in before.claims}, {c.id for c in after.claims}
    changed = [
        change
        for change in (claim_change(a, b, anchor_moved=a.id not in new_ids and b.id not in old_ids) for a, b in pairs)
        if change is not None
    ]
    if status == "changed" and not (fields or removed or added or changed):
        return None
    return RecordDiff(
        after.kind,
        after.id,
        status,
        after.path,
        after.name,
        old_id=before.id if status == "renamed" else "",
        old_path=before.path if before.path != after.path else "",
        fields=tuple(fields),
        claims_added=tuple(sorted(added, key=claim_order)),
        claims_removed=tuple(sorted(removed, key=claim_order)),
        claims_changed=tuple(sorted(changed, key=lambda c: claim_order(c.new))),
    )


def match_claims(
    old: tuple[ClaimView, ...], new: tuple[ClaimView, ...]
) -> tuple[list[tuple[ClaimView, ClaimView]], list[ClaimView], list[ClaimView]]:
    """(pairs of one claim before and after, claims removed, claims added)."""
    new_by_id = {c.id: c for c in new}
    old_left = []
    pairs: list[tuple[ClaimView, ClaimView]] = []
    for claim in old:  # the same id and the same content: unchanged
        match = new_by_id.get(claim.id)
        if match is not None and match.content == claim.content:
            del new_by_id[claim.id]
        else:
            old_left.append(claim)
    new_left = list(new_by_id.values())
    # The same content under another id: an id made from a text that moved (two statements swapped).
    by_content: dict[tuple, list[ClaimView]] = defaultdict(list)
    for claim in new_left:
        by_content[claim.content].append(claim)
    still_old = []
    for claim in old_left:
        candidates = by_content.get(claim.content)
        if candidates:
            pairs.append((claim, candidates.pop(0)))
        else:
            still_old.append(claim)
    paired_new = {id(b) for _, b in pairs}
    new_left = [c for c in new_left if id(c) not in paired_new]
    # The same id, other content: a changed claim.
    new_by_id = {c.id: c for c in new_left}
    old_left = []
    for claim in still_old:
        match = new_by_id.pop(claim.id, None)
        if match is not None:
            pairs.append((claim, match))
        else:
            old_left.append(claim)
    new_left = list(new_by_id.values())
    # Alike: one claim whose id changed with what it is made from.
    candidates = []
    for i, before in enumerate(old_left):
        for j, after in enumerate(new_left):
            if before.field == after.field:
                score = claim_likeness(before, after)
                if score >= CLAIM_LIKENESS:
                    candidates.append((-score, i, j))
    used_old, used_new = set(), set()
    for _, i, j in sorted(candidates):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((old_left[i], new_left[j]))
    removed = [c for i, c in enumerate(old_left) if i not in used_old]
    added = [c for j, c in enumerate(new_left) if j not in used_new]
    return pairs, removed, added


def _words(claim: ClaimView) -> str:
    return " ".join([claim.text, *(value for _, value in claim.facts)])


def claim_likeness(a: ClaimView, b: ClaimView) -> float:
    """0 to 1: half how alike the texts (and facts) are, half how alike the quotes are (of the same sources)."""
    words = _ratio(_words(a), _words(b))
    if {c.source for c in a.cite} & {c.source for c in b.cite}:
        quotes = _ratio(" ".join(c.quote for c in a.cite), " ".join(c.quote for c in b.cite))
    else:
        quotes = 0.0
    return 0.5 * words + 0.5 * quotes


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() > 0.3 and matcher.quick_ratio() > 0.3 else 0.0


def claim_change(before: ClaimView, after: ClaimView, anchor_moved: bool = True) -> ClaimChange | None:
    """What changed in one claim; None if nothing did (but, unless `anchor_moved`, its id)."""
    if before.content == after.content and (before.id == after.id or not anchor_moved):
        return None
    fields = []
    if before.id != after.id and (anchor_moved or before.content != after.content):
        fields.append(FieldChange("id", before.id, after.id))
    for name in ("text", "kind", "said_by", "attribution"):
        if getattr(before, name) != getattr(after, name):
            fields.append(FieldChange(name, getattr(before, name), getattr(after, name)))
    if before.mentions != after.mentions:
        fields.append(FieldChange("mentions", before.mentions, after.mentions))
    fields += _field_changes(before.facts, after.facts)
    removed, added = _multiset_minus(before.cite, after.cite), _multiset_minus(after.cite, before.cite)
    quotes: list[QuoteChange] = []
    by_source: dict[str, list[CitationView]] = defaultdict(list)
    for citation in added:
        by_source[citation.source].append(citation)
    still_removed = []
    for citation in removed:
        same_source = by_source.get(citation.source)
        if same_source:
            # The added quote of this source most like the removed one.
            best = max(
                same_source,
                key=lambda c: difflib.SequenceMatcher(None, citation.quote, c.quote, autojunk=False).ratio(),
            )
            same_source.remove(best)
            quotes.append(QuoteChange(citation.source, citation.quote, best.quote))
        else:
            still_removed.append(citation)
    still_added = sorted(c for found in by_source.values() for c in found)
    return ClaimChange(
        before, after, tuple(fields), tuple(still_added), tuple(sorted(still_removed)), tuple(sorted(quotes, key=_qkey))
    )


def _qkey(change: QuoteChange) -> tuple:
    return (change.source, change.old, change.new)


def _multiset_minus(a: tuple, b: tuple) -> list:
    left = list(b)
    out = []
    for item in a:
        if item in left:
            left.remove(item)
        else:
            out.append(item)
    return out


def _elements(view: RecordView) -> set:
    """What two versions of a record under different ids may have in common: claims and quotes."""
    found: set = set()
    for claim in view.claims:
        found.add(("claim", claim.content))
        found.update(("cite", claim.field, c.source, c.quote) for c in claim.cite)
    return found


def _renames(
    removed: list[RecordView], added: list[RecordView]
) -> tuple[list[tuple[RecordView, RecordView]], list[RecordView], list[RecordView]]:
    """Pairs (before, after) of records that moved to another id, and the records left removed and added."""
    if not removed or not added:
        return [], removed, added
    pairs: list[tuple[RecordView, RecordView]] = []
    # The same content: a rename, and nothing else.
    by_content: dict[tuple, list[RecordView]] = defaultdict(list)
    for view in added:
        by_content[view.content].append(view)
    left = []
    for view in removed:
        match = by_content.get(view.content)
        if match:
            pairs.append((view, match.pop(0)))
        else:
            left.append(view)
    paired = {id(after) for _, after in pairs}
    added_left = [v for v in added if id(v) not in paired]
    # Most of its claims and quotes in common: a rename with changes. Candidates share an element.
    index: dict[object, list[int]] = defaultdict(list)
    elements_added = [_elements(v) for v in added_left]
    for j, elements in enumerate(elements_added):
        for element in elements:
            index[element].append(j)
    candidates = []
    for i, view in enumerate(left):
        elements = _elements(view)
        shared: dict[int, int] = defaultdict(int)
        for element in elements:
            for j in index.get(element, ()):
                shared[j] += 1
        for j, common in shared.items():
            after = added_left[j]
            if after.kind != view.kind:
                continue
            score = common / len(elements | elements_added[j])
            if score >= RENAME_LIKENESS:
                candidates.append((-score, view.id, after.id, i, j))
    used_old, used_new = set(), set()
    for _, _, _, i, j in sorted(candidates):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((left[i], added_left[j]))
    return (
        sorted(pairs, key=lambda pair: pair[1].id),
        [v for i, v in enumerate(left) if i not in used_old],
        [v for j, v in enumerate(added_left) if j not in used_new],
    )


# -- a claim in words ----------------------------------------------------------------


def describe(claim: ClaimView, name_of=None) -> str:
    """The claim as a short sentence, from its view alone (`name_of`: id -> a record's name, if known)."""
    name = name_of or (lambda record_id: record_id)
    field_name = claim.field
    if field_name == "name":
        return f"Named {claim.fact('name')}."
    if field_name == "other_name":
        return f"Also named {claim.fact('name')}."
    if field_name in ("role", "parent"):
        if field_name == "role":
            text = claim.fact("role") + (f", {name(claim.fact('unit'))}" if claim.fact("unit") else "")
        else:
            text = f"Part of {name(claim.fact('unit'))}"
        span = [
            f"from {claim.fact('start')}" if claim.fact("start") else "",
            f"until {claim.fact('end')}" if claim.fact("end") else "",
        ]
        status = claim.fact("status")
        span.append(status if status in ("former", "announced") else "")
        shown = ", ".join(part for part in span if part)
        return text + (f" ({shown})" if shown else "") + "."
    if field_name == "change":
        units = " and ".join(name(u) for u in claim.fact("units").split(", ") if u)
        if claim.fact("complete") == "false":
            units += ", among others"
        into = claim.fact("into")
        text = {
            "merger": f"{units} merged into {name(into)}",
            "regrouping": f"{units} regrouped under {name(into)}",
            "formation": f"{units} formed" + (f" within {name(into)}" if into else ""),
            "renaming": f"{units} renamed {name(into)}",
            "dissolution": f"{units} dissolved",
        }.get(claim.fact("change"), f"{claim.fact('change')}: {units}")
        if claim.fact("from"):
            text += f", from {name(claim.fact('from'))}"
        status = claim.fact("status")
        return (f"{status.capitalize()}: " if status and status != "done" else "") + text + "."
    if field_name == "when":
        parts = [f"dated {claim.fact('date')}"] if claim.fact("date") else []
        if claim.fact("phrase"):
            parts.append(f"“{claim.fact('phrase')}”")
        if claim.fact("event"):
            parts.append(f"{claim.fact('relation') or 'relative to'} {name(claim.fact('event'))}")
        return "When: " + ("; ".join(parts) or "as stated") + "."
    return claim.text


# -- JSON ------------------------------------------------------------------------------


def _value_json(value: Value):
    return list(value) if isinstance(value, tuple) else value


def _value_of(value) -> Value:
    return tuple(value) if isinstance(value, list) else value


def claim_json(claim: ClaimView) -> dict:
    return {
        "id": claim.id,
        "field": claim.field,
        "kind": claim.kind,
        "text": claim.text,
        "facts": dict(claim.facts),
        "said_by": claim.said_by,
        "attribution": claim.attribution,
        "mentions": list(claim.mentions),
        "cite": [{"source": c.source, "quote": c.quote} for c in claim.cite],
    }


def claim_of(data: dict) -> ClaimView:
    return ClaimView(
        data["id"],
        data["field"],
        data["kind"],
        data["text"],
        tuple(data["facts"].items()),
        data["said_by"],
        data["attribution"],
        tuple(data["mentions"]),
        tuple(CitationView(c["source"], c["quote"]) for c in data["cite"]),
    )


def _field_json(change: FieldChange) -> dict:
    return {"name": change.name, "old": _value_json(change.old), "new": _value_json(change.new)}


def _field_of(data: dict) -> FieldChange:
    return FieldChange(data["name"], _value_of(data["old"]), _value_of(data["new"]))


def _cites_json(cites) -> list[dict]:
    return [{"source": c.source, "quote": c.quote} for c in cites]


def _cites_of(data) -> tuple[CitationView, ...]:
    return tuple(CitationView(c["source"], c["quote"]) for c in data)


def diff_to_json(diff: KbDiff) -> list[dict]:
    """The diff as JSON-ready data: one object per record that changed."""
    return [
        {
            "kind": r.kind,
            "id": r.id,
            "status": r.status,
            "path": r.path,
            "name": r.name,
            "old_id": r.old_id,
            "old_path": r.old_path,
            "fields": [_field_json(f) for f in r.fields],
            "claims_added": [claim_json(c) for c in r.claims_added],
            "claims_removed": [claim_json(c) for c in r.claims_removed],
            "claims_changed": [
                {
                    "old": claim_json(c.old),
                    "new": claim_json(c.new),
                    "fields": [_field_json(f) for f in c.fields],
                    "cites_added": _cites_json(c.cites_added),
                    "cites_removed": _cites_json(c.cites_removed),
                    "quotes_changed": [{"source": q.source, "old": q.old, "new": q.new} for q in c.quotes_changed],
                }
                for c in r.claims_changed
            ],
        }
        for r in diff.records
    ]


def diff_from_json(data: list[dict]) -> KbDiff:
    return KbDiff(
        tuple(
            RecordDiff(
                r["kind"],
                r["id"],
                r["status"],
                r["path"],
                r["name"],
                r["old_id"],
                r["old_path"],
                tuple(_field_of(f) for f in r["fields"]),
                tuple(claim_of(c) for c in r["claims_added"]),
                tuple(claim_of(c) for c in r["claims_removed"]),
                tuple(
                    ClaimChange(
                        claim_of(c["old"]),
                        claim_of(c["new"]),
                        tuple(_field_of(f) for f in c["fields"]),
                        _cites_of(c["cites_added"]),
                        _cites_of(c["cites_removed"]),
                        tuple(QuoteChange(q["source"], q["old"], q["new"]) for q in c["quotes_changed"]),
                    )
                    for c in r["claims_changed"]
                ),
            )
            for r in data
        )
    )
