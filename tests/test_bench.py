"""The benchmark end to end at a tiny size: it runs, and its last line has the promised shape.

No timing is asserted (the machine decides those); `make bench N=1000` and
docs/performance.md are where the figures are.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

LINE = re.compile(
    r"bench: entities=(?P<entities>\d+) pages=(?P<pages>\d+) build_s=\d+\.\d\d floor_s=\d+\.\d\d "
    r"ratio=\d+\.\d\d validate_s=\d+\.\d\d linkcheck_s=(?:\d+\.\d|skipped) site_mb=\d+\.\d "
    r"search_index_mb=\d+\.\d\d"
)


@pytest.mark.slow
def test_bench_runs_and_prints_one_line(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REPO_URL", "EDIT_URI", "KB_DATA")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "scripts.bench", "--entities", "20", "--work", str(tmp_path), "--skip-linkcheck"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, f"stdout holds more than the result line: {result.stdout!r}"
    match = LINE.fullmatch(lines[0])
    assert match, f"unexpected result line: {lines[0]!r}"
    assert int(match["entities"]) == 20
    assert int(match["pages"]) > 20  # entity pages, sources, discrepancies and the hand-written pages
    assert "[bench]" in result.stderr  # progress is shown while it works


def test_synthetic_knowledge_base_is_valid_and_deterministic(tmp_path: Path, kb_cli):
    from scripts.synth import generate

    first = generate(30, tmp_path / "a" / "data", seed=7)
    generate(30, tmp_path / "b" / "data", seed=7)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    assert first["entities"] == 30 and first["discrepancies"] >= 1 and first["uncovered_fixed"] == 0
    run = kb_cli(["--data", "data", "validate"], tmp_path / "a")
    assert run.code == 0, run.out
    assert run.out.strip().endswith("0 problems")
