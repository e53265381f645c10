"""The downloads (macros/export*.py), each read back with a real client and
checked for meaning: rdflib and SPARQL for the JSON-LD, jsonschema for the
JSON dump and for Popolo, the csv module for the CSV, feedparser for Atom.

Uses the real knowledge base in data/, and a tiny one built here for the
cases the real data does not have (several parents, no dates at all, hostile
text)."""

from __future__ import annotations

import copy
import csv
import io
import json
import urllib.parse
from pathlib import Path

import feedparser
import pytest
import rdflib
from jsonschema import Draft3Validator, Draft202012Validator
from pyld import jsonld
from rdflib import BNode, Literal, URIRef
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from macros.exports.atom import FALLBACK_UPDATED
from macros.exports.claims_csv import COLUMNS
from macros.exports.files import (
    CSV_PATH,
    EXPORT_PATHS,
    FEED_PATH,
    JSON_PATH,
    POPOLO_PATH,
    SCHEMA_FILE,
    SCHEMA_PATH,
    entity_jsonld,
    export_files,
)
from macros.exports.jsonld import JSONLD_PATH
from macros.kb.dates import PartialDate
from macros.kb.kinds import FOLDERS
from macros.kb.model import Change, Citation, Claim, Event, KnowledgeBase, Parent, Person, Role, Source, Unit, When
from macros.kb.prose import claim_text
from macros.kb.quotes import normalize, quote_anchor
from macros.kb.validate import validate
from macros.rendering.markup import script_json

ROOT = Path(__file__).resolve().parent.parent
POPOLO_SCHEMAS = ROOT.parent / "shared" / "popolo" / "schemas"
BASE = "https://example.org/kb/"  # a project site lives under a sub-path
SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"

# rdflib 7.6's own JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    report = validate(ROOT / "data", ROOT)
    assert report.ok, report.problems[:5]
    return report.kb


@pytest.fixture(scope="module")
def files(kb) -> dict[str, bytes]:
    return export_files(kb, BASE)


@pytest.fixture(scope="module")
def dump(files) -> dict:
    return json.loads(files[JSON_PATH])


@pytest.fixture(scope="module")
def graph(files) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=files[JSONLD_PATH], format="json-ld")
    return g


def page(kind: str, record_id: str) -> str:
    return f"{BASE}{kind}/{record_id}/"


# -- a tiny knowledge base built here -------------------------------------------

TINY_TEXT = (
    "Alpha Lab and Beta Lab </script><b>merged</b> into Gamma & Co in June 2026. "
    "Carol leads Gamma & Co. Gamma & Co is part of Delta Group and of Epsilon Holdings. "
    "Delta Group announced it in 2025."
)


def _claim(subject: str, claim_id: str, field: str, quote: str, text: str | None = None) -> Claim:
    return Claim(claim_id, subject, field, "reported", text or quote, (Citation("s", quote),))


def tiny_kb(dated: bool = True) -> KnowledgeBase:
    source = Source("s", "A <headline> & more", "news-report", "s.txt", "0" * 64, TINY_TEXT, "data/sources/s.yml")
    units = {
        u: Unit(u, name, "division", _claim(u, "name", "name", quote), f"data/units/{u}.yml")
        for u, name, quote in [
            ("alpha", "Alpha Lab", "Alpha Lab and Beta Lab"),
            ("beta", "Beta Lab", "Alpha Lab and Beta Lab"),
            ("delta", "Delta Group", "part of Delta Group"),
            ("epsilon", "Epsilon Holdings", "of Epsilon Holdings"),
        ]
    }
    gamma_parents = tuple(
        Parent(p, None, None, "current", _claim("gamma", f"parent-{p}", "parent", quote))
        for p, quote in [("delta", "Gamma & Co is part of Delta Group"), ("epsilon", "and of Epsilon Holdings")]
    )
    units["gamma"] = Unit(
        "gamma",
        "Gamma & Co",
        "division",
        _claim("gamma", "name", "name", "into Gamma & Co"),
        "data/units/gamma.yml",
        parents=gamma_parents,
    )
    carol = Person(
        "carol",
        "Carol",
        _claim("carol", "name", "name", "Carol leads Gamma & Co"),
        "data/people/carol.yml",
        roles=(
            Role(
                "Leader",
                "gamma",
                PartialDate(2026, 6),
                None,
                "current",
                _claim("carol", "role-leader-gamma", "role", "Carol leads Gamma & Co"),
            ),
        ),
    )
    merge_when = When(
        PartialDate(2026, 6) if dated else None, None, None, None, _claim("merge", "when", "when", "in June 2026")
    )
    announce_when = When(
        PartialDate(2025) if dated else None,
        None,
        None,
        None,
        _claim("announce", "when", "when", "announced it in 2025"),
    )
    events = {
        "merge": Event(
            "merge",
            "Alpha and Beta </script> merge <into> Gamma & Co",
            "reorganization",
            _claim("merge", "event", "event", "merged</b> into Gamma & Co"),
            "data/events/merge.yml",
            summary="Alpha Lab and Beta Lab merged into Gamma & Co.\x0b",
            when=merge_when,
            changes=(
                Change(
                    "merger",
                    ("alpha", "beta"),
                    "gamma",
                    None,
                    True,
                    "done",
                    _claim("merge", "change-merger", "change", "merged</b> into Gamma & Co"),
                ),
            ),
            people=("carol",),
        ),
        "announce": Event(
            "announce",
            "Delta announces",
            "announcement",
            _claim("announce", "event", "event", "Delta Group announced it"),
            "data/events/announce.yml",
            when=announce_when,
        ),
        "later": Event(
            "later",
            "Undated follow-up",
            "statement",
            _claim("later", "event", "event", "Carol leads Gamma & Co"),
            "data/events/later.yml",
        ),
    }
    return KnowledgeBase({"s": source}, {"carol": carol}, dict(sorted(units.items())), dict(sorted(events.items())), {})


# -- all exports ------------------------------------------------------------------


def test_every_export_is_there(files):
    assert (
        set(files)
        == set(EXPORT_PATHS)
        == {
            "data/knowledge-base.json",
            "data/knowledge-base.schema.json",
            "data/claims.csv",
            "data/knowledge-base.jsonld",
            "data/popolo.json",
            "feed.xml",
            "changes.xml",
        }
    )
    assert all(isinstance(content, bytes) and content for content in files.values())


def test_same_data_gives_same_bytes(kb, files):
    assert export_files(kb, BASE) == files
    assert export_files(tiny_kb(), BASE) == export_files(tiny_kb(), BASE)
    assert entity_jsonld(kb, "eddie-wu", BASE) == entity_jsonld(kb, "eddie-wu", BASE)


def test_no_machine_path_in_exports(files):
    for path, content in files.items():
        text = content.decode("utf-8")
        assert str(ROOT) not in text, path
        assert "127.0.0.1" not in text and "localhost" not in text, path


@pytest.mark.parametrize("bad", ["https://example.org/kb", "/kb/", "example.org/kb/", "file:///tmp/site/"])
def test_base_url_must_be_absolute_and_end_with_a_slash(kb, bad):
    with pytest.raises(ValueError, match="base_url"):
        export_files(kb, bad)


# -- the JSON dump and its schema ----------------------------------------------------


def _claims_in(value) -> list[dict]:
    """Every claim object (the objects with citations) anywhere in the dump."""
    if isinstance(value, dict):
        found = [value] if isinstance(value.get("citations"), list) else []
        return found + [c for child in value.values() for c in _claims_in(child)]
    if isinstance(value, list):
        return [c for child in value for c in _claims_in(child)]
    return []


def _schema_validator(files) -> Draft202012Validator:
    schema = json.loads(files[SCHEMA_PATH])
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_schema_is_served_verbatim(files):
    assert files[SCHEMA_PATH] == SCHEMA_FILE.read_bytes()


def test_dump_validates_against_its_schema(files, dump):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _schema_validator(files).iter_errors(dump)]
    assert errors == []
    assert dump["format_version"] == "2.0"


def test_dump_holds_every_record_claim_and_citation(kb, dump):
    for key, table in [
        ("sources", kb.sources),
        ("people", kb.people),
        ("units", kb.units),
        ("events", kb.events),
        ("discrepancies", kb.discrepancies),
    ]:
        assert [r["id"] for r in dump[key]] == list(table)
        assert dump["counts"][key] == len(table)
    claims = _claims_in(dump)
    assert sorted((c["subject"], c["id"]) for c in claims) == sorted((c.subject, c.id) for c in kb.claims)
    assert sum(len(c["citations"]) for c in claims) == kb.citation_count == dump["counts"]["citations"]
    assert dump["timeline"] == [e.id for e in kb.timeline()]
    for claim in claims:
        folder = FOLDERS[kb.records[claim["subject"]].record_kind]
        assert claim["url"] == f"{page(folder, claim['subject'])}#{claim['id']}"
        for citation in claim["citations"]:
            assert (
                citation["quote_url"]
                == f"{page('sources', citation['source'])}#{quote_anchor(citation['source'], citation['quote'])}"
            )


def test_dump_keeps_meaning(dump):
    wu = next(p for p in dump["people"] if p["id"] == "eddie-wu")
    scientist = next(r for r in wu["roles"] if r["role"] == "Chief Scientist")
    assert (scientist["unit"], scientist["status"], scientist["start"]) == ("alibaba-group", "announced", None)
    assert scientist["claim"]["citations"][0]["quote"].startswith("Eddie Wu, who will also assume")
    foundry = next(e for e in dump["events"] if e["id"] == "token-foundry-division-announced")
    assert foundry["when"]["date"] == {"value": "2026-06-08", "precision": "day"}
    merger = next(c for c in foundry["changes"] if c["change"] == "merger")
    assert merger["units"] == merger["ends"] == ["tongyi-large-model-division", "future-life-lab"]
    assert (merger["into"], merger["makes"], merger["status"]) == (
        "token-foundry-division",
        ["token-foundry-division"],
        "announced",
    )
    source = next(s for s in dump["sources"] if s["id"] == "alibaba-token-foundry-division")
    assert (source["publisher"], source["author"], source["original_url"], source["published"]) == (None,) * 4
    assert source["title_is_editorial"] is True
    # The archived text is in the dump: every quote can be checked from it alone.
    texts = {s["id"]: normalize(s["text"]) for s in dump["sources"]}
    for claim in _claims_in(dump):
        for citation in claim["citations"]:
            assert normalize(citation["quote"]) in texts[citation["source"]]


def _errors(files, data) -> list[str]:
    return [e.message for e in _schema_validator(files).iter_errors(data)]


def test_schema_rejects_a_claim_without_citations(files, dump):
    broken = copy.deepcopy(dump)
    broken["people"][0]["name_claim"]["citations"] = []
    assert _errors(files, broken)
    broken = copy.deepcopy(dump)
    broken["units"][0]["statements"].append(dict(broken["units"][0]["name_claim"], citations=[]))
    assert _errors(files, broken)


def test_schema_allows_an_account_that_the_source_says_nothing(files, dump):
    fixed = copy.deepcopy(dump)
    fixed["discrepancies"][0]["accounts"][0]["claim"]["citations"] = []
    assert _errors(files, fixed) == []


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d["people"][0]["name_claim"].update(kind="fact"),
        lambda d: d["people"][0]["name_claim"].update(kind="attributed"),  # without said_by or attribution
        lambda d: d["events"][0].update(
            when={
                "date": {"value": "2026-06", "precision": "day"},
                "relation": None,
                "event": None,
                "phrase": None,
                "claim": d["events"][0]["event_claim"],
            }
        ),
        lambda d: d["sources"][0].pop("publisher"),  # unknown is null, not missing
        lambda d: d["people"][0].update(nickname="Ed"),
        lambda d: d["people"][0]["name_claim"]["citations"][0].pop("quote"),
    ],
)
def test_schema_rejects_broken_dumps(files, dump, breakage):
    broken = copy.deepcopy(dump)
    breakage(broken)
    assert _errors(files, broken)


# -- CSV ------------------------------------------------------------------------------


def _rows(files) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[CSV_PATH].decode("utf-8"), newline="")))


def test_csv_has_one_row_per_citation(kb, files):
    content = files[CSV_PATH]
    assert not content.startswith(b"\xef\xbb\xbf")
    assert content.split(b"\r\n")[0].decode() == ",".join(COLUMNS)
    assert content.endswith(b"\r\n")
    rows = _rows(files)
    assert len(rows) == kb.citation_count
    expected = [(c.id, c.subject, cite.source, cite.quote) for c in kb.claims for cite in c.cite]
    assert [(r["claim_id"], r["subject"], r["source_id"], r["quote_as_written"]) for r in rows] == expected


def test_csv_quotes_are_in_their_sources_and_urls_point_at_claims(kb, files):
    for row in _rows(files):
        assert row["quote"] in kb.sources[row["source_id"]].text, row["quote"]  # the archive's own characters
        assert normalize(row["quote"]) == normalize(row["quote_as_written"])
        record = kb.records[row["subject"]]
        assert row["subject_kind"] == record.record_kind
        claim = next(c for c in record.claims if c.id == row["claim_id"])
        assert (row["claim_field"], row["claim_kind"], row["claim_text"]) == (
            claim.field,
            claim.kind,
            claim_text(kb, claim),
        )
        assert row["page_url"].startswith(BASE) and row["page_url"].endswith(f"/{row['subject']}/#{claim.id}")


# -- JSON-LD -----------------------------------------------------------------------------

PREFIXES = (
    f"PREFIX schema: <{SCHEMA}>\nPREFIX org: <{ORG}>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
    f"PREFIX kb: <{BASE}data/knowledge-base.jsonld#>\n"
)


def _units_of(graph, event_title: str, relation: str) -> set[str]:
    """The units the changes of the event so titled make or end (the ChangeEvents that are its sub-events)."""
    rows = graph.query(
        PREFIXES
        + f"""
        SELECT ?name WHERE {{
            ?event a schema:Event ; schema:name ?title ; schema:subEvent ?change .
            ?change a org:ChangeEvent ; org:{relation} ?unit .
            ?unit a schema:Organization ; schema:name ?name .
            FILTER (?title = ?wanted)
        }}""",
        initBindings={"wanted": Literal(event_title)},
    )
    return {str(r.name) for r in rows}


def test_jsonld_context_is_inline(files):
    data = json.loads(files[JSONLD_PATH])
    assert isinstance(data["@context"], dict)
    assert not any(
        isinstance(v, str) and v.endswith((".jsonld", ".json")) and k.startswith("@")
        for k, v in data["@context"].items()
    )


def test_sparql_finds_what_each_reorganization_merged_and_made(kb, graph):
    foundry = kb.events["token-foundry-division-announced"].title
    assert _units_of(graph, foundry, "resultingOrganization") == {"Token Foundry Division"}
    assert _units_of(graph, foundry, "originalOrganization") == {"Tongyi Large Model Division", "Future Life Lab"}
    hub = kb.events["token-hub-business-group-launched"]
    made = {kb.units[u].name for c in hub.changes for u in c.makes}
    assert _units_of(graph, hub.title, "resultingOrganization") == made
    # The teams the launch regroups carry on: none is an original organization of a change that ends it.
    assert _units_of(graph, hub.title, "originalOrganization") == set()


def test_sparql_finds_eddie_wus_roles_with_their_evidence(kb, graph):
    rows = graph.query(
        PREFIXES
        + """
        SELECT ?roleName ?unitName ?status ?quote ?article WHERE {
            ?person a schema:Person ; schema:name "Eddie Wu" ; schema:memberOf ?role .
            ?role a schema:OrganizationRole, org:Membership ; schema:roleName ?roleName ;
                  schema:memberOf ?unit ; org:member ?person ; org:organization ?unit .
            ?unit schema:name ?unitName .
            OPTIONAL { ?role kb:status ?status }
            ?claim a schema:Claim ; rdf:object ?role ; rdf:predicate schema:memberOf ; rdf:subject ?person ;
                   prov:wasDerivedFrom ?passage .
            ?passage a schema:Quotation ; schema:text ?quote ; schema:isPartOf ?article .
            ?article a schema:NewsArticle .
        }"""
    )
    found = {(str(r.roleName), str(r.unitName), str(r.status)) for r in rows}
    expected = {(r.role, kb.units[r.unit].name, r.status) for r in kb.people["eddie-wu"].roles}
    assert found == expected
    assert ("Chief Scientist", "Alibaba Group", "announced") in found
    for r in rows:
        source = kb.sources[str(r.article).rstrip("/").rsplit("/", 1)[1]]
        assert normalize(str(r.quote)) in normalize(source.text)


def claim_url(kb: KnowledgeBase, claim: Claim) -> str:
    return f"{page(FOLDERS[kb.records[claim.subject].record_kind], claim.subject)}#{claim.id}"


def test_jsonld_keeps_claim_kinds_and_attributions(kb, graph):
    kind = URIRef(f"{BASE}data/knowledge-base.jsonld#kind")
    analysis = {
        str(c)
        for c in graph.subjects(kind, Literal("analysis"))
        if (c, rdflib.RDF.type, URIRef(SCHEMA + "Claim")) in graph
    }
    assert analysis == {claim_url(kb, c) for c in kb.claims if c.kind == "analysis"}
    said = next(c for c in kb.claims if c.said_by == "eddie-wu")
    assert (URIRef(claim_url(kb, said)), URIRef(SCHEMA + "author"), URIRef(page("people", "eddie-wu"))) in graph
    named = next(c for c in kb.claims if c.attribution)
    author = graph.value(URIRef(claim_url(kb, named)), URIRef(SCHEMA + "author"))
    assert graph.value(author, URIRef(SCHEMA + "name")) == Literal(named.attribution)


def test_jsonld_needs_no_network_and_pyld_agrees(files, graph):
    def no_network(url, options=None):
        raise AssertionError(f"tried to load {url}")

    previous = jsonld.get_document_loader()
    jsonld.set_document_loader(no_network)
    try:
        nquads = jsonld.to_rdf(json.loads(files[JSONLD_PATH]), {"format": "application/n-quads"})
    finally:
        jsonld.set_document_loader(previous)
    assert len(set(nquads.splitlines())) == len(graph)


def _expanded_node(document: dict, iri: str) -> dict | None:
    return next((n for n in jsonld.expand(document) if n.get("@id") == iri), None)


def _without_blank_nodes(g: rdflib.Graph) -> set:
    return {t for t in g if not any(isinstance(x, BNode) for x in t)}


@pytest.mark.parametrize(
    "record_id",
    [
        "eddie-wu",
        "token-foundry-division",
        "token-foundry-division-announced",
        "alibaba-token-hub-business-group",
        "new-ai-unit-name",
    ],
)
def test_entity_jsonld_is_consistent_with_the_dump(kb, dump, files, graph, record_id):
    data = entity_jsonld(kb, record_id, BASE)
    dumped = json.loads(files[JSONLD_PATH])
    # The page's context is the dump's, plus an @base for its shorter, relative @ids.
    assert data["@context"] == {**dumped["@context"], "@base": BASE}
    assert not data["@graph"][0]["@id"].startswith("http")
    record_url = next(
        r["url"]
        for key in ("people", "units", "events", "sources", "discrepancies")
        for r in dump[key]
        if r["id"] == record_id
    )
    # Expanded by a JSON-LD processor, the record's node is the dump's: same @id, types and terms.
    own = _expanded_node(data, record_url)
    assert own is not None and own == _expanded_node(dumped, record_url)
    # Every statement of the page (blank nodes aside) is in the dump.
    embedded = rdflib.Graph().parse(data=json.dumps(data), format="json-ld")
    assert _without_blank_nodes(embedded) <= _without_blank_nodes(graph)


def test_entity_jsonld_of_a_person(kb, dump):
    data = entity_jsonld(kb, "eddie-wu", BASE)
    person = data["@graph"][0]
    absolute = urllib.parse.urljoin(data["@context"]["@base"], person["@id"])
    assert absolute == page("people", "eddie-wu") == next(p["url"] for p in dump["people"] if p["id"] == "eddie-wu")
    assert person["@type"] == ["Person"]
    assert {r["roleName"] for r in person["memberOf"]} == {r.role for r in kb.people["eddie-wu"].roles}
    stubs = {n["@id"]: n["name"] for n in data["@graph"] if set(n) == {"@id", "@type", "name"}}
    assert stubs["units/alibaba-group/"] == "Alibaba Group"
    with pytest.raises(KeyError):
        entity_jsonld(kb, "nobody", BASE)


def test_jsonld_script_cannot_close_its_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}


# -- Popolo --------------------------------------------------------------------------------

POPOLO_KINDS = {"persons": "person", "organizations": "organization", "memberships": "membership", "events": "event"}


@pytest.fixture(scope="module")
def popolo_validators() -> dict[str, Draft3Validator]:
    if not POPOLO_SCHEMAS.is_dir():
        pytest.skip("the Popolo JSON Schemas (shared/popolo/schemas beside the repository) are not here")
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(POPOLO_SCHEMAS.glob("*.json"))}
    # Their absolute $refs (http://www.popoloproject.com/schemas/...) resolve from these files, never the network.
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)) for schema in schemas.values()
    )
    return {key: Draft3Validator(schemas[f"{name}.json"], registry=registry) for key, name in POPOLO_KINDS.items()}


def _popolo_errors(validators, data: dict) -> list[str]:
    assert set(data) == set(POPOLO_KINDS)
    return [
        f"{key}[{item.get('id')}]: {e.message}"
        for key, items in data.items()
        for item in items
        for e in validators[key].iter_errors(item)
    ]


def test_popolo_validates_against_popolos_schemas(files, popolo_validators):
    data = json.loads(files[POPOLO_PATH])
    assert _popolo_errors(popolo_validators, data) == []
    # The registry really resolves the nested $refs: a source link without its url fails.
    bad = {
        "persons": [{"id": "x", "sources": [{"note": "no url"}]}],
        "organizations": [],
        "memberships": [],
        "events": [],
    }
    assert _popolo_errors(popolo_validators, bad) == ["persons[x]: 'url' is a required property"]


def test_popolo_keeps_meaning_and_provenance(kb, files):
    data = json.loads(files[POPOLO_PATH])
    assert [p["id"] for p in data["persons"]] == list(kb.people)
    assert [o["id"] for o in data["organizations"]] == list(kb.units)
    # Each event, then each change it makes to units as an event of its own, part of it (parent_id).
    assert [e["id"] for e in data["events"] if "parent_id" not in e] == list(kb.events)
    parts = [e for e in data["events"] if "parent_id" in e]
    assert [(e["parent_id"], e["id"]) for e in parts] == [
        (event.id, f"{event.id}/{c.claim.id}") for event in kb.events.values() for c in event.changes
    ]
    organizations = {o["id"]: o for o in data["organizations"]}
    assert organizations["token-foundry-division"]["parent_id"] == "alibaba-group"
    wu = {(m["role"], m["organization_id"]) for m in data["memberships"] if m.get("person_id") == "eddie-wu"}
    assert wu == {(r.role, r.unit) for r in kb.people["eddie-wu"].roles}
    foundry = next(e for e in data["events"] if e["id"] == "token-foundry-division-announced")
    assert foundry["start_date"] == "2026-06-08"
    for items in data.values():
        for item in items:
            assert item["sources"], item["id"]
            for link in item["sources"]:
                source_id = link["url"][len(BASE) :].split("/")[1]
                assert link["url"] == f"{page('sources', source_id)}#{quote_anchor(source_id, link['note'])}"
                assert normalize(link["note"]) in normalize(kb.sources[source_id].text)


def test_popolo_never_picks_one_of_several_parents(popolo_validators):
    kb = tiny_kb()
    data = json.loads(export_files(kb, BASE)[POPOLO_PATH])
    assert _popolo_errors(popolo_validators, data) == []
    gamma = next(o for o in data["organizations"] if o["id"] == "gamma")
    assert "parent_id" not in gamma
    parts = {(m["member"]["id"], m["organization_id"]) for m in data["memberships"] if "member" in m}
    assert parts == {("gamma", "delta"), ("gamma", "epsilon")}
    carol = next(m for m in data["memberships"] if m.get("person_id") == "carol")
    assert (carol["organization_id"], carol["start_date"]) == ("gamma", "2026-06")


# -- Atom -------------------------------------------------------------------------------------


def test_feed_is_valid_atom_with_an_entry_per_event(kb, files):
    feed = feedparser.parse(files[FEED_PATH])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == len(kb.events)
    assert feed.feed.updated == "2026-06-08T00:00:00Z"  # the newest event date, not the clock
    dated = sorted((e for e in kb.events.values() if e.date), key=lambda e: (e.date.sort_key(), e.id), reverse=True)
    undated = [e for e in kb.timeline() if not e.date]
    expected = dated + undated
    assert [entry.link for entry in feed.entries] == [page("events", e.id) for e in expected]
    assert [entry.id for entry in feed.entries] == [page("events", e.id) for e in expected]
    assert [entry.title for entry in feed.entries] == [e.title for e in expected]
    assert feed.entries[0].link == page("events", "token-foundry-division-announced")
    assert feed.entries[0].summary.startswith("8 June 2026.")
    assert all(entry.summary.startswith("Date unknown") for entry in feed.entries[len(dated) :])


def test_feed_orders_dated_events_newest_first_and_escapes_text():
    kb = tiny_kb()
    content = export_files(kb, BASE)[FEED_PATH]
    feed = feedparser.parse(content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.link for e in feed.entries] == [page("events", i) for i in ("merge", "announce", "later")]
    assert [e.updated for e in feed.entries] == ["2026-06-01T00:00:00Z", "2025-01-01T00:00:00Z", "2026-06-01T00:00:00Z"]
    assert feed.entries[0].title == "Alpha and Beta </script> merge <into> Gamma & Co"
    assert b"\x0b" not in content


def test_feed_without_any_date_uses_the_documented_fallback():
    feed = feedparser.parse(export_files(tiny_kb(dated=False), BASE)[FEED_PATH])
    assert not feed.bozo
    assert feed.feed.updated == FALLBACK_UPDATED
    # Undated events keep the timeline's order (here: by id).
    assert [e.link for e in feed.entries] == [page("events", i) for i in ("announce", "later", "merge")]


# -- the tiny knowledge base through every format -----------------------------------------------


def test_tiny_knowledge_base_exports_are_valid(files):
    tiny = export_files(tiny_kb(), BASE)
    dump = json.loads(tiny[JSON_PATH])
    assert _errors(files, dump) == []
    assert len(_rows(tiny)) == tiny_kb().citation_count
    g = rdflib.Graph().parse(data=tiny[JSONLD_PATH], format="json-ld")
    assert _units_of(g, "Alpha and Beta </script> merge <into> Gamma & Co", "originalOrganization") == {
        "Alpha Lab",
        "Beta Lab",
    }
    parents = set(g.objects(URIRef(page("units", "gamma")), URIRef(ORG + "subOrganizationOf")))
    assert parents == {URIRef(page("units", "delta")), URIRef(page("units", "epsilon"))}
    # An article's name is its headline only when the title is the article's own.
    article = URIRef(page("sources", "s"))
    assert (article, URIRef(SCHEMA + "headline"), Literal("A <headline> & more")) in g
