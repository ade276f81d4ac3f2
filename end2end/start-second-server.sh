#!/usr/bin/env bash
# A second Pigeon on the same PostgreSQL database as the first (start-server.sh), for the
# journeys about more than one instance: it waits until the first has made the database.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${PIGEON_BIN:?PIGEON_BIN must point at the pigeon binary}"
first="http://127.0.0.1:${PIGEON_E2E_FIRST_PORT:-3100}/healthz"
for _ in $(seq 1 120); do
  curl -fsS "$first" >/dev/null 2>&1 && break
  sleep 0.5
done
data="$(mktemp -d /tmp/pigeon-e2e-second.XXXXXX)"
export PIGEON_DATA_DIR="$data"
export PIGEON_ADDR="127.0.0.1:${PIGEON_E2E_PORT:?}"
export PIGEON_SITE_ROOT="${PIGEON_SITE_ROOT:-$PWD/site}"
if [ -n "${PIGEON_E2E_STORAGE_URL:-}" ]; then export PIGEON_STORAGE_URL="$PIGEON_E2E_STORAGE_URL"; fi
export DATABASE_URL="${PIGEON_E2E_DATABASE_URL:?a second instance shares a PostgreSQL database}"
exec "$bin" serve
