"""`tandem doctor` and the admin Setup page (issue 12, point 10; SPEC 15): each check says ok,
warn or fail with its fix, and the command exits 1 when one fails."""

from datetime import datetime, timedelta

import pytest

from service import doctor, sites
from service.cli import main as tandem
from service.db import db
from service.doctor import FAIL, OK, WARN, Facts
from service.models import Outbox, utcnow

from .admin_world import build_world, login

NOW = datetime(2026, 11, 29, 12, 0)


def facts(**changes):
    """A healthy production instance, changed as a test needs."""
    healthy = dict(public_url="https://comments.example.com", schema_revision="0005", newest_revision="0005",
                   smtp_host="mail.example.com", owner_email="me@example.com", now=NOW,
                   sites_origins={"blog": ["https://blog.example.com", "http://localhost:8000"]})
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
])
def test_each_problem_is_named_with_its_fix(changes, check, state, fix):
    finding = next(each for each in doctor.diagnose(facts(**changes)) if each.name == check)
    assert finding.state == state, finding
    if fix:
        assert finding.fix.startswith(fix) and "\n" not in finding.line()
    others = [each.state for each in doctor.diagnose(facts(**changes)) if each.name != check]
    assert set(others) == {OK}


def test_a_local_instance_is_not_held_to_https_origins():
    local = facts(public_url="http://127.0.0.1:8080", sites_origins={"demo": ["http://127.0.0.1:8080"]})
    assert next(f for f in doctor.diagnose(local) if f.name == "https origins").state == OK


@pytest.fixture
def app(make_app, smtp_sink):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, PUBLIC_URL="https://comments.example.com")


def test_doctor_command_prints_one_line_per_check_and_fails_on_a_stuck_worker(app, runner):
    with app.app_context():
        sites.create_site("blog", "Blog", ["https://blog.example.com"])
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
