"""claims.csv: one row per citation, for spreadsheets and quick scripts.

Columns: claim_id, subject, subject_kind, claim_field, claim_kind, claim_text,
source_id, quote (the quoted passage in the archived text's own characters),
quote_as_written (the quote as the YAML types it: it matched the passage
after normalization, and may differ in apostrophes, dashes and spacing),
page_url (the claim's page and anchor). RFC 4180 as written
by Python's csv module: UTF-8 without a byte-order mark, a header row, every
line ending in CRLF, fields quoted only when they need it. Rows follow
`kb.claims` (people, units, events, discrepancies, each by id, claims as
written) and, within a claim, its citations as written; a discrepancy's
account without citations has no row. Cells are the data verbatim: a cell
that begins with = + - or @ is not defused for spreadsheets (quotes must stay
verbatim to be checked), so open the file as data, not as formulas.
"""

from __future__ import annotations

import csv
import io

from macros.exports.common import Urls, kind_of
from macros.kb.model import KnowledgeBase
from macros.kb.prose import claim_text

COLUMNS = (
    "claim_id",
    "subject",
    "subject_kind",
    "claim_field",
    "claim_kind",
    "claim_text",
    "source_id",
    "quote",
    "quote_as_written",
    "page_url",
)


def claims_csv(kb: KnowledgeBase, urls: Urls) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for claim in kb.claims:
        for citation in claim.cite:
            writer.writerow(
                (
                    claim.id,
                    claim.subject,
                    kind_of(kb, claim.subject),
                    claim.field,
                    claim.kind,
                    claim_text(kb, claim),
                    citation.source,
                    kb.archived(citation.source, citation.quote),
                    citation.quote,
                    urls.claim(claim),
                )
            )
    return out.getvalue().encode("utf-8")
