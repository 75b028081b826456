#!/usr/bin/env bash
# The load test (see README.md); run inside scripts/with-postgres.sh (make load-test does).
# STEPS: the numbers of users, one short run each (STEP_S seconds); OUT: where figures go.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?run me inside scripts/with-postgres.sh}"
STEPS=${STEPS:-"10 25 50"}
STEP_S=${STEP_S:-40}
OUT=${OUT:-var/load}
PORT=${LOAD_PORT:-18731}
mkdir -p "$OUT"
export PARTNERSHIP_DATA_DIR=${PARTNERSHIP_DATA_DIR:-$PWD/var/load-data}
export SECRET_KEY=load-test-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
# A host name as well as the address: passkeys need one (WEBAUTHN_RP_ID, the system check).
export HTTPS=0 DEBUG=0 MFA_REQUIRED=0 ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SETTINGS_MODULE=benchmarks.load.settings PYTHONPATH=$PWD
export DEMO_PASSWORD=partnership-demo-2026
BIN=.venv/bin
# The data set is made once and kept as a pg_dump (the backup command); later runs restore it.
DUMP=${DATASET_DUMP:-var/load-dataset.pgdump}
if [ -s "$DUMP" ]; then
    $BIN/python -m partnership.cli restore "$DUMP"
    # A dump made before the latest migrations is brought up to the code's schema.
    $BIN/python -m partnership.cli migrate --no-input --verbosity 0
else
    $BIN/python benchmarks/load/dataset.py
    $BIN/python -m partnership.cli backup -o "$DUMP"
    # The planner's statistics of the new data, as `partnership restore` gives a restored one.
    psql -q "$DATABASE_URL" -c ANALYZE
fi
$BIN/python benchmarks/load/targets.py "$OUT/targets.json"
$BIN/python -m partnership.cli collectstatic --no-input --verbosity 0
$BIN/python -m partnership.cli serve --production "127.0.0.1:$PORT" > "$OUT/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
# Warm every worker's caches (templates, parsed dates) before measuring.
for _ in $(seq 20); do curl -s -o /dev/null "http://127.0.0.1:$PORT/en/"; done
export TARGETS=$OUT/targets.json
last=${STEPS##* }
races=
for users in $STEPS; do
    $BIN/python benchmarks/load/sampler.py "$server" "$((STEP_S - 2))" "$OUT/sample-$users.json" &
    sampler=$!
    if [ "$users" = "$last" ]; then
        (sleep $((STEP_S / 2)); $BIN/python benchmarks/load/races.py "http://127.0.0.1:$PORT" 5 \
            > "$OUT/races.json") &
        races=$!
    fi
    $BIN/locust -f benchmarks/load/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
        -u "$users" -r "$(( (users + 4) / 5 ))" -t "${STEP_S}s" --csv "$OUT/step-$users" \
        --only-summary --loglevel WARNING > "$OUT/locust-$users.log" 2>&1 || true
    wait $sampler
done
[ -z "$races" ] || wait "$races"
$BIN/python benchmarks/load/summarize.py "$OUT" | tee "$OUT/summary.md"
echo "answers with a 5xx status in the server's log: $(grep -c '"status": 5' "$OUT/server.log" || true)"
