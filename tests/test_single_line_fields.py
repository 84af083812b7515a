"""The pure rules behind findings 1-3 of issue 17: single-line fields, one e-mail address, thread links."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service import fields
from service.errors import ApiError
from service.notify import mail
from service.text import clean_line

ORIGINS = ("https://blog.example", "http://127.0.0.1:8000")


@given(st.text())
def test_a_single_line_field_never_holds_a_line_break_or_control_character(value):
    cleaned = clean_line(value)
    assert not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029" for char in cleaned)
    assert cleaned == cleaned.strip()


def test_a_line_break_in_a_name_becomes_a_space_and_the_rest_is_kept():
    assert fields.check_author("Zoë\r\nBcc: x@example.org 🎉") == "Zoë Bcc: x@example.org 🎉"
    assert fields.check_title("\tA\x1b[31m title\u2028") == "A [31m title"
    assert fields.check_title("\n\r") is None


@pytest.mark.parametrize("address", ["someone@example.org,postmaster", "a@example.org;b@example.org",
                                     "A <a@example.org>", "a@example.org (me)", "group: a@example.org;",
                                     "a@example.org\r\nBcc: b@example.org", "a@example.org,"])
def test_an_e_mail_field_refuses_anything_but_one_bare_address(address):
    with pytest.raises(ApiError) as refused:
        fields.check_email(address)
    assert (refused.value.code, refused.value.field) == ("validation_failed", "email")


@pytest.mark.parametrize("address", ["a@example.org", "first.last+tag@mail.example.co.uk", "zoë@example.org"])
def test_an_e_mail_field_keeps_one_address_as_typed(address):
    assert fields.check_email(f"  {address} ") == address


@pytest.mark.parametrize("url, kept", [
    ("https://blog.example/post/#comment-7", "https://blog.example/post/"),
    ("http://127.0.0.1:8000/?p=12", "http://127.0.0.1:8000/?p=12"),
    ("https://evil.example/login", None),
    ("https://blog.example.evil.example/", None),
    ("https://blog.example@evil.example/", None),
    ("https://user:pw@blog.example/", None),
    ("javascript:alert(1)//https://blog.example/", None),
    ("http://blog.example/post/", None),  # another scheme is another origin
    ("https://blog.example:99999/", None),
    ("https://blog.example/a\nb", None),
    ("", None),
])
def test_a_thread_link_is_kept_only_on_one_of_the_sites_origins(url, kept):
    assert fields.thread_link(url, ORIGINS) == kept


def test_a_mail_header_holds_one_line_and_one_recipient_whatever_it_is_given():
    config = {"TANDEM_MAIL_FROM": "tandem@example.org"}
    message = mail.compose(config, "mod@example.org", "Held comment by Eve\r\nBcc: x@example.org", "text",
                           headers={"X-Thread": "a\nb"})
    assert message["Subject"] == "Held comment by Eve Bcc: x@example.org" and message["Bcc"] is None
    assert message["X-Thread"] == "a b"
    for recipient in ("a@example.org,postmaster", "a@example.org\r\nBcc: b@example.org"):
        with pytest.raises(mail.Unaddressable):
            mail.compose(config, recipient, "Hello", "text")


_ATOM = st.text("abcXYZ019!#$%&'*+/=?^_`{|}~-", min_size=1, max_size=8)
_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?", fullmatch=True)


@given(local=st.lists(_ATOM, min_size=1, max_size=3), domain=st.lists(_LABEL, min_size=2, max_size=4))
def test_the_quick_check_of_a_plain_address_agrees_with_the_mail_parser(local, domain):
    """check_email skips the standard library's parser for dot-atom addresses: it must read them as themselves."""
    address = ".".join(local) + "@" + ".".join(domain)
    assert fields._PLAIN_ADDRESS.match(address)
    assert fields._single_address(address) == address
