"""The README's recipes tried for real (issue 12, point 6): a Pelican blog and a Hugo blog are
built by the generators themselves with the snippet `tandem site snippet KEY --for ENGINE` prints
pasted into their post template, served on their own origin, and read in Chromium against the
live server, with JavaScript (the widget) and without (the <noscript> link to the same thread)."""

import functools
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from service import recipes, sites

from .widget_pages import WIDGET, rendered

pytestmark = pytest.mark.browser

POST_TITLE = "Like a dance"


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def static_blog(tmp_path):
    """A static file server on its own loopback origin, serving what the generator wrote."""
    output = tmp_path / "output"
    output.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietFiles, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.origin = f"http://127.0.0.1:{server.server_port}"
    server.output, server.source = output, tmp_path / "source"
    yield server
    server.shutdown()


def build_pelican(source, output, snippet):
    """A Pelican blog on its default theme, the snippet pasted at the end of templates/article.html."""
    import pelican

    theme = source / "theme"
    shutil.copytree(Path(pelican.__file__).parent / "themes" / "notmyidea", theme)
    article = theme / "templates" / "article.html"
    template = article.read_text()
    end = template.rindex("{% endblock %}")
    article.write_text(template[:end] + snippet + "\n" + template[end:])
    (source / "content").mkdir()
    (source / "content" / "like-a-dance.rst").write_text(
        f"{POST_TITLE}\n############\n\n:date: 2026-11-02 10:00\n:slug: like-a-dance\n\nA post about rhythm.\n")
    (source / "pelicanconf.py").write_text(
        f"SITENAME = 'A Pelican blog'\nSITEURL = ''\nTHEME = {str(theme)!r}\nTIMEZONE = 'UTC'\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n")
    subprocess.run([sys.executable, "-m", "pelican", str(source / "content"), "-o", str(output),
                    "-s", str(source / "pelicanconf.py"), "-q"], check=True, timeout=60)
    return "/like-a-dance.html"


def build_hugo(source, output, snippet):
    """A Hugo blog whose single-page layout (layouts/_default/single.html) carries the snippet."""
    if shutil.which("hugo") is None:
        pytest.skip("Hugo is not installed (Debian: apt install hugo)")
    (source / "layouts" / "_default").mkdir(parents=True)
    (source / "layouts" / "_default" / "single.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body>"
        "<article><h1>{{ .Title }}</h1>{{ .Content }}</article>\n" + snippet + "\n</body></html>\n")
    (source / "layouts" / "index.html").write_text("<!doctype html><title>{{ .Site.Title }}</title>\n")
    (source / "content" / "posts").mkdir(parents=True)
    (source / "content" / "posts" / "like-a-dance.md").write_text(
        f'---\ntitle: "{POST_TITLE}"\ndate: 2026-11-02\n---\nA post about rhythm.\n')
    (source / "hugo.toml").write_text(
        'baseURL = "/"\ntitle = "A Hugo blog"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    subprocess.run(["hugo", "--quiet", "-s", str(source), "-d", str(output)], check=True, timeout=60)
    return "/posts/like-a-dance/"


BUILDERS = {"pelican": build_pelican, "hugo": build_hugo}


@pytest.mark.parametrize("engine", sorted(BUILDERS))
def test_the_recipe_works_on_a_blog_the_generator_built(engine, browser, service, live_app, static_blog):
    with live_app.app_context():
        site = sites.get_site(service.site)
        sites.update_site(site, origins=[static_blog.origin], settings={"moderation": "none"})
    static_blog.source.mkdir()
    path = BUILDERS[engine](static_blog.source, static_blog.output,
                           recipes.recipe_snippet(service.site, service.url, engine))

    reader = browser.new_context().new_page()
    reader.goto(static_blog.origin + path)
    rendered(reader, 0)
    reader.fill(f"{WIDGET} textarea", f"Posted under a {engine} post")
    reader.click(f"{WIDGET} button.primary")
    reader.locator(f"{WIDGET} .comment .text").wait_for()
    reader.context.close()

    # Without JavaScript the <noscript> link leads to the same thread the widget wrote to.
    no_script = browser.new_context(java_script_enabled=False).new_page()
    no_script.goto(static_blog.origin + path)
    no_script.get_by_role("link", name="Read the comments").click()
    assert no_script.url.startswith(f"{service.url}/t/{service.site}/")
    assert f"Posted under a {engine} post" in no_script.text_content(".list")
    assert no_script.get_attribute("a:text('Back to the post')", "href") == static_blog.origin + path
    no_script.context.close()
