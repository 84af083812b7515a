"""The learning spam filter: naive Bayes over a comment's words, link domains and form features.

Pure: no Flask, no database. `features` turns a comment into a set of feature names; `learn`
adds (or, with weight -1, removes) one labelled comment to a site's counts, a plain dict that the
database keeps as JSON; `Model.prepare` turns counts into per-feature log-likelihood ratios once,
so `Model.score` is a dictionary lookup per feature. The score is the posterior probability of
spam with equal priors (a blog that sees mostly spam must not hold every real comment because
of it), and the features that weighed most are returned with it, so a moderator sees why.

Cost on the create path (`python -m bench.spam --timing`, a model of 32,387 features learnt from
the benchmark corpus, measured on this 2-core machine with a load average of 13-17 from other
work, so an idle machine does better): features + score take 237 µs for a 400-character comment
and 475 µs for the corpus' average of 1,350 characters; preparing the model takes 170 ms, once
per worker after each moderator's decision (the cache in `service.spam` is keyed by version).
"""

import heapq
import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

SPAM, HAM = "spam", "ham"
# Below this many learnt comments of either kind the filter does not score (a score from two
# examples would be noise that holds real comments).
MIN_EXAMPLES = 5
SMOOTHING = 1.0
# A feature's weight is capped, so no single word (or domain) decides alone what the rest disagrees with.
MAX_WEIGHT = 4.0
# Only the most telling features count (as in Graham's "A plan for spam" and SpamBayes): summing
# every word of a long text makes naive Bayes certain of everything, and real comments pay for it.
TELLING = 15
# Words and links beyond these are ignored: a 10,000-character comment costs what a long one does.
MAX_WORDS, MAX_TEXT = 300, 4000

_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'()\[\]]+""")  # matched on case-folded text
_WORD = re.compile(r"[^\W\d_][^\W_]{1,23}")  # words of 2 to 24 letters or digits, starting with a letter


def host_of(url: str) -> str | None:
    """The lower-case host of a link or website, without `www.`; None when there is none."""
    url = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
        url = "http://" + url
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    host = host[4:] if host.startswith("www.") else host
    return host if "." in host else None


def link_domains(text: str, website: str | None = None) -> list[str]:
    """The hosts a comment links to (in its text, then its website field), each once, in order."""
    found = [host_of(url) for url in _urls(text[:MAX_TEXT].casefold())]
    if website:
        found.append(host_of(website))
    return list(dict.fromkeys(host for host in found if host))


def features(text: str, *, author: str | None = None, email: str | None = None,
             website: str | None = None) -> set[str]:
    """The features of one comment: its words, `link:` domains, `site:` (website) domain, `form:` facts."""
    body = text[:MAX_TEXT].casefold()
    urls = _urls(body)
    links = [host_of(url) for url in urls]
    words = _WORD.findall(_URL.sub(" ", body) if urls else body)[:MAX_WORDS]
    found = set(words)
    found.update(f"link:{host}" for host in links if host)
    site = host_of(website) if website else None
    if site:
        found.add(f"site:{site}")
    found.add("form:website" if website else "form:no_website")
    found.add("form:email" if email else "form:no_email")
    found.add("form:anonymous" if not (author or "").strip() else "form:named")
    found.add(f"form:links={min(len(links), 3)}")
    found.add(f"form:length={_length_bucket(len(body))}")
    return found


def _urls(folded):
    """The links in case-folded text; the cheap test first, as most comments have none."""
    if "http" not in folded and "www." not in folded:
        return []
    return _URL.findall(folded)


def _length_bucket(length):
    for bucket in (40, 120, 400, 1000):
        if length <= bucket:
            return f"<={bucket}"
    return ">1000"


def empty_counts() -> dict:
    return {"docs": {SPAM: 0, HAM: 0}, SPAM: {}, HAM: {}}


def learn(counts: dict, found: set[str], label: str, weight: int = 1) -> dict:
    """Count one comment's features under `label` (`spam` or `ham`); weight -1 forgets it again."""
    counts["docs"][label] = max(0, counts["docs"][label] + weight)
    table = counts[label]
    for feature in found:
        number = table.get(feature, 0) + weight
        if number > 0:
            table[feature] = number
        else:
            table.pop(feature, None)
    return counts


@dataclass(frozen=True)
class Scored:
    score: float
    # The (feature, weight) pairs that pushed hardest, strongest first; weight > 0 points to spam.
    top: tuple


@dataclass(frozen=True)
class Model:
    weights: dict
    ready: bool

    @classmethod
    def prepare(cls, counts: dict | None) -> "Model":
        """Per-feature log-likelihood ratios, computed once from a site's counts."""
        counts = counts or empty_counts()
        spam_docs, ham_docs = counts["docs"][SPAM], counts["docs"][HAM]
        ready = spam_docs >= MIN_EXAMPLES and ham_docs >= MIN_EXAMPLES
        weights = {}
        for feature in counts[SPAM].keys() | counts[HAM].keys():
            in_spam, in_ham = counts[SPAM].get(feature, 0), counts[HAM].get(feature, 0)
            # Robinson's estimate: the feature's spam probability from each class's own rate,
            # pulled towards 0.5 by SMOOTHING imagined sightings, so a feature seen once says little.
            rate_spam, rate_ham = in_spam / max(1, spam_docs), in_ham / max(1, ham_docs)
            raw = rate_spam / (rate_spam + rate_ham)
            seen = in_spam + in_ham
            probability = (SMOOTHING * 0.5 + seen * raw) / (SMOOTHING + seen)
            weight = math.log(probability / (1.0 - probability)) if 0 < probability < 1 else math.copysign(
                MAX_WEIGHT, probability - 0.5)
            weights[feature] = max(-MAX_WEIGHT, min(MAX_WEIGHT, weight))
        return cls(weights, ready)

    def score(self, found: set[str]) -> Scored | None:
        """The probability that a comment with these features is spam, or None while the model is not ready."""
        if not self.ready:
            return None
        get = self.weights.get
        pushed = [(weight, feature) for feature in found if (weight := get(feature)) is not None]
        telling = heapq.nlargest(TELLING, pushed, key=_strength)
        total = sum(weight for weight, _ in telling)
        score = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, total))))
        return Scored(round(score, 4), tuple((feature, round(weight, 2)) for weight, feature in telling[:3]))


def _strength(pair):
    return abs(pair[0]), pair[1]


def describe(top) -> str:
    """The top features as a moderator reads them: `link:example.net (+3.2), cheap (+2.1), ...`."""
    return ", ".join(f"{feature} ({weight:+.1f})" for feature, weight in top)


def matches_domain(host: str, domains) -> str | None:
    """The spam domain `host` is (or is a subdomain of), or None."""
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None
