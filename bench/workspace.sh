# Sourced by the bench scripts: builds icrecon into /tmp/icrecon-bench and
# sets $dir to a generated workspace of $1 conversations (default 500,000),
# generating it the first time.
n=${1:-500000}
dir=${BENCH_DIR:-/tmp/icrecon-bench}/ws$n
mkdir -p "$(dirname "$dir")" /tmp/icrecon-bench
go build -o /tmp/icrecon-bench/icrecon .
if [ ! -f "$dir/api/conversations.jsonl" ]; then
  echo "generating $n conversations into $dir"
  go run ./fixtures/cmd/gen -n "$n" -seed 1 -out "$dir"
fi
