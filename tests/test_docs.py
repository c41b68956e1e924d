"""The README and docs/ only point at files that exist in the repository (a clone has no
design notes next to it), and the README starts with the two commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_local_link_stays_in_the_repository_and_exists(doc: Path) -> None:
    for target in LINK.findall(doc.read_text("utf-8")):
        if re.match(r"^[a-z]+://|^#|^mailto:", target):
            continue
        path = (doc.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{doc.name}: {target} leaves the repository"
        assert path.exists(), f"{doc.name}: {target} does not exist"


def test_the_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    assert lines[2] == "```sh"
    assert lines[3].startswith("make run ") and lines[4].startswith("make test ")
