"""The proof-of-work on the server users run (`tandem serve`, two workers, SQLite and PostgreSQL):
one solution sent many times at once, to whichever worker takes it, makes one comment."""

import base64
import json
from concurrent.futures import ThreadPoolExecutor

import requests
from altcha import solve_challenge_v1

from .live import post_comment

ORIGIN = "https://blog.example.com"


def solution_for(server, site):
    made = requests.get(f"{server.url}/api/challenge?site={site}", timeout=10).json()
    number = solve_challenge_v1(made["challenge"], made["salt"], made["algorithm"], made["maxnumber"]).number
    fields = {name: made[name] for name in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**fields, "number": number}).encode()).decode()


def test_a_solution_sent_twelve_times_at_once_makes_one_comment(live_server):
    site = live_server.new_site([ORIGIN], challenge="first-post", challenge_cost=1000)
    solution = solution_for(live_server, site)
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda n: post_comment(live_server, site, ORIGIN, f"Try {n}", challenge=solution),
                                range(12)))
    assert sorted(answer.status_code for answer in answers) == [201] + [400] * 11
    assert {answer.json()["error"]["code"] for answer in answers if answer.status_code == 400} == {"challenge_failed"}
    held = live_server.admin_api("GET", f"/api/admin/comments?site={site}&status=pending").json()["comments"]
    assert len(held) == 1
    assert live_server.tracebacks() == 0


def test_a_first_post_without_a_solution_is_refused_by_the_server(live_server):
    site = live_server.new_site([ORIGIN], challenge="first-post")
    refused = post_comment(live_server, site, ORIGIN, "No work")
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "challenge"
    assert post_comment(live_server, site, ORIGIN, "Work", challenge=solution_for(live_server, site)).status_code == 201
