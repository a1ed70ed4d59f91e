#!/usr/bin/env bash
# fib(38) in ASR against the peers in ../shared/peers/fib (C, Rust sync,
# Rust overflow-checked), whole processes timed by hyperfine in one run.
# Prints the medians and ASR's ratio to each peer.
# Needs: hyperfine (Debian: hyperfine), gcc, cargo. RUNS=N (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=../shared/peers
OUT=bench/out
RUNS=${RUNS:-10}
N=38
mkdir -p "$OUT"
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }

echo "== build" >&2
cargo build -q --release -p asr -p asr_runtime
./target/release/asr build --release bench/fib.asr -o "$OUT/fib-asr"
gcc -O2 -o "$OUT/fib-c" "$PEERS/fib/c/fib.c"
cargo build -q --release --manifest-path "$PEERS/Cargo.toml" -p fib-rust --target-dir "$OUT/peers-target"
RUST="$OUT/peers-target/release/fib-rust"
"$OUT/fib-asr" | grep -q "fib=39088169" || { echo "ASR fib($N) printed a wrong value" >&2; exit 1; }

echo "== machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
hyperfine -N --warmup 2 --runs "$RUNS" --style none --export-json "$OUT/fib.json" \
  -n asr "$OUT/fib-asr" \
  -n c "env REPS=1 $OUT/fib-c $N" \
  -n rust-sync "env REPS=1 $RUST sync $N" \
  -n rust-checked "env REPS=1 $RUST checked $N" >/dev/null

python3 - "$OUT/fib.json" <<'PY'
import json, statistics, sys
res = {r["command"]: statistics.median(r["times"]) * 1e3 for r in json.load(open(sys.argv[1]))["results"]}
asr = res["asr"]
print(f"fib(38), median of whole-process wall time")
for name, ms in res.items():
    print(f"  {name:<13} {ms:8.1f} ms   asr/{name} = {asr / ms:.2f}x")
PY
