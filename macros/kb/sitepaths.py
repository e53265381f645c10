"""A record's page must not take the place of a page or file the site already has.

Each record is published at <folder>/<id>/, from a page <folder>/<id>.md.
The site's own files (hand-written pages, the index page of each folder,
assets) have paths too, relative to the folder they are kept in (docs/): a
record whose id gives it one of theirs would replace it or be replaced, and
`people/index.md` is the people index, so a person with the id `index`
would be it. The validator is given those paths (the command line reads
docs/, the build its configuration's docs folder: `site_paths`) and reports
such an id as a problem at the record's `id:` (code site-path-taken).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from macros.kb.kinds import FOLDERS
from macros.kb.problems import Problem
from macros.kb.yamlsafe import Document


def site_paths(folder: Path | str | None) -> frozenset[str]:
    """Every file under `folder`, and every linked folder (not followed), as posix paths relative to it;
    empty when there is no such folder."""
    if folder is None or not os.path.isdir(folder):
        return frozenset()
    found: set[str] = set()
    base = os.fspath(folder)
    for directory, subfolders, files in os.walk(base):
        relative_directory = os.path.relpath(directory, base)
        linked = [name for name in subfolders if os.path.islink(os.path.join(directory, name))]
        for name in files + linked:
            path = name if relative_directory == "." else f"{relative_directory}/{name}"
            found.add(path.replace(os.sep, "/"))
    return frozenset(found)


# The names in a folder that a page <folder>/<name>/ would clash with: its source, its HTML, a file or
# folder of that very name; and README.md, which is the folder's index page like index.md.
_PAGE_SUFFIXES = (".md", ".html", "")


@cache
def _taken(reserved: frozenset[str]) -> dict[str, str]:
    """'<folder>/<name>' -> the first site path (in sorted order) that takes that page's place."""
    taken: dict[str, str] = {}
    for path in sorted(reserved):
        parts = path.split("/")
        if len(parts) < 2:
            continue
        folder, name = parts[0], parts[1]
        if len(parts) == 2:
            if name == "README.md":
                name = "index.md"
            for suffix in _PAGE_SUFFIXES:
                if suffix and name.endswith(suffix):
                    name = name[: -len(suffix)]
                    break
            else:
                if "." in name:
                    continue  # an asset beside the pages (people/photo.png) takes no page's place
        taken.setdefault(f"{folder}/{name}", path)
    return taken


def taken_by(kind: str, record_id: str, reserved: frozenset[str]) -> str | None:
    """The site path that the page of this record would clash with, or None."""
    return _taken(reserved).get(f"{FOLDERS[kind]}/{record_id}") if reserved else None


def check_site_paths(files, id_docs: dict[str, Document], reserved: frozenset[str]) -> list[Problem]:
    """A problem for each of `files` (macros.kb.listing.RecordFile) whose page would take a site path."""
    problems = []
    if not reserved:
        return problems
    for file in files:
        path = taken_by(file.kind, file.stem, reserved)
        if path is None:
            continue
        doc = id_docs.get(file.shown)
        line, col = doc.where(("id",)) if doc is not None else (1, 1)
        folder = FOLDERS[file.kind]
        problems.append(
            Problem(
                file.shown,
                line,
                col,
                "site-path-taken",
                f"the id '{file.stem}' would publish this {file.kind} at {folder}/{file.stem}/, "
                f"where the site already has {path}",
                f"choose another id (and name the file after it): {path} is one of the site's own pages or "
                "files, kept in its docs folder",
            )
        )
    return problems
