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
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

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


class RefusedAddress(NewConnectionError):
    """The connection reached an address the check does not permit; nothing was sent."""


class Refused(Exception):
    """A request was not sent, or a redirect not followed, because of where it led."""


def _guarded(connection_class, permitted):
    class GuardedConnection(connection_class):
        def _new_conn(self):
            sock = super()._new_conn()
            if not permitted(sock.getpeername()[0]):
                sock.close()
                raise RefusedAddress(self, f"refused: the host resolves to {PRIVATE_TARGETS}")
            return sock

    return GuardedConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every new connection checks the address it reached."""

    def __init__(self, permitted):
        self.permitted = permitted
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        http = type("GuardedHTTPPool", (HTTPConnectionPool,),
                    {"ConnectionCls": _guarded(HTTPConnection, self.permitted)})
        https = type("GuardedHTTPSPool", (HTTPSConnectionPool,),
                     {"ConnectionCls": _guarded(HTTPSConnection, self.permitted)})
        self.poolmanager.pool_classes_by_scheme = {"http": http, "https": https}


def guarded_session(permitted):
    session = requests.Session()
    session.trust_env = False
    for scheme in ("http://", "https://"):
        session.mount(scheme, GuardedAdapter(permitted))
    return session


def post(url, *, data, headers, timeout, permitted):
    """POST `data` to `url`, following up to MAX_REDIRECTS redirects (each to a checked address,
    the same body posted again); returns the final response. Raises Refused, or requests' errors."""
    with guarded_session(permitted) as session:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = session.post(url, data=data, headers=headers, timeout=timeout, allow_redirects=False)
            except requests.ConnectionError as error:
                if _caused_by(error, RefusedAddress):
                    raise Refused(f"refused: the host resolves to {PRIVATE_TARGETS}") from None
                raise
            if not response.is_redirect:
                return response
            url = urljoin(url, response.headers["Location"])
            if urlsplit(url).scheme not in ("http", "https"):
                raise Refused("refused: a redirect to something other than http(s)")
        raise Refused(f"refused: more than {MAX_REDIRECTS} redirects")


def _caused_by(error, kind):
    seen = error
    for _ in range(10):  # an exception's chain of causes is short; never loop on a cycle
        if seen is None:
            return False
        if isinstance(seen, kind) or any(isinstance(arg, kind) for arg in getattr(seen, "args", ())):
            return True
        seen = getattr(seen, "reason", None) or seen.__cause__ or seen.__context__
    return False
