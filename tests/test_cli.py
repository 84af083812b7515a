"""The `tandem` command (SPEC 9): each command works, and bad input is one line and a non-zero exit."""

import json

import pytest

from service.cli import main as tandem


def run(runner, *args):
    return runner.invoke(tandem, list(args), catch_exceptions=False)


def test_site_add_list_show_set_snippet(runner, app):
    assert run(runner, "site", "add", "myblog", "--name", "My blog", "--origin", "https://me.example.org",
               "--moderation", "all").exit_code == 0
    assert "myblog\tMy blog\thttps://me.example.org" in run(runner, "site", "list").output
    assert run(runner, "site", "set", "myblog", "max_depth", "3").exit_code == 0
    shown = json.loads(run(runner, "site", "show", "myblog").output)
    assert shown["settings"]["moderation"] == "all" and shown["settings"]["max_depth"] == 3
    snippet = run(runner, "site", "snippet", "myblog").output
    assert 'data-site="myblog"' in snippet and "/embed.js" in snippet and '<div id="tandem-comments">' in snippet


@pytest.mark.parametrize("args, message", [
    (["site", "add", "Bad Key!", "--name", "x", "--origin", "https://a.example"], "site key"),
    (["site", "add", "ok", "--name", "x", "--origin", "not-an-origin"], "not an origin"),
    (["site", "show", "missing"], "no site"),
    (["site", "set", "missing", "max_depth", "3"], "no site"),
    (["moderate", "approve", "424242"], "no comment 424242"),
    (["user", "password", "nobody@example.org", "--password", "long enough password"], "no account"),
    (["token", "create", "nobody@example.org"], "no account"),
    (["user", "add", "not-an-email", "--password", "long enough password"], "not an e-mail"),
    (["user", "add", "a@example.org", "--password", "short"], "at least"),
])
def test_bad_input_is_one_line_and_a_non_zero_exit(runner, app, args, message):
    result = runner.invoke(tandem, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_setting_values_are_refused(runner, site):
    for setting, value in [("moderation", "sometimes"), ("max_depth", "deep"), ("nonsense", "1"), ("markdown", "maybe")]:
        result = runner.invoke(tandem, ["site", "set", "blog", setting, value])
        assert result.exit_code == 1 and "Error:" in result.output


def test_user_add_and_token_create(runner, site):
    assert run(runner, "user", "add", "mod@example.org", "--password", "a long password", "--site", "blog").exit_code == 0
    token = run(runner, "token", "create", "mod@example.org").output.strip()
    assert token.startswith("tdm_") and len(token) > 30
    assert run(runner, "user", "password", "mod@example.org", "--password", "another long one").exit_code == 0


def test_moderate_list_approve_reject_spam(runner, reader, client):
    ids = [reader.post(f"held {n}").json["comment"]["id"] for n in range(3)]
    listed = run(runner, "moderate", "list", "--site", "blog")
    assert "held 0" in listed.output and "first comment" in listed.output
    assert [row["id"] for row in json.loads(run(runner, "moderate", "list", "--json").output)] == ids[::-1]
    run(runner, "moderate", "approve", str(ids[0]))
    run(runner, "moderate", "reject", str(ids[1]))
    run(runner, "moderate", "spam", str(ids[2]))
    assert "Nothing is waiting." in run(runner, "moderate", "list").output
    page = client.get("/api/comments?site=blog&uri=/post/").json
    assert [c["id"] for c in page["comments"]] == [ids[0]]


def test_approve_without_trust_keeps_the_next_comment_held(runner, reader):
    first = reader.post("first").json["comment"]["id"]
    run(runner, "moderate", "approve", "--no-trust", str(first))
    assert reader.post("second").json["comment"]["status"] == "pending"


def test_db_upgrade_is_repeatable(runner, app):
    assert "up to date" in run(runner, "db", "upgrade").output




def test_a_fresh_instance_with_a_secret_from_the_environment_starts(tmp_path):
    from service import create_app

    folder = tmp_path / "new" / "instance"
    app = create_app(environ={"TANDEM_INSTANCE": str(folder), "TANDEM_SECRET_KEY": "from-env"})
    result = app.test_cli_runner().invoke(tandem, ["db", "upgrade"])
    assert result.exit_code == 0 and (folder / "tandem.db").exists()
