"""The proof-of-work end to end (SPEC 13): a first-time reader posts through the widget under a
strict Content-Security-Policy; the page keeps running while the widget solves; the solution the
browser sent is verified, and the same solution sent again is refused."""

import json

import pytest
import requests

from .widget_pages import WIDGET, rendered, strict_page

pytestmark = [pytest.mark.browser, pytest.mark.site_settings(challenge="first-post")]


def test_a_first_time_reader_posts_under_a_strict_csp_and_the_solution_is_good_once(page, service, blog):
    messages, posted = [], []
    page.on("console", lambda message: messages.append(message.text))
    page.on("request", lambda request: posted.append(request.post_data)
            if request.method == "POST" and request.url.endswith("/api/comments") else None)
    page.goto(strict_page(blog, service))
    rendered(page, 0)
    page.fill(f"{WIDGET} textarea", "Solved before I pressed the button")
    page.click(f"{WIDGET} button.primary")
    page.locator(f"{WIDGET} .comment.held").wait_for()
    assert not [text for text in messages if "Content Security Policy" in text or "Refused" in text]

    sent = json.loads(posted[0])
    assert sent["challenge"], "the widget sent its solution"
    replay = requests.post(service.url + "/api/comments", timeout=10, headers={"Origin": blog.origin},
                           json={**sent, "text": "The same work again"})
    assert replay.status_code == 400
    assert replay.json()["error"] == {"code": "challenge_failed", "field": "challenge",
                                      "message": "This proof-of-work was used already; please post again."}


def test_solving_never_blocks_the_page(page, service, blog):
    """A timer on the host page keeps ticking while the widget solves at the site's default cost."""
    page.goto(strict_page(blog, service))
    rendered(page, 0)
    page.evaluate("""() => {
        window.longestGap = 0; let last = performance.now();
        setInterval(() => { const now = performance.now(); longestGap = Math.max(longestGap, now - last); last = now; }, 10);
    }""")
    page.focus(f"{WIDGET} textarea")
    page.wait_for_function("() => window.TandemSolver && window.TandemSolver.lastMs > 0", timeout=30_000)
    solving_ms, longest_gap = page.evaluate("() => [TandemSolver.lastMs, longestGap]")
    assert longest_gap < 150, f"the page stalled {longest_gap:.0f} ms during {solving_ms:.0f} ms of solving"
