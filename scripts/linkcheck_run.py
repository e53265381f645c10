"""Runs LinkChecker (``python -m linkcheck``) with one change: the anchors of a
page are collected once per page, not once per link into it.

With its AnchorCheck plugin on, LinkChecker caches each URL together with its
#fragment, so it downloads and parses a page again for every distinct anchor
that some link points at. A source page here is linked at hundreds of quote
anchors: parsing it hundreds of times dominated the check. The set of ids of
a page does not depend on the anchor asked for, so it is kept per page (the
URL without its fragment) for the life of the process. It is collected from
the page's parse when LinkChecker reads the page for its links, else from a
parse made for the first anchor into it; the check of each anchor against
that set is LinkChecker's own.

The anchors are the values LinkChecker's AnchorCheck collects (its
``linkparse.AnchorTags``: every ``id``, and ``name`` on ``<a>``), read from
the elements' attributes directly: LinkChecker's general ``find_links`` also
computes each element's whole text (the page's text again for every element
that contains others), which anchors do not use.
"""

from __future__ import annotations

import threading
import urllib.parse

import linkcheck.parser
from linkcheck.htmlutil import linkparse
from linkcheck.plugins import anchorcheck

_anchors: dict[str, list] = {}
_lock = threading.Lock()


# Which attributes hold an anchor, per tag, as LinkChecker's LinkFinder reads linkparse.AnchorTags
# (the None entry applies to every tag).
_UNIVERSAL = frozenset(linkparse.AnchorTags.get(None, ()))
_ANCHOR_ATTRS = {tag: frozenset(attrs) | _UNIVERSAL for tag, attrs in linkparse.AnchorTags.items() if tag}


def anchors_of(soup) -> list[tuple]:
    """The anchors of a parsed page, as AnchorCheck's ``add_anchor`` receives them (less the link
    name, which is always empty for an anchor)."""
    anchors = []
    for element in soup.find_all(True):
        for attr in sorted(_ANCHOR_ATTRS.get(element.name, _UNIVERSAL).intersection(element.attrs)):
            line = element.sourceline
            column = None if element.sourcepos is None else element.sourcepos + 1
            anchors.append((element.attrs[attr], line, column, "", ""))
    return anchors


def _remember(url: str, soup) -> list:
    page = urllib.parse.urldefrag(url)[0]
    with _lock:
        anchors = _anchors.get(page)
    if anchors is None:
        anchors = anchors_of(soup)
        with _lock:
            _anchors[page] = anchors
    return anchors


def _check(self, url_data) -> None:
    page = urllib.parse.urldefrag(url_data.url)[0]
    with _lock:
        anchors = _anchors.get(page)
    if anchors is None:
        anchors = _remember(url_data.url, url_data.get_soup())
    checker = anchorcheck.UrlAnchorCheck()
    checker.anchors = anchors
    checker.check_anchor(url_data)


_parse_html = linkcheck.parser.parse_html


def _parse_html_and_remember_anchors(url_data) -> None:
    _parse_html(url_data)
    if not url_data.anchor:
        _remember(url_data.url, url_data.get_soup())


anchorcheck.AnchorCheck.check = _check
linkcheck.parser.parse_html = _parse_html_and_remember_anchors

if __name__ == "__main__":
    from linkcheck.command.linkchecker import linkchecker

    linkchecker()
