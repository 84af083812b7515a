"""Polling a mailbox for replies by mail (`TANDEM_IMAP_URL`), from the notification worker.

`imaps://user:password@host[:port]/FOLDER` speaks TLS from the start (port 993 by default);
`imap://…` upgrades with STARTTLS (port 143) and refuses a server that cannot. Certificates are
checked against the system's authorities. Each unseen message is handed to `inbound.receive`
and then flagged `\\Seen`, whether it was acted on or refused, so it is read once; the delivery
log says what became of it.
"""

import imaplib
import logging
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from . import inbound

log = logging.getLogger(__name__)
TIMEOUT = 30  # seconds; a hanging mail server costs the worker this much


class ImapFailed(Exception):
    """The mailbox could not be read this time; the worker tries again at its next poll."""


@dataclass(frozen=True)
class Mailbox:
    tls: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


def parse_url(url):
    """The Mailbox an `imaps://` or `imap://` URL names, or ValueError saying what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("imaps", "imap") or not parts.hostname or parts.username is None:
        raise ValueError("TANDEM_IMAP_URL must look like imaps://user:password@host[:port]/FOLDER")
    tls = parts.scheme == "imaps"
    return Mailbox(tls, parts.hostname, parts.port or (993 if tls else 143), unquote(parts.username),
                   unquote(parts.password or ""), unquote(parts.path.lstrip("/")) or "INBOX")


def _connect(mailbox):
    context = ssl.create_default_context()
    if mailbox.tls:
        connection = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=context, timeout=TIMEOUT)
    else:
        connection = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT)
        connection.starttls(ssl_context=context)  # never log in over plain text
    connection.login(mailbox.user, mailbox.password)
    return connection


def poll(config, now=None):
    """Receive every unseen message of the mailbox; returns how many were read."""
    mailbox = parse_url(config["TANDEM_IMAP_URL"])
    try:
        connection = _connect(mailbox)
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as error:
        raise ImapFailed(f"{mailbox.host}:{mailbox.port}: {error}") from None
    read = 0
    try:
        status, _ = connection.select(_quoted(mailbox.folder))
        if status != "OK":
            raise ImapFailed(f"the folder {mailbox.folder!r} cannot be opened")
        _, found = connection.uid("SEARCH", None, "UNSEEN")
        for uid in (found[0] or b"").split():
            _, data = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in data if isinstance(item, tuple)), b"")
            try:
                inbound.receive(raw, config, now)
            except inbound.Unreadable as error:
                log.warning("IMAP message %s is not a mail (%s); marked as read", uid.decode(), error)
            connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            read += 1
    except (OSError, imaplib.IMAP4.error) as error:
        raise ImapFailed(f"{mailbox.host}:{mailbox.port}: {error}") from None
    finally:
        try:
            connection.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return read


def _quoted(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
