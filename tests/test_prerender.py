"""The second process of a build (macros/session/prerender.py) gives the very bytes the build process would."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from macros.exports.files import export_files
from macros.kb.kinds import FOLDERS
from macros.kb.validate import validate
from macros.session.pages import record_page
from macros.session.prerender import Prerender, can_fork

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kbsite"
BASE = "https://example.org/kb/"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the second process is forked on Linux only")
@pytest.mark.parametrize("directory_urls", [True, False])
def test_pages_and_downloads_are_the_same_as_made_in_process(tmp_path: Path, directory_urls: bool):
    report = validate(FIXTURE / "data", FIXTURE)
    kb = report.kb
    jobs = []
    for kind, table in (
        ("person", kb.people),
        ("unit", kb.units),
        ("event", kb.events),
        ("source", kb.sources),
        ("discrepancy", kb.discrepancies),
    ):
        for record_id in table:
            url = f"{FOLDERS[kind]}/{record_id}/" if directory_urls else f"{FOLDERS[kind]}/{record_id}.html"
            jobs.append((f"{FOLDERS[kind]}/{record_id}.md", kind, record_id, url))
    worker = Prerender(report, list(reversed(jobs)), directory_urls, BASE)  # any order: pages are looked up
    try:
        for src_uri, kind, record_id, url in jobs:
            assert worker.page(src_uri) == record_page(report, kind, record_id, url, directory_urls, BASE)
        assert worker.page("not/a/page.md") is None
        expected = export_files(kb, BASE)
        assert worker.export_sizes(wait=True) == {path: len(content) for path, content in expected.items()}
        site = tmp_path / "site"
        assert worker.move_exports(site)
        for path, content in expected.items():
            assert (site / path).read_bytes() == content
    finally:
        worker.close()
    assert not worker.work_dir.exists()


def test_no_fork_from_a_process_with_threads():
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()


def _gone(pid: int) -> bool:
    """True once the process has exited (a zombie no one reaps counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _many_jobs(report) -> list[tuple[str, str, str, str]]:
    """Far more Markdown than a pipe holds (a child that streamed its pages would be blocked writing)."""
    return [
        (f"people/{person_id}-{n}.md", "person", person_id, f"people/{person_id}/")
        for n in range(400)
        for person_id in report.kb.people
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the second process is forked on Linux only")
def test_the_child_ends_without_waiting_for_the_build_to_read():
    """While the child lives, the two processes share their memory and each pays to copy what it writes
    to: it renders everything and ends, however slowly the build reads."""
    report = validate(FIXTURE / "data", FIXTURE)
    jobs = _many_jobs(report)
    worker = Prerender(report, jobs, True, BASE)
    try:
        worker.child.join(timeout=60)
        assert worker.child.exitcode == 0, "the child is still there, or failed"
        assert worker.export_sizes(wait=False) is not None
        expected = {
            person_id: record_page(report, "person", person_id, f"people/{person_id}/", True, BASE)
            for person_id in report.kb.people
        }
        for src_uri, _, person_id, _ in jobs:
            assert worker.page(src_uri) == expected[person_id]
        assert worker.page("not/a/page.md") is None
    finally:
        worker.close()
    assert not worker.work_dir.exists()


def _build_that_never_reads(report, jobs, pids) -> None:
    """Stands for a build process: starts the child, says who it is, then waits to be killed."""
    import time

    worker = Prerender(report, jobs, True, BASE)
    pids.send((worker.child.pid, worker.work_dir))
    time.sleep(120)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the second process is forked on Linux only")
def test_the_child_ends_when_the_build_is_killed():
    import multiprocessing
    import os
    import shutil
    import signal
    import time

    report = validate(FIXTURE / "data", FIXTURE)
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    build = context.Process(target=_build_that_never_reads, args=(report, _many_jobs(report), sending))
    build.start()
    child, work_dir = receiving.recv()
    os.kill(build.pid, signal.SIGKILL)
    build.join()
    deadline = time.monotonic() + 20
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = not _gone(child)
    if left:  # a failing run must not leave it behind, holding the test run's output open
        os.kill(child, signal.SIGKILL)
    removed = not work_dir.exists()
    shutil.rmtree(work_dir, ignore_errors=True)
    assert not left, "the child outlived the build that would read its pages"
    assert removed, "the killed build's temporary folder was left behind"


def test_sizes_not_known_when_the_table_is_made_are_filled_in_on_its_page_only():
    """The downloads page may be rendered while the downloads are still being written: its table holds
    placeholders, which the HTML of that page, and of no other, gets the real sizes for."""
    from macros.session.downloads import SIZE_MARK, size_text
    from macros.session.session import BuildSession, Settings

    session = BuildSession(Settings(FIXTURE / "data", FIXTURE, BASE, True))
    sizes = {path: len(content) for path, content in export_files(session.report.kb, BASE).items()}
    session.download_sizes = lambda wait=True: sizes if wait else None  # still being written, when asked
    table = session.downloads_table("downloads/")
    assert table.count(SIZE_MARK) == len(sizes)
    filled = session.fill_download_sizes(f"<table>{table}</table>", "downloads/")
    assert SIZE_MARK not in filled and all(size_text(size) in filled for size in sizes.values())
    assert session.fill_download_sizes(table, "about/") == table  # another page: not looked at
