"""Persisted analysis: stored stories analysed, findings stored with stable ids, read back the same."""

from __future__ import annotations

import importlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from newsprism.analysis import PipelineOptions
from newsprism.api import AnalyzeOptions, analyze, analyze_stored, ingest
from newsprism.cli.main import app
from newsprism.findings.report import stored_report
from newsprism.report.schema import report_errors
from newsprism.store import Store
from newsprism.store.findings import (
    CHILD_TABLES,
    StoryFindings,
    save_story_findings,
    story_analyses,
    story_claims,
    story_verdicts,
)
from newsprism.stories.queries import StoryNotFound, get_story, list_stories
from newsprism.stories.tables import stories

TABLES = (story_analyses, *CHILD_TABLES)


def _options(embedder, nlp) -> AnalyzeOptions:
    return AnalyzeOptions(pipeline=PipelineOptions(backends={"embedder": embedder, "nlp": nlp}))


def _ids(db) -> dict[str, set[str]]:
    with Store.open(db) as store, store.engine.connect() as conn:
        out = {t.name: set(conn.execute(select(t.c.id)).scalars()) for t in CHILD_TABLES}
        out["story_analyses"] = set(conn.execute(select(story_analyses.c.story_id)).scalars())
    return out


@pytest.mark.models
def test_analyze_into_store_and_again_adds_nothing(db_url, kursk_dir: Path, embedder, nlp) -> None:
    options = _options(embedder, nlp)
    report = analyze([kursk_dir], db_url, options)
    first = _ids(db_url)
    assert all(first.values()), first  # every table got rows: claims, groups, verdicts, reuse links
    assert report_errors(report) == []
    [story] = report["stories"]["stories"]
    assert len(report["verdicts"]["conflicts"]) == 1 and len(report["verdicts"]["actor_disputes"]) == 1

    again = analyze_stored(db_url, None, options)  # no PATH: what is stored
    assert _ids(db_url) == first
    assert again["verdicts"]["conflicts"] == report["verdicts"]["conflicts"]
    analyze([kursk_dir], db_url, options)  # the same inputs again: duplicates, nothing new
    assert _ids(db_url) == first

    with Store.open(db_url) as store:
        [listed], _ = list_stories(store)
        shown = get_story(store, story["id"][:6])
        with store.engine.connect() as conn:
            row = conn.execute(select(story_analyses)).one()
    # One count of independent sources on every surface.
    assert listed["n_independent_sources"] == shown["n_independent_sources"] == story["n_independent_sources"]
    assert listed["analysis"]["n_independent_sources"] == row.n_independent_sources == story[
        "n_independent_sources"]
    assert listed["analysis"]["n_conflicts"] == 1 and not listed["analysis"]["stale"]
    # The last analysis found nothing new; it knows when the one before it ran.
    assert row.changes["new_conflicts"] == [] and row.changes["new_sources"] == []
    assert row.changes["previous_analysed_at"] is not None
    _same_on_every_surface(db_url, story)


def _same_on_every_surface(db, story: dict) -> None:
    """The web pages, /api/v1 and ``stories list --json`` show the stored story's numbers."""
    import json

    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    cli = json.loads(CliRunner().invoke(app, ["stories", "list", "--db", str(db), "--json"]).stdout)
    with TestClient(create_app(db)) as c:
        [listed] = c.get("/api/v1/stories").json()["items"]
        page = c.get(f"/stories/{story['id']}?format=json").json()
        api = c.get(f"/api/v1/stories/{story['id']}").json()
    in_report = api["report"]["stories"]["stories"][0]["n_independent_sources"]
    counts = {cli["stories"][0]["n_independent_sources"], listed["n_independent_sources"],
              page["story"]["n_independent_sources"], in_report}
    assert counts == {story["n_independent_sources"]}
    assert listed["n_conflicts"] == len(api["report"]["verdicts"]["conflicts"]) == 1


def _story(conn, sid: str) -> None:
    now = datetime.now(UTC)
    conn.execute(stories.insert().values(id=sid, label=sid, n_articles=1, status="active", created_at=now,
                                         updated_at=now))


def _findings(sid: str, claim_ids: list[str], conflicts: list[str], outlets: list[str]) -> StoryFindings:
    summary = {
        "newsprism_version": "t", "article_ids": ["a1"], "outlets": outlets, "n_articles": 1,
        "n_independent_sources": 1, "independent_basis": "articles", "n_claims": len(claim_ids),
        "n_fact_groups": 0, "n_corroborated": 0, "n_conflicts": len(conflicts), "n_disputes": 0,
        "n_single_source": 0, "detail": {"stages": []},
    }
    claims = [{"id": c, "article_id": "a1", "span_start": 0, "span_end": 5, "text": "x", "detail": {}}
              for c in claim_ids]
    verdicts = [{"id": v, "section": "conflicts", "label": "conflicting", "type": "number", "text": "t",
                 "n_independent_sources": 2, "confidence": 0.8, "article_ids": ["a1"], "detail": {}}
                for v in conflicts]
    return StoryFindings(sid, summary, claims, [], verdicts, [])


def _count(conn, table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_save_story_findings_is_an_idempotent_upsert(db_url) -> None:
    with Store.open(db_url) as store:
        with store.transaction() as conn:
            _story(conn, "s1")
            _story(conn, "s2")
            save_story_findings(conn, _findings("s1", ["c1", "c2"], ["v1"], ["Ledger"]))
        with store.transaction() as conn:
            save_story_findings(conn, _findings("s1", ["c1", "c2"], ["v1", "v2"], ["Ledger", "Post"]))
        with store.engine.connect() as conn:
            assert [_count(conn, t) for t in (story_analyses, story_claims, story_verdicts)] == [1, 2, 2]
            changes = conn.execute(select(story_analyses.c.changes)).scalar_one()
        assert changes["new_conflicts"] == ["v2"] and changes["new_sources"] == ["Post"]
        assert changes["previous_analysed_at"] is not None
        # c2's article moved to s2 (a merge): its row moves with it rather than clashing or doubling.
        with store.transaction() as conn:
            save_story_findings(conn, _findings("s2", ["c2"], [], ["Ledger"]))
        with store.engine.connect() as conn:
            owners = dict(conn.execute(select(story_claims.c.id, story_claims.c.story_id)).all())
            first = conn.execute(select(story_analyses.c.changes)
                                 .where(story_analyses.c.story_id == "s2")).scalar_one()
        assert owners == {"c1": "s1", "c2": "s2"}
        assert first["previous_analysed_at"] is None and first["new_sources"] == ["Ledger"]


def test_stored_claims_are_what_search_finds(db_url) -> None:
    def found(store: Store) -> list[str]:
        return [h.ref for h in store.search("turbines", ["claim"]).hits]

    with Store.open(db_url) as store:
        with store.transaction() as conn:
            _story(conn, "s1")
            first = _findings("s1", ["c1", "c2"], [], ["Ledger"])
            first.claims[0]["text"] = "The turbines stopped at noon"
            save_story_findings(conn, first)
        assert found(store) == ["c1"]
        with store.transaction() as conn:  # analysed again: the claim is gone, and from search too
            save_story_findings(conn, _findings("s1", ["c2"], [], ["Ledger"]))
        assert found(store) == []


def test_migration_ddl_is_frozen_and_matches_the_declared_tables() -> None:
    migration = importlib.import_module("newsprism.store.migrations.m0009_story_findings")
    source = Path(migration.__file__).read_text(encoding="utf-8")
    imported = [line for line in source.splitlines()
                if line.startswith(("from newsprism", "import newsprism"))]
    assert imported == ["from newsprism.store.migrations._frozen import frozen_metadata"]
    frozen = {t.name: t for t in migration._md.tables.values() if t.name != "stories"}
    assert set(frozen) == {t.name for t in TABLES}
    for live in TABLES:
        cols = {c.name: (type(c.type).__name__, c.nullable, c.primary_key) for c in frozen[live.name].c}
        declared = {c.name: (type(c.type).__name__.replace("UTCDateTime", "DateTime"), c.nullable,
                             c.primary_key) for c in live.c}
        assert cols == declared, live.name


def test_stored_analysis_needs_stories_that_exist(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ingest([], db)
    with pytest.raises(StoryNotFound):
        analyze_stored(db, ["nope"], AnalyzeOptions(pipeline=PipelineOptions(stages=())))
    report = analyze_stored(db, None, AnalyzeOptions(pipeline=PipelineOptions(stages=())))
    assert report["articles"] == [] and report_errors(report) == []


def test_analyze_without_path_reads_the_store(tmp_path: Path, kursk_dir: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "k.db"
    no_db = runner.invoke(app, ["analyze"])
    assert no_db.exit_code == 2 and "--db" in no_db.output
    absent = runner.invoke(app, ["analyze", "--db", str(tmp_path / "absent.db")])
    assert absent.exit_code == 2 and "no store at" in absent.output
    assert not (tmp_path / "absent.db").exists()
    shutil.copytree(kursk_dir, tmp_path / "in")
    assert runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db)]).exit_code == 0
    unknown = runner.invoke(app, ["analyze", "--db", str(db), "--story", "zz"])
    assert unknown.exit_code == 2 and "zz: no such story" in unknown.output
    both = runner.invoke(app, ["analyze", str(tmp_path / "in"), "--db", str(db), "--story", "s"])
    assert both.exit_code == 2
    with Store.open(db) as store:
        [story], _ = list_stories(store)
    out = tmp_path / "r.md"
    done = runner.invoke(app, ["analyze", "--db", str(db), "--story", story["id"][:5], "--stage", "reuse",
                               "-o", str(out)])
    assert done.exit_code == 0, done.output
    with Store.open(db) as store:
        [listed], _ = list_stories(store)
        assert listed["analysis"]["n_claims"] == 0  # claims were not asked for
        assert stored_report(store, [story["id"]])["stories"]["stories"][0]["id"] == story["id"]
    assert story["label"] in out.read_text(encoding="utf-8")


def _analysed_at(db) -> dict[str, datetime]:
    with Store.open(db) as store, store.engine.connect() as conn:
        return dict(conn.execute(select(story_analyses.c.story_id, story_analyses.c.analysed_at)).all())


@pytest.mark.models
def test_ingest_then_analyze_changed_touches_only_changed_stories(tmp_path: Path, kursk_dir: Path, embedder,
                                                                   nlp) -> None:
    from newsprism.api import analyze_changed

    demo = Path(importlib.import_module("newsprism.demo").__file__).parent / "corpus"
    db, options = tmp_path / "i.db", _options(embedder, nlp)
    first = analyze_changed(db, ingest([kursk_dir], db), options)
    kursk = {s["id"] for s in first["stories"]["stories"]}
    before = _analysed_at(db)
    assert set(before) == kursk
    second = analyze_changed(db, ingest([demo], db), options)
    demo_stories = {s["id"] for s in second["stories"]["stories"]}
    after = _analysed_at(db)
    assert demo_stories and not demo_stories & kursk
    assert {k: after[k] for k in kursk} == before  # the Kursk story was not touched: not re-analysed
    again = analyze_changed(db, ingest([kursk_dir, demo], db), options)  # duplicates only
    assert again["stories"]["stories"] == [] and _analysed_at(db) == after


def test_ingest_analyze_needs_linking(tmp_path: Path, kursk_dir: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(kursk_dir), "--db", str(tmp_path / "n.db"), "--no-link",
                                      "--analyze"])
    assert result.exit_code == 2 and "--analyze" in result.output


def _store_with_findings(db) -> None:
    with Store.open(db) as store, store.transaction() as conn:
        _story(conn, "s1")
        findings = _findings("s1", ["c1"], ["v1", "v2"], ["Ledger"])
        findings.verdicts[0]["text"] = "=HYPERLINK(\"http://evil.example\")"
        findings.verdicts[0]["detail"] = {"evidence": [{"article_id": "a1", "span": [3, 9]}]}
        save_story_findings(conn, findings)


def test_export_csv_and_parquet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    pq = pytest.importorskip("pyarrow.parquet")
    db = tmp_path / "e.db"
    _store_with_findings(db)
    runner = CliRunner()
    done = runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "-o", str(tmp_path / "f.csv")])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader((tmp_path / "f.csv").open(encoding="utf-8")))
    assert [r["finding_id"] for r in rows] == ["v1", "v2"] and rows[0]["story_id"] == "s1"
    assert rows[0]["text"].startswith("'=")  # never a live formula in a spreadsheet
    assert rows[0]["evidence"] == "a1:3-9"
    done = runner.invoke(app, ["export", "--db", str(db), "-o", str(tmp_path / "f.parquet")])
    assert done.exit_code == 0, done.output
    table = pq.read_table(tmp_path / "f.parquet")
    assert table.column("finding_id").to_pylist() == ["v1", "v2"]
    assert table.column("text").to_pylist()[0].startswith("=")  # typed columns: kept as given
    monkeypatch.setitem(__import__("sys").modules, "pyarrow", None)
    missing = runner.invoke(app, ["export", "--db", str(db), "-o", str(tmp_path / "g.parquet")])
    assert missing.exit_code == 2 and "pyarrow" in missing.output
    assert not (tmp_path / "g.parquet").exists()
    bad = runner.invoke(app, ["export", "--db", str(db), "-o", str(tmp_path / "f.xls")])
    assert bad.exit_code == 2 and "unknown export format" in bad.output


def test_analyze_into_store_reports_unlinked_articles(tmp_path: Path, kursk_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from newsprism.stories.repo import StoryStore

    def boom(self, articles):  # noqa: ANN001, ANN202 - stands in for StoryStore.add
        raise RuntimeError("story index unavailable")

    monkeypatch.setattr(StoryStore, "add", boom)
    db = tmp_path / "l.db"
    args = ["analyze", str(kursk_dir), "--db", str(db), "--stage", "reuse", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1  # stored, not linked, so not analysed: not a clean run
    assert "5 articles stored but not linked (RuntimeError: story index unavailable)" in result.stderr
    with Store.open(db) as store:
        assert store.count_articles() == 5


class BrokenClaims:
    name = "claims"
    requires = frozenset({"articles"})
    provides = frozenset({"claims"})

    def run(self, batch):  # noqa: ANN001, ANN201 - a Stage
        raise RuntimeError("claims model crashed")


def test_failed_stage_keeps_the_stored_findings(tmp_path: Path, kursk_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import newsprism.analysis
    from newsprism.analysis import StageSpec

    db = tmp_path / "f.db"
    runner = CliRunner()
    assert runner.invoke(app, ["analyze", str(kursk_dir), "--db", str(db), "--stage", "reuse"]).exit_code == 0
    before = _analysed_at(db)
    broken = (StageSpec("claims", __name__, "BrokenClaims", "claims"),)
    monkeypatch.setattr(newsprism.analysis, "STAGES", {s.name: s for s in broken})
    result = runner.invoke(app, ["analyze", "--db", str(db), "--json"])
    assert result.exit_code == 1
    assert "stage claims: failed: RuntimeError: claims model crashed" in result.stderr
    assert _analysed_at(db) == before  # the earlier findings are kept, not replaced by empty ones
