"""Every check on the knowledge base, all problems in one run.

`validate(data_dir)` reads data/ (file, YAML and schema checks happen while
loading) and then checks what only the whole knowledge base can tell:
references, dates, attributions, unit cycles, quotes and source coverage.
"""

from __future__ import annotations

import difflib
import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from macros.kb import schemas
from macros.kb.coverage import Coverage, coverage_all, normalized
from macros.kb.dates import ends_before_start
from macros.kb.kinds import ENTITY_KINDS, FOLDERS
from macros.kb.load import Loaded, load
from macros.kb.model import KnowledgeBase, Source
from macros.kb.problems import Problem
from macros.kb.quotes import MIN_QUOTE_CHARS, normalize
from macros.kb.yamlsafe import Document

# Where references live, as the path with list positions replaced by "*",
# and which record kinds each may name. Citation sources are handled apart.
REFERENCE_FIELDS: dict[tuple, tuple[str, ...]] = {
    ("roles", "*", "unit"): ("unit",),
    ("parents", "*", "unit"): ("unit",),
    ("statements", "*", "said_by"): ("person", "unit"),
    ("statements", "*", "mentions", "*"): ENTITY_KINDS,
    ("original_units", "*"): ("unit",),
    ("resulting_units", "*"): ("unit",),
    ("people", "*"): ("person",),
    ("when", "event"): ("event",),
    ("subjects", "*"): ENTITY_KINDS,
    ("accounts", "*", "source"): ("source",),
}
# References that may not name their own record.
NO_SELF_REFERENCE = {("parents", "*", "unit"), ("when", "event"), ("statements", "*", "mentions", "*")}


@dataclass
class Report:
    problems: list[Problem]
    coverage: dict[str, Coverage]
    records: int  # record files, valid or not
    citations: int
    loaded: Loaded | None = None  # the model: None when the records were checked in several processes

    @property
    def kb(self) -> KnowledgeBase:
        if self.loaded is None:
            raise RuntimeError(
                "this report was made in several processes and holds no model: "
                "call validate() with workers=1 to build one"
            )
        return self.loaded.kb

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return f"{self.records} records, {self.citations} citations, {len(self.problems)} problems"


def validate(data_dir: Path, root: Path | None = None, workers: int = 1, min_files_per_worker: int = 1000) -> Report:
    """Check everything under `data_dir`; problem paths are relative to `root` (its parent by default).

    With `workers` > 1 and at least `min_files_per_worker` record files per worker, the records are
    checked in that many processes (see validate_shards): the same problems, and no model.
    """
    data_dir = Path(data_dir)
    root = Path(root) if root else data_dir.parent
    with _gc_paused():
        if workers > 1:
            from macros.kb.shards import validate_in_shards

            report = validate_in_shards(data_dir, root, workers, min_files_per_worker)
            if report is not None:
                return report
        loaded = load(data_dir, root)
        kb = loaded.kb
        problems = list(loaded.problems)
        problems += check_references(loaded)
        problems += check_dates(kb)
        problems += check_attributions(kb)
        problems += check_cycles(
            {u.id: [p.unit for p in u.parents] for u in kb.units.values()},
            lambda unit, index: kb.units[unit].parents[index].claim.loc,
        )
        problems += check_citations(kb)
        problems += check_no_claims(kb)
        coverage = coverage_all(kb)
        records = sum(len(places) for places in loaded.known_ids.values())
        problems += check_coverage(
            loaded.documents,
            kb.sources,
            coverage,
            complete=records == kb.size,
            all_found=lambda source_id: quotes_all_found(kb, source_id),
        )
        return Report(sorted(set(problems)), coverage, records, kb.citation_count, loaded)


@contextmanager
def _gc_paused():
    """Loading makes millions of objects and no reference cycles: Python's cycle collector would scan
    them again and again as they pile up (40% of the time of validating 100,000 citations)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Every path signature a reference can be under (citation sources aside, which can be at any depth).
_REFERENCE_PREFIXES = {signature[:end] for signature in REFERENCE_FIELDS for end in range(1, len(signature) + 1)}


def _reference_leaves(value, out: list, path=(), signature=()) -> list:
    """Every leaf that may be a reference, as (path, signature, value); the walk skips the branches
    (texts, quotes, dates...) that cannot hold one."""
    if isinstance(value, dict):
        for key, child in value.items():
            child_signature = signature + (key,)
            if (
                child_signature in _REFERENCE_PREFIXES
                or key == "cite"
                or child_signature[-3:] == ("cite", "*", "source")
            ):
                _reference_leaves(child, out, path + (key,), child_signature)
    elif isinstance(value, list):
        signature += ("*",)
        for index, child in enumerate(value):
            _reference_leaves(child, out, path + (index,), signature)
    else:
        out.append((path, signature, value))
    return out


def check_references(loaded: Loaded) -> list[Problem]:
    problems = []
    # An id used twice (reported as duplicate-id) has several kinds: any of them will do here.
    kinds_of = {record_id: {kind for kind, _ in places} for record_id, places in loaded.known_ids.items()}
    all_ids = sorted(kinds_of)
    allowed_sets = {allowed: set(allowed) for allowed in (*REFERENCE_FIELDS.values(), ("source",))}
    for doc in loaded.documents.values():
        record_id = doc.data["id"]
        for path, signature, value in _reference_leaves(doc.data, []):
            if signature[-3:] == ("cite", "*", "source"):
                allowed = ("source",)
            elif signature in REFERENCE_FIELDS:
                allowed = REFERENCE_FIELDS[signature]
            else:
                continue
            kinds = kinds_of.get(value) if isinstance(value, str) else None
            if kinds and kinds & allowed_sets[allowed] and not (value == record_id and signature in NO_SELF_REFERENCE):
                continue  # the usual case: a record of the right kind
            line, col = doc.where(path)
            if value == record_id and signature in NO_SELF_REFERENCE:
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "self-ref",
                        f"{_dotted(path)} names '{value}', this record itself",
                        f"{_SELF_HINT.get(signature[0], 'name another record')}",
                    )
                )
            elif value not in kinds_of:
                candidates = [i for i in all_ids if kinds_of[i] & set(allowed)]
                guess = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{guess[0]}'?"
                    if guess
                    else f"create data/{_folder(allowed[0])}/{value}.yml, or name an existing {' or '.join(allowed)}"
                )
                problems.append(
                    Problem(doc.path, line, col, "unknown-ref", f"'{value}' names no {' or '.join(allowed)}", hint)
                )
            elif not kinds_of[value] & set(allowed):
                found = sorted(kinds_of[value])[0]
                needed = " or ".join(allowed)
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "wrong-ref-kind",
                        f"'{value}' is {_a(found)}, but {_dotted(path)} needs {_a(needed)}",
                        f"name {_a(needed)} here (its id is the name of its file in data/{_folder(allowed[0])}/)",
                    )
                )
        if "accounts" in doc.data:
            for index, account in enumerate(doc.data["accounts"]):
                for cite_index, citation in enumerate(account.get("cite", [])):
                    if citation["source"] != account["source"]:
                        line, col = doc.where(("accounts", index, "cite", cite_index, "source"))
                        problems.append(
                            Problem(
                                doc.path,
                                line,
                                col,
                                "bad-value",
                                f"the account of '{account['source']}' cites '{citation['source']}'",
                                "each account quotes only its own source",
                            )
                        )
    return problems


def _folder(kind: str) -> str:
    return FOLDERS[kind]


def _dotted(path: tuple) -> str:
    return schemas._dotted(path)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeio" else "a ") + noun  # our kinds: an event, a unit


_SELF_HINT = {
    "parents": "a unit cannot be part of itself: name the unit it belongs to",
    "when": "an event cannot be placed relative to itself: name another event, or remove the relation",
    "statements": "a claim does not mention the record it belongs to: remove this id from mentions",
}


def check_dates(kb: KnowledgeBase) -> list[Problem]:
    problems = []
    spans = [(r.start, r.end, r.claim) for p in kb.people.values() for r in p.roles]
    spans += [(p.start, p.end, p.claim) for u in kb.units.values() for p in u.parents]
    for start, end, claim in spans:
        if start and end and ends_before_start(start, end):
            problems.append(
                Problem(
                    claim.loc.path,
                    claim.loc.line,
                    claim.loc.col,
                    "end-before-start",
                    f"end {end.iso()} is before start {start.iso()}",
                    "check both dates against the source; swap them if they were reversed",
                )
            )
    return problems


def check_attributions(kb: KnowledgeBase) -> list[Problem]:
    return [
        Problem(
            c.loc.path,
            c.loc.line,
            c.loc.col,
            "missing-attribution",
            "an attributed claim must say who said it",
            "add `said_by: <person or unit id>` or `attribution: <who, as the source words it>`",
        )
        for c in kb.claims
        if c.kind == "attributed" and not (c.said_by or c.attribution)
    ]


def check_cycles(parents: dict[str, list[str]], locate) -> list[Problem]:
    """Units that are their own ancestors. `parents`: unit id -> the ids of its parents, in order;
    `locate(unit, index)`: where (.path, .line, .col) the unit's parent number `index` is written."""
    problems, reported = [], set()
    for start in sorted(parents):
        trail = _path_back_to(start, parents)
        if trail is None or len(trail) < 2 or frozenset(trail) in reported:
            continue  # a unit that is its own parent is reported as self-ref
        reported.add(frozenset(trail))
        loc = locate(start, parents[start].index(trail[1]))
        problems.append(
            Problem(
                loc.path,
                loc.line,
                loc.col,
                "cycle",
                f"unit '{start}' is its own ancestor: {' -> '.join((*trail, start))}",
                "a unit cannot be part of itself: remove one of these parents",
            )
        )
    return problems


def _path_back_to(start: str, parents: dict[str, list[str]]) -> tuple[str, ...] | None:
    """A chain of parents from `start` that leads back to it, or None."""
    stack, seen = [(start, (start,))], set()
    while stack:
        node, trail = stack.pop()
        for parent in parents.get(node, ()):
            if parent == start:
                return trail
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, trail + (parent,)))
    return None


def check_citations(kb: KnowledgeBase) -> list[Problem]:
    """Every claim's quotes are in their sources' archived texts."""
    problems = []
    for claim in kb.claims:
        for citation in claim.cite:
            problems.extend(_check_quote(kb, citation.source, citation.quote, citation.loc, "quote"))
    return problems


def check_no_claims(kb: KnowledgeBase) -> list[Problem]:
    """Every passage a source marks as carrying no claim is in its archived text."""
    problems = []
    for source in kb.sources.values():
        for entry in source.no_claim:
            problems.extend(_check_quote(kb, source.id, entry.quote, entry.loc, "no-claim"))
    return problems


def _check_quote(kb: KnowledgeBase, source_id: str, quote: str, loc, what: str) -> list[Problem]:
    source = kb.sources.get(source_id)
    if source is None:
        return []  # reported as an unknown reference, or its source record is invalid
    needle = normalize(quote)
    if len(needle) < MIN_QUOTE_CHARS and what == "quote":
        return [
            Problem(
                loc.path,
                loc.line,
                loc.col,
                "quote-too-short",
                f"the quote '{needle}' has {len(needle)} characters; at least {MIN_QUOTE_CHARS} are needed "
                "to identify a passage",
                "quote a longer passage: a whole clause or sentence",
            )
        ]
    text = normalized(source.text)
    if text.contains(quote):
        return []
    # Say how far the quote matches, which is where to look for the difference.
    low, high = 0, len(needle)
    while low < high:
        middle = (low + high + 1) // 2
        if text.normalized.find(needle[:middle]) >= 0:
            low = middle
        else:
            high = middle - 1
    code = "quote-not-found" if what == "quote" else "no-claim-not-found"
    where = (
        f"data/sources/{source.archive}" if not source.path else source.path.rsplit("/", 1)[0] + "/" + source.archive
    )
    if low >= 8:
        hint = (
            f"the first {low} characters match ('{needle[:low][-40:]}'); the text differs after that - copy it "
            f"verbatim from {where}"
        )
    else:
        hint = f"copy the words verbatim from {where} (plain and typographic quotes both match)"
    return [
        Problem(
            loc.path,
            loc.line,
            loc.col,
            code,
            f"the quote '{_short(needle)}' is not in the archived text of '{source_id}'",
            hint,
        )
    ]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_coverage(
    documents: dict[str, Document], sources: dict[str, Source], coverage: dict[str, Coverage], complete: bool, all_found
) -> list[Problem]:
    """Uncovered sentences, only where the coverage is known to be complete.

    A record file left out of the model (because of its own problems) or a
    quote not found may be what leaves a sentence uncovered: reporting that
    sentence would send the contributor to the wrong place. Such sentences
    are reported once the other problems are fixed. `documents`: shown path
    -> document, of the sources at least; `complete`: every record file made
    a record; `all_found(source_id)`: every quote of the source was found.
    """
    if not complete:
        return []
    problems = []
    for source_id, result in coverage.items():
        if not all_found(source_id):
            continue
        source = sources[source_id]
        doc = documents[source.path]
        for sentence in result.sentences:
            if sentence.status == "unaccounted":
                line, col = doc.where(("no_claim",), key=True) if "no_claim" in doc.data else (1, 1)
                where = f"{source.archive}, line {source.text.count(chr(10), 0, sentence.start) + 1}"
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "uncovered-sentence",
                        f"sentence not accounted for ({where}): '{_short(sentence.text)}'",
                        "cite it in a claim, or list it under no_claim: with a reason",
                    )
                )
    return problems


def quotes_all_found(kb: KnowledgeBase, source_id: str) -> bool:
    return citations_all_found(kb, source_id) and no_claims_all_found(kb.sources[source_id])


def citations_all_found(kb: KnowledgeBase, source_id: str) -> bool:
    text = normalized(kb.sources[source_id].text)
    return all(
        text.contains(c.quote)
        for claim in kb.claims_citing.get(source_id, ())
        for c in claim.cite
        if c.source == source_id
    )


def no_claims_all_found(source: Source) -> bool:
    text = normalized(source.text)
    return all(text.contains(entry.quote) for entry in source.no_claim)
