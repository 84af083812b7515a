#!/usr/bin/env python3
"""Check a side-by-side result of compare.py (its --json file) against Tandem's speed targets.

    python3 bench/targets.py result.json

Ratios are taken within the one run the file holds: a, c >= 0.6 x floor; b-page50 >= 0.4 x floor;
d >= 2 x Isso; no non-2xx answer or timeout in any Tandem scenario; every Tandem worker's peak RSS
<= 100 MB. Prints one line per target and exits 1 when any is missed. Stdlib only.
"""

import json
import sys

FLOOR_RATIOS = {"a": 0.6, "b-page50": 0.4, "c": 0.6}
PEER_RATIOS = {"d": 2.0}
MAX_WORKER_RSS_KIB = 100 * 1024


def median_rps(server, scenario):
    for record in server["results"]:
        if record["id"] == scenario and record.get("median"):
            return record["median"]["rps"]
    return None


def failures(record):
    """Non-2xx answers and timeouts over every run of a scenario (and its preflight or walks)."""
    bad = sum(run.get("err_status", 0) + run.get("err_timeout", 0) for run in record.get("runs", []))
    bad += sum(walk.get("non_2xx", 0) for walk in record.get("walks", []))
    if record.get("skipped") or not 200 <= record.get("preflight", {}).get("status", 200) < 300:
        bad += 1
    return bad


def check(doc):
    servers = {server["name"]: server for server in doc["servers"]}
    tandem, floor, isso = servers["tandem"], servers["floor"], servers["isso"]
    floor_rps = median_rps(floor, "floor")
    lines, ok = [], True

    def verdict(passed, text):
        nonlocal ok
        ok = ok and passed
        lines.append(("PASS " if passed else "MISS ") + text)

    for scenario, target in FLOOR_RATIOS.items():
        rps = median_rps(tandem, scenario)
        ratio = rps / floor_rps if rps and floor_rps else 0.0
        verdict(ratio >= target, "%-9s %8.1f req/s = %.2f x floor (%.1f); target >= %.1f" % (
            scenario, rps or 0, ratio, floor_rps or 0, target))
    for scenario, target in PEER_RATIOS.items():
        rps, peer = median_rps(tandem, scenario), median_rps(isso, scenario)
        ratio = rps / peer if rps and peer else 0.0
        verdict(ratio >= target, "%-9s %8.1f req/s = %.2f x Isso (%.1f); target >= %.1f" % (
            scenario, rps or 0, ratio, peer or 0, target))
    bad = {record["id"]: failures(record) for record in tandem["results"]}
    verdict(not any(bad.values()), "non-2xx answers or timeouts per scenario: %s" % bad)
    peaks = {pid: mem.get("VmHWM", 0) for pid, mem in (tandem.get("rss_kib") or {}).items()}
    verdict(bool(peaks) and max(peaks.values()) <= MAX_WORKER_RSS_KIB, "worker peak RSS: %s (limit 100 MB)" % ", ".join(
        "pid %s %.1f MB" % (pid, kib / 1024) for pid, kib in sorted(peaks.items())))
    for name in ("isso", "floor"):
        other = {pid: mem.get("VmHWM", 0) for pid, mem in (servers[name].get("rss_kib") or {}).items()}
        lines.append("     %s workers' peak RSS: %s" % (name, ", ".join("%.1f MB" % (kib / 1024) for kib in other.values())))
    return ok, lines


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as handle:
        ok, lines = check(json.load(handle))
    print("## targets")
    print()
    for line in lines:
        print(line)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
