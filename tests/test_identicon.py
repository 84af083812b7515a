"""Identicons: the same hash always draws the same symmetric picture, served cacheable forever."""

import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service import identicon

hashes = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
SVG = "{http://www.w3.org/2000/svg}"


def _squares(picture):
    path = ElementTree.fromstring(picture).find(SVG + "path").get("d")
    return {tuple(int(n) for n in square[1:].split(" ")) for square in path.split("h1v1h-1z") if square}


@given(hashes)
def test_the_same_hash_always_draws_the_same_picture(avatar_hash):
    assert identicon.svg(avatar_hash) == identicon.svg(avatar_hash)


@given(hashes)
def test_every_picture_is_a_mirrored_non_empty_svg(avatar_hash):
    picture = identicon.svg(avatar_hash)
    assert ElementTree.fromstring(picture).tag == SVG + "svg"
    squares = _squares(picture)
    assert squares
    assert {(4 - column, row) for column, row in squares} == squares


def test_different_people_get_different_pictures():
    pictures = {identicon.svg(f"{n:032x}" if n % 2 else f"{n * 7919:032x}"[::-1]) for n in range(1, 200)}
    assert len(pictures) > 180


@pytest.mark.parametrize("bad", ["", "xyz", "ABCDEF0123456789", "0" * 65, "../../etc/passwd", None])
def test_anything_but_a_hex_hash_is_refused(bad):
    with pytest.raises(ValueError):
        identicon.svg(bad)


def test_avatars_are_served_as_svg_and_cached_for_good(client):
    response = client.get("/avatar/%s.svg" % ("ab" * 16))
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "immutable" in response.headers["Cache-Control"]
    assert response.get_data(as_text=True) == identicon.svg("ab" * 16)
    again = client.get("/avatar/%s.svg" % ("ab" * 16), headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_avatar_paths_the_api_hands_out_resolve(client, reader):
    reader.post("Hi", author="Ada")
    avatar = reader.post("Again", author="Ada").json["comment"]["avatar"]
    assert client.get(avatar).status_code == 200


def test_a_made_up_avatar_name_is_not_found(client):
    assert client.get("/avatar/not-a-hash.svg").status_code == 404
