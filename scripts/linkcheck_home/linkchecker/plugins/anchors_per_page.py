"""A LinkChecker plugin: LinkChecker's AnchorCheck, with each page's anchors collected once.

LinkChecker loads it from ``$XDG_DATA_HOME/linkchecker/plugins/`` (it has no setting for its plugin
folders: ``scripts/linkcheck.py`` points ``XDG_DATA_HOME``, and ``HOME``, at
``scripts/linkcheck_home/``), and the ``[AnchorCheck]`` section of ``scripts/linkcheckerrc`` enables
it.

Why: with AnchorCheck on, LinkChecker caches each URL with its ``#fragment``, and its AnchorCheck
downloads and parses the page again for every distinct anchor that some link points at. A source
page here is linked at hundreds of quote anchors. The anchors of a page do not depend on the anchor
asked for, so they are kept per page (the URL without its fragment) for the life of the process:
taken from the parse LinkChecker makes of a page to find its links, else from a parse made for the
first anchor into it. Each anchor is then checked by LinkChecker's own ``UrlAnchorCheck``.

Why the class is named AnchorCheck, like LinkChecker's own: LinkChecker enables plugins by class
name, and caches URLs with their fragment only while a plugin named AnchorCheck is enabled
(``checker/urlbase.py``, ``set_cache_url``); under another name the second anchor into a page would
be given the cached result of the first. So LinkChecker enables both, this one first (it loads the
plugin folders before its own plugins). Having checked an anchor, this one clears ``url_data.anchor``:
LinkChecker's own AnchorCheck applies only to a URL with an anchor, so it does not parse the page
again. Should that ever stop working, anchors are still checked (twice, and slowly), but the
informational note this plugin adds to each missing anchor is gone, and ``scripts/linkcheck.py``
says so (it seeds a missing anchor in every run).

The anchors are collected by LinkChecker's own ``LinkFinder`` with its ``linkparse.AnchorTags``, as
its AnchorCheck does, but without what ``find_links`` also computes for each element: the element's
whole text (the page's text again for every element that contains others), which names ``<a href>``
links only and plays no part in anchors.
"""

from __future__ import annotations

import threading
import urllib.parse

from linkcheck.htmlutil import linkparse
from linkcheck.plugins import _ContentPlugin
from linkcheck.plugins.anchorcheck import UrlAnchorCheck

# Added to the info of a URL whose anchor this plugin found missing; scripts/linkcheck.py looks for it.
CHECKED_HERE = "Anchor checked by the anchors_per_page plugin (anchors collected once per page)."


def anchors_of(soup) -> list[tuple]:
    """The anchors of a parsed page, as LinkChecker's AnchorCheck collects them: its own LinkFinder
    over every element, given an empty element text (which only names ``<a href>`` links, and
    AnchorTags asks for no ``href``)."""
    checker = UrlAnchorCheck()
    finder = linkparse.LinkFinder(checker.add_anchor, linkparse.AnchorTags)
    for element in soup.find_all(True):
        column = None if element.sourcepos is None else element.sourcepos + 1
        finder.html_element(element.name, element.attrs, "", element.sourceline, column)
    return checker.anchors


class AnchorCheck(_ContentPlugin):
    """Checks that the #fragment of a URL is an anchor of its page (see the module's docstring)."""

    def __init__(self, config):
        super().__init__(config)
        self._anchors: dict[str, list[tuple]] = {}
        self._lock = threading.Lock()  # one instance serves all of LinkChecker's threads

    def applies_to(self, url_data) -> bool:
        # A URL with an anchor to check, or a page that LinkChecker is about to parse for its
        # links (the same parse, already made, gives its anchors).
        return url_data.is_html() and bool(url_data.anchor or url_data.allows_recursion())

    def check(self, url_data) -> None:
        anchors = self._page_anchors(url_data)
        if url_data.anchor:
            self._check_anchor(url_data, anchors)

    def _page_anchors(self, url_data) -> list[tuple]:
        page = urllib.parse.urldefrag(url_data.url)[0]
        with self._lock:
            anchors = self._anchors.get(page)
        if anchors is None:
            anchors = anchors_of(url_data.get_soup())
            with self._lock:
                self._anchors.setdefault(page, anchors)
        return anchors

    @staticmethod
    def _check_anchor(url_data, anchors: list[tuple]) -> None:
        checker = UrlAnchorCheck()
        checker.anchors = anchors
        warnings = len(url_data.warnings)
        checker.check_anchor(url_data)
        if len(url_data.warnings) > warnings:
            url_data.add_info(CHECKED_HERE)
        # Checked: LinkChecker's own AnchorCheck, which runs next, is to leave it (see above).
        url_data.anchor = ""
