"""The downloads read back with real clients (not a pytest conftest).

jsonschema for knowledge-base.json (against the schema the site serves) and
for popolo.json (against Popolo's own JSON Schemas, draft-03, when they are
checked out beside the repository), rdflib and pyld for the JSON-LD (pyld
with every network load refused), feedparser for the Atom feed.
`export_problems(files)` runs them all over one build's exports.

Imported by tests/test_export.py and tests/test_contribution.py.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import feedparser
import rdflib
from jsonschema import Draft3Validator, Draft202012Validator
from pyld import jsonld
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from macros.exports.files import FEED_PATH, JSON_PATH, POPOLO_PATH, SCHEMA_PATH
from macros.exports.jsonld import JSONLD_PATH

POPOLO_SCHEMAS = Path(__file__).resolve().parent.parent.parent / "shared" / "popolo" / "schemas"
POPOLO_KINDS = {"persons": "person", "organizations": "organization", "memberships": "membership", "events": "event"}


def schema_validator(schema: bytes) -> Draft202012Validator:
    loaded = json.loads(schema)
    Draft202012Validator.check_schema(loaded)
    return Draft202012Validator(loaded)


def dump_errors(files: dict[str, bytes], dump: dict | None = None) -> list[str]:
    """Where the JSON dump (or `dump`) breaks the schema served beside it."""
    data = json.loads(files[JSON_PATH]) if dump is None else dump
    return [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator(files[SCHEMA_PATH]).iter_errors(data)]


def popolo_validators() -> dict[str, Draft3Validator] | None:
    """One validator per Popolo collection, or None when Popolo's schemas are not beside the repository."""
    if not POPOLO_SCHEMAS.is_dir():
        return None
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(POPOLO_SCHEMAS.glob("*.json"))}
    # Their absolute $refs (http://www.popoloproject.com/schemas/...) resolve from these files, never the network.
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)) for schema in schemas.values()
    )
    return {key: Draft3Validator(schemas[f"{name}.json"], registry=registry) for key, name in POPOLO_KINDS.items()}


def popolo_errors(validators: dict[str, Draft3Validator], data: dict) -> list[str]:
    if set(data) != set(POPOLO_KINDS):
        return [f"collections {sorted(data)}, not {sorted(POPOLO_KINDS)}"]
    return [
        f"{key}[{item.get('id')}]: {e.message}"
        for key, items in data.items()
        for item in items
        for e in validators[key].iter_errors(item)
    ]


def jsonld_graph(content: bytes) -> rdflib.Graph:
    with warnings.catch_warnings():
        # rdflib 7.6's own JSON-LD parser still builds a ConjunctiveGraph internally.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return rdflib.Graph().parse(data=content, format="json-ld")


def pyld_nquads(document: dict) -> set[str]:
    """The document as N-Quads by pyld, with every attempt to load a remote document refused."""

    def no_network(url, options=None):
        raise AssertionError(f"tried to load {url}")

    previous = jsonld.get_document_loader()
    jsonld.set_document_loader(no_network)
    try:
        return set(jsonld.to_rdf(document, {"format": "application/n-quads"}).splitlines())
    finally:
        jsonld.set_document_loader(previous)


def export_problems(files: dict[str, bytes], popolo: dict[str, Draft3Validator] | None) -> list[str]:
    """What each client finds wrong in a build's exports (path -> bytes); [] when every one reads them.
    Popolo is checked only with its validators (`popolo_validators()`): the caller says when it is not."""
    problems = [f"{JSON_PATH}: {e}" for e in dump_errors(files)]
    if popolo is not None:
        problems += [f"{POPOLO_PATH}: {e}" for e in popolo_errors(popolo, json.loads(files[POPOLO_PATH]))]
    graph = jsonld_graph(files[JSONLD_PATH])
    if len(graph) == 0:
        problems.append(f"{JSONLD_PATH}: rdflib read no statement")
    if len(pyld_nquads(json.loads(files[JSONLD_PATH]))) != len(graph):
        problems.append(f"{JSONLD_PATH}: pyld and rdflib read different numbers of statements")
    feed = feedparser.parse(files[FEED_PATH])
    if feed.bozo or feed.version != "atom10":
        problems.append(f"{FEED_PATH}: not valid Atom 1.0: {feed.get('bozo_exception')}")
    return problems
