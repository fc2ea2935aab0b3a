#!/usr/bin/env bash
# icrecon reconcile against the DuckDB peer (shared/bench/duckdb-peer), on
# the same generated workspace, interleaved A B B A … so that neither gets
# the warmer page cache or the quieter minute. Prints every run, then the
# medians, min–max and the ratios.
#
#   bench/compare.sh [N] [RUNS]     N conversations (default 100,000), RUNS per tool (default 5)
#
# The peer needs Node 18+ and its npm package, installed into a temporary
# folder the first time (BENCH_NPM_DIR to choose it). Not part of go test or
# CI: it takes minutes and the network.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/workspace.sh "${1:-100000}"
runs=${2:-5}
peer_src=${PEER_DIR:-$(cd .. && pwd)/shared/bench/duckdb-peer}
npm_dir=${BENCH_NPM_DIR:-/tmp/duckdb-peer}
if [ ! -d "$npm_dir/node_modules/@duckdb" ]; then
  mkdir -p "$npm_dir"
  cp "$peer_src/package.json" "$peer_src/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --silent)
fi
# The peer flags a history truncated when count_conversation_parts exceeds
# the parts returned; since issue 9 the count includes the opening message
# (parts + 1), so unpatched it flags every conversation and its differences
# no longer follow icrecon's. The one-line patch keeps the stick fair.
sed 's/a\.st\.count_conversation_parts > len(a\.parts)/a.st.count_conversation_parts > len(a.parts) + 1/' \
  "$peer_src/duckdb_icrecon_peer.mjs" > "$npm_dir/duckdb_icrecon_peer.mjs"
grep -q 'len(a.parts) + 1' "$npm_dir/duckdb_icrecon_peer.mjs" || { echo "compare.sh: the peer's truncation rule was not patched"; exit 1; }
out=/tmp/icrecon-bench/compare$n
rm -rf "$out"; mkdir -p "$out"
cat "$dir/export.csv" "$dir"/api/* > /dev/null # warm the page cache

icrecon() {
  rm -rf "$out/icrecon"
  /usr/bin/time -f "%e %M" -o "$out/time" /tmp/icrecon-bench/icrecon reconcile \
    --export "$dir/export.csv" --api "$dir/api" --dashboard "$dir/dashboard.csv" \
    --workspace "$dir/workspace.yaml" --out "$out/icrecon" >/dev/null
}
peer() {
  rm -rf "$out/peer"
  BENCH_NPM_DIR="$npm_dir" /usr/bin/time -f "%e %M" -o "$out/time" \
    node "$npm_dir/duckdb_icrecon_peer.mjs" "$dir" "$out/peer" >/dev/null
}
record() { read -r wall kb < "$out/time"; echo "$1 $wall $kb" >> "$out/runs"; printf '%-8s run: %6.2f s %7.0f MiB\n' "$1" "$wall" "$(echo "$kb/1024" | bc -l)"; }

: > "$out/runs"
for i in $(seq 1 "$runs"); do
  if (( i % 2 )); then icrecon; record icrecon; peer; record duckdb
  else peer; record duckdb; icrecon; record icrecon; fi
done

awk -v n="$n" '
  { wall[$1] = wall[$1] " " $2; rss[$1] = rss[$1] " " $3 }
  function stats(list, scale,   a, k, i, j, t) {
    k = split(list, a, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    med = (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    lo = a[1]; hi = a[k]; med /= scale; lo /= scale; hi /= scale
  }
  END {
    printf "\nN = %d, %s\n", n, "medians (min–max)"
    stats(wall["icrecon"], 1); iw = med; printf "icrecon  %6.2f s (%.2f–%.2f)", med, lo, hi
    stats(rss["icrecon"], 1024); ir = med; printf "  %5.0f MiB (%.0f–%.0f)\n", med, lo, hi
    stats(wall["duckdb"], 1); dw = med; printf "duckdb   %6.2f s (%.2f–%.2f)", med, lo, hi
    stats(rss["duckdb"], 1024); dr = med; printf "  %5.0f MiB (%.0f–%.0f)\n", med, lo, hi
    printf "ratio    time %.2f, memory %.2f (icrecon / duckdb)\n", iw / dw, ir / dr
  }' "$out/runs"
