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

from sqlalchemy import func, select

from service import sites
from service.db import db
from service.importers.writer import ImportWriter, Record
from service.models import Comment

BIG_URI, BIG_COMMENTS = "/big", 1000
ORIGIN = "https://scale{:03d}.example.org"
WORDS = ("dance step floor rhythm partner music lead follow turn spin tango waltz salsa swing "  # noqa: SIM905
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


def create_sites(comments, threads=None):
    """The layout's sites (moderation "none", no proof-of-work), made once before any seeding."""
    site_count, _ = layout(comments, threads)
    for n in range(1, site_count + 1):
        sites.create_site(site_key(n), f"Scale {n}", [ORIGIN.format(n)], {"moderation": "none", "challenge": "off"})


def seed(comments, threads=None, workers=2, part=(0, 1), progress=print):
    """Store the comments of every site numbered part[0] modulo part[1] that has none yet (so a
    stopped run can be resumed, and several processes can share the work); returns how many."""
    site_count, sizes = layout(comments, threads)
    stored = 0
    for number in range(part[0], site_count, part[1]):
        site = sites.get_site(site_key(number + 1))
        if db.session.scalar(select(Comment.id).where(Comment.site_id == site.id).limit(1)) is not None:
            continue  # seeded by an earlier run: each site is one transaction
        # Threads go to sites in turn, so each site has its share and site 1 has the big thread.
        mine = [i for i in range(len(sizes)) if i % site_count == number]
        with ImportWriter(site, "imported", workers) as writer:
            for i in mine:
                uri = thread_uri(i)
                created = START + timedelta(hours=i * 4)
                thread_id = writer.thread(uri, title=f"Post {i}", url=ORIGIN.format(number + 1) + uri, created=created)
                rng = random.Random(i)  # each thread its own generator: any process makes the same thread
                for j in range(sizes[i]):
                    writer.add(_record(rng, i, j, thread_id, created))
            stored += sum(writer.finish().comments.values())
        progress(f"  site {site.key}: {len(mine)} threads, {stored} comments so far in this process")
    return stored


def _record(rng, thread, position, thread_id, thread_created):
    ref = f"t{thread}-{position}"
    status = rng.choices(("approved", "pending", "spam"), weights=(90, 7, 3))[0]
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
    if rng.random() < 0.001:
        words += " zeppelin"
    reader = rng.randrange(50_000)
    text = f"{words.capitalize()}. *Well* said, see https://example.org/{ref} and `code`."
    parent = f"t{thread}-{rng.randrange(position)}" if position and rng.random() < 0.35 else None
    return Record(ref=ref, thread_id=thread_id, status=status, text=text, markup="markdown", parent_ref=parent,
                  created=thread_created + timedelta(minutes=position * 7 + rng.randrange(7)),
                  author=f"Reader {reader}", email=f"reader{reader}@example.org",
                  ip=f"10.{reader % 250}.{rng.randrange(250)}.{rng.randrange(250)}")


def stored():
    return db.session.scalar(select(func.count()).select_from(Comment))


def analyse():
    """Fresh planner statistics, as autovacuum would gather some minutes after a large import."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
