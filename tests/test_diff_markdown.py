"""The pull request's summary: `kb diff --format markdown`, rendered by GitHub's own Markdown parser
(cmark-gfm, through cmarkgfm) to prove that hostile text from the data shows as itself: no link,
image, HTML, heading, emphasis or table, no mention and no issue reference. And its order (what
loses evidence first) and its size limit, with its note.
"""

from __future__ import annotations

import re

import cmarkgfm
import pytest
from bs4 import BeautifulSoup

from macros.kb.diff import CitationView, ClaimView, KbDiff, RecordView, diff_views
from macros.kb.revision import Comparison, Side
from macros.rendering.diffreport import as_markdown, as_text, md

HOSTILE = [
    "@octocat please look",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "![tracker](https://tracker.example/pixel.png)",
    "https://evil.example/login",
    "www.evil.example",
    "mail me: someone@example.com",
    "fixes #123 and org/repo#7",
    "`code` and ```fences```",
    "| a | b |\n|---|---|\n| c | d |",
    "line one\n# A heading\n- a list",
    "<!-- kb-diff-comment -->",
    "**bold** _em_ ~~gone~~",
    "&amp; &lt;b&gt; &#64;octocat",
    "right-to-left \u202eevil\u202c override",
    "<details><summary>hidden</summary>x</details>",
    "a\\",
]


def _revision(label: str) -> Side:
    return Side(label, None, [], [], {})


def _comparison(diff: KbDiff) -> Comparison:
    return Comparison(_revision("0123456789ab"), _revision("work tree"), diff)


def _claim(claim_id: str, text: str, quote: str, source: str = "a-source") -> ClaimView:
    return ClaimView(claim_id, "statement", "attributed", text, attribution=text, cite=(CitationView(source, quote),))


def _hostile_diff() -> KbDiff:
    before = {
        "p": RecordView(
            "person",
            "p",
            "data/people/p.yml",
            "P",
            claims=tuple(_claim(f"s-{i}", t, "old " + t) for i, t in enumerate(HOSTILE)),
        ),
        "gone": RecordView(
            "unit", "gone", "data/units/gone.yml", HOSTILE[0], claims=(_claim("s-x", HOSTILE[1], HOSTILE[2]),)
        ),
    }
    after = {
        "p": RecordView(
            "person",
            "p",
            "data/people/p.yml",
            "P",
            claims=tuple(_claim(f"s-{i}", t + "!", t) for i, t in enumerate(HOSTILE)),
        ),
        "new": RecordView(
            "event",
            "new",
            "data/events/new.yml",
            HOSTILE[3],
            (("title", HOSTILE[4]),),
            (_claim("s-y", HOSTILE[5], HOSTILE[6]),),
        ),
    }
    return diff_views(before, after)


def _html(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(cmarkgfm.github_flavored_markdown_to_html(markdown), "html.parser")


def test_hostile_text_shows_as_itself_on_github():
    markdown = as_markdown(_comparison(_hostile_diff()))
    soup = _html(markdown)
    # Our own structure only: headings, bold labels, lists, inline code for commit ids.
    assert {t.name for t in soup.find_all(True)} <= {"h3", "h4", "p", "strong", "ul", "li", "code", "blockquote"}
    assert [c.get_text() for c in soup.find_all("code")] == ["0123456789ab"]
    assert not soup.find_all("a") and not soup.find_all("img") and not soup.find_all("table")
    assert [h.get_text() for h in soup.find_all("h4")] == ["Removed", "Changed quotes", "Added", "Changed"]
    text = soup.get_text()
    visible = text.replace("\u200b", "")
    for hostile in HOSTILE:
        shown = " ".join(hostile.split("\n"))  # line breaks become spaces
        shown = shown.replace("\u202e", "[U+202E]").replace("\u202c", "[U+202C]")
        assert shown in visible, hostile
    # No mention, issue reference, bare URL or e-mail address left for GitHub to link.
    assert not re.search(r"@[A-Za-z0-9]", text)
    assert not re.search(r"#[0-9]", text)
    assert "://" not in text and "www." not in text
    assert "<!--" not in markdown


def test_md_escapes_each_special_character():
    assert md("a*b_c") == r"a\*b\_c"
    assert md("@user") == "\\@&#8203;user"
    assert md("a\nb\rc\x1bd") == "a b c d"
    for character in "\\`*_{}[]()#+-.!|<>&~\"'":
        html = cmarkgfm.github_flavored_markdown_to_html(md(f"x{character}{character}y"))
        assert (
            BeautifulSoup(html, "html.parser").get_text().strip().replace("\u200b", "") == f"x{character}{character}y"
        )


def test_what_can_lose_evidence_comes_first():
    markdown = as_markdown(_comparison(_hostile_diff()))
    sections = re.findall(r"^#### (.+)$", markdown, flags=re.M)
    assert sections == ["Removed", "Changed quotes", "Added", "Changed"]
    assert "removed, with its claims" in markdown.split("#### Changed quotes")[0]


def _big_diff(count: int) -> KbDiff:
    before = {
        f"p{i}": RecordView(
            "person", f"p{i}", f"data/people/p{i}.yml", f"P{i}", claims=(_claim("s", "x" * 300, "q" * 300),)
        )
        for i in range(count)
    }
    return diff_views(before, {})


@pytest.mark.parametrize("limit", [4_000, 60_000, 500_000])
def test_the_summary_is_cut_within_its_limit_with_a_note(limit):
    markdown = as_markdown(_comparison(_big_diff(1500)), max_bytes=limit)
    assert len(markdown.encode("utf-8")) <= limit
    note = re.search(
        r"This summary is cut here to stay within ([0-9,]+) bytes: ([0-9]+) more item\(s\) of 1500", markdown
    )
    assert note and note.group(1) == f"{limit:,}"
    shown = markdown.count("removed, with its claims")
    assert shown + int(note.group(2)) == 1500 and shown > 0


def test_a_summary_within_its_limit_is_whole():
    markdown = as_markdown(_comparison(_big_diff(3)), max_bytes=100_000)
    assert "cut here" not in markdown and markdown.count("removed, with its claims") == 3


def test_the_text_report_never_sends_control_characters():
    diff = diff_views(
        {},
        {
            "p": RecordView(
                "person", "p", "x", "\x1b[31mred\x1b[0m", claims=(_claim("s", "\x1b]0;title\x07", "q\u202e"),)
            )
        },
    )
    text = as_text(_comparison(diff))
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b[31mred" in text and "\\u202e" in text
