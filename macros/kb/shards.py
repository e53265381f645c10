"""Validation in several processes, for the command line on a large knowledge base.

Most of the work of validating is per record file: reading, parsing, the
schema, building the record, its references, dates and quotes. The record
files other than sources are dealt out to worker processes, each of which
checks its share against everything it needs from the whole knowledge base:
the ids of every file (from the listing) and the sources (read once, here,
before the workers are forked, so they share them). A worker sends back
only what the whole-knowledge-base checks need: its problems, where its
quotes fall in each source, its units' parents and its counts. The parent
then checks what spans files: unit cycles, source coverage and ids used
twice.

The problems are the ones `validate(..., workers=1)` finds (a test runs both
on every bad-input case); what this does not give is the model, which only
the site and the exports need.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from macros.kb.checks import (
    Structure,
    check_coverage,
    check_no_claims_on_cited,
    citations_all_found,
    no_claims_all_found,
    record_checks,
    source_checks,
    structure_checks,
    structure_of,
)
from macros.kb.coverage import coverage_from_spans, normalized, quoted_spans
from macros.kb.listing import Listing, RecordFile, list_records
from macros.kb.load import Batch, Loaded, duplicate_ids, make_kb, read_records
from macros.kb.problems import Problem
from macros.kb.report import Report
from macros.kb.sitepaths import check_site_paths


@dataclass
class ShardResult:
    problems: list[Problem]
    spans: dict[str, list[tuple[int, int]]]  # source id -> where this shard's claims quote it
    missing: set[str]  # sources with a quote of this shard that is not in their text
    structure: Structure  # what the checks across records need of this shard's records
    records: int  # records built
    citations: int


@dataclass
class _Shared:
    """What every worker needs, set before the workers are forked (so it is shared, not sent)."""

    listing: Listing
    root: Path
    sources: Batch
    reserved: frozenset[str]


_shared: _Shared | None = None


def default_workers() -> int:
    """The processes the command line validates with: $KB_WORKERS, else one per core it may use (up
    to 8; past that the checks that span files dominate)."""
    setting = os.environ.get("KB_WORKERS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return int(setting)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, 8))


def can_fork() -> bool:
    """Forking copies only the calling thread: safe when it is the only one (the command line)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def validate_in_shards(
    data_dir: Path, root: Path, workers: int, min_files_per_worker: int, reserved: frozenset[str] = frozenset()
) -> Report | None:
    """The report of `validate`, made by `workers` processes; None when that is not worth it (too few
    files) or not safe (no fork, or other threads running)."""
    global _shared
    listing = list_records(data_dir, root)
    files = [f for f in listing.files if f.kind != "source"]
    if not can_fork() or len(files) < workers * max(min_files_per_worker, 1):
        return None
    sources = read_records([f for f in listing.files if f.kind == "source"])
    source_kb = make_kb(sources.tables)
    for source in source_kb.sources.values():
        normalized(source.text)  # once, here, rather than once in each worker
    _shared = _Shared(listing, root, sources, reserved)
    try:
        # More shares than workers, dealt round-robin: the work evens out as the first finish.
        shares = [files[i :: workers * 4] for i in range(workers * 4)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_check_share, shares))
    finally:
        _shared = None

    source_files = {f.shown for f in listing.files if f.kind == "source"}
    problems = listing.problems + sources.problems + duplicate_ids(listing, sources, owned=source_files)
    problems += check_site_paths([f for f in listing.files if f.kind == "source"], sources.id_docs, reserved)
    problems += record_checks(Loaded(source_kb, sources.documents, listing.known, [], root))
    problems += source_checks(source_kb)
    structure = Structure()
    spans: dict[str, list[tuple[int, int]]] = {}
    missing: set[str] = set()
    for result in results:
        problems += result.problems
        structure.merge(result.structure)
        missing |= result.missing
        for source_id, found in result.spans.items():
            spans.setdefault(source_id, []).extend(found)
    problems += structure_checks(structure)
    coverage = {
        source_id: coverage_from_spans(source, spans.get(source_id, []))
        for source_id, source in source_kb.sources.items()
    }
    problems += check_no_claims_on_cited(source_kb.sources, coverage)
    records = sum(len(places) for places in listing.known.values())
    built = len(source_kb.sources) + sum(result.records for result in results)
    problems += check_coverage(
        source_kb.sources,
        coverage,
        complete=records == built,
        all_found=lambda source_id: source_id not in missing and no_claims_all_found(source_kb.sources[source_id]),
    )
    return Report.of(problems, coverage, records, sum(result.citations for result in results))


def _check_share(files: list[RecordFile]) -> ShardResult:
    """In a worker: every check of these record files that needs no other record file."""
    shared = _shared
    batch = read_records(files)
    kb = make_kb(shared.sources.tables, batch.tables)
    problems = batch.problems + duplicate_ids(shared.listing, batch, owned={f.shown for f in files})
    problems += check_site_paths(files, batch.id_docs, shared.reserved)
    problems += record_checks(Loaded(kb, batch.documents, shared.listing.known, [], shared.root))
    cited = [kb.sources[source_id] for source_id in kb.claims_citing if source_id in kb.sources]
    return ShardResult(
        problems=problems,
        spans={source.id: quoted_spans(kb, source) for source in cited},
        missing={source.id for source in cited if not citations_all_found(kb, source.id)},
        # With the text the worker read, so a problem is placed where it was found even if the file changes.
        structure=structure_of(kb, batch.documents),
        records=sum(len(table) for table in batch.tables.values()),
        citations=kb.citation_count,
    )
