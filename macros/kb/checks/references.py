"""References between records: each names a record of a kind it may name, and not itself where that makes no sense."""

from __future__ import annotations

import difflib

from macros.kb.kinds import ENTITY_KINDS, FOLDERS
from macros.kb.load import Loaded
from macros.kb.problems import Problem
from macros.kb.schemas import dotted

# Where references live, as the path with list positions replaced by "*",
# and which record kinds each may name. Citation sources are handled apart.
REFERENCE_FIELDS: dict[tuple, tuple[str, ...]] = {
    ("roles", "*", "unit"): ("unit",),
    ("parents", "*", "unit"): ("unit",),
    ("statements", "*", "said_by"): ("person", "unit"),
    ("statements", "*", "mentions", "*"): ENTITY_KINDS,
    ("changes", "*", "units", "*"): ("unit",),
    ("changes", "*", "into"): ("unit",),
    ("changes", "*", "from"): ("unit",),
    ("changes", "*", "said_by"): ("person", "unit"),
    ("people", "*"): ("person",),
    ("when", "event"): ("event",),
    ("subjects", "*"): ENTITY_KINDS,
    ("accounts", "*", "source"): ("source",),
}

# References that may not name their own record.
NO_SELF_REFERENCE = {("parents", "*", "unit"), ("when", "event"), ("statements", "*", "mentions", "*")}

# Every path signature a reference can be under (citation sources aside, which can be at any depth).
_REFERENCE_PREFIXES = {signature[:end] for signature in REFERENCE_FIELDS for end in range(1, len(signature) + 1)}


def _reference_leaves(value, out: list, path=(), signature=()) -> list:
    """Every leaf that may be a reference, as (path, signature, value); the walk skips the branches
    (texts, quotes, dates...) that cannot hold one."""
    if isinstance(value, dict):
        for key, child in value.items():
            child_signature = signature + (key,)
            if (
                child_signature in _REFERENCE_PREFIXES
                or key == "cite"
                or child_signature[-3:] == ("cite", "*", "source")
            ):
                _reference_leaves(child, out, path + (key,), child_signature)
    elif isinstance(value, list):
        signature += ("*",)
        for index, child in enumerate(value):
            _reference_leaves(child, out, path + (index,), signature)
    else:
        out.append((path, signature, value))
    return out


def check_references(loaded: Loaded) -> list[Problem]:
    problems = []
    # An id used twice (reported as duplicate-id) has several kinds: any of them will do here.
    kinds_of = {record_id: {kind for kind, _ in places} for record_id, places in loaded.known_ids.items()}
    all_ids = sorted(kinds_of)
    allowed_sets = {allowed: set(allowed) for allowed in (*REFERENCE_FIELDS.values(), ("source",))}
    for doc in loaded.documents.values():
        record_id = doc.data["id"]
        for path, signature, value in _reference_leaves(doc.data, []):
            if signature[-3:] == ("cite", "*", "source"):
                allowed = ("source",)
            elif signature in REFERENCE_FIELDS:
                allowed = REFERENCE_FIELDS[signature]
            else:
                continue
            kinds = kinds_of.get(value) if isinstance(value, str) else None
            if kinds and kinds & allowed_sets[allowed] and not (value == record_id and signature in NO_SELF_REFERENCE):
                continue  # the usual case: a record of the right kind
            line, col = doc.where(path)
            if value == record_id and signature in NO_SELF_REFERENCE:
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "self-ref",
                        f"{dotted(path)} names '{value}', this record itself",
                        f"{_SELF_HINT.get(signature[0], 'name another record')}",
                    )
                )
            elif value not in kinds_of:
                candidates = [i for i in all_ids if kinds_of[i] & set(allowed)]
                guess = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{guess[0]}'?"
                    if guess
                    else f"create data/{_folder(allowed[0])}/{value}.yml, or name an existing {' or '.join(allowed)}"
                )
                problems.append(
                    Problem(doc.path, line, col, "unknown-ref", f"'{value}' names no {' or '.join(allowed)}", hint)
                )
            elif not kinds_of[value] & set(allowed):
                found = sorted(kinds_of[value])[0]
                needed = " or ".join(allowed)
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "wrong-ref-kind",
                        f"'{value}' is {_a(found)}, but {dotted(path)} needs {_a(needed)}",
                        f"name {_a(needed)} here (its id is the name of its file in data/{_folder(allowed[0])}/)",
                    )
                )
        if "accounts" in doc.data:
            for index, account in enumerate(doc.data["accounts"]):
                for cite_index, citation in enumerate(account.get("cite", [])):
                    if citation["source"] != account["source"]:
                        line, col = doc.where(("accounts", index, "cite", cite_index, "source"))
                        problems.append(
                            Problem(
                                doc.path,
                                line,
                                col,
                                "bad-value",
                                f"the account of '{account['source']}' cites '{citation['source']}'",
                                "each account quotes only its own source",
                            )
                        )
    return problems


def _folder(kind: str) -> str:
    return FOLDERS[kind]


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeio" else "a ") + noun  # our kinds: an event, a unit


_SELF_HINT = {
    "parents": "a unit cannot be part of itself: name the unit it belongs to",
    "when": "an event cannot be placed relative to itself: name another event, or remove the relation",
    "statements": "a claim does not mention the record it belongs to: remove this id from mentions",
}
