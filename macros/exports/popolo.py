"""popolo.json: people, units, roles and events in the Popolo format.

{persons, organizations, memberships, events}, valid against Popolo's own
JSON Schemas (draft-03). The mapping:

- person -> Person: id, name, other_names; links = its page on the site.
- unit -> Organization: id, name, other_names, classification (the unit's
  kind), parent_id when the unit has exactly one parent. Popolo has a single
  parent per organization, so a unit with several parents gets no parent_id
  (none is chosen over the others) and one Membership per parent instead,
  with the unit as its member ({"@type": "Organization", "id": ...}) and the
  role "part of".
- role -> Membership: person_id, organization_id (when the role names a
  unit), role (the role's name), label (the claim's text, which carries a
  former or announced status: Popolo has no status field), start_date and
  end_date with their precision (YYYY, YYYY-MM or YYYY-MM-DD).
- event -> Event: id, name (its title), description (its summary),
  classification (its kind), start_date when a date is known. Each change it
  makes to units is an Event of its own, a part of it (parent_id): id
  "<event id>/<claim id>", name (the change in words), classification (merger,
  regrouping, formation, renaming, dissolution), status (done, announced,
  planned), organization_id (the unit a merger or renaming makes, or the
  parent a regrouping or formation puts the units under), start_date (the
  event's, for a change reported as done). Popolo has no terms for which
  units a change acts on or for a time relative to another event: those are
  in knowledge-base.json and knowledge-base.jsonld.
- A unit that a change reported as done ends (a merger, a renaming, a
  dissolution) gets its dissolution_date, and one it makes (a formation, the
  result of a merger or a renaming) its founding_date, when the event is
  dated; a regrouping changes neither (the unit carries on). Announced or
  planned changes give no dates: they had not happened as of their source.

Provenance: Popolo has `sources` only per record, a list of links. A record's
sources are the quoted passages of every claim it holds, one link per
distinct passage in the order cited: url = the passage's anchor on the
source's page (where it is highlighted), note = the quoted passage in the
archived text's own characters; a
source's original address is added when known. Which claim each quote
supports is kept in the other formats.
"""

from __future__ import annotations

from macros.exports.common import Urls, iso
from macros.kb.model import Claim, KnowledgeBase
from macros.kb.prose import change_words, claim_text, words_text
from macros.kb.urls import safe_url


def _sources(kb: KnowledgeBase, urls: Urls, claims) -> list[dict]:
    links: dict[str, dict] = {}
    for claim in claims:
        for citation in claim.cite:
            passage = urls.quote(citation.source, citation.quote)
            if passage not in links:
                links[passage] = {"url": passage, "note": kb.archived(citation.source, citation.quote)}
            original = safe_url(kb.sources[citation.source].url) if citation.source in kb.sources else None
            if original and original not in links:
                links[original] = {"url": original, "note": f"Original article: {kb.sources[citation.source].title}"}
    return list(links.values())


def _page_link(urls: Urls, record_id: str) -> list[dict]:
    return [{"url": urls.page(record_id), "note": "Page in the knowledge base, with every claim and its quotes"}]


def _claim_link(urls: Urls, claim: Claim) -> list[dict]:
    return [{"url": urls.claim(claim), "note": "The claim in the knowledge base"}]


def _dates_of(kb: KnowledgeBase, unit_id: str) -> tuple[str | None, str | None]:
    """(founding_date, dissolution_date) from the dated changes reported as done that make or end the unit."""
    founded = dissolved = None
    for event, change in kb.changes_of.get(unit_id, ()):
        if change.status != "done" or not event.date:
            continue
        if unit_id in change.makes and founded is None:
            founded = iso(event.date)
        if unit_id in change.ends:
            dissolved = iso(event.date)
    return founded, dissolved


def popolo(kb: KnowledgeBase, urls: Urls) -> dict:
    persons, organizations, memberships, events = [], [], [], []
    for person in kb.people.values():
        persons.append(
            {
                "id": person.id,
                "name": person.name,
                "other_names": [{"name": n.name} for n in person.other_names],
                "links": _page_link(urls, person.id),
                "sources": _sources(kb, urls, person.claims),
            }
        )
        for role in person.roles:
            membership = {
                "id": f"{person.id}/{role.claim.id}",
                "person_id": person.id,
                "role": role.role,
                "label": claim_text(kb, role.claim),
            }
            if role.unit:
                membership["organization_id"] = role.unit
            if role.start:
                membership["start_date"] = iso(role.start)
            if role.end:
                membership["end_date"] = iso(role.end)
            membership["links"] = _claim_link(urls, role.claim)
            membership["sources"] = _sources(kb, urls, [role.claim])
            memberships.append(membership)
    for unit in kb.units.values():
        organization = {
            "id": unit.id,
            "name": unit.name,
            "other_names": [{"name": n.name} for n in unit.other_names],
            "classification": unit.kind,
        }
        founded, dissolved = _dates_of(kb, unit.id)
        if founded:
            organization["founding_date"] = founded
        if dissolved:
            organization["dissolution_date"] = dissolved
        parents = list(dict.fromkeys(p.unit for p in unit.parents))
        if len(parents) == 1:
            organization["parent_id"] = parents[0]
        else:
            for parent in unit.parents:
                membership = {
                    "id": f"{unit.id}/{parent.claim.id}",
                    "member": {"@type": "Organization", "id": unit.id},
                    "organization_id": parent.unit,
                    "role": "part of",
                    "label": claim_text(kb, parent.claim),
                }
                if parent.start:
                    membership["start_date"] = iso(parent.start)
                if parent.end:
                    membership["end_date"] = iso(parent.end)
                membership["links"] = _claim_link(urls, parent.claim)
                membership["sources"] = _sources(kb, urls, [parent.claim])
                memberships.append(membership)
        organization["links"] = _page_link(urls, unit.id)
        organization["sources"] = _sources(kb, urls, unit.claims)
        organizations.append(organization)
    for event in kb.events.values():
        entry = {"id": event.id, "name": event.title, "classification": event.kind}
        if event.summary:
            entry["description"] = event.summary
        if event.date:
            entry["start_date"] = iso(event.date)
        entry["sources"] = _sources(kb, urls, event.claims)
        events.append(entry)
        for change in event.changes:
            part = {
                "id": f"{event.id}/{change.claim.id}",
                "name": words_text(kb, change_words(change)),
                "classification": change.change,
                "status": change.status,
                "parent_id": event.id,
            }
            target = change.makes[0] if change.change in ("merger", "renaming") and change.makes else change.parent
            if target:
                part["organization_id"] = target
            if change.status == "done" and event.date:
                part["start_date"] = iso(event.date)
            part["sources"] = _sources(kb, urls, [change.claim])
            events.append(part)
    return {"persons": persons, "organizations": organizations, "memberships": memberships, "events": events}
