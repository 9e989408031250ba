"""A generated corpus of hostile inputs next to good ones, for hardening and stress tests.

``write_hostile_corpus(root)`` writes, under ``root``: gzip bombs of every compressed format newsprism
reads, truncated archives, undecodable and control-character file names, a FIFO and a socket,
symlinks out of the folder and in a loop, mixed and broken encodings, lines longer than the
document cap, and reports of one event dated with and without a zone (which once poisoned a store).
Each input is a ``Case`` saying how many articles it should give and whether it should give one
error line (and what that line says); ``check_run`` checks a run over the whole corpus against them.
Nothing is committed: everything is built in the folder given, in a few seconds, and the bombs are
a few hundred kilobytes each on disk.

    from hostile_corpus import write_hostile_corpus
    corpus = write_hostile_corpus(tmp_path / "corpus")
    code, out, err, peak_rss = run_cli(["ingest", str(corpus.root), "--db", "sqlite:///x.db"])
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

MiB = 1 << 20
DATA = Path(__file__).parent / "data" / "ingest"


@dataclass(frozen=True)
class Case:
    """One input: ``name`` relative to the corpus root (as newsprism shows it), what it should give."""

    name: str
    articles: int = 0  # articles it stores (at least this many when not ``exact``)
    error: str | None = None  # a fragment of its one error line; None: no error line
    exact: bool = True
    raw_name: bytes | None = None  # the name on disk, when it is not ``name`` (undecodable bytes)
    folder_only: bool = False  # an error only inside a folder (a link the user names is followed)
    published: tuple[datetime, ...] = ()  # the instants its articles carry, when it dates them


@dataclass
class HostileCorpus:
    root: Path
    cases: list[Case] = field(default_factory=list)
    bombs: list[str] = field(default_factory=list)  # names of the compression bombs

    def path(self, case: Case) -> str:
        """The path to open for ``case`` (its real bytes, as Python spells them)."""
        return os.fsdecode(os.fsencode(self.root) + b"/" + (case.raw_name or os.fsencode(case.name)))

    @property
    def good(self) -> list[Case]:
        return [c for c in self.cases if c.error is None]

    @property
    def bad(self) -> list[Case]:
        return [c for c in self.cases if c.error is not None]


def gzip_bomb(prefix: bytes = b"", mib: int = 512, fill: bytes = b"\0") -> bytes:
    """A valid gzip file of ``prefix`` and ``mib`` MiB of ``fill`` bytes, about 1 KiB per MiB.

    Built by repeating one fully flushed deflate block, so a 512 MiB bomb takes a fraction of a
    second to write instead of compressing half a gigabyte.
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    chunk = fill * MiB
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.flush()
    crc = zlib.crc32(prefix)
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    size = (len(prefix) + mib * MiB) & 0xFFFFFFFF
    return (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        + head
        + block * mib
        + tail
        + struct.pack("<II", crc, size)
    )


def page(title: str, words: int = 60) -> str:
    """An HTML article page trafilatura reads as one article."""
    body = " ".join(f"{title} witnesses described the scene in detail number {i}." for i in range(words // 8))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p><p>Officials said more would follow on {title}.</p></article></body></html>"
    )


def warc_record(uri: str, body: bytes, *, length: int | None = None, http: bytes | None = None) -> bytes:
    """One uncompressed WARC response record; ``length`` overrides its Content-Length."""
    http = http or b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    block = http + body
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: "
        + uri.encode()
        + b"\r\nWARC-Date: 2025-04-27T06:00:00Z\r\nWARC-Record-ID: <urn:uuid:"
        + uri.encode()[-8:].rjust(8, b"0")
        + b">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: "
        + str(len(block) if length is None else length).encode()
        + b"\r\n\r\n"
        + block
        + b"\r\n\r\n"
    )


def warc_gz(records: list[bytes]) -> bytes:
    """Records as a WARC.gz: one gzip member per record, as crawlers write them."""
    return b"".join(gzip.compress(r) for r in records)


def _bombs(root: Path, mib: int, warc_mib: int) -> list[Case]:
    body_record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
        + str(mib * MiB + 60).encode()
        + b"\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    )
    bombs = {
        "bomb.warc.gz": b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5",  # header line never ends
        "bomb-body.warc.gz": body_record,
        "bomb.jsonl.gz": b"",
        "bomb.csv.gz": b"title,text\n",
        "bomb.txt.gz": b"",
        "bomb.html.gz": b"<html><body><p>",
        "bomb.json.gz": b'{"text": "',
        "bomb.rss.gz": b'<?xml version="1.0"?><rss version="2.0"><channel><title>',
    }
    cases = []
    for name, prefix in bombs.items():
        (root / name).write_bytes(gzip_bomb(prefix, warc_mib if name == "bomb.warc.gz" else mib))
        # the unterminated WARC header line meets the header cap before the expansion cap
        cases.append(Case(name, error="header line longer" if name == "bomb.warc.gz" else "compression bomb"))
    # blank lines after a good one: read line by line until the budget stops it
    (root / "newlines.jsonl.gz").write_bytes(gzip_bomb(b'{"text": "A real story."}\n', mib, fill=b"\n"))
    cases.append(Case("newlines.jsonl.gz", 1, error="compression bomb refused"))
    (root / "bomb.gz").write_bytes(gzip_bomb(b"", mib))
    cases.append(Case("bomb.gz", error="binary file"))  # what is inside is not text: read 8 KiB, refused
    # an HTML body gzip-encoded inside an uncompressed WARC record
    encoded = gzip_bomb(b"<html><body><p>", mib)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
    (root / "encoded-bomb.warc").write_bytes(warc_record("https://bomb.example/enc", encoded, http=http))
    cases.append(Case("encoded-bomb.warc", error="over the size cap"))
    return cases


def _pages(tag: str, n: int = 3) -> list[bytes]:
    # distinct pages per archive: the same article in two inputs would be a duplicate, not "stored once"
    return [warc_record(f"https://{tag}.example/{i}", page(f"{tag} story {i}").encode()) for i in range(n)]


def _truncated(root: Path) -> list[Case]:
    records = _pages("gz")
    whole = warc_gz(records)
    last = len(gzip.compress(records[2]))
    (root / "truncated.warc.gz").write_bytes(whole[: len(whole) - last // 2])
    plain = b"".join(_pages("plain"))
    (root / "truncated.warc").write_bytes(plain[: len(plain) - 200])
    records = _pages("length")
    short = warc_record("https://length.example/short", page("Short").encode(), length=300)
    (root / "badlength.warc").write_bytes(b"".join([records[0], short, records[2]]))
    lines = b"".join(json.dumps({"text": f"Line story {i}. " * 20}).encode() + b"\n" for i in range(400))
    packed = gzip.compress(lines)
    (root / "truncated.jsonl.gz").write_bytes(packed[: len(packed) * 2 // 3])
    return [
        Case("truncated.warc.gz", articles=2, error="truncated gzip data"),
        Case("truncated.warc", articles=2, error="truncated"),
        Case("badlength.warc", articles=2, error="Content-Length does not match"),
        Case("truncated.jsonl.gz", articles=1, error="truncated gzip data", exact=False),
    ]


def _names_and_files(root: Path) -> list[Case]:
    text = "KYIV — {} officials said on Sunday that the talks would resume next week.\n"
    (root / "good1.txt").write_text(text.format("Ukrainian"))
    raw_root = os.fsencode(root)
    with open(raw_root + b"/\xe9\xff.txt", "wb") as fh:  # not UTF-8: stored under an escaped name
        fh.write(text.format("Polish").encode())
    with open(raw_root + b"/evil\n\x1b[31mname.txt", "wb") as fh:  # a newline and a terminal escape
        fh.write(text.format("Latvian").encode())
    with open(raw_root + b"/bad\xff\x1b[2J.bin", "wb") as fh:
        fh.write(b"\x00\x01binary\x00" * 64)
    (root / "sub").mkdir()
    (root / "sub" / "nested.txt").write_text(text.format("Estonian"))
    (root / "sub" / "loop").symlink_to("..")  # a folder link back up: must not loop
    (root / ".hidden").mkdir()
    (root / ".hidden" / "kept.txt").write_text(text.format("Finnish"))
    (root / "inside-link.txt").symlink_to(root / ".hidden" / "kept.txt")  # inside the folder: followed
    (root / "passwd.txt").symlink_to("/etc/passwd")
    (root / "etc-dir").symlink_to("/etc")
    (root / "broken.txt").symlink_to(root / "nowhere.txt")
    os.mkfifo(root / "fifo.txt")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(root / "socket.txt"))
    sock.close()  # the socket file stays
    (root / "good.html").write_bytes((DATA / "article.html").read_bytes())
    lines = [{"text": "Harbour story one.", "id": "h-1"}, {"text": "Harbour story two.", "id": "h-2"}]
    (root / "good.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(x) + "\n" for x in lines).encode()))
    (root / "good.warc.gz").write_bytes(
        warc_gz([warc_record("https://good.example/a", page("Harbour").encode())])
    )
    return [
        Case("good1.txt", 1),
        Case("\\xe9\\xff.txt", 1, raw_name=b"\xe9\xff.txt"),
        Case("evil\\n\\x1b[31mname.txt", 1, raw_name=b"evil\n\x1b[31mname.txt"),
        Case("bad\\xff\\x1b[2J.bin", error="binary file", raw_name=b"bad\xff\x1b[2J.bin"),
        Case("sub/nested.txt", 1),
        Case("inside-link.txt", 1),
        Case("passwd.txt", error="symlink outside the folder, not followed", folder_only=True),
        Case("etc-dir", error="symlink outside the folder, not followed", folder_only=True),
        Case("broken.txt", error="broken symlink"),
        Case("fifo.txt", error="not a regular file"),
        Case("socket.txt", error="not a regular file"),
        Case("good.html", 1),
        Case("good.jsonl.gz", 2),
        Case("good.warc.gz", 1),
    ]


def _encodings_and_sizes(root: Path, huge: int) -> list[Case]:
    french = "PARIS — Le ministre a été très clair : la réforme était « nécessaire » après la grève.\n"
    (root / "latin1.txt").write_bytes(french.encode("cp1252"))
    (root / "utf16.txt").write_bytes(french.replace("PARIS", "LYON").encode("utf-16"))
    utf8 = "KYIV — Officials said the minister’s aide confirmed the plan on Sunday.\n".encode()
    (root / "badutf8.txt").write_bytes(utf8[:30] + b"\xff" + utf8[30:])
    (root / "stray.txt").write_bytes(b"Plain story text with one stray byte \x9d here.\n")
    (root / "huge.txt").write_bytes(b"word " * (huge // 5))
    (root / "hugeline.jsonl").write_bytes(
        b'{"text": "' + b"x" * huge + b'"}\n' + json.dumps({"text": "Small story."}).encode() + b"\n"
    )
    (root / "huge.csv").write_bytes(b'title,text\nBig,"' + b"y" * huge + b'"\nSmall,Small row story.\n')
    (root / "badbyte.csv").write_bytes(
        b'title,text\nOne,"First row,\nover two lines."\nTwo,Bad \xff byte.\nThree,Third row.\n'
    )
    (root / "unclosed.csv").write_bytes(
        b'title,text\nOne,First row.\nTwo,"Unclosed quote\nThree,Third row.\nFour,Fourth row.\n'
    )
    return [
        Case("latin1.txt", 1),
        Case("utf16.txt", 1),
        Case("badutf8.txt", error="invalid UTF-8 at line 1"),
        Case("stray.txt", error="undecodable bytes"),
        Case("huge.txt", error="over the size cap"),
        Case("hugeline.jsonl", 1, error="over the size cap"),
        Case("huge.csv", 1, error="over the size cap"),
        Case("badbyte.csv", 2, error="undecodable bytes at line 4"),
        Case("unclosed.csv", 1, error="unclosed quote"),
    ]


SUDZHA = ("The minister said troops reached the border town of Sudzha on Tuesday after long talks with "
          "officials in Kursk region, and the governor confirmed the convoy crossed the river bridge.")


def write_mixed_zone_inputs(folder: Path) -> None:
    """A date without a zone (text header) and one with a zone (JSON): one story, once a crash."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(f"Title: Troops reach Sudzha\nDate: 2024-05-01\n\n{SUDZHA}\n", "utf-8")
    (folder / "b.json").write_text(json.dumps([{
        "title": "Troops reach Sudzha border", "published": "2024-05-02T10:00:00Z", "outlet": "B",
        "text": SUDZHA + " Officials said more would follow."}]), "utf-8")


def _time_zones(root: Path) -> list[Case]:
    """Reports of one event dated in every way the readers see: no zone, Z, offsets either side of
    UTC (HTML meta, JSON lines, an RSS date). Linked together they once crashed comparing dates."""
    folder = root / "zones"
    write_mixed_zone_inputs(folder)
    (folder / "c.html").write_text(
        "<html><head><title>Sudzha convoy crosses bridge</title>"
        '<meta property="article:published_time" content="2024-05-02T12:30:00+02:00"></head>'
        f"<body><article><h1>Sudzha convoy crosses bridge</h1><p>{SUDZHA} Residents described the "
        "scene in detail.</p><p>The governor said more would follow on Wednesday.</p></article>"
        "</body></html>",
        "utf-8")
    lines = [{"text": SUDZHA + " A local official spoke later.", "published": "2024-05-02 09:15:00-05:00"},
             {"text": SUDZHA + " Another witness spoke.", "published": "2024-05-03T07:00:00", "outlet": "E"}]
    (folder / "d.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    (folder / "e.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>Sudzha update'
        "</title><link>https://f.example/1</link><pubDate>Thu, 02 May 2024 08:00:00 -0400</pubDate>"
        f"<description>{SUDZHA} The feed adds one line.</description></item></channel></rss>", "utf-8")

    def at(*parts: int) -> datetime:
        return datetime(*parts, tzinfo=UTC)

    return [
        Case("zones/a.txt", 1, published=(at(2024, 5, 1),)),
        Case("zones/b.json", 1, published=(at(2024, 5, 2, 10),)),
        Case("zones/c.html", 1, published=(at(2024, 5, 2, 10, 30),)),
        Case("zones/d.jsonl", 2, published=(at(2024, 5, 2, 14, 15), at(2024, 5, 3, 7))),
        Case("zones/e.rss", 1, published=(at(2024, 5, 2, 12),)),
    ]


def write_hostile_corpus(
    root: Path, *, bomb_mib: int = 64, warc_bomb_mib: int = 512, huge_bytes: int = 21 * MiB
) -> HostileCorpus:
    """Write the corpus under ``root`` (created); see the module docstring.

    ``warc_bomb_mib`` sizes the bomb issue #15 reproduced (a 510 KB ``.warc.gz`` of 512 MiB that
    took ingest past 6 GB); the other bombs are ``bomb_mib``, which is plenty to show that reading
    stops at the budget, and quicker to write (a gzip trailer needs the CRC of every byte).
    """
    root.mkdir(parents=True, exist_ok=True)
    corpus = HostileCorpus(root)
    bombs = _bombs(root, bomb_mib, warc_bomb_mib)
    corpus.bombs = [c.name for c in bombs]
    corpus.cases = (bombs + _truncated(root) + _names_and_files(root) + _encodings_and_sizes(root, huge_bytes)
                    + _time_zones(root))
    return corpus


def input_name(source: str, root: Path) -> str:
    """The corpus input a stored source or an error line names (``root/NAME:line...`` -> NAME)."""
    return source.removeprefix(f"{root}/").split(":")[0]


def check_run(corpus: HostileCorpus, stderr: str, sources: Iterable[str]) -> dict[str, int]:
    """What a run over the whole corpus must show: exactly one error line per bad input, holding its
    reason, none for a good one, and as many stored articles per input as its case says (``sources``:
    the stored articles' source paths). Returns the stored count per input."""
    lines = [line for line in stderr.splitlines() if line.strip()]  # Rich's progress leaves blank lines
    stored: dict[str, int] = {}
    for source in sources:
        stored[input_name(source, corpus.root)] = stored.get(input_name(source, corpus.root), 0) + 1
    for case in corpus.cases:
        mine = [line for line in lines if input_name(line, corpus.root) == case.name]
        if case.error is None:
            assert mine == [], mine
        else:
            assert len(mine) == 1 and case.error in mine[0], (case, mine)
        got = stored.get(case.name, 0)
        assert got == case.articles if case.exact else got >= case.articles, (case, got)
    assert len(lines) == len(corpus.bad), lines
    return stored


# Runs the command in a fork of a small Python: the peak RSS the kernel reports for a child includes
# the memory of the process it was forked from (pytest's, which may hold loaded models), so the
# command is started from a fresh, small process, and that process reports the command's own peak.
_MEASURED = """
import os, resource, sys
limit, report = int(sys.argv[1]), sys.argv[2]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.executable, [sys.executable, "-m", "newsprism.cli", *sys.argv[3:]])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    fh.write(str(usage.ru_maxrss * 1024))
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
"""


def run_cli(args: list[str], *, mem_bytes: int = 2 << 30, timeout: float = 300) -> tuple[int, str, str, int]:
    """``python -m newsprism.cli ARGS`` under an address-space cap.

    Returns (exit code, stdout, stderr, the command's own peak RSS in bytes).
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "rss")
        command = [sys.executable, "-c", _MEASURED, str(mem_bytes), report, *args]
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        rss = int(Path(report).read_text()) if os.path.exists(report) else 0
    return proc.returncode, out.decode(), err.decode(), rss
