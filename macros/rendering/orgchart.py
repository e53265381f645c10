"""Before-and-after diagrams of reorganizations, drawn as inline SVG at build time (no diagram library
loaded from a CDN at view time), each followed by the cited list of what it draws.

One diagram per change of an event: the units before (with the parent they were part of, as a unit's own
cited parent relation or the change's `from` says, or "not stated") and after (with the parent the change
puts them under). Each box is tagged: "ends" only for the units a merger, a renaming or a dissolution acts
on; "carries on" for a regrouped unit, which is drawn on both sides; "new" for a formed unit; and for a
change only announced or planned, what it is to do ("to end", "to be formed", ...). A list its
source does not give in full ends with a dashed "among others" box.
"""

from __future__ import annotations

from macros.kb.model import Change, Event
from macros.kb.prose import change_words, words_text
from macros.rendering.lifecycle import CHANGE_LABELS, status_label
from macros.rendering.markup import esc, tag

BOX_W, BOX_H, GAP, COL_GAP, PAD, HEAD = 280, 48, 12, 90, 10, 28
MAX_CHARS = 34
SUB_CHARS = 40  # at the sub-line's smaller size, less what its tag takes
OTHERS = "OTHERS"  # the "among others" box
NOTHING = "NOTHING"  # an empty side: a unit formed from nothing named, or dissolved into nothing


def _label(name: str, limit: int = MAX_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


class _Box:
    def __init__(self, unit_id: str, sub: str, tag_text: str, css: str):
        self.unit_id, self.sub, self.tag, self.css = unit_id, sub, tag_text, css


def _before_parent(page, unit_id: str, change: Change) -> str:
    """What the unit was part of before the change: the change's `from`, else the unit's own stated
    parent (not the one the change gives, nor one only announced or planned), else not stated."""
    if change.source_parent:
        return f"part of {page.kb.name_of(change.source_parent)}"
    unit = page.kb.units.get(unit_id)
    for parent in unit.parents if unit else ():
        if parent.unit != change.into and parent.status not in ("announced", "planned"):
            return f"part of {page.kb.name_of(parent.unit)}"
    return "part of: not stated"


def _after_parent(page, unit_id: str) -> str:
    unit = page.kb.units.get(unit_id)
    for parent in unit.parents if unit else ():
        if parent.status != "former":
            return f"part of {page.kb.name_of(parent.unit)}"
    return "part of: not stated"


# A change only announced or planned is drawn as what it is to do: never as done.
_NOT_YET = {"ends": "to end", "result": "to result", "new": "to be formed", "carries on": "to carry on"}


def boxes(page, change: Change) -> tuple[list[_Box], list[_Box]]:
    """The boxes before and after one change; the tags of a change not done say what it is to do."""
    before, after = _boxes(page, change)
    if change.status != "done":
        for box in before + after:
            if box.tag in _NOT_YET:
                box.tag = _NOT_YET[box.tag]
                box.css += " kb-not-yet"
    return before, after


def _boxes(page, change: Change) -> tuple[list[_Box], list[_Box]]:
    kind, into, units = change.change, change.into, change.units
    others = [_Box(OTHERS, "not named by the source", "", "kb-others")] if not change.complete else []
    before = [_Box(u, _before_parent(page, u, change), "", "kb-before") for u in units]
    if kind in ("merger", "renaming", "dissolution"):
        for box in before:
            box.tag, box.css = "ends", "kb-before kb-ends"
    if kind == "merger":
        return before + others, [_Box(into, _after_parent(page, into), "result", "kb-after")]
    if kind == "renaming":
        return before, [_Box(into, "new name", "carries on", "kb-after")]
    if kind == "dissolution":
        return before + others, [_Box(NOTHING, "(none)", "", "kb-none-box")]
    if kind == "regrouping":
        after = [_Box(u, f"part of {page.kb.name_of(into)}", "carries on", "kb-after kb-carries-on") for u in units]
        return before + others, after + others
    # formation
    sub = f"part of {page.kb.name_of(into)}" if into else "part of: not stated"
    return [_Box(NOTHING, "(not yet formed)", "", "kb-none-box")], [
        _Box(u, sub, "new", "kb-after kb-new") for u in units
    ] + others


def _draw(page, box: _Box, x: int, y: int) -> str:
    if box.unit_id == NOTHING:
        return (
            f'<text class="kb-none" x="{x + BOX_W // 2}" y="{y + BOX_H // 2 + 5}" '
            f'text-anchor="middle">{esc(box.sub)}</text>'
        )
    name = "among others" if box.unit_id == OTHERS else page.kb.name_of(box.unit_id)
    inner = (
        f"<title>{esc(name)}</title>"
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
        f'<text x="{x + 10}" y="{y + 20}">{esc(_label(name))}</text>'
        f'<text class="kb-sub" x="{x + 10}" y="{y + 38}">{esc(_label(box.sub, SUB_CHARS - len(box.tag)))}</text>'
        + (
            f'<text class="kb-tag" x="{x + BOX_W - 8}" y="{y + 38}" text-anchor="end">{esc(box.tag)}</text>'
            if box.tag
            else ""
        )
    )
    group = f'<g class="kb-node {box.css}">{inner}</g>'
    if box.unit_id == OTHERS:
        return group
    return f'<a href="{esc(page.link.record("unit", box.unit_id))}">{group}</a>'


def _describe(page, change: Change, left: list[_Box], right: list[_Box]) -> str:
    """The figure in words (its caption and accessible name)."""

    def side(boxes: list[_Box]) -> str:
        out = []
        for box in boxes:
            if box.unit_id == NOTHING:
                out.append(box.sub.strip("()"))
            elif box.unit_id == OTHERS:
                out.append("others not named by the source")
            else:
                tags = f", {box.tag}" if box.tag else ""
                out.append(f"{page.kb.name_of(box.unit_id)} ({box.sub}{tags})")
        return "; ".join(out)

    return f"Before: {side(left)}. After: {side(right)}."


def change_svg(page, change: Change) -> str:
    left, right = boxes(page, change)
    rows = max(len(left), len(right), 1)
    height = HEAD + PAD * 2 + rows * BOX_H + (rows - 1) * GAP
    width = PAD * 2 + BOX_W * 2 + COL_GAP
    parts = [
        f'<text class="kb-col-head" x="{PAD + BOX_W // 2}" y="18" text-anchor="middle">Before</text>',
        f'<text class="kb-col-head" x="{PAD + BOX_W + COL_GAP + BOX_W // 2}" y="18" text-anchor="middle">After</text>',
    ]
    for column, side in ((0, left), (1, right)):
        x = PAD + column * (BOX_W + COL_GAP)
        for index, box in enumerate(side):
            parts.append(_draw(page, box, x, HEAD + PAD + index * (BOX_H + GAP)))
    mid_y = HEAD + PAD + (rows * BOX_H + (rows - 1) * GAP) // 2
    x1, x2 = PAD + BOX_W + 10, PAD + BOX_W + COL_GAP - 10
    parts.append(
        f'<line class="kb-arrow" x1="{x1}" y1="{mid_y}" x2="{x2 - 8}" y2="{mid_y}"/>'
        f'<polygon class="kb-arrowhead" points="{x2},{mid_y} {x2 - 10},{mid_y - 6} {x2 - 10},{mid_y + 6}"/>'
    )
    status = status_label(change)
    heading = CHANGE_LABELS[change.change] + (f" ({status})" if status else "")
    description = f"{heading}: {words_text(page.kb, change_words(change))}. {_describe(page, change, left, right)}"
    return (
        f'<svg role="group" aria-label="{esc(description)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">' + "".join(parts) + "</svg>"
    )


def relations(page, change: Change) -> str:
    """The parent relations the diagram draws before the change, each with its own citation (those after
    are the change's, cited with it)."""
    items = []
    for unit_id in change.units if not change.source_parent else ():
        unit = page.kb.units.get(unit_id)
        for parent in unit.parents if unit else ():
            if parent.unit == change.into or parent.status in ("announced", "planned"):
                continue
            items.append(
                tag(
                    "li",
                    f"Before: {page.claims.record_link(unit_id)} part of {page.claims.record_link(parent.unit)}"
                    + page.span(parent)
                    + page.claims.markers(parent.claim),
                )
            )
            break
    return tag("ul", "".join(items), class_="kb-relations") if items else ""


def change_figure(page, event: Event) -> str:
    """Every change of the event: its diagram, then the change in words with its citations and its status
    as of its source, and the relations before it with theirs."""
    out = []
    for change in event.changes:
        caption = page.lifecycles.change_body(change) + page.claims.markers(change.claim) + relations(page, change)
        out.append(f'<figure class="kb-change">{change_svg(page, change)}<figcaption>{caption}</figcaption></figure>')
    return "".join(out)
