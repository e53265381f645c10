"""Reading a git repository without checking anything out: commits, their changes, trees and blobs.

Through the git command (subprocess), not dulwich or pygit2, because:
- it is already there: on GitHub's runners, on developers' machines and in this project's CI. A
  build without it (or without a repository: a tarball) simply has no history. dulwich or
  pygit2 would be one more pinned dependency (pygit2 with a compiled libgit2) for what a few
  plumbing commands do;
- speed: a whole history is three processes, whatever its length: one `git rev-list` (the
  first-parent chain), one `git diff-tree --stdin` (every commit's changes, computed in C, not by
  walking trees in Python) and one `git cat-file --batch` (every blob, streamed);
- blobs without a checkout: `cat-file` reads the object store; nothing is written to the work
  tree or the index (GIT_OPTIONAL_LOCKS=0: not even an index refresh);
- determinism: plumbing commands only, whose output does not depend on configuration; full
  object ids, NUL-separated paths, replace refs ignored, pathspecs taken literally, and none of
  the caller's GIT_* variables (a hook's GIT_DIR would point elsewhere; GIT_CEILING_DIRECTORIES,
  which only limits where a repository is looked for, is kept). The configuration is
  left alone: `safe.directory`, which a CI runner may need, lives there;
- safety with untrusted trees: nothing in a tree is followed. A symbolic link (mode 120000) or
  a submodule (160000) is a tree entry like any other, reported by its mode; only regular
  blobs are read, as bytes. Writing them anywhere is macros.kb.revision's job, which checks
  every name first.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_S = 300
REGULAR_MODES = ("100644", "100755")
_HEX = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")


class GitUnavailable(Exception):
    """No history to read here: no git, no repository, a shallow clone... (the message says which)."""


class GitError(Exception):
    """git refused a request (an unknown revision, say): the message is git's, first line."""


def _environment() -> dict[str, str]:
    # GIT_CEILING_DIRECTORIES only stops the search for a repository: kept (tests use it).
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k == "GIT_CEILING_DIRECTORIES"}
    env.update(
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_OPTIONAL_LOCKS="0",
        GIT_TERMINAL_PROMPT="0",
        GIT_LITERAL_PATHSPECS="1",
        LC_ALL="C",
    )
    return env


@dataclass(frozen=True)
class Commit:
    id: str
    parent: str | None  # the first parent; None for a root commit
    timestamp: int  # the committer's time, in seconds since the epoch


@dataclass(frozen=True)
class TreeChange:
    """One path that a commit changed (as `git diff-tree --raw` gives it); None where absent."""

    path: str
    old_mode: str | None
    new_mode: str | None
    old_id: str | None
    new_id: str | None


@dataclass(frozen=True)
class TreeEntry:
    path: str
    mode: str
    id: str

    @property
    def regular(self) -> bool:
        return self.mode in REGULAR_MODES


class Repository:
    """A git repository, read with plumbing commands run in its top folder."""

    def __init__(self, top: Path):
        self.top = Path(top)

    @classmethod
    def containing(cls, path: Path) -> Repository:
        """The repository `path` is in; GitUnavailable if there is none, no git, or only a shallow clone."""
        try:
            out = _run(["git", "-C", str(path), "rev-parse", "--show-toplevel", "--is-shallow-repository"])
        except FileNotFoundError:
            raise GitUnavailable("git is not installed") from None
        except GitError:
            raise GitUnavailable("the data folder is not in a git repository") from None
        top, shallow = out.decode("utf-8", "surrogateescape").splitlines()[:2]
        if shallow.strip() == "true":
            raise GitUnavailable("this is a shallow clone: its history is incomplete")
        return cls(Path(top))

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        return _run(["git", "-C", str(self.top), *args], stdin)

    def path_in_repository(self, path: Path) -> str:
        """`path` relative to the repository's top folder, with forward slashes ('' for the top)."""
        relative = Path(os.path.realpath(path)).relative_to(os.path.realpath(self.top)).as_posix()
        return "" if relative == "." else relative

    def resolve(self, revision: str) -> str:
        """The commit id a revision names (HEAD, main, HEAD^1, an id); GitError if it names none."""
        if not revision or revision.startswith("-") or any(c in revision for c in "\0\n\r"):
            raise GitError(f"'{revision}' is not a revision")
        try:
            out = self.git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        except GitError:
            raise GitError(f"'{revision}' names no commit of this repository") from None
        return out.decode("ascii").strip()

    def head(self) -> str | None:
        """HEAD's commit id; None in a repository with no commit yet."""
        try:
            return self.resolve("HEAD")
        except GitError:
            return None

    def merge_base(self, a: str, b: str) -> str:
        try:
            return self.git("merge-base", a, b).decode("ascii").strip()
        except GitError:
            raise GitError(f"{a[:12]} and {b[:12]} have no common ancestor") from None

    def default_branch(self) -> str | None:
        """The default branch: the remote's HEAD (origin/main after a clone), else main or master."""
        try:
            return self.git("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD").decode().strip()
        except GitError:
            pass
        for name in ("origin/main", "main", "origin/master", "master"):
            try:
                self.resolve(name)
                return name
            except GitError:
                continue
        return None

    def first_parent_chain(self, head: str) -> list[Commit]:
        """Every commit on the first-parent line from the root to `head`, oldest first."""
        out = self.git("rev-list", "--first-parent", "--parents", "--timestamp", "--reverse", head)
        commits = []
        for line in out.decode("ascii").splitlines():
            timestamp, commit, *parents = line.split()
            commits.append(Commit(commit, parents[0] if parents else None, int(timestamp)))
        return commits

    def changes(self, commits: list[Commit], path: str) -> dict[str, list[TreeChange]]:
        """commit id -> what it changed under `path`, against its first parent (commits that changed
        nothing there are left out). One `git diff-tree` for all of them."""
        if not commits:
            return {}
        stdin = "".join(f"{c.id} {c.parent}\n" if c.parent else f"{c.id}\n" for c in commits).encode("ascii")
        out = self.git(
            "diff-tree",
            "--stdin",
            "-r",
            "-z",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--root",
            "--",
            path or ".",
            stdin=stdin,
        )
        found: dict[str, list[TreeChange]] = {}
        current: list[TreeChange] | None = None
        fields = out.split(b"\0")
        index = 0
        while index < len(fields):
            field = fields[index].decode("ascii", "replace")
            index += 1
            if not field:
                continue
            if field.startswith(":"):
                old_mode, new_mode, old_id, new_id, _status = field[1:].split(" ")
                name = fields[index].decode("utf-8", "surrogateescape")
                index += 1
                if current is not None:
                    current.append(
                        TreeChange(
                            name,
                            None if set(old_mode) == {"0"} else old_mode,
                            None if set(new_mode) == {"0"} else new_mode,
                            None if set(old_id) == {"0"} else old_id,
                            None if set(new_id) == {"0"} else new_id,
                        )
                    )
            elif _HEX.match(field):
                current = found.setdefault(field, [])
        return found

    def tree(self, commit: str, path: str) -> list[TreeEntry]:
        """Every entry under `path` at `commit`, recursively (subtrees opened, nothing else followed)."""
        out = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", path or ".")
        entries = []
        for item in out.split(b"\0"):
            if not item:
                continue
            meta, _, name = item.partition(b"\t")
            mode, _kind, object_id = meta.decode("ascii").split(" ")
            entries.append(TreeEntry(name.decode("utf-8", "surrogateescape"), mode, object_id))
        return entries

    def blobs(self, ids: list[str], max_bytes: int) -> dict[str, bytes | None]:
        """id -> the blob's bytes, for every id (None for a blob larger than `max_bytes`, or missing).
        One `git cat-file --batch`, fed by a thread while this one reads, so neither pipe fills up."""
        unique = list(dict.fromkeys(ids))
        if not unique:
            return {}
        process = subprocess.Popen(
            ["git", "-C", str(self.top), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_environment(),
        )

        def feed() -> None:
            try:
                process.stdin.write("".join(f"{i}\n" for i in unique).encode("ascii"))
                process.stdin.close()
            except (BrokenPipeError, OSError):
                pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        found: dict[str, bytes | None] = {}
        try:
            out = process.stdout
            for object_id in unique:
                header = out.readline().decode("ascii", "replace").split()
                if len(header) != 3:  # "<id> missing"
                    found[object_id] = None
                    continue
                size = int(header[2])
                if size > max_bytes:
                    _skip(out, size + 1)
                    found[object_id] = None
                    continue
                data = out.read(size)
                out.read(1)  # the newline after each object
                found[object_id] = data if header[1] == "blob" else None
        finally:
            feeder.join(timeout=TIMEOUT_S)
            process.stdout.close()
            process.wait(timeout=TIMEOUT_S)
        return found


def _skip(stream, count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)


def _run(command: list[str], stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            command, input=stdin, capture_output=True, env=_environment(), timeout=TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"{' '.join(command[3:5])} took more than {TIMEOUT_S} s") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[0] if message else f"git exited with {result.returncode}")
    return result.stdout
