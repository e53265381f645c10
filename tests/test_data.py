"""Properties of the real data in data/ that an edit could break: it
validates, every claim is cited and every quote found, both accounts of the
new unit are kept, analysis never reads as fact, both articles are fully
covered, the archives are the received bytes, and no date is invented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.kb.coverage import normalized
from macros.kb.dates import PartialDate
from macros.kb.quotes import MIN_QUOTE_CHARS
from macros.kb.validate import validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"  # the articles as received, when checked out alongside
HUB, FOUNDRY = "alibaba-token-hub-business-group", "alibaba-token-foundry-division"


@pytest.fixture(scope="module")
def report():
    return validate(DATA, ROOT)


@pytest.fixture(scope="module")
def kb(report):
    return report.kb


def test_validate_passes_with_zero_problems(report):
    assert [p.as_text() for p in report.problems] == []
    assert report.ok


def test_the_knowledge_base_is_not_empty(kb):
    assert set(kb.sources) == {HUB, FOUNDRY}
    assert len(kb.people) >= 3 and len(kb.units) >= 10 and len(kb.events) >= 5 and len(kb.discrepancies) >= 3
    assert len(kb.claims) >= 80


def test_every_claim_has_a_citation(kb):
    for claim in kb.claims:
        if claim.cite:
            continue
        # Only a discrepancy's account may go uncited, when its answer is that the source says nothing.
        assert claim.field == "account", claim
        assert re.search(r"\b(no|not|nothing|none)\b", claim.text, re.IGNORECASE), claim.text


def test_every_quote_is_found_in_its_source(kb):
    checked = 0
    for claim in kb.claims:
        for citation in claim.cite:
            text = normalized(kb.sources[citation.source].text)
            assert text.find(citation.quote) >= 0, (claim.subject, citation.quote)
            assert len(citation.quote.strip()) >= MIN_QUOTE_CHARS, citation.quote
            checked += 1
    for source in kb.sources.values():
        for entry in source.no_claim:
            assert normalized(source.text).find(entry.quote) >= 0, entry.quote
    assert checked == kb.citation_count >= 100


def test_record_level_claims_are_reported(kb):
    kinds = {claim.kind for claim in kb.claims}
    assert kinds <= {"reported", "attributed", "analysis"}
    for record in (*kb.people.values(), *kb.units.values()):
        assert record.name_claim.kind == "reported" and record.name_claim.cite
    for event in kb.events.values():
        assert event.event_claim.kind == "reported" and event.event_claim.cite


# -- the disagreement between the two articles ----------------------------------


def test_both_names_of_the_new_unit_are_kept_each_cited_to_its_own_article(kb):
    name = kb.discrepancies["new-ai-unit-name"]
    assert name.status == "open"
    assert sorted(a.source for a in name.accounts) == sorted([HUB, FOUNDRY])
    answers = {a.source: a for a in name.accounts}
    assert "Token Hub" in answers[HUB].answer and "Foundry" not in answers[HUB].answer
    assert "Token Foundry" in answers[FOUNDRY].answer and "Hub" not in answers[FOUNDRY].answer
    for account in name.accounts:
        assert account.claim.cite and {c.source for c in account.claim.cite} == {account.source}
    assert {"token-hub-business-group", "token-foundry-division"} <= set(name.subjects)


def test_both_units_and_both_events_exist_each_from_its_own_article(kb):
    hub, foundry = kb.units["token-hub-business-group"], kb.units["token-foundry-division"]
    assert {c.source for c in hub.name_claim.cite} == {HUB}
    assert {c.source for c in foundry.name_claim.cite} == {FOUNDRY}
    assert "token-hub-business-group" in {
        u for c in kb.events["token-hub-business-group-launched"].changes for u in c.makes
    }
    assert "token-foundry-division" in {
        u for c in kb.events["token-foundry-division-announced"].changes for u in c.makes
    }
    assert {c.source for c in kb.events["token-hub-business-group-launched"].event_claim.cite} == {HUB}
    assert {c.source for c in kb.events["token-foundry-division-announced"].event_claim.cite} == {FOUNDRY}


def test_the_constituents_discrepancy_keeps_both_lists(kb):
    constituents = kb.discrepancies["new-ai-unit-constituents"]
    answers = {a.source: a.answer for a in constituents.accounts}
    assert set(answers) == {HUB, FOUNDRY}
    assert "Tongyi Laboratory" in answers[HUB] and "Wukong" in answers[HUB]
    assert "Tongyi Large Model Division" in answers[FOUNDRY] and "Future Life Lab" in answers[FOUNDRY]


# -- analysis is never shown as fact --------------------------------------------

# The first clause of an analysis claim names who comments: "The Token Hub
# article comments that ...", "Industry analysts suggest that ...".
WHO_COMMENTS = re.compile(
    r"^[^,.]*\b(article|analysts?|commentators?)\b[^,.]*?\b"
    r"(comments?|speculates?|suggests?|argues?|notes?)\b"
)
# Words of speculation or commentary in a quote: a claim citing one is not a plain report.
SPECULATION = re.compile(
    r"\b(analysts?|suggests?|could|potentially|might|speculat\w*|signals?|reflect\w*)\b", re.IGNORECASE
)


def test_every_analysis_claim_says_who_comments(kb):
    analysis = [c for c in kb.claims if c.kind == "analysis"]
    assert len(analysis) >= 10
    for claim in analysis:
        assert WHO_COMMENTS.match(claim.text), claim.text


def test_the_rule_for_analysis_texts_catches_a_claim_that_reads_as_fact():
    assert WHO_COMMENTS.match("The Token Hub article comments that talent movement is common.")
    assert WHO_COMMENTS.match("Industry analysts suggest that the name points to blockchain.")
    assert not WHO_COMMENTS.match("Talent movement is common in the AI sector.")
    assert not WHO_COMMENTS.match("The Token Foundry name points toward token-based economies, analysts suggest.")


def test_no_reported_claim_cites_speculation(kb):
    for claim in kb.claims:
        for citation in claim.cite:
            if SPECULATION.search(citation.quote):
                assert claim.kind in ("analysis", "attributed"), (claim.subject, claim.text)


def test_the_analysts_passage_is_analysis_with_its_attribution(kb):
    claims = [c for c in kb.claims if any(q.quote.startswith("Industry analysts suggest") for q in c.cite)]
    assert claims and all(c.kind == "analysis" and c.attribution == "Industry analysts" for c in claims)


def test_attributed_claims_say_who(kb):
    attributed = [c for c in kb.claims if c.kind == "attributed"]
    assert len(attributed) >= 5
    for claim in attributed:
        assert claim.said_by in kb.records or claim.attribution, claim.text


# -- the sources -------------------------------------------------------------------


@pytest.mark.parametrize("source_id", [HUB, FOUNDRY])
def test_coverage_is_complete(report, source_id):
    coverage = report.coverage[source_id]
    assert coverage.total >= 20
    assert coverage.unaccounted == 0 and coverage.percent == 100.0
    assert coverage.used > coverage.no_claim


@pytest.mark.parametrize("source_id", [HUB, FOUNDRY])
def test_archives_are_the_received_bytes(source_id):
    received = SHARED_SOURCES / f"{source_id}.txt"
    if not received.is_file():
        pytest.skip("the received articles are not checked out alongside this repository")
    assert (DATA / "sources" / f"{source_id}.txt").read_bytes() == received.read_bytes()


def test_unknown_source_metadata_stays_unknown(kb):
    # Neither article came with a URL, publisher, author or publication date.
    for source in kb.sources.values():
        assert (source.url, source.publisher, source.author, source.published) == (None, None, None, None)
    assert kb.sources[FOUNDRY].title_is_editorial  # it has no headline
    assert not kb.sources[HUB].title_is_editorial
    assert kb.sources[HUB].text.startswith(kb.sources[HUB].title + "\n")


# -- dates -------------------------------------------------------------------------


def dates_of(kb) -> list[tuple[str, PartialDate, object]]:
    """Every date in the knowledge base: (where, date, the claim that carries it)."""
    found = []
    for event in kb.events.values():
        if event.when and event.when.date:
            found.append((event.id, event.when.date, event.when.claim))
    for person in kb.people.values():
        for role in person.roles:
            found += [(person.id, d, role.claim) for d in (role.start, role.end) if d]
    for unit in kb.units.values():
        for parent in unit.parents:
            found += [(unit.id, d, parent.claim) for d in (parent.start, parent.end) if d]
    for source in kb.sources.values():
        if source.published:
            found.append((source.id, source.published, None))
    return found


def test_only_the_token_foundry_announcement_has_a_date(kb):
    assert [(where, date.iso()) for where, date, _ in dates_of(kb)] == [
        ("token-foundry-division-announced", "2026-06-08")
    ]
    assert [e.id for e in kb.events.values() if e.date] == ["token-foundry-division-announced"]


def test_undated_events_are_placed_by_the_relations_the_sources_give(kb):
    for event in kb.events.values():
        if event.when and not event.date:
            assert event.when.phrase  # the source's own words for the time
            assert any(event.when.phrase.lower() in c.quote.lower() for c in event.when.claim.cite)
            if event.when.relation:
                assert event.when.event in kb.events


def test_recently_is_not_read_as_a_relation_to_another_event(kb):
    # "The company recently hired Zhou Hao": recent as the article was written, not before the launch.
    when = kb.events["zhou-hao-hired"].when
    assert when.phrase == "recently" and when.relation is None and when.event is None
    # "Earlier in the month": the restructuring "follows" the departures, so they are placed before it.
    departures = kb.events["qwen-researchers-leave-tongyi-laboratory"].when
    assert (departures.relation, departures.event) == ("before", "token-hub-business-group-launched")


def test_the_timeline_keeps_events_placed_against_an_undated_one_out_of_the_dated_list(kb):
    groups = kb.timeline_groups
    assert [e.id for e in groups.dated] == ["token-foundry-division-announced"]
    assert [(anchor.id, [e.id for e in events]) for anchor, events in groups.around] == [
        (
            "token-hub-business-group-launched",
            ["qwen-researchers-leave-tongyi-laboratory", "token-hub-business-group-launched"],
        )
    ]
    assert "zhou-hao-hired" in {e.id for e in groups.undated}
