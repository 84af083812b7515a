"""The snippet fits a real template (issue 12, point 6): its <noscript> link says where the post's
path goes, `tandem site snippet --for ENGINE` fills it in, and the Sites page explains it."""

import html

import pytest

from service import recipes
from service.cli import main as tandem

ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_the_snippets_link_has_a_place_for_the_post_path_not_the_home_page():
    snippet = recipes.snippet("myblog", "https://comments.example")
    assert 'href="https://comments.example/t/myblog/?uri=POST_PATH"' in snippet
    assert "?uri=/\"" not in snippet


@pytest.mark.parametrize("engine, expression", [
    ("hugo", "{{ .RelPermalink }}"), ("jekyll", "{{ page.url | url_encode }}"), ("pelican", "/{{ article.url }}"),
    ("ghost", "{{url}}"), ("wordpress", "get_permalink()"),
])
def test_each_blog_engine_gets_its_template_variable_in_the_link(engine, expression):
    snippet = recipes.recipe_snippet("myblog", "https://comments.example", engine)
    link = snippet.split('href="', 1)[1].split('">', 1)[0]
    assert link.startswith("https://comments.example/t/myblog/?uri=") and expression in link
    assert recipes.POST_PATH not in snippet


@ON_SQLITE
def test_site_snippet_explains_where_the_post_path_goes(runner, app):
    runner.invoke(tandem, ["site", "add", "myblog", "--name", "My blog", "--origin", "https://me.example.org"])
    result = runner.invoke(tandem, ["site", "snippet", "myblog"])
    assert result.exit_code == 0
    assert "?uri=POST_PATH" in result.stdout
    help_text = result.stderr
    for recipe in recipes.RECIPES.values():
        assert recipe.title in help_text and recipe.post_path in help_text and recipe.template_file in help_text
    assert "tandem site snippet myblog --for" in help_text


@ON_SQLITE
def test_site_snippet_for_hugo_fills_in_the_post_path(runner, app):
    runner.invoke(tandem, ["site", "add", "myblog", "--name", "My blog", "--origin", "https://me.example.org"])
    result = runner.invoke(tandem, ["site", "snippet", "myblog", "--for", "hugo"])
    assert result.exit_code == 0
    assert "/t/myblog/?uri={{ .RelPermalink }}" in result.stdout
    assert "layouts/_default/single.html" in result.stderr
    unknown = runner.invoke(tandem, ["site", "snippet", "myblog", "--for", "blogger"])
    assert unknown.exit_code != 0 and "blogger" in unknown.output


@ON_SQLITE
def test_sites_page_explains_where_the_post_path_goes(world):
    page = html.unescape(world.browser("owner@example.com").get("/admin/sites/a").get_data(as_text=True))
    assert "/t/a/?uri=POST_PATH" in page
    assert "Where the post's path goes" in page
    for recipe in recipes.RECIPES.values():
        assert recipe.template_file in page and recipe.post_path in page
