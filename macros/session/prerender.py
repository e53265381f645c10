"""The project's own share of a build, done on a second core while MkDocs builds the pages.

MkDocs turns pages into HTML one at a time, on one core. What the project adds
does not depend on MkDocs: the Markdown of each record's page and the
downloads are pure functions of the validated knowledge base. A `Prerender`
forks one child process that renders every generated page, in the order MkDocs
will ask for them, into a file, then writes the downloads into a folder beside
it, and exits. MkDocs, meanwhile, converts and templates the pages it already
has, and reads each generated page from the file once the child has written it.
The bytes are the same as when rendered in the build process (the same
functions, the same inputs).

The child works as fast as it can rather than a page ahead of MkDocs: while it
lives, the two processes share their memory, and whichever writes to a shared
page of it first pays for its copy (a child kept alive for the whole build made
both copy most of theirs, a tenth of the project's cost on a large knowledge
base). One child, not one for the pages and one for the downloads, for the same
reason.

Only where forking is safe: on Linux, from a process with a single thread
(`mkdocs build`, and the first build of `mkdocs serve`, before its server
threads start; not the rebuilds after an edit). Anywhere else, and if the child
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

# A page is written to the pages file as a frame: its length (4 bytes, little-endian), then its source
# path, a NUL (never in a path) and its Markdown, in UTF-8. An empty frame ends the file.
_SEPARATOR = b"\0"
_LENGTH_BYTES = 4
_WAIT_S = 0.1  # how often a wait for the next page looks whether the child is still there
_EXPORTS_DONE = "exports-done"  # written beside the downloads' folder once all of them are


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Prerender:
    """A child process that renders `jobs` (src_uri, kind, record id, page URL) into a file, then writes
    the downloads into `export_dir`; `page` reads a page as soon as the child has written it."""

    def __init__(
        self,
        report: Report,
        jobs: list[tuple[str, str, str, str]],
        directory_urls: bool,
        base_url: str,
        history: History | None = None,
    ):
        _make_shared(report.kb)  # before anything needs closing
        self.work_dir = Path(tempfile.mkdtemp(prefix="kb-build-"))
        self.export_dir = self.work_dir / "downloads"
        pages_path = self.work_dir / "pages"
        pages_path.touch()
        self.pages: dict[str, str] = {}
        self.sizes: dict[str, int] | None = None
        self.done = False  # no more pages will come
        self._reader = None
        self.child = None
        try:
            self._reader = pages_path.open("rb")
            context = multiprocessing.get_context("fork")
            self._written = context.Semaphore(0)  # released once for each frame the child has written
            self.child = context.Process(
                target=_run,
                daemon=True,
                name="kb-prerender",
                args=(
                    report,
                    jobs,
                    directory_urls,
                    base_url,
                    history,
                    pages_path,
                    self._written,
                    self.export_dir,
                    os.getpid(),
                ),
            )
            self.child.start()
        except BaseException:
            self.close()
            raise

    def page(self, src_uri: str) -> str | None:
        """The page's Markdown, or None if the child did not render it (then render it yourself)."""
        while src_uri not in self.pages and not self.done:
            if not self._next_frame_written():
                self.done = True
                break
            length = int.from_bytes(self._reader.read(_LENGTH_BYTES), "little")
            if length == 0:  # the end (or an incomplete frame: the child died writing it)
                self.done = True
                break
            frame = self._reader.read(length)
            end = frame.index(_SEPARATOR)
            self.pages[frame[:end].decode()] = str(memoryview(frame)[end + 1 :], "utf-8")
        return self.pages.pop(src_uri, None)

    def _next_frame_written(self) -> bool:
        """Wait until the child has written one more frame; False if it is gone without writing one."""
        while not self._written.acquire(timeout=_WAIT_S):
            if not self.child.is_alive():
                return self._written.acquire(block=False)  # released just before it ended?
        return True

    def export_sizes(self, wait: bool) -> dict[str, int] | None:
        """Path -> size of every download once they are written (waiting for them if `wait`); None if
        they are not ready, or the child failed."""
        if self.sizes is None and (wait or not self.child.is_alive()):
            self.child.join()
            if (self.work_dir / _EXPORTS_DONE).exists():
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
        if self.child is not None and self.child.pid is not None:  # started
            if self.child.is_alive():
                self.child.terminate()
            self.child.join()
        if self._reader is not None:
            self._reader.close()
        shutil.rmtree(self.work_dir, ignore_errors=True)


def _make_shared(kb: KnowledgeBase) -> None:
    """Make here, once, what the child (and this process's own pages) would each make for
    themselves: every claim's sentence, every quote's archived passage and anchor, every unit's steps.
    The child inherits them from the fork."""
    for claim in kb.claims:
        claim_text(kb, claim)
        for citation in claim.cite:
            kb.archived(citation.source, citation.quote)
            quote_anchor(citation.source, citation.quote)
    for unit_id in kb.units:
        steps_of(kb, unit_id)


def _run(
    report, jobs, directory_urls, base_url, history, pages_path: Path, written, export_dir: Path, build: int
) -> None:
    """The child of the process `build`: every page, then every download; on any failure it stops, and
    the parent makes what it did not get (a page not written, or downloads not all written)."""
    gc.disable()  # a short-lived process that ends with os._exit: no cycle collection to pay for
    code = 0
    try:
        with pages_path.open("ab") as pages:
            for src_uri, kind, record_id, page_url in jobs:
                _stop_if_orphaned(build, pages_path.parent)
                markdown = record_page(report, kind, record_id, page_url, directory_urls, base_url, history)
                frame = src_uri.encode() + _SEPARATOR + markdown.encode()
                pages.write(len(frame).to_bytes(_LENGTH_BYTES, "little"))
                pages.write(frame)
                pages.flush()  # all of it in the file before the parent may read it
                written.release()
            pages.write(bytes(_LENGTH_BYTES))
            pages.flush()
            written.release()
        _stop_if_orphaned(build, pages_path.parent)
        for path, content in each_export_file(report.kb, base_url, history=history):
            target = export_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (export_dir.parent / _EXPORTS_DONE).touch()
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)  # no atexit handlers or buffers of the parent's, run twice


def _stop_if_orphaned(build: int, work_dir: Path) -> None:
    """A killed build will read nothing more: stop, and take its temporary folder away with us."""
    if os.getppid() != build:
        shutil.rmtree(work_dir, ignore_errors=True)
        os._exit(1)
