"""Object-storage inputs (``s3://``, ``gs://``, ``abfs://``): listed and read through ``pyarrow.fs``.

pyarrow's file systems are what Ray Data itself reads object storage with, so a Ray worker and this
process agree on paths and configuration. Credentials come only from each library's standard
configuration (environment variables, config files, instance roles) of the process that reads:
a path carrying ``key:secret@`` is refused, because argv shows in process lists and paths are
stored and printed as article sources. The endpoint comes from the AWS standard variables
``AWS_ENDPOINT_URL_S3`` / ``AWS_ENDPOINT_URL``, read here because pyarrow's S3 client does not read
them itself; an endpoint on a private or loopback address is the user's configured choice (MinIO,
a local gateway) and is used as given, while plain URL inputs keep their address rules.

A prefix is walked one level at a time in sorted order, hidden names skipped, as a local folder is;
a glob (``*``, ``?``, ``[...]``) matches within one path segment. Objects are read as streams, so
the readers' byte limits apply exactly as they do to local files.
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, BinaryIO

from newsprism.ingest.base import ReaderError

EXTRA = "objects"
INSTALL_HINT = f"pip install 'newsprism[{EXTRA}]'"
# gs/gcs and abfs/abfss are pyarrow's own URI schemes; ``az://`` is not one of them.
OBJECT_SCHEMES = ("s3", "gs", "gcs", "abfs", "abfss")
INPUT_SCHEMES = ("http", "https", *OBJECT_SCHEMES)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_GLOB = re.compile(r"[*?\[]")
_READ_BUFFER = 1024 * 1024  # one ranged GET per MiB instead of one per reader call
_CONNECT_TIMEOUT_S = 10.0
_REQUEST_TIMEOUT_S = 60.0
# Google's client retries for 15 minutes by default: an unreachable service or missing credentials
# would hold the run that long before its one error line.
_GCS_RETRY_S = 30


def scheme_of(value: str) -> str | None:
    match = _SCHEME.match(value)
    return match.group(1).lower() if match else None


def is_object_path(value: str) -> bool:
    return scheme_of(value) in OBJECT_SCHEMES


def usage_error(inputs: list[str]) -> str | None:
    """Why ``inputs`` cannot be read at all (an unknown scheme, pyarrow missing), or ``None``."""
    for item in inputs:
        scheme = scheme_of(item)
        if scheme is not None and scheme not in INPUT_SCHEMES:
            return f"{item}: unknown scheme {scheme!r} (known: {', '.join(INPUT_SCHEMES)})"
    objects = [i for i in inputs if is_object_path(i)]
    if objects and (missing := _missing_dependency()):
        return f"{objects[0]}: {missing}"
    return None


def _missing_dependency() -> str | None:
    try:
        import pyarrow.fs  # noqa: F401
    except ImportError:
        return f"object storage needs pyarrow: {INSTALL_HINT}"
    return None


@dataclass(frozen=True, slots=True)
class ObjectFile:
    """One object to read: ``uri`` is what is opened, stored and reported; ``size`` in bytes."""

    uri: str
    size: int


Expanded = Iterator[ObjectFile | ReaderError]


def storage_errors() -> tuple[type[BaseException], ...]:
    """What pyarrow's file systems raise: ``OSError`` mostly, but the Azure client's failures come
    as a bare ``ArrowException``, and bad URIs as ``ArrowInvalid`` (a ``ValueError``)."""
    from pyarrow.lib import ArrowException

    return (OSError, ValueError, ArrowException)


def _reason(exc: BaseException) -> str:
    """pyarrow's message on one line, without its C++ source locations."""
    text = " ".join(str(exc).split())
    return re.sub(r"\s*/arrow/\S+:\d+\S*", "", text)[:300] or type(exc).__name__


def _split(uri: str) -> tuple[str, str, str]:
    """``(scheme, authority, key)``; refuses credentials written into the path."""
    scheme = scheme_of(uri) or ""
    rest = uri[len(scheme) + 3 :]
    authority, _, key = rest.partition("/")
    userinfo = authority.rpartition("@")[0]
    # abfs names its container as ``container@account``: only a secret (``:``) is refused there.
    if (":" in userinfo) or (userinfo and scheme in ("s3", "gs", "gcs")):
        raise ReaderError(_redacted(uri), "credentials in the path are refused: set them in the "
                          "environment or the storage's config file")
    if not authority:
        raise ReaderError(uri, "no bucket or container named")
    return scheme, authority, key.strip("/")


def _redacted(uri: str) -> str:
    scheme = scheme_of(uri) or ""
    authority, sep, key = uri[len(scheme) + 3 :].partition("/")
    return f"{scheme}://***@{authority.rpartition('@')[2]}{sep}{key}"


def _s3_endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None


@functools.lru_cache(maxsize=64)
def _s3(bucket: str, endpoint: str | None) -> Any:
    from pyarrow import fs

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
    if region is None and endpoint is None:
        region = fs.resolve_s3_region(bucket)  # AWS answers 301 to a client in the wrong region
    return fs.S3FileSystem(
        region=region, endpoint_override=endpoint, connect_timeout=_CONNECT_TIMEOUT_S,
        request_timeout=_REQUEST_TIMEOUT_S,
    )


@functools.lru_cache(maxsize=1)
def _gcs() -> Any:
    from datetime import timedelta

    from pyarrow import fs

    return fs.GcsFileSystem(retry_time_limit=timedelta(seconds=_GCS_RETRY_S))


@functools.lru_cache(maxsize=64)
def _by_uri(root: str) -> Any:
    from pyarrow import fs

    return fs.FileSystem.from_uri(root)[0]


def filesystem(uri: str) -> tuple[Any, str]:
    """``(pyarrow file system, path in it)`` for an object URI; ``ReaderError`` when unusable."""
    scheme, authority, key = _split(uri)
    if missing := _missing_dependency():
        raise ReaderError(uri, missing)
    bucket = authority.partition("@")[0] if scheme.startswith("abfs") else authority
    try:
        if scheme == "s3":
            return _s3(authority, _s3_endpoint()), f"{authority}/{key}".rstrip("/")
        if scheme in ("gs", "gcs"):
            return _gcs(), f"{authority}/{key}".rstrip("/")
        return _by_uri(f"{scheme}://{authority}"), f"{bucket}/{key}".rstrip("/")
    except storage_errors() as exc:
        raise ReaderError(uri, f"cannot reach the storage: {_reason(exc)}") from None


def _uri(uri: str, path: str) -> str:
    """The URI of ``path`` (``bucket/key`` as pyarrow names it) in the form the user wrote."""
    scheme, authority, _ = _split(uri)
    key = path.partition("/")[2]
    return f"{scheme}://{authority}/{key}"


def _walk(fs: Any, uri: str, base: str, pattern: list[str] | None) -> Expanded:
    """Objects under ``base`` depth first, sorted; with ``pattern`` (the glob's segments after
    ``base``) only the folders and objects that match it level by level."""
    from pyarrow.fs import FileSelector, FileType

    stack = [(base, 0)]
    while stack:
        path, depth = stack.pop()
        try:
            entries = sorted(fs.get_file_info(FileSelector(path, recursive=False)), key=lambda i: i.path)
        except FileNotFoundError:
            continue  # a glob's base that holds nothing: the caller says that nothing matched
        except storage_errors() as exc:
            yield ReaderError(_uri(uri, path), f"cannot list: {_reason(exc)}")
            continue
        subfolders = []
        for info in entries:
            if info.base_name.startswith("."):
                continue
            last = pattern is None or depth == len(pattern) - 1
            if pattern is not None and not fnmatchcase(info.base_name, pattern[depth]):
                continue
            if info.type == FileType.Directory and not (pattern is not None and last):
                subfolders.append((info.path, depth + 1))
            elif info.type == FileType.File and last:
                yield ObjectFile(_uri(uri, info.path), info.size)
        stack.extend(reversed(subfolders))


def expand_object(uri: str) -> Expanded:
    """The objects an object-storage input names: one object, all under a prefix, or a glob's."""
    try:
        fs, path = filesystem(uri)
    except ReaderError as exc:
        yield exc
        return
    parts = path.split("/")
    wild = next((i for i, p in enumerate(parts) if _GLOB.search(p)), None)
    if wild is not None:
        if wild == 0:
            yield ReaderError(uri, "a glob cannot name the bucket")
            return
        yield from _nonempty(_walk(fs, uri, "/".join(parts[:wild]), parts[wild:]), uri, "no objects match")
        return
    yield from _expand_plain(fs, uri, path)


def _nonempty(items: Expanded, uri: str, reason: str) -> Expanded:
    """``items``, or one error naming ``uri`` when there are none: an input that names nothing
    is a mistake (a typo in the prefix), not a successful run."""
    found = False
    for item in items:
        found = True
        yield item
    if not found:
        yield ReaderError(uri, reason)


def _expand_plain(fs: Any, uri: str, path: str) -> Expanded:
    from pyarrow.fs import FileType

    try:
        info = fs.get_file_info(path)
    except storage_errors() as exc:
        yield ReaderError(uri, f"cannot read: {_reason(exc)}")
        return
    if info.type == FileType.File:
        yield ObjectFile(uri, info.size)
    elif info.type == FileType.Directory:
        yield from _nonempty(_walk(fs, uri, path, None), uri, "no objects under this prefix")
    else:
        yield ReaderError(uri, "no such bucket, object or prefix")


class _ObjectStream(io.RawIOBase):
    """An object's bytes; a failure mid-read (a dropped connection) is a ``ReaderError`` naming the
    object, which the readers report as one line, instead of an ``OSError`` that ends the run."""

    def __init__(self, native: Any, uri: str):
        self._native = native
        self._uri = uri

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        try:
            data = self._native.read(len(buffer))
        except storage_errors() as exc:
            raise ReaderError(self._uri, f"cannot read: {_reason(exc)}") from None
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:
        try:
            self._native.close()
        finally:
            super().close()


def open_object(obj: ObjectFile) -> BinaryIO:
    """A buffered stream of one object; ``ReaderError`` when it cannot be opened."""
    fs, path = filesystem(obj.uri)
    try:
        native = fs.open_input_stream(path)
    except storage_errors() as exc:
        raise ReaderError(obj.uri, f"cannot open: {_reason(exc)}") from None
    return io.BufferedReader(_ObjectStream(native, obj.uri), _READ_BUFFER)  # type: ignore[return-value]
