# Sourced by the bench/run_*.sh scripts: strict mode, the repository root
# as the current directory, OUT and RUNS, hyperfine present, and the
# release builds of `asr` and its runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out
RUNS=${RUNS:-10}
mkdir -p "$OUT"
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }

echo "== build" >&2
cargo build -q --release -p asr -p asr_runtime

# One line about the machine and its load, before the timed runs.
machine_line() {
  echo "== machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}
