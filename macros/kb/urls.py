"""The one URL policy: what the validator accepts is what pages link to and exports publish.

A URL from the data (a source's `url:`) is accepted when it is

- http or https, written `http://` or `https://` followed by a host;
- a host of ASCII letters, digits, hyphens and dots (an international
  domain name in its xn-- form), an IPv4 address or an [IPv6] address, with
  at most a numeric port, and no user name or password (`https://a.com@b.com/`
  leads to b.com while it reads as a.com);
- free of whitespace, control, bidirectional and invisible characters
  (macros.kb.characters), quotes, angle brackets and backslashes (which
  browsers read as slashes, and other parsers do not);
- at most MAX_URL_LENGTH characters.

Everything else is refused by the validator (code bad-url) and, should it
reach them anyway, is never a link on a page nor a URL in an export.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

from macros.kb.characters import UNSAFE, describe

MAX_URL_LENGTH = 2000

_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_FORBIDDEN = {
    '"': "a double quote",
    "'": "a single quote",
    "`": "a backquote",
    "<": "an angle bracket",
    ">": "an angle bracket",
    "\\": "a backslash",
}
_REFUSED_ASCII = re.compile(r"[\x00-\x20\x7f\"'`<>\\]")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def url_problem(url: object) -> str | None:
    """Why `url` is refused (a phrase that follows "the URL ..."), or None when it is accepted."""
    if not isinstance(url, str):
        return "is not a text"
    if len(url) > MAX_URL_LENGTH:
        return f"is {len(url):,} characters long; at most {MAX_URL_LENGTH:,} are allowed"
    if not _SCHEME.match(url):
        return "is not an http(s) URL"
    # Most URLs are plain ASCII with none of the characters refused: one regex search says so.
    refused = not url.isascii() or _REFUSED_ASCII.search(url) is not None
    for index, char in enumerate(url if refused else ()):
        if char.isspace():
            return f"holds whitespace at character {index + 1}"
        if UNSAFE.fullmatch(char):
            return f"holds {describe(char)} at character {index + 1}"
        if char in _FORBIDDEN:
            return f"holds {_FORBIDDEN[char]} ({char}) at character {index + 1}"
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. brackets around something that is not an IPv6 address
        return "has a host that is not a domain name or an IP address"
    if "@" in parts.netloc:
        return "has a user name or password before its host (@)"
    host = parts.netloc
    try:
        port = parts.port  # ValueError when it is not a number from 0 to 65535
    except ValueError:
        return "has a port that is not a number from 1 to 65535"
    if port is not None:
        if port == 0:
            return "has a port that is not a number from 1 to 65535"
        host = host.rpartition(":")[0]
    elif host.endswith(":"):
        host = host[:-1]
    if not host:
        return "has no host"
    if not _host_ok(host):
        return f"has a host ({host}) that is not a domain name or an IP address"
    return None


def _host_ok(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    if not host.isascii():
        return False
    labels = host.removesuffix(".").split(".")
    return all(_LABEL.fullmatch(label) for label in labels)


def safe_url(url: object) -> str | None:
    """The URL when the policy accepts it, else None: nothing else becomes a link or an exported URL."""
    return url if isinstance(url, str) and _accepted(url) else None


@lru_cache(maxsize=1 << 12)  # the exports ask of a source's URL once for every claim that cites it
def _accepted(url: str) -> bool:
    return url_problem(url) is None
