"""Claims and their citation markers, as HTML.

A citation marker links to the quoted passage on the source's page (a stable
anchor per quote) and carries the quote, in the archive's own characters, in
a tooltip shown on hover and on keyboard focus (CSS only, so it works without
JavaScript).
"""

from __future__ import annotations

from macros.kb.model import Citation, Claim, KnowledgeBase
from macros.kb.prose import claim_text
from macros.kb.quotes import quote_anchor
from macros.rendering.markup import Linker, esc, evidence, tag


class ClaimRenderer:
    """Renders claims for one page; numbers citation markers across the page."""

    def __init__(self, kb: KnowledgeBase, linker: Linker):
        self.kb = kb
        self.link = linker
        self.counter = 0

    def record_link(self, record_id: str, anchor: str | None = None, label: str | None = None) -> str:
        record = self.kb.get(record_id)
        if record is None:
            return esc(label or record_id)
        return (
            f'<a href="{esc(self.link.record(record.record_kind, record_id, anchor))}">{esc(label or record.name)}</a>'
        )

    def marker(self, citation: Citation) -> str:
        self.counter += 1
        number = self.counter
        quoted, anchor = self._quoted(citation)
        href = esc(self.link.record("source", citation.source, anchor))
        # The quote and its source in a tooltip the link is described by. Left out of the search index
        # (the quote is indexed on the source's page): Material's search drops the element, then the
        # attribute. Written out whole: a large site has a hundred thousand markers.
        return (
            f'<sup class="kb-cite" data-search-exclude="true"><a href="{href}" class="kb-cite-link" '
            f'aria-describedby="tip-{number}" aria-label="Citation {number}">[{number}]</a>'
            f'<span class="kb-tip" role="tooltip" id="tip-{number}">{quoted}</span></sup>'
        )

    def _quoted(self, citation: Citation) -> tuple[str, str]:
        """The tooltip's HTML (the quote in the archive's characters, and its source's title) and the
        quoted passage's anchor: the same for every marker of the same quote, on any page."""
        known = self.kb.memo("rendering.quoted")
        key = (citation.source, citation.quote)
        found = known.get(key)
        if found is None:
            source = self.kb.sources.get(citation.source)
            title = source.title if source else citation.source
            found = known[key] = (
                f"“{shown_quote(self.kb, citation.source, citation.quote)}”"
                f'<br><span class="kb-tip-source">{esc(title)}</span>',
                quote_anchor(citation.source, citation.quote),
            )
        return found

    def markers(self, claim: Claim) -> str:
        return "".join(self.marker(c) for c in claim.cite)

    def badge(self, claim: Claim) -> str:
        """What kind of claim this is, and for attributed ones who said it."""
        if claim.kind == "attributed":
            who = self.record_link(claim.said_by) if claim.said_by else ""
            if claim.attribution:
                who = esc(claim.attribution) + (f" ({who})" if who else "")
            return tag("span", f"Attributed to {who}", class_="kb-badge kb-badge-attributed") + " "
        if claim.kind == "analysis":
            who = f": {esc(claim.attribution)}" if claim.attribution else ""
            return (
                tag(
                    "span",
                    f"Analysis{who}",
                    class_="kb-badge kb-badge-analysis",
                    title="Commentary or speculation in the source, not a reported fact",
                )
                + " "
            )
        return ""

    def item(self, claim: Claim, body: str | None = None, anchor: bool = True) -> str:
        """A claim as a list item: badge, text (or the given HTML body), markers, permalink."""
        content = body if body is not None else esc(claim_text(self.kb, claim))
        permalink = (
            tag(
                "a",
                "¶",
                href=f"#{claim.id}",
                class_="kb-permalink",
                title="Permanent link to this claim",
                data_search_exclude="true",
            )
            if anchor
            else ""
        )
        return tag(
            "li",
            self.badge(claim) + content + self.markers(claim) + permalink,
            class_=f"kb-claim kb-kind-{claim.kind}",
            id=claim.id if anchor else None,
        )

    def items(self, claims, anchor: bool = True) -> str:
        return tag("ul", "".join(self.item(c, anchor=anchor) for c in claims), class_="kb-claims")

    def foreign_item(self, claim: Claim) -> str:
        """A claim of another record shown here (mentions): links to its home."""
        home = self.record_link(claim.subject, claim.id, label=self.kb.name_of(claim.subject))
        return tag(
            "li",
            self.badge(claim)
            + esc(claim_text(self.kb, claim))
            + self.markers(claim)
            + f' <span class="kb-from">(on {home})</span>',
            class_=f"kb-claim kb-kind-{claim.kind}",
        )


def shown_quote(kb: KnowledgeBase, source_id: str, quote: str) -> str:
    """A quote as HTML, in its archive's characters, each unsafe one shown as its code point (made once:
    the tooltips of its markers and its source's page show it)."""
    known = kb.memo("rendering.shown_quotes")
    key = (source_id, quote)
    shown = known.get(key)
    if shown is None:
        shown = known[key] = evidence(kb.archived(source_id, quote))
    return shown
