"""The ``newsprism`` command through Typer's CliRunner: exit codes, stdout/stderr discipline, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsprism.analysis
from newsprism.analysis import StageSpec
from newsprism.cli.main import app
from newsprism.pipeline import Batch
from newsprism.report.types import Reuse
from newsprism.store import Store

runner = CliRunner()

GOOD_TEXT = """Title: Harbour bridge reopens after repairs
Outlet: Coastal Ledger
URL: https://coastal-ledger.example/news/bridge-reopens
Date: 2026-02-01T09:00:00+00:00

PORTVALE — The harbour bridge reopened to traffic on Sunday after eight weeks of repairs, the city said.
Engineers replaced 40 steel cables and resurfaced the deck, according to the works department.
"""


def invoke(*args: str, input: str | None = None):  # noqa: A002 - mirrors CliRunner's name
    return runner.invoke(app, list(args), input=input)


def _mojibake() -> bytes:
    # UTF-8 that was once read as cp1252 and saved again: decodes as UTF-8, reads as garbage.
    text = "Title: Garbled\n\n" + "It’s the minister’s view — and the mayor’s, too. " * 6
    return text.encode("utf-8").decode("cp1252").encode("utf-8")


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    records = [
        {"title": "Ferry timetable changes", "text": "The ferry will run every 30 minutes from March.",
         "url": "https://coastal-ledger.example/news/ferry"},
        "{this is not json",
        {"title": "Library extends hours", "text": "The central library will open until 9 p.m. on weekdays.",
         "url": "https://coastal-ledger.example/news/library"},
    ]
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "photo.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbled.txt").write_bytes(_mojibake())
    return folder


def stderr_lines(result) -> list[str]:  # noqa: ANN001 - click's Result
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("newsprism ")


def test_ingest_kursk_twice_adds_nothing_the_second_time(kursk_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    first = invoke("ingest", str(kursk_dir), "--db", db, "--json")
    assert first.exit_code == 0, first.stderr
    data = json.loads(first.stdout)
    assert (data["new"], data["duplicate"], data["failed"]) == (5, 0, 0)
    second = invoke("ingest", str(kursk_dir), "--db", db, "--json")
    assert second.exit_code == 0, second.stderr
    again = json.loads(second.stdout)
    assert (again["new"], again["duplicate"], again["revision"], again["failed"]) == (0, 5, 0, 0)
    assert again["article_ids"] == data["article_ids"]
    with Store.open(db) as store:
        assert store.count_articles() == 5


def test_ingest_mixed_folder_stores_good_reports_bad(mixed_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    result = invoke("ingest", str(mixed_dir), "--db", db, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["new"] == 3  # good.txt and the two good JSONL records
    assert data["failed"] == 4
    lines = stderr_lines(result)
    assert len(lines) == 4, lines
    by_file = {name: next((ln for ln in lines if name in ln), None) for name in
               ("photo.bin", "empty.txt", "garbled.txt", "feed.jsonl")}
    assert all(by_file.values()), lines
    assert "binary" in by_file["photo.bin"].lower()
    assert "empty" in by_file["empty.txt"].lower()
    assert "json" in by_file["feed.jsonl"].lower()
    for line in lines:
        source, sep, reason = line.partition(": ")
        assert sep and reason.strip(), line
    with Store.open(db) as store:
        assert store.count_articles() == 3


def test_missing_path_is_a_failing_input(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    missing = tmp_path / "nope.txt"
    result = invoke("ingest", str(good), str(missing), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1
    [line] = stderr_lines(result)
    assert line.startswith(f"{missing}: ") and len(line) > len(f"{missing}: ")
    assert "new" in result.stdout  # the summary table is still printed


@pytest.mark.parametrize(
    "args",
    [
        ("ingest", "--no-such-option", "x"),
        ("ingest",),  # no PATH
        ("ingest", "x", "--field", "nonsense"),
        ("analyze", "x", "-o", "report.docx"),
        ("analyze", "x", "--stage", "astrology"),
        ("articles", "list", "--limit", "0"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)


def test_stdin_dash(tmp_path: Path) -> None:
    result = invoke("ingest", "-", "--db", str(tmp_path / "s.db"), "--json", input=GOOD_TEXT)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["new"] == 1


def test_field_map_reaches_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    record = {"headline": "Tram line opens", "body": "The new tram line opened on Monday."}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = str(tmp_path / "f.db")
    fields = ("--field", "text=body", "--field", "title=headline")
    result = invoke("ingest", str(path), "--db", db, *fields, "--json")
    assert result.exit_code == 0, result.stderr
    [aid] = json.loads(result.stdout)["article_ids"]
    with Store.open(db) as store:
        article = store.get_article(aid)
    assert article is not None and article.title == "Tram line opens"


def test_articles_list_and_show(kursk_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    assert invoke("ingest", str(kursk_dir), "--db", db).exit_code == 0
    listed = invoke("articles", "list", "--db", db, "--json", "--limit", "3")
    assert listed.exit_code == 0
    data = json.loads(listed.stdout)
    assert data["total"] == 5 and len(data["articles"]) == 3
    first = data["articles"][0]
    shown = invoke("articles", "show", first["id"][:8], "--db", db, "--json")
    assert shown.exit_code == 0
    article = json.loads(shown.stdout)
    assert article["id"] == first["id"]
    assert article["n_sentences"] == len(article["sentences"]) > 0
    assert isinstance(article["origins"], dict) and article["paragraphs"]
    human = invoke("articles", "show", first["id"], "--db", db)
    assert human.exit_code == 0
    assert "sentences" in human.stdout and "¶1" in human.stdout
    table = invoke("articles", "list", "--db", db)
    assert table.exit_code == 0 and first["id"][:12] in table.stdout
    everything = json.loads(invoke("articles", "list", "--db", db, "--json").stdout)["articles"]
    outlet = next(a["outlet"] for a in everything if a["outlet"])
    only = json.loads(invoke("articles", "list", "--db", db, "--json", "--outlet", outlet).stdout)["articles"]
    assert only and all(a["outlet"] == outlet for a in only) and len(only) < 5
    missing = invoke("articles", "show", "ffffffffffff", "--db", db)
    assert missing.exit_code == 1 and "ffffffffffff" in missing.stderr


class SentenceCountLayer:
    """A reuse layer (no pairs, no groups) that also counts each article's sentences."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def to_dict(self) -> dict:
        per_article = [{"article_id": k, "n": v} for k, v in self.counts.items()]
        return Reuse(pairs=[], groups=[], per_article=per_article).to_dict()


class SentenceCountStage:
    """A small real stage so the CLI tests exercise orchestration without loading models."""

    name = "reuse"
    requires = frozenset({"articles"})
    provides = frozenset({"reuse"})

    def run(self, batch: Batch) -> Batch:
        return batch.with_layer("reuse", SentenceCountLayer({a.id: len(a.sentences) for a in batch.articles}))


@pytest.fixture
def toy_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    specs = (StageSpec("reuse", __name__, "SentenceCountStage", "reuse"),
             StageSpec("claims", "newsprism.no_such_module_for_tests", "ClaimsStage", "claims"))
    monkeypatch.setattr(newsprism.analysis, "STAGES", {s.name: s for s in specs})


def test_analyze_writes_json_and_markdown(kursk_dir: Path, tmp_path: Path, toy_stages: None) -> None:
    out_json, out_md = tmp_path / "r.json", tmp_path / "r.md"
    result = invoke("analyze", str(kursk_dir), "-o", str(out_json))
    assert result.exit_code == 0, result.stderr
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(report["articles"]) == 5 and report["inputs"]["new"] == 5
    assert report["stages"]["ran"] == ["reuse"] and len(report["reuse"]["per_article"]) == 5
    assert "newsprism.no_such_module_for_tests" in report["stages"]["absent"]["claims"]
    assert "reuse" in result.stdout and "absent" in result.stdout  # the summary tables
    result = invoke("analyze", str(kursk_dir), "-o", str(out_md), "--json")
    assert json.loads(result.stdout)["articles"]  # --json: only JSON on stdout
    text = out_md.read_text(encoding="utf-8")
    assert text.startswith("# newsprism report") and "## Articles" in text and "## Text reuse" in text


@pytest.mark.usefixtures("toy_stages")
def test_analyze_with_db_keeps_articles_and_the_report(kursk_dir: Path, tmp_path: Path) -> None:
    from newsprism.stories.queries import list_stories

    db = str(tmp_path / "keep.db")
    result = invoke("analyze", str(kursk_dir), "--db", db, "--json")
    report = json.loads(result.stdout)
    with Store.open(db) as store:
        assert store.count_articles() == 5
        stories, _ = list_stories(store)
    # The articles are linked to the store's stories, and the report is those stories' analysis.
    assert [s["id"] for s in report["stories"]["stories"]] == [s["id"] for s in stories]
    assert all(s["analysis"] is not None for s in stories)
    assert sorted(a["id"] for a in report["articles"]) == sorted(a for s in stories for a in s["article_ids"])


def test_analyze_failing_input_exit_1(tmp_path: Path, toy_stages: None) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    result = invoke("analyze", str(good), str(tmp_path / "missing.txt"), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["inputs"]["failed"] == 1 and len(report["articles"]) == 1
    assert "missing.txt: " in result.stderr
