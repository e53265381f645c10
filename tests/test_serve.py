"""`mkdocs serve` with data that breaks and is fixed again, for real.

The preview of a throwaway project (the site fixture's data, the repository's
config, pages and hooks) is started in a subprocess on a free loopback port.
A quote of one record is broken (with markup in it), then restored:

- while the data has problems, every address answers at once (a request with
  a timeout: MkDocs' server holds requests while its last build failed) with
  the page of problems: each as path:line:col, its code, its message
  escaped, and its hint, with the live reload script;
- once the data is valid again, the pages and the downloads come back;
- in Chromium, a page left open goes to the problems by itself, and back to
  the site, through the live reload alone.

`mkdocs build` on data with problems still fails, with every problem listed
and nothing written: tests/test_no_half_publish.py.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest_site import FIXTURE_DATA, build_env, chromium_available, launch_chromium, make_project

pytestmark = pytest.mark.slow

RECORD = "data/people/ada-park.yml"
GOOD = "quote: also known as Park Ji-ah\n"
BAD = "quote: also known as Park <b>Ji-ha</b>\n"
ANSWER_WITHIN = 10  # seconds: a request that takes longer hangs
REBUILT_WITHIN = 120  # seconds: the preview notices the change and builds again


class Preview:
    def __init__(self, project: Path, log: Path):
        self.project = project
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
            cwd=project,
            env=build_env(),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def fetch(self, path: str) -> tuple[int, str]:
        """(status, body) of a request that must be answered within ANSWER_WITHIN seconds."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=ANSWER_WITHIN) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", errors="replace")

    def wait_for(self, path: str, predicate, what: str) -> str:
        deadline = time.monotonic() + REBUILT_WITHIN
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"mkdocs serve exited ({self.process.returncode}):\n{self.output()}")
            try:
                status, body = self.fetch(path)
                if predicate(status, body):
                    return body
            except (urllib.error.URLError, TimeoutError):
                pass  # not serving yet, or held while a rebuild is under way
            if time.monotonic() > deadline:
                pytest.fail(f"{path}: never {what}:\n{self.output()}")
            time.sleep(0.5)

    def edit(self, old: str, new: str) -> None:
        record = self.project / RECORD
        text = record.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{RECORD} no longer has {old!r}: update this test"
        record.write_text(text.replace(old, new), encoding="utf-8")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def _site_page(status: int, body: str) -> bool:
    return status == 200 and '<h1 id="ada-park">Ada Park' in body


def _problems_page(status: int, body: str) -> bool:
    return status == 200 and "The data has problems" in body


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    config = make_project(root / "project", FIXTURE_DATA)
    server = Preview(config.parent, root / "serve.log")
    try:
        server.wait_for("people/ada-park/", _site_page, "served the site")
        yield server
    finally:
        server.stop()


def test_broken_data_shows_every_problem_at_every_address_and_fixed_data_the_site(preview):
    preview.edit(GOOD, BAD)
    try:
        body = preview.wait_for("people/ada-park/", _problems_page, "showed the problems")
        for path in ("", "timeline/", "people/ben-ortiz/", "sources/northwind-autonomy-report/"):
            status, other = preview.fetch(path)  # fresh requests: answered at once, not held
            assert _problems_page(status, other), path
        line = (preview.project / RECORD).read_text(encoding="utf-8").splitlines().index("        " + BAD.strip()) + 1
        assert re.search(rf"{re.escape(RECORD)}:{line}:\d+</code>", body), body
        assert "error[quote-not-found]" in body
        assert "Park &lt;b&gt;Ji-ha&lt;/b&gt;" in body and "<b>Ji-ha" not in body  # the data's markup, escaped
        assert "hint: the first 19 characters match" in body
        assert "livereload(" in body  # the page reloads itself when a rebuild succeeds
        assert preview.fetch("data/knowledge-base.json")[0] == 404  # no downloads of data with problems
    finally:
        preview.edit(BAD, GOOD)
    preview.wait_for("people/ada-park/", _site_page, "came back to the site")
    assert _site_page(*preview.fetch("people/ada-park/"))
    assert preview.fetch("data/knowledge-base.json")[0] == 200
    assert "Traceback" not in preview.output()


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="no Chromium")
def test_an_open_page_follows_the_data_by_live_reload(preview):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(preview.url + "people/ada-park/", wait_until="load")
            assert page.locator("article h1").first.inner_text().startswith("Ada Park")
            preview.edit(GOOD, BAD)
            try:
                page.wait_for_selector("text=The data has problems", timeout=REBUILT_WITHIN * 1000)
                assert page.locator(".kb-problem-hint").first.inner_text().startswith("hint: ")
            finally:
                preview.edit(BAD, GOOD)
            page.wait_for_selector("article h1#ada-park", timeout=REBUILT_WITHIN * 1000)
        finally:
            browser.close()
