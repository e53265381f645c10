"""The knowledge base of the current build, loaded and validated once.

Shared by the MkDocs hook and the macros module (both thin adapters). The
cache is keyed by the data folder's file stamps, so `mkdocs serve` reloads
after an edit and a plain build loads once.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from .export import export_files
from .problems import DataError
from .validate import Report, validate

LOCAL_SITE_URL = "http://127.0.0.1:8000/"

_cache: dict[str, tuple[tuple, Report]] = {}
_current: dict[str, tuple[weakref.ref, Report]] = {}  # the configuration of the build in progress, and its report
_exports: dict[str, tuple[Report, dict[str, bytes]]] = {}


def data_dir_of(config) -> Path:
    project = Path(config.config_file_path).resolve().parent
    return project / config.extra.get("kb_data", "data")


def _fingerprint(data_dir: Path) -> tuple:
    stamps = []
    for root, _, files in os.walk(data_dir):
        for name in files:
            stat = os.stat(os.path.join(root, name))
            stamps.append((root, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stamps))


def load_report(config) -> Report:
    """The validated knowledge base; raises DataError listing every problem.

    The data folder is looked at once per build (per configuration object:
    `mkdocs serve` makes a new one for each rebuild), not on every call: the
    macros of every page ask for the report, and stamping every file of a
    large data folder on each call made the build quadratic.
    """
    current = _current.get("build")
    if current is not None and current[0]() is config:
        report = current[1]
    else:
        data_dir = data_dir_of(config)
        key = str(data_dir)
        fingerprint = _fingerprint(data_dir)
        cached = _cache.get(key)
        if cached and cached[0] == fingerprint:
            report = cached[1]
        else:
            report = validate(data_dir, Path(config.config_file_path).resolve().parent)
            _cache[key] = (fingerprint, report)
        try:
            _current["build"] = (weakref.ref(config), report)
        except TypeError:  # a configuration that cannot be weakly referenced: stamp the files each time
            _current.pop("build", None)
    if report.problems:
        raise DataError(report.problems)
    return report


def base_url(config) -> str:
    """The site's absolute URL (for exports and feeds), ending in '/'."""
    url = config.site_url or LOCAL_SITE_URL
    return url if url.endswith("/") else url + "/"


def exports(config) -> dict[str, bytes]:
    """The export files of this build (made once: the downloads page and the
    post-build step both need them)."""
    report = load_report(config)
    key = base_url(config)
    cached = _exports.get(key)
    if cached is None or cached[0] is not report:
        cached = (report, export_files(report.kb, key))
        _exports.clear()
        _exports[key] = cached
    return cached[1]
