#!/usr/bin/env bash
# Time `icrecon reconcile` on a large generated workspace: read, join,
# compare, explain and bridge, with all outputs written.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/workspace.sh "${1:-}"
bytes=$(du -cb "$dir/export.csv" "$dir/api" | tail -1 | cut -f1)
for run in 1 2 3; do
  /usr/bin/time -f "%e %M" -o /tmp/icrecon-bench/time.txt /tmp/icrecon-bench/icrecon reconcile \
    --export "$dir/export.csv" --api "$dir/api" --dashboard "$dir/dashboard.csv" \
    --workspace "$dir/workspace.yaml" --out /tmp/icrecon-bench/out$n >/dev/null
  read -r wall rss_kb < /tmp/icrecon-bench/time.txt
  awk -v b="$bytes" -v w="$wall" -v r="$rss_kb" -v run="$run" \
    'BEGIN { printf "reconcile run %d: %.0f MB of input in %.2f s, peak RSS %.0f MB\n", run, b/1e6, w, r/1024 }'
done
