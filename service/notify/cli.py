"""`tandem worker`, `tandem mail test EMAIL`, `tandem mail receive` and `tandem webhook secret KEY`."""

import signal
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from .. import sites
from ..vocabulary import OutboxState
from . import inbound, log, outbox, webhooks
from .worker import Worker


@click.command(name="worker")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds between looks at the outbox.")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@with_appcontext
def worker_command(interval, once):
    """Deliver notifications (mail, webhooks, spam checks). Run as many as you like."""
    app = current_app._get_current_object()
    worker = Worker(app, interval)
    if once:
        worker.tick()
        return
    # systemd and `docker stop` send SIGTERM: finish the delivery at hand, then exit, rather than
    # die between a mail sent and its row marked sent (which would send it again after the lease).
    signal.signal(signal.SIGTERM, lambda _signal, _frame: worker.stop())
    click.echo(f"Tandem worker: {outbox.pending_count()} message(s) queued; checking every {interval:g}s.")
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()


mail = AppGroup("mail", help="E-mail delivery.")


@mail.command(name="test")
@click.argument("email")
def mail_test(email):
    """Send a test mail now, and say whether the SMTP server took it.

    EMAIL may be any address an account has, even one that is not a real mailbox.
    """
    delivery = log.send_test_mail(email)
    if delivery["state"] != OutboxState.SENT:
        raise click.ClickException(f"The test mail to {email} was not sent: {delivery['last_error']}")
    click.echo(f"Sent a test mail to {email} via {current_app.config['TANDEM_SMTP_HOST']}.")


@mail.command(name="receive")
def mail_receive():
    """Act on one mail from stdin (an MTA pipe) if it answers a notice.

    Exits 0 when the mail was handled or deliberately ignored (the delivery log says why), and
    non-zero only when the input is not a mail at all, so the MTA never bounces to a forged sender.
    """
    try:
        outcome = inbound.receive(sys.stdin.buffer.read(), current_app.config)
    except inbound.Unreadable as error:
        raise click.ClickException(f"Not a mail: {error}") from None
    click.echo(("Handled: " if outcome.handled else "Ignored: ") + outcome.reason)


webhook = AppGroup("webhook", help="Webhooks.")


@webhook.command(name="secret")
@click.argument("key")
def webhook_secret(key):
    """Print the secret the site KEY signs its webhooks with.

    The receiver checks each call's signature with it.
    """
    site = sites.get_site(key)
    click.echo(webhooks.site_secret(current_app.config["SECRET_KEY"], site.key))


COMMANDS = (worker_command, mail, webhook)
