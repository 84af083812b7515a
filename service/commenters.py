"""Who may see, change and like a comment: the commenter token a reader's browser keeps, the
edit token of each comment, and the voter a like belongs to. Tokens are stored only as hashes."""

from collections.abc import Callable

from . import comment_store as store
from .models import APPROVED, DELETED, Comment
from .privacy import hash_token, keyed_hash


def commenter(token: str | None, make_token: Callable[[], str]) -> tuple[str, str | None, bool]:
    """The commenter's hash and token, and whether the token is new: a fresh one is issued when
    the one sent is missing or unknown."""
    token_hash = store.issued(token)
    if token_hash is not None:
        return token_hash, token, False
    token = make_token()
    return hash_token(token), token, True


def own_pending_visible(comment: Comment, commenter_token: str | None) -> bool:
    """A commenter sees their own held comment; nobody else sees anything but approved ones."""
    if comment.status == APPROVED:
        return True
    return comment.status != DELETED and written_by(comment, commenter_token)


def known_to_editor(comment: Comment, edit_token: str | None) -> bool:
    """Whether a request holding `edit_token` may learn that this comment exists: anyone may know an
    approved one, only the holder of its edit token a hidden one. Edits and deletes of any other
    comment are "not found", exactly as for an id nobody has used."""
    return comment.status == APPROVED or holds_edit_token(comment, edit_token)


def written_by(comment: Comment, commenter_token: str | None) -> bool:
    if not commenter_token:
        return False
    return comment.commenter_hash == hash_token(commenter_token)


def voter_hash(secret: str, commenter_token: str | None, ip: str | None) -> str:
    """Who a like belongs to: a commenter token the service issued, else the anonymised network
    (keyed, never stored raw). A made-up token is no voter of its own: fifty random tokens sent
    from one network are one like."""
    return store.issued(commenter_token) or keyed_hash(secret, "like-ip:" + (ip or "unknown"))


def holds_edit_token(comment: Comment, edit_token: str | None) -> bool:
    if not edit_token:
        return False
    return comment.edit_token_hash == hash_token(edit_token)
