"""One build's state: the validated knowledge base, the pages and downloads made on a second core.

The MkDocs adapters (hooks.py, main.py) ask `session_for(config)` for the
session of the build in progress; everything a build keeps lives in that one
object, and nothing here imports MkDocs. `settings_of` is the one place that
reads MkDocs' configuration.

`mkdocs serve` makes a new configuration for each rebuild: a new configuration
gets a new session, which takes over the last one's validated knowledge base
when no data file changed (the data folder's file stamps say so), and
otherwise loads it again.

Data with problems stops a build (DataError, every problem listed), except in
a preview: once `show_problems_as_pages(True)` is called (the hooks do for
`mkdocs serve`), such a build shows the problems at every page's address
instead. MkDocs would otherwise keep showing the last good site and hold
every new request until a rebuild succeeds; a build that succeeds with the
problems on its pages is served at once, and the live reload brings the site
back with the first build whose data is valid again.
"""

from __future__ import annotations

import gc
import os
import weakref
from dataclasses import dataclass
from pathlib import Path

from macros.exports.files import LOCAL_BASE_URL, export_files
from macros.kb.collector import collector_paused
from macros.kb.history import History, read_history
from macros.kb.kinds import FOLDERS
from macros.kb.problems import DataError, Problem
from macros.kb.report import Report
from macros.kb.sitepaths import site_paths
from macros.kb.validate import validate
from macros.rendering.history import HistoryRenderer
from macros.rendering.markup import Linker
from macros.rendering.problems import problems_page
from macros.session import downloads, prerender
from macros.session.pages import record_page


@dataclass(frozen=True)
class Settings:
    """What a build needs to know of its configuration."""

    data_dir: Path
    project_dir: Path  # problems name files relative to it
    base_url: str  # the site's absolute URL, ending in '/' (for exports and feeds)
    directory_urls: bool
    reserved: frozenset[str] = frozenset()  # the paths of the site's own files (docs_dir): no record may take one
    cache_dir: Path | None = None  # where the history is cached by commit (macros.kb.history)


def settings_of(config) -> Settings:
    project = Path(config.config_file_path).resolve().parent
    url = config.site_url or LOCAL_BASE_URL
    return Settings(
        data_dir=project / config.extra.get("kb_data", "data"),
        project_dir=project,
        base_url=url if url.endswith("/") else url + "/",
        directory_urls=config.use_directory_urls,
        reserved=site_paths(config.docs_dir),
        cache_dir=Path(os.environ.get("KB_CACHE_DIR") or project / ".cache") / "kb-history",
    )


def _fingerprint(data_dir: Path) -> tuple:
    stamps = []
    for root, _, files in os.walk(data_dir):
        for name in files:
            stat = os.lstat(os.path.join(root, name))
            stamps.append((root, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stamps))


class BuildSession:
    """A build: its validated report (loaded once, raising DataError on any problem), the pages and
    downloads rendered by a second process where that is safe, and the downloads' bytes otherwise."""

    def __init__(self, settings: Settings, previous: BuildSession | None = None):
        self.settings = settings
        self._fingerprint = _fingerprint(settings.data_dir)
        self._report: Report | None = None
        self._history: History | None = None
        self._exports: dict[str, bytes] | None = None
        self._worker: prerender.Prerender | None = None
        self._pages_to_fill: set[str] = set()  # the URLs of the pages with size placeholders
        if previous is not None:
            previous.close()
            if previous.settings == settings and previous._fingerprint == self._fingerprint:
                self._report = previous._report  # nothing changed: the same knowledge base
            elif previous._report is not None:
                # A rebuild after an edit: let the last build's objects go before freezing the new ones.
                gc.unfreeze()
                gc.collect()

    def _validated(self) -> Report:
        if self._report is None:
            # The knowledge base lives as long as the build: its millions of objects are kept out of the
            # cycle collector's way, or each of its full passes during the build would go over all of them.
            with collector_paused(keep=True):
                self._report = validate(
                    self.settings.data_dir, self.settings.project_dir, reserved=self.settings.reserved
                )
        return self._report

    @property
    def report(self) -> Report:
        """The validated knowledge base; raises DataError listing every problem."""
        report = self._validated()
        if report.problems:
            raise DataError(report.problems)
        return report

    # -- a preview of data with problems ------------------------------------------

    @property
    def problems(self) -> list[Problem]:
        """Every problem of the data, without raising."""
        return self._validated().problems

    @property
    def shows_problems(self) -> bool:
        """True when this build shows its data's problems on its pages: a preview of data with problems."""
        return _problems_as_pages and bool(self.problems)

    def problem_page_sources(self) -> list[str]:
        """The source paths of the records' pages (people/x.md...) that show the problems: one for every
        record file, valid or not, so the page of the record being fixed shows them too."""
        loaded = self._validated().loaded
        known = loaded.known_ids if loaded is not None else {}
        return sorted({f"{FOLDERS[kind]}/{record_id}.md" for record_id, places in known.items() for kind, _ in places})

    def problems_page(self) -> str:
        """The Markdown of the page shown at every address: every problem, escaped, with its hint."""
        return problems_page(self._validated().problems)

    @property
    def history(self) -> History:
        """The data's history from git (read once per build, cached by commit on disk)."""
        if self._history is None:
            with collector_paused(keep=True):  # as the report's: its many objects live as long as the build
                self._history = read_history(self.settings.data_dir, self.settings.cache_dir)
                self._history.records  # noqa: B018 (its index, made once here rather than in each process)
        return self._history

    def recent_changes(self, page_url: str) -> str:
        linker = Linker(page_url, self.settings.directory_urls)
        return HistoryRenderer(self.report.kb, self.history, linker).page()

    # -- pages -----------------------------------------------------------------

    def start_prerender(self, jobs: list[tuple[str, str, str, str]]) -> None:
        """Start rendering the generated pages (src_uri, kind, record id, page URL), and the downloads, in
        a child process, where that is safe; otherwise they are made here, when asked for."""
        self.stop_prerender()
        if not prerender.can_fork():
            return
        report = self.report
        try:
            self._worker = prerender.Prerender(
                report, jobs, self.settings.directory_urls, self.settings.base_url, self.history
            )
        except (OSError, ValueError):  # no fork here, or no temporary folder
            self._worker = None

    def stop_prerender(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def generated_page(self, src_uri: str, kind: str, record_id: str, page_url: str) -> str:
        """The Markdown of a record's generated page."""
        markdown = self._worker.page(src_uri) if self._worker is not None else None
        if markdown is None:
            markdown = self.record_page(kind, record_id, page_url)
        return markdown

    def record_page(self, kind: str, record_id: str, page_url: str) -> str:
        return record_page(
            self.report, kind, record_id, page_url, self.settings.directory_urls, self.settings.base_url, self.history
        )

    # -- downloads -------------------------------------------------------------

    def exports(self) -> dict[str, bytes]:
        """The export files of this build (made once: the downloads page and the post-build step ask)."""
        if self._exports is None:
            self._exports = export_files(self.report.kb, self.settings.base_url, history=self.history)
        return self._exports

    def download_sizes(self, wait: bool = True) -> dict[str, int] | None:
        """Path -> size in bytes of every download; None when they are still being made and `wait` is false."""
        if self._worker is not None:
            sizes = self._worker.export_sizes(wait)
            if sizes is not None or not wait:
                return sizes
        return {path: len(content) for path, content in self.exports().items()}

    def downloads_table(self, page_url: str) -> str:
        sizes = self.download_sizes(wait=False)
        if sizes is None:  # placeholders, filled in once the page is HTML
            self._pages_to_fill.add(page_url)
        return downloads.downloads_table(sizes, Linker(page_url, self.settings.directory_urls))

    def fill_download_sizes(self, html: str, page_url: str) -> str:
        """The page's HTML with the downloads table's size placeholders filled in, if it has any (only the
        pages whose table was made before the sizes were known: not every page is searched for them)."""
        if page_url not in self._pages_to_fill:
            return html
        return downloads.fill_sizes(html, self.download_sizes())

    def write_exports(self, site_dir: Path) -> None:
        """Write the downloads into the site."""
        if self._worker is None or not self._worker.move_exports(site_dir):
            for relative_path, content in self.exports().items():
                target = site_dir / relative_path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        self.stop_prerender()

    def close(self) -> None:
        self.stop_prerender()


# Whether a build shows its data's problems on its pages instead of failing (for `mkdocs serve`).
_problems_as_pages = False


def show_problems_as_pages(enabled: bool) -> None:
    """Let builds of data with problems succeed with the problems on every page (a preview's way), or
    stop them with a DataError (every other build's)."""
    global _problems_as_pages
    _problems_as_pages = enabled


# The session of the build in progress, with the configuration it belongs to (one process builds one
# site at a time; `mkdocs serve` builds again with a new configuration after each edit).
_active: tuple[weakref.ref, BuildSession] | None = None


def session_for(config) -> BuildSession:
    """The session of the build this MkDocs configuration belongs to."""
    global _active
    if _active is not None and _active[0]() is config:
        return _active[1]
    previous = _active[1] if _active is not None else None
    session = BuildSession(settings_of(config), previous)
    _active = (weakref.ref(config), session)
    return session


def end_session() -> None:
    """Forget the build in progress (its second process stopped)."""
    global _active
    if _active is not None:
        _active[1].close()
        _active = None
