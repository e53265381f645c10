"""Helpers for the tests that build a real site and look at it (not a pytest conftest).

- `build_site`: run `mkdocs build --strict` the way the Makefile does, in a
  subprocess, with a controlled environment;
- `real_site`: the repository's own site, built once per test run (`shared`),
  from the data under test (data/, or the folder KB_DATA names: tests/kbdata.py);
- `Site` / `Page`: the built HTML parsed once, with in-site link resolution;
- `serve`: a built site on 127.0.0.1 over HTTP, in a thread;
- `launch_chromium`: the system's Chromium under Playwright, with no
  background network.

Imported by tests/test_site_build.py, test_hostile.py, test_browser.py,
test_reproducible.py and test_no_half_publish.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import os
import posixpath
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from kbdata import DATA_ENV

from macros.kb.kinds import FOLDERS as KIND_FOLDERS

REPO = Path(__file__).resolve().parent.parent
FIXTURE_DATA = REPO / "tests" / "fixtures" / "kbsite" / "data"
FOLDERS = tuple(KIND_FOLDERS.values())
ENTITY_FOLDERS = tuple(folder for kind, folder in KIND_FOLDERS.items() if kind != "source")
# The environment variables the build reads; test builds set them explicitly.
CONFIG_ENV = ("SITE_URL", "REPO_URL", "EDIT_URI", "KB_DATA", "SOURCE_DATE_EPOCH")
EDIT_ENV = {"REPO_URL": "https://github.com/example/kb", "EDIT_URI": "edit/main/docs/", **DATA_ENV}

# The system's Chromium (Playwright's own browser download is not used); KB_TEST_CHROMIUM overrides.
CHROMIUM = os.environ.get("KB_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") or ""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


def build_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_ENV}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra or {})
    return env


def build_site(
    site_dir: Path,
    *,
    config: Path = REPO / "mkdocs.yml",
    env: dict[str, str] | None = None,
    check: bool = True,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` into site_dir, from `cwd` (the config's folder by default); raises with
    the output if it fails and check is true."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=cwd or config.parent,
        env=build_env(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def shared(tmp_path_factory, name: str, make) -> Path:
    """A folder made once for the whole test run, even across xdist workers.

    make(folder) fills the folder the first time; later callers (in this or
    another worker process) wait for it and reuse it.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of one run
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


def real_site_build(tmp_path_factory) -> tuple[Path, str]:
    """The repository's site with edit links on, from the data under test, built once per test run: its
    folder and the build's output."""

    def make(folder: Path) -> None:
        result = build_site(folder / "site", env=EDIT_ENV)
        (folder / "build-output.txt").write_text(result.stdout + result.stderr, encoding="utf-8")

    folder = shared(tmp_path_factory, "real-site", make)
    return folder / "site", (folder / "build-output.txt").read_text(encoding="utf-8")


def real_site(tmp_path_factory) -> Path:
    return real_site_build(tmp_path_factory)[0]


def make_project(root: Path, data_dir: Path) -> Path:
    """A throwaway project that reuses the repository's docs/, theme overrides and
    macros but reads its records from a copy of `data_dir` in root/data.

    The config is the repository's mkdocs.yml with its relative paths (docs_dir,
    custom_dir, hooks) pointed back at the repository; `extra.kb_data` keeps its
    default, `data`, which is now root/data. Returns the config file's path.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data_dir, root / "data")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    replacements = {
        "  - macros/hooks.py": f"  - {REPO / 'macros' / 'hooks.py'}",
        "custom_dir: docs/overrides": f"custom_dir: {REPO / 'docs' / 'overrides'}",
    }
    for old, new in replacements.items():
        assert old in text, f"mkdocs.yml no longer has {old!r}: update tests/conftest_site.py"
        text = text.replace(old, new)
    # mkdocs-macros finds its module (macros/main) next to the config file.
    (root / "macros").symlink_to(REPO / "macros", target_is_directory=True)
    config = root / "mkdocs.yml"
    config.write_text(f"docs_dir: {REPO / 'docs'}\n" + text, encoding="utf-8")
    return config


# -- the built site, parsed --------------------------------------------------


@dataclass
class Page:
    path: str  # relative file path: people/eddie-wu/index.html
    html: str
    soup: BeautifulSoup
    ids: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        """The page's URL path relative to the site root: people/eddie-wu/ (or '' for the home page)."""
        return self.path[: -len("index.html")] if self.path.endswith("index.html") else self.path


class Site:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.pages: dict[str, Page] = {}
        for file in sorted(self.root.rglob("*.html")):
            relative = file.relative_to(self.root).as_posix()
            html = file.read_text(encoding="utf-8")
            soup = BeautifulSoup(html, "lxml")
            ids = {tag["id"] for tag in soup.find_all(id=True)}
            ids |= {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
            self.pages[relative] = Page(relative, html, soup, ids)

    def page(self, url: str) -> Page:
        return self.pages[(url.strip("/") + "/index.html").lstrip("/")]

    def generated(self, folders=FOLDERS) -> list[Page]:
        """The pages the hook generates, one per record: <folder>/<id>/index.html."""
        return [p for path, p in self.pages.items() if path.count("/") == 2 and path.split("/")[0] in folders]

    def resolve(self, page: Page, href: str) -> tuple[str | None, str]:
        """(relative file path the link lands on or None if nothing is there, fragment) for an in-site href."""
        parts = urlsplit(href)
        base = posixpath.dirname(page.path)
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else page.path
        if target == ".":
            target = ""
        if target.startswith(".."):
            return None, parts.fragment
        file = self.root / target
        if file.is_dir():
            target = posixpath.join(target, "index.html") if target else "index.html"
            file = self.root / target
        return (target if file.is_file() else None), unquote(parts.fragment)


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def has_class(tag, name: str) -> bool:
    return name in (tag.get("class") or [])


# -- serving and browsing ----------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(root: Path):
    """Serve `root` on 127.0.0.1 on a free port; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_available() -> bool:
    return bool(CHROMIUM) and Path(CHROMIUM).exists()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class PageWatch:
    """Records what a Playwright page does that it should not: console errors,
    page errors, dialogs, requests to any host but the local server."""

    def __init__(self, page, base_url: str):
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        page.on("dialog", self._dialog)
        page.on("request", self._request)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _failed(self, request):
        # A request cut short by the next navigation (the search worker, say) is not an error.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} {request.failure}")

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} HTTP {response.status}")

    def _request(self, request):
        url = request.url
        if not (url.startswith((self.base_url, "data:", "blob:", "about:"))):
            self.foreign_requests.append(url)

    def reset(self) -> None:
        for found in (self.console_errors, self.dialogs, self.foreign_requests, self.failed):
            found.clear()

    def problems(self) -> list[str]:
        return (
            [f"console: {m}" for m in self.console_errors]
            + [f"dialog: {m}" for m in self.dialogs]
            + [f"request: {m}" for m in self.foreign_requests]
            + [f"failed: {m}" for m in self.failed]
        )


def material_search(page, query: str, attempts: int = 5) -> None:
    """Type `query` into Material's search box and wait for results.

    The search index loads in a web worker after the page: a query typed
    before it is ready shows no results, so type again until results appear.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    search = page.locator("input.md-search__input")
    for attempt in range(attempts):
        if search.is_visible():
            search.click()
        else:  # phone width: the search opens from the header's button
            page.locator("label.md-header__button[for='__search']").click()
        search.fill("")
        search.press_sequentially(query, delay=20)
        try:
            page.wait_for_selector(".md-search-result__item", state="visible", timeout=3000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
