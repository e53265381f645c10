"""Shared fixtures: a tiny valid knowledge base, and the command line run in-process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD_DATA = FIXTURES / "good" / "data"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_kb(args: list[str], cwd: Path) -> Run:
    """Run `python -m scripts.kb <args>` in-process from `cwd`; its exit code and output."""
    from scripts.kb import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        os.chdir(previous)
    return Run(code, out.getvalue(), err.getvalue())


def copy_good(target: Path) -> Path:
    """Copy the minimal valid knowledge base to target/data; return that data folder."""
    data = target / "data"
    shutil.copytree(GOOD_DATA, data)
    return data


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Path:
    """A fresh copy of tests/fixtures/good/data (one real article, five records, zero problems).

    Returns the data folder; its parent is the project-like root to run the CLI from.
    """
    return copy_good(tmp_path)


@pytest.fixture
def kb_cli():
    """The function run_kb(args, cwd) -> Run(code, out, err)."""
    return run_kb
