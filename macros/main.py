"""mkdocs-macros entry point: the macros that hand-written and generated pages call.

A thin adapter: each macro finds the record by id, picks the renderer for the
current page's URL and returns its output. Macro output is not rendered as a
template again, and every string from YAML in it is escaped by the renderers.
"""

from __future__ import annotations

from pathlib import Path

from macros.kb.canonical import template
from macros.kb.problems import CODES
from macros.rendering.markup import Linker
from macros.rendering.overview import OverviewRenderer
from macros.rendering.performance import load_results, results_table, targets_table
from macros.rendering.reference import reference
from macros.session import build as site
from macros.session.pages import record_page
from scripts.kb import help_text


def define_env(env):
    config = env.conf

    def report():
        return site.load_report(config)

    def page_url() -> str:
        return env.page.url if env.page is not None else ""

    def renderer(cls):
        return cls(report().kb, page_url(), config.use_directory_urls)

    # A record's page, for a hand-written page that shows one. (The generated
    # pages are written by the hook with the same function, without a template.)
    def page(kind: str, record_id: str) -> str:
        return record_page(report(), kind, record_id, page_url(), config.use_directory_urls, site.base_url(config))

    @env.macro
    def person_page(record_id: str) -> str:
        return page("person", record_id)

    @env.macro
    def unit_page(record_id: str) -> str:
        return page("unit", record_id)

    @env.macro
    def event_page(record_id: str) -> str:
        return page("event", record_id)

    @env.macro
    def discrepancy_page(record_id: str) -> str:
        return page("discrepancy", record_id)

    @env.macro
    def source_page(record_id: str) -> str:
        return page("source", record_id)

    @env.macro
    def index_table(kind: str) -> str:
        return renderer(OverviewRenderer).index(kind)

    @env.macro
    def timeline() -> str:
        return renderer(OverviewRenderer).timeline()

    @env.macro
    def discrepancies() -> str:
        return renderer(OverviewRenderer).discrepancies_page()

    @env.macro
    def open_discrepancies() -> str:
        return renderer(OverviewRenderer).open_discrepancies()

    @env.macro
    def latest_events(count: int = 5) -> str:
        return renderer(OverviewRenderer).latest_events(count)

    @env.macro
    def counts() -> str:
        return renderer(OverviewRenderer).counts()

    @env.macro
    def orgchart() -> str:
        return renderer(OverviewRenderer).orgchart()

    @env.macro
    def error_codes() -> str:
        """The table of validation error codes, from the validator's own list."""
        rows = "".join(f"| `{code}` | {meaning} |\n" for code, meaning in CODES.items())
        return "| code | meaning |\n|---|---|\n" + rows

    @env.macro
    def cli_help(command: str = "") -> str:
        """The command line's help text, generated from its parser."""
        return "```text\n" + help_text(command or None) + "```"

    @env.macro
    def record_template(kind: str) -> str:
        return "```yaml\n" + template(kind, "new-record-id", "New record name") + "```"

    @env.macro
    def schema_reference() -> str:
        return reference()

    @env.macro
    def downloads() -> str:
        """The export files with their sizes, linked relative to this page."""
        return site.downloads_table(config, Linker(page_url(), config.use_directory_urls))

    def performance_results_file():
        return Path(config.docs_dir) / "assets" / "performance.json"

    @env.macro
    def performance_results() -> str:
        """The benchmark's results table, from the results file the benchmark writes."""
        return results_table(load_results(performance_results_file()))

    @env.macro
    def performance_targets() -> str:
        """Each performance target with what was measured and whether it is met."""
        return targets_table(load_results(performance_results_file()))
