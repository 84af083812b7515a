"""Request and response shapes of the public JSON API, declared once.

The same classes validate what clients send and make `/api/openapi.json`, so the
document cannot drift from the behaviour.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import challenge, fields

SITE_KEY_MAX = 64
COUNTS_URIS_MAX = 500  # URIs one counts request may ask about
RowId = Annotated[int, Field(ge=1, le=fields.ID_MAX, description="A comment's id.")]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class NewComment(Strict):
    site: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    uri: str = Field(min_length=1, max_length=fields.URI_MAX)
    title: str | None = Field(None, max_length=fields.TITLE_MAX)
    url: str | None = Field(None, max_length=fields.THREAD_LINK_MAX,
                            description="The page's address without its fragment; the thread's link only on one of "
                                        "the site's origins.")
    parent: RowId | None = None
    author: str | None = Field(None, max_length=fields.AUTHOR_MAX)
    email: str | None = Field(None, max_length=fields.EMAIL_MAX)
    website: str | None = Field(None, max_length=fields.WEBSITE_MAX)
    text: str = Field(min_length=1, max_length=fields.TEXT_MAX)
    notify: bool = False
    hp: str | None = Field("", description="Honeypot: keep it empty.")
    challenge: str | None = Field(None, max_length=challenge.SOLUTION_MAX,
                                  description="The solved proof-of-work: base64 of the JSON {algorithm, challenge, "
                                              "number, salt, signature} (SPEC 13).")


class CommentEdit(Strict):
    text: str = Field(min_length=1, max_length=fields.TEXT_MAX)


class CountsQuery(Strict):
    site: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    uris: list[str] = Field(max_length=COUNTS_URIS_MAX)


class SignInLinkRequest(Strict):
    site: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    email: str = Field(min_length=1, max_length=fields.EMAIL_MAX,
                       description="The address the reader commented with on this site.")
    url: str = Field(min_length=1, max_length=fields.THREAD_LINK_MAX,
                     description="The page the link opens, on one of the site's origins (its fragment is dropped).")


class SignInClaimRequest(Strict):
    site: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    claim: str = Field(min_length=1, max_length=200, description="The `tandem-claim` of the link's fragment.")


class Accepted(Strict):
    """An empty object: the request is taken, whatever it leads to."""


class SignedIn(Strict):
    commenter_token: str = Field(description="A new token for this browser, trusted on the site when the address's "
                                             "earlier comments had earned it.")
    author: str | None
    email: str
    website: str | None


class PublicComment(Strict):
    id: int
    parent: int | None
    author: str | None
    website: str | None
    avatar: str
    html: str
    created: str
    edited: str | None
    likes: int
    is_author: bool
    pinned: bool
    hearted: bool = Field(description="The blog's author hearted it (the widget shows \"♥ by the author\").")
    status: Literal["pending", "approved"] | None = Field(None, description="Only for the commenter who wrote it.")
    replies: list[PublicComment | Tombstone]


class Tombstone(Strict):
    id: int
    parent: int | None
    deleted: Literal[True]
    replies: list[PublicComment | Tombstone]


class ThreadInfo(Strict):
    uri: str | None
    title: str | None
    closed: bool
    total: int


class WidgetConfig(Strict):
    moderation: str
    require_email: bool
    require_author: bool
    markdown: bool
    max_depth: int
    edit_window_minutes: int
    challenge: Literal["first-post", "always", "off"]


class ThreadPage(Strict):
    thread: ThreadInfo
    config: WidgetConfig
    comments: list[PublicComment | Tombstone]
    next: str | None


class OneComment(Strict):
    comment: PublicComment


class CreatedComment(Strict):
    comment: PublicComment
    commenter_token: str
    edit_token: str
    editable_until: str


class Challenge(Strict):
    algorithm: Literal["SHA-256"]
    challenge: str = Field(description="SHA-256 hex of `salt` followed by the secret number in decimal.")
    salt: str
    signature: str
    maxnumber: int = Field(description="The secret number is at most this: the site's `challenge_cost`.")


class LikeCount(Strict):
    likes: int


class Counts(Strict):
    counts: dict[str, int]


class Health(Strict):
    ok: bool


class ErrorDetail(Strict):
    code: str
    message: str
    field: str | None


class Error(Strict):
    error: ErrorDetail


PublicComment.model_rebuild()
Tombstone.model_rebuild()


class NewSubscription(Strict):
    """Follow a thread: mail about each new approved comment, or one digest a day (after confirming by mail)."""

    site: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    uri: str = Field(min_length=1, max_length=fields.URI_MAX)
    email: str = Field(min_length=1, max_length=fields.EMAIL_MAX)
    digest: Literal["each", "daily"] = "each"
