"""The widget when things go wrong or change (issue 12, points 3 to 5 and 9): a refused origin, a
wrong site key, a comment over the limit, an unreachable server, counts after a post, and the
space under a nested thread. Each drives the live `tandem serve` from a blog on another origin."""

import pytest

from service import sites

from .widget_pages import WIDGET, Seeder, post_page, rendered, snippet

pytestmark = pytest.mark.browser

SHADOW = "document.querySelector('#tandem-comments').shadowRoot"


def _console(page):
    lines = []
    page.on("console", lambda message: lines.append(message.text))
    return lines


def test_a_post_from_a_refused_origin_tells_the_reader_as_before_and_the_blogger_the_command(
        page, service, blog, live_app, blog_site):
    with live_app.app_context():
        sites.update_site(sites.get_site(blog_site), origins=["https://blog.example"])
    lines = _console(page)
    page.goto(post_page(blog, service))
    rendered(page, 0)
    page.fill(f"{WIDGET} textarea", "Hello from the wrong origin")
    page.click(f"{WIDGET} button.primary")
    status = page.locator(f"{WIDGET} .form-status.is-error")
    status.wait_for()
    assert status.text_content() == "Comments cannot be posted from this page."
    told = [line for line in lines if line.startswith("Tandem:")]
    assert told == [f"Tandem: site {blog_site} refuses comments from {blog.origin}; "
                    f"to allow this origin, run: tandem site origin add {blog_site} {blog.origin}"]


def test_a_wrong_site_key_says_the_server_has_no_such_site_and_names_the_key(page, service, blog):
    lines = _console(page)
    blog.add("/post/", f"<!doctype html><title>A post</title>{snippet(service, site='no-such-blog')}")
    page.goto(blog.origin + "/post/")
    message = page.locator(f"{WIDGET} .loading")
    message.wait_for()
    page.wait_for_function(f"() => {SHADOW}.querySelector('.loading').textContent.includes('no site')")
    assert message.text_content() == "This comment server has no site with the key this page gives."
    assert page.locator(f"{WIDGET} button.retry").count() == 0
    told = [line for line in lines if line.startswith("Tandem:")]
    assert len(told) == 1 and '"no-such-blog"' in told[0] and service.url in told[0]


def test_the_comment_box_counts_down_near_the_limit_and_refuses_more_with_a_message(
        page, service, blog, live_app, blog_site):
    posts = []
    page.on("request", lambda request: request.method == "POST" and "/api/comments" in request.url
            and posts.append(request.url))
    page.goto(post_page(blog, service))
    rendered(page, 0)
    box, left = page.locator(f"{WIDGET} .form-new textarea"), page.locator(f"{WIDGET} .form-new .left")
    box.fill("A short comment")
    assert left.is_hidden()
    box.fill("x" * 9_700)
    assert left.text_content() == "300 characters left"
    pasted = "A long paste. " * 7_500  # 105,000 characters
    box.fill(pasted)
    assert len(box.input_value()) == len(pasted)  # nothing cut
    assert left.text_content() == "95,000 characters too many"
    page.click(f"{WIDGET} .form-new button.primary")
    status = page.locator(f"{WIDGET} .form-new .form-status.is-error")
    status.wait_for()
    assert status.text_content() == "Your comment is longer than 10,000 characters. Please shorten it."
    assert box.get_attribute("aria-invalid") == "true" and posts == []
    # The limit counts characters as the service does: an emoji is one, though it is two UTF-16 units.
    box.fill("😀" * 10 + "y" * 9_990)
    assert left.text_content() == "0 characters left"
    page.click(f"{WIDGET} .form-new button.primary")
    page.locator(f"{WIDGET} .comment.held").wait_for()
    assert len(posts) == 1
    assert box.input_value() == "" and left.is_hidden()


def test_counts_on_the_page_follow_a_new_comment(page, service, blog, live_app, blog_site):
    Seeder(live_app, blog_site).setting("moderation", "none")
    counter = '<p>On this post: <span id="counter" data-tandem-count="/post/"></span></p>'
    counter += f'<script src="{service.url}/count.js" data-site="{blog_site}" defer></script>'
    page.goto(post_page(blog, service, before=counter))
    rendered(page, 0)
    page.wait_for_function("() => document.getElementById('counter').textContent === '0 comments'")
    page.fill(f"{WIDGET} textarea", "First!")
    page.click(f"{WIDGET} button.primary")
    rendered(page, 1)
    assert page.text_content(f"{WIDGET} .count") == "1 comment"
    page.wait_for_function("() => document.getElementById('counter').textContent === '1 comment'")


def test_an_unreachable_server_offers_try_again_on_a_first_visit(page, service, blog, live_app, blog_site):
    Seeder(live_app, blog_site).comment("Here all along", author="Ada")
    api = f"{service.url}/api/**"
    page.route(api, lambda route: route.abort("connectionrefused"))
    page.goto(post_page(blog, service))  # a new browser context: nothing cached, nothing stored
    retry = page.locator(f"{WIDGET} button.retry")
    retry.wait_for()
    assert page.text_content(f"{WIDGET} .loading") == "The comment server cannot be reached. Please try again. Try again"
    page.unroute(api)
    retry.click()
    rendered(page, 1)
    assert page.locator(f"{WIDGET} .loading").count() == 0
    assert page.text_content(f"{WIDGET} .comment .text") == "Here all along"


def test_a_nested_thread_ends_with_the_space_a_single_comment_has(page, service, blog, live_app, blog_site):
    seed = Seeder(live_app, blog_site)
    alone = seed.comment("On its own")
    top = seed.comment("Top")
    latest = top
    for depth in range(3):
        latest = seed.comment(f"Reply {depth}", parent=latest)
    page.goto(post_page(blog, service))
    rendered(page, 5)
    space_under = """([article, last]) => {
        const root = %s;
        const bottom = selector => root.querySelector(selector).getBoundingClientRect().bottom;
        return bottom(article) - bottom(last);
    }""" % SHADOW
    single = page.evaluate(space_under, [f"#comment-{alone}", f"#comment-{alone} .actions"])
    nested = page.evaluate(space_under, [f"#comment-{top}", f"#comment-{latest} .actions"])
    assert single > 0
    assert abs(nested - single) < 1
