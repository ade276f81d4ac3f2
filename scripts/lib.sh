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

ensure_npm_tools() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x node_modules/.bin/wasm-opt ]; then
    say "installing wasm-opt (npm binaryen)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Builds the browser bundle into site/pkg: wasm (hydrate), its JS glue, the stylesheet.
build_site() {
  ensure_wasm_bindgen
  ensure_npm_tools
  local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  say "building the browser bundle (wasm32, wasm-release)"
  cargo build -p frontend --target wasm32-unknown-unknown --profile wasm-release
  mkdir -p site/pkg
  wasm-bindgen --target web --no-typescript --out-dir site/pkg --out-name pigeon \
    "$target_dir/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    site/pkg/pigeon_bg.wasm -o site/pkg/pigeon_bg.wasm
  cp style/pigeon.css site/pkg/pigeon.css
  local raw gz
  raw=$(stat -c %s site/pkg/pigeon_bg.wasm)
  gz=$(gzip -9 -c site/pkg/pigeon_bg.wasm | wc -c)
  say "wasm bundle: $raw bytes raw, $gz bytes gzip"
}
