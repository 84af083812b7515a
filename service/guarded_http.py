"""The HTTP side of `outbound`: a requests session whose every connection checks the address it
reached, and the POST that follows redirects only to checked addresses. Loaded by `outbound.post`
on first use, in the process that sends (the notification worker)."""

from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from .outbound import MAX_REDIRECTS, PRIVATE_TARGETS, Refused


class RefusedAddress(NewConnectionError):
    """The connection reached an address the check does not permit; nothing was sent."""


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
    """`outbound.post`, with requests: every connection checked where it is made."""
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
