"""Cross-origin rules: reads open to every origin, writes answered to the origin that asked.

The API uses no cookies, so echoing the caller's origin exposes nothing; writes are
still checked against the site's origins by the views.
"""

from flask import request

from . import api

ALLOWED_HEADERS = "Content-Type, X-Commenter-Token, X-Edit-Token, If-None-Match"
ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"


@api.after_request
def add_cors_headers(response):
    origin = request.headers.get("Origin")
    if request.path.startswith("/api/admin/"):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin or "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Retry-After"
    if origin:
        response.vary.add("Origin")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
