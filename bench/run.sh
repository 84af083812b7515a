#!/usr/bin/env bash
# The whole benchmark in one command: Tandem, Isso 0.14.0 and the Flask floor side by side.
#
#   bench/run.sh                      # baseline settings: 3 runs x 10 s per scenario and server
#   bench/run.sh --runs 1 --duration 5s   # any extra arguments go to compare.py
#
# Sets up Isso and the floor in their own venvs (servers.sh setup), re-seeds Isso, starts
# Tandem with `tandem serve --workers 2` on a fresh instance (rate limit out of the way of the
# write scenario), adds the `bench` site, seeds the corpus through the public API, then runs
# compare.py with the three servers interleaved and checks the targets (targets.py).
# Everything it started is stopped on exit. Loopback only.
#
# Environment: TANDEM_PORT (8080), ISSO_PORT (8081), FLOOR_PORT (8082), STATE (/tmp/isso-bench),
# RESULT (where the raw JSON goes; default a file in the temporary folder, printed at the end).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TANDEM_PORT=${TANDEM_PORT:-8080}
export STATE=${STATE:-/tmp/isso-bench}
WORK="$(mktemp -d /tmp/tandem-bench.XXXXXX)"
RESULT=${RESULT:-$WORK/result.json}
TANDEM_PID=""

stop_all() {
  if [ -n "$TANDEM_PID" ] && kill -0 "$TANDEM_PID" 2>/dev/null; then
    kill "$TANDEM_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$TANDEM_PID" 2>/dev/null || break; sleep 0.2; done
    echo "stopped tandem ($TANDEM_PID)"
  fi
  "$HERE/servers.sh" stop isso || true
  "$HERE/servers.sh" stop floor || true
}
trap stop_all EXIT

for port in "$TANDEM_PORT" "${ISSO_PORT:-8081}" "${FLOOR_PORT:-8082}"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port is already in use; stop what listens there first" >&2
    exit 1
  fi
done

echo "== setup: Isso 0.14.0 and the floor in their own venvs, wrk"
"$HERE/servers.sh" setup
"$HERE/servers.sh" seed
"$HERE/servers.sh" start isso
"$HERE/servers.sh" start floor

echo "== Tandem: fresh instance in $WORK"
export TANDEM_INSTANCE="$WORK/instance" TANDEM_RATE_LIMIT=1000000/minute
tandem serve --host 127.0.0.1 --port "$TANDEM_PORT" --workers 2 >"$WORK/tandem.log" 2>&1 &
TANDEM_PID=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$TANDEM_PORT/healthz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$TANDEM_PORT/healthz" >/dev/null || { cat "$WORK/tandem.log" >&2; exit 1; }
tandem site add bench --name Bench --origin https://bench.example.org --moderation none
# The writers are wrk and a seeding script, not browsers: no proof-of-work (the learning filter stays on).
tandem site set bench challenge off
python3 "$HERE/seed_api.py" "http://127.0.0.1:$TANDEM_PORT"

echo "== compare (tandem, floor, isso interleaved)"
python3 "$HERE/compare.py" \
  --server "tandem=http://127.0.0.1:$TANDEM_PORT,profiles/tandem.json,$TANDEM_PID" \
  --server "floor=http://127.0.0.1:${FLOOR_PORT:-8082},profiles/floor.json,$(cat "$STATE/floor.pid")" \
  --server "isso=http://127.0.0.1:${ISSO_PORT:-8081},profiles/isso.json,$(cat "$STATE/isso.pid")" \
  --only a,b-page50,b-all,c,d --json "$RESULT" "$@"

echo
python3 "$HERE/targets.py" "$RESULT"
echo "raw results: $RESULT"
