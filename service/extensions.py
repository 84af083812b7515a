"""Flask extensions, created unbound and attached to the app in `create_app`."""

from flask import request
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect

from .limiting import Limiter
from .privacy import anonymise_ip


def client_network():
    """Rate limits count per anonymised client address, the same unit the database keeps."""
    return anonymise_ip(request.remote_addr) or "unknown"


limiter = Limiter(key_func=client_network)
compress = Compress()
csrf = CSRFProtect()

