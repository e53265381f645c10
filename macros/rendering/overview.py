"""Overview pages: index tables per kind, the timeline, the discrepancies page,
the organization chart and the home page's figures."""

from __future__ import annotations

from macros.kb.asof import latest_of_each
from macros.kb.coverage import coverage_all
from macros.kb.model import Event, TimelineGroups
from macros.rendering.markup import esc, tag
from macros.rendering.orgchart import change_figure
from macros.rendering.pages import PageRenderer

PLACED_HELP = (
    "The sources give these events no date, only their order relative to another event that is itself "
    "undated, so they cannot be placed among the dated events above. Each group is in the order its source gives."
)
UNDATED_HELP = "The sources give these events no date and place them relative to no other event."


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
                    "<br>".join(
                        link(p.unit) + self.span(p, d) for p, d in latest_of_each(kb, u.parents, lambda p: p.unit)
                    ),
                    self.lifecycles.fate(u.id),
                    esc(", ".join(n.name for n in u.other_names)),
                ]
                for u in kb.units.values()
            ]
            return _table(["Unit", "Kind", "Part of", "Lifecycle", "Other names"], rows)
        if kind == "event":

            def table(events, ordered: bool = True) -> str:
                rows = [[self.when_short(e), link(e.id), self.event_kind(e)] for e in events]
                return _table(["When", "Event", "Kind"], rows)

            return self.grouped_events(table, dated_heading="Dated, in time order")
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
        dated = sum(1 for e in self.kb.events.values() if e.date)
        placed = sum(1 for e in self.kb.events.values() if not e.date and e.when and e.when.event)
        legend = (
            f'<p class="kb-help">{dated} dated, {placed} placed by the relation the source states, '
            f"{len(self.kb.events) - dated - placed} undated. Dates show their precision: a month means the "
            "day is not known.</p>"
        )
        # The events are searched on their own pages: the lists are left out of the index.
        return legend + self.grouped_events(
            lambda events, ordered=True: self.timeline_list("ol" if ordered else "ul", events)
        )

    def grouped_events(
        self, render, dated_heading: str | None = None, level: int = 2, prefix: str = "", keep=None
    ) -> str:
        """The events as the timeline groups them, each group under its heading, never mixed: what hangs on a
        date (in time order), what hangs only on an undated event (around it), what hangs on nothing.
        `render(events, ordered)` draws one group; `keep(event)`, when given, picks the events shown."""
        groups = self.kb.timeline_groups
        if keep is not None:
            around = [(a, tuple(e for e in events if keep(e))) for a, events in groups.around]
            # A group left with one event has nothing placed against it: it is simply undated.
            alone = {kept[0].id for _, kept in around if len(kept) == 1}
            alone |= {e.id for e in groups.undated if keep(e)}
            groups = TimelineGroups(
                tuple(e for e in groups.dated if keep(e)),
                tuple((a, kept) for a, kept in around if len(kept) > 1),
                tuple(e for e in self.kb.timeline() if e.id in alone),
            )
        out = []
        if dated_heading and groups.dated:
            out.append(tag(f"h{level}", esc(dated_heading), id=f"{prefix}dated"))
        if groups.dated or not dated_heading:
            out.append(render(groups.dated, True))
        if groups.around:
            out.append(tag(f"h{level}", "Placed only against an undated event", id=f"{prefix}placed"))
            out.append(tag("p", PLACED_HELP, class_="kb-help"))
            for anchor, events in groups.around:
                out.append(
                    tag(
                        f"h{level + 1}",
                        f"Around: {self.claims.record_link(anchor.id)}",
                        id=f"{prefix}around-{anchor.id}",
                        data_search_exclude="true",
                    )
                )
                out.append(render(events, True))
        if groups.undated:
            out.append(tag(f"h{level}", "Undated", id=f"{prefix}undated"))
            out.append(tag("p", UNDATED_HELP, class_="kb-help"))
            out.append(render(groups.undated, False))
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
            f'<span class="kb-kind">{self.event_kind(event)}</span></p>'
            f"<p>{esc(event.summary or event.title)}{self.claims.markers(claim)}</p>",
            id=event.id,
        )

    def discrepancies_page(self) -> str:
        return "".join(self.discrepancy_block(d, heading_level=2) for d in self.kb.discrepancies.values())

    def open_discrepancies(self) -> str:
        items = [tag("li", self.claims.record_link(d.id)) for d in self.kb.discrepancies.values() if d.status == "open"]
        return tag("ul", "".join(items)) if items else "<p>None.</p>"

    def latest_events(self, count: int = 5) -> str:
        """The latest dated events, then apart, under their own heading, some of those the sources give no
        date (an event placed against an undated one has no place among the dated)."""
        groups = self.kb.timeline_groups
        out = []
        if groups.dated:
            out.append(tag("h3", "Dated, latest first", id="latest-dated"))
            out.append(self.event_rows(list(groups.dated)[::-1][:count]))
        undated = [e for _, events in groups.around for e in events] + list(groups.undated)
        if undated:
            shown = undated[:count]
            more = len(undated) - len(shown)
            note = f"The sources give these events no date: they are not in time order. {len(undated)} in all"
            out.append(tag("h3", "Undated", id="latest-undated"))
            out.append(
                tag(
                    "p",
                    esc(note)
                    + (f", {more} more on the " if more else "; see the ")
                    + tag("a", "timeline", href=self.link.page("timeline/"))
                    + ".",
                    class_="kb-help",
                )
            )
            out.append(self.event_rows(shown))
        return "".join(out) or "<p>None.</p>"

    def counts(self) -> str:
        kb = self.kb
        figures = [
            ("person", "people", len(kb.people), "people/"),
            ("unit", "units", len(kb.units), "units/"),
            ("event", "events", len(kb.events), "events/"),
            ("source", "sources", len(kb.sources), "sources/"),
            ("discrepancy", "discrepancies", len(kb.discrepancies), "discrepancies/"),
            ("claim", "claims", len(kb.claims), None),
            ("citation", "citations", kb.citation_count, None),
        ]
        cells = []
        for one, many, number, path in figures:
            label = one if number == 1 else many
            body = f'<span class="kb-figure-number">{number}</span> <span>{esc(label)}</span>'
            cells.append(tag("li", tag("a", body, href=self.link.page(path)) if path else body))
        return tag("ul", "".join(cells), class_="kb-figures")

    def orgchart(self) -> str:
        """The unit tree as nested lists (each edge cited, each unit's end or coming beginning marked), then
        each reorganization's parent relations before and after, dated ones apart from undated ones."""
        kb = self.kb
        roots = [u for u in kb.units.values() if not u.parents]
        tree = tag("ul", "".join(self.tree_node(u.id) for u in roots), class_="kb-tree")
        changes = self.grouped_events(
            lambda events, ordered: "".join(self.change_block(e) for e in events),
            dated_heading="Dated, in time order",
            level=3,
            prefix="changes-",
            keep=lambda e: bool(e.changes),
        )
        # The units and events are searched on their own pages: these sections are left out of the index
        # (marked on the headings: Material's search cannot skip a list that holds lists).
        return (
            '<h2 id="structure" data-search-exclude="true">Units and what they are part of</h2>'
            '<p class="kb-help">Each line is a cited claim that a unit is part of another, with its status as of '
            "its source; a unit that a merger, a renaming or a dissolution ends (or is announced or planned "
            "to) says so, with the event.</p>"
            + tree
            + '<h2 id="changes" data-search-exclude="true">Before and after each reorganization</h2>'
            + '<p class="kb-help">For each change, the units before and after and what they are part of. '
            "A unit regrouped under a new parent carries on; only a merger, a renaming or a dissolution ends "
            "the units it acts on. A list the source does not give in full says “among others”.</p>"
            + (changes or "<p>None.</p>")
        )

    def change_block(self, event: Event) -> str:
        sources = ", ".join(self.claims.record_link(s) for s in dict.fromkeys(c.source for c in event.event_claim.cite))
        return (
            f'<h4 id="change-{esc(event.id)}" data-search-exclude="true">{self.claims.record_link(event.id)}</h4>'
            f'<p class="kb-help">{self.when_short(event)} — as reported by {sources}'
            f"{self.claims.markers(event.event_claim)}</p>" + change_figure(self, event)
        )

    def tree_node(self, unit_id: str) -> str:
        return tag("li", self.claims.record_link(unit_id) + self.fate(unit_id) + self.subtree(unit_id))

    def fate(self, unit_id: str) -> str:
        fate = self.lifecycles.fate(unit_id, done_beginnings=False)  # what stands is the tree's business
        return f" — {fate}" if fate else ""

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
            out.append("<li>" + self.claims.record_link(unit.id) + self.span(parent))
            out.append(self.claims.markers(parent.claim) + self.fate(unit.id))
            on_path.add(unit.id)
            stack.append((unit.id, children(unit.id)))
            opened.append(False)
        return "".join(out)
