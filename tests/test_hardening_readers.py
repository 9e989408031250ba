"""Hostile inputs (issue #15): bombs, truncated archives, odd file names and file types, broken
encodings and CSV, symlinks out of the folder, slow servers. Each gives one clear error line and
costs only itself; the good inputs around it are stored. The whole generated corpus through the real
command, alone and beside concurrent writers, is in test_stress.py.
"""

from __future__ import annotations

import gzip
import io
import os
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from hostile_corpus import (
    MiB,
    gzip_bomb,
    page,
    warc_gz,
    warc_record,
)
from newsprism.ingest import ReaderError, ReadOptions, iter_inputs
from newsprism.model import Article


def run(inputs: list[str], **options) -> tuple[list[Article], list[ReaderError]]:
    results = list(iter_inputs(inputs, ReadOptions(**options)))
    return [r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, ReaderError)]


def run_in_thread(inputs: list[str], seconds: float = 20) -> tuple[list[Article], list[ReaderError]]:
    """``run`` that fails the test instead of hanging it (a FIFO opened for reading blocks)."""
    out: list = []
    worker = threading.Thread(target=lambda: out.append(run(inputs)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert out, f"reading {inputs} did not finish within {seconds}s"
    return out[0]


# -- 1, 13: byte budgets on everything that expands ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "prefix", "reason"),
    [
        ("x.warc.gz", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5", "header line longer than"),
        ("x.jsonl.gz", b"", "compression bomb refused"),
        ("x.csv.gz", b"title,text\n", "compression bomb refused"),
        ("x.txt.gz", b"", "compression bomb refused"),
        ("x.html.gz", b"<html><body><p>", "compression bomb refused"),
        ("x.json.gz", b'{"text": "', "compression bomb refused"),
        ("x.rss.gz", b'<rss version="2.0"><channel><title>', "compression bomb refused"),
    ],
)
def test_gzip_bomb_is_one_error(tmp_path: Path, name: str, prefix: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip_bomb(prefix, mib=48))
    articles, errors = run([str(path)])
    assert articles == [] and len(errors) == 1, errors
    assert errors[0].source == str(path) and reason in errors[0].reason


def test_warc_record_body_bomb_and_header_block_cap(tmp_path: Path) -> None:
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/\r\n"
        b"Content-Length: "
        + str(48 * MiB + 60).encode()
        + b"\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    )
    (tmp_path / "body2.warc.gz").write_bytes(gzip_bomb(record, mib=48))
    many = b"WARC/1.0\r\n" + b"X-Pad: " + b"p" * 90 + b"\r\n"
    (tmp_path / "headers.warc").write_bytes(many + (b"X-Pad: " + b"p" * 90 + b"\r\n") * 4000 + b"\r\n")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
    encoded = warc_record("https://x.example/enc", gzip_bomb(b"<p>", mib=30), http=http)
    (tmp_path / "encoded.warc").write_bytes(encoded)
    _, errors = run([str(tmp_path)])
    reasons = {Path(e.source).name: e.reason for e in errors}
    assert len(errors) == 3, reasons
    assert reasons["body2.warc.gz"].startswith("compression bomb refused")
    assert reasons["headers.warc"] == "malformed WARC: header block larger than 262144 bytes"
    assert reasons["encoded.warc"] == (
        "record https://x.example/enc: over the size cap (gzip content larger than 20971520 bytes)"
    )


def test_caps_are_named_options(tmp_path: Path) -> None:
    from newsprism.ingest import limits

    assert ReadOptions().max_bytes == limits.MAX_DOCUMENT_BYTES
    assert ReadOptions().max_decompressed_bytes == limits.MAX_DECOMPRESSED_BYTES
    path = tmp_path / "big.jsonl.gz"  # 2 MiB of ordinary-looking records: past the total budget
    path.write_bytes(gzip.compress(os.urandom(2 * MiB).hex().encode()[: 2 * MiB]))
    _, (error,) = run([str(path)], max_decompressed_bytes=MiB)
    assert error.reason == "over the decompressed size cap (more than 1.0 MiB of content)"


# -- 2, 11: names and reasons are valid, escaped, one line ------------------------------------------


def test_undecodable_file_name_keeps_the_batch(tmp_path: Path) -> None:
    from newsprism.api import IngestOptions, ingest

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good1.txt").write_text("KYIV — First story body here.")
    with open(os.fsencode(folder) + b"/\xe9\xff.txt", "wb") as fh:
        fh.write("OSLO — Another story body.".encode())
    with open(os.fsencode(folder) + b"/bad\xfe\n\x1b[31m.bin", "wb") as fh:
        fh.write(b"\x00binary\x00" * 10)
    db = tmp_path / "n.db"
    report = ingest([str(folder)], str(db), IngestOptions(link=False))
    assert report.new == 2 and report.failed == 1
    with sqlite3.connect(db) as conn:
        paths = sorted(r[0] for r in conn.execute("SELECT source_path FROM articles"))
        errors = list(conn.execute("SELECT source, reason FROM ingest_errors"))
    assert paths == [f"{folder}/\\xe9\\xff.txt", f"{folder}/good1.txt"]
    assert errors == [(f"{folder}/bad\\xfe\\n\\x1b[31m.bin", "binary file (binary data (NUL bytes))")]


def _unescape(shown: str) -> bytes:
    """The file name bytes a ``display_path`` result stands for (the inverse the docstring promises)."""
    out = bytearray()
    i = 0
    while i < len(shown):
        if shown[i] != "\\":
            out += shown[i].encode()
            i += 1
            continue
        kind = shown[i + 1]
        if kind in "\\ntr":
            out += {"\\": b"\\", "n": b"\n", "t": b"\t", "r": b"\r"}[kind]
            i += 2
        elif kind == "x":
            out.append(int(shown[i + 2 : i + 4], 16))
            i += 4
        else:
            out += chr(int(shown[i + 2 : i + 6], 16)).encode()
            i += 6
    return bytes(out)


@pytest.mark.parametrize(
    "raw",
    [
        b"/news/a\\b\xe9\n\x1b[2J\xe2\x80\xae.txt",
        b"/news/\xc2\x85c1\tx\\xe9.txt",
        b"/news/plain \xc3\xa9.txt",
    ],
)
def test_display_path_is_valid_one_line_and_reversible(raw: bytes) -> None:
    from newsprism.ingest.names import display_path

    shown = display_path(os.fsdecode(raw))
    shown.encode("utf-8")  # no surrogates left
    assert "\n" not in shown and "\x1b" not in shown and "\u202e" not in shown
    assert _unescape(shown) == raw
    if b"\\" not in raw and b"\n" not in raw and b"\xff" not in raw and raw.endswith(b"plain \xc3\xa9.txt"):
        assert shown == os.fsdecode(raw)  # a clean name is kept as it is


def test_escape_text_one_line() -> None:
    from newsprism.ingest.names import escape_text

    assert escape_text("line\nbreak\x1b]0;title\x07 \u2028") == "line\\nbreak\\x1b]0;title\\x07 \\u2028"


def test_error_lines_are_escaped_on_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from newsprism.cli.common import echo_input_errors

    echo_input_errors([("evil\nname\x1b[31m.txt", "reason with\r\nlines \u202eand bidi")])
    assert capsys.readouterr().err == "evil\\nname\\x1b[31m.txt: reason with\\r\\nlines \\u202eand bidi\n"


def test_lone_surrogate_in_a_field_is_one_error(tmp_path: Path) -> None:
    from newsprism.api import IngestOptions, ingest

    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "Good story."}\n{"text": "Other story.", "title": "Bad \\ud800 title"}\n')
    report = ingest([str(path)], str(tmp_path / "s.db"), IngestOptions(link=False))
    assert report.new == 1
    assert [(e.source, e.reason) for e in report.errors] == [
        (f"{path}:2", "invalid Unicode: lone surrogate \\ud800 in title")
    ]


# -- 5, 14: only regular files, never out of the folder ---------------------------------------------


def test_fifo_and_socket_are_one_error_each(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("KYIV — A story.")
    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.txt"))
    sock.close()
    articles, errors = run_in_thread([str(tmp_path)])
    assert len(articles) == 1
    assert sorted((Path(e.source).name, e.reason) for e in errors) == [
        ("pipe.txt", "not a regular file"),
        ("sock.txt", "not a regular file"),
    ]
    _, (direct,) = run_in_thread([str(tmp_path / "pipe.txt")])
    assert direct.reason == "not a regular file"


def test_fifo_swapped_in_after_listing_does_not_block(tmp_path: Path) -> None:
    from newsprism.ingest import read_input

    os.mkfifo(tmp_path / "late.txt")  # read_input is what runs after a folder was listed
    out: list = []
    worker = threading.Thread(
        target=lambda: out.append(list(read_input(str(tmp_path / "late.txt"), ReadOptions()))), daemon=True
    )
    worker.start()
    worker.join(10)
    assert out and [e.reason for e in out[0]] == ["not a regular file"]


def test_symlinks_do_not_leave_the_folder_or_loop(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET — must not be read through a link.")
    folder = tmp_path / "news"
    (folder / "sub" / ".store").mkdir(parents=True)
    (folder / "a.txt").write_text("KYIV — First story.")
    (folder / "sub" / ".store" / "kept.txt").write_text("OSLO — Linked story inside the folder.")
    (folder / "inside.txt").symlink_to(folder / "sub" / ".store" / "kept.txt")
    (folder / "passwd.txt").symlink_to(outside / "secret.txt")
    (folder / "outdir").symlink_to(outside)
    (folder / "sub" / "loop").symlink_to("..")
    (folder / "sub" / "self").symlink_to(".")
    articles, errors = run_in_thread([str(folder)])
    assert sorted(a.text for a in articles) == [
        "KYIV — First story.",
        "OSLO — Linked story inside the folder.",
    ]
    assert sorted((Path(e.source).name, e.reason) for e in errors) == [
        ("outdir", "symlink outside the folder, not followed"),
        ("passwd.txt", "symlink outside the folder, not followed"),
    ]
    (direct,), _ = run([str(folder / "passwd.txt")])  # named by the user: followed
    assert direct.text.startswith("SECRET")
    (folder / "broken.txt").symlink_to(tmp_path / "gone.txt")
    assert [e.reason for e in run([str(folder / "broken.txt")])[1]] == ["broken symlink"]


# -- 6: truncated archives ------------------------------------------------------------------------


def test_truncated_warc_records_are_errors(tmp_path: Path) -> None:
    records = [warc_record(f"https://t.example/{i}", page(f"Story {i}").encode()) for i in range(3)]
    plain = b"".join(records)
    (tmp_path / "cut.warc").write_bytes(plain[:-300])
    packed = warc_gz(records)
    (tmp_path / "cut.warc.gz").write_bytes(packed[: len(packed) - len(gzip.compress(records[2])) // 2])
    articles, errors = run([str(tmp_path)])
    assert sorted((Path(a.source_path).name, a.url) for a in articles) == [
        (name, f"https://t.example/{i}") for name in ("cut.warc", "cut.warc.gz") for i in (0, 1)
    ]
    assert sorted((Path(e.source).name, e.reason) for e in errors) == [
        ("cut.warc", "record https://t.example/2: truncated: 322 of 618 bytes (Content-Length) present"),
        ("cut.warc.gz", "truncated gzip data: the compressed stream ends early"),
    ]


# -- 11: warcio's warnings ------------------------------------------------------------------------


def test_bad_warc_records_give_one_line_each_and_nothing_on_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    good = [warc_record(f"https://w.example/{i}", page(f"Story {i}").encode()) for i in range(4)]
    short = [
        warc_record(f"https://w.example/bad{i}", page(f"Bad {i}").encode(), length=200) for i in range(3)
    ]
    path = tmp_path / "mixed.warc"
    path.write_bytes(b"".join(x for pair in zip(good, short + [b""], strict=True) for x in pair))
    articles, errors = run([str(path)])
    assert [a.url for a in articles] == [f"https://w.example/{i}" for i in range(4)]
    assert [e.reason for e in errors] == [
        f"record https://w.example/bad{i}: Content-Length does not match the record (no blank line after it)"
        for i in range(3)
    ]
    assert capfd.readouterr().err == ""


def test_short_content_length_with_a_long_rest_costs_only_its_record(tmp_path: Path) -> None:
    long_page = page("Long", words=40_000).encode()  # one line of ~280 KiB: past the header line cap
    assert b"\n" not in long_page and len(long_page) > 200_000
    records = [
        warc_record("https://l.example/short", long_page, length=1000),
        warc_record("https://l.example/next", page("Next").encode()),
    ]
    path = tmp_path / "long.warc"
    path.write_bytes(b"".join(records))
    articles, errors = run([str(path)])
    assert [a.url for a in articles] == ["https://l.example/next"]
    assert [e.reason for e in errors] == [
        "record https://l.example/short: Content-Length does not match the record (no blank line after it)"
    ]


# -- 8, 10: CSV row by row ------------------------------------------------------------------------


def test_csv_bad_byte_costs_one_row_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(
        b'title,text\nOne,"First body\nover two lines."\nTwo,Bad \xff byte here.\nThree,Third body.\n'
    )
    articles, errors = run([str(path)])
    assert [a.title for a in articles] == ["One", "Three"]
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:4", "undecodable bytes at line 4: not UTF-8 (invalid start byte)")
    ]


def test_csv_unclosed_quote_is_not_merged(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('title,text\nOne,First body.\nTwo,"Unclosed body\nThree,Third body.\nFour,Fourth body.\n')
    articles, errors = run([str(path)])
    assert [a.title for a in articles] == ["One"]
    assert [(e.source, e.reason) for e in errors] == [
        (
            f"{path}:3",
            "malformed CSV at line 3: unclosed quote: the quoted field that starts on line 3 runs to "
            "the end of the file (lines 3-5 not read)",
        )
    ]


def test_csv_stray_quote_closed_later_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        'id,title,text\n1,One,"First body\n2,Two,"Second body."\n3,Three,Third body.\n'
        '4,Four,"Multi\nline, fine ""quoted"" body."\n'
    )
    articles, errors = run([str(path)])
    assert [a.title for a in articles] == ["Three", "Four"]
    assert articles[1].text == 'Multi\n\nline, fine "quoted" body.'
    assert [e.source for e in errors] == [f"{path}:2"]
    assert (
        errors[0].reason.startswith("malformed CSV at line 2: ")
        and "runs from line 2 to 3" in errors[0].reason
    )


def test_csv_oversized_row_skipped_with_its_quoted_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    big = "Big paragraph, with a comma.\n" * 100
    path.write_text(f'title,text\nBig,"{big}"\nSmall,Small body.\n')
    articles, errors = run([str(path)], max_bytes=1000)
    assert [a.title for a in articles] == ["Small"]
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:2", "malformed CSV at line 2: over the size cap (row longer than 1000 bytes)")
    ]


# -- 9: decoding needs evidence -------------------------------------------------------------------


UTF8 = "KYIV — Ukrainian officials said the minister’s aide confirmed the talks would resume.\n".encode()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            UTF8[:20] + b"\xff" + UTF8[20:],
            "undecodable bytes: invalid UTF-8 at line 1 (byte 0xff at offset 20;",
        ),
        (UTF8 * 3 + UTF8[:5] + b"\xc3(" + UTF8[7:], "undecodable bytes: invalid UTF-8 at line 4 (byte 0xc3"),
        (UTF8.replace("—".encode(), "—".encode()[:2]), "undecodable bytes: invalid UTF-8 at line 1"),
        (b"Plain story text with one bad byte \xff here and more words.\n" * 3, "undecodable bytes: stray"),
    ],
)
def test_damaged_utf8_is_reported_not_guessed(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    articles, errors = run([str(path)])
    assert articles == [] and len(errors) == 1 and errors[0].reason.startswith(reason), errors


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("PARIS — Le ministre a été très clair : la réforme était « nécessaire » après la grève.", "cp1252"),
        ("BERLIN - Der Bürgermeister sagte, die Brücke über den Fluß sei gesperrt.", "latin-1"),
        ("MADRID — Señor Muñoz habló; “no”, dijo, «jamás».", "cp1252"),
        ("He said it’s “fine” — really, à bientôt.", "cp1252"),
        ("PRAHA — Přijďte zítra, řekl ministr. Čeština je těžká, ale krásná.", "cp1250"),
    ],
)
def test_legacy_encodings_still_read(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode(encoding))
    (article,), errors = run([str(path)])
    assert errors == [] and article.text == text


# -- 13: a real deadline on URL reads -------------------------------------------------------------


class _Trickle(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(400):  # a byte every 50 ms: every read succeeds well within its timeout
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass


@pytest.fixture
def trickle_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/slow"
    httpd.shutdown()
    httpd.server_close()


def test_url_deadline_covers_the_whole_body(trickle_server: str) -> None:
    start = time.monotonic()
    _, (error,) = run([trickle_server], allow_private=True, timeout_s=1.0)
    elapsed = time.monotonic() - start
    assert error.reason.startswith("timeout")
    assert elapsed < 1.8, f"a 1 s deadline took {elapsed:.1f}s"


def test_stdin_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"text": "From a pipe."}\n')))
    (article,), errors = run(["-"])
    assert article.text == "From a pipe." and errors == []
