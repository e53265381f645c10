"""The page a preview (`mkdocs serve`) shows at every address while the data has problems.

Every problem, as the validator prints it (path:line:col, code, message) with its hint, each
escaped: the problems quote the data, and the data is untrusted.
"""

from __future__ import annotations

from macros.kb.problems import Problem
from macros.kb.report import plural
from macros.rendering.markup import esc

TITLE = "The data has problems"


def problems_page(problems: list[Problem]) -> str:
    """The page's Markdown: a heading, what to do, then every problem (raw HTML, escaped)."""
    items = "".join(
        '<li class="kb-problem">'
        f'<code class="kb-problem-where">{esc(f"{p.path}:{p.line}:{p.col}")}</code> '
        f'<code class="kb-problem-code">error[{esc(p.code)}]</code> '
        f'<span class="kb-problem-message">{esc(p.message)}</span>'
        + (f'<br><span class="kb-problem-hint">hint: {esc(p.hint)}</span>' if p.hint else "")
        + "</li>"
        for p in sorted(problems)
    )
    return (
        f"# {TITLE}\n\n"
        f'<p class="kb-problems-summary">{esc(plural(len(problems), "problem"))} in the data: the preview shows '
        "them at every address instead of the site. Save a fix and this page goes back to the site by itself. "
        "(<code>make validate</code> lists the same problems; <code>make build</code> and CI fail on them.)</p>\n\n"
        f'<ol class="kb-problems">{items}</ol>\n'
    )
