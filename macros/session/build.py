"""The knowledge base of the current build, loaded and validated once.

Shared by the MkDocs hook and the macros module (both thin adapters). The
cache is keyed by the data folder's file stamps, so `mkdocs serve` reloads
after an edit and a plain build loads once.
"""

from __future__ import annotations

import gc
import os
import re
import weakref
from pathlib import Path

from macros.exports.files import EXPORT_PATHS, export_files
from macros.kb.problems import DataError
from macros.kb.report import Report
from macros.kb.validate import validate
from macros.rendering.markup import esc
from macros.session import prerender
from macros.session.pages import record_page

LOCAL_SITE_URL = "http://127.0.0.1:8000/"

_cache: dict[str, tuple[tuple, Report]] = {}
# The configuration of the build in progress, with its report and its prerender worker.
_current: dict[str, tuple[weakref.ref, object]] = {}
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
            if _cache:  # a rebuild (`mkdocs serve`): let the last build go before freezing this one
                _cache.clear()
                _current.pop("build", None)
                gc.unfreeze()
                gc.collect()
            report = validate(data_dir, Path(config.config_file_path).resolve().parent)
            _cache[key] = (fingerprint, report)
            # The knowledge base lives as long as the build: keep its millions of objects out of the
            # cycle collector's way, or each of its full passes during the build goes over all of them.
            gc.freeze()
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


# -- the project's share of the build on a second core (see prerender.py) ------------


def start_prerender(config, jobs: list[tuple[str, str, str, str]]) -> None:
    """Start rendering the generated pages (src_uri, kind, record id, page URL), and the downloads, in
    two child processes, where that is safe; otherwise they are made here, when asked for."""
    stop_prerender()
    if not prerender.can_fork():
        return
    report = load_report(config)
    try:
        _current["prerender"] = (
            weakref.ref(config),
            prerender.Prerender(report, jobs, config.use_directory_urls, base_url(config)),
        )
    except (OSError, ValueError, TypeError):  # no fork here, no pipe, or a configuration without weak references
        _current.pop("prerender", None)


def _prerender(config) -> prerender.Prerender | None:
    current = _current.get("prerender")
    return current[1] if current is not None and current[0]() is config else None


def stop_prerender() -> None:
    current = _current.pop("prerender", None)
    if current is not None:
        current[1].close()


def generated_page(config, src_uri: str, kind: str, record_id: str, page_url: str) -> str:
    """The Markdown of a record's generated page."""
    worker = _prerender(config)
    markdown = worker.page(src_uri) if worker is not None else None
    if markdown is None:
        markdown = record_page(
            load_report(config), kind, record_id, page_url, config.use_directory_urls, base_url(config)
        )
    return markdown


def download_sizes(config, wait: bool = True) -> dict[str, int] | None:
    """Path -> size in bytes of every download; None when they are still being made and `wait` is false."""
    worker = _prerender(config)
    if worker is not None:
        sizes = worker.export_sizes(wait)
        if sizes is not None or not wait:
            return sizes
    return {path: len(content) for path, content in exports(config).items()}


# While the downloads are still being made, their table on the downloads page holds a placeholder for
# each size; the hook puts the sizes in before the page is indexed and written.
SIZE_MARK = "kb-download-size-"
_SIZE_PLACEHOLDER = re.compile(SIZE_MARK + r"([0-9]+)-end")


def _size_text(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"


def downloads_table(config, link) -> str:
    """The downloads with their sizes, as a Markdown table; `link` makes each path relative to the page."""
    sizes = download_sizes(config, wait=False)
    paths = sorted(sizes) if sizes is not None else sorted(EXPORT_PATHS)
    rows = []
    for number, path in enumerate(paths):
        shown = _size_text(sizes[path]) if sizes is not None else f"{SIZE_MARK}{number}-end"
        rows.append(f'| <a href="{esc(link.file(path))}">{esc(path)}</a> | {shown} |')
    return "| file | size |\n|---|---|\n" + "\n".join(rows)


def fill_download_sizes(config, html: str) -> str:
    """The page's HTML with the placeholders of `downloads_table` replaced by the sizes."""
    return fill_sizes(html, download_sizes(config))


def fill_sizes(text: str, sizes: dict[str, int]) -> str:
    """`text` with the placeholders of `downloads_table` replaced by these sizes (path -> bytes)."""
    paths = sorted(EXPORT_PATHS)
    return _SIZE_PLACEHOLDER.sub(lambda match: _size_text(sizes[paths[int(match.group(1))]]), text)


def write_exports(config) -> None:
    """Write the downloads into the site."""
    site_dir = Path(config.site_dir)
    worker = _prerender(config)
    if worker is None or not worker.move_exports(site_dir):
        for relative_path, content in exports(config).items():
            target = site_dir / relative_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    stop_prerender()
