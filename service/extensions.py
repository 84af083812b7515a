"""Flask extensions, created unbound and attached to the app in `create_app`."""

from flask import request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from .privacy import anonymise_ip


def client_network():
    """Rate limits count per anonymised client address, the same unit the database keeps."""
    return anonymise_ip(request.remote_addr) or "unknown"


limiter = Limiter(key_func=client_network, default_limits=[])
migrate = Migrate()
compress = Compress()
csrf = CSRFProtect()


# Reads sent as POST (a list of URIs does not fit a query string).
POSTED_READS = {"api.count_comments"}


@limiter.request_filter
def _reads_are_not_limited():
    """Only writes carry rate limits; skipping the check for reads keeps them cheap."""
    return request.method in ("GET", "HEAD", "OPTIONS") or request.endpoint in POSTED_READS
