"""Unit changes: each has what its kind needs, and only events that restructure list them.

The schema allows every field on every change (one flat shape keeps the fast
check and the editors' completion simple); what each kind of change needs is
checked here, with the place of the field and a fix.
"""

from __future__ import annotations

from macros.kb.kinds import RESTRUCTURING_EVENT_KINDS
from macros.kb.load import Loaded
from macros.kb.problems import Problem

# What `into` means for each kind of change, for the messages.
_INTO = {
    "merger": "the unit they merge into",
    "regrouping": "the parent they move under",
    "formation": "the parent they are formed within",
    "renaming": "the unit under its new name",
}


def check_changes(loaded: Loaded) -> list[Problem]:
    problems: list[Problem] = []
    for doc in loaded.documents.values():
        changes = doc.data.get("changes")
        if not isinstance(changes, list) or not changes or "title" not in doc.data:
            continue  # only events have changes (and titles)
        for index, change in enumerate(changes):
            problems.extend(_shape(doc, index, change))
        kind = doc.data.get("kind")
        if kind not in RESTRUCTURING_EVENT_KINDS:
            line, col = doc.where(("changes",), key=True)
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "unexpected-changes",
                    f"this event is {_a(kind)} (a kind that does not restructure units), but it lists "
                    f"{len(changes)} unit change{'s' if len(changes) != 1 else ''}, which the organization chart "
                    "draws as a reorganization",
                    f"if the event restructures units, make its kind {' or '.join(RESTRUCTURING_EVENT_KINDS)} "
                    "(an announced or planned one too: give each change its status); otherwise remove `changes:`",
                )
            )
    return problems


def _shape(doc, index: int, change: dict) -> list[Problem]:
    kind, units = change["change"], change["units"]
    into, source_parent = change.get("into"), change.get("from")
    found: list[tuple[str, str, str]] = []  # (field, message, hint)
    if kind in ("merger", "regrouping", "renaming") and not into:
        found.append(("change", f"a {kind} needs `into`: {_INTO[kind]}", f"add `into: <unit id>` ({_INTO[kind]})"))
    if kind == "dissolution" and into:
        found.append(("into", "a dissolution has no `into`: the units end", "remove `into`, or make it a merger"))
    if kind == "renaming" and len(units) != 1:
        found.append(("units", "a renaming renames one unit", "list the one unit renamed; one change per unit"))
    if source_parent and kind != "regrouping":
        found.append(
            ("from", f"`from` (the parent the units leave) belongs to a regrouping, not a {kind}", "remove `from`")
        )
    if into and into in units:
        found.append(
            ("into", f"'{into}' is both among `units` and `into`", "a unit does not change into itself: fix one")
        )
    if source_parent and source_parent == into:
        found.append(("from", f"`from` and `into` are both '{into}'", "a regrouping moves units to another parent"))
    problems = []
    for field, message, hint in found:
        path = ("changes", index, field) if field in change else ("changes", index)
        line, col = doc.where(path)
        problems.append(Problem(doc.path, line, col, "bad-change", f"changes[{index}]: {message}", hint))
    return problems


def _a(kind) -> str:
    kind = str(kind)
    return ("an " if kind[:1] in "aeiou" else "a ") + kind
