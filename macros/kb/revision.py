"""The knowledge base as it was at a commit, loaded and validated without checking anything out.

The regular files under the data folder at that commit are read from git's object store
(macros.kb.gitread) and written into a fresh temporary folder (in memory where the system has
one), where the normal validator reads them, as it reads the work tree. A commit's tree is untrusted input like any data: a symbolic
link or a submodule in it is skipped and reported, never followed or written; a name that is
not one plain path component ('', '.', '..', one holding '/' or NUL) is skipped and reported;
every file is created new (O_EXCL, O_NOFOLLOW) inside folders this module made itself.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from macros.kb.diff import KbDiff, RecordView, diff_views, views_of
from macros.kb.gitread import Repository, TreeEntry
from macros.kb.problems import Problem
from macros.kb.report import Report
from macros.kb.shards import can_fork
from macros.kb.validate import validate

# A blob larger than this is not read (a record may have 1 MB; an archived text, much less than this).
MAX_BLOB_BYTES = 64 << 20
# Where the temporary folder goes when the system has a folder in memory (tmpfs): thousands of small
# files are written and read once. When it is full (a container's is small), the usual place.
MEMORY_FOLDER = "/dev/shm"


@dataclass
class Skipped:
    """A tree entry of the data folder that was not read, and why."""

    path: str
    reason: str


@dataclass
class Revision:
    """The knowledge base at a commit (or in the work tree, `commit` None): its validation report,
    and what in the commit's tree was not read."""

    label: str  # what to call it: a short commit id, or "work tree"
    commit: str | None
    report: Report
    skipped: list[Skipped] = field(default_factory=list)


def memory_folder() -> str | None:
    """MEMORY_FOLDER if this system has it, else None (the usual temporary folder)."""
    return MEMORY_FOLDER if os.path.isdir(MEMORY_FOLDER) and os.access(MEMORY_FOLDER, os.W_OK) else None


def _safe_parts(relative: str) -> list[str] | None:
    parts = relative.split("/")
    if any(part in ("", ".", "..") or "\0" in part for part in parts):
        return None
    return parts


def write_tree(entries: list[TreeEntry], prefix: str, blobs: dict[str, bytes | None], target: Path) -> list[Skipped]:
    """Write the regular files among `entries` (paths under `prefix`) into `target`, which must be a
    new, empty folder; return what was not written."""
    skipped: list[Skipped] = []
    made = {""}
    root = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for entry in entries:
            relative = entry.path[len(prefix) + 1 :] if prefix else entry.path
            if not entry.regular:
                what = {"120000": "a symbolic link", "160000": "a submodule"}.get(entry.mode, f"mode {entry.mode}")
                skipped.append(Skipped(entry.path, f"{what}: not read"))
                continue
            parts = _safe_parts(relative)
            if parts is None:
                skipped.append(Skipped(entry.path, "not a plain file name: not read"))
                continue
            content = blobs.get(entry.id)
            if content is None:
                skipped.append(Skipped(entry.path, f"larger than {MAX_BLOB_BYTES >> 20} MiB, or unreadable: not read"))
                continue
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder not in made:
                    os.mkdir(folder, dir_fd=root)
                    made.add(folder)
            try:
                descriptor = os.open(relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=root)
            except OSError as error:  # a name that is also a folder's, say
                skipped.append(Skipped(entry.path, f"could not be written ({error.strerror}): not read"))
                continue
            with os.fdopen(descriptor, "wb") as file:
                file.write(content)
    finally:
        os.close(root)
    return skipped


def load_revision(repo: Repository, commit: str, data_path: str) -> Revision:
    """Validate the data folder (`data_path`, relative to the repository's top) as it is at `commit`.
    Problems name files as in the repository (data/people/x.yml)."""
    entries = repo.tree(commit, data_path)
    blobs = repo.blobs([e.id for e in entries if e.regular], MAX_BLOB_BYTES)
    for folder in (memory_folder(), None):
        try:
            with tempfile.TemporaryDirectory(prefix="kb-revision-", dir=folder) as temporary:
                root = Path(temporary)
                data_dir = root / data_path if data_path else root
                data_dir.mkdir(parents=True, exist_ok=True)
                skipped = write_tree(entries, data_path, blobs, data_dir)
                report = validate(data_dir, root)
            return Revision(commit[:12], commit, report, skipped)
        except OSError as error:
            if folder is None or error.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
    raise AssertionError("unreachable")


def load_work_tree(data_dir: Path, root: Path) -> Revision:
    return Revision("work tree", None, validate(data_dir, root))


@dataclass
class Side:
    """One side of a comparison: what it is called, its problems, what was not read, its records' views."""

    label: str
    commit: str | None
    problems: list[Problem]
    skipped: list[Skipped]
    views: dict[str, RecordView]


def side_of(revision: Revision) -> Side:
    return Side(
        revision.label, revision.commit, revision.report.problems, revision.skipped, views_of(revision.report.kb)
    )


@dataclass
class Comparison:
    base: Side
    head: Side
    diff: KbDiff


def _revision_side(top: str, commit: str, data_path: str) -> Side:
    return side_of(load_revision(Repository(Path(top)), commit, data_path))


def compare(repo: Repository, base: str, head: str | None, data_dir: Path, root: Path) -> Comparison:
    """The knowledge base at commit `base` against commit `head`, or against the work tree (`data_dir`,
    problems named relative to `root`) when `head` is None. The base is loaded in a second process
    while this one loads the head, where forking is safe (half the time on two cores)."""
    data_path = repo.path_in_repository(data_dir)

    def load_head() -> Side:
        return side_of(load_revision(repo, head, data_path) if head else load_work_tree(data_dir, root))

    if not can_fork():
        before = _revision_side(str(repo.top), base, data_path)
        after = load_head()
    else:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = pool.submit(_revision_side, str(repo.top), base, data_path)
            after = load_head()
            before = pending.result()
    return Comparison(before, after, diff_views(before.views, after.views))
