"""The Python API: ingest batches and counts, analyze orchestration, absent/failed stages, saved runs."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from newsprism.analysis import PipelineOptions, StageSpec, build_pipeline, run_stages
from newsprism.api import AnalyzeOptions, IngestOptions, analyze, analyze_articles, ingest
from newsprism.findings.report import stored_report
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch
from newsprism.store import Store
from newsprism.store.analyses import list_analyses
from newsprism.store.tables import ingest_errors
from newsprism.stories.queries import list_stories

NO_STAGES = AnalyzeOptions(pipeline=PipelineOptions(stages=()))


def make_article(text: str, url: str, outlet: str = "Coastal Ledger"):
    return build_article(RawDocument(text=text, source=url, format="text", url=url, outlet=outlet))


def test_ingest_commits_in_batches_and_counts(kursk_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    report = ingest([kursk_dir, tmp_path / "absent.txt"], db, IngestOptions(batch_size=2))
    assert (report.new, report.duplicate, report.revision, report.failed) == (5, 0, 0, 1)
    assert len(report.article_ids) == 5 and not report.ok
    assert report.errors[0].source.endswith("absent.txt")
    with Store.open(db) as store:
        assert store.count_articles() == 5
        with store.engine.connect() as conn:
            recorded = conn.execute(select(ingest_errors.c.source, ingest_errors.c.reason)).all()
    assert [r.source for r in recorded] == [report.errors[0].source]
    again = ingest(kursk_dir, db)  # one path is one input
    assert (again.new, again.duplicate) == (0, 5) and again.article_ids == report.article_ids


def test_ingest_reports_revisions(tmp_path: Path) -> None:
    first, second = tmp_path / "v1.txt", tmp_path / "v2.txt"
    header = "URL: https://coastal-ledger.example/a\nOutlet: Coastal Ledger\n\n"
    first.write_text(header + "The council approved 12 new buses on Monday.\n", encoding="utf-8")
    second.write_text(header + "The council approved 14 new buses on Monday.\n", encoding="utf-8")
    report = ingest([first, second], tmp_path / "r.db")
    assert (report.new, report.revision) == (1, 1)
    assert report.articles[1].revision_of == report.articles[0].id


def test_analyze_articles_without_stages_reports_articles() -> None:
    a = make_article("Two ferries collided off Portvale on Friday. Nobody was hurt.", "https://x.example/1")
    report = analyze_articles([a], NO_STAGES)
    assert report["schema_version"] and report["generated_at"] and report["newsprism_version"]
    [row] = report["articles"]
    assert row["id"] == a.id and row["n_sentences"] == 2 and row["outlet"] == "Coastal Ledger"
    assert row["text"] == a.text  # evidence offsets need the text
    assert report["stages"]["ran"] == [] and report["inputs"] == {"articles_given": 1}


def test_analyze_in_temporary_store_and_saved_in_named_store(kursk_dir: Path, tmp_path: Path) -> None:
    report = analyze([kursk_dir], options=NO_STAGES)
    assert len(report["articles"]) == 5 and report["inputs"]["new"] == 5
    db = tmp_path / "s.db"
    saved = analyze([kursk_dir], db, NO_STAGES)
    with Store.open(db) as store:
        # Kept per persistent story (no report blob): the report is read back from the store.
        assert list_analyses(store) == []
        [story] = list_stories(store)[0]
        assert story["analysis"] is not None and sorted(story["article_ids"]) == sorted(
            a["id"] for a in saved["articles"])
        assert stored_report(store, [story["id"]])["articles"] == saved["articles"]


def test_analyze_takes_articles_but_not_a_mix(tmp_path: Path) -> None:
    a = make_article("The dam held overnight, engineers said.", "https://x.example/dam")
    report = analyze([a], tmp_path / "a.db", NO_STAGES)
    assert [r["id"] for r in report["articles"]] == [a.id]
    with pytest.raises(TypeError):
        analyze([a, "some/path"], options=NO_STAGES)


def test_missing_stage_module_is_absent_with_reason() -> None:
    specs = (StageSpec("ghost", "newsprism.no_such_stage_module", "GhostStage", "ghost"),)
    assembled = build_pipeline(PipelineOptions(), specs)
    [record] = assembled.records
    assert record.status == "absent" and "newsprism.no_such_stage_module" in record.reason
    assert assembled.stages == []
    with pytest.raises(ValueError):
        build_pipeline(PipelineOptions(stages=["nope"]), specs)


# Toy stages for the orchestration logic; they live in this test module and are imported by path.
@dataclass
class CountStage:
    name: str = "count"
    requires: frozenset = frozenset({"articles"})
    provides: frozenset = frozenset({"counted"})

    def run(self, batch: Batch) -> Batch:
        return batch.with_layer("counted", {"n": len(batch.articles)})


@dataclass
class BrokenStage:
    name: str = "broken"
    requires: frozenset = frozenset({"articles"})
    provides: frozenset = frozenset({"broken"})

    def run(self, batch: Batch) -> Batch:
        raise ValueError("cannot cope with this batch")


@dataclass
class AfterBrokenStage:
    name: str = "after"
    requires: frozenset = frozenset({"broken"})
    provides: frozenset = frozenset({"after"})

    def run(self, batch: Batch) -> Batch:
        return batch.with_layer("after", {})


def test_failed_stage_is_recorded_and_dependants_skipped() -> None:
    here = __name__
    specs = (
        StageSpec("broken", here, "BrokenStage", "broken"),
        StageSpec("after", here, "AfterBrokenStage", "after"),
        StageSpec("count", here, "CountStage", "counted"),
    )
    assembled = build_pipeline(PipelineOptions(), specs)
    assert [s.name for s in assembled.stages] == ["broken", "after", "count"]
    a = make_article("One sentence here.", "https://x.example/one")
    batch, records = run_stages(assembled, Batch.of([a]))
    status = {r.name: (r.status, r.reason) for r in records}
    assert status["broken"][0] == "failed" and "cannot cope" in status["broken"][1]
    assert status["after"][0] == "skipped" and "broken" in status["after"][1]
    assert status["count"] == ("ran", None)
    assert batch.layers == {"counted": {"n": 1}}


def test_stage_needing_an_absent_layer_is_skipped_at_build() -> None:
    specs = (
        StageSpec("broken", "newsprism.no_such_stage_module", "BrokenStage", "broken"),
        StageSpec("after", __name__, "AfterBrokenStage", "after"),
    )
    records = build_pipeline(PipelineOptions(), specs).records
    assert [r.status for r in records] == ["absent", "skipped"]
    assert "broken" in records[1].reason


def test_import_newsprism_is_lazy() -> None:
    code = (
        "import sys, newsprism\n"
        "heavy = [m for m in ('sqlalchemy', 'torch', 'spacy', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert newsprism.Article.__name__ == 'Article'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_progress_reports_reading_and_stages(kursk_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsprism.analysis

    specs = (StageSpec("count", __name__, "CountStage", "counted"),)
    monkeypatch.setattr(newsprism.analysis, "STAGES", {s.name: s for s in specs})
    events: list[tuple[str, int, int | None]] = []
    analyze([kursk_dir], progress=lambda phase, done, total: events.append((phase, done, total)))
    reads = [e for e in events if e[0] == "read"]
    assert [e[1] for e in reads] == [1, 2, 3, 4, 5] and all(e[2] is None for e in reads)
    assert ("count", 0, 1) in events and events[-1] == ("done", 1, 1)


def test_ingest_links_incrementally(kursk_dir: Path, tmp_path: Path) -> None:
    """Ingest indexes reuse and assigns stories as articles arrive: the reference case ingested in
    two runs ends in one story whose id the second run keeps, with the wire copies linked."""
    from newsprism.stories.queries import list_stories

    files = sorted(kursk_dir.glob("*.txt"))
    db = tmp_path / "linked.db"
    first = ingest(files[:3], db)
    assert len(first.story_ids) == 1 and first.reuse_pairs >= 3  # 000, 001, 002 pairwise derived
    second = ingest(files[3:], db)
    assert second.story_ids == first.story_ids
    again = ingest(files, db)
    assert (again.new, again.duplicate, again.reuse_pairs) == (0, 5, 0)
    assert again.story_ids == first.story_ids
    with Store.open(db) as store:
        stories, total = list_stories(store)
    assert total == 1 and stories[0]["n_articles"] == 5


def test_judge_reaches_the_verdicts_stage_only_when_asked() -> None:
    def verdicts_stage(options: PipelineOptions):  # noqa: ANN202 - a VerdictsStage
        [ready] = build_pipeline(options, provided=("alignment",)).stages
        return ready.build()

    judge = object()
    assert verdicts_stage(PipelineOptions(stages=["verdicts"], backends={"judge": judge})).judge is judge
    assert verdicts_stage(PipelineOptions(stages=["verdicts"])).judge is None
