"""The domain: the knowledge base as data, read from data/ and checked. Knows nothing of MkDocs,
of pages or of export formats.

    kinds      the record, claim and event kinds and the records' folders: the one place they are named
    safefiles  reading and writing files of data/ without following a link
    listing    what data/ holds, listed without following a link; what does not belong there
    characters which characters a text shown to readers may not hold; how to write them out safely
    urls       the one URL policy of the validator, the pages and the exports
    model      frozen records, claims and citations; the knowledge base with its indexes and timeline
    dates      reduced-precision dates (2026, 2026-06, 2026-06-08)
    asof       time: the date each status holds as of (its source's, never today)
    lifecycle  a unit's life as the events' changes state it (formed, merged into, regrouped, renamed...)
    problems   a problem found in the data (path:line:col, code, message, hint); every code
    yamlsafe   strict YAML reading that keeps the line and column of every value
    schemas    the JSON Schemas of data/schemas/, and a fast compiled check of valid records
    textchecks clean characters and accepted URLs in the values of one record file
    sitepaths  the site's own paths (docs/), which no record's page may take
    load       data/ files to documents to records
    checks     the checks that span records, one module per family
    validate   runs every check in one process
    collector  Python's cycle collector held off (and kept off the long-lived objects) while they are made
    shards     runs them in several processes, for a large knowledge base
    report     the outcome of a validation run
    quotes     the quote normalization, matching (whole words, within a line), anchors, sentences
    coverage   is every sentence of a source cited or marked as carrying no claim?
    prose      how a claim reads as one sentence
    canonical  the canonical form of a record file, and annotated templates of new records
    intake     a new source record from a saved article (text file or web page)
    intake_html  a saved web page's article text and declared metadata (imported only for a page)
    diff       the difference in meaning between two states: records, claims, quotes (kb diff)
    gitread    commits, their changes, trees and blobs, read with git's plumbing, nothing checked out
    revision   the knowledge base at a commit, validated from a temporary folder; two compared
    history    what each change merged into the branch did to the claims, cached by commit
"""

__all__ = [
    "asof",
    "canonical",
    "characters",
    "checks",
    "collector",
    "coverage",
    "dates",
    "intake",
    "intake_html",
    "diff",
    "gitread",
    "history",
    "kinds",
    "lifecycle",
    "listing",
    "load",
    "model",
    "problems",
    "prose",
    "quotes",
    "report",
    "safefiles",
    "revision",
    "schemas",
    "shards",
    "sitepaths",
    "textchecks",
    "urls",
    "validate",
    "yamlsafe",
]
