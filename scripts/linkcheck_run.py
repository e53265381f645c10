"""Runs LinkChecker (``python -m linkcheck``) so that, started as root, it still loads its code.

Started as root, LinkChecker drops its privileges, by ``os.seteuid``, to the user ``nobody``
(``drop_privileges`` in ``linkcheck/command/linkchecker.py``): after reading its configuration, but
before it loads its plugins and the modules it imports on first use. When ``nobody`` cannot read the
folders these are in (a repository cloned into a private folder, a Python installed in root's home
of mode 0700, as in many containers), that fails without a word: ``pkgutil.iter_modules`` lists
nothing in a folder it cannot read, so none of LinkChecker's own plugins is loaded, AnchorCheck
with them, while the configuration, read before, still says that AnchorCheck is on. No anchor was
checked, and the check said OK. (A plugin folder it cannot read makes it crash instead, and a
module it had not imported yet fails to import.)

So, started as root, this runner first looks at those folders as ``nobody``, and when ``nobody``
cannot list one of them it keeps LinkChecker from dropping its privileges: LinkChecker then runs as
root, as its caller does. It only reads the pages of a local server and writes to a pipe; with
``--external`` it also fetches external pages, as it would as ``nobody``. Whatever happens here,
``scripts/linkcheck.py`` proves in every run that links and anchors are checked.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Iterable

import linkcheck.command.linkchecker as command
import linkcheck.plugins
from linkcheck.configuration import Version, get_plugin_folders

WRITTEN_FOR = "10.6.0"  # the LinkChecker release whose drop_privileges is replaced below (pinned in requirements.txt)


def missing_patch_points() -> list[str]:
    """What this module relies on in LinkChecker and cannot find (empty when all is there)."""
    if not callable(getattr(command, "drop_privileges", None)):
        return ["linkcheck.command.linkchecker.drop_privileges"]
    if "drop_privileges()" not in inspect.getsource(command.linkchecker):
        return ["linkcheck.command.linkchecker.linkchecker calling drop_privileges by name"]
    return []


def dropped_uid() -> int | None:
    """The user id LinkChecker drops to as root, or None if it would not drop (or would fail)."""
    if os.name != "posix" or os.geteuid() != 0:
        return None
    import pwd

    try:
        # As drop_privileges does (field 3 is the group id; for nobody, the same number).
        return pwd.getpwnam("nobody")[3]
    except KeyError:
        return None


def code_folders() -> list[str]:
    """The folders LinkChecker loads code from after dropping its privileges: its plugin folders
    and every folder on the module search path."""
    folders = [*linkcheck.plugins.__path__, *get_plugin_folders(), *sys.path]
    return sorted({os.path.abspath(f or ".") for f in folders if os.path.isdir(f or ".")})


def unlistable(folders: Iterable[str], uid: int) -> list[str]:
    """The folders that the user ``uid`` cannot list (looked at with that effective user id)."""
    failed = []
    os.seteuid(uid)
    try:
        for folder in folders:
            try:
                os.listdir(folder)
            except OSError:
                failed.append(folder)
    finally:
        os.seteuid(0)
    return failed


def keep_root() -> None:
    """Stands in for LinkChecker's drop_privileges."""
    command.log.warn(
        command.LOG_CHECK,
        "Running as root user; staying root: the user nobody cannot read the code LinkChecker loads.",
    )


def main() -> None:
    missing = missing_patch_points()
    if missing:
        raise SystemExit(
            f"scripts/linkcheck_run.py was written for LinkChecker {WRITTEN_FOR}; LinkChecker {Version} has no "
            + "; no ".join(missing)
            + ". Update it (see the module's docstring) and WRITTEN_FOR."
        )
    uid = dropped_uid()
    if uid is not None and unlistable(code_folders(), uid):
        command.drop_privileges = keep_root
    command.linkchecker()


if __name__ == "__main__":
    main()
