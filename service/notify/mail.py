"""Sending e-mail over SMTP (`TANDEM_SMTP_*`), as plain text with an HTML alternative."""

import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from ..text import clean_line

TIMEOUT = 15  # seconds; a hanging mail server costs the worker this much, never a reader


class MailFailed(Exception):
    """The mail could not be handed to the SMTP server; the outbox retries it later."""


class Unaddressable(ValueError):
    """The recipient is not one plain address; no retry can change that."""


def compose(config, to, subject, text, html=None, headers=None):
    """The message to one recipient. Header values are made single-line here, whatever a name or
    title holds, and `to` must be one bare address: no field can add a header line or a recipient."""
    message = EmailMessage()
    message["From"] = config["TANDEM_MAIL_FROM"]
    message["To"] = _one_recipient(to)
    message["Subject"] = clean_line(subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender_domain(config))
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        message[name] = clean_line(value)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def sender_domain(config):
    """The domain of TANDEM_MAIL_FROM, for Message-ID and List-Id."""
    return parseaddr(config["TANDEM_MAIL_FROM"])[1].rpartition("@")[2] or "localhost"


def _one_recipient(to):
    try:
        return Address(addr_spec=to)
    except (ValueError, IndexError, TypeError):
        raise Unaddressable("the recipient is not one e-mail address") from None


def send(config, message):
    """Hand `message` to the configured SMTP server, or raise MailFailed saying why not."""
    host = config.get("TANDEM_SMTP_HOST")
    if not host:
        raise MailFailed("No mail server is configured: set TANDEM_SMTP_HOST (and TANDEM_SMTP_PORT).")
    port = config["TANDEM_SMTP_PORT"]
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT) as smtp:
            if config.get("TANDEM_SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("TANDEM_SMTP_USER"):
                smtp.login(config["TANDEM_SMTP_USER"], config.get("TANDEM_SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailFailed(f"{host}:{port}: {error}") from None
