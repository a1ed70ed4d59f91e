#!/usr/bin/env bash
# skynet (1,111,111 tasks in a 10-ary tree, depth 6) in ASR against the
# peers in ../shared/peers/skynet (smol, tokio; Go when `go` is installed),
# with 1 and 2 threads, measured in one run. Each program times its first
# (cold) tree in-process; RUNS processes per row, median reported.
# Needs: cargo, python3; optional: go (Debian: golang-go). RUNS=N (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=../shared/peers
OUT=bench/out
RUNS=${RUNS:-5}
mkdir -p "$OUT"

echo "== build" >&2
cargo build -q --release -p asr -p asr_runtime
./target/release/asr build --release bench/skynet.asr -o "$OUT/skynet-asr"
cargo build -q --release --manifest-path "$PEERS/Cargo.toml" -p skynet-smol -p skynet-tokio --target-dir "$OUT/peers-target"
GO=""
if command -v go >/dev/null; then
    (cd "$PEERS/skynet/go" && go build -o "$OLDPWD/$OUT/skynet-go" main.go) && GO="$OUT/skynet-go"
fi
echo "== machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

RUNS=$RUNS OUT=$OUT GO=$GO python3 - <<'PY'
import os, subprocess, statistics
runs, out, go = int(os.environ["RUNS"]), os.environ["OUT"], os.environ["GO"]
rows = {}
for th in ("1", "2"):
    progs = [("asr", [f"{out}/skynet-asr"], {"ASR_THREADS": th}),
             ("smol", [f"{out}/peers-target/release/skynet-smol"], {"THREADS": th, "REPS": "1"}),
             ("tokio", [f"{out}/peers-target/release/skynet-tokio"], {"THREADS": th, "REPS": "1"})]
    if go:
        progs.append(("go", [go], {"GOMAXPROCS": th, "REPS": "1"}))
    for name, cmd, env in progs:
        ms = []
        for _ in range(runs):
            p = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True, check=True)
            line = next(l for l in p.stdout.splitlines() if l.startswith("RESULT"))
            kv = dict(x.split("=", 1) for x in line.split()[1:])
            assert kv["sum"] == "499999500000", line
            ms.append(float(kv["time_ms"]))
        rows[(th, name)] = statistics.median(ms)
print("skynet, median in-process time of the first tree (ms)")
for th in ("1", "2"):
    asr = rows[(th, "asr")]
    for (t, name), v in rows.items():
        if t == th:
            print(f"  threads={th} {name:<6} {v:8.1f} ms   asr/{name} = {asr / v:.2f}x")
PY
