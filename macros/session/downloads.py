"""The downloads table of the downloads page, with each file's size.

While the downloads are still being made (on a second core, see prerender.py),
the table holds a placeholder for each size; the hook puts the sizes in before
the page is indexed and written.
"""

from __future__ import annotations

import re

from macros.exports.files import EXPORT_PATHS
from macros.rendering.markup import Linker, esc

SIZE_MARK = "kb-download-size-"
_SIZE_PLACEHOLDER = re.compile(SIZE_MARK + r"([0-9]+)-end")


def size_text(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"


def downloads_table(sizes: dict[str, int] | None, link: Linker) -> str:
    """The downloads as a Markdown table, each linked relative to the page; a placeholder for each size
    when `sizes` (path -> bytes) is not known yet."""
    paths = sorted(sizes) if sizes is not None else sorted(EXPORT_PATHS)
    rows = []
    for number, path in enumerate(paths):
        shown = size_text(sizes[path]) if sizes is not None else f"{SIZE_MARK}{number}-end"
        rows.append(f'| <a href="{esc(link.file(path))}">{esc(path)}</a> | {shown} |')
    return "| file | size |\n|---|---|\n" + "\n".join(rows)


def fill_sizes(text: str, sizes: dict[str, int]) -> str:
    """`text` with the placeholders of `downloads_table` replaced by these sizes (path -> bytes)."""
    paths = sorted(EXPORT_PATHS)
    return _SIZE_PLACEHOLDER.sub(lambda match: size_text(sizes[paths[int(match.group(1))]]), text)
