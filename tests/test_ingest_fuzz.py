"""Property tests: whatever bytes a reader gets, it yields documents or ``ReaderError``s and never raises."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.ingest import READERS, ReaderError, ReadOptions, iter_inputs
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.ingest.detect import detect_format
from newsprism.model import Article

DATA = Path(__file__).parent / "data" / "ingest"
FIXTURES = {
    "text": (DATA / "header.txt").read_bytes(),
    "html": (DATA / "article.html").read_bytes(),
    "json": b'[{"text": "First \\u201cquoted\\u201d story.", "title": "A"}, '
    b'{"body": "Second.", "date": 17e8}]',
    "jsonl": (DATA / "records.jsonl").read_bytes(),
    "csv": (DATA / "records.csv").read_bytes(),
    "feed": (DATA / "feed.xml").read_bytes(),
}
OPTIONS = ReadOptions(max_bytes=200_000)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _warc_bytes() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://a.example/x", "response", payload=io.BytesIO(FIXTURES["html"]), http_headers=headers
        )
    )
    return out.getvalue()


FIXTURES["warc"] = _warc_bytes()


def _drain(fmt: str, data: bytes) -> None:
    for result in READERS[fmt]("fuzz." + fmt, io.BytesIO(data), OPTIONS):
        assert isinstance(result, RawDocument | ReaderError), type(result)
        if isinstance(result, RawDocument):
            try:
                article = build_article(result)
            except ReaderError:
                continue
            assert isinstance(article, Article)


@pytest.mark.parametrize("fmt", sorted(READERS))
@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes(fmt: str, data: bytes) -> None:
    _drain(fmt, data)


@pytest.mark.parametrize("fmt", sorted(FIXTURES))
@FUZZ
@given(cut=st.floats(min_value=0, max_value=1))
def test_truncated_documents(fmt: str, cut: float) -> None:
    data = FIXTURES[fmt]
    _drain(fmt, data[: int(len(data) * cut)])


@pytest.mark.parametrize("fmt", sorted(FIXTURES))
@FUZZ
@given(
    encoding=st.sampled_from(["cp1252", "latin-1", "utf-16-le", "utf-16", "koi8-r", "shift_jis", "cp437"]),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
)
def test_mis_encoded_and_corrupted(fmt: str, encoding: str, flips: list[tuple[float, int]]) -> None:
    raw = FIXTURES[fmt]
    data = bytearray(raw.decode("utf-8", "replace").encode(encoding, "replace") if fmt != "warc" else raw)
    for where, value in flips:
        if data:
            data[int(where * (len(data) - 1))] = value
    _drain(fmt, bytes(data))


@FUZZ
@given(
    data=st.binary(max_size=2000),
    name=st.sampled_from(["x.txt", "x.dat", "x.json", "x.warc.gz", "x.jsonl.gz", "x"]),
)
def test_iter_inputs_on_random_files(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    for result in iter_inputs([str(path)], OPTIONS):
        assert isinstance(result, Article | ReaderError)
        if isinstance(result, ReaderError):
            assert result.source.split(":")[0] == str(path)  # errors name the input
            assert not result.reason.startswith("could not build article"), result.reason


@FUZZ
@given(data=st.binary(max_size=2000), name=st.sampled_from(["x.jsonl.gz", "x.csv.gz", "x.gz", "x.txt.gz"]))
def test_iter_inputs_on_gzipped_random_content(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    import gzip

    path = tmp_path_factory.mktemp("fuzzgz") / name
    path.write_bytes(gzip.compress(data))
    for result in iter_inputs([str(path)], OPTIONS):
        assert isinstance(result, Article | ReaderError)


@given(head=st.binary(max_size=600), name=st.text(max_size=20))
@settings(max_examples=200, deadline=None)
def test_detect_format_total(head: bytes, name: str) -> None:
    assert detect_format(name, head) in {None, "text", "html", "json", "jsonl", "csv", "warc", "feed"}
