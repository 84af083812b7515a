"""`tandem doctor` and the admin Setup page (issue 12, point 10; SPEC 15): each check says ok,
warn or fail with its fix, and the command exits 1 when one fails."""

from datetime import UTC, datetime, timedelta

import pytest

from service import doctor, sites
from service.cli import main as tandem
from service.db import db
from service.doctor import FAIL, OK, WARN, Facts
from service.mail_models import Outbox
from service.models import utcnow
from service.operate.backup import scheduled_backup

from .admin_world import build_world, login

NOW = datetime(2026, 11, 29, 12, 0)


def facts(**changes):
    """A healthy production instance, changed as a test needs."""
    healthy = dict(public_url="https://comments.example.com", schema_revision="0005", newest_revision="0005",
                   smtp_host="mail.example.com", owner_email="me@example.com", now=NOW,
                   sites_origins={"blog": ["https://blog.example.com", "http://localhost:8000"]},
                   backup_dir="/var/backups/tandem", last_backup="tandem-20261129-030000.db",
                   last_backup_made=datetime(2026, 11, 29, 3, 0))
    return Facts(**{**healthy, **changes})


def test_a_healthy_instance_is_ok_everywhere():
    findings = doctor.diagnose(facts())
    assert [finding.state for finding in findings] == [OK] * len(doctor.CHECKS)
    assert not doctor.failed(findings)


@pytest.mark.parametrize("changes, check, state, fix", [
    ({"public_url": None}, "public URL", WARN, "set TANDEM_PUBLIC_URL"),
    ({"request_url": "http://10.0.0.5:8080/"}, "public URL", FAIL, "set TANDEM_PUBLIC_URL to the address"),
    ({"request_url": "https://comments.example.com/", "forwarded_headers": ("X-Forwarded-For",)},
     "trusted proxies", WARN, "set TANDEM_TRUSTED_PROXIES to the number of proxies"),
    ({"request_url": "https://comments.example.com/", "trusted_proxies": 1}, "trusted proxies", FAIL,
     "set TANDEM_TRUSTED_PROXIES=0"),
    ({"database_error": "connection refused"}, "database", FAIL, "check TANDEM_DATABASE_URL"),
    ({"schema_revision": "0004"}, "database", FAIL, "run `tandem db upgrade`"),
    ({"sqlite_free_bytes": 500 * 1024**2}, "database", WARN, "free disk space"),
    ({"sqlite_free_bytes": 50 * 1024**2}, "database", FAIL, "free disk space"),
    ({"redis_url": "redis://r:6379", "redis_error": "Connection refused"}, "redis", FAIL, "start Redis"),
    ({"smtp_host": None}, "mail", WARN, "set TANDEM_SMTP_HOST"),
    ({"smtp_error": "Connection refused"}, "mail", FAIL, "check TANDEM_SMTP_HOST"),
    ({"owner_mail_problem": "Notices cannot reach the owner: run `tandem user email`."}, "mail", WARN, None),
    ({"oldest_due_notice": NOW - timedelta(minutes=5)}, "notification worker", WARN, "check that a worker runs"),
    ({"oldest_due_notice": NOW - timedelta(hours=3)}, "notification worker", FAIL, "start a worker"),
    ({"sites_origins": {"blog": ["http://blog.example.com"]}}, "https origins", FAIL,
     "`tandem site origin add blog https://"),
    ({"backup_dir": None}, "backup", WARN, "set TANDEM_BACKUP_DIR to a folder"),
    ({"last_backup": None, "last_backup_made": None}, "backup", WARN, "check that a worker runs"),
    ({"last_backup_made": NOW - timedelta(days=2, minutes=1)}, "backup", WARN, "check that a worker runs"),
])
def test_each_problem_is_named_with_its_fix(changes, check, state, fix):
    finding = next(each for each in doctor.diagnose(facts(**changes)) if each.name == check)
    assert finding.state == state, finding
    if fix:
        assert finding.fix.startswith(fix) and "\n" not in finding.line()
    others = [each.state for each in doctor.diagnose(facts(**changes)) if each.name != check]
    assert set(others) == {OK}


def test_the_backup_line_tells_the_last_backups_age():
    finding = next(f for f in doctor.diagnose(facts()) if f.name == "backup")
    assert finding.line() == "ok    backup: the last backup, tandem-20261129-030000.db, is 9 hours old."
    old = next(f for f in doctor.diagnose(facts(last_backup_made=NOW - timedelta(days=5))) if f.name == "backup")
    assert old.found == "the last backup, tandem-20261129-030000.db, is 5 days old."


def test_a_local_instance_without_backups_is_told_how_but_not_warned():
    local = facts(public_url="http://127.0.0.1:8080", backup_dir=None, last_backup=None, last_backup_made=None)
    finding = next(f for f in doctor.diagnose(local) if f.name == "backup")
    assert finding.state == OK and finding.found == "no backup yet: TANDEM_BACKUP_DIR is not set."
    assert finding.fix.startswith("set TANDEM_BACKUP_DIR")


def test_a_local_instance_is_not_held_to_https_origins():
    local = facts(public_url="http://127.0.0.1:8080", sites_origins={"demo": ["http://127.0.0.1:8080"]})
    assert next(f for f in doctor.diagnose(local) if f.name == "https origins").state == OK


@pytest.fixture
def app(make_app, smtp_sink, tmp_path):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, PUBLIC_URL="https://comments.example.com",
                    BACKUP_DIR=str(tmp_path / "backups"))


def backup_made(app, days_ago=0):
    """A real backup into TANDEM_BACKUP_DIR, as the worker makes it, dated `days_ago`."""
    when = datetime.now(UTC) - timedelta(days=days_ago)
    return scheduled_backup(app.config["TANDEM_DATABASE_URL"], app.config["TANDEM_BACKUP_DIR"], 7, when)


def test_doctor_command_prints_one_line_per_check_and_fails_on_a_stuck_worker(app, runner):
    with app.app_context():
        sites.create_site("blog", "Blog", ["https://blog.example.com"])
    backup_made(app)
    healthy = runner.invoke(tandem, ["doctor"])
    assert healthy.exit_code == 0, healthy.output
    assert [line.split()[0] for line in healthy.output.splitlines()] == [OK] * len(doctor.CHECKS)
    with app.app_context():
        for due in (utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=6)):  # late; a retry not due yet
            db.session.add(Outbox(kind="mail", payload={"letter": "test", "to": "a@example.com"}, state="queued",
                                  created=utcnow() - timedelta(hours=7), next_attempt=due))
        db.session.commit()
    stuck = runner.invoke(tandem, ["doctor"])
    assert stuck.exit_code == 1
    assert "fail  notification worker: the oldest notice due has waited 60 minutes." in stuck.output
    assert "Fix: start a worker" in stuck.output


def test_setup_page_shows_owners_the_checks_on_their_own_request(app):
    world = build_world(app)
    owner = world.browser()
    assert login(owner, "owner@example.com").status_code == 303
    page = owner.get("/admin/setup", headers={"X-Forwarded-For": "203.0.113.9"}).get_data(as_text=True)
    assert "requests arrive on http://localhost but TANDEM_PUBLIC_URL is https://comments.example.com" in page
    assert "requests carry X-Forwarded-For but TANDEM_TRUSTED_PROXIES is 0" in page
    assert "Send a test mail to owner@example.com" in page
    assert world.browser("mod-a@example.com").get("/admin/setup").status_code == 403


def test_doctor_and_the_setup_page_show_the_last_backups_age(app, runner):
    folder = app.config["TANDEM_BACKUP_DIR"]
    assert f"warn  backup: no backup yet in {folder}. Fix: check that a worker runs" in runner.invoke(
        tandem, ["doctor"]).output
    old = backup_made(app, days_ago=3)
    assert f"warn  backup: the last backup, {old.name}, is 3 days old. Fix: check that a worker runs" in (
        runner.invoke(tandem, ["doctor"]).output)
    fresh = backup_made(app)  # the worker's next look: a day has passed, so it makes one
    assert f"ok    backup: the last backup, {fresh.name}, is less than a minute old." in runner.invoke(
        tandem, ["doctor"]).output
    world = build_world(app)
    owner = world.browser()
    assert login(owner, "owner@example.com").status_code == 303
    page = owner.get("/admin/setup").get_data(as_text=True)
    assert f"the last backup, {fresh.name}, is less than a minute old." in page


def test_the_setup_page_says_how_to_get_backups_when_none_are_configured(make_app):
    app = make_app(PUBLIC_URL="https://comments.example.com")
    world = build_world(app)
    owner = world.browser()
    assert login(owner, "owner@example.com").status_code == 303
    page = owner.get("/admin/setup").get_data(as_text=True)
    assert "no backup yet: TANDEM_BACKUP_DIR is not set." in page
    assert "set TANDEM_BACKUP_DIR to a folder: the worker makes a backup there each day" in page
