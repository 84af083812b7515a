"""What lets Tandem remember people without keeping what identifies them: hashes and anonymised IPs."""

import functools
import hashlib
import hmac
import ipaddress
import re
import secrets
import unicodedata


def new_token() -> str:
    """A bearer secret for a commenter, an edit or an admin API client."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens are random and long, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def keyed_hash(secret: str, value: str) -> str:
    """A hash that needs the instance secret: avatars and banned e-mails reveal nothing by themselves."""
    return hmac.new(secret.encode(), value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=4096)
def anonymise_ip(address):
    """Keep the network, not the host: IPv4 to its /24, IPv6 to its /48.

    Remembered per worker: every write and every rate-limit check asks it, mostly for the same readers."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def avatar_hash(secret, site_id, email=None, commenter_hash=None, author=None):
    """The identicon key for a comment on one site: the same person gets the same picture there,
    and nobody learns more. Keyed with the site too, so one person's pictures on two sites cannot
    be matched (SPEC 12)."""
    seed = (email or "").strip().lower() or commenter_hash or (author or "").strip() or "anonymous"
    return keyed_hash(secret, f"avatar:{site_id}:{seed}")[:32]


def email_for_matching(address: str) -> str:
    """The form of an e-mail address that bans and a writer's other comments are matched by.

    Unicode NFKC (a full-width letter is the letter), lower case, a `+tag` dropped from the local
    part and a trailing dot from the domain: `Ｓam+x@Example.org.` is `sam@example.org`. Only for
    matching; the address as typed is kept for display and mail.
    """
    value = unicodedata.normalize("NFKC", address or "").strip().lower()
    local, at, domain = value.rpartition("@")
    if not at:
        return value
    return f"{local.split('+', 1)[0] or local}@{domain.rstrip('.')}"


_EMAIL = re.compile(r"[^\s<>()\[\]'\",;:]+@[^\s<>()\[\]'\",;:]+")
_URL_PATH = re.compile(r"\b([a-z][a-z0-9+.-]*://[^/\s'\"]+)[^\s'\">)]*", re.IGNORECASE)


def redacted(text):
    """A message fit for a log line: e-mail addresses and URLs' paths (where secrets live) taken out.

    For messages the service does not write itself (a mail server's refusal, a driver's error).
    """
    text = _URL_PATH.sub(lambda found: found.group(1) + "/…", str(text))
    return _EMAIL.sub("<e-mail>", text)
