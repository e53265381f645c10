"""The knowledge base's command line: .venv/bin/kb <command> (the same as .venv/bin/python -m scripts.kb).

Each command is a thin layer over macros/: it parses arguments, calls the
domain code and prints. Errors in the data are printed with their place and
a hint, never as a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

from macros.exports.files import LOCAL_BASE_URL, export_files
from macros.kb import canonical
from macros.kb.characters import printable
from macros.kb.coverage import entries_left
from macros.kb.gitread import GitError, GitUnavailable, Repository
from macros.kb.history import read_history
from macros.kb.intake import MAX_ID_CHARS, IntakeError, new_source
from macros.kb.kinds import FOLDERS, claim_kinds, event_kinds
from macros.kb.listing import list_records, record_file
from macros.kb.load import slug
from macros.kb.problems import DataError
from macros.kb.report import Report, plural
from macros.kb.revision import compare
from macros.kb.safefiles import NotRegularFile, create_new, linked_folder, read_regular, write_regular
from macros.kb.shards import default_workers
from macros.kb.sitepaths import site_paths
from macros.kb.validate import validate
from macros.rendering.diffreport import as_json, as_markdown, as_text

# As the docs show it: installed into .venv by the first `make` (pyproject.toml: [project.scripts]).
PROG = ".venv/bin/kb"


class _Paragraphs(argparse.HelpFormatter):
    """Descriptions wrapped paragraph by paragraph (a blank line between them is kept)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(
            textwrap.fill(" ".join(paragraph.split()), width, initial_indent=indent, subsequent_indent=indent)
            for paragraph in text.split("\n\n")
        )


def _formatter(prog: str) -> argparse.HelpFormatter:
    # A fixed width keeps the help shown in the docs the same on every machine.
    return _Paragraphs(prog, width=88)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        formatter_class=_formatter,
        description="Validate, create, format and summarize the knowledge base's YAML records.",
    )
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data folder (default: data)")
    parser.add_argument(
        "--docs",
        type=Path,
        default=None,
        help="the site's own pages, whose paths no record's page may take (default: docs, beside the data folder)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "validate",
        formatter_class=_formatter,
        help="check every record, reference, date and quote",
        description="Check every record: YAML, schema, ids, references, dates, unit changes, quotes "
        "and source coverage. Prints every problem as path:line:col: error[code]: "
        "message with a hint, then each warning as warning[code], then a summary; exits 1 "
        "on any error (warnings alone do not fail).",
    )
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default=None,
        help="github prints ::error and ::warning annotations (the default under GitHub Actions)",
    )

    new = commands.add_parser(
        "new",
        formatter_class=_formatter,
        help="write a new record from an annotated template, or a source from a saved article",
        description="Write data/<folder>/<id>.yml from an annotated template with the schema "
        "modeline; the id is made from the name, cut between words (at most 80 characters).\n\n"
        "A source is made from its article: with --from FILE, a saved text file, archived byte "
        "for byte as data/sources/<id>.txt, or a saved web page, whose article's text is "
        "archived (extracted offline: nothing is fetched) and whose metadata fills in the title, "
        "author, publisher, address and publication date, listed under `extracted:` for a "
        "reviewer to check. Without --from, data/sources/<id>.txt is used if it is there. The "
        "record gets the archive's sha256 and lists every sentence under no_claim: with a "
        "placeholder reason, which validation reports until it is written (or the sentence is "
        "cited in a claim and its entry removed).",
    )
    new.add_argument("kind", choices=sorted(FOLDERS), help="the kind of record")
    new.add_argument(
        "name",
        nargs="?",
        help="the person's or unit's name, the event's title, the source's headline (with --from "
        "a web page: the page's title when left out)",
    )
    new.add_argument("--id", help="use this id instead of one made from the name")
    new.add_argument(
        "--from",
        dest="saved",
        type=Path,
        metavar="FILE",
        help="for a source: the article saved as text (.txt, UTF-8) or as a web page (.html, .htm)",
    )
    new.add_argument(
        "--kind",
        dest="event_kind",
        choices=event_kinds(),
        default=None,
        help="for an event: its kind (default reorganization); only a reorganization or a formation "
        "has unit changes in its template",
    )

    fmt = commands.add_parser(
        "fmt",
        formatter_class=_formatter,
        help="rewrite records in canonical form",
        description="Rewrite every record in canonical form (key order of the schema, block "
        "style, LF, UTF-8). With --check, change nothing: print the diff and "
        "exit 1 if any file is not canonical.",
    )
    fmt.add_argument("--check", action="store_true", help="print the diff only; exit 1 if anything would change")
    fmt.add_argument("paths", nargs="*", type=Path, help="files to format (default: every record)")

    export = commands.add_parser(
        "export",
        formatter_class=_formatter,
        help="write the data exports to a folder",
        description="Validate, then write the exports the site publishes (JSON and its "
        "schema, CSV, JSON-LD, Popolo, Atom feeds of the events and of the changes, the latter "
        "from the git history) into a folder, at the same relative paths. Nothing is written if "
        "the data has problems.",
    )
    export.add_argument("--out", type=Path, default=Path("exports"), help="the folder to write (default: exports)")
    export.add_argument(
        "--base-url",
        default=None,
        help="the site's address, ending in / (default: $SITE_URL, else the local preview address)",
    )

    coverage = commands.add_parser(
        "coverage",
        formatter_class=_formatter,
        help="list the sentences of a source that are not accounted for",
        description="Print what is left to account for in one source (or in every source): the "
        "sentences that no claim cites and no no_claim entry lists, in the order of the text and "
        "in full, each as a no_claim entry ready to paste under `no_claim:` in the source's record "
        "(then write its reason in place of the capitals), unless it is cited in a claim instead. "
        "Exits 1 if any sentence is left.",
    )
    coverage.add_argument("source", nargs="?", help="the id of a source (default: every source)")
    diff = commands.add_parser(
        "diff",
        formatter_class=_formatter,
        help="what changed in meaning between two revisions: records, claims, quotes",
        description="Compare the knowledge base at two git revisions (or one and the work tree): "
        "records added, removed or renamed; claims added, removed or changed (text, kind, "
        "attribution, dates, status); citations with their quotes and sources; sources and "
        "their archived texts; discrepancies opened or closed. A change that only reformats "
        "or reorders shows nothing. Each revision is read from git without a checkout and "
        "validated; records with problems are left out (and said to be).",
    )
    diff.add_argument("base", nargs="?", help="a git revision (default: where HEAD branched from the default branch)")
    diff.add_argument("head", nargs="?", help="a git revision (default: the work tree)")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text", help="default: text")
    diff.add_argument(
        "--max-bytes",
        type=int,
        metavar="N",
        help="markdown only: cut the report after the last item that fits in N bytes, with a note",
    )
    diff.add_argument("--out", type=Path, help="write the report to this file (default: standard output)")

    commands.add_parser(
        "stats",
        formatter_class=_formatter,
        help="count records, claims, citations and coverage",
        description="Print counts of records by kind, claims by kind, citations, and per source the "
        "sentences used by claims, marked as carrying no claim, and unaccounted.",
    )
    return parser


def help_text(command: str | None = None) -> str:
    """The help of the whole command line, or of one command (shown in the docs)."""
    parser = build_parser()
    if command is None:
        return parser.format_help()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return subcommands.choices[command].format_help()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "new" and args.name is None and len(extra) == 1 and not extra[0].startswith("-"):
        # `new source --from FILE "Headline"`: argparse leaves an optional positional after an option over.
        args.name, extra = extra[0], []
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    handler = {
        "validate": cmd_validate,
        "new": cmd_new,
        "fmt": cmd_fmt,
        "stats": cmd_stats,
        "export": cmd_export,
        "coverage": cmd_coverage,
        "diff": cmd_diff,
    }[args.command]
    try:
        return handler(args)
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except DataError as error:  # data that stops everything (a schema that is a link, say)
        for problem in error.problems:
            print(problem.as_text())
        return 1


def _validate(args, workers: int = 1) -> Report:
    docs = args.docs if args.docs is not None else args.data.parent / "docs"
    return validate(args.data, Path.cwd(), workers=workers, reserved=site_paths(docs))


def cmd_validate(args) -> int:
    report = _validate(args, workers=default_workers())
    style = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    # Errors first, then warnings (which do not fail validation): each as an annotation under Actions.
    for problem in (*report.problems, *report.warnings):
        print(problem.as_github() if style == "github" else problem.as_text())
    print(report.summary())
    return 1 if report.problems else 0


def cmd_new(args) -> int:
    if args.event_kind and args.kind != "event":
        print(
            "error: --kind is for events: the kind of a person, unit or source is a field of the record",
            file=sys.stderr,
        )
        return 2
    if args.saved and args.kind != "source":
        print("error: --from makes a source: .venv/bin/kb new source --from FILE", file=sys.stderr)
        return 2
    if args.kind == "source":
        try:
            made = new_source(args.data, args.name, args.id, args.saved)
        except IntakeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        if made is not None:
            if made.archive_written:
                print(f"wrote {made.archive.as_posix()}: the archived text, never to be edited")
            checks = (
                f"check {', '.join(made.extracted)} (listed under `extracted:`) against the page; "
                if made.extracted
                else ""
            )
            print(
                f"wrote {made.record.as_posix()}: {checks}{plural(made.sentences, 'sentence')} listed under no_claim: "
                "cite those that carry a claim, write the reason of the others; `make validate` lists what is left"
            )
            return 0
    if not args.name:
        print(f"error: give the {args.kind}'s name: .venv/bin/kb new {args.kind} NAME", file=sys.stderr)
        return 2
    record_id = args.id or slug(args.name, words=12, max_chars=MAX_ID_CHARS)
    folder = FOLDERS[args.kind]
    target = args.data / folder / f"{record_id}.yml"
    # Written as data/ is read: never through a link (a linked folder, or a link, even a dangling one,
    # where the file would go).
    linked = linked_folder(args.data, (folder,))
    if linked is not None:
        print(f"error: {printable(linked.as_posix())} is not a real folder (links are not followed)", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_new(target, canonical.template(args.kind, record_id, args.name, args.event_kind).encode("utf-8"))
    except FileExistsError:
        print(f"error: {printable(target.as_posix())} already exists: edit it, or choose another --id", file=sys.stderr)
        return 1
    print(f"wrote {printable(target.as_posix())}: fill in the fields in capitals, then run `make validate`")
    if args.kind == "source":
        print(
            f"note: {target.with_suffix('.txt').as_posix()} does not exist yet; with the article saved there (or "
            "given with --from FILE), `new source` fills in its sha256 and lists every sentence"
        )
    return 0


def cmd_coverage(args) -> int:
    report = _validate(args)
    sources = report.kb.sources
    if args.source and args.source not in sources:
        guess = difflib.get_close_matches(args.source, list(sources), n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"sources: {', '.join(sources) or 'none'}"
        print(f"error: no valid source '{args.source}' ({hint})", file=sys.stderr)
        return 2
    left = 0
    for source_id in [args.source] if args.source else list(sources):
        source, result = sources[source_id], report.coverage[source_id]
        sentences = entries_left(result)
        left += len(sentences)
        if not sentences:
            print(f"{source.path}: every sentence is accounted for ({result.total} of {result.total})")
            continue
        print(
            f"{source.path}: {plural(len(sentences), 'sentence')} of {result.total} not accounted for. Cite each in a "
            "claim, or paste its entry under no_claim: and write why it carries no claim:"
        )
        print(("no_claim:\n" if not source.no_claim else "") + canonical.block_items(sentences), end="")
    others = [p for p in report.problems if p.code not in ("uncovered-sentence", "placeholder")]
    if others:
        print(
            f"note: the data has {plural(len(others), 'other problem')} (`make validate` shows them): "
            "a claim in a file with problems, or a quote not found, may cite a sentence listed here"
        )
    return 1 if left else 0


def _record_files(args) -> Iterator[tuple[str, str, str]]:
    """(kind, path to read, path to show) of the files to format; a message for each named file that is not one.
    Every record file of the listing, or the named ones that are record files: neither follows a link."""
    if not args.paths:
        yield from ((f.kind, f.path, f.shown) for f in list_records(args.data, Path.cwd()).files)
        return
    for path in args.paths:
        if path.suffix != ".yml":
            continue
        file, why = record_file(args.data, path, Path.cwd())
        if file is None:
            print(f"{printable(path.as_posix())}: skipped: {printable(why)}")
            continue
        yield file.kind, file.path, path.as_posix()


def cmd_fmt(args) -> int:
    changed, unparsable = 0, 0
    for kind, path, shown in _record_files(args):
        try:
            raw = read_regular(path)
        except NotRegularFile as error:  # replaced by a link since it was listed
            print(f"{printable(shown)}: skipped: {error.what}, not a regular file")
            continue
        original = raw.decode("utf-8", errors="replace")
        formatted = canonical.canonical(kind, original, shown)
        if formatted is None:
            unparsable += 1
            print(f"{printable(shown)}: not formatted: it does not parse (run `make validate` for the problem)")
            continue
        if formatted == original:
            continue
        changed += 1
        if args.check:
            # The diff shows the data's lines: each with its control characters made visible.
            sys.stdout.writelines(
                printable(line.removesuffix("\n")) + "\n"
                for line in difflib.unified_diff(
                    original.splitlines(keepends=True),
                    formatted.splitlines(keepends=True),
                    f"a/{shown}",
                    f"b/{shown}",
                )
            )
        else:
            write_regular(path, formatted.encode("utf-8"))
            print(f"formatted {printable(shown)}")
    if args.check and changed:
        print(f"{changed} {'file is' if changed == 1 else 'files are'} not in canonical form: run `make fmt`")
    return 1 if (args.check and changed) or unparsable else 0


def cmd_export(args) -> int:
    report = _validate(args)
    if report.problems:
        for problem in report.problems:
            print(problem.as_text())
        print(report.summary())
        print("nothing exported: fix the problems above first")
        return 1
    base_url = args.base_url or os.environ.get("SITE_URL") or LOCAL_BASE_URL
    if not base_url.endswith("/"):
        base_url += "/"
    try:
        cache = Path(os.environ.get("KB_CACHE_DIR") or Path.cwd() / ".cache") / "kb-history"
        files = export_files(report.kb, base_url, history=read_history(args.data, cache))
    except ValueError as error:  # e.g. a base URL that is not absolute http(s)
        print(f"error: {error}", file=sys.stderr)
        return 2
    for relative_path, content in files.items():
        target = args.out / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        print(f"wrote {target.as_posix()} ({len(content):,} bytes)")
    return 0


def cmd_diff(args) -> int:
    if args.max_bytes is not None and args.max_bytes < 2000:
        print("error: --max-bytes must be at least 2000", file=sys.stderr)
        return 2
    try:
        repo = Repository.containing(args.data if args.data.is_dir() else Path.cwd())
        if args.base:
            base = repo.resolve(args.base)
        else:
            branch = repo.default_branch()
            if branch is None:
                raise GitError("no default branch (origin/HEAD, main or master) to compare with: name BASE")
            base = repo.merge_base(repo.resolve(branch), repo.resolve("HEAD"))
        head = repo.resolve(args.head) if args.head else None
        comparison = compare(repo, base, head, args.data, Path.cwd())
    except (GitUnavailable, GitError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        text = as_json(comparison)
    elif args.format == "markdown":
        text = as_markdown(comparison, args.max_bytes)
    else:
        text = as_text(comparison)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_stats(args) -> int:
    report = _validate(args)
    kb = report.kb
    print("records:")
    for kind, table in kb.tables():
        print(f"  {FOLDERS[kind]:<14} {len(table)}")
    print("claims:")
    for kind in claim_kinds():
        print(f"  {kind:<14} {sum(1 for c in kb.claims if c.kind == kind)}")
    print(f"citations:       {kb.citation_count}")
    print("coverage (sentences used / no claim / unaccounted / total):")
    for source_id, result in report.coverage.items():
        print(
            f"  {source_id}: {result.used} / {result.no_claim} / {result.unaccounted} / {result.total}"
            f" ({result.percent:.0f}%)"
        )
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    code = main()
    # Everything is written and flushed: end the process without freeing the knowledge base's
    # millions of objects one by one (seconds, for a large one, after the work is done).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
