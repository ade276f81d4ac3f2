#!/usr/bin/env bash
# Starts a fresh Pigeon for the browser tests: empty database, two known accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${PIGEON_BIN:?PIGEON_BIN must point at the pigeon binary}"
data="$(mktemp -d /tmp/pigeon-e2e.XXXXXX)"
export PIGEON_DATA_DIR="$data"
export PIGEON_ADDR="127.0.0.1:${PIGEON_E2E_PORT:-3100}"
# The SMTP receiver for replies by email (the journeys send to it).
export PIGEON_INBOUND_ADDR="127.0.0.1:${PIGEON_E2E_INBOUND_PORT:-4726}"
export PIGEON_SITE_ROOT="${PIGEON_SITE_ROOT:-$PWD/site}"
if [ -n "${PIGEON_E2E_STORAGE_URL:-}" ]; then export PIGEON_STORAGE_URL="$PIGEON_E2E_STORAGE_URL"; fi
export DATABASE_URL="${PIGEON_E2E_DATABASE_URL:-sqlite://$data/pigeon.db}"
if [[ "$DATABASE_URL" == postgres* ]]; then
  admin_url="${DATABASE_URL%/*}/postgres"
  db_name="${DATABASE_URL##*/}"
  psql "$admin_url" -q -c "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" -c "CREATE DATABASE \"$db_name\""
fi
"$bin" migrate
echo 'staff-password-1' | "$bin" user create --email staff@example.com --name 'Sam Staff' \
  --permission access --permission manage_threads --password-stdin >/dev/null
# Staff who may change settings but not read conversations (mentions cannot reach them).
echo 'sky-password-1' | "$bin" user create --email sky@example.com --name 'Sky Settings' \
  --permission manage_settings --password-stdin >/dev/null
echo 'admin-password-1' | "$bin" user create --email admin@example.com --name 'Ada Admin' \
  --admin --password-stdin >/dev/null
for member in "ann:Ann Member" "bob:Bob Member"; do
  echo 'member-password-1' | "$bin" user create --email "${member%%:*}@example.com" \
    --name "${member#*:}" --password-stdin >/dev/null
done
# Every browser test posts from 127.0.0.1: room for the whole suite in one guest window.
"$bin" settings set rate_limit_max 200 >/dev/null
exec "$bin" serve
