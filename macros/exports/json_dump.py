"""knowledge-base.json: the whole knowledge base as one JSON document.

Shape (the JSON Schema data/schemas/export/knowledge-base.schema.json is the
reference, and is served beside the dump as knowledge-base.schema.json):

- `format_version`, `base_url`, `counts`, `timeline` (event ids in the
  site's timeline order) and `timeline_groups` (the same, with what hangs on
  a date apart from what hangs only on an undated event and from what hangs
  on nothing: undated events are in no time order);
- `sources`, `people`, `units`, `events`, `discrepancies`: lists sorted by id,
  each record with every field of its YAML and `url`, its page on the site;
  each source with `as_of`, the date its statuses hold as of (its publication
  date, else the latest date it gives its events, else none: `basis` says
  which); each event with its `changes` (kind, units, `into`, `from`,
  `complete`, `status`, and the units each `ends` and `makes`: a regrouping
  or a formation ends none);
- claims sit where the YAML has them (a person's `name_claim`, each role's
  `claim`, `statements`, ...), each with `id`, `url` (its page and anchor),
  `subject`, `field`, `kind`, `text`, `said_by`, `attribution`, `mentions`
  and `citations` (`source`; `quote`, the quoted passage in the archived
  text's own characters; `quote_as_written`, the quote as the YAML types it,
  which matched it after normalization and may differ in apostrophes, dashes
  and spacing; `quote_url`: the highlighted passage on the source's page).
  A claim has at least one citation, except
  the account of a discrepancy whose answer is that its source says nothing;
- dates are {"value": "2026-06", "precision": "month"}; an unknown value is
  null, never guessed;
- sources carry their metadata and their full archived text (`text`, with its
  `sha256`), so every quote can be checked against the dump alone.

Editorial text (a source's `notes`, a discrepancy's `note`, an editorial
title flagged by `title_is_editorial`) is never a claim: claims are only the
objects with `citations`.
"""

from __future__ import annotations

from macros.exports.common import Urls, date_json, dump_json
from macros.kb.asof import source_as_of
from macros.kb.model import Claim, KnowledgeBase
from macros.kb.prose import claim_text
from macros.kb.urls import safe_url

FORMAT_VERSION = "2.0"  # 1.1: quote in the archive's characters, quote_as_written; 2.0: changes, as_of


def claim_json(kb: KnowledgeBase, urls: Urls, claim: Claim) -> dict:
    return {
        "id": claim.id,
        "url": urls.claim(claim),
        "subject": claim.subject,
        "field": claim.field,
        "kind": claim.kind,
        "text": claim_text(kb, claim),
        "said_by": claim.said_by,
        "attribution": claim.attribution,
        "mentions": list(claim.mentions),
        "citations": [
            {
                "source": c.source,
                "quote": urls.kb.archived(c.source, c.quote),
                "quote_as_written": c.quote,
                "quote_url": urls.quote(c.source, c.quote),
            }
            for c in claim.cite
        ],
    }


def knowledge_base_json(kb: KnowledgeBase, urls: Urls) -> dict:
    def claim(c: Claim) -> dict:
        return claim_json(kb, urls, c)

    def other_names(record) -> list:
        return [{"name": n.name, "claim": claim(n.claim)} for n in record.other_names]

    sources = [
        {
            "id": s.id,
            "url": urls.page(s.id),
            "title": s.title,
            "title_is_editorial": s.title_is_editorial,
            "kind": s.kind,
            "publisher": s.publisher,
            "author": s.author,
            "original_url": safe_url(s.url),
            "published": date_json(s.published),
            "as_of": {"date": date_json(source_as_of(kb, s.id).date), "basis": source_as_of(kb, s.id).basis},
            "notes": s.notes,
            "archive": s.archive,
            "sha256": s.sha256,
            "text": s.text,
            "no_claim": [
                {
                    "quote": kb.archived(s.id, n.quote),
                    "quote_as_written": n.quote,
                    "reason": n.reason,
                    "quote_url": urls.quote(s.id, n.quote),
                }
                for n in s.no_claim
            ],
        }
        for s in kb.sources.values()
    ]
    people = [
        {
            "id": p.id,
            "url": urls.page(p.id),
            "name": p.name,
            "name_claim": claim(p.name_claim),
            "other_names": other_names(p),
            "roles": [
                {
                    "role": r.role,
                    "unit": r.unit,
                    "start": date_json(r.start),
                    "end": date_json(r.end),
                    "status": r.status,
                    "claim": claim(r.claim),
                }
                for r in p.roles
            ],
            "statements": [claim(c) for c in p.statements],
        }
        for p in kb.people.values()
    ]
    units = [
        {
            "id": u.id,
            "url": urls.page(u.id),
            "name": u.name,
            "kind": u.kind,
            "name_claim": claim(u.name_claim),
            "other_names": other_names(u),
            "parents": [
                {
                    "unit": p.unit,
                    "start": date_json(p.start),
                    "end": date_json(p.end),
                    "status": p.status,
                    "claim": claim(p.claim),
                }
                for p in u.parents
            ],
            "statements": [claim(c) for c in u.statements],
        }
        for u in kb.units.values()
    ]
    events = [
        {
            "id": e.id,
            "url": urls.page(e.id),
            "title": e.title,
            "kind": e.kind,
            "summary": e.summary,
            "event_claim": claim(e.event_claim),
            "when": None
            if e.when is None
            else {
                "date": date_json(e.when.date),
                "relation": e.when.relation,
                "event": e.when.event,
                "phrase": e.when.phrase,
                "claim": claim(e.when.claim),
            },
            "changes": [
                {
                    "change": c.change,
                    "units": list(c.units),
                    "into": c.into,
                    "from": c.source_parent,
                    "complete": c.complete,
                    "status": c.status,
                    "ends": list(c.ends),
                    "makes": list(c.makes),
                    "claim": claim(c.claim),
                }
                for c in e.changes
            ],
            "people": list(e.people),
            "statements": [claim(c) for c in e.statements],
        }
        for e in kb.events.values()
    ]
    discrepancies = [
        {
            "id": d.id,
            "url": urls.page(d.id),
            "question": d.question,
            "status": d.status,
            "note": d.note,
            "subjects": list(d.subjects),
            "accounts": [{"source": a.source, "answer": a.answer, "claim": claim(a.claim)} for a in d.accounts],
        }
        for d in kb.discrepancies.values()
    ]
    return {
        "format_version": FORMAT_VERSION,
        "base_url": urls.base,
        "counts": {
            "sources": len(kb.sources),
            "people": len(kb.people),
            "units": len(kb.units),
            "events": len(kb.events),
            "discrepancies": len(kb.discrepancies),
            "claims": len(kb.claims),
            "citations": kb.citation_count,
        },
        "timeline": [e.id for e in kb.timeline()],
        "timeline_groups": {
            "dated": [e.id for e in kb.timeline_groups.dated],
            "around": [
                {"anchor": anchor.id, "events": [e.id for e in events]} for anchor, events in kb.timeline_groups.around
            ],
            "undated": [e.id for e in kb.timeline_groups.undated],
        },
        "sources": sources,
        "people": people,
        "units": units,
        "events": events,
        "discrepancies": discrepancies,
    }


def knowledge_base_bytes(kb: KnowledgeBase, urls: Urls) -> bytes:
    return dump_json(knowledge_base_json(kb, urls))
