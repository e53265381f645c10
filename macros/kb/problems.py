"""Problems found in the data: where, which rule, what is wrong, how to fix it.

A problem's path, message and hint can hold text from the data (a file's
name, a quote, a value): written out, every control, bidirectional or
invisible character in them is shown as <U+XXXX> (macros.kb.characters), so
data cannot rewrite a terminal or a CI log, nor start a line of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.kb.characters import printable


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    line: int  # 1-based
    col: int  # 1-based
    code: str
    message: str
    hint: str = ""

    @property
    def severity(self) -> str:
        """ "error" (the data is wrong: validation fails) or "warning" (worth a look: shown, counted apart,
        and validation still passes), by the code: see WARNING_CODES."""
        return "warning" if self.code in WARNING_CODES else "error"

    @property
    def is_warning(self) -> bool:
        return self.code in WARNING_CODES

    def as_text(self) -> str:
        text = f"{printable(self.path)}:{self.line}:{self.col}: {self.severity}[{self.code}]: {printable(self.message)}"
        if self.hint:
            text += f"\n  hint: {printable(self.hint)}"
        return text

    def as_github(self) -> str:
        """A GitHub Actions workflow command that annotates the file and line (::error or ::warning)."""
        message = printable(self.message) + (f"\nhint: {printable(self.hint)}" if self.hint else "")
        return (
            f"::{self.severity} file={_escape_property(printable(self.path))},line={self.line},col={self.col},"
            f"title={_escape_property('kb ' + self.code)}::{_escape_data(message)}"
        )


def shown(value, limit: int = 100) -> str:
    """A value from a record as a message quotes it: cut short when long (as_text and the annotations
    escape what a terminal would act on)."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


def _escape_data(text: str) -> str:
    # As GitHub's toolkit does: these characters would end or split the command.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class DataError(Exception):
    """Raised at a boundary (build, export) when the data has problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        summary = "\n".join(p.as_text() for p in self.problems[:50])
        more = len(self.problems) - 50
        if more > 0:
            summary += f"\n... and {more} more"
        count = len(self.problems)
        super().__init__(f"{count} {'problem' if count == 1 else 'problems'} in the data:\n{summary}")


# Every code the validator can report, with what it means; the contributing
# page's table of error codes is generated from this.
CODES: dict[str, str] = {
    "encoding": "The file is not valid UTF-8 text.",
    "bom": "The file starts with a byte-order mark.",
    "line-ends": "The file has Windows (CRLF) or old Mac (CR) line ends.",
    "file-too-large": "The file is larger than the limit for one record.",
    "empty-file": "The file holds no record.",
    "yaml-syntax": "The file is not valid YAML (tabs for indentation, unclosed quotes, bad nesting...).",
    "yaml-anchor": "The file uses YAML anchors (&), aliases (*) or merge keys; write values out.",
    "yaml-tag": "The file uses an explicit YAML tag (!!python/..., !foo).",
    "too-deep": "Values nest deeper than any record can (more than 32 levels of lists and mappings).",
    "duplicate-key": "A key appears twice in the same mapping.",
    "not-a-mapping": "The top of the file is not a mapping of fields.",
    "bad-key": "A key is not a plain string.",
    "number-too-large": "A number has more characters than any record needs (often text that should be quoted).",
    "missing-field": "A required field is absent.",
    "unknown-field": "A field is not part of the record's schema (often a typo).",
    "wrong-type": "A field has the wrong type (text, list, mapping...).",
    "bad-value": "A field's value is not allowed (not one of the kinds, wrong pattern, empty...).",
    "bad-id": "An id is not lower-case words joined by hyphens.",
    "id-mismatch": "A record's id differs from its file name.",
    "duplicate-id": "Two records share an id.",
    "unexpected-file": "A file in data/ that is not a record: another extension, a folder the knowledge base does not "
    "know, a subfolder of a record folder, or the top of data/.",
    "special-file": "A symbolic link, device, FIFO or socket in data/: only regular files are read, and its target is "
    "never opened.",
    "unknown-ref": "A reference names no record.",
    "wrong-ref-kind": "A reference names a record of the wrong kind.",
    "self-ref": "A record refers to itself where that makes no sense.",
    "cycle": "A unit is its own ancestor.",
    "timeline-cycle": "Events placed relative to one another (when: relation and event) form a cycle.",
    "timeline-contradiction": "A relation between events contradicts their dates: placed before an event dated "
    "earlier, after one dated later, or at the same time as one with another date.",
    "bad-date": "A date is not a real calendar date of its stated precision.",
    "end-before-start": "An end date is before its start date.",
    "missing-attribution": "An attributed claim names nobody who said it.",
    "analysis-as-fact": "An analysis claim's text does not begin by saying who comments, so it would read as fact.",
    "uncited-account": "A discrepancy's account cites nothing, but its answer does not say that the source is silent.",
    "when-phrase": "A `when` without a date gives no phrase and no relation to another event, or its phrase is not "
    "in the words it quotes.",
    "when-relation": "A `when` has a relation without an event to place it against, or an event without a relation.",
    "duplicate-claim-id": "Two claims of one record have the same id.",
    "site-path-taken": "A record's page would take the place of one of the site's own pages or files (in docs/).",
    "unsafe-character": "A text holds a control, bidirectional or invisible character (named by its code point).",
    "bad-url": "A URL is not an http(s) address with a host, or holds spaces, quotes, angle brackets, backslashes, "
    "invisible characters or a user name.",
    "archive-missing": "A source's archived text is missing.",
    "archive-changed": "A source's archived text does not match its recorded sha256.",
    "quote-not-found": "A quote is not found in its source's archived text.",
    "quote-too-short": "A quote is too short to identify a passage.",
    "quote-inside-word": "A quote (of a claim or a no_claim entry) begins or ends inside a word of the archived "
    "text: its words are there only as part of longer words.",
    "quote-joins-lines": "A quote (of a claim or a no_claim entry) joins two lines or paragraphs of the archived "
    "text into one passage.",
    "duplicate-citation": "A claim cites the same passage of a source twice.",
    "no-claim-not-found": "A no_claim entry's quote is not found in the archive.",
    "no-claim-on-cited-sentence": "A no_claim entry marks a sentence that a claim cites.",
    "uncovered-sentence": "A sentence of a source is neither cited nor marked as carrying no claim "
    "(reported at its line and column in the archived text).",
    "placeholder": "A value is still the placeholder that `kb new` wrote (in capitals): fill it in.",
    "date-not-in-quote": "A date on a record (an event's date, a role's or a parent's start or end) is not in the "
    "words of any of its citations.",
    "bad-change": "A unit change lacks what its kind needs (a merger or a regrouping without `into`, a renaming of "
    "more than one unit, `from` outside a regrouping, a unit changed into itself...).",
    "unexpected-changes": "Warning: an event of a kind that does not restructure units (hire, departure, "
    "appointment, statement, announcement) lists unit changes, which the organization chart draws as a "
    "reorganization.",
}

# The codes that are warnings, not errors: reported and counted apart, and validation still passes.
WARNING_CODES = frozenset({"unexpected-changes"})
