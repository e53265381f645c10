"""`kb new source`: a source record from a saved web page or text file (macros/kb/intake.py,
macros/kb/intake_html.py), on the pages of tests/fixtures/intake/ written for these tests."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, run_kb

from macros.kb.canonical import canonical
from macros.kb.coverage import NO_CLAIM_PLACEHOLDER
from macros.kb.intake import clean_date, clean_url, record_id
from macros.kb.quotes import split_sentences

PAGES = FIXTURES / "intake"
ROOT = Path(__file__).resolve().parent.parent
NEWS_ID = "example-robotics-merges-its-two-research-labs-into-one-division"


def new_source(root: Path, *args: str):
    return run_kb(["new", "source", *args], root)


def record_of(data: Path, record: str) -> tuple[str, dict, str]:
    """The record file's text, its data and the archived text."""
    text = (data / "sources" / f"{record}.yml").read_text(encoding="utf-8")
    archive = (data / "sources" / f"{record}.txt").read_text(encoding="utf-8")
    return text, yaml.safe_load(text), archive


def problems(root: Path) -> list[str]:
    return [line for line in run_kb(["validate"], root).out.splitlines() if ": error[" in line]


# -- a news page with OpenGraph and JSON-LD metadata ------------------------------------------------


def test_a_news_page_gives_its_article_and_its_metadata(tiny_kb):
    root = tiny_kb.parent
    result = new_source(root, "--from", str(PAGES / "news-article.html"))
    assert result.code == 0, result.err
    assert result.out == (
        f"wrote data/sources/{NEWS_ID}.txt: the archived text, never to be edited\n"
        f"wrote data/sources/{NEWS_ID}.yml: check title, author, publisher, url, published (listed under "
        "`extracted:`) against the page; 12 sentences listed under no_claim: cite those that carry a claim, "
        "write the reason of the others; `make validate` lists what is left\n"
    )
    text, record, archive = record_of(tiny_kb, NEWS_ID)
    assert archive.splitlines() == [
        "Example Robotics merges its two research labs into one division",
        "Example Robotics Inc. Chief Executive Daniel R. Moreau announced on Monday that the company will merge "
        "its Vision Lab and its Motion Lab into a single Robotics Research Division. The new division will be led "
        "by Dr. Amara Okafor, who joined the company from a U.S. university in 2024.",
        "Mr. Moreau said the merger would help the company compete with Acme Corp. Japan’s largest maker of "
        "warehouse robots, and with Globex Ltd. The two rivals did not comment.",
        "What changes for the labs",
        "The plan was approved by the board on Jan. 12, according to a company filing. Mrs. Helen Park, the "
        "company’s No. 2 executive, will keep her role as head of operations.",
        "- The Vision Lab’s camera team moves to the new division.",
        "- The Motion Lab’s test track in Osaka stays open.",
        "“We are building one team, not two,” Dr. Okafor said. Analysts compared the move with earlier mergers "
        "in the industry, e.g. Acme’s merger of its sensor units in 2023.",
    ]
    assert "The Example Gazette" not in archive and "By Maria" not in archive  # site name and byline
    assert {k: record[k] for k in ("id", "title", "kind", "author", "publisher", "url", "published")} == {
        "id": NEWS_ID,
        "title": "Example Robotics merges its two research labs into one division",
        "kind": "news-report",
        "author": "Maria K. Lindqvist",  # as declared: trafilatura's own metadata drops the period
        "publisher": "The Example Gazette",
        "url": "https://news.example.org/2026/06/example-robotics-merges-labs",
        "published": "2026-06-08",  # the day in the page's own time zone (+08:00)
    }
    assert record["extracted"] == ["title", "author", "publisher", "url", "published"]
    assert record["archive"] == f"{NEWS_ID}.txt"
    assert record["sha256"] == hashlib.sha256((tiny_kb / "sources" / f"{NEWS_ID}.txt").read_bytes()).hexdigest()
    # Every sentence, in order, in full; the splitter keeps "Daniel R. Moreau", "Dr.", "U.S.", "Mr.",
    # "Acme Corp. Japan's", "Jan. 12", "Mrs.", "No. 2" and "e.g." inside their sentences.
    assert [entry["quote"] for entry in record["no_claim"]] == [archive[s:e] for s, e in split_sentences(archive)]
    assert len(record["no_claim"]) == 12
    assert {entry["reason"] for entry in record["no_claim"]} == {NO_CLAIM_PLACEHOLDER}
    assert canonical("source", text) == text  # `make fmt-check` passes on it as written


def test_the_new_record_fails_only_on_its_placeholder_reasons_until_they_are_written(tiny_kb):
    root = tiny_kb.parent
    assert new_source(root, "--from", str(PAGES / "news-article.html")).code == 0
    found = problems(root)
    assert len(found) == 12
    assert all(p.startswith(f"data/sources/{NEWS_ID}.yml:") and "error[placeholder]" in p for p in found), found

    path = tiny_kb / "sources" / f"{NEWS_ID}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(NO_CLAIM_PLACEHOLDER, "Not used here."), "utf-8")
    assert problems(root) == []
    # Once the reviewer has checked the fields and emptied the list, it still passes.
    text = path.read_text(encoding="utf-8")
    start = text.index("extracted:\n")
    path.write_text(text[:start] + text[text.index("archive:", start) :], encoding="utf-8")
    assert problems(root) == []
    assert run_kb(["fmt", "--check"], root).code == 0


def test_the_same_page_gives_the_same_bytes(tmp_path):
    outputs = []
    for name in ("one", "two"):
        (tmp_path / name / "data").mkdir(parents=True)
        assert new_source(tmp_path / name, "--from", str(PAGES / "news-article.html")).code == 0
        folder = tmp_path / name / "data" / "sources"
        outputs.append({p.name: p.read_bytes() for p in folder.iterdir()})
    assert outputs[0] == outputs[1]


# -- a page with no metadata ----------------------------------------------------------------------------


def test_a_page_without_metadata_needs_a_headline_and_guesses_nothing(tiny_kb):
    root = tiny_kb.parent
    refused = new_source(root, "--from", str(PAGES / "no-metadata.html"))
    assert refused.code == 1 and refused.out == ""
    assert refused.err == ("error: give the article's headline as NAME: the page's metadata gives no title\n")
    assert sorted(p.name for p in (tiny_kb / "sources").iterdir()) == [
        "alibaba-token-foundry-division.txt",
        "alibaba-token-foundry-division.yml",
    ]

    result = new_source(root, "--from", str(PAGES / "no-metadata.html"), "Council extends the night bus service")
    assert result.code == 0, result.err
    text, record, archive = record_of(tiny_kb, "council-extends-the-night-bus-service")
    assert record["title"] == "Council extends the night bus service"
    assert "extracted" not in record
    # "June 8, 2024" in the text is no publication date.
    assert (record["author"], record["url"], record["published"], record["publisher"]) == (None, None, None, None)
    assert archive.splitlines()[0].startswith("The city council voted on Tuesday")
    assert archive.splitlines()[-1].endswith("to be shared between the city and the port authority.")
    assert len(archive.splitlines()) == 3
    assert len(record["no_claim"]) == 6


# -- a page heavy with boilerplate ------------------------------------------------------------------


def test_a_page_heavy_with_boilerplate_gives_only_its_article(tiny_kb):
    root = tiny_kb.parent
    assert new_source(root, "--from", str(PAGES / "boilerplate.html")).code == 0
    text, record, archive = record_of(tiny_kb, "harbour-ferry-returns-after-winter-repairs")
    assert archive == (
        "Harbour ferry returns after winter repairs\n"
        "The harbour ferry resumed its crossings on Saturday morning after four months of repairs to its engines "
        "and hull. The first crossing left the north pier at seven o'clock with thirty passengers on board.\n"
        "The ferry operator said the repairs had cost more than expected because corrosion was found in the "
        "propeller shafts. Tickets will keep their winter prices until the end of the month.\n"
        "Regular passengers welcomed the return of the service, which shortens the journey to the island by "
        "almost an hour compared with the road bridge.\n"
    )
    for boilerplate in (
        "cookies",  # the cookie banner
        "Accept all",
        "Subscribe today",  # the navigation
        "Sport",
        "Home",  # the breadcrumbs
        "Share on",
        "Advertisement",
        "Related stories",
        "Bridge tolls",
        "newsletter",
        "Privacy policy",  # the footer
        "Copyright",
        "analytics",
    ):
        assert boilerplate.lower() not in archive.lower(), boilerplate
    # The title without the site's name after it; the author and address as declared.
    assert record["title"] == "Harbour ferry returns after winter repairs"
    assert record["author"] == "Tomas Berg"
    assert record["url"] == "https://coastline.example.com/news/harbour-ferry-returns"
    assert record["publisher"] is None  # the page names no publisher; its host name is no publisher's name
    assert record["published"] is None
    assert record["extracted"] == ["title", "author", "url"]


# -- metadata that breaks the record's rules ---------------------------------------------------------

HOSTILE = """<!DOCTYPE html>
<html><head>
<title>A page</title>
<meta property="og:title" content="  A   headline
 on two lines ">
<link rel="canonical" href="javascript:alert(1)">
<meta property="og:url" content="ftp://example.org/story">
<meta property="article:published_time" content="2026-02-30T10:00:00Z">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>
</head><body><article>
<p>This page's metadata breaks every rule of a source record, one field after another, on purpose.</p>
<p>Its text is what a reader would see: two paragraphs long enough to be taken for an article's body.</p>
</article></body></html>
"""


def test_metadata_that_breaks_the_rules_is_left_null(tiny_kb, tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(HOSTILE, encoding="utf-8")
    assert new_source(tiny_kb.parent, "--from", str(page)).code == 0
    _, record, _ = record_of(tiny_kb, "a-headline-on-two-lines")
    assert record["title"] == "A headline on two lines"
    assert (record["url"], record["published"]) == (None, None)
    assert record["extracted"] == ["title"]


def test_a_month_stays_a_month(tiny_kb, tmp_path):
    page = tmp_path / "month.html"
    page.write_text(
        HOSTILE.replace("2026-02-30T10:00:00Z", "2026-06").replace("javascript:alert(1)", "https://example.org/a"),
        encoding="utf-8",
    )
    assert new_source(tiny_kb.parent, "--from", str(page), "--id", "month-page").code == 0
    _, record, _ = record_of(tiny_kb, "month-page")
    # htmldate, which trafilatura's metadata uses, gives a day here: the page gives none.
    assert (record["published"], record["url"]) == ("2026-06", "https://example.org/a")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-06-08T09:30:00+08:00", "2026-06-08"),
        ("2026-06-08T23:30:00.000Z", "2026-06-08"),
        ("2026-06-08 09:30", "2026-06-08"),
        ("2026-06", "2026-06"),
        ("2026", "2026"),
        ("2026-02-30", None),
        ("2026-13", None),
        ("June 8, 2026", None),
        ("08/06/2026", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_date(value, expected):
    assert clean_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("ftp://example.org/a", None),
        ("//example.org/a", None),
        ("/relative/path", None),
        ("https://", None),
        ("https://example.org/a b", None),
        (None, None),
    ],
)
def test_clean_url(value, expected):
    assert clean_url(value) == expected


# -- a saved text file ---------------------------------------------------------------------------------

# No final newline, a run of spaces, a tab, CRLF line ends, typographic quotes: all kept.
TEXT_BYTES = "Headline of the piece\r\nIt said “so”.  Then\tit\u00a0stopped.\r\n\r\nMr. Wu agreed.".encode()


def test_a_text_file_is_archived_byte_for_byte(tiny_kb, tmp_path):
    saved = tmp_path / "article.txt"
    saved.write_bytes(TEXT_BYTES)
    result = new_source(tiny_kb.parent, "--from", str(saved), "Headline of the piece")
    assert result.code == 0, result.err
    assert (tiny_kb / "sources" / "headline-of-the-piece.txt").read_bytes() == TEXT_BYTES
    _, record, _ = record_of(tiny_kb, "headline-of-the-piece")
    assert record["sha256"] == hashlib.sha256(TEXT_BYTES).hexdigest()
    assert "extracted" not in record
    assert [e["quote"] for e in record["no_claim"]] == [
        "Headline of the piece",
        "It said “so”.",
        "Then\tit\u00a0stopped.",
        "Mr. Wu agreed.",
    ]
    found = problems(tiny_kb.parent)
    assert len(found) == 4 and all("error[placeholder]" in p for p in found), found


def test_a_text_file_needs_a_headline_and_utf8(tiny_kb, tmp_path):
    saved = tmp_path / "article.txt"
    saved.write_bytes(TEXT_BYTES)
    result = new_source(tiny_kb.parent, "--from", str(saved))
    assert (result.code, result.err) == (1, "error: give the article's headline as NAME\n")
    saved.write_bytes(b"caf\xe9 au lait")
    result = new_source(tiny_kb.parent, "--from", str(saved), "Coffee")
    assert (result.code, result.err) == (1, "error: article.txt: not UTF-8 text (byte 3): save the article as UTF-8\n")
    other = tmp_path / "article.pdf"
    other.write_bytes(b"%PDF-1.7")
    result = new_source(tiny_kb.parent, "--from", str(other), "Coffee")
    assert result.code == 1
    assert result.err == "error: article.pdf: give a saved text file (.txt) or web page (.html, .htm, .xhtml)\n"
    assert not (tiny_kb / "sources" / "coffee.yml").exists()


def test_a_text_file_is_read_without_any_html_library(tmp_path):
    """In a fresh interpreter: the command line and a text intake import neither trafilatura nor lxml."""
    saved = tmp_path / "article.txt"
    saved.write_bytes(TEXT_BYTES)
    (tmp_path / "data").mkdir()
    code = (
        "import sys\n"
        "from scripts.kb import main\n"
        f"assert main(['--data', {str(tmp_path / 'data')!r}, 'new', 'source', '--from', {str(saved)!r}, 'Headline']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'lxml', 'htmldate', 'courlan'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_page_is_read_without_the_network(tmp_path):
    """In a fresh interpreter that refuses every connection and name lookup: the page is read all the same."""
    (tmp_path / "data").mkdir()
    code = (
        "import sys\n"
        "def refuse(event, args):\n"
        "    if event.startswith(('socket.connect', 'socket.getaddrinfo', 'socket.gethostbyname', 'urllib.Request')):\n"
        "        raise RuntimeError('network used: ' + event)\n"
        "sys.addaudithook(refuse)\n"
        "from scripts.kb import main\n"
        f"assert main(['--data', {str(tmp_path / 'data')!r}, 'new', 'source', '--from', "
        f"{str(PAGES / 'news-article.html')!r}]) == 0\n"
        "assert 'trafilatura' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "sources" / f"{NEWS_ID}.txt").is_file()


# -- an archive already in place, and what is never overwritten --------------------------------------


def test_new_source_from_an_archive_already_saved_fills_in_its_sha256_and_sentences(tiny_kb):
    archive = tiny_kb / "sources" / "jack-ma-returns.txt"
    archive.write_bytes(TEXT_BYTES)
    result = new_source(tiny_kb.parent, "Jack Ma returns")
    assert result.code == 0, result.err
    assert result.out.startswith("wrote data/sources/jack-ma-returns.yml: 4 sentences listed under no_claim")
    _, record, _ = record_of(tiny_kb, "jack-ma-returns")
    assert record["sha256"] == hashlib.sha256(TEXT_BYTES).hexdigest()
    assert len(record["no_claim"]) == 4
    assert archive.read_bytes() == TEXT_BYTES


def test_an_archive_with_other_bytes_is_never_overwritten(tiny_kb, tmp_path):
    saved = tmp_path / "article.txt"
    saved.write_bytes(TEXT_BYTES)
    archive = tiny_kb / "sources" / "headline-of-the-piece.txt"
    archive.write_bytes(b"Another text.\n")
    result = new_source(tiny_kb.parent, "--from", str(saved), "Headline of the piece")
    assert result.code == 1
    assert result.err == (
        "error: data/sources/headline-of-the-piece.txt already exists with other bytes: an archived text is "
        "never overwritten; choose another --id\n"
    )
    assert archive.read_bytes() == b"Another text.\n"
    assert not (tiny_kb / "sources" / "headline-of-the-piece.yml").exists()
    # The same bytes are no conflict: the archive is left as it is and the record written.
    archive.write_bytes(TEXT_BYTES)
    result = new_source(tiny_kb.parent, "--from", str(saved), "Headline of the piece")
    assert result.code == 0 and "the archived text" not in result.out


def test_an_existing_record_is_never_overwritten(tiny_kb):
    record = tiny_kb / "sources" / "alibaba-token-foundry-division.yml"
    before = record.read_bytes()
    result = new_source(tiny_kb.parent, "Alibaba Token Foundry Division")
    assert result.code == 1
    assert (
        result.err
        == "error: data/sources/alibaba-token-foundry-division.yml already exists: edit it, or choose another --id\n"
    )
    assert record.read_bytes() == before


def test_from_is_for_sources_only(tiny_kb):
    result = run_kb(["new", "person", "Jane Doe", "--from", str(PAGES / "news-article.html")], tiny_kb.parent)
    assert result.code == 2 and result.err.startswith("error: --from makes a source")


# -- ids cut between words -------------------------------------------------------------------------

LONG_TITLE = (
    "Alibaba Creates Token Hub Group to Unite AI Development Under CEO Eddie Wu, Combining Tongyi Laboratory "
    "and the Qwen Unit"
)


def test_an_id_from_a_long_title_is_cut_between_words():
    made = record_id(LONG_TITLE)
    assert made == "alibaba-creates-token-hub-group-to-unite-ai-development-under-ceo-eddie-wu"
    assert len(made) <= 80
    assert (
        record_id("Zürich’s Bahnhofstraße: a new façade") == "zurich-s-bahnhofstrae-a-new-facade"
    )  # ß has no ASCII form
    assert record_id("阿里巴巴") == ""


@pytest.mark.parametrize("kind, folder", [("person", "people"), ("event", "events"), ("source", "sources")])
def test_kb_new_cuts_the_id_between_words(tiny_kb, kind, folder):
    title = "Token Foundry Division formed from the Tongyi Large Model Division and the Future Life Laboratory"
    result = run_kb(["new", kind, title], tiny_kb.parent)
    assert result.code == 0, result.err
    made = "token-foundry-division-formed-from-the-tongyi-large-model-division-and-the"
    assert (tiny_kb / folder / f"{made}.yml").is_file()
    assert len(made) <= 80 and title.lower().replace(" ", "-").startswith(made + "-")


def test_a_title_with_no_latin_letters_needs_an_id(tiny_kb):
    result = new_source(tiny_kb.parent, "阿里巴巴")
    assert (result.code, result.err) == (1, "error: no id can be made from the title '阿里巴巴': give one with --id\n")


def test_the_source_page_marks_the_fields_not_checked_yet(tiny_kb):
    from macros.kb.validate import validate
    from macros.rendering.source import SourceRenderer

    assert new_source(tiny_kb.parent, "--from", str(PAGES / "boilerplate.html")).code == 0
    path = tiny_kb / "sources" / "harbour-ferry-returns-after-winter-repairs.yml"
    text = path.read_text(encoding="utf-8").replace(NO_CLAIM_PLACEHOLDER, "Not used here.")
    path.write_text(text.replace("  - url\n", ""), encoding="utf-8")  # the address was checked
    report = validate(tiny_kb, tiny_kb.parent)
    assert report.ok, [p.as_text() for p in report.problems]
    source = report.kb.sources["harbour-ferry-returns-after-winter-repairs"]
    page = SourceRenderer(report.kb, f"sources/{source.id}/").source(source, report.coverage[source.id])
    rows = dict(re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", page))
    badge = "from the page's metadata, not checked yet"
    assert badge in rows["Title"] and badge in rows["Author"]
    assert badge not in rows["Address"] and "coastline.example.com" in rows["Address"]
    assert badge not in rows["Kind"] and badge not in rows["Published"]


@pytest.mark.parametrize(
    "content, error",
    [
        (b"", "error: page.html: it does not parse as an HTML page\n"),
        (
            b"<html><head><title>x</title></head><body></body></html>",
            "error: page.html: no article text was found in the page\n",
        ),
    ],
)
def test_a_page_without_an_article_is_refused(tiny_kb, tmp_path, content, error):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    result = new_source(tiny_kb.parent, "--from", str(page), "A headline")
    assert (result.code, result.out, result.err) == (1, "", error)
    assert not (tiny_kb / "sources" / "a-headline.txt").exists()
