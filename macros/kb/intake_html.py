"""A saved web page: its article's text (trafilatura) and what its metadata declares.

Imported only for a page (macros.kb.intake reads a text file without it), and
offline: everything is read from the saved bytes, nothing is fetched.

The text is trafilatura's extraction of the main content, one paragraph,
heading or list item a line, without navigation, banners, related links,
comments or footers. The title is trafilatura's (the JSON-LD headline, the
OpenGraph title, the page's only h1, or its <title> without the site's name).
The author, address, publication date and publisher are read here, as the page
declares them (JSON-LD, OpenGraph and <meta> tags, the canonical link), and
written as declared, because two things measured in trafilatura's own
metadata would put words in the page's mouth: its date (htmldate) turns a
month such as "2026-06" into a day and an impossible "2026-02-30" into
"2026-02-01", and it drops the periods of an author's initials ("Maria K.
Lindqvist" became "Maria K Lindqvist"). macros.kb.intake then keeps only
what passes the record's rules (http(s) addresses, real dates).
"""

from __future__ import annotations

import json
from copy import deepcopy

import trafilatura
from lxml.html import HtmlElement

# For htmldate, which trafilatura's metadata runs (its date is not used): no search of the text, and
# a fixed latest date instead of today's, so the same page gives the same result on any day.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": "2999-12-31"}

# JSON-LD types of an article (schema.org's Article and the kinds of it news sites use).
_ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
}


def read_page(raw: bytes) -> tuple[bytes, dict[str, str | None]]:
    """The article of a saved page, as the bytes to archive, and what its metadata says: title, author,
    url, published and publisher, None where it says nothing. Raises ValueError with what is wrong."""
    tree = trafilatura.load_html(raw)
    if tree is None:
        raise ValueError("it does not parse as an HTML page")
    text = trafilatura.extract(
        tree, output_format="txt", include_comments=False, include_tables=True, include_links=False
    )
    if not text or not text.strip():
        raise ValueError("no article text was found in the page")
    metadata = trafilatura.extract_metadata(deepcopy(tree), date_config=dict(_DATE_PARAMS))
    articles = [item for item in _json_ld(tree) if _types(item) & _ARTICLE_TYPES]
    return (text.strip("\n") + "\n").encode("utf-8"), {
        "title": _first(_ld_text(articles, "headline"), metadata.title),
        "author": _first(
            _ld_names(articles, "author"),
            _meta(tree, "name", "author"),
            # A byline trafilatura found in the page, when it kept the name as written.
            metadata.author if metadata.author and metadata.author in tree.text_content() else None,
        ),
        "url": _first(_canonical(tree), _meta(tree, "property", "og:url"), _ld_url(articles)),
        "published": _first(
            _ld_text(articles, "datePublished"),
            _meta(tree, "property", "article:published_time"),
            _meta(tree, "itemprop", "datePublished"),
            _time_published(tree),
        ),
        "publisher": _first(_ld_names(articles, "publisher"), _meta(tree, "property", "og:site_name")),
    }


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v and v.strip()), None)


def _meta(tree: HtmlElement, attribute: str, name: str) -> str | None:
    for element in tree.iter("meta"):
        if (element.get(attribute) or "").strip().lower() == name.lower() and element.get("content"):
            return element.get("content")
    return None


def _canonical(tree: HtmlElement) -> str | None:
    for element in tree.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
            return element.get("href")
    return None


def _time_published(tree: HtmlElement) -> str | None:
    for element in tree.iter("time"):
        if element.get("itemprop") == "datePublished" and element.get("datetime"):
            return element.get("datetime")
    return None


def _json_ld(tree: HtmlElement) -> list[dict]:
    """Every object of the page's JSON-LD blocks, nested ones and those of an @graph included; a block
    that is not valid JSON is skipped."""
    found: list[dict] = []

    def walk(value) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            found.append(value)
            walk(value.get("@graph"))

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            try:
                walk(json.loads(script.text or ""))
            except ValueError:
                continue
    return found


def _types(item: dict) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _ld_text(articles: list[dict], key: str) -> str | None:
    return next((a[key] for a in articles if isinstance(a.get(key), str)), None)


def _ld_names(articles: list[dict], key: str) -> str | None:
    """The names of an article's authors (or publisher), as written, joined by commas."""
    for article in articles:
        value = article.get(key)
        values = value if isinstance(value, list) else [value]
        names = [v if isinstance(v, str) else v.get("name") for v in values if isinstance(v, (str, dict))]
        names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
        if names:
            return ", ".join(dict.fromkeys(names))
    return None


def _ld_url(articles: list[dict]) -> str | None:
    for article in articles:
        for key in ("url", "mainEntityOfPage"):
            value = article.get(key)
            if isinstance(value, dict):
                value = value.get("@id") or value.get("url")
            if isinstance(value, str):
                return value
    return None
