"""The knowledge base the tests read, and fixtures laid over it (not a pytest conftest).

- `DATA`: the data folder that the tests which read real data use: the
  repository's data/, or the folder KB_DATA names (as mkdocs.yml reads it:
  relative to the repository; it must be inside it). `make test` runs the
  suite on data/; `KB_DATA=<folder> make test` runs the same suite on
  another knowledge base, for example data/ with a new source laid over it.
- `lay_over(base, fixture, target)`: a copy of the data folder `base` with
  the records of the data folder `fixture` added, the way a contributor's
  pull request adds them: a record whose id is new is copied; a record that
  already exists gets the fixture's names, roles, parents, statements and
  citations appended to its own (its other fields are kept, and an entry it
  already has is not added twice), and is written back in canonical form.
  Laying a fixture over data that already holds it changes nothing.

Run as a script to make such a folder for `KB_DATA` (`make test-overlay` does, then runs the suite):

    .venv/bin/python tests/kbdata.py lay-over tests/fixtures/third-source/data build/kb-overlay/data
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import yaml

from macros.kb.canonical import canonical
from macros.kb.kinds import FOLDERS

REPO = Path(__file__).resolve().parent.parent

KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}
# The fields of a record that hold lists of claims: a fixture's entries are appended to the record's.
APPENDED = ("cite", "other_names", "roles", "parents", "statements", "no_claim", "changes", "people")


def data_under_test() -> Path:
    """The data folder the tests read: KB_DATA (relative to the repository), else data/.

    It must be inside the repository: the site names each record's file relative to the project
    (its edit link), and a folder outside would put a path of this machine on the pages."""
    named = os.environ.get("KB_DATA")
    if not named:
        return REPO / "data"
    folder = (REPO / named).resolve()
    if not folder.is_relative_to(REPO) or not folder.is_dir():
        raise ValueError(f"KB_DATA={named}: give a data folder inside the repository, e.g. build/<name>/data")
    return folder


DATA = data_under_test()
# Where the tests run the validator from, as `make validate` does: problems name files relative to it.
DATA_ROOT = REPO
# The variable a site build reads the data folder from (mkdocs.yml): empty for data/.
DATA_ENV = {"KB_DATA": DATA.relative_to(REPO).as_posix()} if DATA != REPO / "data" else {}


def lay_over(base: Path, fixture: Path, target: Path) -> Path:
    """Copy the data folder `base` to `target` and add the records of `fixture` to it; returns `target`."""
    shutil.copytree(base, target)
    for path in sorted(fixture.rglob("*")):
        relative = path.relative_to(fixture)
        destination = target / relative
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".yml" and destination.exists() and relative.parts[0] in KIND_OF_FOLDER:
            kind = KIND_OF_FOLDER[relative.parts[0]]
            merged = _merge(_read(destination), _read(path))
            text = canonical(kind, yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), str(relative))
            assert text is not None, destination
            destination.write_text(text, encoding="utf-8")
        elif not destination.exists():
            shutil.copyfile(path, destination)
        elif destination.read_bytes() != path.read_bytes():  # the same file twice is laid over once
            raise FileExistsError(f"{destination} exists: a fixture adds files, it does not replace them")
    return target


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _merge(record: dict, addition: dict) -> dict:
    if record.get("id") != addition.get("id"):
        raise ValueError(f"cannot lay {addition.get('id')!r} over {record.get('id')!r}")
    merged = dict(record)
    for key, value in addition.items():
        if key in APPENDED:
            merged[key] = list(record.get(key) or []) + [v for v in value if v not in (record.get(key) or [])]
        else:
            merged.setdefault(key, value)
    return merged


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] != "lay-over":
        print("usage: python tests/kbdata.py lay-over FIXTURE_DATA TARGET_DATA  (base: the data under test)")
        return 2
    target = Path(argv[3])
    if target.resolve() == DATA.resolve():
        print(f"error: {target} is the data under test itself: unset KB_DATA, or lay the fixture elsewhere")
        return 2
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    lay_over(DATA, Path(argv[2]), target)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
