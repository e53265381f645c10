"""knowledge-base.jsonld and each entity page's JSON-LD: the knowledge base as linked data.

The mapping, schema.org first, the W3C Organization Ontology (org:) where
schema.org has no term, PROV for provenance, and a handful of our own terms
(kb:) where neither has one. The @context is inline (no remote context: no
network at build or view time); it sets schema.org as the default vocabulary
(`http://schema.org/`, the IRIs schema.org's own context gives), so a bare
term such as `name` is schema:name.

Identifiers: every record's @id is its page on the site (`people/<id>/`,
`units/<id>/`, `events/<id>/`, `sources/<id>/`, `discrepancies/<id>/`), every
claim's @id is its anchor on its subject's page, and every quoted passage's
@id is its anchor on its source's page. So each IRI leads to a page that shows
it, and the JSON-LD embedded in an entity page uses the same @ids, types and
terms as the dump, less the Quotation nodes (the page shows the quotes; the
dump describes them). The page writes the site's own @ids relative to an
@base (the site's root), which keeps a page small: once expanded, they are
the dump's IRIs.

- Person -> schema:Person with name and alternateName.
- Role -> a node typed schema:OrganizationRole (and org:Membership when the
  role names a unit), reached by the person's schema:memberOf, following
  schema.org's role pattern: roleName, startDate, endDate, schema:memberOf
  the unit; as an org:Membership also org:member (the person) and
  org:organization (the unit). kb:status says current, former or announced.
- Unit -> schema:Organization and an org: class: org:FormalOrganization for a
  company, org:OrganizationalUnit for a unit inside one, org:Organization for
  an external organization; kb:kind keeps the data's kind. A parent is both
  schema:parentOrganization and org:subOrganizationOf.
- Event -> schema:Event with name, description (its summary) and startDate
  when a date is known. The people it involves are its schema:about. A
  relative time is kb:before, kb:after or kb:sameTimeAs another event, with
  the source's words as kb:timePhrase. Each change it makes to units is a
  schema:subEvent (a blank node, reified by its claim like a role), with
  kb:changeKind, kb:status (done, announced, planned), kb:complete (false:
  the source's list is not whole) and, unless done, schema:eventStatus
  schema:EventScheduled:
  - a change that really makes or ends organizations (a merger, a formation,
    a renaming, a dissolution) is also an org:ChangeEvent, with
    org:originalOrganization (the units it ends) and
    org:resultingOrganization (the units it makes); the units it ends have
    org:changedBy it, those it makes org:resultedFrom it;
  - moving units under a parent (a regrouping, and a formation within a
    parent) is a change of membership, not an end: kb:membership holds an
    org:Membership per unit (org:member the unit, org:organization the
    parent, kb:status current, or announced or planned, as of the source;
    and former for the parent a regrouping leaves). A regrouped unit is
    never an originalOrganization.
- Source -> schema:NewsArticle (schema:AnalysisNewsArticle for an analysis,
  schema:Article for a press release or interview, schema:DigitalDocument
  for a filing, schema:CreativeWork otherwise), with its headline (only when
  the title is the article's own: an editorial title is `name` with
  kb:titleIsEditorial true), url (where it was published), publisher, author
  and datePublished when known. Unknowns are left out, never invented.
- Discrepancy -> schema:Question (name, about its subjects, kb:status, the
  editorial kb:editorialNote), whose schema:suggestedAnswer are the claims of
  its accounts (each also a schema:Answer citing its own source).
- Claim -> schema:Claim: text, about (its subject), mentions, kb:kind
  (reported, attributed or analysis: analysis is never fact), kb:field, author
  (the person or unit who said it, or a node named as the source words it),
  schema:citation (the source articles) and prov:wasDerivedFrom (the quoted
  passages: schema:Quotation nodes with the passage's text in the archive's
  own characters, schema:isPartOf
  their article). A claim that supports one structured statement (a name, an
  other name, a role, a parent, a date or a relative time) is also that
  statement, reified: rdf:Statement with rdf:subject, rdf:predicate and
  rdf:object; a parent relation's dates and status sit on that statement.

Dates are typed literals whose datatype keeps the precision: xsd:gYear,
xsd:gYearMonth or xsd:date. The kb: terms are described (rdfs:label and
rdfs:comment) in the dump itself, whose URL is their namespace.
"""

from __future__ import annotations

from macros.exports.common import Urls, unique
from macros.kb.dates import PartialDate
from macros.kb.model import Change, Claim, Discrepancy, Event, KnowledgeBase, Person, Source, Unit
from macros.kb.prose import change_words, claim_text, words_text
from macros.kb.urls import safe_url

SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
JSONLD_PATH = "data/knowledge-base.jsonld"

SOURCE_TYPES = {
    "news-report": "NewsArticle",
    "analysis": "AnalysisNewsArticle",
    "press-release": "Article",
    "interview": "Article",
    "filing": "DigitalDocument",
}
ORG_TYPES = {"company": "org:FormalOrganization", "external-organization": "org:Organization"}
RELATIONS = {"before": "kb:before", "after": "kb:after", "same-time": "kb:sameTimeAs"}
DATATYPES = {"year": "xsd:gYear", "month": "xsd:gYearMonth", "day": "xsd:date"}

# Our own terms, where neither schema.org nor org: has one.
KB_TERMS = {
    "kind": "The kind given in the data: a claim's kind (reported, attributed, analysis), a unit's, an event's or "
    "a source's kind.",
    "field": "The part of its subject a claim supports: name, other_name, role, parent, statement, event, when "
    "or account.",
    "status": "A role's or a parent relation's status (current, former, announced, planned), as of its source; a "
    "unit change's (done, announced, planned); a discrepancy's (open, resolved).",
    "changeKind": "The kind of a change to units: merger, regrouping, formation, renaming or dissolution.",
    "complete": "false when the source does not present the list of units a change acts on as complete "
    "(shown 'among others').",
    "membership": "A membership of a unit in a parent unit that a change makes (a regrouping, a formation "
    "within a parent) or ends (the parent a regrouping leaves).",
    "titleIsEditorial": "true when the source has no headline and its name was written by the editors.",
    "editorialNote": "Editorial text: never a sourced claim.",
    "timePhrase": "The source's own words for when an event happened.",
    "before": "The event happened before that event, as a source says.",
    "after": "The event happened after that event, as a source says.",
    "sameTimeAs": "The event happened at the same time as that event, as a source says.",
}


def context(urls: Urls) -> dict:
    return {
        "@vocab": SCHEMA,
        "schema": SCHEMA,
        "org": ORG,
        "prov": PROV,
        "rdf": RDF,
        "rdfs": RDFS,
        "xsd": XSD,
        "kb": urls.export(JSONLD_PATH) + "#",
    }


def ref(iri: str) -> dict:
    return {"@id": iri}


def typed_date(date: PartialDate) -> dict:
    return {"@value": date.iso(), "@type": DATATYPES[date.precision]}


def _put(node: dict, key: str, values: list) -> None:
    """Set a multi-valued property only when there is something to say."""
    if values:
        node[key] = values


class JsonLd:
    """Builds the nodes; the dump and each entity page use the same builders."""

    def __init__(self, kb: KnowledgeBase, urls: Urls):
        self.kb = kb
        self.urls = urls
        self._relative: JsonLd | None = None

    # -- records -----------------------------------------------------------

    def record_type(self, record_id: str) -> list[str]:
        record = self.kb.records[record_id]
        if isinstance(record, Person):
            return ["Person"]
        if isinstance(record, Unit):
            return ["Organization", ORG_TYPES.get(record.kind, "org:OrganizationalUnit")]
        if isinstance(record, Event):
            return ["Event"]
        if isinstance(record, Source):
            return [SOURCE_TYPES.get(record.kind, "CreativeWork")]
        return ["Question"]

    def record_node(self, record_id: str) -> dict:
        record = self.kb.records[record_id]
        node = {
            "@id": self.urls.page(record_id),
            "@type": self.record_type(record_id),
            "name": record.name,
            "url": ref(self.urls.page(record_id)),
        }
        if isinstance(record, Person):
            _put(node, "alternateName", [n.name for n in record.other_names])
            _put(node, "memberOf", [self.role_node(record, i) for i in range(len(record.roles))])
        elif isinstance(record, Unit):
            node["kb:kind"] = record.kind
            _put(node, "alternateName", [n.name for n in record.other_names])
            parents = [ref(self.urls.page(p)) for p in unique(p.unit for p in record.parents)]
            _put(node, "parentOrganization", parents)
            _put(node, "org:subOrganizationOf", parents)
            changes = self.kb.changes_of.get(record.id, ())
            _put(node, "org:changedBy", [ref(self.change_id(e, c)) for e, c in changes if record.id in c.ends])
            _put(node, "org:resultedFrom", [ref(self.change_id(e, c)) for e, c in changes if record.id in c.makes])
        elif isinstance(record, Event):
            node["kb:kind"] = record.kind
            if record.summary:
                node["description"] = record.summary
            when = record.when
            if when and when.date:
                node["startDate"] = typed_date(when.date)
            if when and when.relation in RELATIONS and when.event:
                node[RELATIONS[when.relation]] = ref(self.urls.page(when.event))
            if when and when.phrase:
                node["kb:timePhrase"] = when.phrase
            _put(node, "about", [ref(self.urls.page(p)) for p in record.people])
            _put(node, "subEvent", [self.change_node(record, c) for c in record.changes])
        elif isinstance(record, Source):
            node["kb:kind"] = record.kind
            node["kb:titleIsEditorial"] = record.title_is_editorial
            if not record.title_is_editorial:
                node["headline"] = record.title
            del node["url"]  # the article's own address, when known; the @id is its page here
            if safe_url(record.url):
                node["url"] = ref(record.url)
            if record.publisher:
                node["publisher"] = {"@type": "Organization", "name": record.publisher}
            if record.author:
                node["author"] = {"name": record.author}
            if record.published:
                node["datePublished"] = typed_date(record.published)
            if record.notes:
                node["kb:editorialNote"] = record.notes
        elif isinstance(record, Discrepancy):
            node["kb:status"] = record.status
            node["kb:editorialNote"] = record.note
            _put(node, "about", [ref(self.urls.page(s)) for s in record.subjects])
            _put(node, "suggestedAnswer", [ref(self.urls.claim(a.claim)) for a in record.accounts])
        return node

    def role_id(self, person: Person, index: int) -> str:
        return f"_:role-{person.id}-{person.roles[index].claim.id}"

    def role_node(self, person: Person, index: int) -> dict:
        role = person.roles[index]
        node = {
            "@id": self.role_id(person, index),
            "@type": ["OrganizationRole", "org:Membership"] if role.unit else ["OrganizationRole"],
            "roleName": role.role,
        }
        if role.unit:
            unit = ref(self.urls.page(role.unit))
            node.update({"memberOf": unit, "org:member": ref(self.urls.page(person.id)), "org:organization": unit})
        if role.start:
            node["startDate"] = typed_date(role.start)
        if role.end:
            node["endDate"] = typed_date(role.end)
        if role.status:
            node["kb:status"] = role.status
        return node

    def change_id(self, event: Event, change: Change) -> str:
        return f"_:change-{event.id}-{change.claim.id}"

    def change_node(self, event: Event, change: Change) -> dict:
        """One change of an event: an org:ChangeEvent when it makes or ends units, else a change of membership."""
        page = self.urls.page
        node = {
            "@id": self.change_id(event, change),
            "@type": ["Event", "org:ChangeEvent"] if change.ends or change.makes else ["Event"],
            "name": words_text(self.kb, change_words(change)),
            "superEvent": ref(page(event.id)),
            "kb:changeKind": change.change,
            "kb:status": change.status,
            "kb:complete": change.complete,
        }
        if change.status != "done":
            node["eventStatus"] = ref("schema:EventScheduled")  # announced or planned: not reported as done
        elif event.date:
            node["startDate"] = typed_date(event.date)
        _put(node, "org:originalOrganization", [ref(page(u)) for u in change.ends])
        _put(node, "org:resultingOrganization", [ref(page(u)) for u in change.makes])
        memberships = []
        status = "current" if change.status == "done" else change.status
        for unit in change.units if change.parent else ():
            memberships.append(self.membership(node["@id"], unit, change.parent, status))
            if change.source_parent:
                left = "former" if change.status == "done" else "current"
                memberships.append(self.membership(node["@id"], unit, change.source_parent, left))
        _put(node, "kb:membership", memberships)
        return node

    def membership(self, change_id: str, unit: str, parent: str, status: str) -> dict:
        return {
            "@id": f"{change_id}-{unit}-in-{parent}",
            "@type": "org:Membership",
            "org:member": ref(self.urls.page(unit)),
            "org:organization": ref(self.urls.page(parent)),
            "kb:status": status,
        }

    # -- claims ------------------------------------------------------------

    def statement_of(self, claim: Claim) -> dict:
        """The structured statement a claim supports, reified; {} for free-text claims."""
        record = self.kb.records[claim.subject]
        subject = ref(self.urls.page(record.id))
        if claim.field == "name":
            return {"rdf:subject": subject, "rdf:predicate": ref("schema:name"), "rdf:object": record.name}
        if claim.field == "other_name":
            name = next(n.name for n in record.other_names if n.claim is claim)
            return {"rdf:subject": subject, "rdf:predicate": ref("schema:alternateName"), "rdf:object": name}
        if claim.field == "role":
            index = next(i for i, r in enumerate(record.roles) if r.claim is claim)
            return {
                "rdf:subject": subject,
                "rdf:predicate": ref("schema:memberOf"),
                "rdf:object": ref(self.role_id(record, index)),
            }
        if claim.field == "parent":
            parent = next(p for p in record.parents if p.claim is claim)
            out = {
                "rdf:subject": subject,
                "rdf:predicate": ref("org:subOrganizationOf"),
                "rdf:object": ref(self.urls.page(parent.unit)),
            }
            if parent.start:
                out["startDate"] = typed_date(parent.start)
            if parent.end:
                out["endDate"] = typed_date(parent.end)
            if parent.status:
                out["kb:status"] = parent.status
            return out
        if claim.field == "change":
            change = next(c for c in record.changes if c.claim is claim)
            return {
                "rdf:subject": subject,
                "rdf:predicate": ref("schema:subEvent"),
                "rdf:object": ref(self.change_id(record, change)),
            }
        if claim.field == "when":
            when = record.when
            if when.date:
                return {
                    "rdf:subject": subject,
                    "rdf:predicate": ref("schema:startDate"),
                    "rdf:object": typed_date(when.date),
                }
            if when.relation in RELATIONS and when.event:
                return {
                    "rdf:subject": subject,
                    "rdf:predicate": ref(RELATIONS[when.relation]),
                    "rdf:object": ref(self.urls.page(when.event)),
                }
        return {}

    def claim_node(self, claim: Claim) -> dict:
        statement = self.statement_of(claim)
        types = ["Claim"]
        if statement:
            types.append("rdf:Statement")
        if claim.field == "account":
            types.append("Answer")
        node = {
            "@id": self.urls.claim(claim),
            "@type": types,
            "text": claim_text(self.kb, claim),
            "about": ref(self.urls.page(claim.subject)),
            "kb:kind": claim.kind,
            "kb:field": claim.field,
        }
        _put(node, "mentions", [ref(self.urls.page(m)) for m in claim.mentions])
        if claim.said_by:
            node["author"] = ref(self.urls.page(claim.said_by))
        elif claim.attribution:
            node["author"] = {"name": claim.attribution}
        sources = [c.source for c in claim.cite]
        if claim.field == "account":
            record = self.kb.records[claim.subject]
            sources = [a.source for a in record.accounts if a.claim is claim] + sources
        _put(node, "citation", [ref(self.urls.page(s)) for s in unique(sources)])
        _put(
            node,
            "prov:wasDerivedFrom",
            [ref(q) for q in unique(self.urls.quote(c.source, c.quote) for c in claim.cite)],
        )
        node.update(statement)
        return node

    def quotation_nodes(self, claims) -> list[dict]:
        """One schema:Quotation per quoted passage, in order of first citation, its text the archive's
        own characters (the quotes that name one passage, and so share its IRI, differ at most in what
        the normalization makes alike)."""
        nodes: dict[str, dict] = {}
        for claim in claims:
            for citation in claim.cite:
                iri = self.urls.quote(citation.source, citation.quote)
                if iri not in nodes:
                    nodes[iri] = {
                        "@id": iri,
                        "@type": "Quotation",
                        "text": self.kb.archived(citation.source, citation.quote),
                        "isPartOf": ref(self.urls.page(citation.source)),
                    }
        return list(nodes.values())

    # -- documents ---------------------------------------------------------

    def vocabulary_nodes(self) -> list[dict]:
        return [
            {"@id": f"kb:{term}", "@type": "rdf:Property", "rdfs:label": term, "rdfs:comment": comment}
            for term, comment in KB_TERMS.items()
        ]

    def dump(self) -> dict:
        kb = self.kb
        graph = [self.record_node(record_id) for _, table in kb.tables() for record_id in table]
        graph += [self.claim_node(c) for c in kb.claims]
        graph += self.quotation_nodes(kb.claims)
        graph += self.vocabulary_nodes()
        return {"@context": context(self.urls), "@graph": graph}

    def entity(self, record_id: str) -> dict:
        """The record and its claims, with a named stub for every record they refer to. The claims'
        quoted passages are referred to by their IRIs (their anchors on the source's page, which shows
        them) and described in the dump only: the page already shows each quote, and its weight counts."""
        if record_id not in self.kb.records:
            raise KeyError(f"no record '{record_id}'")
        # The nodes are made with the site's URLs relative to its root (the page's @base), the very
        # @ids the dump's nodes have once expanded against it.
        relative = self.relative()
        record = self.kb.records[record_id]
        graph = [relative.record_node(record_id)]
        graph += [relative.claim_node(c) for c in record.claims]
        if isinstance(record, Unit):  # the changes its org:changedBy and org:resultedFrom name, described here too
            graph += [
                relative.change_node(e, c)
                for e, c in self.kb.changes_of.get(record_id, ())
                if record_id in (*c.ends, *c.makes)
            ]
        mentioned = []
        for node in graph:
            mentioned.extend(_referenced_pages(node))
        own = {n["@id"] for n in graph}
        for iri in unique(mentioned):
            other = relative.urls.record_at(iri)
            if other and iri not in own:
                graph.append({"@id": iri, "@type": self.record_type(other), "name": self.kb.name_of(other)})
        return {"@context": {**context(self.urls), "@base": self.urls.base}, "@graph": graph}

    def relative(self) -> JsonLd:
        """The same builder with the site's own URLs written relative to its root."""
        if self._relative is None:
            self._relative = JsonLd(self.kb, Urls(self.kb, ""))
        return self._relative


def _referenced_pages(value) -> list[str]:
    """Every {"@id": ...} reference inside a node (not the node's own @id), in document order.
    Walked without recursion, however deep the nodes nest: a stack of the containers still to visit,
    each container's own pushed in reverse so they come off it in order (the other values, texts,
    numbers and booleans, hold no reference and are not pushed)."""
    out: list[str] = []
    if type(value) is dict:
        stack = [v for k, v in reversed(value.items()) if k != "@id" and type(v) in _CONTAINERS]
    else:
        stack = [value]
    while stack:
        child = stack.pop()
        if type(child) is dict:  # the nodes are plain JSON values: dict, list, str, bool, int
            if len(child) == 1 and "@id" in child:
                out.append(child["@id"])
            else:
                stack.extend([v for k, v in reversed(child.items()) if k != "@id" and type(v) in _CONTAINERS])
        elif type(child) is list:
            stack.extend([v for v in reversed(child) if type(v) in _CONTAINERS])
    return out


_CONTAINERS = (dict, list)
