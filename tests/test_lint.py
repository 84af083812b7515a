"""The tools check what reviewers check, inside the README's test command (so CI fails on a finding):
ruff with the rules in pyproject.toml over the repository, and mypy over service/ (strict for the
modules pyproject.toml lists). Run either alone with `ruff check` or `mypy service`."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*arguments):
    result = subprocess.run([sys.executable, "-m", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=900)
    return result.returncode, (result.stdout + result.stderr).strip()


def test_ruff_finds_nothing():
    status, output = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    if status:
        pytest.fail(f"ruff check found problems (`ruff check --fix` mends some):\n{output}", pytrace=False)


def test_mypy_finds_nothing_in_the_service():
    status, output = _run("mypy", "service")
    if status:
        pytest.fail(f"mypy service found problems:\n{output}", pytrace=False)
