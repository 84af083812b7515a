"""The widget as readers use it: a blog on its own origin, the snippet, Debian's chromium."""

import json
import re

import pytest

from .widget_pages import WIDGET, Seeder, post_page, rendered

pytestmark = pytest.mark.browser


def _texts(page, selector):
    return page.locator(f"{WIDGET} {selector}").all_text_contents()


def _api_reads(page):
    reads = []
    page.on("request", lambda request: "/api/comments?" in request.url and reads.append(request.url))
    return reads


def test_a_reader_sees_the_thread_threaded_in_one_request(page, service, blog, live_app, blog_site):
    seed = Seeder(live_app, blog_site)
    writer = seed.moderator()
    ada = seed.comment("Hello **world**", author="Ada", website="https://ada.example")
    seed.comment("Thanks, Ada!", parent=ada, moderator=writer)
    gone = seed.comment("I will vanish", author="Cy")
    seed.comment("Still here", author="Dee", parent=gone)
    seed.moderate(gone, "reject")
    reads = _api_reads(page)
    page.goto(post_page(blog, service))
    rendered(page, 4)
    assert len(reads) == 1
    assert page.text_content(f"{WIDGET} .count") == "3 comments"
    ada_card = page.locator(f"{WIDGET} #comment-{ada}")
    assert ada_card.locator(".text strong").text_content() == "world"
    assert ada_card.locator("a.name").get_attribute("href") == "https://ada.example"
    reply = ada_card.locator(".replies .comment.by-author")
    assert reply.locator(".badge").text_content() == "Author"
    assert page.text_content(f"{WIDGET} #comment-{gone} .gone") == "This comment was deleted."
    assert "Still here" in page.text_content(f"{WIDGET} #comment-{gone} .replies")
    date = ada_card.locator(".meta .date").first
    assert date.text_content() == "2 days ago"
    assert re.search(r"20\d\d", date.get_attribute("title"))
    assert page.evaluate("""() => [...document.querySelector('#tandem-comments').shadowRoot.querySelectorAll('img.avatar')]
                            .every(img => img.complete && img.naturalWidth > 0)""")


def test_a_first_comment_waits_for_moderation_then_everyone_sees_it(page, browser, service, blog, live_app, blog_site):
    url = post_page(blog, service)
    page.goto(url)
    rendered(page, 0)
    page.fill(f"{WIDGET} textarea", "My *first* comment")
    page.fill(f"{WIDGET} .field-author input", "Eve")
    page.click(f"{WIDGET} button.primary")
    held = page.locator(f"{WIDGET} .comment.held")
    assert held.locator(".held-badge").text_content() == "Awaiting moderation"
    assert "appear once it is approved" in page.text_content(f"{WIDGET} .status")
    page.reload()
    rendered(page)
    held.wait_for()
    assert held.locator(".text em").text_content() == "first"
    comment_id = int(held.get_attribute("id").split("-")[1])
    Seeder(live_app, blog_site).moderate(comment_id, "approve")
    other = browser.new_context().new_page()
    other.goto(url)
    rendered(other, 1)
    assert other.locator(f"{WIDGET} .comment .name").text_content() == "Eve"
    assert other.locator(f"{WIDGET} .held").count() == 0
    other.context.close()


def test_a_rejected_comment_disappears_for_its_writer(page, service, blog, live_app, blog_site):
    page.goto(post_page(blog, service))
    rendered(page)
    page.fill(f"{WIDGET} textarea", "Buy cheap things")
    page.click(f"{WIDGET} button.primary")
    held = page.locator(f"{WIDGET} .comment.held")
    Seeder(live_app, blog_site).moderate(int(held.get_attribute("id").split("-")[1]), "reject")
    page.reload()
    rendered(page)
    page.wait_for_function(f"() => !Object.keys(JSON.parse(localStorage.getItem('tandem:{blog_site}')).own).length")
    assert page.locator(f"{WIDGET} .comment").count() == 0


def test_a_reply_is_written_inline_and_lands_under_its_parent(page, service, blog, live_app, blog_site):
    seed = Seeder(live_app, blog_site)
    seed.setting("moderation", "none")
    parent = seed.comment("Start here", author="Ada")
    page.goto(post_page(blog, service))
    rendered(page, 1)
    page.click(f"{WIDGET} #comment-{parent} .actions button:text('Reply')")
    form = page.locator(f"{WIDGET} #comment-{parent} .form-reply")
    form.locator("textarea").fill("An inline answer")
    form.locator("button.primary").click()
    reply = page.locator(f"{WIDGET} #comment-{parent} .replies .comment")
    assert reply.locator(".text").text_content() == "An inline answer"
    assert form.count() == 0
    assert page.text_content(f"{WIDGET} .count") == "2 comments"
    assert page.evaluate("document.querySelector('#tandem-comments').shadowRoot.activeElement.id") == reply.get_attribute("id")


def test_own_comments_can_be_edited_and_deleted(page, service, blog, live_app, blog_site):
    Seeder(live_app, blog_site).setting("moderation", "none")
    page.goto(post_page(blog, service))
    rendered(page)
    page.fill(f"{WIDGET} textarea", "Frist!")
    page.click(f"{WIDGET} button.primary")
    mine = page.locator(f"{WIDGET} .list .comment")
    mine.locator("button:text('Edit')").click()
    mine.locator(".form-edit textarea").fill("First!")
    mine.locator(".form-edit button.primary").click()
    page.wait_for_selector(f"{WIDGET} .list .comment .edited")
    assert mine.locator(".text").text_content() == "First!"
    mine.locator("button:text('Delete')").click()
    mine.locator("button:text('Really delete?')").click()
    page.wait_for_selector(f"{WIDGET} .list .comment", state="detached")
    assert page.text_content(f"{WIDGET} .count") == "0 comments"
    page.reload()
    rendered(page)
    assert page.locator(f"{WIDGET} .list .comment").count() == 0


def test_likes_count_once_and_can_be_taken_back(page, service, blog, live_app, blog_site):
    liked = Seeder(live_app, blog_site).comment("Like me", author="Ada")
    url = post_page(blog, service)
    page.goto(url)
    rendered(page, 1)
    like = page.locator(f"{WIDGET} #comment-{liked} .like")
    like.click()
    page.wait_for_selector(f"{WIDGET} .like[aria-pressed='true']")
    assert like.text_content() == "♥ 1"
    page.reload()
    rendered(page, 1)
    assert like.text_content() == "♥ 1" and like.get_attribute("aria-pressed") == "true"
    like.click()
    page.wait_for_selector(f"{WIDGET} .like[aria-pressed='false']")
    assert like.text_content() == "♥"


def test_readers_sort_by_oldest_newest_and_top(page, service, blog, live_app, blog_site):
    seed = Seeder(live_app, blog_site)
    first, second, third = (seed.comment(text, author=text) for text in ("one", "two", "three"))
    seed.like(second, 3)
    seed.like(third, 1)
    page.goto(post_page(blog, service))
    rendered(page, 3)
    assert _texts(page, ".list > .comment .text") == ["one", "two", "three"]
    page.select_option(f"{WIDGET} .toolbar select", "newest")
    page.wait_for_function("() => document.querySelector('#tandem-comments').shadowRoot"
                           ".querySelector('.list .text').textContent === 'three'")
    assert _texts(page, ".list > .comment .text") == ["three", "two", "one"]
    page.select_option(f"{WIDGET} .toolbar select", "top")
    page.wait_for_function("() => document.querySelector('#tandem-comments').shadowRoot"
                           ".querySelector('.list .text').textContent === 'two'")
    assert _texts(page, ".list > .comment .text") == ["two", "three", "one"]


def test_long_threads_load_more_and_permalinks_find_their_comment(page, service, blog, live_app, blog_site):
    ids = Seeder(live_app, blog_site).many(55)
    url = post_page(blog, service)
    page.goto(url)
    rendered(page, 50)
    page.click(f"{WIDGET} button.more")
    rendered(page, 55)
    assert page.locator(f"{WIDGET} button.more").is_hidden()
    page.goto(url + f"#comment-{ids[52]}")
    page.reload()
    target = page.locator(f"{WIDGET} .comment.target")
    target.wait_for()
    assert target.get_attribute("id") == f"comment-{ids[52]}"
    assert target.is_visible() and target.bounding_box()["y"] < page.viewport_size["height"]


def test_count_js_fills_every_counter_from_one_request(page, service, blog, live_app, blog_site):
    seed = Seeder(live_app, blog_site)
    seed.comment("a")
    seed.comment("b")
    Seeder(live_app, blog_site, uri="/other/").comment("c")
    posts = []
    page.on("request", lambda request: "/api/counts" in request.url and posts.append(request.method))
    url = blog.add("/", f"""<!doctype html><title>Blog</title>
        <a href="/post/" data-tandem-count="/post/">comments</a>
        <a href="/other/" data-tandem-count="/other/">comments</a>
        <a href="/quiet/" data-tandem-count="/quiet/">comments</a>
        <span data-tandem-count="/post/"></span>
        <script src="{service.url}/count.js" data-site="{blog_site}" defer></script>""")
    page.goto(url)
    page.wait_for_function("() => document.querySelector('span[data-tandem-count]').textContent !== ''")
    counts = page.locator("[data-tandem-count]").all_text_contents()
    assert counts == ["2 comments", "1 comment", "0 comments", "2 comments"]
    assert posts == ["POST"]
    assert page.evaluate("document.cookie") == ""


def test_the_reader_is_remembered_in_local_storage_not_cookies(page, service, blog, live_app, blog_site):
    page.goto(post_page(blog, service))
    rendered(page)
    page.fill(f"{WIDGET} textarea", "Hello")
    page.fill(f"{WIDGET} .field-author input", "Ada")
    page.fill(f"{WIDGET} .field-email input", "ada@example.org")
    page.click(f"{WIDGET} button.primary")
    page.locator(f"{WIDGET} .comment.held").wait_for()
    page.reload()
    rendered(page)
    assert page.input_value(f"{WIDGET} .field-author input") == "Ada"
    assert page.input_value(f"{WIDGET} .field-email input") == "ada@example.org"
    stored = json.loads(page.evaluate(f"localStorage.getItem('tandem:{blog_site}')"))
    assert stored["token"] and stored["own"]
    assert page.context.cookies() == []
