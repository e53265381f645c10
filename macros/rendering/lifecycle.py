"""Unit changes as HTML: an event's changes, and a unit's lifecycle (formed, merged into, regrouped
under, renamed, dissolved, planned), each with its event, its citations and its status as of its source.

A regrouping or a formation is never worded as an ending: only the units a
merger, a renaming or a dissolution acts on end (see macros.kb.lifecycle).
"""

from __future__ import annotations

from macros.kb.asof import claim_as_of
from macros.kb.lifecycle import FORMER_PARENT, PARENT, RESULT, SUBJECT, Step, beginning_of, ending_of, steps_of
from macros.kb.model import Change
from macros.kb.prose import Ref, change_words, unit_list
from macros.rendering.markup import esc, tag
from macros.rendering.statuses import LATEST_NOTE, as_of_html, dated_event_ids

CHANGE_LABELS = {
    "merger": "Merger",
    "regrouping": "Regrouping",
    "formation": "Formation",
    "renaming": "Renaming",
    "dissolution": "Dissolution",
}


def parts_html(parts, link) -> str:
    """Sentence parts (texts and unit `Ref`s) as HTML, each unit a link made by `link(unit_id)`."""
    return "".join(link(p.id) if isinstance(p, Ref) else esc(p) for p in parts)


def status_label(change: Change) -> str:
    """'announced' or 'planned'; nothing for a change the source reports as done."""
    return "" if change.status == "done" else change.status


def _others(step: Step) -> list:
    """', with A and B' (', among others' when the source's list is not complete)."""
    if not step.others:
        return [", with others the source does not name"] if not step.change.complete else []
    return [", with ", *unit_list(step.others, step.change.complete)]


def step_words(step: Step) -> list:
    """The step from its unit's side, as sentence parts."""
    change, done = step.change, step.change.status == "done"
    kind, into = change.change, change.into
    if step.role == SUBJECT:
        if kind == "merger":
            return ["Merged into " if done else "To merge into ", Ref(into), *_others(step)]
        if kind == "regrouping":
            words = ["Regrouped under " if done else "To be regrouped under ", Ref(into)]
            if change.source_parent:
                words += [", from ", Ref(change.source_parent)]
            return words + _others(step) + ["; it carries on"]
        if kind == "formation":
            words = ["Formed" if done else "To be formed"]
            return words + ([" within ", Ref(into)] if into else []) + _others(step)
        if kind == "renaming":
            return ["Renamed " if done else "To be renamed ", Ref(into)]
        return ["Dissolved" if done else "To be dissolved", *_others(step)]
    units = unit_list(change.units, change.complete)
    if step.role == RESULT:
        if kind == "renaming":
            return ["New name of " if done else "To be the new name of ", *units]
        return (
            [*units, ", merged into it" if done else ", to merge into it"]
            if not change.complete
            else [
                *units,
                " merged into it" if done else " to merge into it",
            ]
        )
    units += [] if change.complete else [","]  # "A and B, among others, regrouped under it"
    if step.role == PARENT:
        verb = {"regrouping": "regrouped under it", "formation": "formed within it"}[kind]
        return [*units, f" {verb}" if done else f" to be {verb}"]
    if step.role == FORMER_PARENT:
        return [*units, " regrouped from it to " if done else " to be regrouped from it to ", Ref(into)]
    raise ValueError(step.role)


class LifecycleRenderer:
    """The lifecycle parts of pages, for a page renderer (its claims, links and event times)."""

    def __init__(self, page):
        self.page = page
        self.kb = page.kb
        self.claims = page.claims

    def link(self, record_id: str) -> str:
        return self.claims.record_link(record_id)

    def change_body(self, change: Change) -> str:
        """An event's change: its kind, its sentence, its status as of its source."""
        label = tag("span", esc(CHANGE_LABELS[change.change]), class_="kb-kind")
        words = change_words(change, prefix=False)  # the status is in the qualifier
        return f"{label} {parts_html(words, self.link)}{self.qualifier(change)}"

    def qualifier(self, change: Change) -> str:
        """' (announced, as of 8 June 2026 or later)': every change says when its source speaks."""
        status = status_label(change)
        as_of = as_of_html(claim_as_of(self.kb, change.claim))
        return f' <span class="kb-when">({esc(status) + ", " if status else ""}{as_of})</span>'

    def changes_list(self, event) -> str:
        """An event's changes, as claims with their anchors (the event's page is their home)."""
        return tag(
            "ul",
            "".join(self.claims.item(c.claim, body=self.change_body(c)) for c in event.changes),
            class_="kb-claims kb-changes",
        )

    def step_body(self, step: Step) -> str:
        status = status_label(step.change)
        css = "kb-step-ends" if step.ends else "kb-step"
        words = tag("strong", parts_html(step_words(step), self.link), class_=css)
        event = f"{self.page.when_short(step.event)} {self.link(step.event.id)}"
        qualifier = f"{esc(status) + ', ' if status else ''}{as_of_html(step.as_of)}"
        return f'{words} <span class="kb-when">({qualifier})</span> — {event}'

    def lifecycle(self, unit_id: str) -> str:
        """The unit's lifecycle section: every step, in timeline order, each cited (to its event's claim)."""
        steps = steps_of(self.kb, unit_id)
        if not steps:
            return ""
        # As every list of events: the steps of dated events in time order, the undated apart.
        dated_ids = dated_event_ids(self.kb)
        dated = [s for s in steps if s.event.id in dated_ids]
        undated = [s for s in steps if s.event.id not in dated_ids]

        def items(group) -> str:
            body = "".join(self.claims.item(s.change.claim, body=self.step_body(s), anchor=False) for s in group)
            return tag("ul", body, class_="kb-claims kb-lifecycle")

        out = items(dated) if dated else ""
        if undated:
            out += tag("p", "Undated, in no time order:", class_="kb-help") + items(undated)
        return out

    def fate(self, unit_id: str, done_beginnings: bool = True) -> str:
        """One line for a summary or the organization chart: how the unit ends, or else how it begins, per
        the latest-dated source (a beginning the source reports as done only when `done_beginnings`)."""
        step = ending_of(self.kb, unit_id)
        if step is None:
            step = beginning_of(self.kb, unit_id)
            if step is None or (step.change.status == "done" and not done_beginnings):
                return ""
        status = status_label(step.change)
        words = parts_html(step_words(step), self.link)
        qualifier = f"{esc(status) + ', ' if status else ''}{as_of_html(step.as_of)}"
        alike = [s for s in steps_of(self.kb, unit_id) if (s.ends, s.begins) == (step.ends, step.begins)]
        if len({s.change.status for s in alike}) > 1:  # accounts differ: say which one this follows
            qualifier += f"; {LATEST_NOTE}"
        css = "kb-fate kb-fate-ended" if step.ends and step.change.status == "done" else "kb-fate"
        return tag(
            "span",
            f'{words} <span class="kb-when">({qualifier})</span>: {self.link(step.event.id)}',
            class_=css,
        )
