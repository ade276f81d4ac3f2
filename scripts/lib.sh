# Shared steps of scripts/run and scripts/test: install what is missing, build the site.
# Everything comes from the package registries (Debian, crates.io, npm); nothing else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# A C compiler and make: the bundled SQLite and jemalloc are built from source.
ensure_build_tools() {
  command -v cc >/dev/null && command -v make >/dev/null || apt_install gcc make
}

# The toolchain of rust-toolchain.toml with its wasm32 target (rustup does not always add
# the file's targets by itself).
ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen CLI must match the library version in Cargo.lock.
ensure_wasm_bindgen() {
  local want have
  want="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want from crates.io"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# leptosfmt (crates.io) formats the view! macros, which rustfmt leaves alone.
ensure_leptosfmt() {
  local want="0.1.33"
  if [ "$(leptosfmt --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing leptosfmt $want from crates.io"
    cargo install leptosfmt --version "$want" --locked
  fi
}

ensure_npm_tools() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x node_modules/.bin/wasm-opt ]; then
    say "installing wasm-opt (npm binaryen)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Builds the browser bundle into site/pkg: wasm (hydrate), its JS glue, the stylesheet and
# the icon. Each file is named after its content (`pigeon.<hash>.js`, listed in
# site/hash.txt), so browsers may keep it for a year, and is stored compressed beside
# itself (`.br`, `.gz`) for the server to send as is.
build_site() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm_tools
  command -v brotli >/dev/null || apt_install brotli
  local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  say "building the browser bundle (wasm32, wasm-release)"
  cargo build -p frontend --target wasm32-unknown-unknown --profile wasm-release
  local out="$ROOT/site/pkg.new"
  rm -rf "$out"
  mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name pigeon \
    "$target_dir/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$out/pigeon_bg.wasm" -o "$out/pigeon_bg.wasm"
  cp style/pigeon.css "$out/pigeon.css"
  local js wasm css
  js=$(content_named "$out/pigeon.js" js)
  wasm=$(content_named "$out/pigeon_bg.wasm" wasm)
  css=$(content_named "$out/pigeon.css" css)
  cp style/favicon.ico "$out/favicon.ico"
  local f z
  for f in "$out"/*.js "$out"/*.wasm "$out"/*.css "$out"/*.ico; do
    gzip -9 -k -n "$f"
    brotli -q 11 -k "$f"
    # A compressed copy that saves nothing is not worth sending.
    for z in "$f.gz" "$f.br"; do
      [ "$(stat -c %s "$z")" -lt "$(stat -c %s "$f")" ] || rm -f "$z"
    done
  done
  rm -rf "$ROOT/site/pkg"
  mv "$out" "$ROOT/site/pkg"
  printf 'js: %s\nwasm: %s\ncss: %s\n' "$js" "$wasm" "$css" > "$ROOT/site/hash.txt"
  local raw gz br
  raw=$(stat -c %s "$ROOT/site/pkg/pigeon.$wasm.wasm")
  gz=$(stat -c %s "$ROOT/site/pkg/pigeon.$wasm.wasm.gz")
  br=$(stat -c %s "$ROOT/site/pkg/pigeon.$wasm.wasm.br")
  say "wasm bundle: $raw bytes raw, $gz bytes gzip, $br bytes brotli"
}

# Renames FILE to pigeon.<first 16 hex digits of its SHA-256>.EXT; prints the hash.
content_named() {
  local file="$1" ext="$2" hash
  hash=$(sha256sum "$file" | cut -c1-16)
  mv "$file" "$(dirname "$file")/pigeon.$hash.$ext"
  echo "$hash"
}

# PostgreSQL on 127.0.0.1:5432 with trust auth for the tests; installed and started when missing.
ensure_postgres() {
  export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  command -v psql >/dev/null || apt_install postgresql-client
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  local fresh=0
  if ! command -v pg_ctlcluster >/dev/null; then
    say "installing PostgreSQL (Debian package)"
    apt_install postgresql
    fresh=1
  fi
  local ver
  ver="$(ls /etc/postgresql | sort -V | tail -n1)"
  if [ "$fresh" = 1 ]; then
    # A throwaway test server: local connections need no password.
    as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' \
      "/etc/postgresql/$ver/main/pg_hba.conf"
  fi
  say "starting PostgreSQL $ver"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return 0
    sleep 1
  done
  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
  return 1
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium (Debian package)"
    apt_install chromium
  fi
}

ensure_playwright() {
  if [ ! -x end2end/node_modules/.bin/playwright ]; then
    say "installing Playwright (npm; no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Python with aiosmtpd (PyPI): the real SMTP server the browser tests send mail to.
ensure_smtp_sink() {
  local venv="${PIGEON_TOOLS_DIR:-$HOME/.cache/pigeon}/venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    say "installing aiosmtpd (PyPI) for the mail tests"
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6'
  fi
  export PIGEON_E2E_PYTHON="$venv/bin/python"
}

# An S3-compatible server on loopback (moto, PyPI) for the attachment store's S3 tests:
# started here when none answers, stopped when the calling script exits. Exports the AWS_*
# settings and PIGEON_TEST_S3_URL (a bucket made here).
ensure_s3() {
  ensure_smtp_sink
  local venv="${PIGEON_TOOLS_DIR:-$HOME/.cache/pigeon}/venv"
  local port="${PIGEON_TEST_S3_PORT:-9573}"
  if ! "$venv/bin/python" -c 'import moto.server, boto3' 2>/dev/null; then
    say "installing moto (PyPI), an S3-compatible server for the attachment tests"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[s3,server]==5.2.5'
  fi
  export AWS_ACCESS_KEY_ID=pigeon-test AWS_SECRET_ACCESS_KEY=pigeon-test AWS_REGION=us-east-1
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ALLOW_HTTP=true
  local probe="import urllib.request,sys
try: urllib.request.urlopen('$AWS_ENDPOINT_URL/', timeout=1)
except Exception as e: sys.exit(0 if hasattr(e, 'code') else 1)"
  if ! "$venv/bin/python" -c "$probe" 2>/dev/null; then
    say "starting the S3-compatible server on 127.0.0.1:$port"
    "$venv/bin/python" -m moto.server -H 127.0.0.1 -p "$port" >"${TMPDIR:-/tmp}/pigeon-s3.log" 2>&1 &
    PIGEON_S3_PID=$!
    trap 'kill $PIGEON_S3_PID 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do
      "$venv/bin/python" -c "$probe" 2>/dev/null && break
      sleep 0.2
    done
  fi
  "$venv/bin/python" - <<'PY'
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
try:
    s3.create_bucket(Bucket="pigeon-test")
except s3.exceptions.BucketAlreadyOwnedByYou:
    pass
PY
  export PIGEON_TEST_S3_URL="s3://pigeon-test/tests"
}

# A throwaway IMAP server on loopback (Debian's dovecot-imapd) for the IMAP reader's tests:
# its own configuration, user (pigeon / pigeon-test) and maildir under a temporary folder,
# started here when none answers and stopped when the calling script exits. Exports
# PIGEON_TEST_IMAP_URL (the mailbox) and PIGEON_TEST_IMAP_MAILDIR (to drop messages in).
ensure_imap() {
  local port="${PIGEON_TEST_IMAP_PORT:-1143}"
  # Outside the home folder: dovecot's own users must reach it.
  local dir="${TMPDIR:-/tmp}/pigeon-imap-$(id -u)"
  export PIGEON_TEST_IMAP_URL="imap://pigeon:pigeon-test@127.0.0.1:$port/INBOX"
  export PIGEON_TEST_IMAP_MAILDIR="$dir/mail/pigeon"
  if [ ! -x /usr/sbin/dovecot ]; then
    say "installing dovecot-imapd (Debian package) for the IMAP tests"
    apt_install dovecot-imapd
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
  mkdir -p "$dir/run" "$dir/state" "$dir/mail/pigeon/cur" "$dir/mail/pigeon/new" "$dir/mail/pigeon/tmp"
  chmod 755 "$dir"
  local owner
  owner="$(id -un)"
  if [ "$(id -u)" = 0 ]; then
    # Mail processes never run as root: the test mailbox belongs to dovecot's own user.
    owner=dovecot
    chown -R dovecot: "$dir/mail"
  fi
  printf 'pigeon:{PLAIN}pigeon-test::::::\n' >"$dir/users"
  cat >"$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$dir/mail/%u
mail_uid = $owner
mail_gid = $(id -gn "$owner")
first_valid_uid = 1
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = home=$dir/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
  say "starting dovecot (IMAP) on 127.0.0.1:$port"
  /usr/sbin/dovecot -c "$dir/dovecot.conf"
  trap "/usr/sbin/dovecot -c '$dir/dovecot.conf' stop 2>/dev/null || true; ${PIGEON_S3_PID:+kill $PIGEON_S3_PID 2>/dev/null || true}" EXIT
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "dovecot did not start on 127.0.0.1:$port (see $dir/dovecot.log)" >&2
  return 1
}
