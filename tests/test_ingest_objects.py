"""Object-storage inputs (s3://) against moto's S3 server on loopback: offline, no AWS account.

The objects mirror a folder on disk (JSONL, TXT and HTML, one in a sub-prefix), so an s3:// prefix
must store exactly the articles the folder stores. The S3 tests skip without moto (``pip install
'moto[server]'``, in the test extra) or pyarrow (the ``objects`` extra).
"""

from __future__ import annotations

import gzip
import json
import logging
import socket
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsprism.cli.main import app

runner = CliRunner()
BUCKET = "news"


def _folder(root: Path) -> Path:
    """The seven demo reports as TXT, HTML (one in a sub-folder) and one JSONL file of two records,
    and an eighth, revised report in a gzipped JSONL; a hidden file that neither reads."""
    from newsprism.demo import corpus_files

    folder = root / "day1"
    (folder / "more").mkdir(parents=True)
    with corpus_files() as paths:
        texts = [Path(p).read_text(encoding="utf-8") for p in sorted(paths)]
    for i, text in enumerate(texts[:3]):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    for i, text in enumerate(texts[3:5]):
        body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
        where = folder / "more" if i else folder
        (where / f"page{i}.html").write_text(f"<html><body><article>{body}</article></body></html>", "utf-8")
    records = [json.dumps({"text": t, "title": f"record {i}"}) for i, t in enumerate(texts[5:])]
    (folder / "wire.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    gz = json.dumps({"text": texts[0] + "\n\nThe agency later confirmed the figures.", "title": "gz"})
    (folder / "more" / "late.jsonl.gz").write_bytes(gzip.compress(gz.encode("utf-8") + b"\n"))
    (folder / ".hidden.txt").write_text(texts[0] + " hidden copy", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """moto's S3 on a free loopback port, the standard AWS variables pointing at it, and the
    folder of ``_folder`` uploaded under ``s3://news/day1/``."""
    from newsprism.ingest import objects

    moto_server = pytest.importorskip("moto.server", reason="needs moto[server] (the test extra)")
    pafs = pytest.importorskip("pyarrow.fs", reason="needs pyarrow (the objects extra)")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    folder = _folder(tmp_path_factory.mktemp("objects"))
    with pytest.MonkeyPatch.context() as mp:
        for name in ("AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
            mp.delenv(name, raising=False)
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        mp.setenv("AWS_ENDPOINT_URL", endpoint)
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never wait for an instance-metadata service
        objects._s3.cache_clear()
        fs = pafs.S3FileSystem(endpoint_override=endpoint, allow_bucket_creation=True)
        fs.create_dir(BUCKET)
        for path in folder.rglob("*"):
            if path.is_file():
                with fs.open_output_stream(f"{BUCKET}/day1/{path.relative_to(folder).as_posix()}") as out:
                    out.write(path.read_bytes())
        try:
            yield {"endpoint": endpoint, "folder": folder, "fs": fs}
        finally:
            objects._s3.cache_clear()
    server.stop()


def _ids(db: Path) -> set[str]:
    from newsprism.store import Store

    with Store.open(db) as store:
        return {a.id for a in store.iter_articles()}


def _sources(db: Path) -> set[str]:
    from newsprism.store import Store

    with Store.open(db) as store:
        return {a.source_path for a in store.iter_articles()}


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("s3://")]


def test_a_prefix_ingests_like_the_same_files_on_disk(s3, tmp_path):
    local = runner.invoke(app, ["ingest", "--no-link", "--db", str(tmp_path / "l.db"), str(s3["folder"])])
    remote = runner.invoke(app, ["ingest", "--no-link", "--db", str(tmp_path / "r.db"), f"s3://{BUCKET}/day1/"])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    ids = _ids(tmp_path / "l.db")
    assert len(ids) == 8 and _ids(tmp_path / "r.db") == ids
    sources = _sources(tmp_path / "r.db")
    assert {"s3://news/day1/more/page1.html", "s3://news/day1/wire.jsonl:2",
            "s3://news/day1/more/late.jsonl.gz:1"} <= sources


def test_one_object_and_a_glob(s3, tmp_path):
    db = str(tmp_path / "x.db")
    one = runner.invoke(app, ["ingest", "--no-link", "--json", "--db", db, f"s3://{BUCKET}/day1/0.txt"])
    assert one.exit_code == 0 and json.loads(one.stdout)["new"] == 1
    globbed = runner.invoke(app, ["ingest", "--no-link", "--json", "--db", db, f"s3://{BUCKET}/day1/*.jsonl"])
    assert globbed.exit_code == 0 and json.loads(globbed.stdout)["new"] == 2
    assert _sources(tmp_path / "x.db") == {
        "s3://news/day1/0.txt", "s3://news/day1/wire.jsonl:1", "s3://news/day1/wire.jsonl:2"}


def test_objects_get_the_byte_limits_local_files_get(s3):
    from newsprism.ingest import ReadOptions, iter_inputs

    small = ReadOptions(max_bytes=200)  # every demo report is longer than this
    local = [(type(r).__name__, getattr(r, "reason", None))
             for r in iter_inputs([str(s3["folder"] / "0.txt"), str(s3["folder"] / "wire.jsonl")], small)]
    remote = [(type(r).__name__, getattr(r, "reason", None))
              for r in iter_inputs([f"s3://{BUCKET}/day1/0.txt", f"s3://{BUCKET}/day1/wire.jsonl"], small)]
    assert remote == local and {kind for kind, _ in local} == {"ReaderError"}


def test_bad_objects_fail_one_line_each_and_the_rest_is_stored_once(s3, tmp_path):
    db = str(tmp_path / "x.db")
    bad = [f"s3://{BUCKET}/day1/missing.txt", "s3://no-such-bucket/day1/", f"s3://{BUCKET}/nothing/*.txt"]
    args = ["ingest", "--no-link", "--json", "--db", db, f"s3://{BUCKET}/day1/", *bad]
    first = runner.invoke(app, args)
    assert first.exit_code == 1
    errors = _errors(first.stderr)
    assert errors == [f"{bad[0]}: no such bucket, object or prefix",
                      f"{bad[1]}: no such bucket, object or prefix", f"{bad[2]}: no objects match"]
    assert json.loads(first.stdout)["new"] == 8
    again = json.loads(runner.invoke(app, args).stdout)
    assert again["new"] == 0 and again["duplicate"] == 8
    assert len(_ids(tmp_path / "x.db")) == 8


def test_an_unreachable_endpoint_is_one_line_per_input(s3, tmp_path, monkeypatch):
    from newsprism.ingest import objects

    with socket.socket() as s:  # a port nothing listens at once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    started = time.monotonic()
    done = runner.invoke(app, ["ingest", "--no-link", "--db", str(tmp_path / "x.db"), f"s3://{BUCKET}/day1/",
                               str(s3["folder"] / "0.txt")])
    objects._s3.cache_clear()
    assert done.exit_code == 1
    assert _errors(done.stderr) == [line for line in done.stderr.splitlines() if "s3://" in line]
    assert len(_errors(done.stderr)) == 1 and "testing-secret" not in done.output
    assert len(_ids(tmp_path / "x.db")) == 1  # the local file was stored
    assert time.monotonic() - started < 60


def test_refused_access_is_one_line_and_the_local_input_is_stored(s3, tmp_path, monkeypatch):
    from moto import settings

    monkeypatch.setattr(settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)  # check keys: ours are unknown
    done = runner.invoke(app, ["ingest", "--no-link", "--db", str(tmp_path / "x.db"), f"s3://{BUCKET}/day1/",
                               f"s3://{BUCKET}/day1/0.txt", str(s3["folder"] / "1.txt")])
    assert done.exit_code == 1
    errors = _errors(done.stderr)
    assert [e.split(": ")[0] for e in errors] == [f"s3://{BUCKET}/day1/", f"s3://{BUCKET}/day1/0.txt"]
    assert all("ACCESS_DENIED" in e or "InvalidAccessKeyId" in e for e in errors), errors
    assert len(_ids(tmp_path / "x.db")) == 1


def test_credentials_in_the_path_are_refused_and_never_echoed(s3, tmp_path):
    done = runner.invoke(app, ["ingest", "--no-link", "--db", str(tmp_path / "x.db"),
                               f"s3://AKIAEXAMPLE:hush-hush@{BUCKET}/day1/0.txt"])
    assert done.exit_code == 1
    assert "credentials in the path are refused" in done.stderr and "hush-hush" not in done.output


def test_unknown_scheme_or_missing_pyarrow_is_a_usage_error(tmp_path, monkeypatch):
    for command, path in (("ingest", "az://container/x.jsonl"), ("ingest", "ftp://example.org/a.txt"),
                          ("analyze", "az://container/x.jsonl")):
        done = runner.invoke(app, [command, "--db", str(tmp_path / "x.db"), path])
        assert done.exit_code == 2 and "unknown scheme" in done.output and path in done.output
    monkeypatch.setitem(__import__("sys").modules, "pyarrow.fs", None)  # import fails as if absent
    done = runner.invoke(app, ["ingest", "--db", str(tmp_path / "x.db"), "s3://b/p/"])
    assert done.exit_code == 2 and "pip install 'newsprism[objects]'" in done.output


def test_private_url_inputs_stay_refused_with_an_endpoint_on_loopback(s3, tmp_path):
    url = f"{s3['endpoint']}/news"
    done = runner.invoke(app, ["ingest", "--no-link", "--db", str(tmp_path / "x.db"), url])
    assert done.exit_code == 1 and "refused address" in done.stderr and "(loopback)" in done.stderr


def test_ray_work_units_carry_object_keys_not_bytes(s3):
    from newsprism.engines.ray_ingest import work_units
    from newsprism.ingest.base import ReadOptions
    from newsprism.ingest.objects import ObjectFile

    units = list(work_units([f"s3://{BUCKET}/day1/"], ReadOptions()))
    assert {kind for kind, _, _ in units} == {"file"}
    assert all(isinstance(item, ObjectFile) for _, item, _ in units)
    sizes = {item.uri.rsplit("/", 1)[1]: n for _, item, n in units}
    assert sizes["wire.jsonl"] == (s3["folder"] / "wire.jsonl").stat().st_size


def test_ray_ingest_of_a_prefix_stores_what_local_ingest_stores(s3, tmp_path):
    ray = pytest.importorskip("ray", reason="needs the ray extra")
    if ray.is_initialized():
        pytest.skip("a Ray started elsewhere would not have this test's S3 endpoint in its workers")
    # Started here, after the fixture set the AWS variables, so the workers inherit them.
    ray.init(address="local", num_cpus=2, object_store_memory=300 * 1024 * 1024, include_dashboard=False,
             log_to_driver=False)
    try:
        args = ["ingest", "--engine", "ray", "--no-link", "--json", "--db", str(tmp_path / "r.db"),
                f"s3://{BUCKET}/day1/", f"s3://{BUCKET}/day1/missing.txt"]
        first, again = runner.invoke(app, args), runner.invoke(app, args)
    finally:
        ray.shutdown()
    local = runner.invoke(app, ["ingest", "--no-link", "--db", str(tmp_path / "l.db"), str(s3["folder"])])
    assert first.exit_code == again.exit_code == 1, first.output
    assert _errors(first.stderr) == [f"s3://{BUCKET}/day1/missing.txt: no such bucket, object or prefix"]
    assert json.loads(first.stdout)["new"] == 8 and json.loads(again.stdout)["new"] == 0
    assert local.exit_code == 0 and _ids(tmp_path / "r.db") == _ids(tmp_path / "l.db")


@pytest.mark.slow
@pytest.mark.parametrize(
    "uri", ["gs://newsprism-no-such-bucket/p/", "abfs://cont@newsprismnoacct.dfs.core.windows.net/p/"]
)
def test_gs_and_abfs_without_credentials_fail_one_line_within_the_retry_limit(uri, tmp_path, monkeypatch):
    """Offline and without credentials: pyarrow's Google and Azure clients fail (the Azure one with
    a bare ArrowException, not an OSError), each is one line, and Google's retries are capped."""
    pytest.importorskip("pyarrow.fs", reason="needs pyarrow (the objects extra)")
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "AZURE_CLIENT_ID", "AZURE_STORAGE_ACCOUNT_KEY"):
        monkeypatch.delenv(name, raising=False)
    started = time.monotonic()
    done = runner.invoke(app, ["ingest", "--no-link", "--db", str(tmp_path / "x.db"), uri])
    assert done.exit_code == 1
    lines = [line for line in done.stderr.splitlines() if "://" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{uri}: ")
    assert time.monotonic() - started < 120
