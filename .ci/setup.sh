#!/usr/bin/env bash
# Installs what Tempora needs to build, serve and test, and nothing that is already there.
# Idempotent: every step checks first, so a warm run takes a few seconds.
# Only package registries are used (rustup's toolchain server, crates.io, Debian, npm): no binary downloads.
set -euo pipefail

# Pins. The wasm-bindgen CLI must equal the `wasm-bindgen` crate pin in Cargo.toml (a mismatch is a hard error).
TRUNK_VERSION=0.21.14          # 0.22 needs rustc >= 1.96.1
WASM_BINDGEN_VERSION=0.2.130
LIBFANN_VERSION=2.2.0+ds-8      # Debian bookworm's

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  step "installing Debian's chromium and chromium-driver"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# C FANN 2.2, the reference the network forward pass is cross-checked against (tests) and
# benchmarked against (`cargo bench -p tempora-engine --features c-fann --bench forward`).
if [ "$(dpkg-query -W -f='${Version}' libfann-dev 2>/dev/null)" != "$LIBFANN_VERSION" ]; then
  step "installing Debian's libfann-dev $LIBFANN_VERSION"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "libfann-dev=$LIBFANN_VERSION" >/dev/null
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "installing trunk $TRUNK_VERSION (takes 6-11 minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm: playwright-core (drives Debian's chromium) and binaryen (a wasm-opt that works; Debian's corrupts these builds).
e2e="$root/tests/e2e"
if [ ! -d "$e2e/node_modules" ] || [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
  step "installing npm packages for the end-to-end tests and wasm-opt"
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Crates for Trunk's offline builds.
if [ -f "$root/Cargo.lock" ]; then
  (cd "$root" && cargo fetch --locked -q 2>/dev/null || cargo fetch -q)
fi
step "tools ready"
