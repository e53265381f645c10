"""A real MkDocs build refuses untrusted files in data/ before it writes anything.

The small fixture knowledge base, with a person whose id would take the
people index page (people/index.md, in the configuration's docs folder: the
test project has no docs/ of its own, so the build must have read the
configured one), a record that is a link to a secret file outside data/, and
a dangling link. The build stops in on_config with every problem listed,
file:line:col, no traceback, no secret and no site.
"""

from __future__ import annotations

import pytest
from conftest_site import FIXTURE_DATA, build_site, make_project

pytestmark = pytest.mark.slow

SECRET = "SECRET-5c1e: a private file of the machine that builds"


def test_the_build_stops_on_links_and_taken_site_paths(tmp_path):
    config = make_project(tmp_path / "project", FIXTURE_DATA)
    data = config.parent / "data"
    assert not (config.parent / "docs").exists()
    person = next((data / "people").glob("*.yml"))
    (data / "people" / "index.yml").write_text(
        person.read_text(encoding="utf-8").replace(f"id: {person.stem}\n", "id: index\n"), encoding="utf-8"
    )
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (data / "units" / "secret.yml").symlink_to(tmp_path / "secret.txt")
    (data / "events" / "gone.yml").symlink_to(tmp_path / "no-such-file")

    site_dir = tmp_path / "site"
    result = build_site(site_dir, config=config, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert (
        "data/people/index.yml:2:5: error[site-path-taken]: the id 'index' would publish this person at "
        "people/index/, where the site already has people/index.md"
    ) in output
    for link in ("data/units/secret.yml", "data/events/gone.yml"):
        assert f"{link}:1:1: error[special-file]: this is a symbolic link" in output, output
    assert "3 problems in the data" in output, output
    assert SECRET not in output and "Traceback" not in output, output
    assert not site_dir.exists(), "the build wrote a site"
