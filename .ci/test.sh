#!/usr/bin/env bash
# Installs what is missing (.ci/setup.sh), then runs every test: formatting, lints, the engine's
# native tests, the browser tests in headless Chromium (page and dedicated worker), a release
# build, and the end-to-end test of the served app.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash .ci/setup.sh
export PATH="$root/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
wasm=--target=wasm32-unknown-unknown
# One-shot runs gain nothing from incremental caches, which are a large share of target/.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

# A clean run writes about 3.1 GB into target/ (measured from a fresh clone); say so up front
# rather than fail halfway with "No space left on device".
free_mb=$(df -Pm "$root" | awk 'NR == 2 { print $4 }')
if (( free_mb < 4096 )); then
  printf '\033[1mwarning:\033[0m only %s MB free on the disk holding %s; a clean test run needs about 3.2 GB\n' "$free_mb" "$root" >&2
fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$(date +%s)

step "format"
cargo fmt --all -- --check

step "lint (native engine, wasm UI and worker)"
cargo clippy -p tempora-engine -p tempora-protocol --all-targets --features tempora-engine/c-fann,tempora-engine/fixtures --locked -- -D warnings
cargo clippy -p tempora-engine -p tempora-protocol --features tempora-protocol/js --lib $wasm --locked -- -D warnings
cargo clippy -p tempora-ui -p tempora-worker --all-targets $wasm --locked -- -D warnings

step "engine and protocol tests (native)"
cargo test -p tempora-engine -p tempora-protocol --locked
# The packed forward pass against C FANN 2.2 (libfann-dev, installed by setup.sh).
cargo test -p tempora-engine --features c-fann --locked --test c_fann

step "browser tests (headless Chromium: page and dedicated worker)"
# The UI's own tests (it links the protocol, not the engine), then the engine under the worker:
# golden hashes in a page and in a dedicated worker, the worker's clock, decoder and session.
cargo test -p tempora-ui $wasm --locked --test page
cargo test -p tempora-worker $wasm --locked --test golden_page --test worker --test bench_worker

step "release build"
trunk build --release

step "end-to-end (trunk serve + Playwright + headless Chromium)"
node tests/e2e/e2e.mjs

step "all tests passed in $(( $(date +%s) - started )) s"
