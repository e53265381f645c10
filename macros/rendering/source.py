"""A source's page: its metadata (unknowns shown as unknown), its archived text
with every quoted passage highlighted, anchored and linked back to the claims
that quote it, the list of those claims, and its coverage."""

from __future__ import annotations

from collections import defaultdict

from macros.kb.coverage import Coverage, normalized
from macros.kb.model import Claim, KnowledgeBase, Source
from macros.kb.prose import claim_text
from macros.kb.quotes import quote_anchor
from macros.kb.urls import safe_url
from macros.rendering.claims import shown_quote
from macros.rendering.markup import esc, evidence, md_text, tag
from macros.rendering.pages import NOT_SEARCHED, PageRenderer, date_html

UNKNOWN = '<span class="kb-unknown">unknown</span>'
UNCHECKED = ' <span class="kb-badge kb-badge-unchecked">from the page\'s metadata, not checked yet</span>'


def quoted_spans(kb: KnowledgeBase, source: Source) -> dict[str, tuple[int, int, list[Claim]]]:
    """anchor -> (start, end, claims quoting it) in the archived text."""
    text = normalized(source.text)
    spans: dict[str, tuple[int, int, list[Claim]]] = {}
    for claim in kb.claims_citing.get(source.id, ()):
        for citation in claim.cite:
            if citation.source != source.id:
                continue
            anchor = quote_anchor(source.id, citation.quote)
            span = text.span(citation.quote)
            if span is None:
                continue
            if anchor not in spans:
                spans[anchor] = (span[0], span[1], [])
            claims = spans[anchor][2]
            # A claim's citations come one after another: only the last claim can be this one again.
            # (`claim not in claims` compared whole claims, thousands of times for a quote many cite.)
            if not claims or claims[-1] is not claim:
                claims.append(claim)
    return spans


class SourceRenderer(PageRenderer):
    def source(self, source: Source, coverage: Coverage, jsonld: dict | None = None) -> str:
        url = safe_url(source.url)
        title = esc(source.title) + (
            ' <span class="kb-badge kb-badge-editorial">title by the editors</span>'
            if source.title_is_editorial
            else ""
        )

        def checked(field: str, html: str) -> str:
            # A value `kb new source` took from the page's metadata, which nobody has checked yet.
            return html + UNCHECKED if field in source.extracted else html

        summary = [
            ("Title", checked("title", title)),
            ("Kind", esc(source.kind.replace("-", " "))),
            ("Publisher", checked("publisher", esc(source.publisher)) if source.publisher else UNKNOWN),
            ("Author", checked("author", esc(source.author)) if source.author else UNKNOWN),
            ("Published", checked("published", date_html(source.published)) if source.published else UNKNOWN),
            ("Address", checked("url", tag("a", esc(url), href=url, rel="nofollow noopener")) if url else UNKNOWN),
            ("Archived text", f"<code>{esc(source.archive)}</code>, sha256 <code>{esc(source.sha256[:16])}…</code>"),
            (
                "Coverage",
                f"{coverage.used} sentences cited, {coverage.no_claim} marked as carrying no claim, "
                f"{coverage.unaccounted} unaccounted, of {coverage.total}",
            ),
        ]
        dl = tag("dl", "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in summary), class_="kb-summary")
        notes = (
            tag(
                "p",
                f'<span class="kb-badge kb-badge-editorial">Editorial note</span> {esc(source.notes)}',
                class_="kb-editorial",
            )
            if source.notes
            else ""
        )
        claims = self.citing_claims(source)
        no_claim = tag(
            "ul",
            "".join(
                tag("li", f"“{evidence(s.text)}” — {esc(s.reason)}")
                for s in coverage.sentences
                if s.status == "no-claim"
            ),
        )
        return (
            f"# {md_text(source.title)}\n\n{dl}\n{notes}\n"
            # The archived text is long and its cited passages are indexed as claims on the entity
            # pages: the search index (at most 1 KB per entity) leaves it out.
            + f"\n## Archived text{NOT_SEARCHED}\n\n"
            + '<p class="kb-help">The text exactly as archived. Highlighted passages are quoted by claims; '
            "the numbers after each passage link to those claims.</p>\n"
            + self.archive(source)
            + "\n"
            + (f"\n## Claims citing this source{NOT_SEARCHED}\n\n{claims}\n" if claims else "")
            + (f"\n## Sentences that carry no claim\n\n{no_claim}\n" if coverage.no_claim else "")
            + self.jsonld(source.id, jsonld)
        )

    def citing_claims(self, source: Source) -> str:
        items = []
        for claim in self.kb.claims_citing.get(source.id, ()):
            home = self.claims.record_link(claim.subject, claim.id, label=self.kb.name_of(claim.subject))
            quotes = " ".join(
                tag(
                    "a",
                    f"“{shown_quote(self.kb, source.id, c.quote)}”",
                    href=f"#{quote_anchor(source.id, c.quote)}",
                    class_="kb-quote-link",
                )
                for c in claim.cite
                if c.source == source.id
            )
            items.append(
                tag(
                    "li",
                    f"{self.claims.badge(claim)}<strong>{home}</strong>: {esc(claim_text(self.kb, claim))}"
                    f'<br><span class="kb-quotes">{quotes}</span>',
                    class_=f"kb-claim kb-kind-{claim.kind}",
                )
            )
        return tag("ul", "".join(items), class_="kb-claims kb-citing") if items else ""

    def archive(self, source: Source) -> str:
        spans = quoted_spans(self.kb, source)
        text = source.text
        starts: dict[int, list[str]] = defaultdict(list)
        ends: dict[int, list[str]] = defaultdict(list)
        for anchor, (start, end, _) in sorted(spans.items(), key=lambda item: (item[1][0], item[0])):
            starts[start].append(anchor)
            ends[end].append(anchor)
        paragraphs = []
        position = 0
        for line in text.split("\n"):
            line_end = position + len(line)
            paragraphs.append(self.paragraph(text, position, line_end, spans, starts, ends))
            position = line_end + 1
        return tag("div", "".join(paragraphs), class_="kb-archive")

    def paragraph(self, text, start, end, spans, starts, ends) -> str:
        if start == end:
            return ""
        cuts = sorted({start, end, *(p for p in starts if start <= p < end), *(p for p in ends if start < p <= end)})
        here = [(a, s, e) for a, (s, e, _) in spans.items() if s < end and start < e]  # the quotes in this line
        out = []
        for left, right in zip(cuts, cuts[1:]):
            for anchor in starts.get(left, ()):
                out.append(f'<span class="kb-anchor" id="{esc(anchor)}"></span>')
            covering = [a for a, s, e in here if s <= left and right <= e]
            piece = evidence(text[left:right])
            if covering:
                out.append(tag("mark", piece, class_="kb-quote", data_quotes=" ".join(sorted(covering))))
            else:
                out.append(piece)
            for anchor in ends.get(right, ()):
                out.append(self.backrefs(spans[anchor][2]))
        return tag("p", "".join(out))

    def backrefs(self, claims: list[Claim]) -> str:
        links = []
        for claim in claims:
            name = self.kb.name_of(claim.subject)
            links.append(
                tag(
                    "a",
                    "↩",
                    href=self.link.record(self.kb.get(claim.subject).record_kind, claim.subject, claim.id),
                    title=f"{name}: {claim_text(self.kb, claim)}",
                    aria_label=f"Claim on {name}: {claim_text(self.kb, claim)}",
                )
            )
        return tag("sup", "".join(links), class_="kb-backrefs", data_search_exclude="true")
