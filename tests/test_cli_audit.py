"""What the `tandem` command changes is in the audit log, done by "command line" (SPEC 6 and 9)."""

from sqlalchemy import select

from service.audit import CLI_ACTOR
from service.cli import main as tandem
from service.db import db
from service.models import AuditEntry

PASSWORD = "a long enough password"


def run(runner, *args):
    result = runner.invoke(tandem, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def audit_log(app):
    """Every entry, oldest first, as (actor, action, target, details)."""
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(entry.actor, entry.action, entry.target, entry.details) for entry in entries]


def test_site_add_and_set_are_audited_as_the_command_line(runner, app):
    run(runner, "site", "add", "myblog", "--name", "My blog", "--origin", "https://me.example.org")
    run(runner, "site", "set", "myblog", "max_depth", "3")
    run(runner, "site", "set", "myblog", "name", "Renamed")
    assert [(actor, action, target) for actor, action, target, _ in audit_log(app)] == [
        (CLI_ACTOR, "site.create", "myblog"), (CLI_ACTOR, "site.update", "myblog"),
        (CLI_ACTOR, "site.update", "myblog")]
    assert audit_log(app)[1][3] == {"max_depth": "3"} and audit_log(app)[2][3] == {"name": "Renamed"}


def test_user_add_and_password_are_audited_without_the_password(runner, site, app):
    run(runner, "user", "add", "Mod@Example.org", "--password", PASSWORD, "--site", site)
    run(runner, "user", "password", "mod@example.org", "--password", "another long password")
    log = audit_log(app)
    assert [(actor, action, target) for actor, action, target, _ in log] == [
        (CLI_ACTOR, "moderator.add", "mod@example.org"), (CLI_ACTOR, "moderator.password", "mod@example.org")]
    assert log[0][3] == {"sites": [site], "owner": False}
    assert "password" not in repr(log).replace("moderator.password", "")


def test_token_create_is_audited_naming_the_account_but_not_the_token(runner, site, app):
    run(runner, "user", "add", "mod@example.org", "--password", PASSWORD)
    token = run(runner, "token", "create", "mod@example.org").output.strip()
    assert audit_log(app)[-1] == (CLI_ACTOR, "token.create", "cli", {"account": "mod@example.org"})
    assert token not in repr(audit_log(app))


def test_moderate_approve_reject_spam_are_audited_as_the_command_line(runner, reader, app):
    ids = [reader.post(f"held {n}").json["comment"]["id"] for n in range(3)]
    run(runner, "moderate", "approve", str(ids[0]))
    run(runner, "moderate", "reject", str(ids[1]))
    run(runner, "moderate", "spam", str(ids[2]))
    assert [(actor, action, target) for actor, action, target, _ in audit_log(app)] == [
        (CLI_ACTOR, "approve", f"comment {ids[0]}"), (CLI_ACTOR, "reject", f"comment {ids[1]}"),
        (CLI_ACTOR, "spam", f"comment {ids[2]}")]


def test_forget_is_audited_as_the_command_line(runner, reader, app):
    reader.post("mine", email="ann@example.org")
    run(runner, "forget", "ann@example.org")
    [(actor, action, target, details)] = audit_log(app)
    assert (actor, action, details["comments"]) == (CLI_ACTOR, "forget", 1)
    assert "ann@example.org" not in target


def test_a_refused_command_leaves_no_audit_entry(runner, site, app):
    assert runner.invoke(tandem, ["site", "set", site, "max_depth", "deep"]).exit_code == 1
    assert runner.invoke(tandem, ["user", "add", "a@example.org", "--password", "short"]).exit_code == 1
    assert audit_log(app) == []


def test_the_admin_audit_log_shows_command_line_changes(runner, client, app):
    run(runner, "user", "add", "owner@example.org", "--password", PASSWORD, "--owner")
    run(runner, "site", "add", "myblog", "--name", "My blog", "--origin", "https://me.example.org")
    assert client.post("/admin/login", data={"email": "owner@example.org", "password": PASSWORD}).status_code == 303
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.count(f"<td>{CLI_ACTOR}</td>") == 2
    assert "<td>site.create</td>" in page and "<td>moderator.add</td>" in page
