"""Local inputs: which files a folder holds, and opening one without blocking or leaving the folder.

Only regular files are read. A FIFO, socket or device is one error line, never an ``open`` that
waits forever for a writer; the check is repeated on the open descriptor, so a file swapped for a
FIFO between listing and opening is caught too. Inside a folder, a symbolic link is followed only
when it resolves inside that folder (a link to ``/etc/passwd`` must not become an article the web
app serves); each folder is entered once, so linked folders cannot loop. A link named on the
command line is the user's own choice and is followed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsprism.ingest.base import ReaderError
from newsprism.ingest.names import display_path

NOT_REGULAR = "not a regular file"
OUTSIDE = "symlink outside the folder, not followed"


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A file to read: ``path`` is what is opened, ``name`` is what is stored and reported."""

    path: str
    name: str


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _entry_kind(entry: os.DirEntry[str], root: str, name: str) -> tuple[str, str] | ReaderError:
    """``("file" | "dir", path to open)`` for an entry worth reading, or an error naming ``name``."""
    try:
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if not _inside(target, root):
                return ReaderError(name, OUTSIDE)
            mode = os.stat(target).st_mode
        else:
            target = entry.path
            mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        reason = "broken symlink" if exc.errno == errno.ENOENT else f"cannot read: {exc.strerror or exc}"
        return ReaderError(name, reason)
    if stat.S_ISDIR(mode):
        return "dir", target
    if stat.S_ISREG(mode):
        return "file", target
    return ReaderError(name, NOT_REGULAR)


def walk(folder: str) -> Iterator[LocalFile | ReaderError]:
    """Regular files under ``folder`` in a stable order (depth first, sorted), hidden ones skipped."""
    root = os.path.realpath(folder)
    seen: set[tuple[int, int]] = set()
    stack = [(folder, folder)]  # (path to list, path shown in names)
    while stack:
        path, shown = stack.pop()
        try:
            info = os.stat(path)
            if (info.st_dev, info.st_ino) in seen:
                continue  # a linked folder already read, or a link back up the tree
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(path) as it:
                entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as exc:
            yield ReaderError(display_path(shown), f"cannot read folder: {exc.strerror or exc}")
            continue
        subfolders = []
        for entry in entries:
            shown_entry = str(Path(shown) / entry.name)
            kind = _entry_kind(entry, root, display_path(shown_entry))
            if isinstance(kind, ReaderError):
                yield kind
            elif kind[0] == "file":
                yield LocalFile(kind[1], display_path(shown_entry))
            else:
                subfolders.append((kind[1], shown_entry))
        stack.extend(reversed(subfolders))


def expand_path(item: str) -> Iterator[LocalFile | ReaderError]:
    """A path named by the user: the file itself, or the files under a folder."""
    name = display_path(item)
    try:
        mode = os.stat(item).st_mode  # follows a link: the user named it
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            yield ReaderError(name, "broken symlink" if os.path.islink(item) else "no such file or directory")
        else:
            yield ReaderError(name, f"cannot open: {exc.strerror or exc}")
        return
    if stat.S_ISDIR(mode):
        yield from walk(item)
    elif stat.S_ISREG(mode):
        yield LocalFile(item, name)
    else:
        yield ReaderError(name, NOT_REGULAR)


class NotRegularFile(OSError):
    """Raised by ``open_regular`` when the opened path is a FIFO, socket, device or folder."""


def open_regular(path: str) -> BinaryIO:
    """Open a regular file for reading; raises ``NotRegularFile`` for anything else.

    O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; the type is
    then checked on the descriptor itself, and blocking reads are restored for a regular file.
    """
    nonblock = getattr(os, "O_NONBLOCK", 0)  # POSIX only; Windows has no FIFOs to open
    flags = os.O_RDONLY | nonblock | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(NOT_REGULAR)
        if nonblock:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
