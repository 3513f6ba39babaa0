#!/usr/bin/env bash
# Run the peer scripts for the RESULTS.md table: cuba and coba with seeds 1..3 in Brian2, NEST and
# ANNarchy, brunel (g 5, eta 2, Bernoulli p 0.1) seed 1 in all three; 1 s of simulated time each.
# Writes one JSON per run to $OUT (default tests/bench/peers/results/), then prints the table.
# Runs are sequential and niced (2 cores, a cargo build may be running). About 4 minutes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="$(bash "$here/../setup_peers.sh")"
export PATH="$(dirname "$PY"):$PATH"   # ANNarchy calls cmake by name
export PYNEST_QUIET=1
OUT="${OUT:-$here/results}"
mkdir -p "$OUT"
run() {  # sim model seed
    local f="$OUT/$1-$2-s$3.json"
    echo "== $1 $2 seed $3" >&2
    nice -n 10 "$PY" "$here/$1_net.py" --model "$2" --seed "$3" --duration 1 > "$f.tmp" 2> "$OUT/$1-$2-s$3.log"
    mv "$f.tmp" "$f"
}
for sim in brian2 nest annarchy; do
    for model in cuba coba; do
        for seed in 1 2 3; do run "$sim" "$model" "$seed"; done
    done
    run "$sim" brunel 1
done
"$PY" "$here/summarize.py" "$OUT"
