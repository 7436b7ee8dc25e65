"""Every dependency is pinned, with hashes, in the lock files that CI and the set-up install:
a dependency added to pyproject.toml without `scripts/lock` fails here, by name."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes)."""
    found = {}
    for block in re.split(r"\n(?=\S)", (ROOT / lock).read_text()):
        if match := re.match(r"([A-Za-z0-9_.\-\[\]]+)==(\S+)", block):
            name = canonicalize_name(match.group(1).split("[")[0])
            found[name] = (match.group(2), block.count("--hash=sha256:"))
    return found


def requirements(group: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["optional-dependencies"][group] if group else project["dependencies"]
    return [Requirement(text) for text in listed]


def test_every_dependency_is_pinned_within_its_bounds_with_hashes():
    for lock, wanted in (
        ("requirements.lock", requirements()),
        ("requirements-test.lock", requirements() + requirements("test")),
    ):
        pinned = pins(lock)
        for requirement in wanted:
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{name} is not in {lock}: run scripts/lock"
            version, hashes = pinned[name]
            assert requirement.specifier.contains(version), f"{lock}: {name}=={version}"
        assert all(hashes for _, hashes in pinned.values()), f"{lock} has a pin without a hash"


def test_the_test_lock_installs_the_same_versions_as_the_server_lock():
    server, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert {name: test.get(name) for name in server} == server
