"""CONTRIBUTING.md, made from the site's Contributing page (docs/contributing.md).

GitHub links to CONTRIBUTING.md from every pull request and shows a Markdown
file as it is written, so the site's page, whose macros are filled in when
the site is built ({{ cli_help("new") }}, {{ error_codes() }},
{{ record_template("person") }}), would show them raw. This renders the page
with the same macros (the functions below: the site's macros call them too),
points its links to other pages of the site at their files in docs/, and
writes CONTRIBUTING.md at the root. The page is the one to edit; a test fails
while the two differ.

    .venv/bin/python -m scripts.contributing           # write CONTRIBUTING.md (make contributing)
    .venv/bin/python -m scripts.contributing --check   # exit 1 with the diff if it is not up to date
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

import jinja2

from macros.kb.canonical import template
from macros.kb.problems import CODES
from scripts.kb import help_text

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "contributing.md"
TARGET = ROOT / "CONTRIBUTING.md"
HEADER = (
    "<!-- Made from docs/contributing.md (the site's Contributing page) by `make contributing`: "
    "edit that page, then run it. -->\n"
)
# A relative link to another page of the site: [text](reference.md#anchor).
_PAGE_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+\.md)(#[^)\s]*)?\)")


def error_codes() -> str:
    """The table of validation error codes, from the validator's own list."""
    rows = "".join(f"| `{code}` | {meaning} |\n" for code, meaning in CODES.items())
    return "| code | meaning |\n|---|---|\n" + rows


def cli_help(command: str = "") -> str:
    """The command line's help text, generated from its parser."""
    return "```text\n" + help_text(command or None) + "```"


def record_template(kind: str, event_kind: str = "") -> str:
    """The annotated template `kb new <kind>` starts a record from (an event's, by its kind)."""
    return "```yaml\n" + template(kind, "new-record-id", "New record name", event_kind or None) + "```"


MACROS = {"error_codes": error_codes, "cli_help": cli_help, "record_template": record_template}


def render(page: str) -> str:
    """The page's Markdown with its macros filled in and its links pointed at docs/."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    try:
        text = environment.from_string(page).render(**MACROS)
    except jinja2.UndefinedError as error:
        raise SystemExit(f"docs/contributing.md: {error}: add that macro to scripts/contributing.py") from None
    return HEADER + _PAGE_LINK.sub(lambda m: f"](docs/{m.group(1)}{m.group(2) or ''})", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=".venv/bin/python -m scripts.contributing", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="print the diff and exit 1 if CONTRIBUTING.md is stale")
    args = parser.parse_args(argv)
    made = render(PAGE.read_text(encoding="utf-8"))
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if made == current:
        return 0
    if args.check:
        sys.stdout.writelines(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                made.splitlines(keepends=True),
                "a/CONTRIBUTING.md",
                "b/CONTRIBUTING.md",
            )
        )
        print("CONTRIBUTING.md is not made from docs/contributing.md as it is: run `make contributing`")
        return 1
    TARGET.write_text(made, encoding="utf-8", newline="\n")
    print("wrote CONTRIBUTING.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
