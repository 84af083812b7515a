from service.privacy import anonymise_ip, avatar_hash


def test_ipv4_keeps_its_network_only():
    assert anonymise_ip("203.0.113.77") == "203.0.113.0"


def test_ipv6_keeps_its_48_bit_prefix():
    assert anonymise_ip("2001:db8:abcd:1234::1") == "2001:db8:abcd::"


def test_ipv4_mapped_ipv6_is_treated_as_ipv4():
    assert anonymise_ip("::ffff:198.51.100.9") == "198.51.100.0"


def test_garbage_address_is_none():
    assert anonymise_ip("not an ip") is None


def test_avatar_hash_depends_on_the_secret_so_emails_cannot_be_guessed():
    assert avatar_hash("one", "ann@example.org") != avatar_hash("two", "ann@example.org")
    assert avatar_hash("one", "Ann@Example.org ") == avatar_hash("one", "ann@example.org")
