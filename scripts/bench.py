"""Benchmark the site build against its floor, plain MkDocs + Material.

Usage::

    python -m scripts.bench --entities 1000 [--seed 1] [--work bench-output] [--skip-linkcheck]
                            [--results docs/assets/performance.json]
    python -m scripts.bench --plot docs/assets/performance.json --svg docs/assets/performance.svg
    python -m scripts.bench --entities 24000 --validate-only
    python -m scripts.bench --entities 1000 --history 500 [--repeat 3]

One run, in order (progress on stderr):

1. generate a synthetic knowledge base of N entities (`scripts/synth.py`)
   into <work>/n<N>/data;
2. validate it (`python -m scripts.kb --data ... validate`), timed;
3. build it through the project: the real `mkdocs build` with the repository's
   mkdocs.yml and docs/, KB_DATA pointing at the synthetic data, timed. The
   final Markdown of every page (what the macros produce) is kept on the side,
   after the clock has stopped;
4. build the very same pages as plain Markdown with plain MkDocs + Material:
   the same theme, nav, Markdown extensions, CSS and JavaScript, no hooks,
   no macros (the floor), timed the same way;
5. check every link and anchor of the project's site (`scripts/linkcheck.py`),
   timed;

then print exactly one line on stdout::

    bench: entities=N pages=P build_s=X floor_s=Y ratio=X/Y validate_s=V linkcheck_s=L site_mb=S search_index_mb=I

--history C measures the history instead (macros/kb/history.py): the synthetic knowledge base is
committed C times into a git repository (`scripts.synth.make_history`: the data, then one to
three statements edited per commit; packed, as a clone is), and the project's build is timed
without the repository's history (its .git moved aside), with it and an empty cache (the first
build of a commit), and with it cached (every later build), alternately, --repeat times each;
`kb diff` between the first and the last commit is timed too (the whole command). One line::

    bench-history: entities=N commits=C build_s=X cold_s=Y warm_s=Z cold_ratio=Y/X warm_ratio=Z/X diff_s=D

Both builds run in a fresh Python process, timed from its start to its exit
as `mkdocs build` would be (less the writing of the captured pages, after the
build). --repeat K builds each K times, alternately, and reports the pair of
neighbouring runs with the median ratio (and the range of all pairs' ratios);
the CPU ratio likewise, from the pair with the median CPU ratio. On a
machine whose speed drifts by more than the difference measured (a shared
one), --together K also starts the two builds at the same moment, K times,
and reports the median of their CPU ratios: both are slowed alike.
The project's own modules are compiled to bytecode before anything is
timed, as pip compiled MkDocs, Material and every other installed package:
the builds run with PYTHONDONTWRITEBYTECODE (as under make), so otherwise
each one would compile the project's source again.
The project uses a second core (macros/session/prerender.py), which the floor leaves
idle: the ratio of clock times counts that core as free, so the CPU time of
each build is reported too, all its processes together (`cpu_ratio`) and its
main process alone. With --results the figures (and a few more, such as the
largest entity page) are added to a JSON file; --plot draws build time
against N from such a file as an SVG.
"""

from __future__ import annotations

import argparse
import compileall
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from macros.kb.kinds import FOLDERS as FOLDERS_OF_KINDS

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = tuple(FOLDERS_OF_KINDS.values())


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- the child process: one timed build ------------------------------------------


def child_build(config_file: Path, site_dir: Path, capture: Path | None) -> None:
    """Build once, in this process; print the seconds as JSON. With `capture`, write each page's
    final Markdown (after every plugin and hook) under it once the clock has stopped."""
    started, cpu_started = time.perf_counter(), _cpu()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin, event_priority

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    pages: dict[str, tuple[dict, str] | None] = {}

    class Capture(BasePlugin):
        @event_priority(-1000)  # after every other plugin and hook: the page's final Markdown
        def on_page_markdown(self, markdown, page, config, files):
            pages[page.file.src_uri] = (dict(page.meta), markdown) if capture is not None else None
            return markdown

    config.plugins["bench-capture"] = Capture()  # in both builds, so both pay the same
    build(config)
    seconds, cpu_seconds = time.perf_counter() - started, _cpu() - cpu_started
    children_cpu_seconds = _cpu(resource.RUSAGE_CHILDREN)  # the project's second core (macros/session/prerender.py)
    capture_started = time.perf_counter()
    if capture is not None:
        import yaml

        from macros.exports.files import EXPORT_PATHS
        from macros.session.downloads import SIZE_MARK, fill_sizes

        for src_uri, (meta, markdown) in pages.items():
            if SIZE_MARK in markdown:  # sizes the project puts in after this stage: the floor gets them too
                markdown = fill_sizes(markdown, {path: (site_dir / path).stat().st_size for path in EXPORT_PATHS})
            target = capture / src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            head = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" if meta else ""
            target.write_text(head + markdown, encoding="utf-8")
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "children_cpu_seconds": children_cpu_seconds,
                "pages": len(pages),
                "capture_seconds": time.perf_counter() - capture_started,
            }
        )
    )


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds of this process (or of its ended children) so far."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


# -- the floor's configuration -----------------------------------------------------


def floor_config(project_config: Path, floor_dir: Path) -> Path:
    """A plain mkdocs.yml for the captured pages: the project's theme, nav, Markdown extensions, CSS,
    JavaScript and validation settings, the default plugins (search), no hooks, no macros."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda _loader, _node: None)  # site_url and friends: unset, as in the bench
    project = yaml.load(project_config.read_text(encoding="utf-8"), Loader=Loader)
    theme = dict(project["theme"])
    if theme.get("custom_dir"):
        shutil.copytree(project_config.parent / theme["custom_dir"], floor_dir / "overrides")
        theme["custom_dir"] = "overrides"
    config = {
        key: project[key]
        for key in (
            "site_name",
            "site_description",
            "copyright",
            "use_directory_urls",
            "theme",
            "extra_css",
            "extra_javascript",
            "markdown_extensions",
            "validation",
            "nav",
        )
        if key in project
    }
    config.update(
        theme=theme,
        docs_dir="docs",
        plugins=["search"],
        extra={k: v for k, v in project.get("extra", {}).items() if k != "kb_data"},
        not_in_nav="\n".join(f"/{folder}/" for folder in FOLDERS),
    )
    path = floor_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def copy_static_docs(docs: Path, target: Path) -> None:
    """The project's docs files that are not pages (CSS, JavaScript, images), for the floor."""
    for file in docs.rglob("*"):
        relative = file.relative_to(docs)
        if file.is_file() and file.suffix != ".md" and relative.parts[0] != "overrides":
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, destination)


# -- measuring ---------------------------------------------------------------------


def run_timed(command: list[str], env: dict, what: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"bench: {what} failed (exit {result.returncode})")
    return seconds, result.stdout


def child(config_file: Path, site_dir: Path, capture: Path | None, env: dict, what: str) -> dict:
    """One build in a fresh process, timed from its start to its end, as `mkdocs build` would be
    (less the writing of the captured pages)."""
    command = [sys.executable, "-m", "scripts.bench", "--child-build", str(config_file), str(site_dir)]
    if capture is not None:
        command.append(str(capture))
    os.sync()  # the last build's few hundred MB of pages on disk now, not during this one
    seconds, out = run_timed(command, env, what)
    result = json.loads(out.strip().splitlines()[-1])
    result["build_only_seconds"] = result["seconds"]
    result["seconds"] = seconds - result["capture_seconds"]
    return result


def children_together(builds: list[tuple[Path, Path]], env: dict) -> list[dict]:
    """Builds started at the same moment, each in a fresh process, for their CPU time: whatever slows the
    machine down while they run (other load, its clock) slows them alike, which builds run one after
    the other do not share. Their clock times mean nothing (they share the cores)."""
    os.sync()
    running = [_start_child_build(config_file, site_dir, env) for config_file, site_dir in builds]
    return [_child_result(process, "a build started together with another") for process in running]


def pinned_pairs(count: int, project: tuple[Path, Path], floor: tuple[Path, Path], env: dict) -> list[float]:
    """The CPU ratio of `count` pairs of builds (the project's, the floor's), each pair on one core of
    its own that its two builds share (the scheduler gives each a few milliseconds in turn), as many
    pairs at once as this process may use cores. Whatever slows a core down while they run (another
    guest of the machine, its clock) falls on both builds of its pair in proportion to their work,
    which two builds on two cores, started together, do not share: the pairs' ratios spread several
    times less. The project's second process runs on its pair's core too (a fork keeps the affinity)."""
    if not hasattr(os, "sched_setaffinity"):
        raise SystemExit("bench: --pinned needs a system that can pin a process to a core (Linux)")
    cores = sorted(os.sched_getaffinity(0))
    ratios: list[float] = []
    while len(ratios) < count:
        os.sync()
        running = [
            (
                core,
                [
                    _start_child_build(config_file, site_dir.with_name(f"{site_dir.name}-core{core}"), env, core)
                    for config_file, site_dir in (project, floor)
                ],
            )
            for core in cores[: count - len(ratios)]
        ]
        for core, processes in running:
            project_run, floor_run = (_child_result(process, f"a build pinned to core {core}") for process in processes)
            ratios.append(_cpu_total(project_run) / _cpu_total(floor_run))
            progress(
                f"    pinned {len(ratios)} of {count} (core {core}): the project {_cpu_total(project_run):.2f} s "
                f"of CPU, the floor {_cpu_total(floor_run):.2f} s: {ratios[-1]:.3f}"
            )
    for core in cores[:count]:  # the pinned builds' sites: the figures are taken from the first build's
        for _, site_dir in (project, floor):
            shutil.rmtree(site_dir.with_name(f"{site_dir.name}-core{core}"), ignore_errors=True)
    return sorted(ratios)


def _start_child_build(config_file: Path, site_dir: Path, env: dict, core: int | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scripts.bench", "--child-build", str(config_file), str(site_dir)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=None if core is None else lambda: os.sched_setaffinity(0, {core}),
    )


def _child_result(process: subprocess.Popen, what: str) -> dict:
    out, err = process.communicate()
    if process.returncode != 0:
        sys.stderr.write(out[-4000:] + err[-4000:])
        raise SystemExit(f"bench: {what} failed (exit {process.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def largest_page(site: Path) -> tuple[int, str]:
    """The largest entity page's HTML (people, units, events), in bytes."""
    found = (0, "")
    for folder in ("people", "units", "events"):
        for file in (site / folder).glob("*/index.html"):
            size = file.stat().st_size
            if size > found[0]:
                found = (size, file.relative_to(site).as_posix())
    return found


def compile_project() -> None:
    """Bytecode for the project's modules, as the installed packages have theirs (see the module's doc)."""
    for folder in ("macros", "scripts"):
        if not compileall.compile_dir(str(ROOT / folder), quiet=1):
            raise SystemExit(f"bench: {folder}/ does not compile")


def bench(
    entities: int, seed: int, work: Path, skip_linkcheck: bool, repeat: int = 1, together: int = 0, pinned: int = 0
) -> dict:
    from scripts.synth import generate

    compile_project()
    base = (work / f"n{entities}").resolve()
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    data, site, floor_dir = base / "data", base / "site", base / "floor"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", KB_DATA=str(data))
    for name in ("SITE_URL", "REPO_URL", "EDIT_URI"):
        env.pop(name, None)

    progress(f"1/5 generating a synthetic knowledge base of {entities} entities (seed {seed})")
    started = time.perf_counter()
    counts = generate(entities, data, seed)
    progress(
        f"    {counts['sources']} sources, {counts['people']} people, {counts['units']} units, "
        f"{counts['events']} events, {counts['discrepancies']} discrepancies, {counts['citations']} citations "
        f"({time.perf_counter() - started:.1f} s)"
    )

    progress("2/5 validating it (python -m scripts.kb validate)")
    validate_s, out = run_timed(
        [sys.executable, "-m", "scripts.kb", "--data", str(data), "validate"], env, "validation"
    )
    progress(f"    {out.strip().splitlines()[-1]} in {validate_s:.2f} s")

    progress("3/5 building it through the project (mkdocs build, mkdocs.yml, hooks and macros)")
    capture = floor_dir / "docs"
    project = child(ROOT / "mkdocs.yml", site, capture, env, "the project's build")
    pages = project["pages"]
    progress(
        f"    {pages} pages in {project['seconds']:.2f} s ({pages / project['seconds']:.0f} pages/s; "
        f"{project['cpu_seconds']:.2f} s of CPU in the build's process, "
        f"{project['children_cpu_seconds']:.2f} s in its second process)"
    )

    progress("4/5 building the same pages with plain MkDocs + Material (the floor)")
    copy_static_docs(ROOT / "docs", capture)
    floor_file = floor_config(ROOT / "mkdocs.yml", floor_dir)
    floor = child(floor_file, floor_dir / "site", None, env, "the floor build")
    progress(
        f"    {floor['pages']} pages in {floor['seconds']:.2f} s ({pages / floor['seconds']:.0f} pages/s; "
        f"{floor['cpu_seconds']:.2f} s of CPU)"
    )
    if floor["pages"] != pages:
        raise SystemExit(f"bench: the floor built {floor['pages']} pages, the project {pages}")
    projects, floors = [project], [floor]
    for run in range(2, repeat + 1):
        # Alternately, so that whatever else the machine does weighs on both alike.
        projects.append(child(ROOT / "mkdocs.yml", site, None, env, "the project's build"))
        floors.append(child(floor_file, floor_dir / "site", None, env, "the floor build"))
        progress(
            f"    run {run} of {repeat}: the project {projects[-1]['seconds']:.2f} s "
            f"({_cpu_total(projects[-1]):.2f} s of CPU), the floor {floors[-1]['seconds']:.2f} s "
            f"({_cpu_total(floors[-1]):.2f} s of CPU)"
        )
    # The machine's speed drifts (other load, heat) by several percent over a few minutes, more than
    # the difference measured: each project build is compared with the floor build right after it,
    # and the pair with the median ratio is the one reported (the fastest of each could come from
    # different moments); of an even number, the higher of the two middle ones.
    pairs = sorted(zip(projects, floors), key=lambda pair: pair[0]["seconds"] / pair[1]["seconds"])
    project_run, floor_run = pairs[len(pairs) // 2]
    build_s, floor_s = project_run["seconds"], floor_run["seconds"]
    pair_ratios = [project_run_["seconds"] / floor_run_["seconds"] for project_run_, floor_run_ in pairs]
    # The project's clock time counts on a second, otherwise idle core; its whole CPU time says what that
    # costs. The CPU time drifts with the machine's load as the clock does, so it too is compared pair by
    # pair, and its own median pair reported (which need not be the clock's).
    cpu_pairs = sorted(zip(projects, floors), key=lambda pair: _cpu_total(pair[0]) / _cpu_total(pair[1]))
    cpu_project_run, cpu_floor_run = cpu_pairs[len(cpu_pairs) // 2]
    build_cpu, floor_cpu = cpu_project_run["cpu_seconds"], cpu_floor_run["cpu_seconds"]
    build_cpu_total, floor_cpu_total = _cpu_total(cpu_project_run), _cpu_total(cpu_floor_run)
    cpu_pair_ratios = [_cpu_total(project_run_) / _cpu_total(floor_run_) for project_run_, floor_run_ in cpu_pairs]
    progress(
        f"    ratio {build_s / floor_s:.2f}"
        + (
            f", the pair with the median ratio of {repeat} pairs (they ranged from {pair_ratios[0]:.2f} to "
            f"{pair_ratios[-1]:.2f})"
            if repeat > 1
            else ""
        )
        + f"; of CPU time, all processes: {build_cpu_total / floor_cpu_total:.2f}"
        + (
            f", the pair with the median CPU ratio (they ranged from {cpu_pair_ratios[0]:.2f} to "
            f"{cpu_pair_ratios[-1]:.2f})"
            if repeat > 1
            else ""
        )
        + f"; the build's process alone: {build_cpu / floor_cpu:.2f}"
    )

    together_ratios = []
    if together:
        progress(f"    CPU time of the project and the floor started together, {together} times:")
        for run in range(1, together + 1):
            project_run_, floor_run_ = children_together(
                [(ROOT / "mkdocs.yml", site), (floor_file, floor_dir / "site")], env
            )
            together_ratios.append(_cpu_total(project_run_) / _cpu_total(floor_run_))
            progress(
                f"    together {run} of {together}: the project {_cpu_total(project_run_):.2f} s of CPU, "
                f"the floor {_cpu_total(floor_run_):.2f} s: {together_ratios[-1]:.3f}"
            )
        together_ratios.sort()
        _report_ratios("started together", together_ratios)

    pinned_ratios = []
    if pinned:
        progress(f"    CPU time of the project and the floor, each pair on one core, {pinned} pairs:")
        pinned_ratios = pinned_pairs(pinned, (ROOT / "mkdocs.yml", site), (floor_file, floor_dir / "site"), env)
        _report_ratios("each pair on one core", pinned_ratios)

    linkcheck_s = None
    if skip_linkcheck:
        progress("5/5 link check skipped")
    else:
        progress("5/5 checking every link and anchor of the project's site (scripts.linkcheck)")
        linkcheck_s, out = run_timed([sys.executable, "-m", "scripts.linkcheck", str(site)], env, "the link check")
        progress(f"    {out.strip().splitlines()[-1] if out.strip() else 'done'} in {linkcheck_s:.1f} s")

    biggest, biggest_page = largest_page(site)
    search_index = site / "search" / "search_index.json"
    result = {
        "entities": entities,
        "pages": pages,
        "build_s": round(build_s, 2),
        "floor_s": round(floor_s, 2),
        "ratio": round(build_s / floor_s, 2),
        "validate_s": round(validate_s, 2),
        "linkcheck_s": round(linkcheck_s, 1) if linkcheck_s is not None else None,
        "site_mb": round(size_mb(site), 1),
        "search_index_mb": round(search_index.stat().st_size / 1e6, 2),
        "build_cpu_s": round(build_cpu, 2),
        "floor_cpu_s": round(floor_cpu, 2),
        "build_cpu_total_s": round(build_cpu_total, 2),
        "floor_cpu_total_s": round(floor_cpu_total, 2),
        "cpu_ratio": round(build_cpu_total / floor_cpu_total, 2),
        "pair_ratios": [round(r, 3) for r in pair_ratios],
        "cpu_pair_ratios": [round(r, 3) for r in cpu_pair_ratios],
        **(
            {
                "cpu_ratio_together": round(together_ratios[len(together_ratios) // 2], 2),
                "together_cpu_ratios": [round(r, 3) for r in together_ratios],
            }
            if together_ratios
            else {}
        ),
        **(
            {
                "cpu_ratio_pinned": round(pinned_ratios[len(pinned_ratios) // 2], 2),
                "pinned_cpu_ratios": [round(r, 3) for r in pinned_ratios],
            }
            if pinned_ratios
            else {}
        ),
        "runs": repeat,
        "build_runs_s": [round(r["seconds"], 2) for r in projects],
        "floor_runs_s": [round(r["seconds"], 2) for r in floors],
        "build_runs_cpu_s": [round(_cpu_total(r), 2) for r in projects],
        "floor_runs_cpu_s": [round(_cpu_total(r), 2) for r in floors],
        "citations": counts["citations"],
        "sources": counts["sources"],
        "seed": seed,
        "largest_entity_page_kb": round(biggest / 1024, 1),
        "largest_entity_page": biggest_page,
        "cpus": os.cpu_count(),
    }
    progress(
        f"    largest entity page {result['largest_entity_page_kb']} KB ({biggest_page}); search index "
        f"{search_index.stat().st_size / entities:.0f} bytes per entity"
    )
    return result


def validate_only(entities: int, seed: int, work: Path, repeat: int = 1) -> dict:
    """Validation alone (as `python -m scripts.kb validate` runs it), for a large knowledge base:
    24,000 entities make about 100,000 citations. The median of `repeat` runs (of an even number, the
    slower middle one); every run's time is kept."""
    from scripts.synth import generate

    compile_project()
    data = (work / f"n{entities}-validate" / "data").resolve()
    if data.exists():
        shutil.rmtree(data)
    progress(f"generating a synthetic knowledge base of {entities} entities (seed {seed})")
    counts = generate(entities, data, seed)
    progress(f"validating its {counts['citations']} citations (python -m scripts.kb validate)")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    times = []
    for run in range(1, repeat + 1):
        seconds, out = run_timed(
            [sys.executable, "-m", "scripts.kb", "--data", str(data), "validate"], env, "validation"
        )
        times.append(seconds)
        progress(f"    run {run} of {repeat}: {out.strip().splitlines()[-1]} in {seconds:.2f} s")
    from macros.kb.shards import default_workers

    median = sorted(times)[len(times) // 2]
    return {
        "entities": entities,
        "citations": counts["citations"],
        "validate_s": round(median, 2),
        "validate_runs_s": [round(s, 2) for s in times],
        "runs": repeat,
        "workers": default_workers(),
        "cpus": os.cpu_count(),
        "seed": seed,
    }


def history_bench(entities: int, commits: int, seed: int, work: Path, repeat: int = 1) -> dict:
    """The cost of the history in the build, and the time of `kb diff` between two revisions (medians)."""
    from scripts.synth import generate, make_history

    compile_project()
    base = (work / f"n{entities}-history{commits}").resolve()
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    data, site, cache = base / "data", base / "site", base / "cache"
    progress(f"generating {entities} entities and committing them {commits} times (seed {seed})")
    started = time.perf_counter()
    counts = generate(entities, data, seed)
    ids = make_history(base, commits, seed)
    subprocess.run(["git", "-C", str(base), "repack", "-adq"], check=True)  # packed, as a clone is
    progress(f"    {counts['citations']} citations, {len(ids)} commits ({time.perf_counter() - started:.0f} s)")
    env = dict(
        os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", KB_DATA=str(data), KB_CACHE_DIR=str(cache)
    )
    for name in ("SITE_URL", "REPO_URL", "EDIT_URI"):
        env.pop(name, None)

    # The history alone, in this process: its CPU time (git's included), not cached and then cached.
    from macros.kb.history import read_history

    own = {}
    for what in ("cold", "warm"):
        if what == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        started_cpu, started_children = _cpu(), _cpu(resource.RUSAGE_CHILDREN)
        found = read_history(data, cache / "kb-history")
        own[what] = _cpu() - started_cpu + _cpu(resource.RUSAGE_CHILDREN) - started_children
        if len(found.changes) != commits:
            raise SystemExit(f"bench: {len(found.changes)} changes in the history, not {commits}")
    progress(f"    the history alone: {own['cold']:.2f} s of CPU not cached, {own['warm']:.2f} s cached")

    diffs, diff_cpus = [], []
    for _ in range(repeat):
        started_children = _cpu(resource.RUSAGE_CHILDREN)
        seconds, _ = run_timed(
            [
                sys.executable,
                "-m",
                "scripts.kb",
                "--data",
                str(data),
                "diff",
                ids[0],
                ids[-1],
                "--out",
                str(base / "diff.txt"),
            ],
            env,
            "kb diff",
        )
        diffs.append(seconds)
        diff_cpus.append(_cpu(resource.RUSAGE_CHILDREN) - started_children)
        progress(f"    kb diff {ids[0][:10]} {ids[-1][:10]}: {seconds:.2f} s ({diff_cpus[-1]:.2f} s of CPU)")
    runs: dict[str, list[dict]] = {"none": [], "cold": [], "warm": []}
    for run in range(1, repeat + 1):
        # Alternately, so that whatever else the machine does weighs on all three alike.
        (base / ".git").rename(base / ".git-aside")
        try:
            runs["none"].append(child(ROOT / "mkdocs.yml", site, None, env, "the build without history"))
        finally:
            (base / ".git-aside").rename(base / ".git")
        shutil.rmtree(cache, ignore_errors=True)
        runs["cold"].append(child(ROOT / "mkdocs.yml", site, None, env, "the build, history not cached"))
        runs["warm"].append(child(ROOT / "mkdocs.yml", site, None, env, "the build, history cached"))
        progress(
            f"    run {run} of {repeat}: "
            + ", ".join(
                f"{what} {runs[key][-1]['seconds']:.2f} s ({_cpu_total(runs[key][-1]):.2f} s of CPU)"
                for key, what in (("none", "without history"), ("cold", "not cached"), ("warm", "cached"))
            )
        )
    if not (site / "changes" / "index.html").is_file():
        raise SystemExit("bench: the build made no Recent changes page")

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    def ratio(key: str, measure) -> float:
        # Each build against the build without history just before it: the machine's speed drifts.
        return median([measure(with_) / measure(without) for with_, without in zip(runs[key], runs["none"])])

    biggest, biggest_page = largest_page(site)
    return {
        "entities": entities,
        "commits": len(ids),
        "build_s": round(median([r["seconds"] for r in runs["none"]]), 2),
        "cold_s": round(median([r["seconds"] for r in runs["cold"]]), 2),
        "warm_s": round(median([r["seconds"] for r in runs["warm"]]), 2),
        "cold_ratio": round(ratio("cold", lambda r: r["seconds"]), 3),
        "warm_ratio": round(ratio("warm", lambda r: r["seconds"]), 3),
        # CPU time, all the build's processes: what the history costs, whatever else the machine does.
        "cold_cpu_ratio": round(ratio("cold", _cpu_total), 3),
        "warm_cpu_ratio": round(ratio("warm", _cpu_total), 3),
        "history_cpu_s": round(own["cold"], 2),
        "history_cached_cpu_s": round(own["warm"], 2),
        # The history's own CPU time against the whole build's (all its processes), without history.
        "history_cpu_share": round(own["cold"] / median([_cpu_total(r) for r in runs["none"]]), 3),
        "diff_s": round(median(diffs), 2),
        "diff_cpu_s": round(median(diff_cpus), 2),
        "runs_s": {key: [round(r["seconds"], 2) for r in values] for key, values in runs.items()},
        "runs_cpu_s": {key: [round(_cpu_total(r), 2) for r in values] for key, values in runs.items()},
        "diff_runs_s": [round(v, 2) for v in diffs],
        "largest_entity_page_kb": round(biggest / 1024, 1),
        "largest_entity_page": biggest_page,
        "runs": repeat,
        "seed": seed,
        "cpus": os.cpu_count(),
    }


def _report_ratios(how: str, ratios: list[float]) -> None:
    """The median of sorted CPU ratios, their range and the median's 95 % interval, on stderr."""
    from macros.rendering.performance import median_interval  # here: the builds' processes never load it

    interval = median_interval(ratios)
    progress(
        f"    CPU ratio {how} {ratios[len(ratios) // 2]:.2f}, the median of {len(ratios)} (they ranged from "
        f"{ratios[0]:.2f} to {ratios[-1]:.2f}"
        + (
            f"; the median is between {interval[0]:.3f} and {interval[1]:.3f} with 95 % confidence)"
            if interval
            else "; too few pairs for a 95 % interval of the median)"
        )
    )


def _cpu_total(run: dict) -> float:
    return run["cpu_seconds"] + run["children_cpu_seconds"]


def history_line(result: dict) -> str:
    return (
        f"bench-history: entities={result['entities']} commits={result['commits']} build_s={result['build_s']:.2f} "
        f"cold_s={result['cold_s']:.2f} warm_s={result['warm_s']:.2f} cold_ratio={result['cold_ratio']:.3f} "
        f"warm_ratio={result['warm_ratio']:.3f} cold_cpu_ratio={result['cold_cpu_ratio']:.3f} "
        f"warm_cpu_ratio={result['warm_cpu_ratio']:.3f} history_cpu_share={result['history_cpu_share']:.3f} "
        f"diff_s={result['diff_s']:.2f} diff_cpu_s={result['diff_cpu_s']:.2f}"
    )


def validate_line(result: dict) -> str:
    return (
        f"bench-validate: entities={result['entities']} citations={result['citations']} "
        f"validate_s={result['validate_s']:.2f}"
    )


def line(result: dict) -> str:
    linkcheck = "skipped" if result["linkcheck_s"] is None else f"{result['linkcheck_s']:.1f}"
    return (
        f"bench: entities={result['entities']} pages={result['pages']} build_s={result['build_s']:.2f} "
        f"floor_s={result['floor_s']:.2f} ratio={result['ratio']:.2f} validate_s={result['validate_s']:.2f} "
        f"linkcheck_s={linkcheck} site_mb={result['site_mb']:.1f} "
        f"search_index_mb={result['search_index_mb']:.2f}"
    )


def _read_results(results_file: Path) -> dict:
    return json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {"runs": []}


def _write_results(results_file: Path, results: dict) -> None:
    results_file.parent.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def save(results_file: Path, result: dict) -> None:
    """Add (or replace) the result for this N in the results file, kept sorted by N."""
    results = _read_results(results_file)
    results["runs"] = sorted(
        [r for r in results["runs"] if r["entities"] != result["entities"]] + [result], key=lambda r: r["entities"]
    )
    _write_results(results_file, results)


def save_validation(results_file: Path, result: dict) -> None:
    """Keep the figure of the large validation-only run in the results file."""
    results = _read_results(results_file)
    results["validation"] = result
    _write_results(results_file, results)


def save_history(results_file: Path, result: dict) -> None:
    """Keep the figures of the history run in the results file."""
    results = _read_results(results_file)
    results["history"] = result
    _write_results(results_file, results)


# -- the plot ----------------------------------------------------------------------


def plot(results_file: Path) -> str:
    """Build time against N, the project and the floor, as a self-contained SVG (no script, no fonts
    from elsewhere)."""
    runs = json.loads(results_file.read_text(encoding="utf-8"))["runs"]
    width, height, left, right, top, bottom = 640, 380, 70, 30, 30, 60
    max_n = max(r["entities"] for r in runs)
    max_s = max(max(r["build_s"], r["floor_s"]) for r in runs)
    step_s = _nice_step(max_s / 5)
    top_s = step_s * (int(max_s / step_s) + 1)
    step_n = _nice_step(max_n / 5)
    top_n = step_n * (int(max_n / step_n) + (0 if max_n % step_n == 0 else 1))

    def x(n: float) -> float:
        return left + (width - left - right) * n / top_n

    def y(s: float) -> float:
        return height - bottom - (height - top - bottom) * s / top_s

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="Build time against the number of entities, for the project '
        f'and for plain MkDocs + Material" font-family="system-ui, sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="#fff"/>',
    ]
    for i in range(int(top_s / step_s) + 1):
        value = i * step_s
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e0e0e0"/>')
        out.append(f'<text x="{left - 8}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#333">{value:g}</text>')
    for i in range(int(top_n / step_n) + 1):
        value = i * step_n
        out.append(
            f'<text x="{x(value):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'fill="#333">{int(value):,}</text>'
        )
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0)}" y2="{y(0)}" stroke="#333"/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{y(0)}" stroke="#333"/>')
    out.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 18}" text-anchor="middle" fill="#333">'
        "entities (people, units, events)</text>"
    )
    out.append(
        f'<text x="18" y="{(top + height - bottom) / 2}" text-anchor="middle" fill="#333" '
        f'transform="rotate(-90 18 {(top + height - bottom) / 2})">build time (s)</text>'
    )
    series = (
        ("build_s", "#e64a19", "the project (mkdocs build with its hooks and macros)", ""),
        ("floor_s", "#1565c0", "the floor: the same pages with plain MkDocs + Material", ' stroke-dasharray="6 4"'),
    )
    for number, (key, colour, label, dash) in enumerate(series):
        points = " ".join(f"{x(r['entities']):.1f},{y(r[key]):.1f}" for r in runs)
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for r in runs:
            out.append(
                f'<circle cx="{x(r["entities"]):.1f}" cy="{y(r[key]):.1f}" r="3.5" fill="{colour}">'
                f"<title>{label}: {r['entities']:,} entities, {r[key]:.1f} s</title></circle>"
            )
        legend_y = top + 14 + 20 * number
        out.append(
            f'<line x1="{left + 16}" x2="{left + 46}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{left + 54}" y="{legend_y}" fill="#333">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _nice_step(raw: float) -> float:
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def table(results_file: Path) -> str:
    from macros.rendering.performance import results_table, targets_table

    results = _read_results(results_file)
    return results_table(results) + "\n" + targets_table(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1000, help="people, units and events (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic knowledge base (default 1)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench-output", help="work folder (default bench-output)")
    parser.add_argument("--skip-linkcheck", action="store_true", help="do not time the link check")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="K",
        help="build the project and the floor K times each, alternately; report the pair with the median ratio",
    )
    parser.add_argument(
        "--together",
        type=int,
        default=0,
        metavar="K",
        help="also build the project and the floor K times started together, for a CPU ratio that the "
        "machine's drift does not move (cpu_ratio_together)",
    )
    parser.add_argument(
        "--pinned",
        type=int,
        default=0,
        metavar="K",
        help="also build the project and the floor as K pairs, each pair sharing one core (a pair per core "
        "at once), for a CPU ratio that a slowed core moves several times less (cpu_ratio_pinned)",
    )
    parser.add_argument("--results", type=Path, help="add this run's figures to a JSON results file")
    parser.add_argument("--plot", type=Path, metavar="RESULTS", help="draw an SVG from a results file, then exit")
    parser.add_argument("--svg", type=Path, help="where --plot writes the SVG (default: stdout)")
    parser.add_argument("--table", type=Path, metavar="RESULTS", help="print a results file as a Markdown table")
    parser.add_argument(
        "--validate-only",
        action="store_true",
        help="generate and validate only; print 'bench-validate: entities=N citations=C validate_s=V'",
    )
    parser.add_argument(
        "--history",
        type=int,
        metavar="C",
        help="measure the history: commit the knowledge base C times, time the build without history, "
        "not cached and cached, and kb diff; print 'bench-history: ...'",
    )
    parser.add_argument("--child-build", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child_build:
        config_file, site_dir, *capture = args.child_build
        child_build(Path(config_file), Path(site_dir), Path(capture[0]) if capture else None)
        return 0
    if args.plot:
        svg = plot(args.plot)
        if args.svg:
            args.svg.write_text(svg, encoding="utf-8")
        else:
            sys.stdout.write(svg)
        return 0
    if args.table:
        sys.stdout.write(table(args.table))
        return 0
    if args.history:
        result = history_bench(args.entities, args.history, args.seed, args.work, max(1, args.repeat))
        if args.results:
            save_history(args.results, result)
        print(history_line(result), flush=True)
        return 0
    if args.validate_only:
        result = validate_only(args.entities, args.seed, args.work, max(1, args.repeat))
        if args.results:
            save_validation(args.results, result)
        print(validate_line(result), flush=True)
        return 0
    result = bench(
        args.entities, args.seed, args.work, args.skip_linkcheck, max(1, args.repeat), args.together, args.pinned
    )
    if args.results:
        save(args.results, result)
    print(line(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
