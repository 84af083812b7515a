"""One reader on every device (SPEC 14), in Chromium: a trusted reader asks for a sign-in link in a
second browser, opens it from the mail (a real SMTP sink, sent by the real worker), and that
browser's form is filled and its next comment is published without moderation."""

import re

import pytest

from tests.live import TandemServer, server_environment
from tests.notify_support import text_of, wait_for

from .widget_pages import WIDGET, post_page, rendered

pytestmark = pytest.mark.browser


class MailingService:
    """The served service as widget_pages expects it: its address and the test's site."""

    def __init__(self, server, site):
        self.server, self.url, self.site = server, server.url, site


@pytest.fixture
def mailing_service(tmp_path, smtp_sink, blog):
    """`tandem serve` with its worker, mailing to the sink, and a site whose origin is the blog."""
    server = TandemServer(server_environment(tmp_path / "instance", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port),
                          tmp_path / "serve.log", command=["-m", "service.cli", "serve"])
    server.env.update(TANDEM_PUBLIC_URL=server.url)
    server.start()
    yield MailingService(server, server.new_site([blog.origin]))
    server.stop()


def write(page, text, **identity):
    for name, value in identity.items():
        page.fill(f"{WIDGET} .field-{name} input", value)
    page.fill(f"{WIDGET} textarea", text)
    page.click(f"{WIDGET} button.primary")


def field(page, name):
    return page.input_value(f"{WIDGET} .field-{name} input")


def test_a_trusted_reader_signs_in_on_a_second_browser_by_mail(browser, blog, mailing_service, smtp_sink):
    service = mailing_service
    url = post_page(blog, service)
    laptop = browser.new_context().new_page()
    laptop.goto(url)
    rendered(laptop, 0)
    write(laptop, "Hello from my laptop", author="Ann", email="ann@example.com", website="https://ann.example")
    held = laptop.locator(f"{WIDGET} .comment.held")
    comment_id = held.get_attribute("id").split("-")[1]
    assert service.server.admin_api("POST", f"/api/admin/comments/{comment_id}/approve").status_code == 200

    phone_context = browser.new_context()
    phone = phone_context.new_page()
    phone.goto(url)
    rendered(phone, 1)
    assert field(phone, "author") == ""
    phone.click(f"{WIDGET} summary:text('Commented here before?')")
    phone.fill(f"{WIDGET} details input[type=email]", "ann@example.com")
    phone.click(f"{WIDGET} details button:text('Send')")
    phone.wait_for_selector(f"{WIDGET} details .form-status:text('a link is on its way')")

    wait_for(lambda: smtp_sink.to("ann@example.com"), timeout=30)
    [mail] = smtp_sink.to("ann@example.com")
    link = re.search(r"\S+#tandem-claim=[\w-]+", text_of(mail)).group(0)
    assert link.startswith(url)

    opened = phone_context.new_page()  # the mail's link opens in a new tab of the same browser
    opened.goto(link)
    rendered(opened, 1)
    opened.wait_for_function(f"() => document.querySelector('{WIDGET}').shadowRoot"
                             ".querySelector('.field-author input').value === 'Ann'")
    assert (field(opened, "email"), field(opened, "website")) == ("ann@example.com", "https://ann.example")
    assert opened.evaluate("location.hash") == "" and "tandem-claim" not in opened.evaluate("location.href")

    write(opened, "And now from my phone")
    mine = opened.locator(f"{WIDGET} .list .comment:has-text('And now from my phone')")
    mine.wait_for()
    assert "held" not in mine.get_attribute("class")
    assert "published" in opened.text_content(f"{WIDGET} .status")

    again = phone_context.new_page()  # the link works once
    again.goto(link)
    rendered(again, 2)
    again.wait_for_selector(f"{WIDGET} .status:text('This link no longer works.')")
    phone_context.close()
    laptop.context.close()
