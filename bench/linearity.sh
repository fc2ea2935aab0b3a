#!/usr/bin/env bash
# How `icrecon reconcile` grows with the workspace: for each N given
# (default 100k 500k 1M 2M), the median of RUNS runs (default 3) of wall
# time, CPU time, peak RSS, and the live heap per conversation after the
# figures (ICRECON_TIMINGS), with all outputs written. Workspaces are
# generated the first time (2M is about 15 GB and takes minutes).
#
#   bench/linearity.sh [N ...]        RUNS=5 bench/linearity.sh 100000 500000
#
# BENCH_DROP_CACHES=1 (as root) empties the page cache before each N and
# reads that workspace once, so that each size is measured with its own
# input cached: otherwise, beside other workspaces, the kernel keeps the
# ones read more often and the 2M input is partly read from disk.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 500000 1000000 2000000)
runs=${RUNS:-3}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf '%10s %10s %9s %9s %10s %12s %14s\n' N "input MB" "wall s" "cpu s" "RSS MiB" "s per 100k" "live B/conv"
for n in "${sizes[@]}"; do
  . bench/workspace.sh "$n" >/dev/null
  bytes=$(du -cb "$dir/export.csv" "$dir/api" | tail -1 | cut -f1)
  if [ "${BENCH_DROP_CACHES:-}" = 1 ]; then
    sync; echo 1 > /proc/sys/vm/drop_caches
    cat "$dir/export.csv" "$dir"/api/* > /dev/null
  fi
  out=/tmp/icrecon-bench/linearity$n
  : > "$out.runs"
  for _ in $(seq 1 "$runs"); do
    rm -rf "$out"
    ICRECON_TIMINGS=1 /usr/bin/time -f "%e %U %S %M" -o "$out.time" /tmp/icrecon-bench/icrecon reconcile \
      --export "$dir/export.csv" --api "$dir/api" --dashboard "$dir/dashboard.csv" \
      --workspace "$dir/workspace.yaml" --out "$out" 2> "$out.timings" >/dev/null
    read -r wall user sys kb < "$out.time"
    live=$(sed -n 's/.* \([0-9]*\) bytes per conversation.*/\1/p' "$out.timings")
    echo "$wall $(echo "$user + $sys" | bc) $kb $live" >> "$out.runs"
  done
  wall=$(cut -d' ' -f1 "$out.runs" | median); cpu=$(cut -d' ' -f2 "$out.runs" | median)
  kb=$(cut -d' ' -f3 "$out.runs" | median); live=$(cut -d' ' -f4 "$out.runs" | median)
  awk -v n="$n" -v b="$bytes" -v w="$wall" -v c="$cpu" -v kb="$kb" -v l="$live" 'BEGIN {
    printf "%10d %10.0f %9.2f %9.2f %10.0f %12.2f %14d\n", n, b / 1e6, w, c, kb / 1024, w * 100000 / n, l }'
done
