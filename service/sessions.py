"""The signed-cookie session of the admin pages, installed by `create_app` as Flask documents
(`app.session_interface`, `PERMANENT_SESSION_LIFETIME`, `SESSION_REFRESH_EACH_REQUEST`)."""

from datetime import timedelta

from flask import Flask, Request
from flask import request as current_request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

# A session lives this long after its last use: Flask refuses a cookie signed longer ago than
# this, and re-signs a permanent session on each request.
SESSION_LIFETIME = timedelta(days=14)


class CookieSessionInterface(SecureCookieSessionInterface):
    """The session cookie is marked Secure whenever the request itself was HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or current_request.is_secure

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The JSON APIs never use the session (readers have tokens, the admin API bearer tokens)."""
        if request.path.startswith("/api/"):
            return self.null_session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
    app.config.update(PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME, SESSION_REFRESH_EACH_REQUEST=True)
