"""The README is a manual (issue 12, point 12): it sends readers to no file a clone lacks, keeps
one benchmark table (the run log lives in bench/README.md), names each blog engine's recipe as
`service.recipes` has it, and the API reference in docs/api.md is what /api/openapi.json says."""

import fnmatch
import re
import subprocess
from pathlib import Path

import pytest

from service import recipes
from service.api import reference

ROOT = Path(__file__).resolve().parent.parent
MANUALS = ["README.md", "bench/README.md", "docs/api.md"]


def tracked_files():
    """What a clone contains: the files git tracks (plus this work tree's new ones, not yet added)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    return set(listed.split())


def section(text, heading):
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


@pytest.mark.parametrize("manual", MANUALS)
def test_the_manuals_send_readers_only_to_files_a_clone_contains(manual):
    files = tracked_files()
    folders = {name.split("/", 1)[0] for name in files}
    text = (ROOT / manual).read_text()
    here = (ROOT / manual).parent.relative_to(ROOT)
    missing = []
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path = str((here / target).as_posix()).removeprefix("./")
        if path not in files and not any(name.startswith(path.rstrip("/") + "/") for name in files):
            missing.append(target)
    for quoted in re.findall(r"`([^`\s]+)`", text):
        in_repository = quoted.split("/", 1)[0] in folders and "/" in quoted
        if (in_repository or quoted.endswith(".md")) and not fnmatch.filter(files, quoted.rstrip("/") + "*"):
            missing.append(quoted)
    assert missing == []


def test_the_readme_keeps_one_benchmark_table_and_its_command():
    speed = section((ROOT / "README.md").read_text(), "Speed")
    assert "bench/run.sh" in speed
    tables = re.findall(r"\n\|[^\n]*\|\n\|[-:| ]+\|\n", speed)
    assert len(tables) == 1
    assert "[bench/README.md](bench/README.md#run-log)" in speed
    assert "## Run log" in (ROOT / "bench/README.md").read_text()


def test_the_readme_names_each_recipe_as_the_snippet_command_prints_it():
    add_it = section((ROOT / "README.md").read_text(), "Add it to your blog").replace("\\|", "|")
    for recipe in recipes.RECIPES.values():
        assert recipe.title in add_it and recipe.post_path in add_it
        assert f"tandem site snippet KEY --for {recipe.engine}" in add_it


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_api_reference_is_what_openapi_json_says(client):
    served = client.get("/api/openapi.json").get_json()
    written = (ROOT / "docs/api.md").read_text()
    assert written == reference.render(served), f"docs/api.md is out of date: run `{reference.REGENERATE}`"
    for path in served["paths"]:
        assert f"`{path}`" in written
