"""deploy/nginx.conf and deploy/Caddyfile, run by the distribution's nginx and Caddy in front of the
real `tandem serve` with TANDEM_TRUSTED_PROXIES=1 (SPEC 15, issue 16 point 4).

nginx gets the shipped file with only the upstream port, the listen addresses (loopback, free
ports) and the certificate paths (a throwaway self-signed one) put in, inside an `http {}` block
that keeps its pid, logs and temporary files in a folder of the test's own. Caddy gets the
shipped file with the upstream port and its site on a loopback port with `tls internal`, plus
global options for the same. Both run as the current user. The client connects from 127.5.6.7,
so its network (127.5.6.0) differs from the proxy's own (127.0.0.0): a server that believed the
proxy's address, or the client's forged header, would store another.
"""

import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from requests.adapters import HTTPAdapter

from .live import (
    OWNER,
    OWNER_PASSWORD,
    REPOSITORY,
    TandemServer,
    free_port,
    server_environment,
)

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
CLIENT_ADDRESS, CLIENT_NETWORK = "127.5.6.7", "127.5.6.0"
FORGED = "203.0.113.9"
ORIGIN = "https://blog.example.com"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class FromAddress(HTTPAdapter):
    """Connections from a chosen loopback address (Linux routes all of 127.0.0.0/8 to lo)."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client(certificate):
    session = requests.Session()
    for scheme in ("http://", "https://"):
        session.mount(scheme, FromAddress(CLIENT_ADDRESS))
    session.verify = str(certificate)
    session.trust_env = False  # else REQUESTS_CA_BUNDLE (or a proxy) from the environment would win
    return session


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def substitute(text, old, new, count):
    """`text` with `old` replaced by `new`, which must occur `count` times: a changed file fails here."""
    assert text.count(old) == count, f"the file in deploy/ no longer has {count} x {old!r}"
    return text.replace(old, new)


def nginx_configuration(folder, upstream_port, http_port, https_port, certificate, key):
    """deploy/nginx.conf with the ports, loopback addresses and certificate of this test, inside an
    `http {}` block that keeps every file nginx writes in `folder`."""
    shipped = (Path(REPOSITORY) / "deploy" / "nginx.conf").read_text()
    served = substitute(shipped, "server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream_port};", 1)
    served = substitute(served, "listen 80;", f"listen 127.0.0.1:{http_port};", 1)
    served = substitute(served, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", 1)
    ipv6 = ipv6_loopback()
    served = substitute(served, "listen [::]:80;", f"listen [::1]:{http_port};" if ipv6 else "", 1)
    served = substitute(served, "listen [::]:443 ssl http2;", f"listen [::1]:{https_port} ssl http2;" if ipv6 else "", 1)
    served = re.sub(r"ssl_certificate /\S+;", f"ssl_certificate {certificate};", served)
    served = re.sub(r"ssl_certificate_key /\S+;", f"ssl_certificate_key {key};", served)
    (folder / "tandem.conf").write_text(served)
    # As root (CI), workers would otherwise switch to `nobody`, who cannot enter pytest's folders.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temporary = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in
                          ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(f"""{user}worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} info;
events {{ worker_connections 256; }}
http {{
    access_log {folder / 'access.log'};
{temporary}
    include {folder / 'tandem.conf'};
}}
""")
    return folder / "nginx.conf"


def self_signed_certificate(folder):
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    return certificate, key


def caddy_configuration(folder, upstream_port, http_port, https_port):
    """deploy/Caddyfile with the upstream port, and its site on a loopback port with a certificate
    of Caddy's own local authority (no ACME here); global options keep Caddy on loopback, without
    its admin endpoint, and its files in `folder`."""
    shipped = (Path(REPOSITORY) / "deploy" / "Caddyfile").read_text()
    served = substitute(shipped, "reverse_proxy 127.0.0.1:8080", f"reverse_proxy 127.0.0.1:{upstream_port}", 1)
    served = substitute(served, "comments.example.com {", f"https://127.0.0.1:{https_port} {{\n\ttls internal", 1)
    options = (f"{{\n\tadmin off\n\tdefault_bind 127.0.0.1\n\thttp_port {http_port}\n\thttps_port {https_port}\n"
               f"\tskip_install_trust\n\tstorage file_system {folder / 'caddy-data'}\n}}\n\n")
    (folder / "Caddyfile").write_text(options + served)
    return folder / "Caddyfile"


class ProxyProcess:
    """nginx or Caddy in the foreground, in its own process group, its log kept in `log_path`."""

    def __init__(self, arguments, log_path, env=None):
        self.arguments, self.log_path, self.env = arguments, log_path, env
        self.process = None

    def start(self, port):
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(self.arguments, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                            start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{self.arguments[0]} did not listen:\n{self.log()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_nginx(folder, upstream_port, http_port, https_port):
    assert NGINX, "nginx is not installed: apt-get install -y nginx (.ci/run does)"
    certificate, key = self_signed_certificate(folder)
    configuration = nginx_configuration(folder, upstream_port, http_port, https_port, certificate, key)
    arguments = [NGINX, "-p", str(folder), "-c", str(configuration), "-e", str(folder / "error.log")]
    tested = subprocess.run([*arguments, "-t"], check=False, capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr
    nginx = ProxyProcess([*arguments, "-g", "daemon off;"], folder / "error.log").start(https_port)
    return nginx, certificate


def start_caddy(folder, upstream_port, http_port, https_port):
    caddy = shutil.which("caddy")
    assert caddy, "caddy is not installed: apt-get install -y caddy (.ci/run does)"
    configuration = caddy_configuration(folder, upstream_port, http_port, https_port)
    env = {**os.environ, "XDG_DATA_HOME": str(folder / "xdg-data"), "XDG_CONFIG_HOME": str(folder / "xdg-config")}
    process = ProxyProcess([caddy, "run", "--config", str(configuration), "--adapter", "caddyfile"],
                           folder / "caddy.log", env).start(https_port)
    # Caddy issues the site's certificate from its local authority as it starts.
    root = folder / "caddy-data" / "pki" / "authorities" / "local" / "root.crt"
    deadline = time.monotonic() + 20
    while not root.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return process, root


@pytest.fixture(scope="module")
def tandem(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tandem")
    server = TandemServer(server_environment(folder / "instance", trusted_proxies=1), folder / "serve.log").start()
    yield server
    server.stop()
    assert server.tracebacks() == 0, server.log()


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def proxied(request, tandem, tmp_path_factory):
    """`tandem serve` behind deploy/nginx.conf or deploy/Caddyfile."""
    folder = tmp_path_factory.mktemp(request.param)
    http_port, https_port = free_port(), free_port()
    start = start_nginx if request.param == "nginx" else start_caddy
    process, certificate = start(folder, tandem.port, http_port, https_port)
    yield SimpleNamespace(server=tandem, certificate=certificate, kind=request.param,
                          http=f"http://127.0.0.1:{http_port}", https=f"https://127.0.0.1:{https_port}")
    process.stop()


def stored_ip(server, site):
    listed = server.admin_api("GET", "/api/admin/comments", params={"site": site})
    assert listed.status_code == 200, listed.text
    return [comment["ip"] for comment in listed.json()["comments"]]


def test_a_comment_through_the_proxy_keeps_the_clients_network_and_a_forged_header_changes_nothing(proxied):
    site = proxied.server.new_site([ORIGIN], moderation="none")
    browser = client(proxied.certificate)
    for headers in ({}, {"X-Forwarded-For": FORGED}, {"X-Forwarded-For": f"{FORGED}, 198.51.100.4"}):
        posted = browser.post(proxied.https + "/api/comments", timeout=10, json={"site": site, "uri": "/p/", "text": "Hi"},
                              headers={"Origin": ORIGIN, **headers})
        assert posted.status_code == 201, posted.text
    assert stored_ip(proxied.server, site) == [CLIENT_NETWORK] * 3


def test_the_forged_header_would_count_if_the_proxy_passed_it_on(tandem):
    """The control: Tandem itself believes one proxy's header, so it is the proxy that protects it."""
    site = tandem.new_site([ORIGIN], moderation="none")
    posted = requests.post(tandem.url + "/api/comments", json={"site": site, "uri": "/p/", "text": "Hi"},
                           headers={"Origin": ORIGIN, "X-Forwarded-For": FORGED}, timeout=10)
    assert posted.status_code == 201, posted.text
    assert stored_ip(tandem, site) == ["203.0.113.0"]


def set_cookie(response):
    return response.headers.get("Set-Cookie", "")


def test_the_admin_session_cookie_is_secure_over_https_through_the_proxy(proxied):
    browser = client(proxied.certificate)
    page = browser.get(proxied.https + "/admin/login", timeout=10)
    assert page.status_code == 200 and "; Secure" in set_cookie(page)
    # Flask-WTF checks the Referer of an HTTPS form against the forwarded host (with its port).
    logged_in = browser.post(proxied.https + "/admin/login", timeout=10, allow_redirects=False,
                             data={"email": OWNER, "password": OWNER_PASSWORD,
                                   "csrf_token": CSRF.search(page.text).group(1)},
                             headers={"Referer": proxied.https + "/admin/login"})
    assert logged_in.status_code == 303, logged_in.text[:500]
    assert "; Secure" in set_cookie(logged_in) and "; HttpOnly" in set_cookie(logged_in)
    assert logged_in.headers["Location"].startswith(proxied.https + "/") or logged_in.headers["Location"].startswith("/")
    assert browser.get(proxied.https + "/admin/setup", timeout=10).status_code == 200


def test_without_https_the_cookie_is_not_secure(tandem):
    direct = requests.get(tandem.url + "/admin/login", timeout=10)
    assert set_cookie(direct) and "Secure" not in set_cookie(direct)


def test_the_proxy_sends_plain_http_to_https(proxied):
    plain = client(proxied.certificate).get(proxied.http + "/admin/login", timeout=10, allow_redirects=False)
    assert plain.status_code in (301, 308)  # nginx's return 301; Caddy's automatic redirect
    assert plain.headers["Location"].startswith("https://127.0.0.1") and "/admin/login" in plain.headers["Location"]


@pytest.mark.parametrize("path", ["/embed.js", "/embed.css"])
def test_the_widgets_files_arrive_gzipped_with_an_etag_and_revalidate(proxied, path):
    browser = client(proxied.certificate)
    served = browser.get(proxied.https + path, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert served.status_code == 200 and served.headers["Content-Encoding"] == "gzip"
    assert served.content == requests.get(proxied.server.url + path, timeout=10).content  # the same file
    etag = served.headers["ETag"]
    again = browser.get(proxied.https + path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}, timeout=10)
    assert again.status_code == 304 and again.content == b""


def test_a_thread_revalidates_by_its_etag_through_the_proxy(proxied):
    site = proxied.server.new_site([ORIGIN], moderation="none")
    browser = client(proxied.certificate)
    assert browser.post(proxied.https + "/api/comments", json={"site": site, "uri": "/p/", "text": "Hi"},
                        headers={"Origin": ORIGIN}, timeout=10).status_code == 201
    thread = browser.get(proxied.https + "/api/comments", params={"site": site, "uri": "/p/"}, timeout=10)
    assert thread.status_code == 200
    again = browser.get(proxied.https + "/api/comments", params={"site": site, "uri": "/p/"},
                        headers={"If-None-Match": thread.headers["ETag"]}, timeout=10)
    assert again.status_code == 304


def test_a_body_too_large_gets_tandems_json_answer_not_the_proxys_page(proxied):
    site = proxied.server.new_site([ORIGIN], moderation="none")
    refused = client(proxied.certificate).post(proxied.https + "/api/comments", timeout=10,
                                               json={"site": site, "uri": "/p/", "text": "x" * 200_000},
                                               headers={"Origin": ORIGIN})
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "too_large"
