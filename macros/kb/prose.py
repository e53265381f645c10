"""How a claim reads as one sentence, where it is shown: lists of claims (a source's page, the
back-references of its archived text) and the exports' text fields.

The loader keeps claims as data (a role's name, unit, dates and status; an
event's stated time); the sentence is made here, at display time, from the
record and the names of the records it refers to. A statement, an event's
summary and a discrepancy's answer are the data's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.kb.model import Change, Claim, KnowledgeBase

_RELATIONS = {"same-time": "at the same time as"}


def claim_text(kb: KnowledgeBase, claim: Claim) -> str:
    """The claim as a sentence."""
    # Made once per claim: a page, its JSON-LD, the source's page and the exports all show it.
    made = kb.memo("claim_texts")
    entry = made.get(id(claim))
    if entry is None or entry[0] is not claim:  # held with its claim, so the id is never another's
        entry = made[id(claim)] = (claim, _sentence(kb, claim))
    return entry[1]


def _sentence(kb: KnowledgeBase, claim: Claim) -> str:
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
    if role.status in ("former", "announced", "planned"):
        text += f" ({role.status})"
    return text + "."


def _parent(kb, record, claim) -> str:
    parent = next(p for p in record.parents if p.claim is claim)
    verb = _PARENT_VERBS.get(parent.status, "is part of")
    return f"{record.name} {verb} {kb.name_of(parent.unit)}."


_PARENT_VERBS = {
    "former": "was part of",
    "announced": "is announced to become part of",
    "planned": "is planned to become part of",
}


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


def _change(kb, record, claim) -> str:
    change = next(c for c in record.changes if c.claim is claim)
    return words_text(kb, change_words(change)) + "."


@dataclass(frozen=True)
class Ref:
    """A unit named in a sentence: its name in text, a link on a page."""

    id: str


STATUS_PREFIX = {"done": "", "announced": "Announced: ", "planned": "Planned: "}
# Each change, as done, and as still to come (announced or planned).
_VERBS = {
    "merger": ("merged into", "to merge into"),
    "regrouping": ("regrouped under", "to be regrouped under"),
    "formation": ("formed", "to be formed"),
    "renaming": ("renamed", "to be renamed"),
    "dissolution": ("dissolved", "to be dissolved"),
}


def unit_list(ids, complete: bool = True) -> list:
    """'A', 'A and B', 'A, B and C'; ', among others' when the source's list is not complete."""
    ids = list(ids)
    parts: list = []
    for index, unit_id in enumerate(ids):
        if index:
            parts.append(" and " if index == len(ids) - 1 else ", ")
        parts.append(Ref(unit_id))
    if not complete:
        parts.append(", among others" if ids else "units the source does not name")
    return parts


def change_words(change: Change, prefix: bool = True) -> list:
    """The change as a sentence, in parts: texts and `Ref`s to units (no final full stop); `prefix`:
    starting with its status when it is not done ("Announced: ")."""
    done, to_come = _VERBS[change.change]
    verb = done if change.status == "done" else to_come
    comma = "" if change.complete else ","  # after "A and B, among others"
    status = STATUS_PREFIX[change.status] if prefix else ""
    parts: list = [status, *unit_list(change.units, change.complete), f"{comma} {verb}"]
    if change.change == "formation":
        if change.into:
            parts += [" within ", Ref(change.into)]
    elif change.change != "dissolution" and change.into:
        parts += [" ", Ref(change.into)]
    if change.change == "regrouping" and change.source_parent:
        parts += [", from ", Ref(change.source_parent)]
    return [p for p in parts if p != ""]


def words_text(kb: KnowledgeBase, parts) -> str:
    return "".join(kb.name_of(p.id) if isinstance(p, Ref) else p for p in parts)


_STRUCTURED = {
    "name": _name,
    "other_name": _other_name,
    "role": _role,
    "parent": _parent,
    "when": _when,
    "change": _change,
}
