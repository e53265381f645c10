"""How a claim reads as one sentence, where it is shown: lists of claims (a source's page, the
back-references of its archived text) and the exports' text fields.

The loader keeps claims as data (a role's name, unit, dates and status; an
event's stated time); the sentence is made here, at display time, from the
record and the names of the records it refers to. A statement, an event's
summary and a discrepancy's answer are the data's own words.
"""

from __future__ import annotations

from macros.kb.model import Claim, KnowledgeBase

_RELATIONS = {"same-time": "at the same time as"}


def claim_text(kb: KnowledgeBase, claim: Claim) -> str:
    """The claim as a sentence."""
    record = kb.records.get(claim.subject)
    field = claim.field
    if record is None or field not in _STRUCTURED:
        return claim.text
    return _STRUCTURED[field](kb, record, claim)


def _name(kb, record, claim) -> str:
    return f"Named {record.name}."


def _other_name(kb, record, claim) -> str:
    name = next(n.name for n in record.other_names if n.claim is claim)
    return f"Also named {name}."


def _role(kb, record, claim) -> str:
    role = next(r for r in record.roles if r.claim is claim)
    text = f"{record.name}: {role.role}"
    if role.unit:
        text += f", {kb.name_of(role.unit)}"
    if role.status in ("former", "announced"):
        text += f" ({role.status})"
    return text + "."


def _parent(kb, record, claim) -> str:
    parent = next(p for p in record.parents if p.claim is claim)
    return f"{record.name} is part of {kb.name_of(parent.unit)}."


def _when(kb, record, claim) -> str:
    """An event's time: its date, or its stated place."""
    when = record.when
    parts = [f"dated {when.date.human()}"] if when.date else []
    if when.event:
        relation = _RELATIONS.get(when.relation, when.relation or "relative to")
        place = f"{relation} {kb.name_of(when.event)}"
        parts.append(f"“{when.phrase}”, {place}" if when.phrase else place)
    elif when.phrase:
        parts.append(f"“{when.phrase}”")
    return f"{record.title}: {'; '.join(parts) or 'time as stated'}."


_STRUCTURED = {"name": _name, "other_name": _other_name, "role": _role, "parent": _parent, "when": _when}
