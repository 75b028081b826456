#!/usr/bin/env bash
# The demo: two ASDE centres (NATO and Ukraine) linked over two loopback connections, fed by the
# renegade scenario, and the platform on http://127.0.0.1:8000 with the live map.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
rm -f var/asde-*-state.json
# The links' certificates (a throwaway CA) and the HTTP tokens; kept when they exist.
.venv/bin/asde credentials --dir var/asde > /dev/null
.venv/bin/asde run --config src/asde/data/centres/nato.yaml --log-level WARNING > var/asde-nato.log 2>&1 &
nato=$!
.venv/bin/asde run --config src/asde/data/centres/ukraine.yaml --log-level WARNING > var/asde-ukraine.log 2>&1 &
ukraine=$!
trap 'kill $nato $ukraine 2>/dev/null || true' EXIT
echo "ASDE centres: NATO http://127.0.0.1:8081, Ukraine http://127.0.0.1:8082 (logs in var/);"
echo "  read one: curl -H \"Authorization: Bearer \$(cat var/asde/nato-monitor.token)\" http://127.0.0.1:8081/status"
echo "Live map: log in as nato-airops or ua-airops, then http://127.0.0.1:8000/en/airpicture/map/"
.venv/bin/partnership demo
