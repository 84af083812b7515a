"""The browser harness itself: a blog page on one origin loads a script from the service on another."""


def test_blog_page_loads_a_script_from_the_service(page, service, blog, blog_site):
    url = blog.add("/post/", f'<p id="x">post</p><script src="{service.url}/healthz"></script>')
    page.goto(url)
    assert page.text_content("#x") == "post"
