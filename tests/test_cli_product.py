"""The command line behaves like a product (issue 12, point 7): Tandem's commands only, each
command and option described in one line, no stray instance, and a busy port said at once."""

import os
import socket
import subprocess
import sys

import click

from service.cli import main as tandem
from service.config import load_config, missing_instance

from .live import REPOSITORY


def _tandem(*args, cwd, **environment):
    env = {name: value for name, value in os.environ.items() if not name.startswith("TANDEM_")}
    env.update(environment)
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


def _commands(group, path=("tandem",)):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_help_lists_tandems_commands_only(tmp_path):
    shown = _tandem("--help", cwd=tmp_path)
    assert shown.returncode == 0
    for flask_only in ("--env-file", "--app", "--debug", "limiter", "FLASK"):
        assert flask_only not in shown.stdout
    for command in ("serve", "site", "user", "moderate", "import", "export", "mail", "worker", "forget"):
        assert f"\n  {command} " in shown.stdout
    assert "..." not in shown.stdout.partition("Commands:")[2]  # every description fits its line
    assert not (tmp_path / "instance").exists()


def test_every_command_and_option_has_a_one_line_description():
    for path, command in _commands(tandem):
        assert command.help, f"{' '.join(path)} has no description"
        assert not command.get_short_help_str(limit=66).endswith("..."), f"{' '.join(path)}: too long for one line"
        for option in command.params:
            if isinstance(option, click.Option):
                assert option.help and "\n" not in option.help, f"{' '.join(path)} {option.opts[0]} has no description"


def test_a_command_outside_an_instance_says_where_it_looked_and_makes_nothing(tmp_path):
    refused = _tandem("site", "list", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error: No Tandem instance here")
    assert str(tmp_path / "instance" / "tandem.db") in refused.stderr
    assert "TANDEM_INSTANCE" in refused.stderr and "no such table" not in refused.stderr
    assert "Traceback" not in refused.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_command_finds_the_instance_named_by_tandem_instance(tmp_path):
    instance = tmp_path / "blog-comments"
    assert _tandem("db", "upgrade", cwd=REPOSITORY, TANDEM_INSTANCE=str(instance)).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listed = _tandem("site", "list", cwd=elsewhere, TANDEM_INSTANCE=str(instance))
    assert listed.returncode == 0, listed.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_second_serve_on_a_busy_port_fails_at_once_in_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused = _tandem("serve", "--port", str(port), "--no-worker", cwd=tmp_path,
                          TANDEM_INSTANCE=str(tmp_path / "instance"))
    assert refused.returncode == 1
    assert "Tandem on" not in refused.stdout
    assert refused.stderr.strip().splitlines() == [
        f"Error: Cannot listen on 127.0.0.1:{port}: it is in use (is Tandem running already?). "
        "Choose another with --port (or --host)."]


def test_an_instance_is_its_sqlite_file_or_its_secret_key(tmp_path):
    sqlite = load_config({"TANDEM_INSTANCE": str(tmp_path / "instance")})
    assert str(tmp_path / "instance" / "tandem.db") in missing_instance(sqlite)
    postgres = load_config({"TANDEM_INSTANCE": str(tmp_path / "instance"),
                            "TANDEM_DATABASE_URL": "postgresql+psycopg://127.0.0.1/test"})
    assert str(tmp_path / "instance" / "secret_key") in missing_instance(postgres)
    assert missing_instance({**postgres, "SECRET_KEY": "given"}) is None
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "secret_key").write_text("kept")
    assert missing_instance(postgres) is None
    assert not (tmp_path / "instance" / "tandem.db").exists()
