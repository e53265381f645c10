"""scripts/linkcheck.py: the real LinkChecker over a small real MkDocs site.

One minimal Material site is built once (pages linking each other with
anchors on directory URLs, a 404.html and sitemaps with absolute URLs of the
published site, a mailto: link, an external link); each test copies it,
seeds one fault into the built HTML and expects the check to fail and name
the fault. The clean copy must pass: the false positives are handled by the
configuration.
"""

from __future__ import annotations

import configparser
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

from scripts import linkcheck

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = linkcheck.LINKCHECK_HOME / "linkchecker" / "plugins" / "anchors_per_page.py"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}

MKDOCS_YML = """\
site_name: Link check test
site_url: https://example.org/kb/
use_directory_urls: true
strict: true
theme:
  name: material
  font: false
plugins:
  - search
markdown_extensions:
  - attr_list
nav:
  - Home: index.md
  - About: about.md
  - People: people/index.md
"""

PAGES = {
    "index.md": """\
# Home

Read [the second section](about.md#section-two) and see
[Eddie Wu, Chief Scientist](people/eddie-wu.md#role-chief-scientist).
Write to [the editors](mailto:editors@example.org), or read
[elsewhere](https://example.com/page#part).
""",
    "about.md": """\
# About

## Section one

Back [home](index.md).

## Section two

To the [people](people/index.md).
""",
    "people/index.md": """\
# People

- [Eddie Wu](eddie-wu.md)
""",
    "people/eddie-wu.md": """\
# Eddie Wu

## Chief Scientist {#role-chief-scientist}

See [section one](../about.md#section-one) and the [home page](../index.md).
""",
}


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("linkcheck-site")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    for name, text in PAGES.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "site"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    site = root / "site"
    # The traps the configuration must handle are really there:
    assert 'href="/kb/' in (site / "404.html").read_text(encoding="utf-8")
    assert (site / "sitemap.xml").is_file() and (site / "sitemap.xml.gz").is_file()
    assert 'href="about/#section-two"' in (site / "index.html").read_text(encoding="utf-8")
    return site


@pytest.fixture
def site(built_site, tmp_path) -> Path:
    """A fresh copy of the built site, to seed faults into."""
    return Path(shutil.copytree(built_site, tmp_path / "site"))


def seed(site: Path, page: str, old: str, new: str) -> None:
    """Replace the first ``old`` by ``new`` in a built page."""
    path = site / page
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {page}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_check(site: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = linkcheck.check(site, out=out)
    return code, out.getvalue()


@pytest.mark.slow
def test_clean_site_passes_from_the_command_line(built_site):
    proc = subprocess.run(
        [sys.executable, "-m", "scripts.linkcheck", str(built_site)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "linkcheck: OK: every link and anchor resolves" in proc.stdout
    # Every page was checked, 404.html included (found, not followed).
    assert "checking 5 pages" in proc.stdout
    # It proved that it can fail, in each of its processes, and kept the seeded faults out of the report.
    assert (
        "linkcheck: it can fail: each LinkChecker process reported the faults seeded in __linkcheck__/proof/ "
        "(1 broken link, 2 broken anchors; left out of this report)"
    ) in proc.stdout
    assert "missing-anchor" not in proc.stdout


@pytest.mark.slow
def test_broken_link_fails_and_is_named(site):
    seed(site, "index.html", 'href="people/eddie-wu/#role-chief-scientist"', 'href="people/nobody/"')
    code, out = run_check(site)
    assert code == 1, out
    assert "broken link: people/nobody/ ->" in out
    assert f"{site}/index.html:" in out  # the page holding it, with line and column
    assert "404" in out
    assert "linkcheck: FAILED: 1 broken link, 0 broken anchors" in out
    # The seeded faults were caught, and are not in the report.
    assert "linkcheck: it can fail:" in out
    assert [line for line in out.splitlines() if "__linkcheck__" in line and "it can fail" not in line] == []


@pytest.mark.slow
def test_broken_anchor_on_a_directory_url_fails_and_is_named(site):
    seed(site, "index.html", 'href="about/#section-two"', 'href="about/#section-nine"')
    code, out = run_check(site)
    assert code == 1, out
    assert "broken anchor: about/#section-nine ->" in out
    assert f"{site}/about/index.html#section-nine" in out
    assert "Anchor `section-nine' not found" in out
    assert "`section-two'" in out  # the anchors that are there are listed
    assert "0 broken links, 1 broken anchor" in out


@pytest.mark.slow
def test_broken_anchor_on_an_orphan_page_is_found(site):
    """A page that nothing links to is checked too."""
    orphan = site / "people" / "orphan" / "index.html"
    orphan.parent.mkdir()
    shutil.copy(site / "people" / "eddie-wu" / "index.html", orphan)
    seed(site, "people/orphan/index.html", "../../about/#section-one", "../../about/#no-such-section")
    code, out = run_check(site)
    assert code == 1, out
    assert "checking 6 pages" in out
    assert f"{site}/people/orphan/index.html:" in out
    assert "broken anchor: ../../about/#no-such-section" in out
    assert "1 broken anchor" in out


@pytest.mark.slow
def test_root_absolute_link_fails_as_on_a_project_site(site):
    """GitHub Pages serves a project site under /<repo>/: /about/ leaves it."""
    seed(site, "people/eddie-wu/index.html", 'href="../../about/#section-one"', 'href="/about/"')
    code, out = run_check(site)
    assert code == 1, out
    assert "broken link: /about/ ->" in out
    assert "root-absolute" in out


@pytest.mark.slow
def test_redirect_is_a_failure(site):
    """A directory link without its slash works only through a redirect."""
    seed(site, "index.html", 'href="about/#section-two"', 'href="about"')
    code, out = run_check(site)
    assert code == 1, out
    assert "warning: about ->" in out
    assert "301" in out


def test_missing_site_directory_is_a_clear_error(tmp_path, capsys):
    assert linkcheck.main([str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert "no site directory" in err and "make build" in err


def test_directory_without_index_is_an_error(tmp_path, capsys):
    assert linkcheck.main([str(tmp_path)]) == 2
    assert "index.html" in capsys.readouterr().err


def test_server_lifts_linkcheckers_throttle_and_serves_under_a_sub_path(tmp_path):
    (tmp_path / "index.html").write_text("<p id=a>é</p>", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    with linkcheck.serve(tmp_path) as (root_url, served):
        assert root_url.startswith("http://127.0.0.1:") and root_url.endswith(linkcheck.BASE_PATH)
        with urllib.request.urlopen(root_url) as resp:
            # linkcheck/checker/httpurl.py: `if "LinkChecker" in self.headers`
            assert "LinkChecker" in resp.headers
            assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
        origin = root_url[: -len(linkcheck.BASE_PATH)]
        for url in (origin + "/index.html", root_url + "empty/", root_url + "missing/"):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(url)
            assert info.value.code == 404
        assert served[0] == 4


def test_config_raises_the_request_rate_and_checks_anchors():
    import configparser

    rc = configparser.RawConfigParser()
    rc.read(linkcheck.CONFIG, encoding="utf-8")
    assert rc.getfloat("checking", "maxrequestspersecond") >= 1000
    assert rc.has_section("AnchorCheck")
    assert not rc.has_option("filtering", "ignorewarnings")
    assert not rc.getboolean("filtering", "checkextern", fallback=False)


def test_start_pages_share_out_every_page():
    pages = ["./", "404.html", "a/", "b/", "c d/"]
    starts = linkcheck.start_pages(pages, 2)
    assert len(starts) == 2
    html = b"".join(starts.values()).decode()
    for href in ('href="../"', 'href="../404.html"', 'href="../a/"', 'href="../b/"', 'href="../c%20d/"'):
        assert html.count(href) == 1, href


def test_parse_csv_reads_linkcheckers_rows():
    text = (
        "# created by LinkChecker\n"
        "urlname;parentname;base;result;warningstring;infostring;valid;url;line;column;name;"
        "dltime;size;checktime;cached;level;modified\n"
        "http://h/kb/s.html;;;200 OK;;;True;http://h/kb/s.html;1;2;3;0;0;0;\n"
        'a/#x;http://h/kb/;;200 OK;"Anchor `x\' not found.\nSecond warning.";;True;'
        "http://h/kb/a/#x;12;5;;1;2;3;0;2;\n"
        "# Stopped checking\n"
    )
    start, anchor = linkcheck.parse_csv(text)
    assert start.line == "" and not start.failed
    assert anchor.kind == "broken anchor" and anchor.line == "12" and anchor.column == "5"
    assert anchor.warnings == ("Anchor `x' not found.", "Second warning.")


TRICKY_HTML = """<!doctype html><html><head><title id="t">x</title>
<script>var s = '<a id="in-script">';</script><style>#x { color: red }</style></head>
<body><h2 ID="Upper">A</h2><a name="named" id="both">b</a><a name="only-name">c</a>
<p name="not-an-anchor">d</p><div id="a&amp;b"><span id="caf&eacute;">e</span></div>
<!-- <div id="in-comment"> --><img id="img" src="x.png"><p id=unquoted>f</p>
<p id="dup" id="second">g</p><section id="">h</section><meta id="m1" content="x"><form id="f1" method="post">
</form><form id="f2" action="a.html"></form><link id="l1" rel="preconnect" href="https://x.org">
<img id="pic" alt="A picture"><base href="https://x.org/"><a id="after-base">i</a></body></html>"""


def _linkchecker_anchors(html_text: str) -> list:
    """The anchors as LinkChecker's own AnchorCheck collects them."""
    from linkcheck.htmlutil import htmlsoup, linkparse
    from linkcheck.plugins.anchorcheck import UrlAnchorCheck

    checker = UrlAnchorCheck()
    linkparse.find_links(htmlsoup.make_soup(html_text.encode()), checker.add_anchor, linkparse.AnchorTags)
    return checker.anchors


def load_plugin():
    """The per-page anchor plugin, loaded from its file as LinkChecker loads it."""
    spec = importlib.util.spec_from_file_location("anchors_per_page", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_anchors_are_those_linkchecker_collects():
    from linkcheck.htmlutil import htmlsoup

    anchors_of = load_plugin().anchors_of
    expected = _linkchecker_anchors(TRICKY_HTML)
    assert anchors_of(htmlsoup.make_soup(TRICKY_HTML.encode())) == expected
    assert {"t", "Upper", "named", "both", "only-name", "a&b", "café", "img", "unquoted"} <= {a[0] for a in expected}


@pytest.mark.slow
def test_anchors_of_every_built_page_are_those_linkchecker_collects(built_site):
    from linkcheck.htmlutil import htmlsoup

    anchors_of = load_plugin().anchors_of
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert anchors_of(htmlsoup.make_soup(text.encode())) == _linkchecker_anchors(text), page


def test_the_plugin_marks_what_the_check_looks_for():
    assert load_plugin().CHECKED_HERE.startswith(linkcheck.PLUGIN_NOTE)


def test_the_runner_finds_what_it_replaces_in_linkchecker(monkeypatch):
    import linkcheck.command.linkchecker as command

    from scripts import linkcheck_run

    assert linkcheck_run.missing_patch_points() == []  # the pinned release

    def linkchecker():  # a release that dropped privileges some other way
        pass

    monkeypatch.setattr(command, "linkchecker", linkchecker)
    assert linkcheck_run.missing_patch_points() == [
        "linkcheck.command.linkchecker.linkchecker calling drop_privileges by name"
    ]


# --------------------------------------------------------------------------
# The proof that the check can fail, in every run


def config_without(tmp_path: Path, section: str) -> Path:
    rc = configparser.RawConfigParser()
    rc.read(linkcheck.CONFIG, encoding="utf-8")
    assert rc.remove_section(section)
    path = tmp_path / "linkcheckerrc"
    with path.open("w", encoding="utf-8") as f:
        rc.write(f)
    return path


@pytest.fixture
def open_tmp() -> Path:
    """A folder anyone may read (pytest's own is its owner's only): LinkChecker started as root
    reads its plugins as nobody."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)
        yield Path(tmp)


def plugin_home(folder: Path, name: str, source: str) -> Path:
    """A LinkChecker home whose plugin folder holds one plugin file."""
    home = folder / "home"
    folder = home / "linkchecker" / "plugins"
    folder.mkdir(parents=True)
    (folder / name).write_text(source, encoding="utf-8")
    return home


@pytest.mark.slow
def test_without_anchor_checking_the_check_is_not_checking(site, tmp_path, monkeypatch, capsys):
    """The configuration that made a broken anchor pass unseen: no [AnchorCheck] section."""
    seed(site, "index.html", 'href="about/#section-two"', 'href="about/#section-nine"')
    monkeypatch.setattr(linkcheck, "CONFIG", config_without(tmp_path, "AnchorCheck"))
    assert linkcheck.main([str(site), "--jobs", "1"]) == 2
    captured = capsys.readouterr()
    assert "linkcheck: OK" not in captured.out
    err = captured.err
    assert err.startswith("linkcheck: error: the link check is not checking: LinkChecker did not report the seeded ")
    assert "broken anchor target/#missing-anchor" in err and "broken anchor unlisted/#missing-anchor" in err
    assert "so no anchor is checked at all" in err
    assert "seeded broken link" not in err  # links were checked
    assert "Traceback" not in err


BROKEN_PLUGIN = '''
from linkcheck.plugins import _ContentPlugin


class AnchorCheck(_ContentPlugin):
    """Stands for a plugin that a LinkChecker release broke: it runs, and finds nothing."""

    def applies_to(self, url_data):
        return bool(url_data.anchor)

    def check(self, url_data):
        url_data.anchor = ""
'''


@pytest.mark.slow
def test_a_broken_anchor_plugin_is_caught(site, open_tmp):
    home = plugin_home(open_tmp, "anchors_per_page.py", BROKEN_PLUGIN)
    with pytest.raises(linkcheck.LinkcheckError, match="^the link check is not checking: LinkChecker did not report"):
        linkcheck.check(site, jobs=1, home=home, out=io.StringIO())


@pytest.mark.slow
def test_without_the_per_page_plugin_it_says_so(site, tmp_path):
    """LinkChecker's own AnchorCheck alone checks anchors right, but slowly: that is not the design."""
    home = tmp_path / "empty-home"
    home.mkdir()
    with pytest.raises(linkcheck.LinkcheckError) as info:
        linkcheck.check(site, jobs=1, home=home, out=io.StringIO())
    message = str(info.value)
    assert message.startswith("the per-page anchor plugin did not run: LinkChecker found the seeded broken anchors")
    assert "target/#missing-anchor, unlisted/#missing-anchor" in message
    assert "not checking" not in message


def made_up_run(rows: list[tuple[str, bool, str]], code: int = 1) -> linkcheck.Run:
    """A Run of LinkChecker rows (url on the proof page, valid, warning) on http://h/kb/."""
    parent = "http://h/kb/" + linkcheck.PROOF_PAGE
    results = [
        linkcheck.Result(
            url, parent + url, parent, "1", "1", valid, "" if valid else "404 Not Found", (w,) if w else ()
        )
        for url, valid, w in rows
    ]
    return linkcheck.Run(code, results, "", "")


GOOD_PROOF = [
    ("missing/", False, ""),
    ("target/#missing-anchor", True, "Anchor `missing-anchor' not found."),
    ("unlisted/#missing-anchor", True, "Anchor `missing-anchor' not found."),
    ("target/#present", True, ""),
    ("unlisted/#present", True, ""),
]


def test_the_proof_requires_exactly_the_seeded_faults():
    assert linkcheck.proof_problems(made_up_run(GOOD_PROOF), "http://h/kb/") == []
    # The broken link not reported:
    rows = [("missing/", True, ""), *GOOD_PROOF[1:]]
    assert linkcheck.proof_problems(made_up_run(rows), "http://h/kb/") == [
        "did not report the seeded broken link missing/"
    ]
    # A link that resolves reported as broken:
    rows = [*GOOD_PROOF[:3], ("target/#present", True, "Anchor `present' not found."), GOOD_PROOF[4]]
    [problem] = linkcheck.proof_problems(made_up_run(rows), "http://h/kb/")
    assert problem.startswith("reported target/#present, which resolves, as a broken anchor")
    # A seeded fault reported as something else:
    rows = [("missing/", True, "Redirected."), *GOOD_PROOF[1:]]
    [problem] = linkcheck.proof_problems(made_up_run(rows), "http://h/kb/")
    assert problem.startswith("reported the seeded broken link missing/ as a warning")
    # The faults reported, but LinkChecker said all was well:
    assert linkcheck.proof_problems(made_up_run(GOOD_PROOF, code=0), "http://h/kb/") == [
        "exited 0 although it reported faults"
    ]
    # The proof page not checked at all:
    assert linkcheck.proof_problems(linkcheck.Run(1, [], "", ""), "http://h/kb/") == [
        f"did not check the links of the page made up to prove it ({linkcheck.PROOF_PAGE})"
    ]


def test_the_proof_pages_hold_the_seeded_faults():
    pages = linkcheck.proof_pages()
    proof = pages[linkcheck.PROOF_PAGE].decode()
    for href in [*linkcheck.SEEDED_FAULTS, *linkcheck.PROOF_GOOD_LINKS]:
        assert f'href="{href}"' in proof
    for target in ("target/", "unlisted/"):
        assert 'id="present"' in pages[linkcheck.PROOF_PAGE + target].decode()
    assert linkcheck.PROOF_PAGE + "missing/" not in pages
    # Every start page links the proof page and one target (parsed for its links), not the other.
    for start in linkcheck.start_pages(["./", "a/"], 2).values():
        assert b'href="proof/"' in start and b'href="proof/target/"' in start and b"unlisted" not in start


# --------------------------------------------------------------------------
# Started as root: LinkChecker drops its privileges to nobody


needs_root = pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root")


def private_linkcheck(tmp_path: Path) -> Path:
    """A copy of LinkChecker's package in a folder that nobody may read (as a clone in a private
    folder holds its virtualenv); returns the folder to put on PYTHONPATH."""
    import linkcheck as lc

    private = tmp_path / "private"
    shutil.copytree(
        Path(lc.__file__).parent, private / "lib" / "linkcheck", ignore=shutil.ignore_patterns("__pycache__")
    )
    private.chmod(0o700)
    return private / "lib"


@needs_root
def test_as_root_a_folder_nobody_cannot_read_is_found():
    from scripts import linkcheck_run

    # Not in pytest's folder, which only its owner may enter.
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)
        open_dir, closed_dir = Path(tmp, "open"), Path(tmp, "closed")
        open_dir.mkdir(mode=0o755)
        closed_dir.mkdir(mode=0o700)
        uid = linkcheck_run.dropped_uid()
        assert uid is not None and uid != 0
        assert linkcheck_run.unlistable([str(open_dir), str(closed_dir)], uid) == [str(closed_dir)]
    assert os.geteuid() == 0  # given back


@needs_root
@pytest.mark.slow
def test_as_root_linkchecker_on_its_own_checks_no_anchor_and_that_is_caught(site, tmp_path, monkeypatch):
    """The fault as it was: LinkChecker, as nobody, cannot list its own plugins and loads none."""
    monkeypatch.setenv("PYTHONPATH", str(private_linkcheck(tmp_path)))
    monkeypatch.setattr(linkcheck, "RUNNER", "linkcheck")  # LinkChecker itself, not our runner
    empty_home = tmp_path / "home"
    empty_home.mkdir()
    seed(site, "index.html", 'href="about/#section-two"', 'href="about/#section-nine"')
    with pytest.raises(linkcheck.LinkcheckError) as info:
        linkcheck.check(site, jobs=1, home=empty_home, out=io.StringIO())
    message = str(info.value)
    assert message.startswith("the link check is not checking: LinkChecker did not report the seeded broken anchor")
    assert "dropping privileges by changing user to nobody" in message  # what LinkChecker said


@needs_root
@pytest.mark.slow
def test_as_root_the_runner_keeps_linkchecker_loading_its_plugins(site, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(private_linkcheck(tmp_path)))
    seed(site, "index.html", 'href="about/#section-two"', 'href="about/#section-nine"')
    pages = linkcheck.site_pages(site)
    [(start, _)] = linkcheck.start_pages(pages, 1).items()
    with linkcheck.serve(site, {**linkcheck.start_pages(pages, 1), **linkcheck.proof_pages()}) as (root_url, _):
        run = linkcheck.run_linkchecker(
            root_url + start, external=False, threads=0, config=linkcheck.CONFIG, home=linkcheck.LINKCHECK_HOME
        )
    assert "staying root" in run.said
    assert linkcheck.proof_problems(run, root_url) == [] and linkcheck.plugin_problems(run, root_url) == []
    [broken] = [r for r in run.rows if r.failed and not linkcheck.is_made_up(r.real_url, root_url)]
    assert broken.url == "about/#section-nine" and broken.kind == "broken anchor"
