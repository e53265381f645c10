"""Check every internal link and every anchor of a built site with LinkChecker.

Usage::

    python -m scripts.linkcheck [SITE_DIR] [--external] [--jobs N] [--threads N]
                                [--format text|github] [--raw FILE]

How it works, and why:

* The site is served by a throwaway HTTP server (the standard library's, in
  a thread of this process) on 127.0.0.1 at a free port, under a sub-path
  (``/kb/``), as GitHub Pages serves a project site: a root-absolute link such
  as ``/people/x/`` fails here as it would fail there. Like GitHub Pages, the
  server answers 404 for a directory without ``index.html`` and redirects
  ``people/x`` to ``people/x/`` (which LinkChecker reports as a warning, so as
  a failure).
* LinkChecker (the real one: ``python -m linkcheck`` with
  ``scripts/linkcheckerrc``) checks it over HTTP, because over ``file://`` it
  does not check an anchor on a directory URL (its issue #678: it warns
  ``file-anchorcheck-directory`` instead), and every page of this site has a
  directory URL. An ``[AnchorCheck]`` plugin looks each ``#fragment`` up
  among the ``id=`` and ``<a name=>`` of the page it points to: the one in
  ``scripts/linkcheck_home/linkchecker/plugins/``, which collects a page's
  anchors once per page instead of once per anchored link into it
  (LinkChecker caches URLs with their fragment, so its own AnchorCheck
  re-parsed a source page for each of its hundreds of quote anchors); each
  anchor is still checked by LinkChecker's own code. LinkChecker has no
  setting for its plugin folders: it is given ``scripts/linkcheck_home/`` as
  its ``HOME`` and ``XDG_DATA_HOME``.
* Over HTTP LinkChecker throttles itself per host, to 0.1 to 0.6 s between
  two requests at the least, unless a response carries a ``LinkChecker``
  header: then only the ``maxrequestspersecond`` of the config limits it.
  (``linkcheck/checker/httpurl.py`` calls ``aggregate.set_maxrated_for_host``
  when ``"LinkChecker" in self.headers``; ``Aggregate.wait_for_host`` in
  ``linkcheck/director/aggregator.py`` then waits 1/N to 6/N s instead.) The
  server sends that header on every response.
* The crawl starts from pages that the server makes up, which link every HTML
  file of the site between them, so even a page that nothing links to is
  checked. With ``recursionlevel=2`` LinkChecker parses each page of the site
  (level 1) and checks every link it holds (level 2), anchors included,
  without parsing the same page again for every anchor pointing into it.
* Checking is CPU-bound (HTML parsing) and one LinkChecker process uses one
  core whatever its threads, so the pages are split among ``--jobs``
  LinkChecker processes (one per core by default), each checking every link
  of its share of the pages.
* Each distinct broken URL is reported once per process, on the first page
  where it was met (that is how LinkChecker's cache works).
* LinkChecker started as root drops its privileges to ``nobody``: it reads
  only its config file (before dropping them) and writes only to a pipe; the
  site's files are read by the server, which runs as the caller. So it works
  as root and as anyone, whatever the permissions of the site directory.
* External links are not checked (no network in CI), only their syntax;
  ``--external`` checks them too (the scheduled workflow), in one process so
  that no external host is asked twice.

Exit status: 0 when every link and anchor resolves; 1 on any broken link,
broken anchor or other LinkChecker warning; 2 when the check could not run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

CONFIG = Path(__file__).with_name("linkcheckerrc")
# LinkChecker's HOME and XDG_DATA_HOME: it loads plugins from linkchecker/plugins/ in there.
LINKCHECK_HOME = Path(__file__).with_name("linkcheck_home")
BASE_PATH = "/kb/"
# The start pages that the server makes up (not files of the site).
START_DIR = "__linkcheck__"
# Anchors listed at most in a report line (a page can have hundreds).
MAX_ANCHORS_SHOWN = 12


class LinkcheckError(Exception):
    """The check could not run (not: the site has broken links)."""


# --------------------------------------------------------------------------
# The site's pages and the made-up start pages


def site_pages(site: Path) -> list[str]:
    """URL paths, relative to the site root, of every HTML file, sorted.

    ``index.html`` files are given by their directory URL (``people/x/``), as
    MkDocs links them with ``use_directory_urls``; the root is ``./``.
    """
    pages = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(START_DIR + "/"):
            continue
        if rel == "index.html":
            rel = "./"
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        pages.append(rel)
    return sorted(pages)


def start_pages(pages: Sequence[str], jobs: int) -> dict[str, bytes]:
    """``jobs`` made-up pages (path -> HTML) that link every page between them."""
    shares: list[list[str]] = [[] for _ in range(jobs)]
    for i, page in enumerate(pages):
        shares[i % jobs].append(page)
    result = {}
    for n, share in enumerate(shares, start=1):
        # The start pages are one level down (START_DIR/): "../" is the root.
        hrefs = ["../" if p == "./" else "../" + urllib.parse.quote(p) for p in share]
        items = "\n".join(
            f'<li><a href="{html.escape(href)}">{html.escape(p)}</a></li>' for href, p in zip(hrefs, share, strict=True)
        )
        result[f"{START_DIR}/start-{n}-of-{jobs}.html"] = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Pages to check, share {n} of {jobs} (made up by scripts/linkcheck.py)"
            f"</title></head>\n<body><ul>\n{items}\n</ul></body></html>\n"
        ).encode()
    return result


# --------------------------------------------------------------------------
# The local server


def make_handler(site: Path, base_path: str, made_up: Mapping[str, bytes], counter: list[int]):
    """A request handler class serving ``site`` (and ``made_up``) under ``base_path``."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        # Keep-alive (LinkChecker keeps a connection per thread), and no
        # Nagle: headers and body are sent apart, and the body would wait
        # for the client's delayed ACK (measured: 12 ms a request).
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True
        # As GitHub Pages sends them; without a charset, HTTP says ISO-8859-1.
        extensions_map = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".html": "text/html; charset=utf-8",
            ".css": "text/css; charset=utf-8",
            ".js": "text/javascript; charset=utf-8",
            ".json": "application/json; charset=utf-8",
            ".jsonld": "application/ld+json; charset=utf-8",
            ".txt": "text/plain; charset=utf-8",
            ".csv": "text/csv; charset=utf-8",
            ".xml": "application/xml; charset=utf-8",
            ".atom": "application/atom+xml; charset=utf-8",
            ".yml": "text/plain; charset=utf-8",
            ".yaml": "text/plain; charset=utf-8",
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
                # A root-absolute URL: on GitHub Pages it leaves the project site.
                self.send_error(404, f"Outside of the site (served under {base_path})")
                return None
            body = made_up.get(urllib.parse.unquote(path[len(base_path) :]))
            if body is not None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)
            return super().send_head()

        def translate_path(self, path):
            parts = urllib.parse.urlsplit(path)
            return super().translate_path("/" + parts.path[len(base_path) :])

        def list_directory(self, path):
            # GitHub Pages lists no directory.
            self.send_error(404, "No index.html in this directory")
            return None

        def log_message(self, format, *args):
            pass

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client closing its keep-alive connection is no error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(
    site: Path, made_up: Mapping[str, bytes] | None = None, base_path: str = BASE_PATH
) -> Iterator[tuple[str, list[int]]]:
    """Serve ``site`` on 127.0.0.1 at a free port; yield its root URL and a
    one-item list counting the requests served."""
    counter = [0]
    server = _Server(("127.0.0.1", 0), make_handler(site, base_path, made_up or {}, counter))
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
    cmd = [sys.executable, "-m", "linkcheck", "--config", str(CONFIG)]
    cmd += ["--no-status", "--output", "csv/utf_8", "--verbose"]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    # Our own server has no robots.txt to honour; other hosts' are honoured.
    cmd.append("--check-extern" if external else "--no-robots")
    cmd.append(start_url)
    return cmd


def linkchecker_env(home: Path) -> dict[str, str]:
    # LinkChecker takes its plugins from ~/.linkchecker/plugins/ if that folder exists, else from
    # $XDG_DATA_HOME/linkchecker/plugins/; it has no setting for them. (So it reads no other file
    # of the caller's home either, such as a ~/.netrc.)
    home_dir = str(home.resolve())
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "HOME": home_dir, "XDG_DATA_HOME": home_dir}


def run_linkchecker(start_url: str, *, external: bool, threads: int | None) -> tuple[int, str, str]:
    env = linkchecker_env(LINKCHECK_HOME)
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


def parse_csv(text: str) -> list[Result]:
    """Rows of LinkChecker's CSV output (``# `` lines are its comments)."""
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
            # LinkChecker leaves line and column out when it has none (a start URL).
            at = header.index("line")
            row = row[:at] + ["", ""] + row[at:]
        if len(row) != len(header):
            raise LinkcheckError(f"unexpected LinkChecker output row: {row!r}")
        r = dict(zip(header, row, strict=True))
        results.append(
            Result(
                url=r["urlname"],
                real_url=r["url"],
                parent=r["parentname"],
                line=r["line"],
                column=r["column"],
                valid=r["valid"] == "True",
                result=r["result"],
                warnings=tuple(w.strip() for w in r["warningstring"].splitlines() if w.strip()),
            )
        )
    return results


# --------------------------------------------------------------------------
# Reporting


def site_path(url: str, root_url: str, site_label: str) -> str:
    """``http://127.0.0.1:N/kb/people/x/#a`` -> ``site/people/x/index.html#a``;
    a URL off the site is returned as it is, or marked if on the same server."""
    parts = urllib.parse.urlsplit(url)
    if url.startswith(root_url):
        rel = urllib.parse.unquote(parts.path[len(urllib.parse.urlsplit(root_url).path) :])
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        return f"{site_label}/{rel}" + (f"#{parts.fragment}" if parts.fragment else "")
    root = urllib.parse.urlsplit(root_url)
    if (parts.scheme, parts.netloc) == (root.scheme, root.netloc):
        path = urllib.parse.urlunsplit(("", "", parts.path, parts.query, parts.fragment))
        return f"{path} (off the site, which is served under {root.path}: a root-absolute link?)"
    return url


def shorten(message: str) -> str:
    """Cut LinkChecker's list of available anchors to a readable length, and
    its ``(decoded: ...)`` when that is the anchor itself."""
    message = re.sub(r"`([^']*)' \(decoded: `\1'\) ", r"`\1' ", message)
    match = re.match(r"(.*Available anchors: )(.*)\.$", message, re.S)
    if not match:
        return message
    anchors = match.group(2).split(", ")
    if len(anchors) <= MAX_ANCHORS_SHOWN:
        return message
    shown = ", ".join(anchors[:MAX_ANCHORS_SHOWN])
    return f"{match.group(1)}{shown}, ... ({len(anchors) - MAX_ANCHORS_SHOWN} more)."


def describe(res: Result, root_url: str, site_label: str) -> tuple[str, str]:
    """(where, what) of a failed result, e.g. (``site/a/index.html:12:5``,
    ``broken anchor: ../b/#x -> /b/#x: Anchor `x' not found. ...``)."""
    where = site_path(res.parent, root_url, site_label) if res.parent else "(start page)"
    if res.line:
        where += f":{res.line}" + (f":{res.column}" if res.column else "")
    reasons = [] if res.valid else [res.result or "invalid"]
    reasons += [shorten(w) for w in res.warnings]
    target = site_path(res.real_url, root_url, site_label)
    what = f"{res.kind}: {res.url} -> {target}: " + " ".join(reasons)
    return where, what


def github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word}{'es' if word.endswith('s') else 's'}"


# --------------------------------------------------------------------------
# Main


def default_jobs() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def check(
    site: Path,
    *,
    external: bool = False,
    jobs: int | None = None,
    threads: int | None = None,
    fmt: str = "text",
    raw: Path | None = None,
    out=None,
) -> int:
    """Check ``site``; print a report to ``out``; return the exit status."""
    out = out or sys.stdout
    site_label = (str(site) if site.is_absolute() else os.path.relpath(site)).rstrip("/") or "."
    if not site.is_dir():
        raise LinkcheckError(f"no site directory {site_label}/: build the site first (make build)")
    if not (site / "index.html").is_file():
        raise LinkcheckError(f"no {site_label}/index.html: is {site_label}/ a built site? (make build)")
    pages = site_pages(site)
    # External hosts are asked once (one process); local checking is
    # CPU-bound: one process per core, each single-threaded.
    jobs = 1 if external else (jobs or default_jobs())
    jobs = max(1, min(jobs, len(pages)))
    if threads is None and not external:
        threads = 0
    starts = start_pages(pages, jobs)
    started = time.monotonic()
    with serve(site, starts) as (root_url, served):
        print(
            f"linkcheck: checking {plural(len(pages), 'page')} of {site_label}/ with LinkChecker "
            f"{metadata.version('LinkChecker')} over {root_url} in {plural(jobs, 'process')} "
            f"(anchors: checked; external links: {'checked' if external else 'not checked'})",
            file=out,
            flush=True,
        )
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            runs = list(
                pool.map(
                    lambda start: run_linkchecker(root_url + start, external=external, threads=threads),
                    starts,
                )
            )
    elapsed = time.monotonic() - started
    if raw is not None:
        raw.write_text("".join(stdout for _, stdout, _ in runs), encoding="utf-8")
    results: list[Result] = []
    for code, stdout, stderr in runs:
        rows = parse_csv(stdout)
        if code not in (0, 1) or not rows:
            raise LinkcheckError(
                f"LinkChecker failed (exit status {code}).\n--- its stderr ---\n"
                f"{stderr.strip()}\n--- its stdout ---\n{stdout.strip()[:4000]}"
            )
        if code == 1 and not any(r.failed for r in rows):
            raise LinkcheckError(f"LinkChecker exited 1 with no failed URL in its report.\n{stderr.strip()}")
        results += rows
    failed = sorted(
        {r for r in results if r.failed},
        key=lambda r: (r.parent, int(r.line or 0), int(r.column or 0), r.url, r.real_url),
    )
    for res in failed:
        where, what = describe(res, root_url, site_label)
        if fmt == "github":
            print(f"::error title=linkcheck: {res.kind}::{github_escape(f'{where}: {what}')}", file=out)
        print(f"{where}: {what}", file=out)
    urls = {r.real_url for r in results}
    internal = {u for u in urls if u.startswith(root_url)}
    stats = (
        f"{plural(len(urls), 'distinct URL')}: {len(internal)} on the site, "
        f"{len(urls) - len(internal)} elsewhere{' (checked)' if external else ' (syntax only)'}; "
        f"{plural(served[0], 'request')}; {elapsed:.1f} s"
    )
    if failed:
        counts = [
            plural(sum(1 for r in failed if r.kind == kind), kind)
            for kind in ("broken link", "broken anchor", "warning")
        ]
        print(f"linkcheck: FAILED: {', '.join(counts)} ({stats})", file=out)
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
        help="check external links too (needs the network; the scheduled workflow uses it)",
    )
    parser.add_argument("--jobs", type=int, help="LinkChecker processes (default: one per core, at most 8)")
    parser.add_argument(
        "--threads",
        type=int,
        help="threads per LinkChecker process (default: 0, i.e. none, for a local check; the config's for --external)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
        help="github adds ::error annotations (the default when GITHUB_ACTIONS=true)",
    )
    parser.add_argument("--raw", type=Path, help="also write LinkChecker's CSV output to this file")
    args = parser.parse_args(argv)
    try:
        return check(
            Path(args.site),
            external=args.external,
            jobs=args.jobs,
            threads=args.threads,
            fmt=args.format,
            raw=args.raw,
        )
    except LinkcheckError as exc:
        print(f"linkcheck: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
