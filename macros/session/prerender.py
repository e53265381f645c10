"""The project's own share of a build, done on a second core while MkDocs builds the pages.

MkDocs turns pages into HTML one at a time, on one core. What the project adds
does not depend on MkDocs: the Markdown of each record's page and the
downloads are pure functions of the validated knowledge base. A `Prerender`
forks a child process that renders every generated page, in the order MkDocs
will ask for them, and streams the Markdown back through a pipe, and another
that writes the downloads into a temporary folder. MkDocs, meanwhile,
converts and templates the pages it already has. The bytes are the same as when rendered
in the build process (the same functions, the same inputs).

Only where forking is safe: on Linux, from a process with a single thread
(`mkdocs build`, and the first build of `mkdocs serve`, before its server
threads start; not the rebuilds after an edit). Anywhere else, and if a child
fails, the caller renders in its own process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from macros.exports.files import each_export_file
from macros.kb.history import History
from macros.kb.lifecycle import steps_of
from macros.kb.model import KnowledgeBase
from macros.kb.prose import claim_text
from macros.kb.quotes import quote_anchor
from macros.kb.report import Report
from macros.session.pages import record_page

# A page goes through the pipe as its UTF-8 bytes: its source path, a NUL (never in a path), its
# Markdown. Cheaper on both ends than pickling, for text that is mostly not ASCII.
_SEPARATOR = b"\0"


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Prerender:
    """Two child processes: one renders `jobs` (src_uri, kind, record id, page URL) and streams them
    back, a page or so ahead of MkDocs (the pipe holds it back); the other writes the downloads."""

    def __init__(
        self,
        report: Report,
        jobs: list[tuple[str, str, str, str]],
        directory_urls: bool,
        base_url: str,
        history: History | None = None,
    ):
        _make_shared(report.kb)  # before anything needs closing
        self.export_dir = Path(tempfile.mkdtemp(prefix="kb-exports-"))
        context = multiprocessing.get_context("fork")
        self._pipe, sending = context.Pipe(duplex=False)
        # Each child is given the parent's reading end to close first thing: a renderer that kept it
        # open would block for ever on a full pipe once the parent is gone, instead of failing to write.
        self.renderer = context.Process(
            target=_render,
            daemon=True,
            name="kb-pages",
            args=(report, jobs, directory_urls, base_url, history, sending, self._pipe),
        )
        self.exporter = context.Process(
            target=_export,
            daemon=True,
            name="kb-downloads",
            args=(report, base_url, history, self.export_dir, self._pipe),
        )
        self.pages: dict[str, str] = {}
        self.sizes: dict[str, int] | None = None
        self.done = False  # no more pages will come
        try:
            self.renderer.start()
            sending.close()
            self.exporter.start()
        except BaseException:
            self.close()
            raise

    def page(self, src_uri: str) -> str | None:
        """The page's Markdown, or None if the child did not render it (then render it yourself)."""
        while src_uri not in self.pages and not self.done:
            try:
                message = self._pipe.recv_bytes()
            except (EOFError, OSError):  # all sent, or the child failed
                self.done = True
            else:
                end = message.index(_SEPARATOR)
                self.pages[message[:end].decode()] = str(memoryview(message)[end + 1 :], "utf-8")
        return self.pages.pop(src_uri, None)

    def export_sizes(self, wait: bool) -> dict[str, int] | None:
        """Path -> size of every download once they are written (waiting for them if `wait`); None if
        they are not ready, or the child failed."""
        if self.sizes is None and (wait or not self.exporter.is_alive()):
            self.exporter.join()
            if self.exporter.exitcode == 0:
                self.sizes = {
                    file.relative_to(self.export_dir).as_posix(): file.stat().st_size
                    for file in self.export_dir.rglob("*")
                    if file.is_file()
                }
        return self.sizes

    def move_exports(self, site_dir: Path) -> bool:
        """Move the downloads into the site; False if the child did not write them."""
        if self.export_sizes(wait=True) is None:
            return False
        for path in self.sizes:
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(self.export_dir / path), str(target))
        return True

    def close(self) -> None:
        for process in (self.renderer, self.exporter):
            if process.pid is None:  # never started
                continue
            if process.is_alive():
                process.terminate()
            process.join()
        self._pipe.close()
        shutil.rmtree(self.export_dir, ignore_errors=True)


def _make_shared(kb: KnowledgeBase) -> None:
    """Make here, once, what both children (and this process's own pages) would each make for
    themselves: every claim's sentence, every quote's archived passage and anchor, every unit's steps.
    The children inherit them from the fork."""
    for claim in kb.claims:
        claim_text(kb, claim)
        for citation in claim.cite:
            kb.archived(citation.source, citation.quote)
            quote_anchor(citation.source, citation.quote)
    for unit_id in kb.units:
        steps_of(kb, unit_id)


def _render(report, jobs, directory_urls, base_url, history, pipe, parents_end) -> None:
    code = 0
    try:
        parents_end.close()
        gc.disable()  # a short-lived process that ends with os._exit: no cycle collection to pay for
        for src_uri, kind, record_id, page_url in jobs:
            markdown = record_page(report, kind, record_id, page_url, directory_urls, base_url, history)
            pipe.send_bytes(src_uri.encode() + _SEPARATOR + markdown.encode())
    except BaseException:  # the parent renders what it did not get
        traceback.print_exc()
        code = 1
    finally:
        pipe.close()
        os._exit(code)  # no atexit handlers or buffers of the parent's, run twice


def _export(report, base_url, history, export_dir: Path, parents_end) -> None:
    code = 0
    try:
        parents_end.close()
        gc.disable()  # as the renderer's (about a tenth of the downloads' time went to it)
        for path, content in each_export_file(report.kb, base_url, history=history):
            target = export_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    except BaseException:  # the parent makes the downloads itself
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)
