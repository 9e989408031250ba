"""The code's shape: declared dependencies are used, and models are loaded in one place."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "newsprism"

# Distributions nothing names in code, with why they are declared.
USED_WITHOUT_IMPORT = {
    "python-multipart": "FastAPI parses file uploads with it (/api/v1/ingest/files)",
    "lxml-html-clean": "justext, trafilatura's fallback extractor, imports lxml.html.clean",
    "pytest-timeout": "a pytest plugin, configured by `timeout` in pyproject.toml",
    "ruff": "the linter, run as a command",
}
# Where each group of requirements must be used.
SCOPES = {"": ("src",), "postgres": ("src", "tests"), "parquet": ("src",), "ray": ("src",),
          "test": ("tests",), "bench": ("benchmarks",), "train": ("scripts",)}


def _requirements() -> list[tuple[str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"": project["dependencies"], **project.get("optional-dependencies", {})}
    out = []
    for group, reqs in groups.items():
        for req in reqs:
            name = re.match(r"[A-Za-z0-9_.\-]+", req)
            assert name, req
            out.append((group, name.group(0).lower().replace("_", "-")))
    return out


def _modules(dist: str, installed: dict[str, list[str]]) -> set[str]:
    found = {m for m, dists in installed.items() if dist in {d.lower().replace("_", "-") for d in dists}}
    return found or {dist.replace("-", "_")}


def _text(folders: tuple[str, ...]) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for f in folders for p in (ROOT / f).rglob("*.py"))


def test_every_declared_dependency_is_used() -> None:
    texts = {scope: _text(scope) for scope in set(SCOPES.values())}
    installed = importlib.metadata.packages_distributions()
    unused = []
    for group, dist in _requirements():
        if dist in USED_WITHOUT_IMPORT:
            continue
        text = texts[SCOPES.get(group, ("src",))]
        if not any(re.search(rf"\b{re.escape(m)}\b", text) for m in _modules(dist, installed)):
            unused.append(f"{group or 'dependencies'}: {dist}")
    assert not unused, f"declared but never imported: {unused}"


# Model loaders; only ``newsprism/backends.py`` calls them for the stages. The pair judges
# (``verdicts/judges``) also serve ``eval pairs`` and the Python API on their own, so they keep
# their own loaders; the embedder and spaCy modules define them.
LOADERS = {"get_embedder", "load_spacy", "get_judge"}
MAY_LOAD = ("backends.py", "engines/embedder.py", "engines/nlp.py", "verdicts/judges/", "cli/eval_pairs.py")


def _calls(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            names.add(name)
    return names


def test_models_are_loaded_in_one_place() -> None:
    loading = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(MAY_LOAD):
            continue
        found = _calls(path) & LOADERS
        if found:
            loading.append(f"{rel}: {sorted(found)}")
    assert not loading, f"models loaded outside newsprism/backends.py: {loading}"


def test_stages_take_their_models_and_never_load_one() -> None:
    from newsprism.align.stage import AlignStage
    from newsprism.claims.stage import ClaimsStage
    from newsprism.reuse.options import ReuseOptions
    from newsprism.reuse.stage import analyze
    from newsprism.stories.score import StoryOptions
    from newsprism.stories.stage import StoriesStage

    with pytest.raises(TypeError):
        ClaimsStage()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        AlignStage()  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="embedder"):
        StoriesStage(StoryOptions(w_embedding=0.5))
    with pytest.raises(ValueError, match="embedder"):
        analyze([], ReuseOptions(rewrite=True))


def test_the_registry_hands_each_stage_the_shared_backends() -> None:
    from newsprism.analysis import STAGES, PipelineOptions, build_pipeline

    embedder, nlp = object(), object()
    options = PipelineOptions(backends={"embedder": embedder, "nlp": nlp})
    assembled = build_pipeline(options)
    assert [s.name for s in assembled.stages] == list(STAGES)
    assert all(s.built is None for s in assembled.stages)  # nothing built (no model loaded) yet
    built = {s.name: s.build() for s in assembled.stages}
    assert built["reuse"].embedder is embedder and built["align"].embedder is embedder
    assert built["claims"].tagger.nlp is nlp
    assert built["stories"].embedder is None and built["verdicts"].judge is None  # not asked for


# Paths docs/architecture.md names as examples of what a new engineer would write.
DOC_EXAMPLES = {"src/newsprism/quotes/stage.py", "store/migrations/mNNNN_name.py"}


def test_the_architecture_doc_names_files_that_exist() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w/.-]+\.(?:py|md))`", text)) | set(re.findall(r"\| `(\w+/)`", text))
    files = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if ".git" not in p.parts]
    folders = {f + "/" for f in files if (ROOT / f).is_dir()}
    missing = sorted(n for n in named - DOC_EXAMPLES
                     if not any(f == n or f.endswith("/" + n) for f in (*files, *folders)))
    assert len(named) > 30 and not missing, missing
