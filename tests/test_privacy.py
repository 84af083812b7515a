import pytest

from service.privacy import anonymise_ip, avatar_hash, email_for_matching


def test_ipv4_keeps_its_network_only():
    assert anonymise_ip("203.0.113.77") == "203.0.113.0"


def test_ipv6_keeps_its_48_bit_prefix():
    assert anonymise_ip("2001:db8:abcd:1234::1") == "2001:db8:abcd::"


def test_ipv4_mapped_ipv6_is_treated_as_ipv4():
    assert anonymise_ip("::ffff:198.51.100.9") == "198.51.100.0"


def test_garbage_address_is_none():
    assert anonymise_ip("not an ip") is None


def test_avatar_hash_depends_on_the_secret_so_emails_cannot_be_guessed():
    assert avatar_hash("one", 1, "ann@example.org") != avatar_hash("two", 1, "ann@example.org")
    assert avatar_hash("one", 1, "Ann@Example.org ") == avatar_hash("one", 1, "ann@example.org")


def test_avatar_hash_depends_on_the_site_so_one_person_cannot_be_matched_across_sites():
    assert avatar_hash("one", 1, "ann@example.org") != avatar_hash("one", 2, "ann@example.org")


@pytest.mark.parametrize("written, matched", [
    ("sam@example.org", "sam@example.org"),
    ("Sam@Example.ORG", "sam@example.org"),
    ("  sam@example.org ", "sam@example.org"),
    ("sam+blog@example.org", "sam@example.org"),
    ("sam+a+b@example.org", "sam@example.org"),
    ("sam@example.org.", "sam@example.org"),
    ("sam@example.org..", "sam@example.org"),
    ("\uff53am@example.org", "sam@example.org"),  # full-width s
    ("sam\uff0bx@\uff45xample.org", "sam@example.org"),  # full-width plus and e
    ("+@example.org", "+@example.org"),  # nothing but a tag: kept as typed
    ("no at sign", "no at sign"),
])
def test_email_for_matching_sees_through_tags_case_width_and_a_trailing_dot(written, matched):
    assert email_for_matching(written) == matched


def test_email_for_matching_keeps_different_people_apart():
    assert email_for_matching("sam@example.org") != email_for_matching("samuel@example.org")
    assert email_for_matching("sam@example.org") != email_for_matching("sam@example.org.uk")
