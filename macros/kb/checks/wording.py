"""Words a claim must carry for what it is to show: commentary says who comments, an account
without a citation says that its source is silent, and an event placed in time without a date
says when in the source's own words.

- analysis-as-fact: an analysis statement's text begins by naming who comments and a verb of
  commenting ("The Token Hub article comments that ...", "Industry analysts suggest that ..."),
  so that it never reads as a fact when shown or exported on its own.
- uncited-account: a discrepancy's account may go without citations only when its answer is that
  the source says nothing ("No date is given."); any other answer needs its quotes.
- when-phrase: a `when` without a date says when all the same, in the source's words for the
  time (`phrase`) or by a relation to another event; and a phrase, dated or not, is found in the
  quotes of that `when`.
- when-relation: `relation` and `event` go together: one without the other places nothing.
"""

from __future__ import annotations

import re

from macros.kb.load import Loaded
from macros.kb.model import Claim, KnowledgeBase, When
from macros.kb.problems import Problem
from macros.kb.quotes import normalize

# Who comments: the source itself, or the people it reports as commenting.
_WHO = (
    r"article|report|release|statement|source|story|piece|column|editorial|author|writer|"
    r"analysts?|commentators?|observers?|experts?|critics?|columnists?|researchers?|economists?|investors?|"
    r"insiders?|people|sources"
)
# A verb of commenting, in the present or past tense.
_SAYS = (
    r"comment|speculate|suggest|argue|note|say|said|write|wrote|observe|predict|expect|believe|think|thought|"
    r"contend|claim|warn|estimate|conclude|describe|interpret|see|saw|view|call|question|caution|point"
)
# The first clause (up to the first comma, semicolon, colon or full stop) names who and says it.
WHO_COMMENTS = re.compile(rf"^[^,.;:]*\b({_WHO})\b[^,.;:]*?\b({_SAYS})(s|es|d|ed)?\b", re.IGNORECASE)
_FIRST_CLAUSE = re.compile(r"^[^,.;:]*")
_VERB = re.compile(rf"\b({_SAYS})(s|es|d|ed)?\b", re.IGNORECASE)
# The answer of an uncited account says that the source is silent.
SILENT = re.compile(r"\b(no|not|nothing|none|neither|nor|never|silent|without)\b", re.IGNORECASE)


def says_who_comments(text: str, names: tuple[str, ...] = ()) -> bool:
    """True when the text begins by saying who comments: the test of an analysis claim's words.
    `names`: who the claim says comments (its attribution, as the source words it): named in the
    first clause with a verb of commenting, they say who as well ("Morgan Stanley expects ...")."""
    text = text.strip()
    if WHO_COMMENTS.match(text):
        return True
    clause = _FIRST_CLAUSE.match(text).group(0).casefold()
    return any(name.strip() and name.strip().casefold() in clause for name in names) and bool(_VERB.search(clause))


def says_the_source_is_silent(answer: str) -> bool:
    return SILENT.search(answer) is not None


def check_wording(loaded: Loaded) -> list[Problem]:
    kb = loaded.kb
    return _analysis(kb) + _accounts(kb) + _when(loaded)


def _problem(claim: Claim, code: str, message: str, hint: str) -> Problem:
    return Problem(claim.loc.path, claim.loc.line, claim.loc.col, code, message, hint)


def _analysis(kb: KnowledgeBase) -> list[Problem]:
    return [
        _problem(
            claim,
            "analysis-as-fact",
            f"the analysis claim '{_short(claim.text)}' does not begin by saying who comments, so it reads as fact",
            "begin its text with who comments and how, as the source words it: "
            '"The <source> article comments that ...", "Industry analysts suggest that ..."',
        )
        for claim in kb.claims
        if claim.kind == "analysis"
        and claim.field == "statement"
        and not says_who_comments(claim.text, (claim.attribution or "",))  # in the record: the same in shards
    ]


def _accounts(kb: KnowledgeBase) -> list[Problem]:
    return [
        _problem(
            account.claim,
            "uncited-account",
            f"the account of '{account.source}' cites nothing, but its answer '{_short(account.answer)}' "
            "does not say that the source is silent",
            "quote the words of the source that give this answer; if the source says nothing on the question, "
            'say so in the answer (for example "No date is given.") and keep `cite: []`',
        )
        for discrepancy in kb.discrepancies.values()
        for account in discrepancy.accounts
        if not account.claim.cite and not says_the_source_is_silent(account.answer)
    ]


def _when(loaded: Loaded) -> list[Problem]:
    problems = []
    for event in loaded.kb.events.values():
        doc = loaded.documents.get(event.path)
        if event.when is None or doc is None:
            continue
        dated = "date" in doc.data.get("when", {})  # a date that is not a real one is reported as bad-date
        for key, code, message, hint in _when_findings(event.when, dated):
            line, col = doc.where(("when", key) if key else ("when",))
            problems.append(Problem(doc.path, line, col, code, message, hint))
    return problems


def _when_findings(when: When, dated: bool) -> list[tuple[str, str, str, str]]:
    """What is wrong with the words of a `when`: (the key it is at, code, message, hint)."""
    found = []
    if when.phrase:
        quotes = [normalize(c.quote).casefold() for c in when.claim.cite]
        if not any(normalize(when.phrase).casefold() in q for q in quotes):
            found.append(
                (
                    "phrase",
                    "when-phrase",
                    f"the phrase '{_short(when.phrase)}' is not in the quotes of this `when`",
                    "the phrase is the source's own words for the time: copy it from the quote, "
                    "or quote the passage that holds it",
                )
            )
    elif not dated and not (when.relation or when.event):
        found.append(
            (
                "",
                "when-phrase",
                "this `when` has no date, no phrase and no relation to another event: it does not say when",
                'give the source\'s words for the time as `phrase:` (for example "earlier in the month"), '
                "and `relation:` and `event:` if they place it against another event; "
                "remove `when:` if the source does not say",
            )
        )
    if bool(when.relation) != bool(when.event):
        key, missing = ("relation", "event") if when.relation else ("event", "relation")
        found.append(
            (
                key,
                "when-relation",
                f"`when` has a {key} but no {missing}: it places the event against nothing",
                "give both `relation:` (before, after or same-time) and `event:` (the other event's id), or neither",
            )
        )
    return found


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
