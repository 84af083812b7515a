"""One measurement per request, used twice: counted for `/metrics` and written as its log line."""

from time import perf_counter

from flask import request

from . import metrics, requestlog

STARTED = "tandem.started"


def init_app(app):
    app.before_request_funcs.setdefault(None, []).insert(0, _started)
    app.after_request(_answered)
    app.register_blueprint(metrics.metrics)


def _started():
    request.environ[STARTED] = perf_counter()


def _answered(response):
    started = request.environ.get(STARTED)
    if started is None:  # refused before the hooks ran
        return response
    seconds = perf_counter() - started
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    metrics.request_answered(route, request.method, response.status_code, seconds)
    requestlog.request_answered(route, request.method, response.status_code, seconds, request.remote_addr)
    return response
