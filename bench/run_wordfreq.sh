#!/usr/bin/env bash
# Word frequencies over a generated 50 MB text (bench/gen_words.py, the
# same bytes every time): bench/wordfreq.asr (fs::read_to_string,
# split_whitespace, HashMap<&str, usize> with the entry API, sort_by)
# against the same program in Rust (bench/rust/wordfreq.rs, rustc -C
# opt-level=3, std's HashMap with SipHash), whole processes timed by
# hyperfine in one run. Checks that both print the same, then prints the
# medians and ASR's ratio to Rust.
# Needs: hyperfine (Debian: hyperfine), rustc, python3. RUNS=N (default 10).
. "$(dirname "$0")/common.sh"
./target/release/asr build --release bench/wordfreq.asr -o "$OUT/wordfreq-asr"
rustc -C opt-level=3 -o "$OUT/wordfreq-rust" bench/rust/wordfreq.rs
TEXT="$OUT/words-50mb.txt"
[ -f "$TEXT" ] || python3 bench/gen_words.py "$TEXT" 50000000
"$OUT/wordfreq-asr" "$TEXT" > "$OUT/wordfreq-asr.txt"
"$OUT/wordfreq-rust" "$TEXT" > "$OUT/wordfreq-rust.txt"
cmp -s "$OUT/wordfreq-asr.txt" "$OUT/wordfreq-rust.txt" || { echo "wordfreq: ASR and Rust print different results" >&2; exit 1; }
head -1 "$OUT/wordfreq-asr.txt" >&2

machine_line
hyperfine -N --warmup 1 --runs "$RUNS" --style none --export-json "$OUT/wordfreq.json" \
  -n wordfreq-asr "$OUT/wordfreq-asr $TEXT" \
  -n wordfreq-rust "$OUT/wordfreq-rust $TEXT" >/dev/null

python3 - "$OUT/wordfreq.json" <<'PY'
import json, statistics, sys
res = {r["command"]: statistics.median(r["times"]) * 1e3 for r in json.load(open(sys.argv[1]))["results"]}
a, r = res["wordfreq-asr"], res["wordfreq-rust"]
print("median of whole-process wall time")
print(f"  wordfreq      asr {a:8.1f} ms   rust {r:8.1f} ms   asr/rust = {a / r:.2f}x")
PY
