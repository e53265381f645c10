"""Before-and-after diagrams of reorganizations, drawn as inline SVG at build
time (no diagram library loaded from a CDN at view time)."""

from __future__ import annotations

from macros.kb.model import Event, KnowledgeBase
from macros.rendering.markup import Linker, esc

BOX_W, BOX_H, GAP, COL_GAP, PAD, HEAD = 280, 40, 12, 90, 10, 28
MAX_CHARS = 34


def _label(name: str) -> str:
    return name if len(name) <= MAX_CHARS else name[: MAX_CHARS - 1] + "…"


def _box(x: int, y: int, name: str, href: str, css: str) -> str:
    return (
        f'<a href="{esc(href)}"><g class="kb-node {css}"><title>{esc(name)}</title>'
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
        f'<text x="{x + BOX_W // 2}" y="{y + BOX_H // 2 + 5}" text-anchor="middle">{esc(_label(name))}</text>'
        f"</g></a>"
    )


def change_svg(kb: KnowledgeBase, event: Event, link: Linker) -> str:
    """Original units on the left, resulting units on the right, an arrow between."""
    left, right = list(event.original_units), list(event.resulting_units)
    rows = max(len(left), len(right), 1)
    height = HEAD + PAD * 2 + rows * BOX_H + (rows - 1) * GAP
    width = PAD * 2 + BOX_W * 2 + COL_GAP
    parts = [
        f'<text class="kb-col-head" x="{PAD + BOX_W // 2}" y="18" text-anchor="middle">Before</text>',
        f'<text class="kb-col-head" x="{PAD + BOX_W + COL_GAP + BOX_W // 2}" y="18" text-anchor="middle">After</text>',
    ]
    for column, ids, css in ((0, left, "kb-before"), (1, right, "kb-after")):
        x = PAD + column * (BOX_W + COL_GAP)
        if not ids:
            parts.append(
                f'<text class="kb-none" x="{x + BOX_W // 2}" y="{HEAD + PAD + BOX_H // 2 + 5}" '
                f'text-anchor="middle">(none named)</text>'
            )
        for index, unit_id in enumerate(ids):
            y = HEAD + PAD + index * (BOX_H + GAP)
            parts.append(_box(x, y, kb.name_of(unit_id), link.record("unit", unit_id), css))
    mid_y = HEAD + PAD + (rows * BOX_H + (rows - 1) * GAP) // 2
    x1, x2 = PAD + BOX_W + 10, PAD + BOX_W + COL_GAP - 10
    parts.append(
        f'<line class="kb-arrow" x1="{x1}" y1="{mid_y}" x2="{x2 - 8}" y2="{mid_y}"/>'
        f'<polygon class="kb-arrowhead" points="{x2},{mid_y} {x2 - 10},{mid_y - 6} {x2 - 10},{mid_y + 6}"/>'
    )
    names = ", ".join(kb.name_of(i) for i in left) or "no units named"
    after = ", ".join(kb.name_of(i) for i in right) or "no units named"
    description = f"Before: {names}. After: {after}."
    return (
        f'<figure class="kb-change"><svg role="group" aria-label="{esc(description)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(parts)
        + f"</svg><figcaption>{esc(description)}</figcaption></figure>"
    )
