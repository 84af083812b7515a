"""Requests to addresses that users chose (webhooks): never to this host or its private networks.

An owner sets a webhook's URL, and the worker calls it from inside the operator's network. So
every connection is checked where it is made, after DNS resolution: the address the socket
actually reached must be global (not loopback, link-local, private, shared, reserved or
multicast), on the first request and on every redirect, whatever spelling the URL used
(`0x7f000001`, `[::ffff:127.0.0.1]`, a name that resolves to 10.0.0.5). The operator may allow
private targets with `TANDEM_WEBHOOK_ALLOW_PRIVATE` (a receiver on the same host, tests).
Proxies from the environment are not used: the check would see the proxy, not the target.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_REDIRECTS = 3
PRIVATE_TARGETS = "a loopback, link-local or private address"


def is_public(address):
    """Whether an IP address (text, as a socket reports it) is on the public internet."""
    ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def anything(address):
    return True


def permitted_addresses(allow_private):
    """The check for connections: public addresses only, unless the operator allows private ones."""
    return anything if allow_private else is_public


def literal_address(host):
    """The IP address a URL's host spells out (any form the C resolver accepts), or None for a name."""
    host = (host or "").strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # 0x7f000001, 2130706433, 127.1
    except (OSError, UnicodeError):
        return None


def check_url(url: str, allow_private: bool = False) -> str | None:
    """None when `url` may be called; else why not. Names are checked when connecting, not here."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http(s) URL"
    address = literal_address(parts.hostname)
    if parts.hostname.rstrip(".").lower() == "localhost":
        address = ipaddress.ip_address("127.0.0.1")
    if address is not None and not allow_private and not is_public(str(address)):
        return f"must not point at {PRIVATE_TARGETS}"
    return None


class Refused(Exception):
    """A request was not sent, or a redirect not followed, because of where it led."""


def post(url, *, data, headers, timeout, permitted):
    """POST `data` to `url`, following up to MAX_REDIRECTS redirects (each to a checked address,
    the same body posted again); returns the final response. Raises Refused, or requests' errors.

    requests and urllib3 (about 7 MB of a process) load on the first call: only the notification
    worker sends, and the web workers, which only check URLs, stay smaller without them."""
    from . import guarded_http

    return guarded_http.post(url, data=data, headers=headers, timeout=timeout, permitted=permitted)
