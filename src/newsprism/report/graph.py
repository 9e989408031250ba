"""Copy-graph layout computed in Python, drawn as inline SVG by the templates.

Articles are nodes; reuse pairs are edges. Directed edges run from the source to the article that
reused it, and nodes are placed in layers by their longest copy chain, so the originals sit on the
left and reprints of reprints on the right. Undirected pairs (direction unknown) are drawn dashed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

NODE_W = 190
NODE_H = 46
COL_GAP = 90
ROW_GAP = 22
MARGIN = 16


@dataclass(slots=True)
class Node:
    id: str
    label: str
    sub: str
    x: float = 0.0
    y: float = 0.0


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    kind: str
    directed: bool
    label: str
    path: str = ""
    lx: float = 0.0
    ly: float = 0.0


@dataclass(slots=True)
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    node_w: int = NODE_W
    node_h: int = NODE_H


def edge_endpoints(pair: dict[str, Any]) -> tuple[str, str, bool]:
    """(source, target, directed) for a reuse pair; ``direction`` names the flow, e.g. ``"a->b"``."""
    a, b = str(pair.get("a")), str(pair.get("b"))
    direction = str(pair.get("direction") or "").replace(" ", "").lower()
    if direction in ("a->b", "a_to_b", "forward"):
        return a, b, True
    if direction in ("b->a", "b_to_a", "backward"):
        return b, a, True
    return a, b, False


def _layers(ids: Sequence[str], edges: Sequence[Edge]) -> dict[str, int]:
    depth = {i: 0 for i in ids}
    # Longest-path relaxation bounded by the node count, so a cycle cannot loop forever.
    for _ in range(len(ids)):
        changed = False
        for e in edges:
            if not (e.directed and e.source in depth and e.target in depth):
                continue
            if depth[e.target] < depth[e.source] + 1:
                depth[e.target] = min(depth[e.source] + 1, len(ids))
                changed = True
        if not changed:
            break
    return depth


def _truncate(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _route(edge: Edge, nodes: dict[str, Node]) -> None:
    s, t = nodes[edge.source], nodes[edge.target]
    if abs(s.x - t.x) < 1:  # same column: bow out to the right
        x1, y1 = s.x + NODE_W, s.y + NODE_H / 2
        x2, y2 = t.x + NODE_W, t.y + NODE_H / 2
        bow = x1 + 40 + abs(y2 - y1) * 0.15
        edge.path = f"M{x1:.0f},{y1:.0f} C{bow:.0f},{y1:.0f} {bow:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
        edge.lx, edge.ly = bow - 6, (y1 + y2) / 2
        return
    if s.x > t.x:
        s, t = t, s
    x1, y1 = s.x + NODE_W, s.y + NODE_H / 2
    x2, y2 = t.x, t.y + NODE_H / 2
    mid = (x1 + x2) / 2
    edge.path = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    if edge.source != s.id:  # keep the arrow pointing at the reusing article
        edge.path = f"M{x2:.0f},{y2:.0f} C{mid:.0f},{y2:.0f} {mid:.0f},{y1:.0f} {x1:.0f},{y1:.0f}"
    edge.lx, edge.ly = mid, (y1 + y2) / 2 - 4


def layout(
    articles: Sequence[dict[str, Any]], pairs: Sequence[dict[str, Any]], names: dict[str, str] | None = None
) -> Graph:
    """Place article nodes in layers and route reuse edges between them; ``names`` labels the nodes."""
    names = names or {}
    graph = Graph()
    order = sorted(articles, key=lambda a: (str(a.get("published") or "~"), str(a.get("id"))))
    nodes = {
        str(a["id"]): Node(
            str(a["id"]),
            _truncate(str(names.get(str(a["id"])) or a.get("outlet") or a["id"]), 26),
            _truncate(str(a.get("published") or "date unknown")[:16].replace("T", " "), 24),
        )
        for a in order
    }
    for p in pairs:
        source, target, directed = edge_endpoints(p)
        if source in nodes and target in nodes and source != target:
            kind = str(p.get("type") or "reuse")
            conf = p.get("confidence")
            label = kind if conf is None else f"{kind} {float(conf):.2f}"
            graph.edges.append(Edge(source, target, kind, directed, label))
    depth = _layers(list(nodes), graph.edges)
    columns: dict[int, list[Node]] = {}
    for node in nodes.values():
        columns.setdefault(depth[node.id], []).append(node)
    for col, (_, members) in enumerate(sorted(columns.items())):
        for row, node in enumerate(members):
            node.x = MARGIN + col * (NODE_W + COL_GAP)
            node.y = MARGIN + row * (NODE_H + ROW_GAP)
    placed: list[tuple[float, float]] = []
    for edge in graph.edges:
        _route(edge, nodes)
        # Nudge a label down while it would sit on top of an earlier one.
        while any(abs(edge.lx - x) < 60 and abs(edge.ly - y) < 11 for x, y in placed):
            edge.ly += 12
        placed.append((edge.lx, edge.ly))
    graph.nodes = list(nodes.values())
    n_cols = max(len(columns), 1)
    n_rows = max((len(m) for m in columns.values()), default=1)
    graph.width = 2 * MARGIN + n_cols * NODE_W + (n_cols - 1) * COL_GAP + 60
    graph.height = 2 * MARGIN + n_rows * NODE_H + (n_rows - 1) * ROW_GAP
    return graph
