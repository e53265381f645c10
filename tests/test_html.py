"""Links relative to the page they are on, and escaping (the URL policy: tests/test_urls.py)."""

import pytest

from macros.rendering.markup import Linker, esc, evidence, md_text, tag


@pytest.mark.parametrize(
    ("page", "target", "anchor", "expected"),
    [
        ("people/eddie-wu/", "units/alibaba-group/", None, "../../units/alibaba-group/"),
        ("people/eddie-wu/", "sources/s/", "q-0123", "../../sources/s/#q-0123"),
        ("people/eddie-wu/", "", None, "../../"),
        ("people/eddie-wu/", "people/eddie-wu/", "role-x", "./#role-x"),
        ("", "people/eddie-wu/", None, "people/eddie-wu/"),
        ("people/", "people/eddie-wu/", None, "eddie-wu/"),
    ],
)
def test_directory_url_links_are_relative_to_the_page(page, target, anchor, expected):
    assert Linker(page).page(target, anchor) == expected


def test_links_without_directory_urls_point_at_html_files():
    linker = Linker("people/eddie-wu.html", directory_urls=False)
    assert linker.page("units/x/") == "../units/x.html"
    assert linker.page("") == "../index.html"
    assert linker.record("source", "s", "q-1") == "../sources/s.html#q-1"


def test_no_link_is_root_absolute():
    for page in ("", "people/", "people/eddie-wu/"):
        assert not Linker(page).page("units/x/").startswith("/")
        assert not Linker(page).file("data/claims.csv").startswith("/")


def test_escaping_makes_markup_inert():
    assert esc('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert tag("a", "x", title='"><script>') == '<a title="&quot;&gt;&lt;script&gt;">x</a>'


def test_markdown_text_cannot_open_markup_or_links():
    text = md_text("[x](javascript:alert(1)) *b* <script> {{ 7*7 }}")
    assert "<script>" not in text
    assert "](" not in text.replace("\\](", "")
    assert "\\*b\\*" in text


def test_evidence_shows_invisible_characters_visibly_and_escapes_markup():
    shown = evidence("a\u200bb <i>\u202e\x1b[2J")
    assert shown == (
        'a<span class="kb-escape" title="ZERO WIDTH SPACE">U+200B</span>b &lt;i&gt;'
        '<span class="kb-escape" title="RIGHT-TO-LEFT OVERRIDE">U+202E</span>'
        '<span class="kb-escape" title="ESCAPE">U+001B</span>[2J'
    )
    assert evidence("plain text") == "plain text"
