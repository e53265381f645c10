"""A quote that matches its source only after normalization is shown in the archive's own characters.

The minimal knowledge base quotes "Alibaba's Chief Scientist" with a plain
apostrophe where the article has a typographic one, and a test here adds
quotes typed with extra spaces, a line break and typographic quotation marks.
Readers see the article's characters everywhere a quote reaches them: the
citation tooltip, the source page (its list of citing claims and the
highlight in the archived text), knowledge-base.json and claims.csv (`quote`,
with the typed words kept as `quote_as_written`), the JSON-LD Quotation
nodes (read with rdflib) and Popolo's source notes. The anchor stays the one
made from the normalized quote, so links made before still resolve.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import rdflib
from conftest import copy_good

from macros.exports.files import CSV_PATH, JSON_PATH, POPOLO_PATH, export_files
from macros.exports.jsonld import JSONLD_PATH
from macros.kb.quotes import normalize, quote_anchor
from macros.kb.validate import validate
from macros.rendering.pages import PageRenderer
from macros.rendering.source import SourceRenderer

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

BASE = "https://example.org/kb/"
SOURCE = "alibaba-token-foundry-division"
TYPED_ROLE = "Eddie Wu, who will also assume the role of Alibaba's Chief Scientist"
ARCHIVED_ROLE = "Eddie Wu, who will also assume the role of Alibaba\u2019s Chief Scientist"
# Typed with doubled spaces, a folded line and typographic quotation marks where the article has plain ones.
TYPED_ANALYSIS = "that the  \u201cToken Foundry\u201d\nnomenclature points toward a deeper exploration"
ARCHIVED_ANALYSIS = 'that the "Token Foundry" nomenclature points toward a deeper exploration'


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("typed")
    data = copy_good(root)
    unit = data / "units" / "token-foundry-division.yml"
    unit.write_text(
        unit.read_text(encoding="utf-8")
        + "  - kind: analysis\n"
        + "    text: The article comments that the name points toward token-based economies.\n"
        + "    attribution: Industry analysts\n"
        + f"    cite:\n      - source: {SOURCE}\n        quote: {json.dumps(TYPED_ANALYSIS)}\n",
        encoding="utf-8",
    )
    source = data / "sources" / f"{SOURCE}.yml"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "  - quote: Industry analysts suggest\n    reason: Not used by this minimal fixture.\n", ""
        ),
        encoding="utf-8",
    )
    report = validate(data, root)
    assert report.ok, [p.as_text() for p in report.problems]
    return report


@pytest.fixture(scope="module")
def files(report):
    return export_files(report.kb, BASE)


def test_the_fixture_quotes_differ_from_the_archive_only_in_what_normalization_makes_alike(report):
    text = report.kb.sources[SOURCE].text
    for typed, archived in ((TYPED_ROLE, ARCHIVED_ROLE), (TYPED_ANALYSIS, ARCHIVED_ANALYSIS)):
        assert typed not in text and archived in text
        assert normalize(typed) == normalize(archived)
        assert report.kb.archived(SOURCE, typed) == archived


def test_the_tooltip_shows_the_archives_characters(report):
    kb = report.kb
    role = kb.people["eddie-wu"].roles[0].claim
    marker = PageRenderer(kb, "people/eddie-wu/").claims.marker(role.cite[0])
    tip = re.search(r'<span class="kb-tip" role="tooltip" id="tip-1">(.*?)<br>', marker).group(1)
    assert tip == "\u201cEddie Wu, who will also assume the role of Alibaba\u2019s Chief Scientist\u201d"
    assert f"#{quote_anchor(SOURCE, TYPED_ROLE)}" in marker


def test_the_source_page_lists_and_highlights_the_archives_characters(report):
    kb = report.kb
    page = SourceRenderer(kb, f"sources/{SOURCE}/").source(kb.sources[SOURCE], report.coverage[SOURCE])
    anchor = quote_anchor(SOURCE, TYPED_ANALYSIS)
    listed = re.search(rf'<a href="#{anchor}" class="kb-quote-link">(.*?)</a>', page).group(1)
    assert listed == "\u201cthat the &quot;Token Foundry&quot; nomenclature points toward a deeper exploration\u201d"
    assert "\u201cToken Foundry\u201d" not in page and "that the  " not in page
    # The highlight starts at the anchor and covers the archive's span, character for character.
    highlighted = page.split(f'<span class="kb-anchor" id="{anchor}"></span>', 1)[1]
    marked = re.match(r'<mark class="kb-quote" data-quotes="[^"]*">(.*?)</mark>', highlighted).group(1)
    assert marked == "that the &quot;Token Foundry&quot; nomenclature points toward a deeper exploration"
    assert "Alibaba\u2019s Chief Scientist" in page and "Alibaba&#x27;s Chief Scientist" not in page


def test_knowledge_base_json_gives_the_archives_characters_and_keeps_the_typed_quote(report, files):
    dump = json.loads(files[JSON_PATH])
    text = next(s["text"] for s in dump["sources"] if s["id"] == SOURCE)
    citations = [
        c
        for record in dump["people"] + dump["units"]
        for claim in [record["name_claim"], *(r["claim"] for r in record.get("roles", ())), *record["statements"]]
        for c in claim["citations"]
    ]
    assert len(citations) == 6
    for citation in citations:
        assert citation["quote"] in text  # verbatim: a substring of the archived text
        assert normalize(citation["quote_as_written"]) == normalize(citation["quote"])
        assert citation["quote_url"].endswith("#" + quote_anchor(SOURCE, citation["quote_as_written"]))
        assert citation["quote_url"].endswith("#" + quote_anchor(SOURCE, citation["quote"]))  # the same anchor
    by_typed = {c["quote_as_written"]: c["quote"] for c in citations}
    assert by_typed[TYPED_ROLE] == ARCHIVED_ROLE and by_typed[TYPED_ANALYSIS] == ARCHIVED_ANALYSIS
    no_claim = next(s["no_claim"] for s in dump["sources"] if s["id"] == SOURCE)
    assert all(entry["quote"] in text for entry in no_claim)


def test_claims_csv_gives_the_archives_characters_and_keeps_the_typed_quote(files):
    rows = list(csv.DictReader(io.StringIO(files[CSV_PATH].decode("utf-8"), newline="")))
    by_typed = {row["quote_as_written"]: row["quote"] for row in rows}
    assert by_typed[TYPED_ROLE] == ARCHIVED_ROLE and by_typed[TYPED_ANALYSIS] == ARCHIVED_ANALYSIS


def test_jsonld_quotations_hold_the_archives_characters(files):
    graph = rdflib.Graph()
    graph.parse(data=files[JSONLD_PATH], format="json-ld")
    schema = rdflib.Namespace("http://schema.org/")
    texts = {
        str(node): [str(t) for t in graph.objects(node, schema.text)]
        for node in graph.subjects(rdflib.RDF.type, schema.Quotation)
    }
    role = f"{BASE}sources/{SOURCE}/#{quote_anchor(SOURCE, TYPED_ROLE)}"
    analysis = f"{BASE}sources/{SOURCE}/#{quote_anchor(SOURCE, TYPED_ANALYSIS)}"
    assert texts[role] == [ARCHIVED_ROLE] and texts[analysis] == [ARCHIVED_ANALYSIS]


def test_popolo_notes_hold_the_archives_characters(files):
    popolo = json.loads(files[POPOLO_PATH])
    notes = {link["note"] for person in popolo["persons"] for link in person.get("sources", ())}
    assert ARCHIVED_ROLE in notes and TYPED_ROLE not in notes


def test_a_quote_anchor_is_made_from_the_normalized_quote():
    assert quote_anchor(SOURCE, TYPED_ROLE) == quote_anchor(SOURCE, ARCHIVED_ROLE)
    assert quote_anchor(SOURCE, TYPED_ANALYSIS) == quote_anchor(SOURCE, ARCHIVED_ANALYSIS)


def test_the_data_of_this_test_is_the_minimal_knowledge_base():
    good = Path(__file__).resolve().parent / "fixtures" / "good" / "data" / "people" / "eddie-wu.yml"
    assert f"quote: {TYPED_ROLE}\n" in good.read_text(encoding="utf-8")
