"""Where the snippet goes in a blog's templates: one recipe per blog engine, and the snippet itself.

The widget finds its thread from the page's own path, but the `<noscript>` link is plain HTML:
the template must write the post's path into it. Each recipe names the template file and the
template expression that prints the post's path, so `tandem site snippet KEY --for ENGINE`, the
admin Sites page and the README all say the same thing. Pure data and text; no Flask here.
"""

from dataclasses import dataclass

# What the snippet holds where the post's path belongs, until a recipe fills it in.
POST_PATH = "POST_PATH"


@dataclass(frozen=True)
class Recipe:
    """One blog engine: the template to paste into, and the expression for the post's path."""

    engine: str
    title: str
    template_file: str
    post_path: str
    note: str = ""


RECIPES = {
    recipe.engine: recipe for recipe in (
        Recipe("wordpress", "WordPress", "your theme's comments.php (or single.php)",
               "<?php echo esc_attr(rawurlencode(wp_make_link_relative(get_permalink()))); ?>",
               "plain permalinks (/?p=123) keep their p=123"),
        Recipe("hugo", "Hugo", "layouts/_default/single.html (or a partial it includes)",
               "{{ .RelPermalink }}", "Hugo escapes it for the link itself"),
        Recipe("jekyll", "Jekyll", "_layouts/post.html",
               "{{ page.url | url_encode }}"),
        Recipe("pelican", "Pelican", "your theme's templates/article.html",
               "/{{ article.url }}", "article.url has no leading slash, hence the /"),
        Recipe("ghost", "Ghost", "your theme's post.hbs",
               "{{url}}", "{{url}} is the post's path unless you ask for absolute=\"true\""),
    )
}


def snippet(site_key: str, service_url: str, post_path: str = POST_PATH) -> str:
    """The embed snippet for a site: the widget's container, its no-JavaScript link, the script."""
    return (
        '<div id="tandem-comments">\n'
        f'  <noscript><a href="{service_url}/t/{site_key}/?uri={post_path}">Read the comments</a></noscript>\n'
        "</div>\n"
        f'<script src="{service_url}/embed.js" data-site="{site_key}" defer></script>'
    )


def recipe_snippet(site_key, service_url, engine):
    """The snippet with the engine's expression for the post's path already in the link."""
    return snippet(site_key, service_url, RECIPES[engine].post_path)


def where_the_path_goes(site_key):
    """Lines for a person: what POST_PATH stands for, and the expression in each blog engine."""
    lines = [f"Replace {POST_PATH} in the <noscript> link with the post's path (e.g. /2026/11/my-post/),",
             "as your blog's post template writes it:"]
    for recipe in RECIPES.values():
        lines.append(f"  {recipe.title + ':':<10} {recipe.post_path}   in {recipe.template_file}")
    lines.append(f"Or let Tandem fill it in: tandem site snippet {site_key} --for "
                 + "|".join(RECIPES) + ".")
    return lines
