"""Check every internal link and every anchor of a built site with LinkChecker.

Usage::

    python -m scripts.linkcheck [SITE_DIR] [--external] [--threads N]
                                [--format text|github] [--raw FILE]

How it works, and why:

* The site is served by a throwaway HTTP server (the standard library's, in
  a thread of this process) on 127.0.0.1 at a free port, under a sub-path
  (``/kb/``), as GitHub Pages serves a project site. A root-absolute link such
  as ``/people/x/`` therefore fails here as it would fail there. Like GitHub
  Pages, the server answers 404 for a directory without ``index.html`` and
  redirects ``people/x`` to ``people/x/`` (which LinkChecker reports as a
  warning, so as a failure).
* LinkChecker (the real one, run as ``python -m linkcheck`` with
  ``scripts/linkcheckerrc``) crawls it over HTTP, because over ``file://`` it
  cannot check an anchor on a directory URL (its issue #678) and every page
  of this site has a directory URL. The ``[AnchorCheck]`` plugin looks every
  ``#fragment`` up among the ``id=`` and ``<a name=>`` of the target page.
* Over HTTP LinkChecker throttles itself per host, to at least 0.1 to 0.6 s
  between two requests, unless a response carries a ``LinkChecker`` header:
  then the ``maxrequestspersecond`` of the config is the only limit
  (``linkcheck/checker/httpurl.py`` calls ``set_maxrated_for_host`` when it
  sees the header; ``linkcheck/director/aggregator.py`` ``wait_for_host``).
  The server sends that header on every response.
* The crawl starts from a page that this server makes up and that links every
  HTML file of the site, so pages that nothing links to are checked too.
* Each distinct broken URL is reported once, on the first page where
  LinkChecker met it (that is how its cache works).
* LinkChecker started as root drops its privileges to ``nobody``; it reads
  only its config file (before dropping them) and the HTTP server, which runs
  here as the caller, reads the site. So it works as root and as anyone.
* External links are not checked (no network in CI): only their syntax.
  ``--external`` checks them too; the scheduled workflow uses it.

Exit status: 0 when every link and anchor resolves, 1 on any broken link,
broken anchor or other LinkChecker warning, 2 when the check could not run.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import html
import http.server
import io
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

CONFIG = Path(__file__).with_name("linkcheckerrc")
BASE_PATH = "/kb/"
# The page this server makes up: it links every HTML file of the site.
EVERY_PAGE = "__linkcheck__/every-page.html"
# Anchors listed at most in a report line (a page can have hundreds).
MAX_ANCHORS_SHOWN = 12


class LinkcheckError(Exception):
    """The check could not run (not: the site has broken links)."""


# --------------------------------------------------------------------------
# The site's pages


def site_pages(site: Path) -> list[str]:
    """URL paths, relative to the site root, of every HTML file, sorted.

    ``index.html`` files are given by their directory URL (``people/x/``), as
    MkDocs links them with ``use_directory_urls``; the root is ``./``.
    """
    pages = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel == EVERY_PAGE:
            continue
        if rel == "index.html":
            rel = "./"
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        pages.append(rel)
    return sorted(pages)


def every_page_html(pages: Sequence[str]) -> bytes:
    """The made-up start page: one relative link to every page of the site."""
    up = "../" * EVERY_PAGE.count("/") or "./"
    hrefs = [up if p == "./" else up + urllib.parse.quote(p) for p in pages]
    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{html.escape(p)}</a></li>'
        for href, p in zip(hrefs, pages, strict=True)
    )
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Every page (made up by scripts/linkcheck.py)</title></head>\n"
        f"<body><ul>\n{items}\n</ul></body></html>\n"
    ).encode("utf-8")


# --------------------------------------------------------------------------
# The local server


def make_handler(site: Path, base_path: str, every_page: bytes, counter: list[int]):
    """A request handler class serving ``site`` under ``base_path``."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        # Keep-alive: LinkChecker keeps one connection per thread.
        protocol_version = "HTTP/1.1"
        extensions_map = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".html": "text/html; charset=utf-8",
            ".css": "text/css; charset=utf-8",
            ".js": "text/javascript; charset=utf-8",
            ".json": "application/json; charset=utf-8",
            ".txt": "text/plain; charset=utf-8",
            ".csv": "text/csv; charset=utf-8",
            ".xml": "application/xml; charset=utf-8",
            ".yml": "text/plain; charset=utf-8",
            ".yaml": "text/plain; charset=utf-8",
            ".jsonld": "application/ld+json; charset=utf-8",
            ".atom": "application/atom+xml; charset=utf-8",
        }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def end_headers(self):
            # Lifts LinkChecker's per-host throttle (see the module docstring).
            self.send_header("LinkChecker", "1")
            super().end_headers()

        def send_head(self):
            counter[0] += 1
            path = urllib.parse.urlsplit(self.path).path
            if not path.startswith(base_path):
                # A root-absolute URL: it would leave the project site.
                self.send_error(404, "Outside of the site's base path " + base_path)
                return None
            if urllib.parse.unquote(path[len(base_path) :]) == EVERY_PAGE:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(every_page)))
                self.end_headers()
                return io.BytesIO(every_page)
            return super().send_head()

        def translate_path(self, path):
            parts = urllib.parse.urlsplit(path)
            inner = "/" + parts.path[len(base_path) :]
            return super().translate_path(inner)

        def list_directory(self, path):
            # GitHub Pages lists no directory.
            self.send_error(404, "No index.html in this directory")
            return None

        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            pass

    return Handler


@contextmanager
def serve(site: Path, base_path: str = BASE_PATH) -> Iterator[tuple[str, list[int]]]:
    """Serve ``site`` on 127.0.0.1 at a free port; yield its root URL and
    a one-item list counting the requests served."""
    counter = [0]
    handler = make_handler(site, base_path, every_page_html(site_pages(site)), counter)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="linkcheck-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}{base_path}", counter
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --------------------------------------------------------------------------
# Running LinkChecker and reading its CSV output


@dataclasses.dataclass(frozen=True)
class Result:
    """One URL as LinkChecker reports it (one row of its CSV output)."""

    url: str  # the link as written in the page
    real_url: str  # absolute, as checked
    parent: str  # absolute URL of the page holding the link
    line: str
    column: str
    valid: bool
    result: str
    warnings: tuple[str, ...]
    info: tuple[str, ...]

    @property
    def failed(self) -> bool:
        return not self.valid or bool(self.warnings)

    @property
    def kind(self) -> str:
        if not self.valid:
            return "broken link"
        if any(w.startswith("Anchor ") for w in self.warnings):
            return "broken anchor"
        return "warning"


def linkchecker_command(start_url: str, *, external: bool, threads: int | None) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "linkcheck",
        "--config",
        str(CONFIG),
        "--no-status",
        "--output",
        "csv/utf_8",
        "--verbose",
    ]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    if external:
        cmd.append("--check-extern")
    else:
        # Our own server has no robots.txt to honour.
        cmd.append("--no-robots")
    cmd.append(start_url)
    return cmd


def parse_csv(text: str) -> list[Result]:
    """Rows of LinkChecker's CSV output (``#`` lines are its comments)."""
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("# ")]
    rows = list(csv.reader(io.StringIO("".join(lines)), delimiter=";", quotechar='"'))
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    if "urlname" not in header:
        raise LinkcheckError("unexpected LinkChecker output (no CSV header):\n" + text[:2000])
    results = []
    for row in body:
        if len(row) == len(header) - 2 and "line" in header:
            # LinkChecker leaves out line and column when it has none (a start URL).
            at = header.index("line")
            row = row[:at] + ["", ""] + row[at:]
        if len(row) != len(header):
            raise LinkcheckError(f"unexpected LinkChecker output row: {row!r}")
        r = dict(zip(header, row, strict=True))

        def split(value: str) -> tuple[str, ...]:
            return tuple(x.strip() for x in value.splitlines() if x.strip())

        results.append(
            Result(
                url=r["urlname"],
                real_url=r["url"],
                parent=r["parentname"],
                line=r["line"],
                column=r["column"],
                valid=r["valid"] == "True",
                result=r["result"],
                warnings=split(r["warningstring"]),
                info=split(r["infostring"]),
            )
        )
    return results


def run_linkchecker(
    start_url: str, *, external: bool, threads: int | None
) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    # LinkChecker's own default config file would add options we do not know.
    env.pop("XDG_CONFIG_HOME", None)
    proc = subprocess.run(
        linkchecker_command(start_url, external=external, threads=threads),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


# --------------------------------------------------------------------------
# Reporting


def site_path(url: str, root_url: str, site_label: str) -> str:
    """``http://127.0.0.1:N/kb/people/x/`` -> ``site/people/x/index.html``."""
    if not url.startswith(root_url):
        return url
    rel = urllib.parse.unquote(urllib.parse.urlsplit(url[len(root_url) :]).path)
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return f"{site_label}/{rel}"


def shown_url(url: str, root_url: str) -> str:
    """A checked URL as a reader of the site would see it: ``/people/x/#a``."""
    parts = urllib.parse.urlsplit(root_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if url.startswith(root_url):
        return "/" + url[len(root_url) :]
    if url.startswith(origin + "/"):
        return url[len(origin) :] + " (outside the site: a root-absolute link?)"
    return url


def shorten(message: str) -> str:
    """Cut LinkChecker's list of available anchors to a readable length."""
    match = re.match(r"(.*Available anchors: )(.*)\.$", message, re.S)
    if not match:
        return message
    anchors = match.group(2).split(", ")
    if len(anchors) <= MAX_ANCHORS_SHOWN:
        return message
    shown = ", ".join(anchors[:MAX_ANCHORS_SHOWN])
    return f"{match.group(1)}{shown}, ... ({len(anchors) - MAX_ANCHORS_SHOWN} more)."


def describe(res: Result, root_url: str, site_label: str) -> tuple[str, str]:
    """(where, what) of one failed result."""
    where = site_path(res.parent, root_url, site_label) if res.parent else "(start)"
    if res.line:
        where += f":{res.line}"
        if res.column:
            where += f":{res.column}"
    reasons = []
    if not res.valid:
        reasons.append(res.result or "invalid")
    reasons += [shorten(w) for w in res.warnings]
    what = f"{res.kind}: {res.url} -> {shown_url(res.real_url, root_url)}: " + " ".join(reasons)
    return where, what


def github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


# --------------------------------------------------------------------------
# Main


def check(
    site: Path,
    *,
    external: bool = False,
    threads: int | None = None,
    fmt: str = "text",
    raw: Path | None = None,
    out=None,
) -> int:
    out = out or sys.stdout
    site_label = os.path.relpath(site) if not site.is_absolute() else str(site)
    site_label = site_label.rstrip("/") or "."
    if not site.is_dir():
        raise LinkcheckError(
            f"site directory {site_label}/ not found: build the site first (`make build`)"
        )
    if not (site / "index.html").is_file():
        raise LinkcheckError(
            f"{site_label}/index.html not found: is {site_label}/ a built site? (`make build`)"
        )
    pages = site_pages(site)
    version = metadata.version("LinkChecker")
    started = time.monotonic()
    with serve(site) as (root_url, served):
        print(
            f"linkcheck: checking {len(pages)} pages of {site_label}/ with LinkChecker "
            f"{version} over {root_url} (anchors: on; external links: "
            f"{'checked' if external else 'not checked'})",
            file=out,
            flush=True,
        )
        code, stdout, stderr = run_linkchecker(
            root_url + EVERY_PAGE, external=external, threads=threads
        )
    elapsed = time.monotonic() - started
    if raw is not None:
        raw.write_text(stdout, encoding="utf-8")
    results = parse_csv(stdout)
    if code not in (0, 1) or not results:
        raise LinkcheckError(
            f"LinkChecker failed (exit status {code}).\n"
            f"--- its stderr ---\n{stderr.strip()}\n--- its stdout ---\n{stdout.strip()[:4000]}"
        )
    failed = [r for r in results if r.failed]
    internal = [r for r in results if r.real_url.startswith(root_url)]
    for res in sorted(failed, key=lambda r: (r.parent, int(r.line or 0), int(r.column or 0), r.url)):
        where, what = describe(res, root_url, site_label)
        if fmt == "github":
            print(f"::error title=linkcheck: {res.kind}::{github_escape(where + ': ' + what)}", file=out)
        print(f"{where}: {what}", file=out)
    counts = {
        kind: sum(1 for r in failed if r.kind == kind)
        for kind in ("broken link", "broken anchor", "warning")
    }
    summary = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items())
    stats = (
        f"{len(results)} URLs ({len(internal)} on the site, {len(results) - len(internal)} "
        f"external or ignored) from {len(pages)} pages, {served[0]} requests, "
        f"{elapsed:.1f} s"
    )
    if code == 1 and not failed:
        # LinkChecker saw a problem that its CSV rows do not show.
        print(stderr.strip(), file=out)
        print(f"linkcheck: FAILED: LinkChecker exited 1 ({stats})", file=out)
        return 1
    if failed:
        print(f"linkcheck: FAILED: {summary} ({stats})", file=out)
        return 1
    print(f"linkcheck: OK: every link and anchor resolves ({stats})", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.linkcheck",
        description="Check every internal link and anchor of a built site with LinkChecker.",
    )
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    parser.add_argument(
        "--external",
        action="store_true",
        help="check external links too (needs the network; the scheduled workflow)",
    )
    parser.add_argument("--threads", type=int, help="LinkChecker threads (default: its config's)")
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
        help="github adds ::error annotations (the default when GITHUB_ACTIONS=true)",
    )
    parser.add_argument("--raw", type=Path, help="write LinkChecker's CSV output to this file")
    args = parser.parse_args(argv)
    try:
        return check(
            Path(args.site),
            external=args.external,
            threads=args.threads,
            fmt=args.format,
            raw=args.raw,
        )
    except LinkcheckError as exc:
        print(f"linkcheck: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
