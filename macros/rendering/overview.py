"""Overview pages: index tables per kind, the timeline, the discrepancies page,
the organization chart and the home page's figures."""

from __future__ import annotations

from macros.kb.coverage import coverage_all
from macros.kb.model import Event
from macros.rendering.markup import esc, tag
from macros.rendering.orgchart import change_svg
from macros.rendering.pages import PageRenderer, kind_label, span_html


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    # Index tables list what the records' own pages hold: left out of the search index.
    return (
        f'<div class="md-typeset__scrollwrap" data-search-exclude="true"><div class="md-typeset__table">'
        f'<table class="kb-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></div>'
    )


class OverviewRenderer(PageRenderer):
    def index(self, kind: str) -> str:
        kb, link = self.kb, self.claims.record_link
        if kind == "person":
            rows = [
                [
                    link(p.id),
                    esc(", ".join(n.name for n in p.other_names)),
                    "<br>".join(self.role_short(r) for r in p.roles),
                ]
                for p in kb.people.values()
            ]
            return _table(["Name", "Other names", "Roles"], rows)
        if kind == "unit":
            rows = [
                [
                    link(u.id),
                    esc(u.kind.replace("-", " ")),
                    ", ".join(link(p.unit) for p in u.parents),
                    esc(", ".join(n.name for n in u.other_names)),
                ]
                for u in kb.units.values()
            ]
            return _table(["Unit", "Kind", "Part of", "Other names"], rows)
        if kind == "event":
            rows = [[self.when_short(e), link(e.id), esc(kind_label(e.kind))] for e in kb.timeline()]
            return _table(["When", "Event", "Kind"], rows)
        if kind == "source":
            coverage = coverage_all(kb)
            rows = [
                [
                    link(s.id),
                    esc(s.publisher or "unknown"),
                    esc(s.published.human() if s.published else "unknown"),
                    str(len(kb.claims_citing.get(s.id, ()))),
                    f"{coverage[s.id].percent:.0f}%",
                ]
                for s in kb.sources.values()
            ]
            return _table(["Source", "Publisher", "Published", "Claims citing it", "Coverage"], rows)
        if kind == "discrepancy":
            rows = [
                [link(d.id), esc(d.status), ", ".join(link(a.source) for a in d.accounts)]
                for d in kb.discrepancies.values()
            ]
            return _table(["Question", "Status", "Sources"], rows)
        raise ValueError(f"no index for {kind}")

    def timeline(self) -> str:
        groups = self.kb.timeline_groups
        dated = sum(1 for e in self.kb.events.values() if e.date)
        placed = sum(1 for e in self.kb.events.values() if not e.date and e.when and e.when.event)
        legend = (
            f'<p class="kb-help">{dated} dated, {placed} placed by the relation the source states, '
            f"{len(self.kb.events) - dated - placed} undated. Dates show their precision: a month means the "
            "day is not known.</p>"
        )
        # The events are searched on their own pages: the lists are left out of the index.
        out = [legend, self.timeline_list("ol", groups.dated)]
        if groups.around:
            out.append('<h2 id="placed">Placed only against an undated event</h2>')
            out.append(
                tag(
                    "p",
                    "The sources give these events no date, only their order relative to another "
                    "event that is itself undated, so they cannot be placed among the dated events "
                    "above. Each group is in the order its source gives.",
                    class_="kb-help",
                )
            )
            for anchor, events in groups.around:
                out.append(
                    tag(
                        "h3",
                        f"Around: {self.claims.record_link(anchor.id)}",
                        id=f"around-{anchor.id}",
                        data_search_exclude="true",
                    )
                )
                out.append(self.timeline_list("ol", events))
        if groups.undated:
            out.append('<h2 id="undated">Undated</h2>')
            out.append(
                tag(
                    "p",
                    "The sources give these events no date and place them relative to no other event.",
                    class_="kb-help",
                )
            )
            out.append(self.timeline_list("ul", groups.undated))
        return "".join(out)

    def timeline_list(self, element: str, events) -> str:
        return tag(
            element, "".join(self.timeline_item(e) for e in events), class_="kb-timeline", data_search_exclude="true"
        )

    def timeline_item(self, event: Event) -> str:
        claim = event.event_claim
        return tag(
            "li",
            f'<p class="kb-timeline-when">{self.when_short(event)}</p>'
            f'<p class="kb-timeline-title">{self.claims.record_link(event.id)} '
            f'<span class="kb-kind">{esc(kind_label(event.kind))}</span></p>'
            f"<p>{esc(event.summary or event.title)}{self.claims.markers(claim)}</p>",
            id=event.id,
        )

    def discrepancies_page(self) -> str:
        return "".join(self.discrepancy_block(d, heading_level=2) for d in self.kb.discrepancies.values())

    def open_discrepancies(self) -> str:
        items = [tag("li", self.claims.record_link(d.id)) for d in self.kb.discrepancies.values() if d.status == "open"]
        return tag("ul", "".join(items)) if items else "<p>None.</p>"

    def latest_events(self, count: int = 5) -> str:
        # Only what hangs on a date: an event placed against an undated one has no place among them.
        return self.event_rows(list(self.kb.timeline_groups.dated)[::-1][:count])

    def counts(self) -> str:
        kb = self.kb
        figures = [
            ("people", len(kb.people), "people/"),
            ("units", len(kb.units), "units/"),
            ("events", len(kb.events), "events/"),
            ("sources", len(kb.sources), "sources/"),
            ("discrepancies", len(kb.discrepancies), "discrepancies/"),
            ("claims", len(kb.claims), None),
            ("citations", kb.citation_count, None),
        ]
        cells = []
        for label, number, path in figures:
            body = f'<span class="kb-figure-number">{number}</span> <span>{esc(label)}</span>'
            cells.append(tag("li", tag("a", body, href=self.link.page(path)) if path else body))
        return tag("ul", "".join(cells), class_="kb-figures")

    def orgchart(self) -> str:
        """The unit tree as nested lists (each edge cited), then each reorganization before and after."""
        kb = self.kb
        roots = [u for u in kb.units.values() if not u.parents]
        tree = tag("ul", "".join(self.tree_node(u.id) for u in roots), class_="kb-tree")
        changes = []
        for event in kb.timeline():
            if not (event.original_units or event.resulting_units):
                continue
            svg = change_svg(kb, event, self.link)
            changes.append(
                f'<h3 id="change-{esc(event.id)}" data-search-exclude="true">'
                f"{self.claims.record_link(event.id)}</h3>"
                f'<p class="kb-help">{self.when_short(event)} — as reported by '
                + ", ".join(self.claims.record_link(s) for s in dict.fromkeys(c.source for c in event.event_claim.cite))
                + f"{self.claims.markers(event.event_claim)}</p>{svg}"
            )
        # The units and events are searched on their own pages: these sections are left out of the index
        # (marked on the headings: Material's search cannot skip a list that holds lists).
        return (
            '<h2 id="structure" data-search-exclude="true">Units and what they are part of</h2>'
            '<p class="kb-help">Each line is a cited claim that a unit is part of another.</p>'
            + tree
            + '<h2 id="changes" data-search-exclude="true">Before and after each reorganization</h2>'
            + "".join(changes)
        )

    def tree_node(self, unit_id: str) -> str:
        return tag("li", self.claims.record_link(unit_id) + self.subtree(unit_id))

    def subtree(self, unit_id: str) -> str:
        """The units part of `unit_id`, as nested lists, each under every parent it has (a unit is not
        shown inside itself). Built without recursion: a chain of parents may be thousands long."""
        out: list[str] = []
        on_path = {unit_id}  # the unit and its ancestors in the tree being written

        def children(parent_id: str):
            return ((u, p) for u, p in self.kb.children_of.get(parent_id, ()) if u.id not in on_path)

        stack = [(unit_id, children(unit_id))]
        opened = [False]  # whether each unit on the stack has written the <ul> of its children yet
        while stack:
            parent_id, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                if opened.pop():
                    out.append("</ul>")
                if stack:
                    out.append("</li>")
                on_path.discard(parent_id)
                continue
            unit, parent = child
            if not opened[-1]:
                out.append("<ul>")
                opened[-1] = True
            out.append("<li>" + self.claims.record_link(unit.id) + span_html(parent.start, parent.end, parent.status))
            out.append(self.claims.markers(parent.claim))
            on_path.add(unit.id)
            stack.append((unit.id, children(unit.id)))
            opened.append(False)
        return "".join(out)
