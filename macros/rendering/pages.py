"""Entity pages (person, unit, event, discrepancy) as Markdown with HTML blocks.

Headings are Markdown (so they reach the table of contents and search);
everything else is HTML built from escaped strings. A page's source text is
never YAML: the hook writes the page's Markdown from the record's id, and
no text of it goes through a template.
"""

from __future__ import annotations

from macros.kb.asof import latest_of_each
from macros.kb.model import Discrepancy, Event, KnowledgeBase, Person, Unit
from macros.rendering.claims import ClaimRenderer
from macros.rendering.lifecycle import CHANGE_LABELS, LifecycleRenderer, status_label
from macros.rendering.markup import Linker, esc, md_text, script_json, tag
from macros.rendering.statuses import LATEST_NOTE, date_html, dated_event_ids, span_html


def kind_label(kind: str) -> str:
    """A kind as shown: "reorganization" -> "Reorganization", "news-report" -> "News report"."""
    return kind.replace("-", " ").capitalize()


# What goes in the search index: each fact once, on its home page. A page's
# summary repeats its sections, and the lists of other records' claims, events
# and links are there to navigate: they are left out of the index (Material's
# search drops an element, or a heading's whole section, marked
# data-search-exclude, then removes the attribute from the page).
NOT_SEARCHED = ' { data-search-exclude="true" }'  # attr_list on a Markdown heading (a value, so it is removed)


def _dl(rows: list[tuple[str, str]]) -> str:
    return tag(
        "dl",
        "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows if v),
        class_="kb-summary",
        data_search_exclude="true",
    )


def _section(title: str, body: str, searched: bool = True) -> str:
    return f"\n## {title}{'' if searched else NOT_SEARCHED}\n\n{body}\n" if body else ""


class PageRenderer:
    def __init__(self, kb: KnowledgeBase, page_url: str, directory_urls: bool = True):
        self.kb = kb
        self.link = Linker(page_url, directory_urls)
        self.claims = ClaimRenderer(kb, self.link)
        self.lifecycles = LifecycleRenderer(self)

    # -- shared sections --------------------------------------------------

    def names(self, record) -> str:
        if not record.other_names:
            return ""
        return tag(
            "ul",
            "".join(
                self.claims.item(n.claim, body=f"Also named <strong>{esc(n.name)}</strong>") for n in record.other_names
            ),
            class_="kb-claims",
        )

    def statements(self, record) -> str:
        return self.claims.items(record.statements) if record.statements else ""

    def mentioned_in(self, record_id: str) -> str:
        claims = self.kb.mentioned_by.get(record_id, ())
        if not claims:
            return ""
        return tag("ul", "".join(self.claims.foreign_item(c) for c in claims), class_="kb-claims")

    def events_list(self, record_id: str) -> str:
        """The record's events: the dated (and those placed against them) in time order, then apart the
        undated, which are in no time order."""
        events = self.kb.events_of.get(record_id, ())
        if not events:
            return ""
        dated_ids = dated_event_ids(self.kb)
        dated = [e for e in events if e.id in dated_ids]
        undated = [e for e in events if e.id not in dated_ids]
        out = self.event_rows(dated) if dated else ""
        if undated:
            out += tag("p", "Undated, in no time order:", class_="kb-help") + self.event_rows(undated)
        return out

    def event_rows(self, events) -> str:
        rows = []
        for event in events:
            rows.append(
                tag(
                    "li",
                    f"{self.when_short(event)} {self.claims.record_link(event.id)} "
                    f'<span class="kb-kind">{self.event_kind(event)}</span>',
                )
            )
        return tag("ul", "".join(rows), class_="kb-events")

    def event_kind(self, event: Event) -> str:
        """The event's kind, and 'announced' or 'planned' when every change it lists is."""
        label = kind_label(event.kind)
        statuses = {c.status for c in event.changes}
        if len(statuses) == 1 and statuses != {"done"}:
            label += f" ({statuses.pop()})"
        return esc(label)

    def when_short(self, event: Event) -> str:
        if event.date:
            return date_html(event.date)
        when = event.when
        if when and when.event:
            phrase = esc(when.phrase) if when.phrase else esc(when.relation or "")
            return (
                f'<span class="kb-undated">undated: {phrase} ({esc(when.relation or "")} '
                f"{self.claims.record_link(when.event)})</span>"
            )
        if when and when.phrase:  # the source's own words, such as "recently": no date, no relation
            return f'<span class="kb-undated">undated: {esc(when.phrase)}</span>'
        return '<span class="kb-undated">undated</span>'

    def links_here(self, record_id: str) -> str:
        ids = [
            i for i in self.kb.links_to.get(record_id, ()) if self.kb.get(i) and self.kb.get(i).record_kind != "source"
        ]
        if not ids:
            return ""
        return tag(
            "ul",
            "".join(
                tag(
                    "li",
                    self.claims.record_link(i) + f' <span class="kb-kind">{esc(self.kb.get(i).record_kind)}</span>',
                )
                for i in ids
            ),
            class_="kb-links-here",
        )

    def discrepancies(self, record_id: str) -> str:
        found = self.kb.discrepancies_of.get(record_id, ())
        return "".join(self.discrepancy_block(d, heading_level=3) for d in found)

    def discrepancy_block(self, discrepancy: Discrepancy, heading_level: int = 3, link_title: bool = True) -> str:
        title = self.claims.record_link(discrepancy.id) if link_title else esc(discrepancy.question)
        # A listing (its title links to the discrepancy's own page) is left out of the search index: each
        # part is marked, as Material's search cannot skip an element that holds one of the same tag.
        listing = "true" if link_title else None
        accounts = "".join(
            tag(
                "div",
                f'<p class="kb-account-source">{self.claims.record_link(a.source)}</p>'
                f'<p class="kb-account-answer">{esc(a.answer)}{self.claims.markers(a.claim)}</p>'
                + (
                    ""
                    if a.claim.cite
                    else '<p class="kb-account-none">No passage to quote: the source is silent on this.</p>'
                ),
                class_="kb-account",
                id=None if link_title else a.claim.id,
                data_search_exclude=listing,
            )
            for a in discrepancy.accounts
        )
        status = tag("span", esc(discrepancy.status), class_=f"kb-status kb-status-{discrepancy.status}")
        note = tag(
            "p",
            f'<span class="kb-badge kb-badge-editorial">Editorial note</span> {esc(discrepancy.note)}',
            class_="kb-editorial",
            data_search_exclude=listing,
        )
        heading = tag(f"h{heading_level}", f"{title} {status}", data_search_exclude=listing)
        return tag("div", heading + tag("div", accounts, class_="kb-accounts") + note, class_="kb-discrepancy")

    def jsonld(self, record_id: str, data: dict | None) -> str:
        return f'\n<script type="application/ld+json">{script_json(data)}</script>\n' if data else ""

    # -- pages -----------------------------------------------------------

    def person(self, person: Person, jsonld: dict | None = None) -> str:
        # The summary gives each role once, as its latest-dated source tells it; the Roles section, every account.
        summary = latest_of_each(self.kb, person.roles, key=lambda r: (r.unit, r.role.casefold()))
        current = [self.role_short(r, differ) for r, differ in summary if r.status != "former"]
        past = [self.role_short(r, differ) for r, differ in summary if r.status == "former"]
        # Sections are rendered top to bottom so citation numbers run in page order.
        parts = [
            f"# {md_text(person.name)}\n\n",
            _dl(
                [
                    (
                        "Name",
                        tag("span", esc(person.name) + self.claims.markers(person.name_claim), id=person.name_claim.id),
                    ),
                    ("Other names", ", ".join(esc(n.name) for n in person.other_names)),
                    ("Roles", "<br>".join(current)),
                    ("Past roles", "<br>".join(past)),
                ]
            ),
            "\n",
        ]
        parts.append(_section("Names", self.names(person)))
        if person.roles:
            parts.append(
                _section(
                    "Roles",
                    tag(
                        "ul",
                        "".join(self.claims.item(r.claim, body=self.role_long(r)) for r in person.roles),
                        class_="kb-claims",
                    ),
                )
            )
        parts.append(self.common_sections(person))
        parts.append(_section("Events", self.events_list(person.id), searched=False))
        parts.append(_section("What links here", self.links_here(person.id), searched=False))
        parts.append(self.jsonld(person.id, jsonld))
        return "".join(parts)

    def common_sections(self, record) -> str:
        parts = [_section("Statements", self.statements(record))]
        parts.append(_section("Where the sources disagree", self.discrepancies(record.id), searched=False))
        parts.append(_section("Mentioned in", self.mentioned_in(record.id), searched=False))
        return "".join(parts)

    def span(self, item, differ: bool = False) -> str:
        """A role's or parent relation's dates and status, as of its source."""
        return span_html(self.kb, item.start, item.end, item.status, item.claim, LATEST_NOTE if differ else "")

    def role_short(self, role, differ: bool = False) -> str:
        unit = f", {self.claims.record_link(role.unit)}" if role.unit else ""
        return f"{esc(role.role)}{unit}{self.span(role, differ)}"

    def role_short_in_unit(self, role, differ: bool = False) -> str:
        return f"{esc(role.role)}{self.span(role, differ)}"

    def role_long(self, role) -> str:
        unit = f" — {self.claims.record_link(role.unit)}" if role.unit else ""
        return f"<strong>{esc(role.role)}</strong>{unit}{self.span(role)}"

    def unit(self, unit: Unit, jsonld: dict | None = None) -> str:
        children = self.kb.children_of.get(unit.id, ())
        people = self.kb.roles_in_unit.get(unit.id, ())
        parents = latest_of_each(self.kb, unit.parents, key=lambda p: p.unit)
        person_of = {id(r): p for p, r in people}
        parts = [
            f"# {md_text(unit.name)}\n\n",
            _dl(
                [
                    ("Name", tag("span", esc(unit.name) + self.claims.markers(unit.name_claim), id=unit.name_claim.id)),
                    ("Other names", ", ".join(esc(n.name) for n in unit.other_names)),
                    ("Kind", esc(unit.kind.replace("-", " "))),
                    ("Lifecycle", self.lifecycles.fate(unit.id)),
                    ("Part of", "<br>".join(self.claims.record_link(p.unit) + self.span(p, d) for p, d in parents)),
                    ("Parts", ", ".join(self.claims.record_link(u.id) for u, _ in children)),
                    (
                        "People",
                        "<br>".join(
                            f"{self.claims.record_link(person_of[id(r)].id)}: {self.role_short_in_unit(r, d)}"
                            for r, d in latest_of_each(
                                self.kb, [r for _, r in people], key=lambda r: (person_of[id(r)].id, r.role.casefold())
                            )
                        ),
                    ),
                ]
            ),
            "\n",
        ]
        parts.append(_section("Names", self.names(unit)))
        parts.append(_section("Lifecycle", self.lifecycles.lifecycle(unit.id), searched=False))
        if unit.parents:
            parts.append(
                _section(
                    "Part of",
                    tag(
                        "ul",
                        "".join(
                            self.claims.item(
                                p.claim,
                                body=f"Part of {self.claims.record_link(p.unit)}{self.span(p)}",
                            )
                            for p in unit.parents
                        ),
                        class_="kb-claims",
                    ),
                )
            )
        if people:
            parts.append(
                _section(
                    "People",
                    tag(
                        "ul",
                        "".join(
                            self.claims.item(
                                r.claim, body=f"{self.claims.record_link(p.id)}: {self.role_long(r)}", anchor=False
                            )
                            for p, r in people
                        ),
                        class_="kb-claims",
                    ),
                    searched=False,
                )
            )
        parts.append(self.common_sections(unit))
        parts.append(_section("Events", self.events_list(unit.id), searched=False))
        parts.append(_section("What links here", self.links_here(unit.id), searched=False))
        parts.append(self.jsonld(unit.id, jsonld))
        return "".join(parts)

    def event(self, event: Event, jsonld: dict | None = None) -> str:
        parts = [
            f"# {md_text(event.title)}\n\n",
            _dl(
                [
                    ("Kind", self.event_kind(event)),
                    ("When", self.when_short(event)),
                    ("Changes", ", ".join(dict.fromkeys(self.change_short(c) for c in event.changes))),
                    ("People", ", ".join(self.claims.record_link(i) for i in event.people)),
                ]
            ),
            "\n",
        ]
        parts.append(_section("What happened", tag("ul", self.claims.item(event.event_claim), class_="kb-claims")))
        if event.when:
            parts.append(
                _section(
                    "When",
                    tag("ul", self.claims.item(event.when.claim, body=self.when_long(event.when)), class_="kb-claims"),
                )
            )
        if event.changes:
            parts.append(_section("Changes", self.lifecycles.changes_list(event)))
        parts.append(self.common_sections(event))
        parts.append(_section("What links here", self.links_here(event.id), searched=False))
        parts.append(self.jsonld(event.id, jsonld))
        return "".join(parts)

    def change_short(self, change) -> str:
        status = status_label(change)
        return esc(CHANGE_LABELS[change.change].lower() + (f" ({status})" if status else ""))

    def when_long(self, when) -> str:
        text = []
        if when.date:
            text.append(f"Dated {date_html(when.date)}")
        if when.event:
            phrase = f"“{esc(when.phrase)}”: " if when.phrase else ""
            text.append(f"{phrase}{esc(when.relation or 'related to')} {self.claims.record_link(when.event)}")
        elif when.phrase:
            text.append(f"“{esc(when.phrase)}”")
        return "; ".join(text) or "Time as stated"

    def discrepancy(self, discrepancy: Discrepancy) -> str:
        subjects = ", ".join(self.claims.record_link(s) for s in discrepancy.subjects)
        summary = _dl([("Status", esc(discrepancy.status)), ("Concerns", subjects)])
        return (
            f"# {md_text(discrepancy.question)}\n\n{summary}\n\n"
            + self.discrepancy_block(discrepancy, heading_level=2, link_title=False)
            + "\n"
        )
