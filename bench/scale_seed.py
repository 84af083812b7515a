"""The data of bench/scale.py: N comments over threads and sites, stored by the importers' bulk writer.

The rows are what the product writes: `ImportWriter` renders and sanitises each text like a new
comment, links replies with the depth rule and recounts each thread's approved comments and
version. The layout is deterministic (a seeded random generator):

- thread 1 of site 1 (`/big`) holds 1,000 comments (half of N when N is under 2,000 and the other
  threads would get fewer than 100 each);
- the rest are spread evenly over the other threads (`/t-00001`...), about 100 each by default;
- sites: one per 100 threads, at most 100 (`scale-001`...);
- moderation "none" and no proof-of-work (the writer is wrk), the learning filter on, as in bench/run.sh;
- 90 % approved, 7 % pending, 3 % spam; about a third are replies to an earlier comment of the
  same thread; one comment in a thousand says "zeppelin", the word the admin search looks for.
"""

import random
from datetime import datetime, timedelta

from service import sites
from service.db import db
from service.importers.writer import ImportWriter, Record

BIG_URI, BIG_COMMENTS = "/big", 1000
ORIGIN = "https://scale{:03d}.example.org"
WORDS = ("dance step floor rhythm partner music lead follow turn spin tango waltz salsa swing "
         "ünïcödé essay garden river winter letter reader archive lamp").split()
START = datetime(2021, 1, 1)


def layout(comments, threads=None):
    """(sites, [comments per thread]) for N comments; the first thread is the big one."""
    threads = max(2, threads or comments // 100)
    big = min(BIG_COMMENTS, max(comments // 2, comments - 100 * (threads - 1)))
    rest, others = comments - big, threads - 1
    per = [rest // others + (1 if i < rest % others else 0) for i in range(others)]
    return max(1, min(100, threads // 100)), [big, *per]


def site_key(number):
    return f"scale-{number:03d}"


def thread_uri(index):
    return BIG_URI if index == 0 else f"/t-{index:05d}"


def seed(comments, threads=None, workers=2, progress=print):
    """Store the whole layout; returns (sites, threads, comments) stored."""
    site_count, sizes = layout(comments, threads)
    rng = random.Random(16)
    made = [sites.create_site(site_key(n), f"Scale {n}", [ORIGIN.format(n)],
                              {"moderation": "none", "challenge": "off"})
            for n in range(1, site_count + 1)]
    stored, index = 0, 0
    for number, site in enumerate(made):
        # Threads go to sites in turn, so each site has its share and site 1 has the big thread.
        mine = [i for i in range(len(sizes)) if i % site_count == number]
        with ImportWriter(site, "imported", workers) as writer:
            for i in mine:
                uri = thread_uri(i)
                created = START + timedelta(hours=i * 4)
                thread_id = writer.thread(uri, title=f"Post {i}", url=ORIGIN.format(number + 1) + uri, created=created)
                for j in range(sizes[i]):
                    index += 1
                    writer.add(_record(rng, f"s{index}", thread_id, j, created))
            stored += sum(writer.finish().comments.values())
        progress(f"  site {site.key}: {len(mine)} threads, {stored} comments so far")
    return site_count, len(sizes), stored


def _record(rng, ref, thread_id, position, thread_created):
    status = rng.choices(("approved", "pending", "spam"), weights=(90, 7, 3))[0]
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
    if rng.random() < 0.001:
        words += " zeppelin"
    reader = rng.randrange(50_000)
    text = f"{words.capitalize()}. *Well* said, see https://example.org/{ref} and `code`."
    parent = ref_before(ref, position, rng) if position and rng.random() < 0.35 else None
    return Record(ref=ref, thread_id=thread_id, status=status, text=text, markup="markdown", parent_ref=parent,
                  created=thread_created + timedelta(minutes=position * 7 + rng.randrange(7)),
                  author=f"Reader {reader}", email=f"reader{reader}@example.org",
                  ip=f"10.{reader % 250}.{rng.randrange(250)}.{rng.randrange(250)}")


def ref_before(ref, position, rng):
    """The ref of an earlier comment of the same thread (refs are numbered in writing order)."""
    return f"s{int(ref[1:]) - rng.randint(1, position)}"


def analyse():
    """Fresh planner statistics, as autovacuum would gather some minutes after a large import."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
