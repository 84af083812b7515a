"""Request and response shapes of the admin JSON API, declared once for validation and the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .. import fields
from ..api.schemas import SITE_KEY_MAX, RowId, Strict


class Approval(Strict):
    trust: bool = Field(True, description="Trust the commenter on this site, so their next comments need no approval.")


class CommentText(Strict):
    text: str = Field(min_length=1, max_length=fields.TEXT_MAX)


class AuthorReply(Strict):
    site: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    uri: str = Field(min_length=1, max_length=fields.URI_MAX)
    parent: RowId | None = None
    text: str = Field(min_length=1, max_length=fields.TEXT_MAX)
    author: str | None = Field(None, max_length=fields.AUTHOR_MAX, description="Shown name; default the e-mail's name.")


class NewSite(Strict):
    key: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    name: str | None = Field(None, max_length=200)
    origins: list[str] = Field(min_length=1, max_length=50)
    settings: dict[str, Any] = Field(default_factory=dict)


class SiteChange(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    origins: list[str] | None = Field(None, min_length=1, max_length=50)
    settings: dict[str, Any] = Field(default_factory=dict)


class NewBan(Strict):
    comment: RowId | None = Field(None, description="Ban whoever wrote this comment; it and their held ones become spam.")
    kinds: list[Literal["commenter", "email", "ip"]] = Field(["commenter", "email"], min_length=1)
    site: str | None = Field(None, max_length=SITE_KEY_MAX, description="With `email` or `ip`: the site to ban on.")
    email: str | None = Field(None, max_length=fields.EMAIL_MAX)
    ip: str | None = Field(None, max_length=64)
    note: str | None = Field(None, max_length=500)


class ThreadClosing(Strict):
    site: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    uri: str = Field(min_length=1, max_length=fields.URI_MAX)
    closed: bool = Field(True, description="false opens the thread again.")


class SpamFeature(Strict):
    feature: str
    weight: float


class PrivateComment(Strict):
    id: int
    site: str
    uri: str
    thread_title: str | None
    thread_url: str | None
    thread_closed: bool
    parent: int | None
    status: Literal["pending", "approved", "spam", "deleted"]
    held_reason: str | None = Field(description="A stable identifier: first_post, links, filter, spam_domain, ...")
    held_sentence: str | None = Field(description="The reason for a person, with its details.")
    spam_score: float | None = Field(description="The learning filter's score from 0 to 1; null when not scored.")
    spam_features: list[SpamFeature] = Field(description="The three features that weighed most (weight > 0: spam).")
    author: str | None
    email: str | None
    website: str | None
    ip: str | None
    text: str
    html: str
    created: str
    edited: str | None
    likes: int
    is_author: bool
    pinned: bool
    hearted: bool


class AdminComment(Strict):
    comment: PrivateComment


class AdminComments(Strict):
    comments: list[PrivateComment]
    next: int | None = Field(description="Pass as `after` for the next (older) page.")


class SiteInfo(Strict):
    key: str
    name: str
    origins: list[str]
    settings: dict[str, Any] = Field(description="Every setting; `webhook_url` only for owners.")
    snippet: str


class OneSite(Strict):
    site: SiteInfo


class SiteList(Strict):
    sites: list[SiteInfo]


class BanResult(Strict):
    banned: list[Literal["commenter", "email", "ip"]]
    spam: list[int]


class ThreadState(Strict):
    site: str
    uri: str
    closed: bool


class ThreadResult(Strict):
    thread: ThreadState


class ThreadCorrection(Strict):
    site: str = Field(min_length=1, max_length=SITE_KEY_MAX)
    uri: str = Field(min_length=1, max_length=fields.URI_MAX)
    title: str | None = Field(None, max_length=fields.TITLE_MAX, description="The post's title; \"\" clears it.")
    url: str | None = Field(None, max_length=fields.THREAD_LINK_MAX,
                            description="The post's address, on one of the site's origins; \"\" clears it.")


class ThreadDetails(Strict):
    site: str
    uri: str
    title: str | None
    url: str | None
    closed: bool


class CorrectedThread(Strict):
    thread: ThreadDetails


REQUESTS = [Approval, CommentText, AuthorReply, NewSite, SiteChange, NewBan, ThreadClosing, ThreadCorrection]
RESPONSES = [AdminComment, AdminComments, OneSite, SiteList, BanResult, ThreadResult, CorrectedThread]
