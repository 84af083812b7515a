"""The outbox worker: exactly-once delivery across workers, back-off, recovery, and never slowing a reader."""

import threading
import time
from datetime import timedelta

from service import sites
from service.cli import main as tandem
from service.db import db
from service.mail_models import Outbox
from service.models import Comment, utcnow
from service.notify import log, outbox, start_delivery_process, worker

from .notify_support import PUBLIC_URL, SmtpSink, free_port, wait_for


def mail_app(make_app, port):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=port, PUBLIC_URL=PUBLIC_URL)


def queue_test_mails(app, count):
    with app.app_context():
        for number in range(count):
            outbox.enqueue(outbox.MAIL, {"letter": "test", "to": f"reader{number}@example.com"})
        db.session.commit()


def states(app):
    with app.app_context():
        return [row.state for row in db.session.query(Outbox).order_by(Outbox.id)]


def test_two_workers_never_deliver_one_message_twice(make_app, smtp_sink):
    first, second = mail_app(make_app, smtp_sink.port), mail_app(make_app, smtp_sink.port)
    queue_test_mails(first, 40)
    start = threading.Barrier(2)

    def work(app):
        start.wait()
        with app.app_context():
            worker.run_once()

    threads = [threading.Thread(target=work, args=(app,)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    recipients = [message["To"] for message in smtp_sink.messages]
    assert len(recipients) == 40
    assert sorted(recipients) == sorted(f"reader{number}@example.com" for number in range(40))
    assert states(first) == ["sent"] * 40


def test_mail_server_down_never_slows_the_post_and_mail_arrives_after_restart(make_app):
    port = free_port()  # nothing listens here yet: the mail server is down
    app = mail_app(make_app, port)
    with app.app_context():
        sites.create_site("blog", "A blog", ["https://blog.example.com"], {"challenge": "off", "notify": "all"})
        from service import accounts

        accounts.create_moderator("mod@example.com", None, sites=[sites.get_site("blog")])
    started = time.monotonic()
    posted = app.test_client().post("/api/comments", json={"site": "blog", "uri": "/p/", "text": "Hello"},
                                    headers={"Origin": "https://blog.example.com"})
    assert posted.status_code == 201 and time.monotonic() - started < 1.0

    now = utcnow()
    with app.app_context():
        worker.run_once(now)
        [row] = log.recent_deliveries()
    assert row["state"] == "queued" and row["attempts"] == 1 and "Connection refused" in row["last_error"]

    sink = SmtpSink(port).start()
    try:
        restarted = mail_app(make_app, port)  # a new process: only the database is shared
        with restarted.app_context():
            assert worker.run_once(now + timedelta(seconds=30)) == 0  # backing off: not yet
            assert worker.run_once(now + worker.retry_delay(1)) == 1
            [row] = log.recent_deliveries()
        assert row["state"] == "sent" and row["attempts"] == 2
        [mail] = sink.to("mod@example.com")
        assert "Hello" in mail.get_body(("plain",)).get_content()
    finally:
        sink.stop()


def test_retries_back_off_exponentially_then_give_up_with_the_last_error(make_app):
    app = mail_app(make_app, free_port())
    queue_test_mails(app, 1)
    now = utcnow()
    with app.app_context():
        waits = []
        for _attempt in range(worker.MAX_ATTEMPTS):
            worker.run_once(now)
            row = db.session.query(Outbox).one()
            db.session.rollback()
            if row.state == "queued":
                waits.append(row.next_attempt - now)
                now = row.next_attempt
        [shown] = log.recent_deliveries(states=["failed"])
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert len(waits) == worker.MAX_ATTEMPTS - 1
    assert shown["attempts"] == worker.MAX_ATTEMPTS and "127.0.0.1" in shown["last_error"]


def test_a_worker_that_died_mid_delivery_leaves_its_messages_to_the_next(make_app, smtp_sink):
    app = mail_app(make_app, smtp_sink.port)
    queue_test_mails(app, 2)
    now = utcnow()
    with app.app_context():
        assert len(worker.claim(now)) == 2  # claimed, then the process was killed
        assert worker.run_once(now + timedelta(minutes=1)) == 0
        assert worker.run_once(now + worker.LEASE + timedelta(seconds=1)) == 2
    assert len(smtp_sink.messages) == 2


def test_serve_delivers_from_a_child_process_and_stops_it(make_app, smtp_sink):
    app = mail_app(make_app, smtp_sink.port)
    running = start_delivery_process(app, interval=0.05)
    try:
        queue_test_mails(app, 1)
        wait_for(lambda: len(smtp_sink.messages) == 1)
    finally:
        running.terminate()
        running.join(10)
    assert running.exitcode == 0  # SIGTERM: the round at hand finished, then a clean exit


def test_worker_command_delivers_what_is_due(make_app, smtp_sink):
    app = mail_app(make_app, smtp_sink.port)
    queue_test_mails(app, 3)
    result = app.test_cli_runner().invoke(tandem, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert len(smtp_sink.messages) == 3


def test_old_held_and_spam_comments_are_purged_approved_ones_kept(make_app):
    app = make_app(PURGE_AFTER_DAYS=30)
    client = app.test_client()
    with app.app_context():
        sites.create_site("blog", "A blog", ["https://blog.example.com"], {"challenge": "off"})
    ids = [client.post("/api/comments", json={"site": "blog", "uri": "/p/", "text": text, "hp": hp},
                       headers={"Origin": "https://blog.example.com"}).json["comment"]["id"]
           for text, hp in (("held", ""), ("spam", "filled"), ("kept", ""))]
    from service import comments

    with app.app_context():
        comments.moderate([ids[2]], "approve")
        worker.Worker(app).tick(utcnow() + timedelta(days=29))
        assert db.session.query(Comment).count() == 3
        worker.Worker(app).tick(utcnow() + timedelta(days=31))
        assert [comment.text for comment in db.session.query(Comment)] == ["kept"]
