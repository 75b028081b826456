#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing:
# chromium (browser tests), postgresql (the second database), gettext (message catalogues),
# Node.js with npm for the front-end and geographic data packages, nats-server (JetStream).
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v nats-server >/dev/null || missing+=(nats-server)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Run: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
