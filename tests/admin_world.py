"""A small world for the admin tests: two sites, an owner, a moderator of each site, held comments."""

import re
from dataclasses import dataclass, field

import pytest
from werkzeug.security import generate_password_hash

from service import accounts, comments, sites
from service.db import db
from service.models import Comment

from .conftest import Reader

PASSWORD = "correct horse battery"
# The production hash (scrypt) takes most of a second here; the stored hash names its method,
# so accounts made with this cheap one log in through the very same code, only faster.
CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
ORIGIN_A, ORIGIN_B = "https://a.example.com", "https://b.example.com"


@dataclass
class World:
    app: object
    client: object
    ids: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def browser(self, email=None):
        """A fresh client (its own cookie jar), logged in as `email` when given."""
        browser = self.app.test_client()
        if email:
            response = login(browser, email)
            assert response.status_code == 303, response.data
        return browser

    def api(self, method, path, who, **kwargs):
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return getattr(self.client, method)(path, headers=headers, **kwargs)

    def comment(self, comment_id):
        with self.app.app_context():
            comment = db.session.get(Comment, comment_id)
            return None if comment is None else {
                "status": comment.status, "text": comment.text, "email": comment.email, "author": comment.author,
                "pinned": comment.pinned, "closed": comment.thread.closed, "website": comment.website,
                "ip": comment.ip, "commenter_hash": comment.commenter_hash}

    def site(self, key):
        with self.app.app_context():
            found = sites.get_site(key)
            return {"name": found.name, "origins": list(found.origins), "settings": dict(found.settings or {})}


def csrf_token(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def login(browser, email, password=PASSWORD, **data):
    return browser.post("/admin/login", data={"email": email, "password": password, **data})


def build_world(app):
    client = app.test_client()
    world = World(app, client)
    with app.app_context():
        site_a = sites.create_site("a", "Site A", [ORIGIN_A], {"challenge": "off"})
        site_b = sites.create_site("b", "Site B", [ORIGIN_B], {"challenge": "off"})
        for email, moderated, owner in (("owner@example.com", [], True), ("mod-a@example.com", [site_a], False),
                                        ("mod-b@example.com", [site_b], False)):
            account = accounts.create_moderator(email, None, moderated, owner)
            account.password_hash = CHEAP_HASH
            db.session.commit()
            world.ids[email] = account.id
            world.tokens[email] = accounts.create_token(account, label="tests")
    for key, origin in (("a", ORIGIN_A), ("b", ORIGIN_B)):
        reader = Reader(client, site=key, origin=origin)
        held = reader.post(f"Held on {key}", uri="/post/", author=f"Writer {key}", email=f"writer-{key}@example.net",
                           website=f"https://writer-{key}.example.net", title=f"Post on {key}").json["comment"]
        world.ids[f"held_{key}"] = held["id"]
        # The widget sends the page's title with every comment; the thread takes it once one is approved.
        visible = reader.post(f"Approved on {key}", uri="/post/", title=f"Post on {key}").json["comment"]
        world.ids[f"approved_{key}"] = visible["id"]
        with app.app_context():
            comments.moderate([visible["id"]], "approve")
            world.ids[f"thread_{key}"] = db.session.get(Comment, visible["id"]).thread_id
    return world


@pytest.fixture
def world(app):
    return build_world(app)
