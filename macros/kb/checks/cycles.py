"""Units that are their own ancestors.

Walked without recursion, and each unit's ancestors once per cycle it may be on: a chain of parents
as long as the knowledge base (thousands of units) is checked in about the time of a short one.
"""

from __future__ import annotations

from macros.kb.problems import Problem


def check_cycles(parents: dict[str, list[str]], locate) -> list[Problem]:
    """Units that are their own ancestors. `parents`: unit id -> the ids of its parents, in order;
    `locate(unit, index)`: where (.path, .line, .col) the unit's parent number `index` is written."""
    problems, reported = [], set()
    for component in _strongly_connected(parents):
        if len(component) < 2:
            continue  # a unit that is its own parent is reported as self-ref
        members = set(component)
        # Its own parent (a self-ref) is no way round a cycle: a walk that took it would end at once.
        inside = {unit: [p for p in dict.fromkeys(parents[unit]) if p in members and p != unit] for unit in component}
        # A plain ring: every unit on it finds the same cycle, found once from its first unit.
        starts = [min(component)] if all(len(p) == 1 for p in inside.values()) else sorted(component)
        for start in starts:
            trail = _path_back_to(start, inside)
            if trail is None or frozenset(trail) in reported:
                continue
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
    """A chain of parents from `start` that leads back to it, or None (depth first, the last parent
    written first; each unit is reached once, and remembers from where)."""
    stack, came_from = [start], {start: None}
    while stack:
        node = stack.pop()
        for parent in parents.get(node, ()):
            if parent == start:
                trail = [node]
                while came_from[trail[-1]] is not None:
                    trail.append(came_from[trail[-1]])
                return tuple(reversed(trail))
            if parent not in came_from:
                came_from[parent] = node
                stack.append(parent)
    return None


def _strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of `graph` (node -> successors), without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in graph:
                    continue
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph.get(successor, ()))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components
