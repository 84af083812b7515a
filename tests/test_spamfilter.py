"""The learning filter's rules (service.spamfilter): pure functions, no app."""

from service import spamfilter
from service.spamfilter import Model, empty_counts, features, learn, link_domains


def trained(spam_texts, ham_texts):
    counts = empty_counts()
    for text in spam_texts:
        learn(counts, features(text), "spam")
    for text in ham_texts:
        learn(counts, features(text), "ham")
    return counts


SPAM = [f"cheap pills casino bonus https://pills{n}.example/buy now" for n in range(6)]
HAM = [f"I liked the part about {topic} and tried it at home" for topic in
       ("gardens", "bread", "knitting", "bicycles", "tea", "chess")]


def test_features_are_words_link_domains_website_and_form_facts():
    found = features("Visit HTTPS://WWW.Shop.Example/x now!", author="", email=None, website="http://me.example")
    assert {"visit", "now", "link:shop.example", "site:me.example", "form:anonymous", "form:no_email",
            "form:links=1"} <= found
    assert "https" not in found and "www" not in found  # a link is its domain, not words


def test_link_domains_come_from_the_text_and_the_website_each_once():
    assert link_domains("a https://a.example/1 b http://a.example/2 www.b.example", "https://c.example") == [
        "a.example", "b.example", "c.example"]


def test_an_untrained_model_does_not_score():
    assert Model.prepare(None).score(features("anything")) is None
    assert Model.prepare(trained(SPAM[:2], HAM)).score(features("anything")) is None


def test_a_trained_model_scores_spam_high_and_real_comments_low_with_its_reasons():
    model = Model.prepare(trained(SPAM, HAM))
    spam = model.score(features("casino bonus cheap pills https://other.example"))
    real = model.score(features("I tried the bread recipe at home"))
    assert spam.score > 0.9 > 0.1 > real.score
    assert len(spam.top) == 3 and all(weight > 0 for _, weight in spam.top)


def test_forgetting_a_comment_takes_back_exactly_what_learning_it_added():
    counts = trained(SPAM, HAM)
    before = {"docs": dict(counts["docs"]), "spam": dict(counts["spam"]), "ham": dict(counts["ham"])}
    learn(counts, features("one more comment"), "spam")
    learn(counts, features("one more comment"), "spam", -1)
    assert counts == before


def test_a_subdomain_of_a_spam_domain_matches_it():
    assert spamfilter.matches_domain("shop.pills.example", {"pills.example"}) == "pills.example"
    assert spamfilter.matches_domain("notpills.example", {"pills.example"}) is None
