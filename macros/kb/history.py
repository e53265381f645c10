"""The knowledge base's history: what each change merged into the branch did to its claims.

A change is a commit on the first-parent line of HEAD (on the default branch: each merge or
squashed pull request, each direct push) that changed something under the data folder. Its
effect is the claim-level diff (macros.kb.diff) of the records it touched, from before it to
after it. Each change is dated by its commit (the committer's time), which says when the
knowledge base learned something, never when the thing happened.

How it is read (git through macros.kb.gitread; why the git command, see there): one
`git rev-list` for the chain, one `git diff-tree --stdin` for what each commit changed, one
`git cat-file --batch` for the blobs of the record files that changed (a source also when its
archived text changed). Each version of a record file is built once, from its bytes in memory,
by the loader's own steps (macros.kb.load.record_of_bytes: decoding, strict YAML, the schema, the
record): writing thousands of versions to files first took most of the time. A version the
current loader cannot read (an older format, a mistake later fixed) is skipped: its record is
compared from its last readable version to its next. A record whose first versions are all
unreadable is not shown as added when it becomes readable: it is dated from its file's first
commit, and compared from its first readable version on. Symbolic links and submodules in a
commit's tree are never read.

The result is cached by commit: <cache>/<HEAD's id>-<digest>.json, the digest covering the data
folder's path and this code (macros/kb and the schemas), so a change to either starts afresh. The
same commit gives the same history, and the same bytes, whether computed or read from the cache
(its JSON form keeps everything: a test renders both). Without git, a repository, or with a
shallow clone, the history is unavailable, with the reason why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from macros.kb.collector import collector_paused
from macros.kb.diff import (
    ClaimChange,
    KbDiff,
    RecordView,
    diff_from_json,
    diff_to_json,
    diff_views,
    record_view,
)
from macros.kb.gitread import Commit, GitError, GitUnavailable, Repository, TreeChange
from macros.kb.kinds import KIND_OF_FOLDER
from macros.kb.load import record_of_bytes
from macros.kb.revision import MAX_BLOB_BYTES, memory_folder

CACHE_VERSION = 2
CACHE_FILES_KEPT = 8
_CODE_DIRS = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[2] / "data" / "schemas")
_ARCHIVE = re.compile(rb"(?m)^archive:[ \t]*[\"']?([a-z0-9]+(?:-[a-z0-9]+)*\.txt)[\"']?[ \t]*(?:#.*)?$")


@dataclass(frozen=True)
class HistoryEntry:
    """One change merged into the branch: its commit, when it was committed, what it did."""

    commit: str
    timestamp: int  # committer's time, seconds since the epoch
    diff: KbDiff

    @property
    def short(self) -> str:
        return self.commit[:10]

    @property
    def anchor(self) -> str:
        """Its anchor on the Recent changes page (and its feed entry's id there)."""
        return f"change-{self.short}"

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.timestamp, dt.UTC)

    @property
    def date(self) -> str:
        """The day of the commit, in UTC: 2026-06-08."""
        return self.when.date().isoformat()

    @property
    def instant(self) -> str:
        """The commit's time in UTC, as RFC 3339: 2026-06-08T09:30:00Z."""
        return self.when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ClaimEvent:
    """Something that happened to one claim: it was added, or changed (how)."""

    change: HistoryEntry
    added: bool
    detail: ClaimChange | None = None  # for a change


@dataclass
class RecordHistory:
    """One current record's history: the change that first recorded it, the last that changed it,
    and for each of its claims (by current id) what happened to it."""

    first: HistoryEntry
    last: HistoryEntry
    claims: dict[str, list[ClaimEvent]] = field(default_factory=dict)


class History:
    """The changes of the branch, oldest first, with each current record's dates and claims' events.
    `reason` says why there is none (then `available` is false)."""

    def __init__(
        self,
        changes: tuple[HistoryEntry, ...] = (),
        head: str | None = None,
        reason: str = "",
        first_seen: dict[str, tuple] | None = None,
    ):
        self.changes = tuple(changes)
        self.head = head
        self.reason = reason
        # record id -> (commit, time) its file first appeared, (commit, time) it was first readable: for
        # the records whose first versions the current code cannot read.
        self.first_seen = dict(first_seen or {})

    @classmethod
    def unavailable(cls, reason: str) -> History:
        return cls((), None, reason)

    @property
    def available(self) -> bool:
        return not self.reason

    def newest_first(self) -> list[HistoryEntry]:
        return list(reversed(self.changes))

    def of(self, record_id: str) -> RecordHistory | None:
        return self.records.get(record_id)

    @cached_property
    def records(self) -> dict[str, RecordHistory]:
        """Each record id at the end of the history -> its history (renames followed)."""
        found: dict[str, RecordHistory] = {}
        for change in self.changes:
            for record in change.diff.records:
                if record.status == "removed":
                    found.pop(record.id, None)
                    continue
                if record.status == "added":
                    found[record.id] = RecordHistory(
                        change, change, {c.id: [ClaimEvent(change, True)] for c in record.claims_added}
                    )
                    continue
                history = found.pop(record.old_id or record.id, None) or RecordHistory(change, change)
                history.last = change
                for claim in record.claims_removed:
                    history.claims.pop(claim.id, None)
                for claim_change in record.claims_changed:
                    events = history.claims.pop(claim_change.old.id, [])
                    events.append(ClaimEvent(change, False, claim_change))
                    history.claims[claim_change.new.id] = events
                for claim in record.claims_added:
                    history.claims[claim.id] = [ClaimEvent(change, True)]
                found[record.id] = history
        for record_id, (commit, timestamp, readable, readable_at) in self.first_seen.items():
            first = HistoryEntry(commit, timestamp, KbDiff())
            history = found.get(record_id)
            if history is None:
                found[record_id] = RecordHistory(first, HistoryEntry(readable, readable_at, KbDiff()))
            elif first.timestamp < history.first.timestamp:
                history.first = first
        return found

    # -- the cache's form --------------------------------------------------------------

    def to_json(self) -> dict:
        return {
            "version": CACHE_VERSION,
            "head": self.head,
            "first_seen": {key: list(value) for key, value in sorted(self.first_seen.items())},
            "changes": [
                {"commit": c.commit, "timestamp": c.timestamp, "diff": diff_to_json(c.diff)} for c in self.changes
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> History:
        return cls(
            tuple(HistoryEntry(c["commit"], c["timestamp"], diff_from_json(c["diff"])) for c in data["changes"]),
            data["head"],
            first_seen={key: tuple(value) for key, value in data.get("first_seen", {}).items()},
        )


# -- reading it ---------------------------------------------------------------------------


def read_history(data_dir: Path, cache_dir: Path | None = None) -> History:
    """The history of the data folder `data_dir` on HEAD's first-parent line (from the cache in
    `cache_dir` when it has it, written there otherwise); unavailable, with a reason, when git or
    the repository cannot give it."""
    with collector_paused():  # a great many small objects and no reference cycles
        return _read_history(Path(data_dir), cache_dir)


def _read_history(data_dir: Path, cache_dir: Path | None) -> History:
    try:
        repo = Repository.containing(Path(data_dir))
        head = repo.head()
        if head is None:
            return History.unavailable("the repository has no commit yet")
        data_path = repo.path_in_repository(Path(data_dir))
        cache_file = None
        if cache_dir is not None:
            digest = hashlib.sha256(f"{CACHE_VERSION}\0{data_path}\0{code_digest()}".encode()).hexdigest()[:16]
            cache_file = Path(cache_dir) / f"{head}-{digest}.json"
            cached = _read_cache(cache_file)
            if cached is not None:
                return cached
        if not repo.tree(head, data_path):
            return History.unavailable("the data folder has not been committed")
        history = compute_history(repo, head, data_path)
    except (GitUnavailable, GitError) as error:
        return History.unavailable(str(error))
    if cache_file is not None:
        _write_cache(cache_file, history)
    return history


def code_digest() -> str:
    """A digest of the code and schemas a history is computed with."""
    digest = hashlib.sha256()
    for folder in _CODE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".json") and path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read_cache(path: Path) -> History | None:
    try:
        data = json.loads(path.read_bytes())
        if data.get("version") == CACHE_VERSION:
            return History.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none yet, or unreadable: computed again
    return None


def _write_cache(path: Path, history: History) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".history-", suffix=".json")
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(json.dumps(history.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        # One file per commit built: the newest few are kept (a branch's builds, a rebuild or two).
        kept = sorted(path.parent.glob("*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
        for old in kept[CACHE_FILES_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout: no cache, the same history


# -- computing it ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    """One version of a record file: its path in the data folder, its blob and (a source) its archive's."""

    path: str  # people/eddie-wu.yml
    blob: str
    archive: str = ""  # the archive's file name
    archive_blob: str = ""

    @property
    def kind(self) -> str:
        return KIND_OF_FOLDER[self.path.split("/", 1)[0]]

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[1][: -len(".yml")]


_UNREADABLE = object()


def _record_path(path: str) -> bool:
    folder, _, name = path.partition("/")
    return folder in KIND_OF_FOLDER and "/" not in name and name.endswith(".yml") and not name.startswith(".")


def compute_history(repo: Repository, head: str, data_path: str) -> History:
    chain = repo.first_parent_chain(head)
    changed = repo.changes(chain, data_path)
    chain = [c for c in chain if c.id in changed]
    prefix = f"{data_path}/" if data_path else ""

    def local(change: TreeChange) -> str:
        return change.path[len(prefix) :]

    # Which archive each version of a source record names (read from its bytes: sources are few).
    source_blobs = {
        c.new_id
        for commit in chain
        for c in changed[commit.id]
        if c.new_id and local(c).startswith("sources/") and _record_path(local(c))
    }
    archive_names = {
        blob: (match.group(1).decode() if (match := _ARCHIVE.search(data or b"")) else "")
        for blob, data in repo.blobs(sorted(source_blobs), MAX_BLOB_BYTES).items()
    }

    # Walk the changes over the data folder's tree: each commit's record versions, before and after.
    tree: dict[str, tuple[str, str]] = {}  # path -> (mode, blob)
    plan: list[tuple[Commit, list[tuple[str, _Version | None]]]] = []
    for commit in chain:
        touched: set[str] = set()
        archives: set[str] = set()
        for change in changed[commit.id]:
            path = local(change)
            if change.new_id is None:
                tree.pop(path, None)
            else:
                tree[path] = (change.new_mode, change.new_id)
            if _record_path(path):
                touched.add(path)
            elif path.startswith("sources/") and path.endswith(".txt"):
                archives.add(path[len("sources/") :])
        if archives:
            for path, (_mode, blob) in tree.items():
                if path.startswith("sources/") and _record_path(path) and archive_names.get(blob) in archives:
                    touched.add(path)
        versions = []
        for path in sorted(touched):
            mode, blob = tree.get(path, ("", ""))
            if not blob or mode not in ("100644", "100755"):
                versions.append((path, None))  # gone, or not a regular file: not a record
                continue
            archive = archive_names.get(blob, "") if path.startswith("sources/") else ""
            archive_mode, archive_blob = tree.get(f"sources/{archive}", ("", "")) if archive else ("", "")
            if archive_mode not in ("100644", "100755"):
                archive_blob = ""
            versions.append((path, _Version(path, blob, archive, archive_blob)))
        plan.append((commit, versions))

    views = _load_versions(repo, data_path, {v for _, versions in plan for _, v in versions if v is not None})

    changes: list[HistoryEntry] = []
    last_readable: dict[str, RecordView] = {}
    appeared: dict[str, Commit] = {}  # record file -> the commit it appeared in (kept while it is there)
    first_seen: dict[str, tuple] = {}
    for commit, versions in plan:
        before: dict[str, RecordView] = {}
        after: dict[str, RecordView] = {}
        for path, version in versions:
            view = views[version] if version is not None else None
            if version is None:
                appeared.pop(path, None)
            else:
                appeared.setdefault(path, commit)
            if view is _UNREADABLE:
                continue  # compared later, from its last readable version
            previous = last_readable.pop(path, None)
            if previous is not None:
                before[previous.id] = previous
            if view is not None:
                last_readable[path] = view
                if previous is None and appeared[path] is not commit:
                    # Its file was there before, in a form the current code cannot read (an older format):
                    # not an addition. It is compared from here on, and dated from its file's first commit.
                    found = appeared[path]
                    first_seen[view.id] = (found.id, found.timestamp, commit.id, commit.timestamp)
                    continue
                after[view.id] = view
        diff = diff_views(before, after)
        if diff:
            changes.append(HistoryEntry(commit.id, commit.timestamp, diff))
    return History(tuple(changes), head, first_seen=first_seen)


def _load_versions(repo: Repository, data_path: str, versions: set[_Version]) -> dict[_Version, object]:
    """Each version's view (or _UNREADABLE): its bytes read and built as the loader does, in memory; a
    source's archived text from a temporary folder (one per version of an archive: sources are few)."""
    ordered = sorted(versions, key=lambda v: (v.path, v.blob, v.archive_blob))
    blobs = repo.blobs([v.blob for v in ordered] + [v.archive_blob for v in ordered if v.archive_blob], MAX_BLOB_BYTES)
    prefix = f"{data_path}/" if data_path else ""
    found: dict[_Version, object] = {}
    with tempfile.TemporaryDirectory(prefix="kb-history-", dir=memory_folder()) as temporary:
        archives: dict[tuple[str, str], Path] = {}
        for version in ordered:
            raw = blobs.get(version.blob)
            directory = None
            if version.kind == "source":
                key = (version.archive, version.archive_blob)
                directory = archives.get(key)
                if directory is None:
                    directory = archives[key] = Path(temporary) / str(len(archives))
                    directory.mkdir()
                    content = blobs.get(version.archive_blob) if version.archive_blob else None
                    if content is not None:  # its name is checked: _ARCHIVE's pattern
                        (directory / version.archive).write_bytes(content)
            record = record_of_bytes(version.kind, raw, prefix + version.path, directory) if raw is not None else None
            found[version] = record_view(record) if record is not None else _UNREADABLE
    return found
