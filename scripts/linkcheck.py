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
  its ``HOME`` and ``XDG_DATA_HOME``. It is run through
  ``scripts/linkcheck_run.py``, which keeps it loading that code when started
  as root (see below).
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
* LinkChecker started as root drops its privileges to ``nobody`` before it
  loads its plugins; where ``nobody`` cannot read its own folders (a clone in
  a private folder), it then loads none and checks no anchor, silently (the
  proof below catches that). ``scripts/linkcheck_run.py`` keeps it from
  dropping them when ``nobody`` cannot list a folder it loads code from. The
  site's files are read by the server, which runs as the caller.
* Every run proves that it can fail: a made-up page (served beside the start
  pages, under ``__linkcheck__/proof/``) holds a broken link and two broken
  anchors (one into a page LinkChecker parses for its links, one into a page
  it does not), and links that resolve. Each LinkChecker process must report
  exactly those faults, the anchors as found missing by the plugin above,
  before the check may say OK; they are left out of the report. Otherwise
  the check exits 2 ("the link check is not checking: ...").
* External links are not checked (no network in CI), only their syntax;
  ``--external`` checks them too (the scheduled workflow), in one process so
  that no external host is asked twice.

Exit status: 0 when every link and anchor resolves; 1 on any broken link,
broken anchor or other LinkChecker warning; 2 when the check could not run,
or could not prove that it catches a broken link and a broken anchor.
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
# The module that runs LinkChecker (python -m): LinkChecker's own, through scripts/linkcheck_run.py.
RUNNER = "scripts.linkcheck_run"
# LinkChecker's HOME and XDG_DATA_HOME: it loads plugins from linkchecker/plugins/ in there.
LINKCHECK_HOME = Path(__file__).with_name("linkcheck_home")
BASE_PATH = "/kb/"
# The pages that the server makes up (not files of the site): start pages, and the proof.
START_DIR = "__linkcheck__"
# The made-up page holding the seeded faults, and the pages its links point to.
PROOF_PAGE = f"{START_DIR}/proof/"
# Linked from the start pages, so parsed for its links; "unlisted/" is not.
PROOF_TARGET = "target/"
# The links of the proof page that must be reported (as written there), and as what.
SEEDED_FAULTS = {
    "missing/": "broken link",
    "target/#missing-anchor": "broken anchor",
    "unlisted/#missing-anchor": "broken anchor",
}
PROOF_GOOD_LINKS = ("target/#present", "unlisted/#present")
# What the per-page anchor plugin adds to the info of a missing anchor (see its module).
PLUGIN_NOTE = "Anchor checked by the anchors_per_page plugin"
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


def html_page(title: str, body: str) -> bytes:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} (made up by scripts/linkcheck.py)</title></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    ).encode()


def link_list(links: Sequence[tuple[str, str]]) -> str:
    """``<ul>`` of (href, text) links; the href is given URL-quoted."""
    items = "\n".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for href, text in links)
    return f"<ul>\n{items}\n</ul>"


def start_pages(pages: Sequence[str], jobs: int) -> dict[str, bytes]:
    """``jobs`` made-up pages (path -> HTML) that link every page between them,
    and each the proof page and its target."""
    shares: list[list[str]] = [[] for _ in range(jobs)]
    for i, page in enumerate(pages):
        shares[i % jobs].append(page)
    # The start pages are one level down (START_DIR/): "../" is the root.
    proof = [("proof/", "the proof"), ("proof/" + PROOF_TARGET, "the proof's target")]
    result = {}
    for n, share in enumerate(shares, start=1):
        links = [("../" if p == "./" else "../" + urllib.parse.quote(p), p) for p in share]
        result[f"{START_DIR}/start-{n}-of-{jobs}.html"] = html_page(
            f"Pages to check, share {n} of {jobs}", link_list(links + proof)
        )
    return result


def proof_pages() -> dict[str, bytes]:
    """The made-up proof page (path -> HTML), with the seeded faults and good links, and the pages
    they point to, which have the anchor ``present`` only (``missing/`` is missing)."""
    links = [(href, href) for href in sorted([*SEEDED_FAULTS, *PROOF_GOOD_LINKS])]
    target = '<h2 id="present">An anchor that is there</h2>'
    return {
        PROOF_PAGE: html_page("Seeded faults the check must report", link_list(links)),
        PROOF_PAGE + PROOF_TARGET: html_page("A target of the seeded links", target),
        PROOF_PAGE + "unlisted/": html_page("A target no start page links to", target),
    }


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
    info: tuple[str, ...] = ()

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


@dataclasses.dataclass(frozen=True)
class Run:
    """One LinkChecker process: its exit status, its CSV rows, and what else it said."""

    code: int
    rows: list[Result]
    said: str  # its stderr, and any stdout line that is neither CSV nor a comment
    stdout: str


def linkchecker_command(start_url: str, *, external: bool, threads: int | None, config: Path) -> list[str]:
    cmd = [sys.executable, "-m", RUNNER, "--config", str(config)]
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


def run_linkchecker(start_url: str, *, external: bool, threads: int | None, config: Path, home: Path) -> Run:
    proc = subprocess.run(
        linkchecker_command(start_url, external=external, threads=threads, config=config),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=linkchecker_env(home),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    rows = parse_csv(proc.stdout)
    if proc.returncode not in (0, 1) or not rows:
        raise LinkcheckError(
            f"LinkChecker failed (exit status {proc.returncode}).\n--- its stderr ---\n"
            f"{proc.stderr.strip()}\n--- its stdout ---\n{proc.stdout.strip()[:4000]}"
        )
    if proc.returncode == 1 and not any(r.failed for r in rows):
        raise LinkcheckError(f"LinkChecker exited 1 with no failed URL in its report.\n{proc.stderr.strip()}")
    said = "\n".join([*stray_lines(proc.stdout), *proc.stderr.strip().splitlines()])
    return Run(proc.returncode, rows, said, proc.stdout)


def csv_lines(text: str) -> tuple[list[str], list[str]]:
    """LinkChecker's stdout, less its ``# `` comments, split into what comes before the CSV
    header (messages, such as a plugin it could not load) and the CSV."""
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("# ")]
    start = next((i for i, ln in enumerate(lines) if ln.startswith("urlname;")), len(lines))
    return lines[:start], lines[start:]


def stray_lines(text: str) -> list[str]:
    return [ln.rstrip("\n") for ln in csv_lines(text)[0] if ln.strip()]


def parse_csv(text: str) -> list[Result]:
    """Rows of LinkChecker's CSV output (``# `` lines are its comments)."""
    before, lines = csv_lines(text)
    if not lines:
        if any(ln.strip() for ln in before):
            raise LinkcheckError("unexpected LinkChecker output (no CSV header):\n" + text[:2000])
        return []
    rows = list(csv.reader(io.StringIO("".join(lines)), delimiter=";", quotechar='"'))
    header, body = rows[0], rows[1:]
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
                warnings=split_messages(r["warningstring"]),
                info=split_messages(r.get("infostring", "")),
            )
        )
    return results


def split_messages(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.splitlines() if w.strip())


# --------------------------------------------------------------------------
# The proof that the check can fail


def proof_problems(run: Run, root_url: str) -> list[str]:
    """How one LinkChecker process failed to report exactly the seeded faults (empty if it did)."""
    proof_url = root_url + PROOF_PAGE
    seeded = [r for r in run.rows if r.parent == proof_url]
    if not seeded:
        return [f"did not check the links of the page made up to prove it ({PROOF_PAGE})"]
    failed = {r.url: r for r in seeded if r.failed}
    problems = []
    for url, kind in SEEDED_FAULTS.items():
        res = failed.get(url)
        if res is None:
            problems.append(f"did not report the seeded {kind} {url}")
        elif res.kind != kind:
            problems.append(f"reported the seeded {kind} {url} as a {res.kind} ({reasons(res)})")
    problems += [
        f"reported {url}, which resolves, as a {res.kind} ({reasons(res)})"
        for url, res in sorted(failed.items())
        if url not in SEEDED_FAULTS
    ]
    if not any(failed.get(url) for url, kind in SEEDED_FAULTS.items() if kind == "broken anchor"):
        problems.append(
            "so no anchor is checked at all (is there an [AnchorCheck] section in the configuration? "
            "did LinkChecker load and run its AnchorCheck plugin?)"
        )
    if not problems and run.code != 1:
        problems.append(f"exited {run.code} although it reported faults")
    return problems


def plugin_problems(run: Run, root_url: str) -> list[str]:
    """The seeded broken anchors that the per-page anchor plugin did not mark as its finding."""
    proof_url = root_url + PROOF_PAGE
    return [
        r.url
        for r in run.rows
        if r.parent == proof_url and r.kind == "broken anchor" and not any(PLUGIN_NOTE in i for i in r.info)
    ]


def prove(runs: Sequence[Run], root_url: str, home: Path) -> None:
    """Raise unless every LinkChecker process reported exactly the seeded faults, the anchors
    through the per-page anchor plugin."""
    for n, run in enumerate(runs, start=1):
        which = f"LinkChecker process {n} of {len(runs)}" if len(runs) > 1 else "LinkChecker"
        problems = proof_problems(run, root_url)
        if problems:
            raise LinkcheckError(f"the link check is not checking: {which} {'; '.join(problems)}.{what_it_said(run)}")
        unmarked = plugin_problems(run, root_url)
        if unmarked:
            plugins = home / "linkchecker" / "plugins"
            raise LinkcheckError(
                f"the per-page anchor plugin did not run: {which} found the seeded broken anchors "
                f"{', '.join(unmarked)} without it (with its own AnchorCheck, which parses a page again "
                f"for every anchor into it). Is {plugins}/ there, readable, and not writable by others "
                f"(LinkChecker {metadata.version('LinkChecker')} loads no plugin from such a folder)?"
                f"{what_it_said(run)}"
            )


def reasons(res: Result) -> str:
    return " ".join([*([] if res.valid else [res.result or "invalid"]), *res.warnings])


def what_it_said(run: Run) -> str:
    return f"\n--- what LinkChecker said ---\n{run.said[:4000]}" if run.said else ""


def seeded_counts() -> dict[str, int]:
    """How many faults of each kind are seeded: {"broken link": 1, "broken anchor": 2}."""
    kinds = list(SEEDED_FAULTS.values())
    return {kind: kinds.count(kind) for kind in dict.fromkeys(kinds)}


def is_made_up(url: str, root_url: str) -> bool:
    """Whether ``url`` is one of the pages the server makes up (start pages, the proof)."""
    return url.startswith(root_url + START_DIR + "/")


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
    config: Path | None = None,
    home: Path | None = None,
) -> int:
    """Check ``site`` (with LinkChecker's ``config`` file and ``home`` folder, by default ours);
    print a report to ``out``; return the exit status."""
    out = out or sys.stdout
    config, home = config or CONFIG, home or LINKCHECK_HOME
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
    with serve(site, {**starts, **proof_pages()}) as (root_url, served):
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
                    lambda start: run_linkchecker(
                        root_url + start, external=external, threads=threads, config=config, home=home
                    ),
                    starts,
                )
            )
    elapsed = time.monotonic() - started
    if raw is not None:
        raw.write_text("".join(run.stdout for run in runs), encoding="utf-8")
    prove(runs, root_url, home)
    print(
        f"linkcheck: it can fail: {'each LinkChecker process' if jobs > 1 else 'LinkChecker'} reported the "
        f"faults seeded in {PROOF_PAGE} ({', '.join(plural(n, kind) for kind, n in seeded_counts().items())}; "
        "left out of this report)",
        file=out,
    )
    results = [r for run in runs for r in run.rows if not is_made_up(r.real_url, root_url)]
    return report(results, root_url, site_label, fmt, out, f"{plural(served[0], 'request')}; {elapsed:.1f} s", external)


def report(
    results: Sequence[Result], root_url: str, site_label: str, fmt: str, out, timing: str, external: bool
) -> int:
    """Print every failed result and a summary; return the exit status."""
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
        f"{len(urls) - len(internal)} elsewhere{' (checked)' if external else ' (syntax only)'}; {timing}"
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
    parser.add_argument(
        "--raw", type=Path, help="also write LinkChecker's CSV output to this file (the seeded faults included)"
    )
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
