"""A git repository that the tests make, commit by commit (not a pytest conftest).

`GitRepo` runs the git command in a temporary folder with a fixed author and fixed dates, so
the same steps give the same commit ids. `story(root)` makes the knowledge base of
tests/fixtures/kbsite/data go through every kind of change the history and `kb diff` know:
edits of claims (text, quote, kind, attribution, status, a citation added), a discrepancy
closed, a change that only reformats and reorders, a record renamed, a record removed, a source
added, a commit outside the data, an unreadable version later fixed, a symbolic link in the
data (removed again: the work tree ends valid), and a pull request merged with a merge commit.

Imported by tests/test_diff.py, test_history.py, test_history_site.py and test_diff_markdown.py.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "kbsite" / "data"


class GitRepo:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.ticks = 0

    def git(self, *args: str, env: dict | None = None) -> str:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        environment.update(
            GIT_AUTHOR_NAME="Test Author",
            GIT_AUTHOR_EMAIL="author@example.com",
            GIT_COMMITTER_NAME="Test Committer",
            GIT_COMMITTER_EMAIL="committer@example.com",
            GIT_CONFIG_NOSYSTEM="1",
            GIT_CONFIG_GLOBAL=os.devnull,
        )
        environment.update(env or {})
        result = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, env=environment, check=False
        )
        if result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout.strip()

    def init(self) -> GitRepo:
        self.root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        return self

    def commit(self, message: str) -> str:
        """Commit everything, dated a day after the last commit; the new commit's id."""
        self.ticks += 1
        date = f"2025-04-{self.ticks:02d}T12:00:00+00:00"
        self.git("add", "-A")
        self.git(
            "commit", "-q", "--allow-empty", "-m", message, env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        )
        return self.git("rev-parse", "HEAD")

    # -- editing files -----------------------------------------------------------------

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> None:
        self.path(relative).parent.mkdir(parents=True, exist_ok=True)
        self.path(relative).write_text(text, encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{relative} has no {old!r}"
        self.write(relative, text.replace(old, new, 1))


@dataclass
class Story:
    repo: GitRepo
    commits: dict[str, str] = field(default_factory=dict)  # step name -> commit id


NEW_SOURCE_TEXT = "Northwind Robotics opened a second factory in Ostrava.\n"


def story(root: Path, data: Path | None = FIXTURE_DATA) -> Story:
    """The repository at `root` (data in root/data: a copy of `data`, or already there if None),
    through every kind of change, step by step."""
    repo = GitRepo(root).init()
    if data is not None:
        shutil.copytree(data, root / "data")
    repo.write("README.md", "A test repository.\n")
    told = Story(repo)
    told.commits["initial"] = repo.commit("The knowledge base, first recorded")

    ada, ben = "data/people/ada-park.yml", "data/people/ben-ortiz.yml"
    division = "data/units/autonomy-division.yml"
    repo.replace(ada, "Ada Park told employees that the company", "Ada Park told staff that the company")
    repo.replace(
        ben,
        "quote: will leave the company at the end of the month",
        "quote: Ben Ortiz, who has run the Motion Lab since 2019, will leave the company at the end of the month.",
    )
    repo.replace(ben, "status: current", "status: former")
    repo.replace(division, "  - kind: analysis\n", "  - kind: reported\n")
    repo.replace(division, "    attribution: Industry analysts\n", "")
    repo.replace("data/discrepancies/autonomy-division-announcement-date.yml", "status: open", "status: resolved")
    repo.replace(
        "data/units/northwind-robotics.yml",
        "    quote: Northwind Robotics has folded its Motion Lab\n",
        "    quote: Northwind Robotics has folded its Motion Lab\n"
        "  - source: northwind-autonomy-report\n"
        "    quote: Northwind Robotics has folded its Motion Lab into a new Autonomy Division\n",
    )
    told.commits["edit"] = repo.commit("Claims edited: a text, a quote, a status, a kind; a citation added")

    # Only the form: key order, list order, quoting, comments.
    repo.write(
        "data/units/motion-lab.yml",
        "# yaml-language-server: $schema=../../../../../data/schemas/unit.schema.json\n"
        "id: motion-lab\n"
        "kind: laboratory   # moved up\n"
        'name: "Motion Lab"\n'
        "parents:\n"
        "  - status: former\n"
        "    unit: northwind-robotics\n"
        "    cite:\n"
        "      - quote: 'Northwind Robotics has folded its Motion Lab into a new Autonomy Division'\n"
        "        source: northwind-autonomy-report\n"
        "cite:\n"
        "  - quote: Northwind Robotics has folded its Motion Lab\n"
        "    source: northwind-autonomy-report\n",
    )
    text = repo.read(ada)
    first, second = text.index("  - role: Chief Technology Officer"), text.index("  - role: Leader")
    end = text.index("statements:")
    repo.write(ada, text[:first] + text[second:end] + text[first:second] + text[end:])
    told.commits["reformat"] = repo.commit("Reformatted and reordered, nothing else")

    (root / "data/units/motion-lab.yml").rename(root / "data/units/robotics-lab.yml")
    repo.replace("data/units/robotics-lab.yml", "id: motion-lab", "id: robotics-lab")
    repo.replace(ben, "unit: motion-lab", "unit: robotics-lab")
    repo.replace(
        "data/events/motion-lab-folded-into-autonomy-division.yml", "      - motion-lab\n", "      - robotics-lab\n"
    )
    told.commits["rename"] = repo.commit("Motion Lab's record renamed")

    (root / ben).unlink()
    repo.replace(
        "data/sources/northwind-autonomy-report.yml",
        "no_claim:\n",
        "no_claim:\n"
        "  - quote: Ben Ortiz, who has run the Motion Lab since 2019, will leave the company\n"
        "    reason: No record of him is kept.\n",
    )
    told.commits["remove"] = repo.commit("Ben Ortiz's record removed")

    repo.write("data/sources/northwind-factory-note.txt", NEW_SOURCE_TEXT)
    digest = hashlib.sha256(NEW_SOURCE_TEXT.encode()).hexdigest()
    repo.write(
        "data/sources/northwind-factory-note.yml",
        "id: northwind-factory-note\n"
        "title: Northwind Opens a Second Factory\n"
        "kind: news-report\n"
        "publisher: null\n"
        "url: null\n"
        "published: null\n"
        "archive: northwind-factory-note.txt\n"
        f"sha256: {digest}\n",
    )
    repo.replace(
        "data/units/northwind-robotics.yml",
        "kind: company\n",
        "kind: company\n"
        "statements:\n"
        "  - text: Northwind Robotics opened a second factory in Ostrava.\n"
        "    cite:\n"
        "      - source: northwind-factory-note\n"
        "        quote: Northwind Robotics opened a second factory in Ostrava.\n",
    )
    told.commits["source"] = repo.commit("A source added, and a claim citing it")

    repo.replace("README.md", "A test", "A test (and only a test)")
    told.commits["outside"] = repo.commit("Nothing in the data")

    repo.write("data/units/northwind-robotics.yml", repo.read("data/units/northwind-robotics.yml") + "  broken: [\n")
    told.commits["broken"] = repo.commit("A record that does not parse")
    repo.replace("data/units/northwind-robotics.yml", "  broken: [\n", "")
    repo.replace(
        "data/units/northwind-robotics.yml",
        "opened a second factory in Ostrava.\n    cite",
        "opened a second factory.\n    cite",
    )
    told.commits["fixed"] = repo.commit("Fixed, and its statement shortened")

    os.symlink("/etc/passwd", root / "data/people/intruder.yml")
    os.symlink("../../README.md", root / "data/units/elsewhere.yml")
    told.commits["symlinks"] = repo.commit("Symbolic links in the data")
    (root / "data/people/intruder.yml").unlink()
    (root / "data/units/elsewhere.yml").unlink()
    told.commits["unlinked"] = repo.commit("Symbolic links removed")

    # A pull request: a branch with two commits, merged with a merge commit; main moved meanwhile.
    repo.git("checkout", "-q", "-b", "pull-request")
    repo.replace(ada, "quote: also known as Park Ji-ah", "quote: Ada Park, also known as Park Ji-ah")
    told.commits["branch-1"] = repo.commit("On the branch: a quote extended")
    repo.replace(ada, "name: Park Ji-ah", "name: Park Ji-ah (her Korean name)")
    told.commits["branch-2"] = repo.commit("On the branch: an other name changed")
    repo.git("checkout", "-q", "main")
    repo.replace("README.md", "only a test", "only ever a test")
    told.commits["main-meanwhile"] = repo.commit("Main moves on, outside the data")
    repo.ticks += 1
    date = f"2025-04-{repo.ticks:02d}T12:00:00+00:00"
    repo.git(
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request",
        "pull-request",
        env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
    )
    told.commits["merge"] = repo.git("rev-parse", "HEAD")
    return told
