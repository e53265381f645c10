"""The kinds of records and of claims: the one place they are named.

A record kind has a folder in data/ (which is also its URL segment on the site)
and a JSON Schema in data/schemas/<kind>.schema.json. The claim kinds are read
from the schemas, which editors and validation share, so the two cannot drift.
"""

from __future__ import annotations

from macros.kb.schemas import load_schemas

# In the order the knowledge base keeps its tables (and the exports list them).
RECORD_KINDS = ("source", "person", "unit", "event", "discrepancy")
# Folder in data/ and URL segment of each record kind.
FOLDERS = {"source": "sources", "person": "people", "unit": "units", "event": "events", "discrepancy": "discrepancies"}
KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}
# Records that take part in events and that claims can mention.
ENTITY_KINDS = ("person", "unit", "event")
# The event kinds that restructure units: only they list `changes` (the organization chart draws them).
RESTRUCTURING_EVENT_KINDS = ("reorganization", "formation")


def _enum(schema_file: str, *path: str) -> tuple[str, ...]:
    node = load_schemas()[schema_file]
    for key in path:
        node = node[key]
    return tuple(node["enum"])


# Read when first asked (not at import): the schemas are files.
def claim_kinds() -> tuple[str, ...]:
    """reported, attributed, analysis: as the schemas allow them, in their order."""
    return _enum("defs.schema.json", "$defs", "claim_kind")


def event_kinds() -> tuple[str, ...]:
    """reorganization, formation, appointment...: as the event schema allows them (`kb new event --kind`)."""
    return _enum("event.schema.json", "properties", "kind")
