"""Everything the project writes for a knowledge base, made without MkDocs (a test helper, not a test).

`rendered(report)` gives the Markdown of every record's page (as the hook
writes it, with its JSON-LD), of every overview the macros put on the
hand-written pages, and the bytes of every download: name -> bytes. Used by
the fuzz tests (whatever validates must render) and by the test that renders
in two processes with different hash seeds (the same bytes).
"""

from __future__ import annotations

from macros.exports.files import export_files
from macros.kb.kinds import FOLDERS, RECORD_KINDS
from macros.kb.report import Report
from macros.rendering.overview import OverviewRenderer
from macros.session.pages import record_page

BASE_URL = "https://example.org/kb/"


def record_pages(report: Report, directory_urls: bool = True, base_url: str = BASE_URL) -> dict[str, str]:
    """page URL -> the Markdown of that record's generated page."""
    pages = {}
    for kind, table in report.kb.tables():
        for record_id in table:
            url = f"{FOLDERS[kind]}/{record_id}/" if directory_urls else f"{FOLDERS[kind]}/{record_id}.html"
            pages[url] = record_page(report, kind, record_id, url, directory_urls, base_url)
    return pages


def overview_pages(report: Report, directory_urls: bool = True) -> dict[str, str]:
    """name -> the Markdown of each overview the hand-written pages show (the macros of macros/main.py)."""

    def renderer(url: str) -> OverviewRenderer:
        return OverviewRenderer(report.kb, url, directory_urls)

    pages = {f"index-{kind}": renderer(f"{FOLDERS[kind]}/").index(kind) for kind in RECORD_KINDS}
    pages["timeline"] = renderer("timeline/").timeline()
    pages["org-chart"] = renderer("org-chart/").orgchart()
    pages["discrepancies"] = renderer("discrepancies/").discrepancies_page()
    home = renderer("")
    pages["home"] = "\n\n".join((home.counts(), home.latest_events(5), home.open_discrepancies()))
    return pages


def rendered(report: Report, base_url: str = BASE_URL) -> dict[str, bytes]:
    """Every page (with either URL style) and every download, by name."""
    out: dict[str, bytes] = {}
    for directory_urls in (True, False):
        style = "directory-urls" if directory_urls else "file-urls"
        for name, markdown in {
            **record_pages(report, directory_urls, base_url),
            **overview_pages(report, directory_urls),
        }.items():
            out[f"{style}/{name}"] = markdown.encode("utf-8")
    for path, content in export_files(report.kb, base_url).items():
        out[f"downloads/{path}"] = content
    return out
