"""Import benchmark: a generated WordPress export of 100,000 comments into SQLite and into PostgreSQL.

Each import runs as its own `tandem import wordpress` process on a fresh database, so the peak
memory printed is that process's alone. Target (issue 7): under 60 s and 300 MB on 2 cores.

    python bench/import_bench.py [--comments 100000] [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

POSTS = 1000
WORDS = ("dance step floor rhythm partner music lead follow turn spin tango waltz salsa swing — ünïcödé 🎉").split()


def write_export(path, comments, seed=7):
    """A WXR 1.2 file: POSTS posts; about a third of the comments are replies, a few held, spam or pingbacks."""
    rng = random.Random(seed)
    per_post = comments // POSTS
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
                  "<channel>\n<title>Bench</title>\n")
        comment_id = 0
        for post in range(1, POSTS + 1):
            out.write(f"<item><title>Post {post}</title><link>https://bench.example.org/{post}/</link>"
                      f"<wp:post_id>{post}</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>\n")
            first = comment_id + 1
            for _ in range(per_post):
                comment_id += 1
                parent = rng.randint(first, comment_id - 1) if comment_id > first and rng.random() < 0.35 else 0
                status = rng.choices(["1", "0", "spam"], weights=[90, 7, 3])[0]
                kind = "pingback" if rng.random() < 0.01 else ""
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author><![CDATA[Reader {comment_id % 5000}]]></wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id % 5000}@example.org</wp:comment_author_email>"
                    f"<wp:comment_author_url>https://reader{comment_id % 5000}.example.org/</wp:comment_author_url>"
                    f"<wp:comment_date_gmt>2020-01-02 {comment_id % 24:02d}:00:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[<p>{words}</p>\n<p>See https://example.org/{comment_id}</p>]]>"
                    f"</wp:comment_content><wp:comment_approved>{status}</wp:comment_approved>"
                    f"<wp:comment_type>{kind}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
                    "</wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


def tandem(args, environment):
    """Run one `tandem` command; return (seconds, CPU seconds, peak resident MB, output).

    CPU seconds (user + system, the command and its worker processes) say what the import costs
    when the machine is shared; wall-clock seconds say what a person waits.
    """
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "service.cli", *args], env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"tandem {' '.join(args)} failed:\n{output}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def bench(name, database_url, export, folder):
    environment = {**os.environ, "TANDEM_DATABASE_URL": database_url, "TANDEM_INSTANCE": str(folder),
                   "TANDEM_SECRET_KEY": "bench-secret"}
    tandem(["db", "upgrade"], environment)
    tandem(["site", "add", "bench", "--name", "Bench", "--origin", "https://bench.example.org"], environment)
    seconds, cpu, megabytes, output = tandem(["import", "wordpress", str(export), "--site", "bench"], environment)
    print(f"{name:<11} {seconds:6.1f} s wall {cpu:6.1f} s CPU {megabytes:5.0f} MB peak  "
          f"{output.strip().splitlines()[-2].split(': ', 1)[1]}")
    seconds, cpu, megabytes, output = tandem(["import", "wordpress", str(export), "--site", "bench"], environment)
    print(f"{'  again':<11} {seconds:6.1f} s wall {cpu:6.1f} s CPU {megabytes:5.0f} MB peak  "
          f"{output.strip().splitlines()[0].split(': ', 1)[1]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        export = folder / "export.xml"
        write_export(export, options.comments)
        print(f"WXR with {options.comments:,} comments: {export.stat().st_size / 2**20:.0f} MB")
        bench("SQLite", f"sqlite:///{folder / 'bench.db'}", export, folder)
        name = f"tandem_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(options.postgres, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            base = options.postgres.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
            bench("PostgreSQL", f"{base}/{name}", export, folder)
        finally:
            with psycopg.connect(options.postgres, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
