#!/usr/bin/env bash
# Installs what is missing (.ci/setup.sh), then serves Tempora at http://127.0.0.1:8080 with the
# cross-origin isolation headers (see Trunk.toml). Extra arguments go to `trunk serve`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash .ci/setup.sh
export PATH="$root/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
exec trunk serve --release "$@"
