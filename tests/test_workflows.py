""".github/: workflows, Dependabot, issue forms, templates and pre-commit hooks.

Each file is validated against the schema GitHub's own tooling uses (shipped
offline with check-jsonschema), and the properties that matter for safety
and for the deploy are asserted one by one.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.y*ml") if p.stem != "config")
# Actions and the major versions they are pinned to.
ALLOWED_ACTIONS = {
    "actions/checkout": "v4",
    "actions/setup-python": "v5",
    "actions/upload-artifact": "v4",
    "actions/download-artifact": "v4",
    "actions/configure-pages": "v5",
    "actions/upload-pages-artifact": "v3",
    "actions/deploy-pages": "v4",
}


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def triggers(workflow: dict) -> dict:
    """The `on:` mapping (YAML 1.1 reads the key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict) -> list[str]:
    return [s["uses"] for s in steps(job) if "uses" in s]


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


def check_jsonschema(schema: str, files: list[Path]) -> None:
    assert files, f"no file to check against {schema}"
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{schema}:\n{proc.stdout}{proc.stderr}"


def test_the_expected_files_are_there():
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "deploy.yml", "external-links.yml", "pr-comment.yml"} <= names
    assert {p.name for p in ISSUE_FORMS} >= {"correction.yml", "propose-source.yml"}
    for path in (
        GITHUB / "PULL_REQUEST_TEMPLATE.md",
        GITHUB / "ISSUE_TEMPLATE" / "config.yml",
        GITHUB / "dependabot.yml",
        ROOT / ".pre-commit-config.yaml",
    ):
        assert path.is_file(), path


# -- schemas ---------------------------------------------------------------


def test_workflows_match_githubs_schema():
    check_jsonschema("vendor.github-workflows", WORKFLOWS)


def test_every_job_has_a_timeout():
    check_jsonschema("custom.github-workflows-require-timeout", WORKFLOWS)


def test_dependabot_matches_its_schema():
    check_jsonschema("vendor.dependabot", [GITHUB / "dependabot.yml"])


def test_issue_forms_match_their_schema():
    check_jsonschema("vendor.github-issue-forms", ISSUE_FORMS)
    check_jsonschema("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"])


# -- safety ----------------------------------------------------------------


def test_no_pull_request_target_anywhere():
    """pull_request_target runs a fork's changes with the repository's secrets."""
    for path in GITHUB.rglob("*"):
        if path.is_file():
            assert "pull_request_target" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_declares_its_permissions(path):
    workflow = load(path)
    if "permissions" in workflow:
        return
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} has no permissions"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_write_permissions_only_where_deploying(path):
    workflow = load(path)
    scopes = [("(top level)", workflow.get("permissions"))]
    scopes += [(name, job.get("permissions")) for name, job in workflow["jobs"].items()]
    for name, perms in scopes:
        if perms is None:
            continue
        assert isinstance(perms, dict), f"{path.name} {name}: use a mapping, not {perms!r}"
        writes = {k for k, v in perms.items() if v == "write"}
        if path.name == "deploy.yml" and name == "deploy":
            assert writes == {"pages", "id-token"}, writes
        elif path.name == "pr-comment.yml" and name == "(top level)":
            assert writes == {"pull-requests"}, writes  # the comment; it runs none of the pull request's code
        else:
            assert not writes, f"{path.name} {name} asks to write {writes}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_known_major_versions(path):
    for name, job in load(path)["jobs"].items():
        for ref in uses(job):
            action, _, version = ref.partition("@")
            assert action in ALLOWED_ACTIONS, f"{path.name} {name}: unexpected action {ref}"
            assert version == ALLOWED_ACTIONS[action], f"{path.name} {name}: {ref}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path):
    for job in load(path)["jobs"].values():
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_untrusted_expression_in_run_scripts(path):
    """An expression in `run:` is pasted into the script: no event data there."""
    for job in load(path)["jobs"].values():
        for expr in re.findall(r"\$\{\{(.*?)\}\}", runs(job)):
            assert "github.event" not in expr and "github.head_ref" not in expr, expr


# -- what each workflow does -----------------------------------------------


def test_ci_runs_every_check_and_uploads_the_site():
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert {"pull_request", "push"} <= set(triggers(ci))
    assert ci["permissions"] == {"contents": "read"}
    (job,) = ci["jobs"].values()
    script = runs(job)
    order = ["make validate", "make fmt-check", "make build", "make linkcheck", "make test"]
    positions = [script.index(cmd) for cmd in order]
    assert positions == sorted(positions), "the checks run in this order: " + ", ".join(order)
    test_step = next(s for s in steps(job) if s.get("run", "").strip() == "make test")
    assert test_step["env"]["KB_TEST_CHROMIUM"], "the browser tests need a browser on the runner"
    setup = next(s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    assert setup["with"]["cache"] == "pip"
    assert "requirements" in setup["with"]["cache-dependency-path"]
    upload = next(s for s in steps(job) if s.get("with", {}).get("name") == "site-preview")
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"].rstrip("/") == "site"


def test_deploy_builds_checks_then_deploys():
    deploy = load(GITHUB / "workflows" / "deploy.yml")
    on = triggers(deploy)
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    jobs = deploy["jobs"]
    build, job = jobs["build"], jobs["deploy"]
    for cmd in ("make validate", "make build", "make linkcheck", "make test"):
        assert cmd in runs(build), cmd
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses(build))
    pages_upload = next(s for s in steps(build) if "upload-pages-artifact" in s.get("uses", ""))
    assert pages_upload["with"]["path"].rstrip("/") == "site"
    # the upload comes after every check
    names = [s.get("run", s.get("uses", "")) for s in steps(build)]
    assert names.index(pages_upload["uses"]) > max(i for i, n in enumerate(names) if n.startswith("make "))
    needs = job["needs"]
    assert needs == "build" or needs == ["build"]
    assert any(u.startswith("actions/deploy-pages@") for u in uses(job))
    env = job["environment"]
    assert (env["name"] if isinstance(env, dict) else env) == "github-pages"
    assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert "pages" not in (build.get("permissions") or {}) or build["permissions"]["pages"] == "read"


def test_external_links_weekly_and_never_blocking():
    ext = load(GITHUB / "workflows" / "external-links.yml")
    on = triggers(ext)
    assert "workflow_dispatch" in on and on["schedule"][0]["cron"]
    assert ext["permissions"] == {"contents": "read"}
    (job,) = ext["jobs"].values()
    assert job["continue-on-error"] is True
    assert "scripts.linkcheck site --external" in runs(job)


def test_the_internal_link_check_leaves_external_links_alone():
    ci_script = "\n".join(runs(j) for j in load(GITHUB / "workflows" / "ci.yml")["jobs"].values())
    assert "--external" not in ci_script
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m scripts.linkcheck site" in makefile
    assert "--external" not in makefile


# -- contributor files -----------------------------------------------------


def test_dependabot_updates_pip_and_actions_weekly():
    updates = load(GITHUB / "dependabot.yml")["updates"]
    by_ecosystem = {u["package-ecosystem"]: u for u in updates}
    assert set(by_ecosystem) == {"pip", "github-actions"}
    for update in updates:
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"


def test_issue_forms_ask_what_a_maintainer_needs():
    def labels(path: Path) -> tuple[str, list[str]]:
        form = load(path)
        return form["name"], [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]

    name, fields = labels(GITHUB / "ISSUE_TEMPLATE" / "correction.yml")
    assert name == "Report a correction"
    assert {"Page URL", "What is wrong", "Evidence"} <= set(fields)
    name, fields = labels(GITHUB / "ISSUE_TEMPLATE" / "propose-source.yml")
    assert name == "Propose a source"
    assert {"URL", "Publisher", "Publication date", "What it adds"} <= set(fields)


def test_pull_request_template_checklist():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    for needle in ("byte for byte", "sha256", "verbatim", "kind", "make validate", "make fmt"):
        assert needle in text, needle
    assert text.count("- [ ]") >= 6


def test_pre_commit_hooks_run_the_validator_and_the_format_check():
    config = load(ROOT / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    entries = {h["entry"]: h for h in repo["hooks"]}
    for entry in (
        ".venv/bin/python -m scripts.kb validate",
        ".venv/bin/python -m scripts.kb fmt --check",
    ):
        hook = entries[entry]
        assert hook["language"] == "system"
        assert hook["files"] == "^data/"
        assert hook["pass_filenames"] is False


# -- the data summary of a pull request, and its comment --------------------------------


def test_ci_and_deploy_fetch_the_whole_history():
    for name in ("ci.yml", "deploy.yml"):
        for job in load(GITHUB / "workflows" / name)["jobs"].values():
            for step in steps(job):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["fetch-depth"] == 0, name


def test_ci_summarizes_a_pull_requests_data_changes():
    (job,) = load(GITHUB / "workflows" / "ci.yml")["jobs"].values()
    summary = next(s for s in steps(job) if "scripts.kb diff" in s.get("run", ""))
    assert "github.event_name == 'pull_request'" in summary["if"]
    script = summary["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in script
    # The merge commit against the base it merges into, cut well within the summary's 1 MiB.
    limits = [int(n) for n in re.findall(r"--max-bytes ([0-9]+)", script)]
    assert limits and max(limits) <= 256 * 1024
    assert "kb diff HEAD^1 HEAD --format json" in script.replace("scripts.kb diff", "kb diff")
    assert "pull_request.number" in summary["env"]["PR_NUMBER"]  # through the environment, not the script
    upload = next(s for s in steps(job) if s.get("with", {}).get("name") == "kb-diff")
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"].rstrip("/") == "kb-diff"
    assert steps(job).index(summary) < steps(job).index(upload)


COMMENT = GITHUB / "workflows" / "pr-comment.yml"


def test_the_comment_workflow_has_only_the_permissions_it_needs():
    workflow = load(COMMENT)
    assert triggers(workflow) == {"workflow_run": {"workflows": ["CI"], "types": ["completed"]}}
    assert workflow["permissions"] == {"pull-requests": "write", "actions": "read"}
    (job,) = workflow["jobs"].values()
    assert "permissions" not in job
    assert job["if"] == "github.event.workflow_run.event == 'pull_request'"


def test_the_comment_workflow_never_checks_out_the_pull_requests_code():
    (job,) = load(COMMENT)["jobs"].values()
    assert not [s for s in steps(job) if "checkout" in s.get("uses", "")]
    assert uses(job) == ["actions/download-artifact@v4"]
    download = steps(job)[0]
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    script = runs(job)
    assert "${{" not in script  # the artifact is read from files; nothing is pasted into the script
    assert not re.search(r"\b(git|pip|make|subprocess|exec|eval)\b", script)


def _comment_script() -> str:
    (job,) = load(COMMENT)["jobs"].values()
    (step,) = [s for s in steps(job) if s.get("shell") == "python"]
    return step["run"]


class FakeGitHub:
    """The few REST endpoints the comment script calls, on 127.0.0.1: a pull request and its comments."""

    def __init__(self, head_sha: str, comments: list[dict]):
        import http.server
        import json
        import threading

        self.head_sha, self.comments, self.requests = head_sha, comments, []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, data, status=200):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                fake.requests.append(("GET", self.path, None, self.headers.get("Authorization")))
                if self.path == "/repos/o/r/pulls/7":
                    return self.reply({"number": 7, "head": {"sha": fake.head_sha}})
                match = re.fullmatch(r"/repos/o/r/issues/7/comments\?per_page=100&page=([0-9]+)", self.path)
                if match:
                    page = int(match.group(1))
                    return self.reply(fake.comments[(page - 1) * 100 : page * 100])
                self.reply({"message": "Not Found"}, 404)

            def body(self):
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

            def do_POST(self):
                data = self.body()
                fake.requests.append(("POST", self.path, data, self.headers.get("Authorization")))
                fake.comments.append(
                    {"id": 1000 + len(fake.comments), "user": {"login": "github-actions[bot]"}, **data}
                )
                self.reply({}, 201)

            def do_PATCH(self):
                data = self.body()
                fake.requests.append(("PATCH", self.path, data, self.headers.get("Authorization")))
                comment_id = int(self.path.rsplit("/", 1)[1])
                next(c for c in fake.comments if c["id"] == comment_id).update(data)
                self.reply({})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _run_comment(
    tmp_path: Path, api: str, number: str, summary: str, head: str = "abc123"
) -> subprocess.CompletedProcess:
    folder = tmp_path / "kb-diff"
    folder.mkdir(exist_ok=True)
    (folder / "pull-request.txt").write_text(number, encoding="utf-8")
    (folder / "comment.md").write_text(summary, encoding="utf-8")
    script = tmp_path / "comment.py"
    script.write_text(_comment_script(), encoding="utf-8")
    env = {
        "PATH": "/usr/bin:/bin",
        "GITHUB_API_URL": api,
        "GITHUB_TOKEN": "token-1",
        "REPOSITORY": "o/r",
        "HEAD_SHA": head,
        "RUN_URL": "https://github.com/o/r/actions/runs/1",
        "ARTIFACT_DIR": str(folder),
    }
    return subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)


def test_the_comment_is_posted_once_then_updated_in_place(tmp_path):
    strangers = [
        {"id": i, "user": {"login": "someone"}, "body": "<!-- kb-diff-summary --> mine too"} for i in range(150)
    ]
    fake = FakeGitHub("abc123", strangers)
    with fake as api:
        first = _run_comment(tmp_path, api, "7\n", "### Knowledge base changes\n\nping @octocat\n")
        assert first.returncode == 0, first.stderr
        second = _run_comment(tmp_path, api, "7", "### Knowledge base changes, again\n")
        assert second.returncode == 0, second.stderr
    writes = [r for r in fake.requests if r[0] != "GET"]
    assert [(method, path) for method, path, _, _ in writes] == [
        ("POST", "/repos/o/r/issues/7/comments"),
        ("PATCH", "/repos/o/r/issues/comments/1150"),  # its own comment, found on the second page
    ]
    assert all(auth == "Bearer token-1" for *_, auth in fake.requests)
    posted = writes[0][2]["body"]
    assert posted.startswith("<!-- kb-diff-summary -->\n") and "@\u200boctocat" in posted and "@octocat" not in posted
    assert "again" in fake.comments[-1]["body"]
    assert all(c["body"] == "<!-- kb-diff-summary --> mine too" for c in fake.comments[:150])  # others' untouched


def test_the_comment_goes_only_to_the_pull_request_that_was_checked(tmp_path):
    fake = FakeGitHub("another-head", [])
    with fake as api:
        moved = _run_comment(tmp_path, api, "7", "summary")
        assert moved.returncode == 0 and "nothing posted" in moved.stdout
        forged = _run_comment(tmp_path, api, "7; rm -rf /", "summary")
        assert forged.returncode != 0 and "nothing posted" in forged.stderr
    assert [r[0] for r in fake.requests] == ["GET"]  # the pull request looked at, nothing written


def test_the_comment_is_cut_to_githubs_limit(tmp_path):
    fake = FakeGitHub("abc123", [])
    with fake as api:
        result = _run_comment(tmp_path, api, "7", "x" * 200_000)
        assert result.returncode == 0, result.stderr
    body = fake.comments[0]["body"]
    assert len(body) < 65_536 and "cut here" in body
