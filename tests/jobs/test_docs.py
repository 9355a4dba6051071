"""The README and docs/ stand on their own: every link points inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_link_points_to_a_file_in_the_repository(document):
    for target in LINK.findall(document.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path = (document.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{document.name} links outside: {target}"
        assert path.exists(), f"{document.name} links to a missing file: {target}"


def test_the_readme_links_the_docs():
    readme = (ROOT / "README.md").read_text()
    for doc in ("docs/workflow.md", "docs/api.md", "docs/operations.md"):
        assert f"]({doc})" in readme
    assert "../shared" not in readme
