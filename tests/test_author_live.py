"""For the author, against `tandem serve` with two workers: a heart reaches readers on the next read."""

import pytest
import requests

from .live import post_comment

pytestmark = pytest.mark.slow
ORIGIN = "https://blog.example.com"


def _read(server, site, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return requests.get(server.url + "/api/comments", params={"site": site, "uri": "/post/"}, headers=headers,
                        timeout=10)


def test_a_hearted_comment_reads_hearted_true_with_a_new_etag_from_every_worker(live_server):
    site = live_server.new_site([ORIGIN], moderation="none")
    posted = post_comment(live_server, site, ORIGIN, "Lovely post").json()["comment"]
    first = _read(live_server, site)
    assert first.json()["comments"][0]["hearted"] is False
    etag = first.headers["ETag"]
    assert {_read(live_server, site, etag).status_code for _ in range(6)} == {304}  # both workers cached it

    hearted = live_server.admin_api("POST", f"/api/admin/comments/{posted['id']}/heart")
    assert hearted.status_code == 200 and hearted.json()["comment"]["hearted"] is True
    for _ in range(6):  # whichever worker answers
        again = _read(live_server, site, etag)
        assert again.status_code == 200 and again.headers["ETag"] != etag
        assert again.json()["comments"][0]["hearted"] is True
    one = requests.get(f"{live_server.url}/api/comments/{posted['id']}", timeout=10).json()["comment"]
    assert one["hearted"] is True
    assert live_server.tracebacks() == 0
