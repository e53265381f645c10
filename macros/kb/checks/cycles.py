"""Units that are their own ancestors."""

from __future__ import annotations

from macros.kb.problems import Problem


def check_cycles(parents: dict[str, list[str]], locate) -> list[Problem]:
    """Units that are their own ancestors. `parents`: unit id -> the ids of its parents, in order;
    `locate(unit, index)`: where (.path, .line, .col) the unit's parent number `index` is written."""
    problems, reported = [], set()
    for start in sorted(parents):
        trail = _path_back_to(start, parents)
        if trail is None or len(trail) < 2 or frozenset(trail) in reported:
            continue  # a unit that is its own parent is reported as self-ref
        reported.add(frozenset(trail))
        loc = locate(start, parents[start].index(trail[1]))
        problems.append(
            Problem(
                loc.path,
                loc.line,
                loc.col,
                "cycle",
                f"unit '{start}' is its own ancestor: {' -> '.join((*trail, start))}",
                "a unit cannot be part of itself: remove one of these parents",
            )
        )
    return problems


def _path_back_to(start: str, parents: dict[str, list[str]]) -> tuple[str, ...] | None:
    """A chain of parents from `start` that leads back to it, or None."""
    stack, seen = [(start, (start,))], set()
    while stack:
        node, trail = stack.pop()
        for parent in parents.get(node, ()):
            if parent == start:
                return trail
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, trail + (parent,)))
    return None
