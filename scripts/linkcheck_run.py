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

The anchors are collected by LinkChecker's own ``LinkFinder`` with its
``linkparse.AnchorTags``, as its AnchorCheck does, but without what its
``find_links`` also computes for each element: the element's whole text (the
page's text again for every element that contains others), which names
``<a href>`` links only and plays no part in anchors.
"""

from __future__ import annotations

import inspect
import threading
import urllib.parse

import linkcheck.parser
from linkcheck.configuration import Version
from linkcheck.htmlutil import linkparse
from linkcheck.plugins import anchorcheck

WRITTEN_FOR = "10.6.0"  # the LinkChecker release whose internals are patched below (pinned in requirements.txt)


def missing_patch_points() -> list[str]:
    """What this module relies on in LinkChecker and cannot find (empty when all is there). A
    release that moved any of it would make the patches below do nothing, silently: the check
    would still be right, but parse a page once per anchor again, many times slower."""
    missing = []
    if not callable(getattr(linkcheck.parser, "parse_html", None)):
        missing.append("linkcheck.parser.parse_html")
    elif "globals()" not in inspect.getsource(linkcheck.parser.parse_url):
        missing.append("linkcheck.parser.parse_url looking parse_html up by name")
    if not callable(getattr(anchorcheck.AnchorCheck, "check", None)):
        missing.append("linkcheck.plugins.anchorcheck.AnchorCheck.check")
    if not callable(getattr(anchorcheck.UrlAnchorCheck, "check_anchor", None)):
        missing.append("linkcheck.plugins.anchorcheck.UrlAnchorCheck.check_anchor")
    if not callable(getattr(linkparse, "LinkFinder", None)) or not hasattr(linkparse, "AnchorTags"):
        missing.append("linkcheck.htmlutil.linkparse.LinkFinder and AnchorTags")
    return missing


_anchors: dict[str, list] = {}
_lock = threading.Lock()


def anchors_of(soup) -> list[tuple]:
    """The anchors of a parsed page, as LinkChecker's AnchorCheck collects them: its own LinkFinder
    over every element, given an empty element text (which only names ``<a href>`` links, and
    AnchorTags asks for no ``href``)."""
    checker = anchorcheck.UrlAnchorCheck()
    finder = linkparse.LinkFinder(checker.add_anchor, linkparse.AnchorTags)
    for element in soup.find_all(True):
        column = None if element.sourcepos is None else element.sourcepos + 1
        finder.html_element(element.name, element.attrs, "", element.sourceline, column)
    return checker.anchors


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


_missing = missing_patch_points()
if _missing:
    raise SystemExit(
        f"scripts/linkcheck_run.py was written for LinkChecker {WRITTEN_FOR}; LinkChecker {Version} has no "
        + "; no ".join(_missing)
        + ". Update the patches (see the module's docstring) and WRITTEN_FOR."
    )
anchorcheck.AnchorCheck.check = _check
linkcheck.parser.parse_html = _parse_html_and_remember_anchors

if __name__ == "__main__":
    from linkcheck.command.linkchecker import linkchecker

    linkchecker()
