"""The downloads (macros/exports/), each read back with a real client and
checked for meaning: rdflib and SPARQL for the JSON-LD, jsonschema for the
JSON dump and for Popolo, the csv module for the CSV, feedparser for Atom.

Every property that holds for any valid knowledge base is checked on two:
the data under test (data/, or the folder KB_DATA names: see
tests/kbdata.py) and the fixture tests/fixtures/kbsite/data. What a
particular record must become is checked on fixtures only: that fixture,
the minimal one (tests/fixtures/good/data: a source with no known
metadata) and a tiny one built here for the cases the others do not have
(several parents, no dates at all, hostile text)."""

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
from conftest import GOOD_DATA
from kbdata import DATA, DATA_ROOT
from pyld import jsonld
from rdflib import BNode, Literal, URIRef
from readers import dump_errors, jsonld_graph, popolo_errors, popolo_validators, pyld_nquads, schema_validator

from macros.exports.atom import FALLBACK_UPDATED
from macros.exports.claims_csv import COLUMNS
from macros.exports.common import iso
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
from macros.exports.jsonld import JSONLD_PATH, SOURCE_TYPES
from macros.kb.dates import PartialDate
from macros.kb.kinds import FOLDERS
from macros.kb.model import Change, Citation, Claim, Event, KnowledgeBase, Parent, Person, Role, Source, Unit, When
from macros.kb.prose import claim_text
from macros.kb.quotes import normalize, quote_anchor
from macros.kb.validate import validate
from macros.rendering.markup import script_json

ROOT = Path(__file__).resolve().parent.parent
KBSITE = ROOT / "tests" / "fixtures" / "kbsite"
BASE = "https://example.org/kb/"  # a project site lives under a sub-path
SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"
# The knowledge bases every property is checked on: (data folder, the root its paths are relative to).
KNOWLEDGE_BASES = {"data-under-test": (DATA, DATA_ROOT), "kbsite-fixture": (KBSITE / "data", KBSITE)}

# rdflib 7.6's own JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def _validated(data: Path, root: Path) -> KnowledgeBase:
    report = validate(data, root)
    assert report.ok, [p.as_text() for p in report.problems[:5]]
    return report.kb


@pytest.fixture(scope="module", params=sorted(KNOWLEDGE_BASES))
def kb(request) -> KnowledgeBase:
    return _validated(*KNOWLEDGE_BASES[request.param])


@pytest.fixture(scope="module")
def files(kb) -> dict[str, bytes]:
    return export_files(kb, BASE)


@pytest.fixture(scope="module")
def dump(files) -> dict:
    return json.loads(files[JSON_PATH])


@pytest.fixture(scope="module")
def graph(files) -> rdflib.Graph:
    return jsonld_graph(files[JSONLD_PATH])


@pytest.fixture(scope="module")
def fixture_kb() -> KnowledgeBase:
    """The site fixture: one dated, fully described article, two people, three units, one event."""
    return _validated(KBSITE / "data", KBSITE)


@pytest.fixture(scope="module")
def fixture_files(fixture_kb) -> dict[str, bytes]:
    return export_files(fixture_kb, BASE)


@pytest.fixture(scope="module")
def fixture_dump(fixture_files) -> dict:
    return json.loads(fixture_files[JSON_PATH])


def page(kind: str, record_id: str) -> str:
    return f"{BASE}{kind}/{record_id}/"


def first_of_each_kind(kb: KnowledgeBase) -> list[str]:
    """One record id of each kind the knowledge base has: the first of its table."""
    return [next(iter(table)) for _, table in kb.tables() if table]


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
    for record_id in first_of_each_kind(kb):
        assert entity_jsonld(kb, record_id, BASE) == entity_jsonld(kb, record_id, BASE)


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


def test_schema_is_served_verbatim(files):
    assert files[SCHEMA_PATH] == SCHEMA_FILE.read_bytes()


def test_dump_validates_against_its_schema(files, dump):
    assert dump_errors(files, dump) == []
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


def test_dump_keeps_meaning(fixture_dump):
    park = next(p for p in fixture_dump["people"] if p["id"] == "ada-park")
    leader = next(r for r in park["roles"] if r["role"] == "Leader")
    assert (leader["unit"], leader["status"], leader["start"]) == ("autonomy-division", "announced", None)
    assert leader["claim"]["citations"][0]["quote"].startswith("The Autonomy Division will be led by")
    folded = next(e for e in fixture_dump["events"] if e["id"] == "motion-lab-folded-into-autonomy-division")
    assert folded["when"]["date"] == {"value": "2025-03-03", "precision": "day"}
    (source,) = fixture_dump["sources"]
    assert (source["publisher"], source["author"], source["original_url"], source["published"]) == (
        "Example Ledger",
        None,
        "https://news.example.com/northwind-autonomy",
        {"value": "2025-03", "precision": "month"},
    )
    assert source["title_is_editorial"] is False


def test_unknown_source_metadata_stays_unknown_in_the_dump():
    (source,) = json.loads(export_files(_validated(GOOD_DATA, GOOD_DATA.parent), BASE)[JSON_PATH])["sources"]
    assert (source["publisher"], source["author"], source["original_url"], source["published"]) == (None,) * 4
    assert source["title_is_editorial"] is True


def test_the_dump_holds_the_archived_texts(dump):
    # The archived text is in the dump: every quote can be checked from it alone.
    texts = {s["id"]: normalize(s["text"]) for s in dump["sources"]}
    for claim in _claims_in(dump):
        for citation in claim["citations"]:
            assert normalize(citation["quote"]) in texts[citation["source"]]


def _errors(files, data) -> list[str]:
    return [e.message for e in schema_validator(files[SCHEMA_PATH]).iter_errors(data)]


def test_schema_rejects_a_claim_without_citations(fixture_files, fixture_dump):
    files, dump = fixture_files, fixture_dump
    broken = copy.deepcopy(dump)
    broken["people"][0]["name_claim"]["citations"] = []
    assert _errors(files, broken)
    broken = copy.deepcopy(dump)
    broken["units"][0]["statements"].append(dict(broken["units"][0]["name_claim"], citations=[]))
    assert _errors(files, broken)


def test_schema_allows_an_account_that_the_source_says_nothing(fixture_files, fixture_dump):
    files, dump = fixture_files, fixture_dump
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
def test_schema_rejects_broken_dumps(fixture_files, fixture_dump, breakage):
    broken = copy.deepcopy(fixture_dump)
    breakage(broken)
    assert _errors(fixture_files, broken)


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
    titles = [e.title for e in kb.events.values()]
    for event in kb.events.values():
        if titles.count(event.title) > 1:
            continue  # the query finds an event by its title
        made = {kb.units[u].name for c in event.changes for u in c.makes}
        ended = {kb.units[u].name for c in event.changes for u in c.ends}
        assert _units_of(graph, event.title, "resultingOrganization") == made, event.id
        # A unit that carries on (regrouped, or the parent of a formation) is never an original organization.
        assert _units_of(graph, event.title, "originalOrganization") == ended, event.id


def test_sparql_finds_the_fixtures_reorganization(fixture_kb, fixture_files):
    graph = jsonld_graph(fixture_files[JSONLD_PATH])
    title = fixture_kb.events["motion-lab-folded-into-autonomy-division"].title
    assert _units_of(graph, title, "resultingOrganization") == {"Autonomy Division"}
    assert _units_of(graph, title, "originalOrganization") == {"Motion Lab"}


ROLES_WITH_EVIDENCE = """
    SELECT ?roleName ?unitName ?status ?quote ?article ?articleType WHERE {
        ?person a schema:Person ; schema:memberOf ?role .
        ?role a schema:OrganizationRole, org:Membership ; schema:roleName ?roleName ;
              schema:memberOf ?unit ; org:member ?person ; org:organization ?unit .
        ?unit schema:name ?unitName .
        OPTIONAL { ?role kb:status ?status }
        ?claim a schema:Claim ; rdf:object ?role ; rdf:predicate schema:memberOf ; rdf:subject ?person ;
               prov:wasDerivedFrom ?passage .
        ?passage a schema:Quotation ; schema:text ?quote ; schema:isPartOf ?article .
        ?article a ?articleType .
    }"""


def _roles_with_evidence(graph: rdflib.Graph, person_id: str):
    return graph.query(PREFIXES + ROLES_WITH_EVIDENCE, initBindings={"person": URIRef(page("people", person_id))})


def test_sparql_finds_every_role_with_its_evidence(kb, graph):
    for person in kb.people.values():
        rows = _roles_with_evidence(graph, person.id)
        found = {(str(r.roleName), str(r.unitName), str(r.status)) for r in rows}
        assert found == {(r.role, kb.units[r.unit].name, str(r.status)) for r in person.roles if r.unit}, person.id
        for r in rows:
            source = kb.sources[str(r.article).rstrip("/").rsplit("/", 1)[1]]
            assert normalize(str(r.quote)) in normalize(source.text)
            assert str(r.articleType) == SCHEMA + SOURCE_TYPES.get(source.kind, "CreativeWork")


def test_sparql_finds_an_announced_role(fixture_kb, fixture_files):
    rows = _roles_with_evidence(jsonld_graph(fixture_files[JSONLD_PATH]), "ada-park")
    assert ("Leader", "Autonomy Division", "announced") in {
        (str(r.roleName), str(r.unitName), str(r.status)) for r in rows
    }
    assert {str(r.articleType) for r in rows} == {SCHEMA + "NewsArticle"}


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
    for said in (c for c in kb.claims if c.said_by):
        folder = FOLDERS[kb.records[said.said_by].record_kind]
        assert (URIRef(claim_url(kb, said)), URIRef(SCHEMA + "author"), URIRef(page(folder, said.said_by))) in graph
    for named in (c for c in kb.claims if c.attribution and not c.said_by):
        author = graph.value(URIRef(claim_url(kb, named)), URIRef(SCHEMA + "author"))
        assert graph.value(author, URIRef(SCHEMA + "name")) == Literal(named.attribution)


def test_jsonld_needs_no_network_and_pyld_agrees(files, graph):
    assert len(pyld_nquads(json.loads(files[JSONLD_PATH]))) == len(graph)


def _expanded_node(document: dict, iri: str) -> dict | None:
    return next((n for n in jsonld.expand(document) if n.get("@id") == iri), None)


def _without_blank_nodes(g: rdflib.Graph) -> set:
    return {t for t in g if not any(isinstance(x, BNode) for x in t)}


def test_entity_jsonld_is_consistent_with_the_dump(kb, dump, files, graph):
    dumped = json.loads(files[JSONLD_PATH])
    for record_id in first_of_each_kind(kb):
        _check_entity_jsonld(kb, dump, dumped, graph, record_id)


def _check_entity_jsonld(kb, dump, dumped, graph, record_id):
    data = entity_jsonld(kb, record_id, BASE)
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
    for person_id, record in kb.people.items():
        data = entity_jsonld(kb, person_id, BASE)
        person = data["@graph"][0]
        absolute = urllib.parse.urljoin(data["@context"]["@base"], person["@id"])
        assert absolute == page("people", person_id) == next(p["url"] for p in dump["people"] if p["id"] == person_id)
        assert person["@type"] == ["Person"]
        assert {r["roleName"] for r in person.get("memberOf", [])} == {r.role for r in record.roles}
        stubs = {n["@id"]: n["name"] for n in data["@graph"] if set(n) == {"@id", "@type", "name"}}
        for role in record.roles:
            if role.unit:
                assert stubs[f"units/{role.unit}/"] == kb.units[role.unit].name
    with pytest.raises(KeyError):
        entity_jsonld(kb, "nobody", BASE)


def test_jsonld_script_cannot_close_its_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}


# -- Popolo --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validators():
    found = popolo_validators()
    if found is None:
        pytest.skip("the Popolo JSON Schemas (shared/popolo/schemas beside the repository) are not here")
    return found


def test_popolo_validates_against_popolos_schemas(files, validators):
    data = json.loads(files[POPOLO_PATH])
    assert popolo_errors(validators, data) == []
    # The registry really resolves the nested $refs: a source link without its url fails.
    bad = {
        "persons": [{"id": "x", "sources": [{"note": "no url"}]}],
        "organizations": [],
        "memberships": [],
        "events": [],
    }
    assert popolo_errors(validators, bad) == ["persons[x]: 'url' is a required property"]


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
    for unit in kb.units.values():
        parents = {p.unit for p in unit.parents}
        assert organizations[unit.id].get("parent_id") == (parents.pop() if len(parents) == 1 else None), unit.id
    for person in kb.people.values():
        roles = {(m["role"], m.get("organization_id")) for m in data["memberships"] if m.get("person_id") == person.id}
        assert roles == {(r.role, r.unit) for r in person.roles}, person.id
    for event in data["events"]:
        if "parent_id" not in event:
            assert event.get("start_date") == iso(kb.events[event["id"]].date), event["id"]
    originals = {s.url: s for s in kb.sources.values() if s.url}
    for items in data.values():
        for item in items:
            assert item["sources"], item["id"]
            for link in item["sources"]:
                if link["url"] in originals:  # the article's own address, when known
                    assert link["note"] == f"Original article: {originals[link['url']].title}"
                    continue
                source_id = link["url"][len(BASE) :].split("/")[1]
                assert link["url"] == f"{page('sources', source_id)}#{quote_anchor(source_id, link['note'])}"
                assert normalize(link["note"]) in normalize(kb.sources[source_id].text)


def test_popolo_links_a_source_to_its_original_address(fixture_files):
    data = json.loads(fixture_files[POPOLO_PATH])
    park = next(p for p in data["persons"] if p["id"] == "ada-park")
    assert {
        "url": "https://news.example.com/northwind-autonomy",
        "note": "Original article: Northwind Robotics Folds Its Motion Lab Into a New Autonomy Division",
    } in park["sources"]
    folded = next(e for e in data["events"] if e["id"] == "motion-lab-folded-into-autonomy-division")
    assert folded["start_date"] == "2025-03-03"


def test_popolo_never_picks_one_of_several_parents(validators):
    kb = tiny_kb()
    data = json.loads(export_files(kb, BASE)[POPOLO_PATH])
    assert popolo_errors(validators, data) == []
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
    dated = sorted((e for e in kb.events.values() if e.date), key=lambda e: (e.date.sort_key(), e.id), reverse=True)
    if dated:  # the newest event date, not the clock
        assert feed.feed.updated == max(e.date.earliest() for e in dated).isoformat() + "T00:00:00Z"
    undated = [e for e in kb.timeline() if not e.date]
    expected = dated + undated
    assert [entry.link for entry in feed.entries] == [page("events", e.id) for e in expected]
    assert [entry.id for entry in feed.entries] == [page("events", e.id) for e in expected]
    assert [entry.title for entry in feed.entries] == [e.title for e in expected]
    assert all(entry.summary.startswith(e.date.human() + ".") for entry, e in zip(feed.entries, dated))
    assert all(entry.summary.startswith("Date unknown") for entry in feed.entries[len(dated) :])


def test_feed_dates_the_fixtures_event(fixture_files):
    feed = feedparser.parse(fixture_files[FEED_PATH])
    assert feed.feed.updated == "2025-03-03T00:00:00Z"
    assert feed.entries[0].link == page("events", "motion-lab-folded-into-autonomy-division")
    assert feed.entries[0].summary.startswith("3 March 2025.")


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


def test_tiny_knowledge_base_exports_are_valid():
    tiny = export_files(tiny_kb(), BASE)
    dump = json.loads(tiny[JSON_PATH])
    assert _errors(tiny, dump) == []
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
