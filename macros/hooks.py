"""MkDocs hooks: a thin adapter between MkDocs and the knowledge base.

- on_config: load and validate the data once; any problem stops the build
  before a page is written, with every problem listed. Without
  SOURCE_DATE_EPOCH, the build date is pinned to the last commit's, so the
  same commit gives the same bytes on any day.
- on_files: add one generated page per record. Its source is only a macro
  call with the record's id (ids are validated: lower-case words and
  hyphens), so no YAML text is ever rendered as a template. Its edit link
  points at the record's YAML file.
- on_post_build: write the data exports next to the pages.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from macros import site
from macros.model import FOLDERS
from macros.problems import DataError

log = logging.getLogger("mkdocs.hooks.kb")

MACRO_OF_KIND = {"person": "person_page", "unit": "unit_page", "event": "event_page", "source": "source_page",
                 "discrepancy": "discrepancy_page"}


def on_config(config):
    _pin_build_date(config)
    try:
        report = site.load_report(config)
    except DataError as error:
        raise PluginError(str(error)) from None
    log.info("knowledge base: %s", report.summary())
    return config


def _pin_build_date(config) -> None:
    """Same commit, same bytes: MkDocs dates the sitemap's <lastmod> (and the .gz header) with
    the day of the build unless SOURCE_DATE_EPOCH is set. When it is not, use the last commit's time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    project = Path(config.config_file_path).resolve().parent
    try:
        result = subprocess.run(["git", "-C", str(project), "log", "-1", "--format=%ct"], capture_output=True,
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return  # no git: the build date stays today's
    epoch = result.stdout.strip()
    if result.returncode == 0 and epoch.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = epoch


def on_files(files, config):
    report = site.load_report(config)
    kb = report.kb
    for kind, table in (("person", kb.people), ("unit", kb.units), ("event", kb.events), ("source", kb.sources),
                        ("discrepancy", kb.discrepancies)):
        folder = FOLDERS[kind]
        for record_id, record in table.items():
            file = File.generated(config, f"{folder}/{record_id}.md",
                                  content=f"{{{{ {MACRO_OF_KIND[kind]}('{record_id}') }}}}\n",
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            # Relative to edit_uri (which points into docs/): the record's YAML.
            file.edit_uri = f"../{record.path}"
            files.append(file)
    return files


def on_post_build(config):
    for relative_path, content in site.exports(config).items():
        target = Path(config.site_dir) / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
