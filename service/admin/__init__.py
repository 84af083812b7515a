"""The moderators' tools: server-rendered pages under /admin and the token-authenticated JSON API under /api/admin.

The pages use the session cookie and CSRF-protected forms; the API uses `Authorization: Bearer`
tokens and no cookies, so it is exempt from CSRF. Both call `service.moderation`,
`service.management` and `service.erasure`, like the CLI does.
"""

from flask import Blueprint

admin = Blueprint("admin", __name__, url_prefix="/admin", static_folder="static", static_url_path="/static")
admin_api = Blueprint("admin_api", __name__, url_prefix="/api/admin")

from . import api, auth, deliveries, pages, setup, site_pages  # noqa: E402,F401  (routes register on import)
