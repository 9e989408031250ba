"""No import cycle among newsprism's modules, deferred (function-level) imports included.

A cycle hidden behind an import inside a function still ties two modules together: neither can be
understood, tested or moved without the other. The graph is read from the source (``ast``), so
the test needs nothing installed; imports under ``if TYPE_CHECKING:`` are annotations only and
are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "newsprism"


def _module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, name: str, is_package: bool, known: set[str]) -> set[str]:
    if isinstance(node, ast.Import):
        return {a.name for a in node.names}
    base = node.module or ""
    if node.level:
        here = name.split(".") if is_package else name.split(".")[:-1]
        base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else []))
    # ``from package import module`` depends on the module, not on the package's own code.
    submodules = {f"{base}.{a.name}" for a in node.names} & known
    return submodules if len(submodules) == len(node.names) else {base} | submodules


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    files = {_module_name(p, src): p for p in src.rglob("*.py")}
    known = set(files)
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                node.body = []
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found |= _imported(node, name, path.name == "__init__.py", known)
        graph[name] = (found & known) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_detector_finds_a_deferred_cycle(tmp_path: Path) -> None:
    pkg = tmp_path / "newsprism"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("from newsprism.sub.b import g\n")
    (pkg / "sub" / "b.py").write_text("def g():\n    from . import a\n")
    # c and d: d imports c for annotations only, which is no cycle.
    (pkg / "sub" / "c.py").write_text("import newsprism.sub.d\n")
    (pkg / "sub" / "d.py").write_text("import typing\nif typing.TYPE_CHECKING:\n    import newsprism.sub.c\n")
    assert cycles(import_graph(pkg)) == [["newsprism.sub.a", "newsprism.sub.b"]]


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, f"import cycles among newsprism modules: {found}"
