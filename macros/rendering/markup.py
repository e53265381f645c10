"""HTML building blocks shared by the renderers: escaping and relative links.

Every string that came from YAML goes through `esc` (text and attributes) or
`md_text` (Markdown headings); text from an archived source (its text, and
the quotes of it) through `evidence`, which also shows each control,
bidirectional or invisible character it holds as a visible code point (the
validator keeps them out of every other text). URLs we emit are relative to
the page they are on, so the site works under any sub-path (GitHub Pages
serves project sites under /<repo>/); a URL from the data is made live only
when the one URL policy (macros.kb.urls) accepts it.
"""

from __future__ import annotations

import html
import json
import posixpath
import re

import orjson

from macros.kb.characters import UNSAFE, char_name, code_point, json_clean
from macros.kb.kinds import FOLDERS

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>])")  # Python-Markdown's escapable characters (~ is not one)


def esc(text: object) -> str:
    """Escape for HTML text and attribute values."""
    text = str(text)
    # Most texts have nothing to escape: five quick scans instead of html.escape's five replacements (a
    # large site calls this over a million times; `in` is faster than one regular expression's search).
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text, quote=True)
    return text


def _shown(match: re.Match) -> str:
    char = match.group()
    return f'<span class="kb-escape" title="{char_name(char)}">{code_point(char)}</span>'


def evidence(text: object) -> str:
    """Escape archived text (or a quote of it) for HTML, each unsafe character shown as its code point:
    <span class="kb-escape" title="ZERO WIDTH SPACE">U+200B</span>."""
    escaped = esc(text)
    return UNSAFE.sub(_shown, escaped)


def md_text(text: str) -> str:
    """Escape for a line of Markdown (a heading): no markup, no raw HTML."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False).replace("\n", " "))


class Linker:
    """Builds links relative to the page being rendered."""

    def __init__(self, page_url: str, directory_urls: bool = True):
        self.page_url = page_url.lstrip("/")
        self.directory_urls = directory_urls
        # The folder the browser resolves relative links against.
        self.base = self.page_url.rstrip("/") if directory_urls else posixpath.dirname(self.page_url)
        self._pages: dict[str, str] = {}  # site path -> its link from this page: a page links the same ones often

    def page(self, path: str, anchor: str | None = None) -> str:
        """Link to a site path such as 'people/eddie-wu/' or 'timeline/'."""
        relative = self._pages.get(path)
        if relative is None:
            target = path.strip("/")
            if self.directory_urls:
                relative = _relpath(target or ".", self.base or ".")
                relative = "./" if relative == "." else relative + "/"
            else:
                target = f"{target}.html" if target else "index.html"
                relative = _relpath(target, self.base or ".")
            self._pages[path] = relative
        return f"{relative}#{anchor}" if anchor else relative

    def file(self, path: str) -> str:
        """Link to a file the site serves, such as 'data/claims.csv'."""
        return _relpath(path, self.base or ".")

    def record(self, kind: str, record_id: str, anchor: str | None = None) -> str:
        return self.page(record_path(kind, record_id), anchor)


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the site's own relative paths, without its cost (it asks the system for the
    current folder on every call, and a page has dozens of links); anything unusual goes to relpath."""
    if path.startswith("/") or start.startswith("/") or ".." in path or ".." in start:
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, base):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(base) - common) + to[common:]
    return "/".join(parts) if parts else "."


def record_path(kind: str, record_id: str) -> str:
    return f"{FOLDERS[kind]}/{record_id}/"


def tag(name: str, content: str = "", **attrs: object) -> str:
    """An element with escaped attribute values; `content` is already HTML."""
    rendered = ""
    for key, value in attrs.items():  # a plain loop: a large site makes hundreds of thousands of elements
        if value is not None:
            rendered += f' {_ATTRIBUTE_NAMES.get(key) or _attribute_name(key)}="{esc(value)}"'
    return f"<{name}{rendered}>{content}</{name}>"


_ATTRIBUTE_NAMES: dict[str, str] = {}


def _attribute_name(key: str) -> str:
    """class_ -> class, aria_label -> aria-label (remembered: the same few names come back all the time)."""
    _ATTRIBUTE_NAMES[key] = name = key.rstrip("_").replace("_", "-")
    return name


def compact_json(data) -> str:
    """json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), through orjson where it
    can (the same text for JSON's own types, floats aside, which pages do not hold; several times as
    fast): every record's page holds its JSON-LD. What orjson does not take goes to the standard library."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def script_json(data: dict) -> str:
    """JSON text safe inside <script type="application/ld+json">: deterministic, with <, > and & written
    as JSON escapes, and so is each control, bidirectional or invisible character a quote of an archived
    text may hold (the page's bytes stay clean; the data is the same)."""
    text = compact_json(data)
    return json_clean(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
