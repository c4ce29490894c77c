#!/usr/bin/env bash
# Measures Escale at scale against its peers and prints the table of
# BENCHMARKS.md (see internal/tools/bench). From the repository root:
#
#   scripts/bench.sh                 # quick: 60 PDFs, ingest 1,000, search 10,000
#   scripts/bench.sh full            # the issue's sizes: ingest 1,000 and 10,000,
#                                    # search 10,000 and 100,000 (hours on 2 cores)
#   scripts/bench.sh full -rounds 5  # more flags go to the bench command
#
# Archives and data directories are kept under $ESCALE_BENCH_WORK (default
# /var/tmp/escale-bench) and reused by later runs; delete it to start again.
# pdftotext and pdfinfo (poppler-utils) are the extraction peer.
set -euo pipefail
cd "$(dirname "$0")/.."

size=quick
if [ "${1:-}" = full ] || [ "${1:-}" = quick ]; then
	size=$1
	shift
fi
if ! command -v pdftotext >/dev/null 2>&1; then
	echo "bench: pdftotext missing: apt-get install -y poppler-utils" >&2
	exit 1
fi
work=${ESCALE_BENCH_WORK:-/var/tmp/escale-bench}
case $size in
quick) sizes=(-extract 60 -ingest 1000 -two-page 1000 -search 10000) ;;
full) sizes=(-extract 60 -ingest 1000,10000 -two-page 1000 -search 10000,100000) ;;
esac
echo "nproc: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); memory: $(free -h | awk '/^Mem:/ {print $2}'); uptime: $(uptime)" >&2
go run ./internal/tools/bench -work "$work" "${sizes[@]}" "$@"
echo "uptime at the end: $(uptime)" >&2
