#!/usr/bin/env bash
# The site under the production server on this machine: migrations, static files, the factsheet,
# then `partnership serve --production` (gunicorn) on ${BIND:-127.0.0.1:8000} until Ctrl-C.
# DATABASE_URL as set (scripts/with-postgres.sh sets a throwaway PostgreSQL), else SQLite in var/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
if [ -z "${SECRET_KEY:-}" ]; then
    # Made once and kept (mode 600), so that sessions survive a restart.
    [ -s var/secret-key ] || (umask 077; .venv/bin/python -c \
        'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key)
    SECRET_KEY=$(cat var/secret-key)
    export SECRET_KEY
fi
# Plain HTTP on loopback here; behind the TLS proxy (deploy/README.md) leave HTTPS unset.
export HTTPS=${HTTPS:-0}
export DEBUG=0
.venv/bin/partnership migrate --no-input --verbosity 0
.venv/bin/partnership collectstatic --no-input --verbosity 0
.venv/bin/partnership load-factsheet --no-progress
echo "Production server on http://${BIND:-127.0.0.1:8000} (${DATABASE_URL:-SQLite in var/}); Ctrl-C stops it gracefully"
exec .venv/bin/partnership serve --production "${BIND:-127.0.0.1:8000}" "$@"
