"""A thread shaped like the comments under a personal blog post, read back as readers see it."""

from service import comments, sites
from service.accounts import create_moderator
from service.db import db

READERS = [
    ("Maren", "> It felt less like a conversation and more like a dance.\n\nThis line stayed with me all day <3"),
    ("Tomás", "Lovely piece 😀🫶🏽 — I’ve been thinking about “leading” and “following” ever since."),
    ("Priya", "Pages 12–14 of the book say much the same. Thank you!"),
    ("Jonas", "Ha, the *tandem* metaphor is perfect."),
    ("Ngozi", "Shared it with my partner; we argued about who leads 😅"),
]
AUTHOR_REPLIES = {0: "Thank you, Maren — that line took me ages <3", 2: "Yes! Chapter two – exactly."}


def test_the_blog_thread_reads_back_in_order_with_author_replies_nested(app, client, site):
    with app.app_context():
        blog = sites.get_site("blog")
        sites.update_site(blog, settings={"moderation": "none"})
        author = create_moderator("me@blog.example.com", "correct horse battery", sites=[blog])
        ids = []
        for name, words in READERS:
            posted = comments.post_comment(blog, "/2026/11/like-a-dance/", words, comments.Author(name=name))
            ids.append(posted.comment.id)
        for index, words in AUTHOR_REPLIES.items():
            comments.post_comment(blog, "/2026/11/like-a-dance/", words,
                                  comments.Author(name="The author", moderator=db.session.merge(author)),
                                  parent_id=ids[index])

    page = client.get("/api/comments?site=blog&uri=/2026/11/like-a-dance/").json
    assert page["thread"]["total"] == 7
    assert [c["author"] for c in page["comments"]] == [name for name, _ in READERS]
    first = page["comments"][0]
    assert first["html"] == (
        "<blockquote>\n<p>It felt less like a conversation and more like a dance.</p>\n</blockquote>\n"
        "<p>This line stayed with me all day &lt;3</p>"
    )
    assert "😀🫶🏽 — I’ve been thinking about “leading” and “following”" in page["comments"][1]["html"]
    assert "12–14" in page["comments"][2]["html"]
    replied = {index: page["comments"][index]["replies"] for index in range(5)}
    assert [len(replies) for replies in replied.values()] == [1, 0, 1, 0, 0]
    assert replied[0][0]["is_author"] and replied[0][0]["html"] == "<p>Thank you, Maren — that line took me ages &lt;3</p>"
    assert not any(c["is_author"] for c in page["comments"])


def test_unicode_comes_back_byte_for_byte(reader, client, app):
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings={"moderation": "none"})
    words = "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩🏽‍💻 “curly” ‘quotes’ – en — em … naïve Ωμέγα 中文 עברית"
    reader.post(words, author="Zoë 🦊", uri="/ü/")
    body = client.get("/api/comments", query_string={"site": "blog", "uri": "/ü/"}).get_data()
    assert f"<p>{words}</p>".encode() in body
    assert "Zoë 🦊".encode() in body
    assert client.get("/api/counts", query_string={"site": "blog", "uri": "/ü/"}).json == {"counts": {"/ü/": 1}}
