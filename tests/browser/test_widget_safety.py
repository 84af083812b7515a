"""The widget survives any host page: strict CSP, hostile stylesheets, hostile comments; it speaks
the reader's language and can be used with the keyboard alone."""

import pytest

from .widget_pages import WIDGET, Seeder, post_page, rendered, snippet

pytestmark = pytest.mark.browser

# A few vectors from the shared XSS corpus, each tried in every field a reader can fill.
XSS = [
    "<SCRIPT>alert('XSS');</SCRIPT>",
    "<IMG SRC=javascript:alert('XSS')>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<image name=activeElement><svg onload=alert(1)>",
    "[a](javascript:prompt(document.cookie))",
    "\"><img src=x onerror=alert(document.domain)>",
]


def _watch_dialogs(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def test_a_strict_csp_host_page_shows_no_violation(page, service, blog, live_app, blog_site):
    Seeder(live_app, blog_site).comment("Under a strict policy", author="Ada")
    policy = (f"default-src 'none'; script-src {service.url}; style-src {service.url}; "
              f"connect-src {service.url}; img-src {service.url}")
    url = blog.add("/strict/", f"<!doctype html><title>Strict</title>{snippet(service, uri='/post/')}",
                   Content_Security_Policy=policy)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(url)
    rendered(page, 1)
    page.fill(f"{WIDGET} textarea", "Posted under CSP")
    page.click(f"{WIDGET} button.primary")
    page.locator(f"{WIDGET} .comment.held").wait_for()
    avatar_loaded = "img => img.complete && img.naturalWidth > 0"
    assert page.locator(f"{WIDGET} img.avatar").first.evaluate(avatar_loaded)
    assert page.locator(f"{WIDGET} .form").evaluate("form => getComputedStyle(form).borderTopStyle") == "solid"
    assert not [text for text in messages if "Content Security Policy" in text or "Refused" in text]


def test_a_hostile_stylesheet_cannot_hide_or_blank_the_widget(page, service, blog, live_app, blog_site):
    Seeder(live_app, blog_site).comment("Still readable", author="Ada")
    hostile = """<style>
        body * { display: none !important; }
        div { color: transparent !important; font-size: 0 !important; height: 0 !important;
              overflow: hidden !important; opacity: 0 !important; visibility: hidden !important; }
        textarea, button, input, p, article { display: none !important; }
        #tandem-comments { position: relative; transform: scale(0) !important; }
    </style>"""
    page.goto(post_page(blog, service, head=hostile))
    rendered(page, 1)
    text = page.locator(f"{WIDGET} .comment .text p")
    assert text.is_visible()
    assert text.evaluate("el => getComputedStyle(el).color") != "rgba(0, 0, 0, 0)"
    assert text.bounding_box()["height"] > 10
    assert page.locator(f"{WIDGET} textarea").is_visible()
    assert page.locator(f"{WIDGET} button.primary").is_visible()


def test_hostile_text_in_every_field_never_runs(page, service, blog, live_app, blog_site):
    seed = Seeder(live_app, blog_site)
    seed.setting("moderation", "none")
    for vector in XSS:
        seed.comment(vector, author=vector)
    dialogs = _watch_dialogs(page)
    page.goto(post_page(blog, service, title="<img src=x onerror=alert(9)>"))
    rendered(page, len(XSS))
    for vector in XSS[:3]:
        page.fill(f"{WIDGET} textarea", vector)
        page.fill(f"{WIDGET} .field-author input", vector)
        page.fill(f"{WIDGET} .field-website input", 'https://example.org/"onmouseover="alert(1)')
        page.click(f"{WIDGET} button.primary")
        page.wait_for_function("n => document.querySelector('#tandem-comments').shadowRoot"
                               ".querySelectorAll('.comment').length === n",
                               arg=len(XSS) + XSS.index(vector) + 1)
    page.fill(f"{WIDGET} .field-website input", "javascript:alert(1)")
    page.fill(f"{WIDGET} textarea", XSS[0])
    page.click(f"{WIDGET} button.primary")
    page.locator(f"{WIDGET} .field-website .error").wait_for()
    page.reload()
    rendered(page, len(XSS) + 3)
    names = page.locator(f"{WIDGET} .comment .name").all_text_contents()
    assert names.count(XSS[0]) == 2
    hrefs = page.locator(f"{WIDGET} .comment a").evaluate_all("links => links.map(a => a.href)")
    assert not [href for href in hrefs if href.lower().startswith("javascript")]
    assert page.locator(f"{WIDGET} script, {WIDGET} .text img, {WIDGET} svg").count() == 0
    page.hover(f"{WIDGET} .list a.name")
    assert dialogs == []


def test_api_errors_are_shown_next_to_the_field_they_name(page, service, blog, live_app, blog_site):
    seed = Seeder(live_app, blog_site)
    seed.comment("Open for now")
    page.goto(post_page(blog, service))
    rendered(page, 1)
    page.fill(f"{WIDGET} textarea", "Hello")
    page.fill(f"{WIDGET} .field-email input", "not-an-address")
    page.click(f"{WIDGET} button.primary")
    email = page.locator(f"{WIDGET} .field-email")
    email.locator(".error").wait_for()
    assert email.locator(".error").text_content() == "Please check your e-mail address."
    assert email.locator("input").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.querySelector('#tandem-comments').shadowRoot.activeElement.type") == "email"
    seed.close()
    page.fill(f"{WIDGET} .field-email input", "")
    page.click(f"{WIDGET} button.primary")
    status = page.locator(f"{WIDGET} .form-status.is-error")
    status.wait_for()
    assert status.text_content() == "Comments on this post are closed."
    assert email.locator(".error").is_hidden()


def test_german_readers_get_german_labels(page, service, blog, live_app, blog_site):
    seed = Seeder(live_app, blog_site)
    seed.comment("Eins")
    seed.comment("Zwei")
    page.goto(post_page(blog, service, lang="de"))
    rendered(page, 2)
    assert page.text_content(f"{WIDGET} .count") == "2 Kommentare"
    assert page.text_content(f"{WIDGET} button.primary") == "Kommentar senden"
    assert page.locator(f"{WIDGET} .field-text label").text_content() == "Dein Kommentar"
    assert page.locator(f"{WIDGET} .actions button").nth(1).text_content() == "Antworten"
    assert page.locator(f"{WIDGET} .comment .date").first.text_content() == "vorgestern"


def test_a_comment_can_be_posted_with_the_keyboard_alone(page, service, blog, live_app, blog_site):
    page.goto(post_page(blog, service, before='<a href="/elsewhere/">Previous post</a>'))
    rendered(page, 0)
    active = "() => { const root = document.querySelector('#tandem-comments').shadowRoot;" \
             " const el = root && root.activeElement; return el ? el.tagName + ':' + (el.name || '') : '' }"
    page.keyboard.press("Tab")  # the page's own link
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "TEXTAREA:text"
    page.keyboard.type("Typed, never clicked")
    page.keyboard.press("Tab")  # the Markdown help
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "INPUT:author"
    page.keyboard.type("Kay")
    for _ in range(5):  # e-mail, website, notify, follow (how often shows once ticked), post
        page.keyboard.press("Tab")
    assert page.evaluate(active) == "BUTTON:"
    page.keyboard.press("Enter")
    page.locator(f"{WIDGET} .comment.held").wait_for()
    assert page.evaluate(active) == "ARTICLE:"
    assert page.text_content(f"{WIDGET} .comment .text") == "Typed, never clicked"


def test_the_theme_follows_the_reader_unless_the_blog_sets_it(page, service, blog, live_app, blog_site):
    theme = f"{WIDGET} .tandem"
    page.emulate_media(color_scheme="dark")
    page.goto(post_page(blog, service))
    rendered(page)
    assert "dark" in page.get_attribute(theme, "class")
    page.emulate_media(color_scheme="light")
    page.wait_for_selector(f"{theme}.light")
    accent = "<style>#tandem-comments { --tandem-accent: rgb(200, 0, 0); }</style>"
    page.goto(post_page(blog, service, path="/fixed/", head=accent, theme="dark"))
    rendered(page)
    assert "dark" in page.get_attribute(theme, "class")
    assert page.locator(theme).evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(22, 24, 29)"
    assert page.locator(f"{WIDGET} button.primary").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(200, 0, 0)"
