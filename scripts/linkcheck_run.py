"""Runs LinkChecker (``python -m linkcheck``) with one change: the anchors of a
page are collected once per page, not once per link into it.

With its AnchorCheck plugin on, LinkChecker caches each URL together with its
#fragment, so it downloads and parses a page again for every distinct anchor
that some link points at. A source page here is linked at hundreds of quote
anchors: parsing it hundreds of times dominated the check. The set of ids of
a page does not depend on the anchor asked for, so it is kept per page (the
URL without its fragment) for the life of the process; the check of each
anchor against that set is LinkChecker's own.
"""

from __future__ import annotations

import threading
import urllib.parse

from linkcheck.htmlutil import linkparse
from linkcheck.plugins import anchorcheck

_anchors: dict[str, list] = {}
_lock = threading.Lock()


def _check(self, url_data) -> None:
    page = urllib.parse.urldefrag(url_data.url)[0]
    with _lock:
        anchors = _anchors.get(page)
    if anchors is None:
        collector = anchorcheck.UrlAnchorCheck()
        linkparse.find_links(url_data.get_soup(), collector.add_anchor, linkparse.AnchorTags)
        anchors = collector.anchors
        with _lock:
            _anchors[page] = anchors
    checker = anchorcheck.UrlAnchorCheck()
    checker.anchors = anchors
    checker.check_anchor(url_data)


anchorcheck.AnchorCheck.check = _check

if __name__ == "__main__":
    from linkcheck.command.linkchecker import linkchecker

    linkchecker()
