"""Reading and writing files of data/ without following a link.

A symbolic link in data/ can lead to any file of the machine that validates
or builds the knowledge base (and a FIFO can hang it): what is read there
reaches CI logs, annotations and the published site. Every reader of data/
goes through `read_regular`, which opens a file with O_NOFOLLOW (a link is
refused, never opened through) and O_NONBLOCK (a FIFO cannot hang the open)
and reads it only when the open file is a regular one. The folders on the
way are checked by the listing (macros.kb.listing), which never goes into a
linked folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC


class NotRegularFile(OSError):
    """A path that is a link, a folder, a FIFO, a device or a socket: it was not read."""

    def __init__(self, path: str | Path, what: str):
        super().__init__(f"{os.fspath(path)} is {what}, not a regular file")
        self.what = what


def what_is(mode: int) -> str:
    """What a file of this mode is, for a message: 'a symbolic link', 'a FIFO (named pipe)'..."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def lstat_mode(path: str | Path) -> int | None:
    """The mode of the path itself (a link is not followed), or None when nothing is there."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def read_regular(path: str | Path, limit: int | None = None) -> bytes:
    """The file's bytes (at most `limit`) if it is a regular file; NotRegularFile otherwise, and then
    its target is never opened. (Also a third of the time of pathlib's read_bytes, which a large
    knowledge base notices.)"""
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as error:
        # ELOOP is how O_NOFOLLOW refuses a link: say what it is rather than "too many levels of links".
        mode = lstat_mode(path)
        if mode is not None and not stat.S_ISREG(mode):
            raise NotRegularFile(path, what_is(mode)) from error
        raise
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, what_is(mode))
        chunks = []
        left = limit
        while left is None or left > 0:
            chunk = os.read(descriptor, 1 << 20 if left is None else min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            if left is not None:
                left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, content: bytes) -> None:
    view = memoryview(content)
    while view:
        view = view[os.write(descriptor, view) :]


def write_regular(path: str | Path, content: bytes) -> None:
    """Overwrite a regular file in place; NotRegularFile (nothing written) for a link or anything else."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC)
    except OSError as error:
        mode = lstat_mode(path)
        if mode is not None and not stat.S_ISREG(mode):
            raise NotRegularFile(path, what_is(mode)) from error
        raise
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, what_is(mode))
        os.ftruncate(descriptor, 0)
        _write_all(descriptor, content)
    finally:
        os.close(descriptor)


def create_new(path: str | Path, content: bytes) -> None:
    """Write a new file; FileExistsError when anything is there already (a file, a link, a dangling link)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC, 0o644)
    try:
        _write_all(descriptor, content)
    finally:
        os.close(descriptor)


def linked_folder(base: Path, parts: tuple[str, ...] = ()) -> Path | None:
    """The first of base, base/parts[0], base/parts[0]/parts[1]... that exists and is not a real folder
    (a link, a file), or None when all that exist are folders."""
    current = Path(base)
    for index in range(len(parts) + 1):
        if index:
            current = current / parts[index - 1]
        mode = lstat_mode(current)
        if mode is not None and not stat.S_ISDIR(mode):
            return current
    return None
