"""Each reader on real-looking inputs, through the public entry point ``iter_inputs``."""

from __future__ import annotations

import gzip
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsprism.ingest import ReaderError, ReadOptions, detect_format, iter_inputs
from newsprism.model import Article

DATA = Path(__file__).parent / "data" / "ingest"


def run(inputs: list[str], **options) -> tuple[list[Article], list[ReaderError]]:
    results = list(iter_inputs(inputs, ReadOptions(**options)))
    articles = [r for r in results if isinstance(r, Article)]
    errors = [r for r in results if isinstance(r, ReaderError)]
    assert len(articles) + len(errors) == len(results)
    return articles, errors


def test_text_with_header_block() -> None:
    (a,), errors = run([str(DATA / "header.txt")])
    assert errors == []
    assert a.title == "Quake rattles southern Japan"
    assert a.outlet == "Pacific Wire"
    assert a.url == "https://www.pacificwire.example/asia/quake"
    assert a.byline == "Ken Sato"
    assert a.language == "en"
    assert a.published == datetime.fromisoformat("2025-01-13T21:19:00+09:00")
    assert a.origins["title"] == "read" and a.origins["published"] == "read"
    assert a.dateline == "MIYAZAKI, Japan" and a.origins["dateline"] == "inferred:dateline"
    assert a.outlet_domain == "pacificwire.example" and a.origins["outlet_domain"] == "inferred:url"
    assert a.text.startswith("MIYAZAKI, Japan — A magnitude 6.9")  # the header is not article text
    assert len(a.paragraphs) == 2 and len(a.sentences) == 2


def test_text_header_needs_only_recognised_keys(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Note: embargoed until noon\nTitle: Not a header\n\nThe body text follows here.\n")
    (a,), _ = run([str(path)])
    assert a.text.startswith("Note: embargoed until noon")
    assert a.origins.get("title") != "read"


def test_html_page_drops_boilerplate_and_reads_metadata() -> None:
    (a,), errors = run([str(DATA / "article.html")])
    assert errors == []
    assert a.source_format == "html"
    assert a.title == "Floods force thousands from homes in northern Italy"
    assert a.outlet == "Adriatic Herald" and a.origins["outlet"] == "read"
    assert a.canonical_url == "https://www.adriaticherald.example/world/2025/05/14/italy-floods"
    assert a.byline == "Giulia Rossi"
    assert a.published == datetime.fromisoformat("2025-05-14T08:15:00+02:00")
    assert a.language == "en"
    assert a.dateline == "BOLOGNA, Italy"
    for boilerplate in ("Subscribe", "cookies", "Most read", "All rights reserved", "Privacy"):
        assert boilerplate not in a.text
    assert len(a.paragraphs) == 4  # paragraph structure kept
    assert a.text.split("\n\n")[2].startswith("“We have never seen")


def test_jsonl_bad_line_reported_and_other_lines_kept() -> None:
    articles, errors = run([str(DATA / "records.jsonl")])
    assert [a.external_id for a in articles] == ["a-1", "a-3"]
    by_source = {e.source: e.reason for e in errors}
    src = str(DATA / "records.jsonl")
    assert by_source[f"{src}:2"].startswith("malformed JSON at line 2: ")
    assert by_source[f"{src}:5"].startswith("no article text found")
    first, third = articles
    assert first.title == "Wildfire spreads near Athens"
    assert first.outlet == "Associated Press" and first.origins["outlet"] == "inferred:url"
    assert first.published == datetime(2025, 7, 21, 10, tzinfo=UTC)
    assert third.outlet == "Reuters" and third.origins["outlet"] == "read"  # {"source": {"name": ...}}
    assert third.byline == "Jane Doe, John Roe"
    assert third.published == datetime.fromtimestamp(1753351200, tz=UTC)  # epoch seconds
    assert third.dateline == "FRANKFURT"


def test_json_array_with_field_map(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    records = [
        {"story": {"txt": "First story text. It has two sentences."}, "hed": "One", "when": "2025-02-01"},
        {"story": {"txt": ""}, "hed": "Empty"},
    ]
    path.write_text(json.dumps(records))
    articles, errors = run([str(path)], field_map={"text": "story.txt", "title": "hed", "published": "when"})
    assert [a.title for a in articles] == ["One"]
    assert articles[0].published.date().isoformat() == "2025-02-01"
    assert len(errors) == 1 and errors[0].source == str(path) and errors[0].reason.startswith("item 1: ")


def test_json_single_object_and_malformed(tmp_path: Path) -> None:
    good = tmp_path / "one.json"
    good.write_text(json.dumps({"content": "A single article body.", "headline": "Solo"}))
    bad = tmp_path / "bad.json"
    bad.write_text('{"content": "unterminated\n  , }')
    articles, errors = run([str(good), str(bad)])
    assert [a.title for a in articles] == ["Solo"]
    assert errors[0].source == str(bad) and errors[0].reason.startswith("malformed JSON at line 1")


def test_csv_with_multiline_and_big_fields(tmp_path: Path) -> None:
    articles, errors = run([str(DATA / "records.csv")])
    assert errors == []
    assert [a.external_id for a in articles] == ["c-1", "c-2"]
    assert len(articles[0].paragraphs) == 2  # a newline inside a quoted field is a paragraph break
    big = tmp_path / "big.csv"
    body = "Word " * 60_000 + "end."
    big.write_text(f'title,text\nHuge,"{body}"\n')
    (a,), errors = run([str(big)])
    assert errors == [] and len(a.text) > 200_000


def _write_warc(path: Path, pages: list[tuple[str, str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        for uri, content_type, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body.encode("utf-8")),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2025-04-27T06:00:00Z"},
            )
            writer.write_record(record)
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            )
        )


@pytest.mark.parametrize("name", ["capture.warc", "capture.warc.gz"])
def test_warc_html_responses_only(tmp_path: Path, name: str) -> None:
    page = (DATA / "article.html").read_text()
    undated = (
        "<html><body><article><p>"
        + "Rescue teams reached the village on Sunday. " * 5
        + "</p></article></body></html>"
    )
    path = tmp_path / name
    _write_warc(
        path,
        [
            ("https://www.adriaticherald.example/world/italy-floods", "text/html; charset=utf-8", page),
            ("https://www.adriaticherald.example/logo.png", "image/png", "PNGDATA"),
            ("https://news.example.org/village", "text/html", undated),
        ],
    )
    articles, errors = run([str(path)])
    assert errors == []
    assert [a.url for a in articles] == [
        "https://www.adriaticherald.example/world/italy-floods",
        "https://news.example.org/village",
    ]
    assert all(a.source_format == "warc" and a.source_path == str(path) for a in articles)
    assert articles[0].origins["published"] == "read"
    assert articles[1].published == datetime(2025, 4, 27, 6, tzinfo=UTC)
    assert articles[1].origins["published"] == "inferred:warc-date"


def test_feed_entries_content_or_summary() -> None:
    articles, errors = run([str(DATA / "feed.xml")])
    assert errors == []
    first, second = articles
    assert first.title == "Ceasefire talks resume in Doha"
    assert first.text.startswith("DOHA, Qatar — Negotiators") and len(first.paragraphs) == 2
    assert first.byline == "Sam Okafor" and first.external_id == "hp-2025-0001"
    assert first.published == datetime(2025, 4, 26, 14, 30, tzinfo=UTC)
    assert first.outlet == "Harbour Post — World"
    assert (
        second.text == "Dock workers extended their strike for a second week on Sunday, union leaders said."
    )


def test_feed_without_entries(tmp_path: Path) -> None:
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>')
    _, (error,) = run([str(path)])
    assert error.reason == "feed without entries"


def test_folder_recursive_with_sniffing(tmp_path: Path) -> None:
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("KYIV — First story body.")
    (tmp_path / "sub" / "page.dat").write_text((DATA / "article.html").read_text())  # unknown extension
    (tmp_path / "sub" / ".hidden" / "skip.txt").write_text("Hidden.")
    (tmp_path / "sub" / "photo.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "sub" / "empty.txt").write_text("  \n")
    articles, errors = run([str(tmp_path)])
    assert sorted(a.source_format for a in articles) == ["html", "text"]
    reasons = {Path(e.source).name: e.reason for e in errors}
    assert reasons == {"photo.bin": "binary file (PNG image)", "empty.txt": "empty file"}


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b'{"text": "From a pipe."}\n{"text": "Second."}\n'))
    monkeypatch.setattr(sys, "stdin", fake)
    articles, errors = run(["-"])
    assert [a.text for a in articles] == ["From a pipe.", "Second."] and errors == []
    assert articles[0].source_path == "-:1"


def test_missing_input_and_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("A long story. " * 1000)
    _, errors = run([str(tmp_path / "nope.txt"), str(big)], max_bytes=1000)
    assert [e.reason for e in errors] == [
        "no such file or directory",
        "over the size cap (more than 1000 bytes)",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            "Café “quoted” it’s — naïve résumé, again and again. ".encode()
            .decode("cp1252", "replace")
            .encode("utf-8"),
            "undecodable bytes: text looks mis-encoded",
        ),
        (bytes(range(128, 256)) * 8, "undecodable bytes"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF document)"),
    ],
)
def test_bad_bytes_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    _, (error,) = run([str(path)])
    assert error.source == str(path) and error.reason.startswith(reason)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16", b""), ("utf-8-sig", b""), ("cp1252", b"")],
)
def test_encodings_decoded(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "PARIS — Le président a déclaré que la réforme était « nécessaire ». Les syndicats ont réagi."
    path = tmp_path / "fr.txt"
    path.write_bytes(bom + text.encode(encoding))
    (a,), _ = run([str(path)])
    assert a.text == text


def test_detect_format() -> None:
    assert detect_format("x.warc.gz", b"") == "warc"
    assert detect_format("x.JSONL", b"") == "jsonl"
    assert detect_format("x.xml", b'<?xml version="1.0"?>\n<rss version="2.0">') == "feed"
    assert (
        detect_format("x.xml", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">') == "feed"
    )
    assert detect_format("noext", b"<!DOCTYPE html><html><body>") == "html"
    assert detect_format("noext", b'{"text": "a"}\n{"text": "b"}\n') == "jsonl"
    assert detect_format("noext", b'{\n  "text": "a"\n}') == "json"
    assert detect_format("noext", b"id,title,text\n1,a,b\n") == "csv"
    assert detect_format("noext", b"Just some words, and a comma.\nMore words.") == "text"
    assert detect_format("noext", b"WARC/1.1\r\nWARC-Type: warcinfo") == "warc"
    assert detect_format("noext", gzip.compress(b"WARC/1.0\r\n")) == "warc"
    assert detect_format("noext", gzip.compress(b"hello")) is None
    assert detect_format("noext", b"\x00\x01\x02binary") is None


def test_csv_errors_name_the_record_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('title,text\nOne,"First body\nspans two lines."\nTwo,\nThree,Third body.,extra\n')
    articles, errors = run([str(path)])
    assert [a.title for a in articles] == ["One"]
    assert [(e.source, e.reason.split(" (")[0]) for e in errors] == [
        (f"{path}:4", "no article text found"),
        (f"{path}:5", "malformed CSV at line 5: more fields than the header"),
    ]


def test_mislabelled_files(tmp_path: Path) -> None:
    lines = tmp_path / "lines.json"
    lines.write_text('{"text": "One."}\n{"text": "Two."}\n')
    page = tmp_path / "saved.txt"
    page.write_bytes((DATA / "article.html").read_bytes())
    articles, errors = run([str(lines), str(page)])
    assert errors == []
    assert [a.source_path for a in articles[:2]] == [f"{lines}:1", f"{lines}:2"]
    assert articles[2].source_format == "html" and "<p>" not in articles[2].text


def test_field_map_aliases_and_unknown_fields(tmp_path: Path) -> None:
    from newsprism.ingest.records import normalize_field_map

    assert normalize_field_map({"id": "guid", "date": "when", "text": "body"}) == {
        "external_id": "guid",
        "published": "when",
        "text": "body",
    }
    with pytest.raises(ValueError, match="unknown field 'colour'"):
        normalize_field_map({"colour": "x"})
    path = tmp_path / "x.jsonl"
    path.write_text('{"guid": "g-1", "copy": "Body text."}\n')
    (a,), _ = run([str(path)], field_map={"id": "guid", "text": "copy"})
    assert a.external_id == "g-1" and a.text == "Body text."
    _, (error,) = run([str(path)], field_map={"colour": "x"})
    assert error.reason.startswith("unreadable jsonl: ValueError: unknown field 'colour'")


class _LazyJsonl(io.RawIOBase):
    """An endless-looking JSONL pipe that counts how many bytes were pulled from it."""

    def __init__(self, lines: int):
        self.lines, self.emitted, self.pulled = lines, 0, 0
        self.buffer_ = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001
        while len(self.buffer_) < len(buffer) and self.emitted < self.lines:
            self.emitted += 1
            self.buffer_ += json.dumps({"text": f"Story number {self.emitted}."}).encode() + b"\n"
        n = min(len(buffer), len(self.buffer_))
        buffer[:n] = self.buffer_[:n]
        self.buffer_ = self.buffer_[n:]
        self.pulled += n
        return n


def test_iter_inputs_streams_records(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = _LazyJsonl(lines=200_000)  # ~7 MB if read whole
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(pipe)))
    results = iter_inputs(["-"], ReadOptions())
    first = [next(results) for _ in range(3)]
    assert [a.text for a in first] == ["Story number 1.", "Story number 2.", "Story number 3."]
    assert pipe.pulled < 200_000  # only what the first records needed, not the whole pipe


def test_jsonl_oversized_line_skipped(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "Small one."}) + "\n")
    articles, errors = run([str(path)], max_bytes=1000)
    assert [a.text for a in articles] == ["Small one."]
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:1", "over the size cap (line 1 longer than 1000 bytes)")
    ]


def test_gzipped_inputs(tmp_path: Path) -> None:
    (tmp_path / "dump.jsonl.gz").write_bytes(gzip.compress((DATA / "records.jsonl").read_bytes()))
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress((DATA / "header.txt").read_bytes()))
    (tmp_path / "broken.csv.gz").write_bytes(gzip.compress((DATA / "records.csv").read_bytes())[:60])
    (tmp_path / "double.gz").write_bytes(gzip.compress(gzip.compress(b"hello")))
    articles, errors = run([str(tmp_path)])
    assert sorted(a.external_id or a.title for a in articles) == [
        "Quake rattles southern Japan",
        "a-1",
        "a-3",
    ]
    reasons = {(Path(e.source.split(".gz")[0]).name, e.reason.split(":")[0]) for e in errors}
    assert ("dump.jsonl", "malformed JSON at line 2") in reasons
    assert ("double", "binary file (gzip archive)") in reasons
    assert any(name == "broken.csv" for name, _ in reasons)
