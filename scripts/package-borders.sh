#!/usr/bin/env bash
# The country borders ASDE's agreements and alerts use, packaged inside the Python package:
# npm world-atlas's countries-50m.json (Natural Earth 1:50m, TopoJSON), gzipped without name
# or time so that the same input gives the same bytes. Run after upgrading world-atlas.
set -euo pipefail
cd "$(dirname "$0")/.."
gzip -9 -n -c node_modules/world-atlas/countries-50m.json > src/asde/data/borders/countries-50m.json.gz
echo "src/asde/data/borders/countries-50m.json.gz from world-atlas $(node -p 'require("./node_modules/world-atlas/package.json").version' 2>/dev/null || echo '?')"
