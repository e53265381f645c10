"""What every export shares: the site's URLs, dates and deterministic JSON.

Nothing here reads a clock, a file or the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote as _percent

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

    def page(self, record_id: str) -> str:
        record = self.kb.records[record_id]
        return f"{self.base}{FOLDERS[record.record_kind]}/{_percent(record_id)}/"

    def claim(self, claim: Claim) -> str:
        return f"{self.page(claim.subject)}#{_percent(claim.id)}"

    def quote(self, source_id: str, quote: str) -> str:
        return f"{self.page(source_id)}#{quote_anchor(source_id, quote)}"

    def export(self, path: str) -> str:
        return f"{self.base}{path}"


def kind_of(kb: KnowledgeBase, record_id: str) -> str:
    return kb.records[record_id].record_kind


def date_json(date: PartialDate | None) -> dict | None:
    """{'value': '2026-06', 'precision': 'month'}, or None when unknown."""
    return None if date is None else {"value": date.iso(), "precision": date.precision}


def iso(date: PartialDate | None) -> str | None:
    return None if date is None else date.iso()


def dump_json(data) -> bytes:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8, final newline."""
    return (_indented(data) + "\n").encode("utf-8")


class _Unusual(Exception):
    pass


def _indented(data) -> str:
    """Exactly json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), about twice as fast: with an
    indent, json encodes in Python through a chain of generators, which took most of the time of the exports
    of a large knowledge base. Anything but text keys and JSON's own types goes to json.dumps."""
    out: list[str] = []
    append = out.append

    def encode(value, indent: str) -> None:
        if isinstance(value, str):
            append(_encode_text(value))
        elif value is None:
            append("null")
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif isinstance(value, int):
            append(int.__repr__(value))
        elif isinstance(value, float):
            append(_float_json(value))
        elif isinstance(value, dict):
            if not value:
                append("{}")
                return
            if not all(isinstance(key, str) for key in value):
                raise _Unusual
            inner = indent + "  "
            separator = ",\n" + inner
            append("{\n" + inner)
            for number, key in enumerate(sorted(value)):
                if number:
                    append(separator)
                append(_encode_text(key))
                append(": ")
                encode(value[key], inner)
            append("\n" + indent + "}")
        elif isinstance(value, (list, tuple)):
            if not value:
                append("[]")
                return
            inner = indent + "  "
            separator = ",\n" + inner
            append("[\n" + inner)
            for number, item in enumerate(value):
                if number:
                    append(separator)
                encode(item, inner)
            append("\n" + indent + "]")
        else:
            raise _Unusual

    try:
        encode(data, "")
    except (_Unusual, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return "".join(out)


_encode_text = json.encoder.encode_basestring  # the C encoder where there is one, as json uses


def _float_json(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def unique(items) -> list:
    """The items without repeats, in order of first appearance."""
    return list(dict.fromkeys(items))
