"""The stage runner: the registry of analyze stages and the loop that runs them.

``STAGES`` maps each stage name to its ``StageSpec``: the module and class that implement it (the
contract path, imported when a pipeline is built) and the factory that builds it from its options
and the shared ``Backends`` (``newsprism.backends``: the one place models are loaded). A stage
whose module cannot be imported is recorded as *absent* with the reason, and a stage whose input
layer is missing is *skipped* with the reason; neither is ever replaced by a stand-in, so the report
says exactly what was computed. A stage is built, its models loaded, just before it first runs, so
a run with nothing to analyse loads no model. A stage that raises while being built or run is
recorded as *failed* and the stages that do not depend on it still run.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.backends import Backends, Models
from newsprism.model import Article
from newsprism.pipeline import ARTICLES, Batch, Stage
from newsprism.progress import StepHook, reporting

ProgressHook = Callable[[str, int, int], None]
# (stage class, its options from ``PipelineOptions.stage_options`` or None, the shared models) -> stage
StageFactory = Callable[[type, Any, Backends], Stage]


def _without_models(cls: type, options: Any, backends: Backends) -> Stage:
    return cls(options) if options is not None else cls()


def _reuse(cls: type, options: Any, backends: Backends) -> Stage:
    from newsprism.reuse.options import ReuseOptions

    options = options or ReuseOptions()
    # Only rewrite detection embeds (paraphrased copies); exact reuse needs no model.
    return cls(options, backends.embedder if options.rewrite else None)


def _stories(cls: type, options: Any, backends: Backends) -> Stage:
    from newsprism.stories.score import StoryOptions

    options = options or StoryOptions()
    # The chosen configuration gives lead embeddings no weight: then no model is loaded.
    return cls(options, embedder=backends.embedder if options.w_embedding > 0 else None)


def _claims(cls: type, options: Any, backends: Backends) -> Stage:
    return cls(options, nlp=backends.nlp)


def _align(cls: type, options: Any, backends: Backends) -> Stage:
    return cls(options, embedder=backends.embedder)


def _verdicts(cls: type, options: Any, backends: Backends) -> Stage:
    # The parser is handed over unloaded: only a story with two dates that may conflict loads it.
    return cls(options, judge=backends.judge, parser=lambda: backends.parser)


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A registered stage: its name, where it lives, the layer it provides and how it is built
    (``factory``; None: its class called with its options alone, for a stage that needs no model)."""

    name: str
    module: str
    attr: str
    layer: str
    factory: StageFactory | None = None

    def load_class(self) -> type | StageRecord:
        """The stage class, or an ``absent`` record saying why it could not be imported."""
        try:
            module = importlib.import_module(self.module)
        except ImportError as exc:
            reason = f"{self.module} not importable ({exc})"
            return StageRecord(self.name, self.layer, "absent", reason=reason)
        cls = getattr(module, self.attr, None)
        if cls is None:
            return StageRecord(self.name, self.layer, "absent", reason=f"{self.module} has no {self.attr}")
        return cls

    def build(self, cls: type, options: PipelineOptions, backends: Backends) -> Stage:
        return (self.factory or _without_models)(cls, options.stage_options.get(self.name), backends)


# The registry, in run order. To add a stage: write a class with ``name``, ``requires``,
# ``provides`` and ``run(batch) -> batch`` (``newsprism.pipeline.Stage``) and register it here.
STAGES: dict[str, StageSpec] = {
    s.name: s
    for s in (
        StageSpec("reuse", "newsprism.reuse.stage", "ReuseStage", "reuse", _reuse),
        StageSpec("stories", "newsprism.stories.stage", "StoriesStage", "stories", _stories),
        StageSpec("claims", "newsprism.claims.stage", "ClaimsStage", "claims", _claims),
        StageSpec("align", "newsprism.align.stage", "AlignStage", "alignment", _align),
        StageSpec("verdicts", "newsprism.verdicts.stage", "VerdictsStage", "verdicts", _verdicts),
    )
}
STAGE_NAMES = tuple(STAGES)


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

    stages: Sequence[str] | None = None  # None: every registered stage
    embedder: str | None = None  # a sentence-transformers model name; None: the offline default
    # A pair judge (``offline``, ``nli``, ``chat``) that re-checks slot-light conflicts; None: no review.
    judge: str | None = None
    stage_options: dict[str, Any] = field(default_factory=dict)
    backends: dict[str, Any] = field(default_factory=dict)  # injected "embedder"/"nlp"/"judge" objects
    # Languages to compare; None: those the embedder, spaCy pipeline and judge named here all handle
    # (``newsprism.language.MODEL_LANGUAGES``). Articles in others are reported, not compared.
    languages: Sequence[str] | None = None

    def models(self) -> Models:
        """The models these options name (the spaCy pipeline is the claims stage's option)."""
        spacy_model = getattr(self.stage_options.get("claims"), "spacy_model", None)
        return Models(self.embedder, spacy_model, self.judge)

    def compared_languages(self) -> frozenset[str]:
        from newsprism.language import compared_languages

        models = self.models()
        names = [models.embedder, models.spacy_model] + ([models.judge] if models.judge else [])
        return compared_languages(names, self.languages)


@dataclass
class ReadyStage:
    """A stage whose inputs some earlier stage (or the batch) provides. It is built, loading its
    models, when it first runs and then kept, so later batches reuse it."""

    spec: StageSpec
    cls: type
    options: PipelineOptions
    backends: Backends
    built: Stage | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def requires(self) -> frozenset[str]:
        return frozenset(getattr(self.built or self.cls, "requires", ()))

    @property
    def provides(self) -> frozenset[str]:
        return frozenset(getattr(self.built or self.cls, "provides", ()))

    @property
    def stage_options(self) -> Any:
        """The stage's own options as given (None: its defaults); the Ray engine ships these."""
        return self.options.stage_options.get(self.name)

    def build(self) -> Stage:
        if self.built is None:
            self.built = self.spec.build(self.cls, self.options, self.backends)
        return self.built


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


@dataclass
class AnalysisPipeline:
    """The stages that can run, the records of those that cannot, and what they were built from."""

    stages: list[ReadyStage]
    records: list[StageRecord]  # one per requested stage, in order; present ones say "ready"
    # What it was built from: an engine running stages elsewhere builds its own copies from these.
    options: PipelineOptions = field(default_factory=PipelineOptions)
    backends: Backends = field(default_factory=Backends)

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


def _missing_requirements(cls: type, available: set[str], why: dict[str, str]) -> str | None:
    missing = sorted(set(getattr(cls, "requires", ())) - available)
    if not missing:
        return None
    reasons = [f"layer {m!r} unavailable ({why.get(m, 'no stage provides it')})" for m in missing]
    return "; ".join(reasons)


def build_pipeline(
    options: PipelineOptions | None = None,
    specs: Sequence[StageSpec] | None = None,
    provided: Sequence[str] = (),
) -> AnalysisPipeline:
    """The requested stages (all registered ones by default) whose inputs some earlier stage
    provides or the batch will hold already (``provided``: layers read from the store). Nothing is
    built and no model is loaded here: that happens when a stage first runs."""
    options = options or PipelineOptions()
    specs = list(STAGES.values()) if specs is None else list(specs)
    names = [spec.name for spec in specs]
    wanted = list(options.stages) if options.stages is not None else names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; known: {names}")
    backends = Backends(options.models(), options.backends)
    available, why = {ARTICLES, *provided}, {}
    stages: list[ReadyStage] = []
    records: list[StageRecord] = []
    for spec in specs:
        if spec.name not in wanted:
            why[spec.layer] = f"stage {spec.name} not selected"
            continue
        cls = spec.load_class()
        reason = None if isinstance(cls, StageRecord) else _missing_requirements(cls, available, why)
        if isinstance(cls, StageRecord) or reason:
            record = cls if isinstance(cls, StageRecord) else StageRecord(spec.name, spec.layer, "skipped",
                                                                          reason=reason)
            records.append(record)
            why[spec.layer] = f"stage {spec.name} {record.status}"
            continue
        ready = ReadyStage(spec, cls, options, backends)
        stages.append(ready)
        records.append(StageRecord(spec.name, spec.layer, "ready"))
        available |= ready.provides
    return AnalysisPipeline(stages, records, options, backends)


def _step_hook(progress: ProgressHook | None, name: str) -> StepHook | None:
    """A stage's inner ticks as the runner's progress phase ``"claims/articles"``."""
    if progress is None:
        return None
    return lambda done, total, unit: progress(f"{name}/{unit}", done, total)


def run_here(ready: ReadyStage, batch: Batch) -> Batch:
    return ready.build().run(batch)


# How one stage runs over a batch: in this process, or (the Ray engine) partitioned on a cluster.
StageRunner = Callable[[ReadyStage, Batch], Batch]


def run_stages(
    assembled: AnalysisPipeline,
    batch: Batch,
    progress: ProgressHook | None = None,
    runner: StageRunner = run_here,
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
        lost = sorted(stage.requires & set(failed))
        if lost:
            reason = "; ".join(f"layer {name!r} unavailable ({failed[name]})" for name in lost)
            out.append(StageRecord(stage.name, record.layer, "skipped", reason=reason))
            failed.update({layer: f"stage {stage.name} skipped" for layer in stage.provides})
            continue
        t0 = time.perf_counter()
        try:
            with reporting(_step_hook(progress, stage.name)):
                result = runner(stage, batch)
            missing = sorted(stage.provides - set(result.layers))
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
