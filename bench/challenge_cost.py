"""How long headless Chromium takes to solve the proof-of-work (SPEC 13), to choose `challenge_cost`.

Starts `tandem serve` (tests/live.py), makes a site per cost, and has Debian's chromium solve
challenges with the widget's own solver (embed/solver.js) on a page of the service's origin.
The secret number is uniform in 0..maxnumber, so a solve costs maxnumber/2 hashes on average;
the figures printed are the median and the slowest of `--runs` solves, and the hash rate.

    PYTHONPATH=. python bench/challenge_cost.py --costs 100000 250000 500000 --runs 7
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.live import TandemServer, server_environment  # noqa: E402

SOLVE = """async ([site, runs]) => {
    const times = [], hashes = [];
    for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const solution = JSON.parse(atob(await TandemSolver(location.origin, site, true)));
        times.push(performance.now() - started);
        hashes.push(solution.number + 1);
    }
    return [times, hashes];
}"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--costs", type=int, nargs="+", default=[100_000, 200_000, 400_000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="challenge-cost-"))
    server = TandemServer(server_environment(folder / "instance"), folder / "serve.log").start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url + "/healthz")
            page.add_script_tag(url=server.url + "/solver.js")
            for cost in args.costs:
                site = server.new_site([server.url], challenge="always", challenge_cost=cost)
                times, hashes = page.evaluate(SOLVE, [site, args.runs])
                rate = sum(hashes) / (sum(times) / 1000)
                print(f"maxnumber {cost:>9,}: median {statistics.median(times):6.0f} ms, slowest {max(times):6.0f} ms, "
                      f"{rate:,.0f} hashes/s; expected solve at this rate {cost / 2 / rate * 1000:5.0f} ms, "
                      f"worst {cost / rate * 1000:5.0f} ms")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
