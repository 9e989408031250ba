"""The Ray engine against the local one: same reuse pairs, stories and verdict counts; bulk ingest.

A private local Ray (2 CPUs, a 500 MB object store) is started once for this module; the engine
reuses a connection it finds. The ECB+ comparison needs ../shared and is slow.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsprism.cli.main import app

ray = pytest.importorskip("ray")

runner = CliRunner()


@pytest.fixture(scope="module")
def local_ray():
    if ray.is_initialized():
        yield
        return
    # address="local": a private instance even where a test cluster runs (CI starts one).
    ray.init(
        address="local", num_cpus=2, object_store_memory=500 * 1024 * 1024, include_dashboard=False,
        log_to_driver=False,
    )
    try:
        yield
    finally:
        ray.shutdown()


def _summary(report: dict) -> dict:
    return {
        "reuse": sorted((p["a"], p["b"], p["type"], p.get("direction")) for p in report["reuse"]["pairs"]),
        "stories": sorted(sorted(s["article_ids"]) for s in report["stories"]["stories"]),
        "story_ids": sorted(s["id"] for s in report["stories"]["stories"]),
        "verdicts": report["verdicts"]["counts"],
        "groups": report["alignment"]["n_groups"],
        "stages": [(r["name"], r["status"]) for r in report["stages"]["records"]],
    }


def _compare(articles: list, stages: list[str] | None = None) -> tuple[dict, dict]:
    from newsprism.analysis import PipelineOptions
    from newsprism.api import AnalyzeOptions, analyze_articles
    from newsprism.engines.base import EngineOptions

    out = []
    for name in ("local", "ray"):
        options = AnalyzeOptions(engine=EngineOptions(name), pipeline=PipelineOptions(stages=stages))
        out.append(_summary(analyze_articles(articles, options)))
    return out[0], out[1]


def test_engine_options_are_checked_before_any_work(tmp_path):
    bogus = runner.invoke(app, ["analyze", "--engine", "spark", str(tmp_path)])
    assert bogus.exit_code == 2 and "unknown engine 'spark'" in bogus.output
    address = runner.invoke(app, ["analyze", "--ray-address", "auto", str(tmp_path)])
    assert address.exit_code == 2 and "--ray-address needs --engine ray" in address.output
    with socket.socket() as s:  # a port nothing listens at once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    args = ["ingest", "--engine", "ray", "--ray-address", f"127.0.0.1:{port}", str(tmp_path)]
    nobody = runner.invoke(app, args)
    assert nobody.exit_code == 2 and "no Ray cluster answers" in nobody.output
    assert time.monotonic() - started < 30  # ray.init alone would retry for minutes


def test_demo_corpus_same_results_on_ray_as_locally(local_ray, tmp_path):
    from newsprism.api import AnalyzeOptions, analyze
    from newsprism.demo import corpus_files

    with corpus_files() as paths:
        folder = Path(paths[0]).parent
        local = _summary(analyze([str(folder)], None, AnalyzeOptions()))
        out = tmp_path / "ray.json"
        result = runner.invoke(app, ["analyze", "--engine", "ray", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    on_ray = _summary(json.loads(out.read_text(encoding="utf-8")))
    assert local["reuse"] and local["verdicts"]["fact_sheet"]  # the fixture has something to compare
    assert on_ray == local


def test_ray_ingest_stores_what_local_ingest_stores_and_is_idempotent(local_ray, tmp_path):
    from newsprism.demo import corpus_files
    from newsprism.store import Store

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine enough text for a record here."}\n{not json\n', encoding="utf-8")
    with corpus_files() as paths:
        inputs = [str(Path(paths[0]).parent), str(bad)]
        local_db, ray_db = tmp_path / "local.db", tmp_path / "ray.db"
        local = runner.invoke(app, ["ingest", "--no-link", "--db", str(local_db), *inputs])
        on_ray = ["ingest", "--engine", "ray", "--json", "--no-link", "--db", str(ray_db), *inputs]
        first, again = runner.invoke(app, on_ray), runner.invoke(app, on_ray)
    assert local.exit_code == first.exit_code == again.exit_code == 1  # the bad line, reported
    assert "bad.jsonl:2: malformed JSON" in first.output
    stored = json.loads(first.stdout)
    assert stored["new"] > 0 and json.loads(again.stdout)["duplicate"] == stored["new"] + stored["revision"]
    with Store.open(local_db) as a, Store.open(ray_db) as b:
        ids = {x.id for x in a.iter_articles()}
        assert ids and ids == {x.id for x in b.iter_articles()}
        with b.engine.connect() as conn:
            errors = conn.exec_driver_sql("SELECT source, reason FROM ingest_errors").all()
    assert len(errors) == 1  # recorded once, though two runs met it


@pytest.mark.slow
@pytest.mark.timeout(5400)  # both engines over ECB+: ~10 min locally, ~27 on a 2-CPU Ray (loaded machine)
def test_ecbplus_same_results_on_ray_as_locally(local_ray, shared_dir):
    from newsprism.evaluation.verdict_corpus import _ecb_article, read_ecbplus

    path = shared_dir / "data" / "ecbplus" / "ecbplus_docs.jsonl"
    if not path.is_file():
        pytest.skip(f"ECB+ documents not found at {path}")
    articles = [_ecb_article(doc) for doc in read_ecbplus(path).values()]
    local, on_ray = _compare(articles)
    assert len(articles) == 982 and local["reuse"] and len(local["stories"]) > 50
    assert on_ray == local


def test_ray_ingest_links_as_local_ingest_does(local_ray, tmp_path):
    from newsprism.demo import corpus_files

    with corpus_files() as paths:
        folder = str(Path(paths[0]).parent)
        out = {}
        for engine in ("local", "ray"):
            args = ["ingest", "--engine", engine, "--json", "--db", str(tmp_path / engine), folder]
            done = runner.invoke(app, args)
            assert done.exit_code == 0, done.output
            out[engine] = json.loads(done.stdout)
    assert out["local"]["reuse_pairs"] > 0
    for key in ("reuse_pairs", "stories", "article_ids"):
        assert out["ray"][key] == out["local"][key]


def _stored_findings(db: Path) -> dict:
    """Every stored finding row, without the time of analysis (and its change log)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        verdicts = sorted(conn.execute(
            "SELECT id, story_id, section, label, type, text, n_independent_sources, confidence,"
            " article_ids, detail FROM story_verdicts").fetchall())
        analyses = sorted(conn.execute(
            "SELECT story_id, article_ids, n_independent_sources, n_claims, n_fact_groups, n_corroborated,"
            " n_conflicts, n_disputes, n_single_source FROM story_analyses").fetchall())
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
                  for t in ("story_claims", "story_fact_groups", "story_reuse_links")}
    return {"verdicts": verdicts, "analyses": analyses, "counts": counts}


def test_stored_stories_analysed_by_ray_tasks_store_what_local_stores(local_ray, tmp_path, kursk_dir,
                                                                      monkeypatch):
    """``analyze --db --engine ray``: story tasks read their stories and write their findings; the
    rows equal the local engine's, and a second run (as a retried task would) stores them once."""
    import shutil

    from newsprism.demo import corpus_files
    from newsprism.findings import run as stored_run
    from newsprism.findings.run import _task_plan
    from newsprism.store import Store
    from newsprism.stories.queries import resolve_story_ids, story_objects

    base = tmp_path / "base.db"
    with corpus_files() as paths:
        done = runner.invoke(app, ["ingest", "--db", str(base), str(Path(paths[0]).parent), str(kursk_dir)])
    assert done.exit_code == 0, done.output
    local, on_ray = tmp_path / "local.db", tmp_path / "ray.db"
    shutil.copy(base, local)
    shutil.copy(base, on_ray)
    with Store.open(on_ray) as store, store.engine.connect() as conn:
        stories = story_objects(conn, resolve_story_ids(conn, None))
        assert len(_task_plan(store, stories, 2)) >= 2  # more than one task does the work
    assert runner.invoke(app, ["analyze", "--db", str(local), "--json"]).exit_code == 0

    def driver_analysis(*args, **kwargs):
        raise AssertionError("the driver analysed stories itself")

    monkeypatch.setattr(stored_run, "_analyse_here", driver_analysis)
    for _ in range(2):
        result = runner.invoke(app, ["analyze", "--db", str(on_ray), "--engine", "ray", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["inputs"]["stories"]
    expected = _stored_findings(local)
    assert expected["verdicts"] and expected["counts"]["story_claims"]
    assert _stored_findings(on_ray) == expected
