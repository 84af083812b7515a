"""Who may see, change and like a comment: the commenter token a reader's browser keeps, the
edit token of each comment, and the voter a like belongs to. Tokens are stored only as hashes."""

from . import comment_store as store
from .models import APPROVED, DELETED
from .privacy import hash_token, keyed_hash


def commenter(token, make_token):
    """The commenter's hash and token, and whether the token is new: a fresh one is issued when
    the one sent is missing or unknown."""
    token_hash = store.issued(token)
    if token_hash is not None:
        return token_hash, token, False
    token = make_token()
    return hash_token(token), token, True


def own_pending_visible(comment, commenter_token):
    """A commenter sees their own held comment; nobody else sees anything but approved ones."""
    if comment.status == APPROVED:
        return True
    return comment.status != DELETED and written_by(comment, commenter_token)


def known_to_editor(comment, edit_token):
    """Whether a request holding `edit_token` may learn that this comment exists: anyone may know an
    approved one, only the holder of its edit token a hidden one. Edits and deletes of any other
    comment are "not found", exactly as for an id nobody has used."""
    return comment.status == APPROVED or holds_edit_token(comment, edit_token)


def written_by(comment, commenter_token):
    return bool(commenter_token) and comment.commenter_hash == hash_token(commenter_token)


def voter_hash(secret, commenter_token, ip):
    """Who a like belongs to: a commenter token the service issued, else the anonymised network
    (keyed, never stored raw). A made-up token is no voter of its own: fifty random tokens sent
    from one network are one like."""
    return store.issued(commenter_token) or keyed_hash(secret, "like-ip:" + (ip or "unknown"))


def holds_edit_token(comment, edit_token):
    return bool(edit_token) and comment.edit_token_hash == hash_token(edit_token)
