"""One URL policy (macros/kb/urls.py): what the validator accepts is what a page links to and what the
exports publish, and nothing else is."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import copy_good

from macros.exports.files import JSON_PATH, JSONLD_PATH, POPOLO_PATH, export_files
from macros.kb.coverage import coverage_of
from macros.kb.load import load, make_kb
from macros.kb.schemas import load_schemas
from macros.kb.urls import MAX_URL_LENGTH, safe_url, url_problem
from macros.kb.validate import validate
from macros.rendering.source import SourceRenderer

ACCEPTED = [
    "https://example.org/a?b=c&d=e#f",
    "HTTP://EXAMPLE.ORG/",
    "http://example.org",
    "https://www.alibabagroup.com/en-US/document-1234",
    "https://news.example.cn/2026/06/08/文章.html",
    "https://xn--fiqs8s.example/",
    "https://example.org:8443/x",
    "https://127.0.0.1/x",
    "https://[2001:db8::1]/x",
    "https://example.org/" + "a" * (MAX_URL_LENGTH - 20),
]
REFUSED = {
    "javascript:alert(1)": "is not an http(s) URL",
    "data:text/html,x": "is not an http(s) URL",
    "ftp://x.org/": "is not an http(s) URL",
    "//evil.example/": "is not an http(s) URL",
    "http:evil.example": "is not an http(s) URL",
    " https://example.org/": "is not an http(s) URL",
    "https://x.org/a b": "holds whitespace at character 16",
    "https://x.org/\u202egnp.exe": "holds U+202E RIGHT-TO-LEFT OVERRIDE at character 15",
    "https://x.org/\x1b[2J": "holds U+001B ESCAPE at character 15",
    'https://x.org/"><script>': 'holds a double quote (") at character 15',
    "https://x.org/'x": "holds a single quote (') at character 15",
    "https://x.org/<x>": "holds an angle bracket (<) at character 15",
    "https://x.org\\@evil.example/": "holds a backslash (\\) at character 14",
    "https://www.alibaba.com@evil.example/": "has a user name or password before its host (@)",
    "https:///path": "has no host",
    "https://:443/": "has no host",
    "https://x.org:0/": "has a port that is not a number from 1 to 65535",
    "https://x.org:99999/": "has a port that is not a number from 1 to 65535",
    "https://x.org:http/": "has a port that is not a number from 1 to 65535",
    "https://ex_ample.org/": "has a host (ex_ample.org) that is not a domain name or an IP address",
    "https://bücher.example/": "has a host (bücher.example) that is not a domain name or an IP address",
    "https://[not-ipv6]/": "has a host that is not a domain name or an IP address",
    "https://x.org]/": "has a host that is not a domain name or an IP address",
    "https://example.org/" + "a" * MAX_URL_LENGTH: f"is {MAX_URL_LENGTH + 20:,} characters long; at most "
    f"{MAX_URL_LENGTH:,} are allowed",
}


@pytest.mark.parametrize("url", ACCEPTED)
def test_accepted(url):
    assert url_problem(url) is None
    assert safe_url(url) == url


@pytest.mark.parametrize(("url", "reason"), REFUSED.items())
def test_refused_with_a_reason(url, reason):
    assert url_problem(url) == reason
    assert safe_url(url) is None


def test_not_a_text_is_no_url():
    assert safe_url(None) is None and safe_url(42) is None and safe_url("") is None


def test_the_schema_leaves_urls_to_the_policy():
    """A pattern in the schema would be a second policy, stricter or laxer than this one."""
    url = load_schemas()["source.schema.json"]["properties"]["url"]
    assert "pattern" not in url and "format" not in url


SOURCE_ID = "alibaba-token-foundry-division"


def _kb_with_url(folder, url):
    """The tiny knowledge base with the source's url set in the model, past the validator (as if it had
    let the URL through): what rendering and exports do with it on their own."""
    kb = load(copy_good(folder)).kb
    source = dataclasses.replace(kb.sources[SOURCE_ID], url=url)
    return make_kb(
        {"source": {SOURCE_ID: source}, **{kind: dict(kb.table(kind)) for kind in ("person", "unit", "event")}}
    )


@pytest.mark.parametrize("url", [*ACCEPTED[:5], *list(REFUSED)[:14]])
def test_what_validates_is_what_is_shown_and_exported(tmp_path, url):
    data = copy_good(tmp_path)
    path = data / "sources" / f"{SOURCE_ID}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("url: null", f"url: {json.dumps(url)}"), encoding="utf-8")
    validated = "bad-url" not in {p.code for p in validate(data, tmp_path).problems}

    kb = _kb_with_url(tmp_path / "model", url)
    source = kb.sources[SOURCE_ID]
    page = SourceRenderer(kb, f"sources/{SOURCE_ID}/").source(source, coverage_of(kb, source))
    linked = f'href="{url}"'.replace("&", "&amp;") in page

    files = export_files(kb, "https://kb.example/")
    dump = json.loads(files[JSON_PATH])
    exported_json = next(s for s in dump["sources"] if s["id"] == SOURCE_ID)["original_url"] == url
    graph = json.loads(files[JSONLD_PATH])["@graph"]
    exported_jsonld = any(node.get("url") == {"@id": url} for node in graph)
    popolo = files[POPOLO_PATH].decode("utf-8")
    exported_popolo = json.dumps(url, ensure_ascii=False)[1:-1] in popolo

    assert validated == (url_problem(url) is None)
    assert (linked, exported_json, exported_jsonld, exported_popolo) == (validated,) * 4
