"""Assembling and running the analyze pipeline: reuse -> stories -> claims -> align -> verdicts.

Each stage is imported by its contract path when the pipeline is built. A stage whose module cannot
be imported or constructed is recorded as *absent* with the reason, and a stage whose input layer is
missing is *skipped* with the reason; neither is ever replaced by a stand-in, so the report says
exactly what was computed. A stage that raises while running is recorded as *failed* and the stages
that do not depend on it still run.
"""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.model import Article
from newsprism.pipeline import ARTICLES, Batch, Pipeline, Stage
from newsprism.progress import StepHook, reporting

ProgressHook = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class StageSpec:
    """Where a stage lives (the contract between helpers) and the layer it provides."""

    name: str
    module: str
    attr: str
    layer: str


STAGE_SPECS: tuple[StageSpec, ...] = (
    StageSpec("reuse", "newsprism.reuse.stage", "ReuseStage", "reuse"),
    StageSpec("stories", "newsprism.stories.stage", "StoriesStage", "stories"),
    StageSpec("claims", "newsprism.claims.stage", "ClaimsStage", "claims"),
    StageSpec("align", "newsprism.align.stage", "AlignStage", "alignment"),
    StageSpec("verdicts", "newsprism.verdicts.stage", "VerdictsStage", "verdicts"),
)
STAGE_NAMES = tuple(s.name for s in STAGE_SPECS)


@dataclass(slots=True)
class StageRecord:
    """What happened to one stage in a run: ``ran``, ``absent``, ``skipped`` or ``failed``."""

    name: str
    layer: str
    status: str
    seconds: float | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "layer": self.layer, "status": self.status}
        if self.seconds is not None:
            out["seconds"] = round(self.seconds, 4)
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class PipelineOptions:
    """What to run and how. ``stage_options`` maps a stage name to its options dataclass instance."""

    stages: Sequence[str] | None = None  # None: every stage in STAGE_SPECS
    embedder: str | None = None  # a sentence-transformers model name; None: the offline default
    # A pair judge (``offline``, ``nli``, ``chat``) that re-checks slot-light conflicts; None: no review.
    judge: str | None = None
    stage_options: dict[str, Any] = field(default_factory=dict)
    backends: dict[str, Any] = field(default_factory=dict)  # injected "embedder"/"nlp" objects (tests)
    # Languages to compare; None: those the embedder, spaCy pipeline and judge named here all handle
    # (``newsprism.language.MODEL_LANGUAGES``). Articles in others are reported, not compared.
    languages: Sequence[str] | None = None

    def compared_languages(self) -> frozenset[str]:
        from newsprism.language import compared_languages

        claims = self.stage_options.get("claims")
        spacy_model = getattr(claims, "spacy_model", None)
        models = [self.embedder, spacy_model] + ([self.judge] if self.judge else [])
        return compared_languages(models, self.languages)


class _Deferred:
    """Stands for a backend until first use, then forwards every attribute to it."""

    def __init__(self, load: Callable[[], Any]):
        self._load = load
        self._target: Any = None

    def __getattr__(self, attr: str) -> Any:
        if self._target is None:
            self._target = self._load()
        return getattr(self._target, attr)


class Backends:
    """Model backends shared by the stages of one pipeline, loaded on first request.

    Sharing one embedder means a sentence embedded for claims is not embedded again for alignment.
    """

    def __init__(self, options: PipelineOptions):
        self._options = options
        self._loaded: dict[str, Any] = dict(options.backends)

    def get(self, name: str) -> Any:
        if name not in self._loaded:
            # A stage that only might embed (stories with embedding weight 0, reuse without a rewrite
            # candidate) gets a handle; the model loads when something is first encoded.
            lazy = name == "embedder"
            self._loaded[name] = _Deferred(lambda: self._load(name)) if lazy else self._load(name)
        return self._loaded[name]

    def _load(self, name: str) -> Any:
        if name == "embedder":
            from newsprism.engines.embedder import get_embedder

            return get_embedder(self._options.embedder)
        if name == "nlp":
            from newsprism.engines.nlp import load_spacy

            return load_spacy()
        if name == "judge":
            from newsprism.verdicts.judges import get_judge

            return get_judge(self._options.judge)
        raise KeyError(f"unknown backend {name!r}")


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _construct(spec: StageSpec, cls: type, options: PipelineOptions, backends: Backends) -> Stage:
    params = inspect.signature(cls).parameters
    args: list[Any] = []
    if spec.name in options.stage_options:
        args.append(options.stage_options[spec.name])
    kwargs: dict[str, Any] = {}
    for backend in ("embedder", "nlp", "judge"):
        param = params.get(backend)
        if param is None:
            continue
        if backend == "judge":
            # A judge reviews only when asked for: it costs a transformer pass per reviewed pair.
            if options.judge or backend in options.backends:
                kwargs[backend] = backends.get(backend)
            continue
        # The embedder is always shared (one cache); spaCy only when the stage cannot load its own.
        if backend == "embedder" or param.default is inspect.Parameter.empty or backend in options.backends:
            kwargs[backend] = backends.get(backend)
    return cls(*args, **kwargs)


def import_stage(spec: StageSpec) -> type | StageRecord:
    """The stage class, or an ``absent`` record saying why it could not be imported."""
    try:
        module = importlib.import_module(spec.module)
    except ImportError as exc:
        return StageRecord(spec.name, spec.layer, "absent", reason=f"{spec.module} not importable ({exc})")
    cls = getattr(module, spec.attr, None)
    if cls is None:
        return StageRecord(spec.name, spec.layer, "absent", reason=f"{spec.module} has no {spec.attr}")
    return cls


def load_stage(spec: StageSpec, options: PipelineOptions, backends: Backends) -> Stage | StageRecord:
    """The constructed stage, or an ``absent`` record saying why it could not be had."""
    cls = import_stage(spec)
    if isinstance(cls, StageRecord):
        return cls
    try:
        return _construct(spec, cls, options, backends)
    except Exception as exc:  # noqa: BLE001 - any failure to build a stage makes it absent, with why
        return StageRecord(spec.name, spec.layer, "absent", reason=f"could not construct: {_error_text(exc)}")


@dataclass
class AnalysisPipeline:
    """The stages that could be assembled, the records of those that could not, and a runner."""

    stages: list[Stage]
    records: list[StageRecord]  # one per requested stage, in order; present ones say "ready"
    pipeline: Pipeline
    # What it was built from: an engine running stages elsewhere builds its own copies from these.
    options: PipelineOptions = field(default_factory=PipelineOptions)

    @property
    def present(self) -> list[str]:
        return [s.name for s in self.stages]

    @property
    def absent(self) -> list[StageRecord]:
        return [r for r in self.records if r.status != "ready"]

    def run(
        self, articles: Sequence[Article], progress: ProgressHook | None = None
    ) -> tuple[Batch, list[StageRecord]]:
        return run_stages(self, Batch.of(articles), progress)


def _missing_requirements(stage: Any, available: set[str], why: dict[str, str]) -> str | None:
    missing = sorted(set(getattr(stage, "requires", ())) - available)
    if not missing:
        return None
    reasons = [f"layer {m!r} unavailable ({why.get(m, 'no stage provides it')})" for m in missing]
    return "; ".join(reasons)


def _resolve(
    spec: StageSpec, options: PipelineOptions, backends: Backends, available: set[str], why: dict[str, str]
) -> Stage | StageRecord:
    # A class that declares its inputs is checked before it is built, so a stage that cannot run
    # never loads its models.
    cls = import_stage(spec)
    if isinstance(cls, StageRecord):
        return cls
    reason = _missing_requirements(cls, available, why)
    if reason:
        return StageRecord(spec.name, spec.layer, "skipped", reason=reason)
    stage = load_stage(spec, options, backends)
    if isinstance(stage, StageRecord):
        return stage
    # An instance may declare different inputs than its class (options can add some).
    reason = _missing_requirements(stage, available, why)
    return StageRecord(spec.name, spec.layer, "skipped", reason=reason) if reason else stage


def build_pipeline(
    options: PipelineOptions | None = None,
    specs: Sequence[StageSpec] | None = None,
    provided: Sequence[str] = (),
) -> AnalysisPipeline:
    """Import and construct the requested stages; keep those whose inputs some earlier stage provides
    or the batch will hold already (``provided``: layers read from the store)."""
    options = options or PipelineOptions()
    specs = STAGE_SPECS if specs is None else specs
    names = [spec.name for spec in specs]
    wanted = list(options.stages) if options.stages is not None else names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; known: {names}")
    backends = Backends(options)
    available, why = {ARTICLES, *provided}, {}
    stages: list[Stage] = []
    records: list[StageRecord] = []
    for spec in specs:
        if spec.name not in wanted:
            why[spec.layer] = f"stage {spec.name} not selected"
            continue
        loaded = _resolve(spec, options, backends, available, why)
        if isinstance(loaded, StageRecord):
            records.append(loaded)
            why[spec.layer] = f"stage {spec.name} {loaded.status}"
            continue
        stages.append(loaded)
        records.append(StageRecord(spec.name, spec.layer, "ready"))
        available |= set(loaded.provides)
    return AnalysisPipeline(stages, records, Pipeline(stages, given=frozenset(provided)), options)


def _step_hook(progress: ProgressHook | None, name: str) -> StepHook | None:
    """A stage's inner ticks as the runner's progress phase ``"claims/articles"``."""
    if progress is None:
        return None
    return lambda done, total, unit: progress(f"{name}/{unit}", done, total)


def _run_here(stage: Stage, batch: Batch) -> Batch:
    return stage.run(batch)


# How one stage runs over a batch: in this process, or (the Ray engine) partitioned on a cluster.
StageRunner = Callable[[Stage, Batch], Batch]


def run_stages(
    assembled: AnalysisPipeline,
    batch: Batch,
    progress: ProgressHook | None = None,
    runner: StageRunner = _run_here,
) -> tuple[Batch, list[StageRecord]]:
    """Run each ready stage in order, timing it; a failure is recorded and its dependants skipped."""
    by_name = {s.name: s for s in assembled.stages}
    out: list[StageRecord] = []
    failed: dict[str, str] = {}
    total = len(assembled.stages)
    done = 0
    for record in assembled.records:
        if record.status != "ready":
            out.append(record)
            continue
        stage = by_name[record.name]
        if progress:
            progress(stage.name, done, total)
        done += 1
        lost = sorted(set(stage.requires) & set(failed))
        if lost:
            reason = "; ".join(f"layer {name!r} unavailable ({failed[name]})" for name in lost)
            out.append(StageRecord(stage.name, record.layer, "skipped", reason=reason))
            failed.update({layer: f"stage {stage.name} skipped" for layer in stage.provides})
            continue
        t0 = time.perf_counter()
        try:
            with reporting(_step_hook(progress, stage.name)):
                result = runner(stage, batch)
            missing = sorted(set(stage.provides) - set(result.layers))
            if missing:
                raise RuntimeError(f"stage did not provide {missing}")
        except Exception as exc:  # noqa: BLE001 - one failing stage must not lose the others' results
            seconds = time.perf_counter() - t0
            out.append(StageRecord(stage.name, record.layer, "failed", seconds, _error_text(exc)))
            failed.update({layer: f"stage {stage.name} failed" for layer in stage.provides})
            continue
        batch = result
        out.append(StageRecord(stage.name, record.layer, "ran", time.perf_counter() - t0))
    if progress:
        progress("done", total, total)
    return batch, out
