"""Connected components over an edge list, shared by the copy graph and story summaries."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


def connected_components(nodes: Sequence[Node], edges: Iterable[tuple[Node, Node]]) -> list[list[Node]]:
    """Components in the order their first node appears in ``nodes``; edges to unknown nodes are ignored."""
    parent: dict[Node, Node] = {n: n for n in nodes}

    def find(x: Node) -> Node:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra
    comps: dict[Node, list[Node]] = {}
    for n in nodes:
        comps.setdefault(find(n), []).append(n)
    return list(comps.values())
