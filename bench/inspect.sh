#!/usr/bin/env bash
# Time `icrecon inspect` on a large generated workspace: reading alone.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/workspace.sh "${1:-}"
for input in "$dir/api/conversations.jsonl" "$dir/export.csv"; do
  bytes=$(stat -c %s "$input")
  for run in 1 2 3; do
    /usr/bin/time -f "%e %M" -o /tmp/icrecon-bench/time.txt /tmp/icrecon-bench/icrecon inspect "$input" >/dev/null
    read -r wall rss_kb < /tmp/icrecon-bench/time.txt
    awk -v f="$(basename "$input")" -v b="$bytes" -v w="$wall" -v r="$rss_kb" -v run="$run" \
      'BEGIN { printf "%s run %d: %.0f MB in %.2f s = %.0f MB/s, peak RSS %.0f MB\n", f, run, b/1e6, w, b/1e6/w, r/1024 }'
  done
done
