"""Read data/ into the model: files to documents, documents to records.

Every file is read, checked against its kind's schema and, when it passes,
turned into a frozen record. A file with problems is left out of the model
(so later checks do not trip on it) but its id stays known, so references to
it do not cascade into more errors.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from macros.kb import schemas
from macros.kb.dates import parse_date
from macros.kb.kinds import FOLDERS, RECORD_KINDS
from macros.kb.listing import Listing, RecordFile, list_records
from macros.kb.model import (
    Account,
    Change,
    Citation,
    Claim,
    Discrepancy,
    Event,
    KnowledgeBase,
    Loc,
    NoClaim,
    OtherName,
    Parent,
    Person,
    Role,
    Source,
    Unit,
    When,
)
from macros.kb.problems import Problem
from macros.kb.safefiles import NotRegularFile, read_regular
from macros.kb.sitepaths import check_site_paths
from macros.kb.textchecks import check_texts
from macros.kb.yamlsafe import Document, decode, parse


@dataclass
class Loaded:
    """The outcome of reading data/: the model, the documents and the problems so far."""

    kb: KnowledgeBase
    documents: dict[str, Document]  # shown path -> its document (valid records only)
    known_ids: dict[str, list[tuple[str, str]]]  # id -> [(kind, path)] for every file, valid or not
    problems: list[Problem] = field(default_factory=list)
    root: Path = Path(".")


@dataclass
class Batch:
    """Some record files, read: their records (valid ones only), documents and problems."""

    tables: dict[str, dict]  # kind -> id -> record
    documents: dict[str, Document]  # shown path -> its document (an id may be used twice, the path not)
    problems: list[Problem]
    id_docs: dict[str, Document]  # shown path -> document of every file that parsed (where its `id:` is)


def read_records(files: list[RecordFile]) -> Batch:
    """Read, check and build the records of `files`."""
    problems: list[Problem] = []
    parsed: list[tuple[RecordFile, Document]] = []
    id_docs: dict[str, Document] = {}
    for file in files:
        try:
            raw = read_regular(file.path)
        except OSError as error:  # replaced since it was listed: a link now, or gone
            problems.append(_unreadable(file.shown, error))
            continue
        text, file_problems = decode(raw, file.shown)
        problems.extend(file_problems)
        if text is None:
            continue
        doc, parse_problems = parse(text, file.shown)
        problems.extend(parse_problems)
        if parse_problems:
            continue
        id_docs[file.shown] = doc
        schema_problems = schemas.check(file.kind, doc) + check_texts(doc)
        problems.extend(schema_problems)
        record_id, stem = doc.data.get("id"), file.stem
        if isinstance(record_id, str) and record_id != stem:
            line, col = doc.where(("id",))
            problems.append(
                Problem(
                    file.shown,
                    line,
                    col,
                    "id-mismatch",
                    f"id '{record_id}' differs from the file name '{file.name}'",
                    f"rename the file to {record_id}.yml or set `id: {stem}`",
                )
            )
        if schema_problems or file_problems or record_id != stem:
            continue
        parsed.append((file, doc))

    tables: dict[str, dict] = {kind: {} for kind in RECORD_KINDS}
    documents: dict[str, Document] = {}
    for file, doc in parsed:
        builder = _Builder(doc, file.kind)
        try:
            record = builder.build(file.directory)
        except _Invalid as invalid:
            problems.extend(invalid.problems)
            continue
        problems.extend(builder.problems)
        tables[file.kind][record.id] = record
        documents[file.shown] = doc
    return Batch(tables, documents, problems, id_docs)


def duplicate_ids(listing: Listing, batch: Batch, owned: set[str] | None = None) -> list[Problem]:
    """An id used by more than one file, reported at each file but the first (of those in `owned`,
    the shown paths of `batch`'s files, when given)."""
    problems = []
    for record_id, places in sorted(listing.known.items()):
        if len(places) > 1:
            first = places[0][1]
            for _, path in places[1:]:
                if owned is not None and path not in owned:
                    continue
                line, col = batch.id_docs[path].where(("id",)) if path in batch.id_docs else (1, 1)
                problems.append(
                    Problem(
                        path,
                        line,
                        col,
                        "duplicate-id",
                        f"id '{record_id}' is also used by {first}",
                        "ids are unique across the whole knowledge base: choose another id",
                    )
                )
    return problems


def make_kb(*tables: dict[str, dict]) -> KnowledgeBase:
    """A knowledge base of the records in `tables` (kind -> id -> record), each table in id order."""
    merged: dict[str, dict] = {kind: {} for kind in RECORD_KINDS}
    for table in tables:
        for kind, records in table.items():
            merged[kind].update(records)
    return KnowledgeBase(**{FOLDERS[kind]: dict(sorted(merged[kind].items())) for kind in RECORD_KINDS})


def load(data_dir: Path, root: Path | None = None, reserved: frozenset[str] = frozenset()) -> Loaded:
    """Load every record under `data_dir`; paths in problems are relative to `root`. `reserved`: the
    paths of the site's own files, which no record's page may take (macros.kb.sitepaths)."""
    data_dir = Path(data_dir)
    root = Path(root) if root else data_dir.parent
    listing = list_records(data_dir, root)
    batch = read_records(listing.files)
    problems = listing.problems + batch.problems + duplicate_ids(listing, batch)
    problems += check_site_paths(listing.files, batch.id_docs, reserved)
    return Loaded(make_kb(batch.tables), batch.documents, listing.known, problems, root)


def _unreadable(shown: str, error: OSError) -> Problem:
    if isinstance(error, NotRegularFile):
        return Problem(
            shown,
            1,
            1,
            "special-file",
            f"this is {error.what}, not a regular file: it is not read",
            "put the file itself here",
        )
    return Problem(shown, 1, 1, "unexpected-file", f"the file cannot be read: {error.strerror}", "check the file")


def record_of_bytes(kind: str, raw: bytes, shown: str, directory: Path | None = None):
    """The record a file of `kind` with these bytes makes, as `read_records` builds it, or None when
    the file has a problem that keeps it out of the model. `shown` is its path (its name must match
    its id); a source's archived text is read from `directory`. For the bytes of files that are not
    on disk: the versions of a record in git's history (macros.kb.history)."""
    stem = shown.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    text, file_problems = decode(raw, shown)
    if text is None or file_problems:
        return None
    doc, parse_problems = parse(text, shown)
    if parse_problems or schemas.check(kind, doc) or check_texts(doc) or doc.data.get("id") != stem:
        return None
    if kind == "source" and directory is None:
        return None
    builder = _Builder(doc, kind)
    try:
        return builder.build(directory)
    except _Invalid:
        return None


class _Invalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, words: int = 8, max_chars: int = 50, default: str = "claim") -> str:
    """Lower-case ASCII words joined by hyphens: the first `words` words of `text` that fit in `max_chars`,
    accents dropped ("Zürich" gives "zurich"). Cut between words, never inside one (unless the first
    word alone is longer than `max_chars`); `default` when `text` has no ASCII letter or digit."""
    # Accents are dropped; a typographic apostrophe splits as a plain one does (claim ids made from
    # these words are anchors that people link to: they stay as they were).
    folded = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    parts = [p for p in _SLUG.split(folded) if p][:words]
    kept = ""
    for part in parts:
        joined = f"{kept}-{part}" if kept else part
        if len(joined) > max_chars:
            break
        kept = joined
    return kept or (parts[0][:max_chars] if parts else default)


class _Builder:
    """Turns one schema-valid document into a record, with positions on every claim."""

    def __init__(self, doc: Document, kind: str):
        self.doc = doc
        self.kind = kind
        self.data = doc.data
        self.record_id = doc.data["id"]
        self.problems: list[Problem] = []
        self.claim_ids: set[str] = set()

    def loc(self, path: tuple) -> Loc:
        return Loc(self.doc.path, find=partial(self.doc.where, path))

    def date(self, path: tuple):
        value = _get(self.data, path)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            line, col = self.doc.where(path)
            self.problems.append(
                Problem(
                    self.doc.path,
                    line,
                    col,
                    "bad-date",
                    f"{schemas.dotted(path)} '{value}' is not a real date: {error}",
                    'give a real date: "2026", "2026-06" or "2026-06-08"',
                )
            )
            return None

    def claim(
        self, path: tuple, field_name: str, text: str, default_id: str, cite_key: str = "cite", item: dict | None = None
    ) -> Claim:
        if item is None:
            # A record-level claim (its name, the event itself) takes only the record's cite:
            # the record's own id and kind (division, reorganization...) are not the claim's.
            item = _get(self.data, path) if path else {cite_key: self.data.get(cite_key, [])}
        claim_id = item.get("id") or default_id
        if claim_id in self.claim_ids:
            if item.get("id"):
                line, col = self.doc.where(path + ("id",))
                self.problems.append(
                    Problem(
                        self.doc.path,
                        line,
                        col,
                        "duplicate-claim-id",
                        f"claim id '{claim_id}' is used twice in this record",
                        "give each claim its own `id:`",
                    )
                )
            number = 2
            while f"{claim_id}-{number}" in self.claim_ids:
                number += 1
            claim_id = f"{claim_id}-{number}"
        self.claim_ids.add(claim_id)
        cite = tuple(
            Citation(c["source"], c["quote"], self.loc(path + (cite_key, i, "quote")))
            for i, c in enumerate(item.get(cite_key, []))
        )
        return Claim(
            id=claim_id,
            subject=self.record_id,
            field=field_name,
            kind=item.get("kind", "reported"),
            text=text,
            cite=cite,
            said_by=item.get("said_by"),
            attribution=item.get("attribution"),
            mentions=tuple(item.get("mentions", ())),
            loc=self.loc(path),
        )

    def other_names(self) -> tuple[OtherName, ...]:
        return tuple(
            OtherName(
                n["name"],
                self.claim(("other_names", i), "other_name", "", "aka-" + slug(n["name"])),
            )
            for i, n in enumerate(self.data.get("other_names", []))
        )

    def statements(self) -> tuple[Claim, ...]:
        return tuple(
            self.claim(("statements", i), "statement", s["text"], "s-" + slug(s["text"], 6))
            for i, s in enumerate(self.data.get("statements", []))
        )

    def changes(self) -> tuple[Change, ...]:
        return tuple(
            Change(
                c["change"],
                tuple(c["units"]),
                c.get("into"),
                c.get("from"),
                c.get("complete", True),
                c["status"],
                self.claim(("changes", i), "change", "", f"change-{c['change']}-{slug(' '.join(c['units']), 6)}"),
            )
            for i, c in enumerate(self.data.get("changes", []))
        )

    def build(self, directory: Path):
        d = self.data
        if self.kind == "source":
            return self.source(directory)
        if self.kind == "person":
            name_claim = self.claim((), "name", "", "name")
            roles = tuple(
                Role(
                    r["role"],
                    r.get("unit"),
                    self.date(("roles", i, "start")),
                    self.date(("roles", i, "end")),
                    r.get("status"),
                    self.claim(
                        ("roles", i),
                        "role",
                        "",
                        "role-" + slug(r["role"], 5) + (f"-{r['unit']}" if r.get("unit") else ""),
                    ),
                )
                for i, r in enumerate(d.get("roles", []))
            )
            return Person(d["id"], d["name"], name_claim, self.doc.path, self.other_names(), roles, self.statements())
        if self.kind == "unit":
            name_claim = self.claim((), "name", "", "name")
            parents = tuple(
                Parent(
                    p["unit"],
                    self.date(("parents", i, "start")),
                    self.date(("parents", i, "end")),
                    p.get("status"),
                    self.claim(
                        ("parents", i),
                        "parent",
                        "",
                        f"parent-{p['unit']}",
                    ),
                )
                for i, p in enumerate(d.get("parents", []))
            )
            return Unit(
                d["id"], d["name"], d["kind"], name_claim, self.doc.path, self.other_names(), parents, self.statements()
            )
        if self.kind == "event":
            event_claim = self.claim((), "event", d.get("summary") or d["title"], "event")
            when = None
            if "when" in d:
                w = d["when"]
                date = self.date(("when", "date"))
                when = When(
                    date,
                    w.get("relation"),
                    w.get("event"),
                    w.get("phrase"),
                    self.claim(("when",), "when", "", "when"),
                )
            return Event(
                d["id"],
                d["title"],
                d["kind"],
                event_claim,
                self.doc.path,
                d.get("summary"),
                when,
                self.changes(),
                tuple(d.get("people", ())),
                self.statements(),
            )
        if self.kind == "discrepancy":
            accounts = tuple(
                Account(
                    a["source"],
                    a["answer"],
                    self.claim(("accounts", i), "account", a["answer"], f"account-{a['source']}"),
                )
                for i, a in enumerate(d["accounts"])
            )
            return Discrepancy(
                d["id"], d["question"], d["status"], d["note"], self.doc.path, accounts, tuple(d.get("subjects", ()))
            )
        raise AssertionError(self.kind)

    def source(self, directory: Path) -> Source:
        d = self.data
        # Read as the records are: only a regular file, never through a link (the pattern of `archive:`
        # keeps it a plain name in this folder).
        try:
            raw = read_regular(directory / d["archive"])
        except NotRegularFile as error:
            line, col = self.doc.where(("archive",))
            raise _Invalid(
                [
                    Problem(
                        self.doc.path,
                        line,
                        col,
                        "special-file",
                        f"the archived text '{d['archive']}' is {error.what}, not a regular file: it is not read",
                        f"put the article's text itself in {relative_parent(self.doc.path)}/{d['archive']}",
                    )
                ]
            ) from None
        except OSError as error:
            line, col = self.doc.where(("archive",))
            raise _Invalid(
                [
                    Problem(
                        self.doc.path,
                        line,
                        col,
                        "archive-missing",
                        f"the archived text '{d['archive']}' does not exist"
                        if isinstance(error, FileNotFoundError)
                        else f"the archived text '{d['archive']}' cannot be read: {error.strerror}",
                        f"copy the article's text byte for byte to {relative_parent(self.doc.path)}/{d['archive']}",
                    )
                ]
            ) from None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != d["sha256"]:
            line, col = self.doc.where(("sha256",))
            self.problems.append(
                Problem(
                    self.doc.path,
                    line,
                    col,
                    "archive-changed",
                    f"the archived text '{d['archive']}' has sha256 {digest}, not the recorded one",
                    "archived texts are evidence and are never edited: restore the original bytes "
                    "(if a new capture is intended, record it as a new source)",
                )
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _Invalid(
                [
                    Problem(
                        self.doc.path,
                        *self.doc.where(("archive",)),
                        "encoding",
                        f"the archived text '{d['archive']}' is not UTF-8",
                        "archive the text as UTF-8",
                    )
                ]
            ) from None
        no_claim = tuple(
            NoClaim(n["quote"], n["reason"], self.loc(("no_claim", i, "quote")), self.loc(("no_claim", i, "reason")))
            for i, n in enumerate(d.get("no_claim", []))
        )
        return Source(
            id=d["id"],
            title=d["title"],
            kind=d["kind"],
            archive=d["archive"],
            sha256=d["sha256"],
            text=text,
            path=self.doc.path,
            title_is_editorial=d.get("title_is_editorial", False),
            publisher=d.get("publisher"),
            author=d.get("author"),
            url=d.get("url"),
            published=self.date(("published",)),
            notes=d.get("notes"),
            no_claim=no_claim,
            extracted=tuple(d.get("extracted", ())),
        )


def relative_parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."


def _get(data, path: tuple):
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
