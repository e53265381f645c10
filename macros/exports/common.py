"""What every export shares: the site's URLs, dates and deterministic JSON.

Nothing here reads a clock, a file or the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote as _percent

import orjson

from macros.kb.characters import UNSAFE, json_clean
from macros.kb.dates import PartialDate
from macros.kb.kinds import FOLDERS
from macros.kb.model import Claim, KnowledgeBase
from macros.kb.quotes import quote_anchor


def check_base_url(base_url: str) -> str:
    """The absolute http(s) URL of the site root, ending in '/'; ValueError otherwise."""
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
    if not base_url.endswith("/"):
        raise ValueError(f"base_url must end with '/': {base_url!r}")
    return base_url


@dataclass(frozen=True)
class Urls:
    """The site's URLs: one page per record, one anchor per claim and per quoted passage."""

    kb: KnowledgeBase
    base: str
    # page(record_id) -> its page's URL (KeyError for no record): every claim, citation and reference
    # asks, hundreds of thousands of times, so it is the lookup of a table made once, not a method.
    page: Callable[[str], str] = field(init=False, compare=False, repr=False)
    # record_at(url) -> the id of the record whose page `url` is, or None.
    record_at: Callable[[str], str | None] = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        pages = {
            record_id: f"{self.base}{FOLDERS[record.record_kind]}/{_percent(record_id)}/"
            for record_id, record in self.kb.records.items()
        }
        object.__setattr__(self, "page", pages.__getitem__)
        object.__setattr__(self, "record_at", {url: record_id for record_id, url in pages.items()}.get)

    def claim(self, claim: Claim) -> str:
        return f"{self.page(claim.subject)}#{_fragment(claim.id)}"

    def quote(self, source_id: str, quote: str) -> str:
        return f"{self.page(source_id)}#{quote_anchor(source_id, quote)}"

    def export(self, path: str) -> str:
        return f"{self.base}{path}"


@lru_cache(maxsize=1 << 17)  # every claim's anchor, asked for by each export and page that refers to it
def _fragment(claim_id: str) -> str:
    return _percent(claim_id)


def kind_of(kb: KnowledgeBase, record_id: str) -> str:
    return kb.records[record_id].record_kind


def date_json(date: PartialDate | None) -> dict | None:
    """{'value': '2026-06', 'precision': 'month'}, or None when unknown."""
    return None if date is None else {"value": date.iso(), "precision": date.precision}


def iso(date: PartialDate | None) -> str | None:
    return None if date is None else date.iso()


def dump_json(data) -> bytes:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8, final newline; exactly the bytes of
    json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n" for JSON's own types but
    floats (which the exports do not hold: a float is written as orjson writes it, 5.96e-8 for 5.96e-08).

    orjson writes them about ten times as fast (with an indent, the standard library encodes in
    Python, which took most of the time of the exports of a large knowledge base); what it does not
    take (an integer beyond 64 bits, a key that is not text) goes to the standard library."""
    try:
        raw = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        raw = (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    # Each control, bidirectional or invisible character (only quotes of an archived text may hold one)
    # as a \\u escape: the file shows clean in a terminal or an editor, and holds the same data.
    if not UNSAFE.in_utf8(raw):
        return raw
    return json_clean(raw.decode("utf-8")).encode("utf-8")


def unique(items) -> list:
    """The items without repeats, in order of first appearance."""
    return list(dict.fromkeys(items))
