"""The proof-of-work challenge (SPEC 13) through the API: asked of first posts, good once, for ten
minutes, on one site; refused with `400 challenge_failed` otherwise."""

import base64
import json
import time
from datetime import timedelta

import pytest
from altcha import solve_challenge_v1

from service import challenge, sites
from service.models import SpentChallenge, utcnow
from service.notify import retention

from .conftest import ORIGIN, Reader

SECRET = "test-secret-key"  # the conftest app's
CHEAP = 1_000  # the lowest cost a site may set: a test solves it in milliseconds


def solve(made, number=None):
    """What the widget sends: base64 of the JSON solution (a wrong `number` on request)."""
    if number is None:
        number = solve_challenge_v1(made["challenge"], made["salt"], made["algorithm"], made["maxnumber"]).number
    fields = {name: made[name] for name in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**fields, "number": number}).encode()).decode()


def fetch_solution(client, site="guarded"):
    made = client.get(f"/api/challenge?site={site}").json
    return solve(made)


@pytest.fixture
def guarded(app):
    """A blog with the SPEC's default settings (`challenge` first-post), at the lowest cost."""
    with app.app_context():
        sites.create_site("guarded", "Guarded", [ORIGIN], {"challenge_cost": CHEAP})
    return "guarded"


def _failed(response):
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "challenge_failed"
    assert response.json["error"]["field"] == "challenge"
    return response.json["error"]["message"]


def test_a_challenge_is_altcha_v1_signed_and_expires_after_ten_minutes(client, guarded):
    response = client.get("/api/challenge?site=guarded")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    made = response.json
    assert set(made) == {"algorithm", "challenge", "salt", "signature", "maxnumber"}
    assert made["algorithm"] == "SHA-256" and made["maxnumber"] == CHEAP
    expires = int(dict(part.split("=") for part in made["salt"].split("?")[1].strip("&").split("&"))["expires"])
    assert abs(expires - (time.time() + 600)) < 5


def test_the_default_cost_is_the_sites_setting(client, app):
    with app.app_context():
        sites.create_site("plain", "Plain", [ORIGIN])
    assert client.get("/api/challenge?site=plain").json["maxnumber"] == sites.DEFAULT_SETTINGS["challenge_cost"]


def test_a_challenge_for_an_unknown_site_is_404(client, guarded):
    response = client.get("/api/challenge?site=nosuch")
    assert response.status_code == 404 and response.json["error"]["code"] == "unknown_site"


def test_a_first_post_without_a_solution_is_refused(client, guarded):
    _failed(Reader(client, site="guarded").post("No work done"))


def test_a_first_post_with_a_solution_is_accepted_and_held(client, guarded):
    response = Reader(client, site="guarded").post("Worked for it", challenge=fetch_solution(client))
    assert response.status_code == 201, response.json
    assert response.json["comment"]["status"] == "pending"


def test_a_wrong_number_is_refused(client, guarded):
    made = client.get("/api/challenge?site=guarded").json
    right = solve_challenge_v1(made["challenge"], made["salt"], made["algorithm"], made["maxnumber"]).number
    assert "wrong" in _failed(Reader(client, site="guarded").post("Guessing", challenge=solve(made, right + 1)))


def test_a_forged_signature_is_refused(client, guarded):
    made = client.get("/api/challenge?site=guarded").json
    forged = challenge.create("guarded", CHEAP, "another-secret", utcnow())
    assert forged["salt"] != made["salt"]
    _failed(Reader(client, site="guarded").post("Forged", challenge=solve(forged)))


def test_an_expired_solution_is_refused(client, guarded):
    eleven_minutes_ago = utcnow() - timedelta(minutes=11)
    made = challenge.create("guarded", CHEAP, SECRET, eleven_minutes_ago)
    assert "expired" in _failed(Reader(client, site="guarded").post("Too late", challenge=solve(made)))


def test_a_solution_is_good_until_its_tenth_minute():
    made = challenge.create("guarded", CHEAP, SECRET, utcnow())
    later = utcnow() + timedelta(minutes=9, seconds=50)
    assert challenge.verify(solve(made), "guarded", SECRET, later).challenge == made["challenge"]
    with pytest.raises(challenge.ApiError):
        challenge.verify(solve(made), "guarded", SECRET, utcnow() + timedelta(minutes=10, seconds=1))


def test_a_reused_solution_is_refused(client, guarded):
    solution = fetch_solution(client)
    assert Reader(client, site="guarded").post("Once", challenge=solution).status_code == 201
    assert "used already" in _failed(Reader(client, site="guarded").post("Twice", challenge=solution))


def test_a_solution_for_another_site_is_refused(client, app, guarded):
    with app.app_context():
        sites.create_site("second", "Second", [ORIGIN], {"challenge_cost": CHEAP})
    solution = fetch_solution(client, "second")
    assert "another site" in _failed(Reader(client, site="guarded").post("Borrowed", challenge=solution))


@pytest.mark.parametrize("solution", [
    "not base64 at all!", base64.b64encode(b"[1, 2]").decode(), base64.b64encode(b"\xff\xfe").decode(),
    base64.b64encode(json.dumps({"algorithm": "SHA-256", "challenge": "a", "number": "1", "salt": 5,
                                 "signature": "b"}).encode()).decode(),
    base64.b64encode(json.dumps({"algorithm": "MD5", "challenge": "a", "number": 1, "salt": "s?expires=9999999999&site=guarded",
                                 "signature": "b"}).encode()).decode(),
])
def test_an_unreadable_solution_is_refused_not_a_500(client, guarded, solution):
    _failed(Reader(client, site="guarded").post("Garbage", challenge=solution))


def test_a_solution_that_is_not_a_string_fails_validation(client, guarded):
    response = Reader(client, site="guarded").post("Object", challenge={"number": 1})
    assert response.status_code == 400 and response.json["error"]["field"] == "challenge"


def test_a_trusted_reader_needs_no_solution_under_first_post(app, client, guarded):
    from service import comments

    reader = Reader(client, site="guarded")
    first = reader.post("First", challenge=fetch_solution(client)).json["comment"]["id"]
    with app.app_context():
        comments.moderate([first], "approve")
    assert reader.post("Second, trusted now").status_code == 201


def test_always_asks_even_a_trusted_reader(app, client, guarded):
    from service import comments

    reader = Reader(client, site="guarded")
    first = reader.post("First", challenge=fetch_solution(client)).json["comment"]["id"]
    with app.app_context():
        comments.moderate([first], "approve")
        sites.update_site(sites.get_site("guarded"), settings={"challenge": "always"})
    _failed(reader.post("Trusted, still asked"))
    assert reader.post("Trusted, with work", challenge=fetch_solution(client)).status_code == 201


def test_off_asks_nobody(app, client, guarded):
    with app.app_context():
        sites.update_site(sites.get_site("guarded"), settings={"challenge": "off"})
    assert Reader(client, site="guarded").post("No work asked").status_code == 201


def test_the_widget_config_says_whether_a_challenge_is_asked(client, guarded):
    assert client.get("/api/comments?site=guarded&uri=/post/").json["config"]["challenge"] == "first-post"


@pytest.mark.parametrize("name, value", [("challenge", "sometimes"), ("challenge_cost", 10),
                                         ("challenge_cost", 50_000_000), ("challenge_cost", "lots")])
def test_challenge_settings_are_checked(app, guarded, name, value):
    with app.app_context(), pytest.raises(sites.ApiError) as refused:
        sites.update_site(sites.get_site("guarded"), settings={name: value})
    assert refused.value.field == name


def test_spent_solutions_are_forgotten_once_expired(app, client, guarded):
    assert Reader(client, site="guarded").post("Once", challenge=fetch_solution(client)).status_code == 201
    with app.app_context():
        retention.purge(utcnow() + timedelta(minutes=9), app.config)
        assert SpentChallenge.query.count() == 1
        retention.purge(utcnow() + timedelta(minutes=11), app.config)
        assert SpentChallenge.query.count() == 0


def test_with_redis_a_solution_is_good_once_across_hosts(make_app, guarded, app):
    """Two apps (two hosts) sharing one Redis: the second refuses what the first accepted."""
    first_host = app
    second_host = make_app(REDIS_URL="redis://127.0.0.1:6379/0")
    first_host.config["TANDEM_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    solution = fetch_solution(first_host.test_client())
    assert Reader(first_host.test_client(), site="guarded").post("Host one", challenge=solution).status_code == 201
    _failed(Reader(second_host.test_client(), site="guarded").post("Host two", challenge=solution))
    with first_host.app_context():
        assert SpentChallenge.query.count() == 0  # kept in Redis, not in the database


def test_the_no_javascript_page_says_posting_needs_javascript(client, guarded):
    page = client.get("/t/guarded/?uri=/post/").get_data(as_text=True)
    assert "Writing a comment needs JavaScript" in page
