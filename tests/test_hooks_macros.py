"""mkdocs-macros renders the hand-written pages and never sees a generated one.

The hooks take the generated pages (one per record, and the pages of problems)
out of mkdocs-macros' page_markdown event: their Markdown is written from a
record's id, so no text of theirs reaches Jinja, and macros' per-page copies of
the page and its variables are not paid for thousands of pages. The real
configuration is loaded and its real plugins run, in this process.
"""

from __future__ import annotations

import pytest
from conftest_site import FIXTURE_DATA, REPO
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from macros.session.session import end_session


@pytest.fixture
def config(monkeypatch):
    monkeypatch.setenv("KB_DATA", str(FIXTURE_DATA))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    loaded = load_config(config_file=str(REPO / "mkdocs.yml"))
    loaded.plugins.on_startup(command="build", dirty=False)
    loaded = loaded.plugins.on_config(loaded)
    yield loaded
    end_session()


def page_markdown(config, src_uri: str, markdown: str, **marks) -> str:
    file = File.generated(config, src_uri, content=markdown)
    for name, value in marks.items():
        setattr(file, name, value)
    page = Page(None, file, config)
    page.read_source(config)
    return config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=Files([file]))


def test_hand_written_pages_are_rendered_by_macros(config):
    assert "49" in page_markdown(config, "about-this.md", "Seven sevens: {{ 7*7 }}.")


@pytest.mark.parametrize("marks", [{"kb_record": ("person", "ada-park")}, {"kb_problems": True}], ids=str)
def test_generated_pages_never_reach_macros(config, marks):
    macros = config.plugins["macros"]
    page_markdown(config, "about-this.md", "{{ 7*7 }}")
    assert macros.variables["page"].file.src_uri == "about-this.md"
    # A source a template would change (the hooks give theirs an empty one), in a file the hooks mark
    # as theirs: the hooks write its Markdown, and macros does not look at it.
    markdown = page_markdown(config, "people/ada-park.md", "{{ 7*7 }}", **marks)
    assert "{{ 7*7 }}" not in markdown and "49" not in markdown
    assert macros.variables["page"].file.src_uri == "about-this.md", f"mkdocs-macros saw a page marked {marks}"
