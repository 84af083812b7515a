"""Where webhooks may go (`service.outbound`), and the instance secret's mode, tested without a server."""

import os
import stat
from pathlib import Path

import pytest

from service import config, outbound
from service.notify import webhooks

from .notify_support import Receiver


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("::1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.0.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::ffff:127.0.0.1", False),
    ("fe80::1%eth0", False), ("fc00::1", False), ("224.0.0.1", False),
    ("93.184.215.14", True), ("2606:4700::1111", True), ("::ffff:93.184.215.14", True),
])
def test_only_global_addresses_are_public(address, public):
    assert outbound.is_public(address) is public


@pytest.mark.parametrize("url", ["http://0x7f000001/", "http://2130706433/", "http://127.1/", "http://[::1]/",
                                 "http://LOCALHOST./", "http://10.0.0.1:8080/x"])
def test_urls_that_spell_out_a_private_address_are_refused_unless_allowed(url):
    assert outbound.check_url(url) is not None
    assert outbound.check_url(url, allow_private=True) is None


def test_names_are_left_to_the_check_when_connecting():
    assert outbound.check_url("https://hooks.example.net/T0KEN") is None


def redirecting_receiver(location):
    """A receiver that answers every POST with `307 Temporary Redirect` to `location`."""
    receiver = Receiver(status=307, body=b"")
    handler = receiver.server.RequestHandlerClass
    original = handler.send_response

    def send_response(self, code, message=None):
        original(self, code, message)
        self.send_header("Location", location)

    handler.send_response = send_response
    return receiver


def test_a_redirect_is_followed_only_to_a_permitted_address():
    inside = Receiver(host="127.0.0.2")
    outside = redirecting_receiver(inside.url + "/inside")
    only_the_first_hop = lambda address: address == "127.0.0.1"  # noqa: E731
    try:
        with pytest.raises(webhooks.WebhookFailed, match="private address"):
            webhooks.deliver(outside.url + "/hook", {"event": "x"}, "secret", "x", only_the_first_hop)
        assert len(outside.requests) == 1 and inside.requests == []

        webhooks.deliver(outside.url + "/hook", {"event": "x"}, "secret", "x", outbound.anything)
        assert [request["body"] for request in inside.requests] == [outside.requests[0]["body"]]
    finally:
        inside.close()
        outside.close()


def test_a_redirect_loop_ends():
    looping = redirecting_receiver("/again")
    try:
        with pytest.raises(webhooks.WebhookFailed, match="redirects"):
            webhooks.deliver(looping.url + "/hook", {"event": "x"}, "secret", "x", outbound.anything)
        assert len(looping.requests) == outbound.MAX_REDIRECTS + 1
    finally:
        looping.close()


def test_the_secret_is_never_readable_by_others_not_even_while_written(tmp_path, monkeypatch):
    seen = []
    original_write, original_write_text = os.write, Path.write_text

    def write(descriptor, data):
        seen.append(stat.S_IMODE(os.fstat(descriptor).st_mode))
        return original_write(descriptor, data)

    def write_text(path, *args, **kwargs):
        result = original_write_text(path, *args, **kwargs)
        seen.append(stat.S_IMODE(path.stat().st_mode))
        return result

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(Path, "write_text", write_text)
    old_umask = os.umask(0)
    try:
        secret = config.ensure_secret_key(tmp_path / "instance")
    finally:
        os.umask(old_umask)
    assert secret and seen and set(seen) == {0o600}
    assert stat.S_IMODE((tmp_path / "instance").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "instance" / "secret_key").stat().st_mode) == 0o600
