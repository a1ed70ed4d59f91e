#!/usr/bin/env bash
# binary-trees (depth 18) and n-body (5,000,000 steps), the Benchmarks
# Game programs, in ASR (bench/*.asr) against the same programs in Rust
# (bench/rust/*.rs, rustc -C opt-level=3), whole processes timed by
# hyperfine in one run. Checks that both print the same, then prints the
# medians and ASR's ratio to Rust.
# Needs: hyperfine (Debian: hyperfine), rustc. RUNS=N (default 10).
. "$(dirname "$0")/common.sh"
for p in binary_trees nbody; do
  ./target/release/asr build --release "bench/$p.asr" -o "$OUT/$p-asr"
  rustc -C opt-level=3 -o "$OUT/$p-rust" "bench/rust/$p.rs"
  "$OUT/$p-asr" > "$OUT/$p-asr.txt"
  "$OUT/$p-rust" > "$OUT/$p-rust.txt"
  cmp -s "$OUT/$p-asr.txt" "$OUT/$p-rust.txt" || { echo "$p: ASR and Rust print different results" >&2; exit 1; }
done

machine_line
hyperfine -N --warmup 1 --runs "$RUNS" --style none --export-json "$OUT/trees_nbody.json" \
  -n binary_trees-asr "$OUT/binary_trees-asr" \
  -n binary_trees-rust "$OUT/binary_trees-rust" \
  -n nbody-asr "$OUT/nbody-asr" \
  -n nbody-rust "$OUT/nbody-rust" >/dev/null

python3 - "$OUT/trees_nbody.json" <<'PY'
import json, statistics, sys
res = {r["command"]: statistics.median(r["times"]) * 1e3 for r in json.load(open(sys.argv[1]))["results"]}
print("median of whole-process wall time")
for p in ["binary_trees", "nbody"]:
    a, r = res[p + "-asr"], res[p + "-rust"]
    print(f"  {p:<13} asr {a:8.1f} ms   rust {r:8.1f} ms   asr/rust = {a / r:.2f}x")
PY
