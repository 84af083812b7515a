def test_health_says_ok(client):
    assert client.get("/healthz").json == {"ok": True}


def test_first_comment_is_held(reader):
    response = reader.post("Hello <3")
    assert response.status_code == 201
    assert response.json["comment"]["status"] == "pending"
