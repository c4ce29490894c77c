#!/usr/bin/env bash
# What `escale extract` would cost if Bleve built its Levenshtein automata
# on first use rather than in a package init, which every process of escale
# pays (about 3 ms): the change scripts/bleve-lazy-levenshtein.patch makes,
# to be proposed upstream (BENCHMARKS.md, « Targets », 1). It copies Bleve
# from the module cache, applies the patch to the copy, and runs the bench's
# extraction against pdftotext with a go.mod that replaces Bleve by the
# copy. Nothing in the repository changes: escale links Bleve as released.
# From the repository root:
#
#   scripts/lazy-levenshtein.sh            # 60 PDFs, 30 rounds
#   scripts/lazy-levenshtein.sh -rounds 5  # more flags go to the bench command
#
# The bench's working directory is $ESCALE_BENCH_WORK, as for scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

module=github.com/blevesearch/bleve/v2
version=$(go list -m -f '{{.Version}}' "$module")
if [ "$version" != v2.6.3 ]; then
	echo "lazy-levenshtein: the patch is for Bleve v2.6.3, go.mod names $version" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -r "$dir" "$tmp/bleve"
chmod -R u+w "$tmp/bleve"
git apply --directory="$tmp/bleve" --unsafe-paths scripts/bleve-lazy-levenshtein.patch
cp go.mod go.sum "$tmp/"
echo "replace $module => $tmp/bleve" >>"$tmp/go.mod"

work=${ESCALE_BENCH_WORK:-/var/tmp/escale-bench}
echo "Bleve $version with scripts/bleve-lazy-levenshtein.patch applied (not what escale ships); uptime: $(uptime)" >&2
GOFLAGS="${GOFLAGS:-} -modfile=$tmp/go.mod" \
	go run ./internal/tools/bench -work "$work" -extract 60 -rounds 30 -ingest "" -two-page 0 -search "" "$@"
