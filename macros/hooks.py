"""MkDocs hooks: a thin adapter between MkDocs and the knowledge base's build session.

- on_startup: under `mkdocs serve`, data with problems is shown, not fatal.
- on_config: keep the generated pages out of mkdocs-macros' sight; load and
  validate the data once; any problem stops the build before a page is
  written, with every problem listed; in a preview
  (`mkdocs serve`), the build goes on and shows the problems instead, at
  every page's address, until a rebuild finds the data valid. Without
  SOURCE_DATE_EPOCH, the build date is pinned to the last commit's, so the
  same commit gives the same bytes on any day.
- on_files: add one generated page per record, whose source is empty; its
  Markdown is written from the record's id, after mkdocs-macros, so no YAML
  text is ever rendered as a template. Its edit link points at the record's
  YAML file.
- on_nav: start rendering the generated pages' Markdown, then the downloads,
  in a short-lived second process (macros/session/prerender.py), while MkDocs
  builds pages.
- on_page_markdown: a generated page's Markdown, from that process or
  rendered here from the record's id.
- on_page_context: put the downloads' sizes in the downloads page, if they
  were still being made when the page was rendered.
- on_post_build: write the data exports next to the pages.
- on_build_error: stop the second process.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from macros.kb.kinds import FOLDERS
from macros.kb.problems import DataError
from macros.session.session import end_session, session_for, show_problems_as_pages

log = logging.getLogger("mkdocs.hooks.kb")

# A generated page's source: empty. Its Markdown is written by on_page_markdown
# below, from the record's id alone, and mkdocs-macros never sees the page (see
# _keep_macros_off_generated_pages); no text of it ever goes through a template.
# No front matter either: MkDocs would parse it with PyYAML, page by page (half a
# second per 5,000 pages), for a page whose metadata is always empty.
GENERATED_SOURCE = ""


def on_startup(command, dirty):
    # A preview shows the problems of its data on its pages: failing, its server would keep the last
    # site on screen and leave every new request waiting until the data is fixed.
    show_problems_as_pages(command == "serve")


def on_config(config):
    _pin_build_date(config)
    _keep_macros_off_generated_pages(config)
    session = session_for(config)
    if session.shows_problems:
        # Logged as information: a warning would stop the --strict preview before its pages are written.
        log.info(
            "knowledge base: %s\nThe preview shows them at every address until they are fixed.",
            DataError(session.problems),
        )
        return config
    try:
        report = session.report
    except DataError as error:
        raise PluginError(str(error)) from None
    log.info("knowledge base: %s", report.summary())
    return config


def _keep_macros_off_generated_pages(config) -> None:
    """mkdocs-macros never sees a generated page: it would copy the page and its variables for each
    one (a quarter of a second per 5,000 pages), and render its source as a template."""
    macros = config.plugins.get("macros")
    events = config.plugins.events["page_markdown"]
    if macros is None or macros.on_page_markdown not in events:
        return
    render = macros.on_page_markdown

    def on_page_markdown(markdown, page, **kwargs):
        if _written_here(page.file):
            return None  # MkDocs keeps the Markdown as it is
        return render(markdown, page=page, **kwargs)

    events[events.index(render)] = on_page_markdown


def _written_here(file) -> bool:
    """A page whose Markdown on_page_markdown writes: a record's, or the page of problems."""
    return hasattr(file, "kb_record") or hasattr(file, "kb_problems")


def _pin_build_date(config) -> None:
    """Same commit, same bytes: MkDocs dates the sitemap's <lastmod> (and the .gz header) with
    the day of the build unless SOURCE_DATE_EPOCH is set. When it is not, use the last commit's time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    project = Path(config.config_file_path).resolve().parent
    try:
        result = subprocess.run(
            ["git", "-C", str(project), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return  # no git: the build date stays today's
    epoch = result.stdout.strip()
    if result.returncode == 0 and epoch.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = epoch


def on_files(files, config):
    session = session_for(config)
    if session.shows_problems:
        return _problem_pages(files, config, session)
    kb = session.report.kb
    for kind, table in kb.tables():
        for record_id, record in table.items():
            file = File.generated(
                config,
                f"{FOLDERS[kind]}/{record_id}.md",
                content=GENERATED_SOURCE,
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
            file.kb_record = (kind, record_id)
            # Relative to edit_uri (which points into docs/): the record's YAML.
            file.edit_uri = f"../{record.path}"
            files.append(file)
    return files


def _problem_pages(files, config, session):
    """Every page, hand-written or a record's (valid or not), becomes the page of problems; the assets stay."""
    pages = list(files.documentation_pages())
    inclusion = {file.src_uri: file.inclusion for file in pages}
    for file in pages:
        files.remove(file)
    for src_uri in dict.fromkeys([*inclusion, *session.problem_page_sources()]):
        file = File.generated(
            config, src_uri, content=GENERATED_SOURCE, inclusion=inclusion.get(src_uri, InclusionLevel.NOT_IN_NAV)
        )
        file.kb_problems = True
        files.append(file)
    return files


def on_nav(nav, config, files):
    if session_for(config).shows_problems:
        return nav
    # Every plugin has had its say on the files: the pages, in the order MkDocs will read them.
    jobs = [
        (file.src_uri, *file.kb_record, file.url)
        for file in files.documentation_pages()
        if getattr(file, "kb_record", None)
    ]
    session_for(config).start_prerender(jobs)
    return nav


@event_priority(-50)  # after mkdocs-macros (0), which has left the page alone
def on_page_markdown(markdown, page, config, files):
    if getattr(page.file, "kb_problems", False):
        return session_for(config).problems_page()
    record = getattr(page.file, "kb_record", None)
    if record is None:
        return markdown
    kind, record_id = record
    return session_for(config).generated_page(page.file.src_uri, kind, record_id, page.url)


@event_priority(100)  # before Material's search indexes the page
def on_page_context(context, page, config, nav):
    page.content = session_for(config).fill_download_sizes(page.content, page.url)
    return context


def on_post_build(config):
    session = session_for(config)
    if not session.shows_problems:  # no downloads of data with problems
        session.write_exports(Path(config.site_dir))


def on_build_error(error, **kwargs):
    end_session()
