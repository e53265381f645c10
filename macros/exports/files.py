"""The downloads: the knowledge base as JSON, CSV, JSON-LD, Popolo and Atom.

Pure functions of the loaded knowledge base and the site's root URL: no
MkDocs, no clock, no network. The same data and base URL give the same bytes
(keys sorted, records in id order, claims as written, dates from the data).

- `export_files(kb, base_url)` -> {relative path: bytes} for every download
  (`each_export_file` makes them one at a time, for a caller that writes each):

  | path                              | format (see its module)                    |
  |-----------------------------------|--------------------------------------------|
  | data/knowledge-base.json          | everything, claims and citations (export_json) |
  | data/knowledge-base.schema.json   | its JSON Schema, Draft 2020-12 (served verbatim from data/schemas/export/) |
  | data/claims.csv                   | one row per citation (export_csv)          |
  | data/knowledge-base.jsonld        | schema.org + W3C ORG + PROV (export_jsonld) |
  | data/popolo.json                  | Popolo persons, organizations, memberships, events (export_popolo) |
  | feed.xml                          | Atom 1.0 feed of the events (export_atom)  |
  | changes.xml                       | Atom 1.0 feed of the changes merged into the knowledge base (changes_feed) |

- `entity_jsonld(kb, record_id, base_url)` -> the JSON-LD of one person,
  unit, event, source (or discrepancy), with the same @ids (written relative
  to an @base), types and terms as the dump (the page embeds it: see
  `macros.rendering.markup.script_json`).

`base_url` is the absolute URL of the site's root, ending in '/': page URLs
are base_url + 'people/<id>/' and so on, a claim's anchor is its id on its
subject's page, a quoted passage's anchor is `quotes.quote_anchor` on its
source's page.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from macros.exports.atom import DEFAULT_TITLE, atom_feed
from macros.exports.changes_feed import CHANGES_PATH, changes_feed
from macros.exports.claims_csv import claims_csv
from macros.exports.common import Urls, check_base_url, dump_json
from macros.exports.json_dump import knowledge_base_bytes
from macros.exports.jsonld import JSONLD_PATH, JsonLd
from macros.exports.popolo import popolo
from macros.kb.history import History
from macros.kb.model import KnowledgeBase
from macros.kb.safefiles import read_regular

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "data" / "schemas" / "export" / "knowledge-base.schema.json"

# The base URL when the site has none (a local preview, `kb export` without --base-url): the address of `make serve`.
LOCAL_BASE_URL = "http://127.0.0.1:8000/"

JSON_PATH = "data/knowledge-base.json"
SCHEMA_PATH = "data/knowledge-base.schema.json"
CSV_PATH = "data/claims.csv"
POPOLO_PATH = "data/popolo.json"
FEED_PATH = "feed.xml"
EXPORT_PATHS = (JSON_PATH, SCHEMA_PATH, CSV_PATH, JSONLD_PATH, POPOLO_PATH, FEED_PATH, CHANGES_PATH)
NO_HISTORY = "this export was made without the repository's history"


@cache
def schema_bytes(path: Path = SCHEMA_FILE) -> bytes:
    """The JSON Schema of knowledge-base.json, as stored in the repository."""
    return read_regular(path)  # in data/: read as everything there is, never through a link


def export_files(
    kb: KnowledgeBase, base_url: str, *, feed_title: str = DEFAULT_TITLE, history: History | None = None
) -> dict[str, bytes]:
    """Every download: relative path (from the site's root) -> its bytes. `history` (macros.kb.history)
    makes changes.xml; without it, that feed says history is unavailable."""
    return dict(each_export_file(kb, base_url, feed_title=feed_title, history=history))


def each_export_file(
    kb: KnowledgeBase, base_url: str, *, feed_title: str = DEFAULT_TITLE, history: History | None = None
) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every download, in EXPORT_PATHS order, each made when asked for: a caller that
    writes each before asking for the next never holds them all (a large knowledge base's are hundreds
    of MB, with the objects they are made from)."""
    urls = Urls(kb, check_base_url(base_url))
    yield JSON_PATH, knowledge_base_bytes(kb, urls)
    yield SCHEMA_PATH, schema_bytes()
    yield CSV_PATH, claims_csv(kb, urls)
    yield JSONLD_PATH, dump_json(JsonLd(kb, urls).dump())
    yield POPOLO_PATH, dump_json(popolo(kb, urls))
    yield FEED_PATH, atom_feed(kb, urls, feed_title)
    yield CHANGES_PATH, changes_feed(history or History.unavailable(NO_HISTORY), urls)


def entity_jsonld(kb: KnowledgeBase, record_id: str, base_url: str) -> dict:
    """The JSON-LD of one record's page: the record, its claims (their quoted
    passages by IRI), and a named stub for each record they refer to, with
    @ids relative to the site's root. KeyError if there is no such record."""
    return _builder(kb, check_base_url(base_url)).entity(record_id)


def _builder(kb: KnowledgeBase, base_url: str) -> JsonLd:
    """The JSON-LD builder of this knowledge base and base URL: one for all the pages of a build (it
    remembers each record's URL), kept with the knowledge base."""
    builders = kb.memo("exports.jsonld-builders")
    builder = builders.get(base_url)
    if builder is None:
        builder = builders[base_url] = JsonLd(kb, Urls(kb, base_url))
    return builder
