"""What data/ holds, listed without following a link.

data/ is untrusted input (see macros.kb.safefiles): the listing uses the
file types the folder gives (scandir, links not followed), never goes into
a linked folder, and opens nothing but the first bytes of a stray record
file, to guess where it belongs. The layout, and what breaks it:

    data/<folder>/<id>.yml   a record (the folders: macros.kb.kinds.FOLDERS)
    data/sources/<id>.txt    an archived text
    data/schemas/...         the JSON Schemas (not records)

A symbolic link (to anything, dangling or not), a device, a FIFO or a socket
anywhere under data/ is a `special-file` problem, and its target is never
opened. A file in a folder the knowledge base does not know, in a subfolder
of a record folder, at the top of data/, or with another extension, is an
`unexpected-file` problem with a guess of where it belongs. Nothing is
skipped silently but names that start with a dot (.gitkeep, .DS_Store, an
editor's swap file), which are never opened.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from macros.kb.kinds import FOLDERS, KIND_OF_FOLDER
from macros.kb.problems import Problem
from macros.kb.safefiles import linked_folder, lstat_mode, read_regular, what_is

SCHEMA_FOLDER = "schemas"  # data/schemas/: the schemas' folder, not records


@dataclass
class RecordFile:
    kind: str
    directory: Path  # the folder (archived texts are found next to the source records)
    path: str  # where to read it (a string: making a Path of each of 30,000 files takes a while)
    name: str  # the file's name
    shown: str  # the path shown in problems, relative to the root

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0]


@dataclass
class Listing:
    """The record files under data/: what exists, before anything is read."""

    files: list[RecordFile]
    known: dict[str, list[tuple[str, str]]]  # id (file name) -> [(kind, shown path)]
    problems: list[Problem]  # files that are not records, or not regular files


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _shown(path: Path | str, root: Path) -> str:
    """`path` relative to `root` when it is inside it, without resolving any link on the way."""
    shown = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return Path(shown).as_posix() if not shown.startswith("..") else Path(path).as_posix()


# -- the listing ----------------------------------------------------------------------


def _entries(directory: str) -> list[os.DirEntry]:
    with os.scandir(directory) as entries:
        return sorted((entry for entry in entries if not entry.name.startswith(".")), key=lambda e: e.name)


def _special(entry: os.DirEntry) -> str | None:
    """What the entry is when it is neither a regular file nor a real folder (scandir's types: no link followed)."""
    if entry.is_symlink():
        return "a symbolic link"
    if entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False):
        return None
    try:
        return what_is(entry.stat(follow_symlinks=False).st_mode)
    except OSError:
        return "not a regular file"


def _special_problem(shown: str, what: str) -> Problem:
    if what == "a symbolic link":
        message = "this is a symbolic link: links in data/ are not followed, and its target is not read"
        hint = "put the file itself here (a link could lead to any file of the machine that builds the site)"
    else:
        message = f"this is {what}, not a regular file: it is not read"
        hint = "remove it: data/ holds only regular files"
    return Problem(shown, 1, 1, "special-file", message, hint)


def _walk(directory: str, shown: str, found: list[tuple[str, str, str | None]]) -> None:
    """Every file under `directory`, links not followed: (shown path, name, what it is if not regular)."""
    for entry in _entries(directory):
        entry_shown = f"{shown}/{entry.name}"
        what = _special(entry)
        if what is None and entry.is_dir(follow_symlinks=False):
            _walk(entry.path, entry_shown, found)
        else:
            found.append((entry_shown, entry.name, what))


def _guess(name: str, options: list[str]) -> str | None:
    guess = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return guess[0] if guess else None


_MODELINE = re.compile(rb"\$schema=\S*?([a-z]+)\.schema\.json")


def _kind_by_modeline(path: str) -> str | None:
    """The kind a record file's schema modeline names, if it has one (read safely: a regular file)."""
    try:
        head = read_regular(path, limit=500)
    except OSError:
        return None
    match = _MODELINE.search(head)
    kind = match.group(1).decode() if match else None
    return kind if kind in FOLDERS else None


def list_records(data_dir: Path, root: Path) -> Listing:
    """Every record file under `data_dir`, in a stable order, and a problem for everything else there;
    paths are shown relative to `root`."""
    data_dir = Path(data_dir)
    files: list[RecordFile] = []
    known: dict[str, list[tuple[str, str]]] = {}
    problems: list[Problem] = []
    mode = lstat_mode(data_dir)
    shown_data = relative(data_dir, root) if mode is None or not stat.S_ISLNK(mode) else data_dir.as_posix()
    if mode is None or not (stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
        return Listing(files, known, problems)  # no data folder: an empty knowledge base
    if stat.S_ISLNK(mode):
        problems.append(
            Problem(
                shown_data,
                1,
                1,
                "special-file",
                "the data folder is a symbolic link: links are not followed, and nothing under it is read",
                "use the folder itself",
            )
        )
        return Listing(files, known, problems)
    folders = sorted([*KIND_OF_FOLDER, SCHEMA_FOLDER])
    all_folders = ", ".join(f"{shown_data}/{folder}/" for folder in folders)
    for entry in _entries(os.fspath(data_dir)):
        name, shown = entry.name, f"{shown_data}/{entry.name}"
        what = _special(entry)
        if what is not None:
            problems.append(_special_problem(shown, what))
        elif entry.is_dir(follow_symlinks=False):
            if name in KIND_OF_FOLDER:
                _list_folder(data_dir / name, shown, KIND_OF_FOLDER[name], files, known, problems)
            elif name == SCHEMA_FOLDER:
                found: list = []
                _walk(entry.path, shown, found)
                problems.extend(_special_problem(path, what) for path, _, what in found if what is not None)
            else:
                guess = _guess(name, folders)
                hint = f"did you mean {shown_data}/{guess}/? " if guess else ""
                found = []
                _walk(entry.path, shown, found)
                for path, _, file_what in found:
                    if file_what is not None:
                        problems.append(_special_problem(path, file_what))
                    else:
                        problems.append(
                            Problem(
                                path,
                                1,
                                1,
                                "unexpected-file",
                                f"{shown}/ is not a folder of the knowledge base: this file is not read",
                                hint + f"the folders of data/ are {all_folders}",
                            )
                        )
        else:
            if name.endswith(".yml"):
                kind = _kind_by_modeline(entry.path)
                where = (
                    f"did you mean {shown_data}/{FOLDERS[kind]}/{name}? (its modeline names the {kind} schema)"
                    if kind
                    else "move it to the folder of its kind: "
                    + ", ".join(f"{shown_data}/{folder}/" for folder in sorted(KIND_OF_FOLDER))
                )
                message = "a record file at the top of data/ is not read: records go in the folder of their kind"
            else:
                where = f"remove it or move it: data/ holds only the folders {all_folders}"
                message = f"'{name}' is not part of the knowledge base"
            problems.append(Problem(shown, 1, 1, "unexpected-file", message, where))
    return Listing(files, known, problems)


def _list_folder(
    directory: Path,
    shown_directory: str,
    kind: str,
    files: list[RecordFile],
    known: dict[str, list[tuple[str, str]]],
    problems: list[Problem],
) -> None:
    for entry in _entries(os.fspath(directory)):
        name = entry.name
        shown = f"{shown_directory}/{name}"
        what = _special(entry)
        if what is not None:
            problems.append(_special_problem(shown, what))
            continue
        if entry.is_dir(follow_symlinks=False):
            found: list = []
            _walk(entry.path, shown, found)
            for path, file_name, file_what in found:
                if file_what is not None:
                    problems.append(_special_problem(path, file_what))
                    continue
                suffix = file_name.rpartition(".")[2]
                hint = (
                    f"did you mean {shown_directory}/{file_name}?"
                    if suffix == "yml" or (kind == "source" and suffix == "txt")
                    else f"remove it: {shown_directory}/ holds only records"
                )
                problems.append(
                    Problem(
                        path,
                        1,
                        1,
                        "unexpected-file",
                        f"records are not kept in subfolders: this file in {shown}/ is not read",
                        hint,
                    )
                )
            continue
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix != "yml":
            if not (kind == "source" and dot and suffix == "txt"):
                hint = f"rename it to {stem}.yml" if dot and suffix == "yaml" else "records are .yml files"
                problems.append(Problem(shown, 1, 1, "unexpected-file", f"'{name}' is not a record file", hint))
            continue
        known.setdefault(stem, []).append((kind, shown))
        files.append(RecordFile(kind, directory, entry.path, name, shown))


def record_file(data_dir: Path, path: Path, root: Path) -> tuple[RecordFile | None, str]:
    """The record file at `path` (as named on a command line), or None and why it is not one: it must be
    a regular .yml file in a record folder of `data_dir`, reached through no link."""
    data_abs = os.path.abspath(data_dir)
    relative_path = os.path.relpath(os.path.abspath(path), data_abs)
    parts = tuple(Path(relative_path).parts)
    folders = ", ".join(sorted(FOLDERS.values()))
    if len(parts) != 2 or parts[0] not in KIND_OF_FOLDER or not parts[1].endswith(".yml"):
        return None, f"not in a record folder ({folders})"
    linked = linked_folder(Path(data_abs), parts[:1])
    if linked is not None:
        return None, f"{_shown(linked, root)} is not a real folder (a link is not followed): not read"
    mode = lstat_mode(path)
    if mode is None:
        return None, "no such file"
    if not stat.S_ISREG(mode):
        return None, f"{what_is(mode)}, not a regular file: not read"
    kind = KIND_OF_FOLDER[parts[0]]
    return RecordFile(kind, Path(data_abs) / parts[0], os.fspath(path), parts[1], _shown(path, root)), ""
