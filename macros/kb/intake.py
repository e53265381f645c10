"""A new source record from a saved article: `kb new source [--from FILE] [NAME]`.

From a saved text file (.txt) the archive is the file's bytes, exactly; from a
saved web page (.html, .htm) it is the article's text, extracted offline by
macros.kb.intake_html (imported only then: a text file needs no HTML library).
The record gets:

- the title: NAME when given, else the page's;
- the author, address, publication date and publisher the page's metadata
  declares, each listed under `extracted:` for a reviewer to check, and only
  when it passes the record's rules (an address the URL policy accepts, a
  real date of its precision, a text of at most 2,000 characters with no
  control, bidirectional or invisible character); else null;
- an id made from the title, cut between words (at most 80 characters);
- the archive's sha256;
- every sentence of the archive, in order and in full (a repeated one once),
  as a `no_claim` entry whose reason is the placeholder that validation reports
  until someone writes the reason, or cites the sentence and removes the entry.

Without --from, an archive already saved as data/sources/<id>.txt is used the
same way; without one, the record is the annotated template. Files in data/
are read and written as everywhere (macros.kb.safefiles): never through a
link, and nothing that exists is overwritten.
"""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from macros.kb import canonical
from macros.kb.characters import UNSAFE
from macros.kb.coverage import no_claim_entries
from macros.kb.dates import parse_date
from macros.kb.load import slug
from macros.kb.quotes import split_sentences
from macros.kb.safefiles import create_new, linked_folder, lstat_mode, read_regular
from macros.kb.urls import safe_url

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt",)
MAX_ID_CHARS = 80  # the schema's maxLength of an id
MAX_TEXT_CHARS = 2000  # the schema's maxLength of a text field
_ISO_DATE = re.compile(r"([0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?")


class IntakeError(Exception):
    """Something the contributor can fix: the message says what and how."""


@dataclass(frozen=True)
class Page:
    """What a saved article gives: the bytes to archive, and what its metadata says (None: nothing)."""

    archive: bytes
    title: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class NewSource:
    record: Path
    archive: Path
    archive_written: bool  # False when the archive was there already, with these bytes
    sentences: int  # no_claim entries listed
    extracted: tuple[str, ...]  # fields taken from the page's metadata


def read_saved(path: Path) -> Page:
    """The article in a saved .txt or .html file."""
    suffix = path.suffix.lower()
    if suffix not in HTML_SUFFIXES + TEXT_SUFFIXES:
        raise IntakeError(
            f"{path.name}: give a saved text file ({', '.join(TEXT_SUFFIXES)}) or web page ({', '.join(HTML_SUFFIXES)})"
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise IntakeError(f"{path.name}: cannot be read ({error.strerror or error})") from None
    if suffix in TEXT_SUFFIXES:
        _check_text(raw, path.name)
        return Page(raw)
    from macros.kb import intake_html  # only for a page: it imports trafilatura and lxml

    try:
        archive, metadata = intake_html.read_page(raw)
    except ValueError as error:
        raise IntakeError(f"{path.name}: {error}") from None
    return Page(archive, **metadata)


def _check_text(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise IntakeError(f"{name}: not UTF-8 text (byte {error.start}): save the article as UTF-8") from None
    if not text.strip():
        raise IntakeError(f"{name}: holds no text")
    return text


def clean_text(value: str | None) -> str | None:
    """A metadata text on one line, or None when empty or too long for a record's text field."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value if 0 < len(value) <= MAX_TEXT_CHARS and UNSAFE.search(value) is None else None


def clean_url(value: str | None) -> str | None:
    """The address when the one URL policy (macros.kb.urls) accepts it, as validation will; else None."""
    return safe_url((value or "").strip())


def clean_date(value: str | None) -> str | None:
    """The date of an ISO 8601 date or date-time ("2026-06-08T09:30:00+08:00" gives "2026-06-08", in the
    page's own time zone), with the precision the page gives, when it is a real date; else None."""
    match = _ISO_DATE.fullmatch((value or "").strip())
    if not match:
        return None
    try:
        return parse_date(match.group(1)).iso()
    except ValueError:
        return None


def record_id(title: str) -> str:
    """The id made from a title: its words, lower-case, joined by hyphens, cut between words."""
    return slug(title, words=1000, max_chars=MAX_ID_CHARS, default="")


def sentence_entries(text: str) -> list[dict[str, str]]:
    """A no_claim entry for every sentence of `text`, in order (a repeated one once)."""
    return no_claim_entries(text[start:end] for start, end in split_sentences(text))


def source_record(record: str, title: str, archive_name: str, raw: bytes, metadata: dict[str, str | None]) -> str:
    """The text of the new record file, in canonical form. `metadata`: the fields taken from the page's
    metadata (title, author, publisher, url, published), None where it gives nothing."""
    extracted = [field for field, value in metadata.items() if value]
    data = {
        "id": record,
        "title": metadata.get("title") or title,
        "kind": "news-report",
        "publisher": metadata.get("publisher"),
        "author": metadata.get("author"),
        "url": metadata.get("url"),
        "published": metadata.get("published"),
        **({"extracted": extracted} if extracted else {}),
        "archive": archive_name,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "no_claim": sentence_entries(raw.decode("utf-8")),
    }
    header = [
        canonical.MODELINE.format(kind="source"),
        "# A new source record, made from its archived text by `kb new source`. Before `make validate` passes:",
        "# - every sentence of the archive is listed under no_claim: cite in a claim the ones that carry one",
        "#   (and remove their entries), and write the reason of the others in place of the capitals;",
        "# - check each field listed under `extracted:` against the page, then remove it from that list;",
        "# - check the kind, and fill in what else is known (null: unknown).",
        *canonical.field_comments("source"),
    ]
    return canonical.record_text("source", data, header)


def new_source(data_dir: Path, name: str | None, wanted_id: str | None, saved: Path | None) -> NewSource | None:
    """Write data/sources/<id>.yml (and, from a saved file, <id>.txt). None when there is no archive to
    read (no --from, and no data/sources/<id>.txt yet): the caller writes the template instead."""
    page = read_saved(saved) if saved else None
    title = clean_text(name) or (clean_text(page.title) if page else None)
    if not title:
        from_page = saved is not None and saved.suffix.lower() in HTML_SUFFIXES
        raise IntakeError(
            "give the article's headline as NAME" + (": the page's metadata gives no title" if from_page else "")
        )
    record = wanted_id or record_id(title)
    if not record:
        raise IntakeError(f"no id can be made from the title '{title}': give one with --id")
    folder = data_dir / "sources"
    target = folder / f"{record}.yml"
    archive = folder / f"{record}.txt"
    linked = linked_folder(data_dir, ("sources",))
    if linked is not None:
        raise IntakeError(f"{linked.as_posix()} is not a real folder (links are not followed)")
    if lstat_mode(target) is not None:  # anything there, a dangling link too
        raise IntakeError(f"{target.as_posix()} already exists: edit it, or choose another --id")
    archive_mode = lstat_mode(archive)
    if archive_mode is not None and not stat.S_ISREG(archive_mode):
        raise IntakeError(f"{archive.as_posix()} is not a regular file (a link is not followed): remove it")
    if page is None:
        if archive_mode is None:
            return None
        page = Page(read_regular(archive))
        _check_text(page.archive, archive.as_posix())
    written = False
    if archive_mode is not None:
        if read_regular(archive) != page.archive:
            raise IntakeError(
                f"{archive.as_posix()} already exists with other bytes: an archived text is never overwritten; "
                "choose another --id"
            )
    else:
        folder.mkdir(parents=True, exist_ok=True)
        create_new(archive, page.archive)
        written = True
    metadata = {
        "title": None if clean_text(name) else title,
        "author": clean_text(page.author),
        "publisher": clean_text(page.publisher),
        "url": clean_url(page.url),
        "published": clean_date(page.published),
    }
    text = source_record(record, title, archive.name, page.archive, metadata)
    create_new(target, text.encode("utf-8"))
    extracted = tuple(field for field, value in metadata.items() if value)
    return NewSource(target, archive, written, len(sentence_entries(page.archive.decode("utf-8"))), extracted)
