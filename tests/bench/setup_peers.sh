#!/usr/bin/env bash
# Make tests/bench/.venv with the peer simulators (brian2, NEST, ANNarchy, PyNN) from requirements.txt.
# Idempotent: reinstalls only when requirements.txt (or the interpreter) changed.
# Prints the venv's python path as its only stdout line, so:  PY=$(bash tests/bench/setup_peers.sh)
# ANNarchy runs `cmake` by name: put the venv's bin/ on PATH (activate it, or PATH="$(dirname "$PY"):$PATH").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"

# brian2 2.11 needs Python >= 3.13; the machine's default python3 is older, pyenv has 3.13.
if ! command -v pyenv >/dev/null 2>&1; then
    echo "setup_peers.sh: pyenv not found; it is needed for its Python 3.13 interpreter" >&2
    exit 1
fi
ver="$(pyenv versions --bare | grep -E '^3\.13\.[0-9]+$' | sort -V | tail -n 1 || true)"
base="$(pyenv root)/versions/$ver/bin/python3.13"
if [[ -z "$ver" || ! -x "$base" ]]; then
    echo "setup_peers.sh: no Python 3.13 in pyenv (pyenv versions); install one: pyenv install 3.13" >&2
    exit 1
fi

# (Re)create the venv if it is missing or its interpreter no longer runs.
if ! "$venv/bin/python" -c '' 2>/dev/null; then
    echo "setup_peers.sh: creating $venv from $base" >&2
    rm -rf "$venv"
    "$base" -m venv "$venv"
fi

# Install when the hash of requirements.txt + interpreter version differs from the stamp.
want="$( (cat "$req"; "$venv/bin/python" -VV) | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]]; then
    echo "setup_peers.sh: installing $req (about a minute)" >&2
    # nice: the machine has 2 cores and a cargo build may be running.
    PIP_DISABLE_PIP_VERSION_CHECK=1 nice -n 10 "$venv/bin/python" -m pip install --no-input -r "$req" >&2
    echo "$want" > "$stamp"
fi

echo "$venv/bin/python"
