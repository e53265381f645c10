"""The Markdown of one record's generated page: its renderer, given the record's JSON-LD.

Rendering and the exports do not know each other; this is where a page gets
the JSON-LD the exports make for its record. No MkDocs here: the caller gives
the validated report, the page's URL, the URL style, the site's base URL and
the data's history (the page ends with its History section).
"""

from __future__ import annotations

from macros.exports.files import entity_jsonld
from macros.kb.history import History
from macros.kb.report import Report
from macros.rendering.history import HistoryRenderer
from macros.rendering.markup import Linker
from macros.rendering.pages import PageRenderer
from macros.rendering.source import SourceRenderer


def record_page(
    report: Report,
    kind: str,
    record_id: str,
    page_url: str,
    directory_urls: bool,
    base_url: str,
    history: History | None = None,
) -> str:
    """The page of the record `record_id` of kind `kind`; KeyError if there is none."""
    page = _record_page(report, kind, record_id, page_url, directory_urls, base_url)
    if history is None:
        return page
    return page + HistoryRenderer(report.kb, history, Linker(page_url, directory_urls)).record_section(record_id)


def _record_page(report: Report, kind: str, record_id: str, page_url: str, directory_urls: bool, base_url: str) -> str:
    kb = report.kb
    if kind == "source":
        return SourceRenderer(kb, page_url, directory_urls).source(
            kb.sources[record_id], report.coverage[record_id], entity_jsonld(kb, record_id, base_url)
        )
    renderer = PageRenderer(kb, page_url, directory_urls)
    if kind == "discrepancy":
        return renderer.discrepancy(kb.discrepancies[record_id])
    record = kb.table(kind)[record_id]
    return getattr(renderer, kind)(record, entity_jsonld(kb, record_id, base_url))
