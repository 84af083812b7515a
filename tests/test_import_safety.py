"""Hostile or broken import files (SPEC 8): refused with one line naming where, and nothing stored."""

import json
from pathlib import Path

import pytest

from service import text
from service.cli import main as tandem

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def refused(runner, kind, path):
    result = runner.invoke(tandem, ["import", kind, str(path), "--site", "blog"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def nothing_stored(runner):
    document = json.loads(runner.invoke(tandem, ["export", "--site", "blog"]).output)
    return document["threads"] == [] and document["comments"] == []


def test_a_broken_file_names_the_line_and_imports_nothing(runner, site):
    message = refused(runner, "wordpress", FIXTURES / "wordpress-truncated.xml")
    assert "not well-formed XML at line 21, column" in message and "mismatched tag" in message
    assert nothing_stored(runner)


def test_an_external_entity_is_refused_and_nothing_is_read_from_disk(runner, site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the-password-is-swordfish")
    attack = tmp_path / "xxe.xml"
    attack.write_text((FIXTURES / "wordpress-xxe.xml").read_text().replace("SECRET_PATH", str(secret)))
    message = refused(runner, "wordpress", attack)
    assert "refused at line 3" in message and "'secret'" in message
    assert "swordfish" not in message
    assert nothing_stored(runner)


def test_an_entity_bomb_is_refused_before_it_expands(runner, site):
    message = refused(runner, "wordpress", FIXTURES / "wordpress-entity-bomb.xml")
    assert "refused at line 3" in message and "never expanded" in message
    assert nothing_stored(runner)


@pytest.mark.parametrize("kind, content, expected", [
    ("wordpress", b"", "not well-formed XML at line 1, column 0: no element found"),
    ("wordpress", b"\x89PNG\r\n\x1a\n\x00\x00", "not well-formed XML at line 1"),
    ("disqus", b"`<?xml version='1.0'?><disqus xmlns='http://disqus.com'/>", "line 1, column 0: invalid token"),
    ("tandem", b'{"threads": [', "not valid JSON"),
    ("tandem", b'{"format": "other"}', "not a Tandem export"),
    ("tandem", b'{"format": "tandem", "version": 1, "threads": [], "comments": [{"ref": 1}], "trust": []}',
     "comment 1: 'ref' must be a string, not 1."),
    ("tandem", b'{"format": "tandem", "version": 1, "threads": [{"uri": "/a/"}], "comments": [{"ref": "r", '
               b'"thread": "/a/", "status": "approved", "text": "t", "html": "t", "created": "2026-11-02T10:00:00Z", '
               b'"likes": 1000000000}], "trust": []}', "'likes' must be a whole number from 0 to 100,000, not 1000000000."),
    ("tandem", b'{"format": "tandem", "version": 1, "threads": [{"uri": "/a/"}], "comments": [{"ref": "r", '
               b'"thread": "/a/", "status": "hidden", "text": "t", "html": "t", "created": "2026-11-02T10:00:00Z"}], '
               b'"trust": []}', "'status' must be one of approved, deleted, pending, spam, not 'hidden'."),
    ("isso", b"plain text, not a database", "not an SQLite database"),
])
def test_foreign_and_broken_files_are_one_clear_line(runner, site, tmp_path, kind, content, expected):
    path = tmp_path / "input"
    path.write_bytes(content)
    assert expected in refused(runner, kind, path)
    assert nothing_stored(runner)


def test_sanitising_foreign_html_is_stable_when_applied_again():
    for source in ["<p onclick=x>Hi <b>you</b></p>", "a\nb\n\nc https://x.example", "<ul><li>one</li></ul>"]:
        once = text.sanitise_html(source, line_breaks=True)
        assert text.sanitise_html(once) == once
