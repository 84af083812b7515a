"""Reader text to safe HTML: the only place HTML is produced from what a reader writes.

Markdown (CommonMark, raw HTML off, autolinks, strikethrough) is rendered once at write time,
then nh3 (the Rust sanitiser ammonia) keeps the SPEC's allow-list. HTML written elsewhere (an
import) goes through bleach instead, whose linkifier also makes links of the addresses in its text.
Pure functions, no Flask, no database.
"""

import queue
import re
import unicodedata
from collections.abc import Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from functools import partial

import bleach
import nh3
from bleach.linkifier import LinkifyFilter
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_TAGS = ["p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a"]
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = ["http", "https", "mailto"]
LINK_REL = "nofollow ugc noopener"

# Anything linkify-it makes a link of holds a colon (a scheme), an @ (an e-mail), // or a dot
# followed by a letter or digit (a host name).
_MAY_HOLD_A_LINK = re.compile(r"[:@]|//|\.\w")


class _Linkify(LinkifyIt):  # type: ignore[misc]  # linkify-it-py has no type hints
    """linkify-it's own pretest runs a regular expression of 1,500 characters over every paragraph,
    a third of the Markdown rendering; most comments hold no link, and this check clears them cheaply."""

    def pretest(self, text: str) -> bool:
        return _MAY_HOLD_A_LINK.search(text) is not None and super().pretest(text)


def _new_markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True}).enable(
        ["linkify", "strikethrough"]
    )
    markdown.linkify = _Linkify()

    def image_as_link(renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict,
                      env: EnvType) -> str:
        """Images are not allowed; show the picture's description as a link to it instead."""
        token = tokens[index]
        source = markdown.normalizeLink(str(token.attrGet("src") or ""))
        label = renderer.renderInlineAsText(token.children or [], options, env) or source
        return f'<a href="{escapeHtml(source)}">{escapeHtml(label)}</a>'

    markdown.add_render_rule("s_open", lambda renderer, *args: "<del>")
    markdown.add_render_rule("s_close", lambda renderer, *args: "</del>")
    markdown.add_render_rule("image", image_as_link)
    return markdown


# Every C0/C1 control and the DEL, except tab and newline; carriage returns become newlines first.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


_Attributes = MutableMapping[tuple[str | None, str], str]  # bleach: (namespace, name) -> value


def _set_rel(attrs: _Attributes, new: bool = False) -> _Attributes:
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _new_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags=["pre", "code"])],
    )


def _new_plain_text() -> MarkdownIt:
    """A site with Markdown off: paragraphs at blank lines, a line break at each newline, addresses
    made links, and every other character shown as written (no emphasis, code or escapes)."""
    plain = MarkdownIt("zero", {"html": False, "linkify": True, "breaks": True}).enable(["linkify", "newline"])
    plain.linkify = _Linkify()
    return plain


def _allowed_only(html: str) -> str:
    """The SPEC's allow-list over HTML the renderer made, every link marked `rel`. The renderer
    escapes a reader's own HTML already; this is the second wall, and at ~0.1 ms a comment it costs
    a twentieth of bleach's html5lib (measured 2026-11-29, bench/bodies/tandem_new.json)."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_PROTOCOLS, link_rel=LINK_REL,
                     strip_comments=True)


_TAGS, _PROTOCOLS = set(ALLOWED_TAGS), set(ALLOWED_PROTOCOLS)
_ATTRIBUTES = {tag: set(names) - {"rel"} for tag, names in ALLOWED_ATTRIBUTES.items()}  # nh3 sets rel itself


class _Pipeline:
    """The two renderers and the import cleaner: one set serves one render at a time.

    None is safe to share between the threads of a server worker: linkify-it keeps the match it
    found between `test` and `match`, and bleach's html5lib parser keeps its tree while it works;
    shared, concurrent comment writes answered 500.
    """

    def __init__(self) -> None:
        self.markdown = _new_markdown()
        self.plain = _new_plain_text()
        self.cleaner = _new_cleaner()


_idle_pipelines: "queue.SimpleQueue[_Pipeline]" = queue.SimpleQueue()


@contextmanager
def _lent_pipeline() -> Iterator[_Pipeline]:
    """A pipeline no other render is using, given back afterwards.

    A worker has dozens of threads but runs the app in only a few at once (`server.admitted`), so
    the pool grows to the renders at one moment, not to the threads: one set per thread held a
    worker's memory ~9 MB higher after a load of 32 writers (measured in-process, 2026-11-29).
    """
    try:
        pipeline = _idle_pipelines.get_nowait()
    except queue.Empty:
        pipeline = _Pipeline()
    try:
        yield pipeline
    finally:
        _idle_pipelines.put(pipeline)


def clean_text(value: str) -> str:
    """Drop control characters other than newline and tab; keep every other code point as given."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", value)


# A single-line field ends at none of these: C0 and C1 controls (CR and LF among them), DEL,
# and Unicode's own line and paragraph separators.
_LINE_BREAKERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_line(value: str | None) -> str:
    """A single-line field (a name, a title, a site's name, a label) as it may be stored and shown:
    each run of control characters or line breaks becomes one space, and the ends are trimmed, so
    the value can never add a line to a mail header, a feed or a page title."""
    return _LINE_BREAKERS.sub(" ", value or "").strip()


def render(source: str, markdown: bool = True) -> str:
    """Turn a reader's text into the HTML readers are shown."""
    with _lent_pipeline() as pipeline:
        html = (pipeline.markdown if markdown else pipeline.plain).render(source)
    return _allowed_only(html).strip()


def sanitise_html(html: str, line_breaks: bool = False) -> str:
    """Make HTML written elsewhere (a WordPress or Disqus export) as safe as a reader's rendered text.

    With `line_breaks`, text without paragraphs gets them the way WordPress shows comments:
    a blank line starts a paragraph, a single newline is a line break.
    """
    html = clean_text(html).strip()
    if line_breaks and not re.search(r"<(p|br)\b", html, re.IGNORECASE):
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", html) if part.strip()]
        html = "".join("<p>" + part.replace("\n", "<br>\n") + "</p>\n" for part in paragraphs)
    with _lent_pipeline() as pipeline:
        return pipeline.cleaner.clean(html).strip()


def count_links(html: str) -> int:
    """How many links the rendered text holds; the link limit of the moderation policy counts these."""
    return html.count("<a ")


_PLAIN_PATH = re.compile(r"^/[A-Za-z0-9._~/%+-]*\Z")
# WordPress's plain permalinks name the post in the query (`/?p=123`, `/?page_id=7`); the widget
# (embed.js, its default `data-uri`) and the importers keep the same keys, so their threads meet.
WORDPRESS_POST_KEYS = ("p", "page_id", "attachment_id")
_WORDPRESS_POST = re.compile(r"(?:^|&)(%s)=(\d{1,18})" % "|".join(WORDPRESS_POST_KEYS))


def normalise_uri(uri: str | None) -> str:
    """A thread's key: the path only (fragment and query dropped, trailing slash kept as given),
    except a WordPress post's id in the query (`p`, `page_id`, `attachment_id`), which is kept."""
    uri = uri or ""
    if _PLAIN_PATH.match(uri):
        return uri
    uri = clean_text(uri).strip().split("#", 1)[0]
    uri, _, query = uri.partition("?")
    if "://" in uri:
        uri = "/" + uri.split("://", 1)[1].partition("/")[2]
    if not uri.startswith("/"):
        uri = "/" + uri
    post = _WORDPRESS_POST.search(query)
    if post:
        uri += f"?{post.group(1)}={int(post.group(2))}"
    return unicodedata.normalize("NFC", uri)
