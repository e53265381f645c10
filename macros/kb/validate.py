"""Every check on the knowledge base, all problems in one run.

`validate(data_dir)` reads data/ (file, YAML and schema checks happen while
loading) and then runs the checks of `macros.kb.checks`, which need the
whole knowledge base: references, dates, attributions, unit cycles, quotes
and source coverage. This module decides only how they are run: here, in one
process, or (for a large knowledge base) in several, by `macros.kb.shards`.
"""

from __future__ import annotations

from pathlib import Path

from macros.kb.checks import (
    check_coverage,
    check_no_claims_on_cited,
    quotes_all_found,
    record_checks,
    source_checks,
    structure_checks,
    structure_of,
)
from macros.kb.collector import collector_paused
from macros.kb.coverage import coverage_all
from macros.kb.load import load
from macros.kb.report import Report


def validate(
    data_dir: Path,
    root: Path | None = None,
    workers: int = 1,
    min_files_per_worker: int = 1000,
    reserved: frozenset[str] = frozenset(),
) -> Report:
    """Check everything under `data_dir`; problem paths are relative to `root` (its parent by default).
    `reserved` holds the paths of the site's own files (macros.kb.sitepaths.site_paths of its docs
    folder), which no record's page may take.

    With `workers` > 1 and at least `min_files_per_worker` record files per worker, the records are
    checked in that many processes (see macros.kb.shards): the same problems, and no model.
    """
    data_dir = Path(data_dir)
    root = Path(root) if root else data_dir.parent
    with collector_paused():
        if workers > 1:
            from macros.kb.shards import validate_in_shards

            report = validate_in_shards(data_dir, root, workers, min_files_per_worker, reserved)
            if report is not None:
                return report
        loaded = load(data_dir, root, reserved)
        kb = loaded.kb
        problems = list(loaded.problems)
        problems += record_checks(loaded)
        problems += structure_checks(structure_of(kb, loaded.documents))
        problems += source_checks(kb)
        coverage = coverage_all(kb)
        problems += check_no_claims_on_cited(kb.sources, coverage)
        records = sum(len(places) for places in loaded.known_ids.values())
        problems += check_coverage(
            kb.sources,
            coverage,
            complete=records == kb.size,
            all_found=lambda source_id: quotes_all_found(kb, source_id),
        )
        return Report.of(problems, coverage, records, kb.citation_count, loaded)
