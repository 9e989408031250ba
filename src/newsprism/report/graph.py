"""Copy-graph layout computed in Python, drawn as inline SVG by the templates.

Articles are nodes; reuse pairs are edges. Directed edges run from the source to the article that
reused it, and nodes are placed in rows by their longest copy chain, so the originals sit at the top
and reprints of reprints below them: a long chain grows down the page, which reads on a phone.
Undirected pairs (direction unknown) are drawn dashed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from newsprism.report.types import ReportArticle, ReusePair

NODE_W = 190
NODE_H = 46
COL_GAP = 30
ROW_GAP = 56
MARGIN = 16


@dataclass(slots=True)
class Node:
    id: str
    label: str
    sub: str
    x: float = 0.0
    y: float = 0.0
    row: int = 0


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


def edge_endpoints(pair: ReusePair) -> tuple[str, str, bool]:
    """(source, target, directed) for a reuse pair; ``direction`` names the flow, ``"a->b"`` or ``"b->a"``."""
    if pair.direction == "a->b":
        return pair.a, pair.b, True
    if pair.direction == "b->a":
        return pair.b, pair.a, True
    return pair.a, pair.b, False


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


def _curve(edge: Edge, p1: tuple[float, float], c1: tuple[float, float], c2: tuple[float, float],
           p2: tuple[float, float]) -> None:
    """Set a cubic path from the edge's source end ``p1`` to its target end ``p2``, label at its middle."""
    (x1, y1), (ax, ay), (bx, by), (x2, y2) = p1, c1, c2, p2
    edge.path = f"M{x1:.0f},{y1:.0f} C{ax:.0f},{ay:.0f} {bx:.0f},{by:.0f} {x2:.0f},{y2:.0f}"
    edge.lx = (p1[0] + 3 * c1[0] + 3 * c2[0] + p2[0]) / 8
    edge.ly = (p1[1] + 3 * c1[1] + 3 * c2[1] + p2[1]) / 8 - 3


def _route(edge: Edge, s: Node, t: Node, side: float) -> None:
    """Adjacent rows: straight down. Same row: bow below. Rows apart: out to the right of the nodes
    in between (``side``), so an edge never crosses a node box."""
    if t.row == s.row + 1 or s.row == t.row + 1:
        sx, tx = s.x + NODE_W / 2, t.x + NODE_W / 2
        sy, ty = (s.y + NODE_H, t.y) if t.row > s.row else (s.y, t.y + NODE_H)
        mid = (sy + ty) / 2
        _curve(edge, (sx, sy), (sx, mid), (tx, mid), (tx, ty))
    elif s.row == t.row:
        sx, tx, y = s.x + NODE_W / 2, t.x + NODE_W / 2, s.y + NODE_H
        _curve(edge, (sx, y), (sx, y + 34), (tx, y + 34), (tx, y))
    else:
        # Leave through the gap below (or above) the source's row, then sweep out to the side.
        down = t.row > s.row
        sx, sy = s.x + NODE_W - 14, s.y + (NODE_H if down else 0)
        ty = t.y + NODE_H / 2
        gap = sy + (ROW_GAP * 0.8 if down else -ROW_GAP * 0.8)
        _curve(edge, (sx, sy), (side, gap), (side, ty), (t.x + NODE_W, ty))


def layout(articles: Sequence[ReportArticle], pairs: Sequence[ReusePair]) -> Graph:
    """Place article nodes (labelled with their display names) in rows and route reuse edges between them."""
    graph = Graph()
    order = sorted(articles, key=lambda a: (a.published or "~", a.id))
    nodes = {
        a.id: Node(a.id, _truncate(a.name, 26),
                   _truncate((a.published or "date unknown")[:16].replace("T", " "), 24))
        for a in order
    }
    for p in pairs:
        source, target, directed = edge_endpoints(p)
        if source in nodes and target in nodes and source != target:
            kind = p.type or "reuse"
            label = f"{kind} {p.confidence:.2f}" if p.confidence is not None else kind
            graph.edges.append(Edge(source, target, kind, directed, label))
    depth = _layers(list(nodes), graph.edges)
    linked = {e.source for e in graph.edges} | {e.target for e in graph.edges}
    if linked:
        # Articles that share no text with any other go in a last row of their own.
        last = max(depth[i] for i in linked) + 1
        depth.update({i: last for i in nodes if i not in linked})
    rows: dict[int, list[Node]] = {}
    for node in nodes.values():
        rows.setdefault(depth[node.id], []).append(node)
    for r, (_, members) in enumerate(sorted(rows.items())):
        for c, node in enumerate(members):
            node.x = MARGIN + c * (NODE_W + COL_GAP)
            node.y = MARGIN + r * (NODE_H + ROW_GAP)
            node.row = r
    right = {n.row: 0.0 for n in nodes.values()}
    for node in nodes.values():
        right[node.row] = max(right[node.row], node.x + NODE_W)
    widest = max(right.values(), default=0.0)
    n_side = 0
    placed: list[tuple[float, float]] = []
    for edge in graph.edges:
        s, t = nodes[edge.source], nodes[edge.target]
        lo, hi = sorted((s.row, t.row))
        side = 0.0
        if hi - lo > 1:
            n_side += 1
            side = max(right[r] for r in range(lo, hi + 1)) + 40 + 34 * n_side
            widest = max(widest, side + 10)
        _route(edge, s, t, side)
        # Nudge a label down while it would sit on top of an earlier one.
        while any(abs(edge.lx - x) < 60 and abs(edge.ly - y) < 11 for x, y in placed):
            edge.ly += 12
        placed.append((edge.lx, edge.ly))
    graph.nodes = list(nodes.values())
    n_rows = max(len(rows), 1)
    graph.width = widest + MARGIN + 40
    graph.height = 2 * MARGIN + n_rows * NODE_H + (n_rows - 1) * ROW_GAP + 40
    return graph
