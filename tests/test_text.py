"""The sanitiser (SPEC 5): Markdown in, the allow-list out, Unicode kept exactly."""

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service import text

# A few classic payloads (RSnake, HTML5 Security Cheatsheet, DOMPurify fixtures) in several shapes.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<svg/onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](x\" onerror=\"alert(1))",
    "<iframe src=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "[a](vbscript:msgbox(1))",
    "<details open ontoggle=alert(1)>",
    "`<img src=x onerror=alert(1)>`",
    "    <script>indented code</script>",
    "<<script>script>alert(1)<</script>/script>",
    "http://example.com/\"onmouseover=\"alert(1)",
]


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html):
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def assert_safe(html):
    for tag, attrs in tags_of(html):
        assert tag in text.ALLOWED_TAGS, html
        for name, value in attrs.items():
            assert name in ("href", "rel"), html
            if name == "href":
                assert value.split(":", 1)[0].lower() in ("http", "https", "mailto"), html
            if name == "rel":
                assert value == "nofollow ugc noopener"


def test_a_heart_stays_a_heart():
    assert text.render("I <3 this") == "<p>I &lt;3 this</p>"


def test_emoji_curly_quotes_and_dashes_survive_exactly():
    source = "Lovely 😀🫶🏽 “quoted” ‘single’ — and – dashes… ñ ß 中文"
    assert text.render(source) == f"<p>{source}</p>"


def test_markdown_becomes_the_allowed_tags():
    html = text.render("> quoted passage\n\n**bold** *em* ~~gone~~ `code`\n\n- one\n- two\n\n1. first")
    assert "<blockquote>" in html and "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<del>gone</del>" in html and "<code>code</code>" in html
    assert "<ul>" in html and "<ol>" in html


def test_bare_urls_become_links_with_nofollow():
    html = text.render("see https://example.com/page and www.example.org")
    assert '<a href="https://example.com/page" rel="nofollow ugc noopener">' in html
    assert 'href="http://www.example.org"' in html


def test_images_become_links_to_the_picture():
    assert text.render("![a cat](https://example.com/cat.png)") == (
        '<p><a href="https://example.com/cat.png" rel="nofollow ugc noopener">a cat</a></p>'
    )


def test_raw_html_is_shown_as_text():
    assert text.render("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"


def test_plain_text_mode_escapes_and_keeps_lines():
    assert text.render("a <3 b\n\n*not em*\nnext", markdown=False) == "<p>a &lt;3 b</p>\n<p>*not em*<br>\nnext</p>"


def test_control_characters_are_dropped_but_newline_and_tab_kept():
    assert text.clean_text("a\x00b\x07c\td\r\ne\x1bf\x85") == "abc\td\nef"


def test_known_attack_payloads_never_survive():
    for payload in XSS_PAYLOADS:
        for markdown in (True, False):
            assert_safe(text.render(payload, markdown=markdown))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("<>\"'=/:;&#[]()!*_`~ \nabcjsvript") + ["javascript:", "onerror", "<a ", "http://"]),
                max_size=40))
def test_any_text_renders_to_the_allow_list_only(pieces):
    assert_safe(text.render(text.clean_text("".join(pieces))))


def test_uris_keep_the_path_only():
    assert text.normalise_uri("/2026/11/like-a-dance/?utm=x#comment-3") == "/2026/11/like-a-dance/"
    assert text.normalise_uri("https://blog.example.com/post") == "/post"
    assert text.normalise_uri("post/") == "/post/"


def test_plain_paragraphs_skip_the_link_search_and_links_are_still_made():
    assert "<a " not in text.render("Lovely post. I tried it; it worked, *twice*!")
    for source, href in [("see example.org/notes", "http://example.org/notes"),
                         ("write to me@example.org", "mailto:me@example.org"),
                         ("at https://ex.am/ple", "https://ex.am/ple"), ("пример.рф", "http://xn--e1afmkfd.xn--p1ai")]:
        assert f'href="{href}"' in text.render(source), source


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab.:/@_-wx1 \n。．＠：") + ["www.", "http", "mailto", ".org", ".рф", "xn--"]),
                max_size=30).map("".join))
def test_the_quick_link_check_never_misses_a_link_linkify_it_would_make(source):
    from linkify_it import LinkifyIt

    if LinkifyIt().test(source):
        with text._lent_pipeline() as pipeline:
            assert pipeline.markdown.linkify.pretest(source)


@pytest.mark.parametrize("address, key", [
    ("/?p=123", "/?p=123"),
    ("/?p=123&utm_source=feed#comment-4", "/?p=123"),
    ("/?utm_source=feed&page_id=7", "/?page_id=7"),
    ("https://blog.example.com/?p=12", "/?p=12"),
    ("https://blog.example.com?p=12", "/?p=12"),
    ("/blog/?attachment_id=5", "/blog/?attachment_id=5"),
    ("/?p=0012", "/?p=12"),
    ("/?p=abc", "/"),
    ("/?pp=1", "/"),
    ("/?p=1#?p=2", "/?p=1"),
    ("/post/#x?p=2", "/post/"),
])
def test_wordpress_plain_permalinks_keep_the_post_id(address, key):
    assert text.normalise_uri(address) == key


def test_rendering_from_many_threads_at_once_gives_each_its_own_html():
    """A server worker renders comments in many threads at once (tandem serve's threaded workers)."""
    from concurrent.futures import ThreadPoolExecutor

    sources = [f"Comment {n} with a link https://example{n}.org and <b>markup</b> *{n}*" for n in range(400)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        rendered = list(pool.map(text.render, sources))
    for n, html in enumerate(rendered):
        assert f"https://example{n}.org" in html and f"<em>{n}</em>" in html
        assert html.count("href=") == 1
