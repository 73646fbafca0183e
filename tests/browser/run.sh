#!/usr/bin/env bash
# Run the dashboard's browser test against a build of netmond.
#
#   tests/browser/run.sh [BUILD_DIR]      (default: the current directory)
#
# The capture is every well-formed Ethernet pcap of the corpus
# (../shared/captures/tcpdump-tests from the repo root, or $CORPUS) merged
# into one file, as make bench seeds its big capture.  Installs
# playwright-core with `npm ci` when node_modules is missing.  Set
# BIGDB=FILE (a database of ~1M frames, built with
# `netmond -r BIG --no-http --db FILE`) to measure first paint and page
# latency too.  Exit status: 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-.}" && pwd)
corpus=${CORPUS:-$top/../shared/captures/tcpdump-tests}
netmond=$build/netmond

[ -x "$netmond" ] || { echo "run.sh: $netmond not found (build first)"; exit 1; }
[ -d "$corpus" ] || { echo "SKIP: corpus not found: $corpus"; exit 77; }
for t in node mergecap capinfos; do
	command -v "$t" >/dev/null || { echo "SKIP: $t not installed (tools/setup-deps.sh)"; exit 77; }
done
if [ ! -d "$here/node_modules/playwright-core" ]; then
	command -v npm >/dev/null || { echo "SKIP: npm not installed"; exit 77; }
	(cd "$here" && npm ci --no-audit --no-fund --silent) || { echo "SKIP: npm ci failed"; exit 77; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=()
while IFS=$'\t' read -r f enc; do
	case $f in *oobr* | *asan* | *overflow* | *crash* | *segv* | *cve* | *invalid* | *loop* | *fault* | *malformed*) continue ;; esac
	[ "$enc" = "ether" ] && list+=("$corpus/$f")
done < <(cd "$corpus" && capinfos -T -M -E -r -- *.pcap 2>/dev/null)
[ ${#list[@]} -gt 0 ] || { echo "SKIP: no Ethernet pcaps in $corpus"; exit 77; }
mergecap -F pcap -a -w "$work/seed.pcap" "${list[@]}"

args=(--netmond "$netmond" --pcap "$work/seed.pcap" --webdir "$top/web")
[ -n "${BIGDB:-}" ] && args+=(--bigdb "$BIGDB")
node "$here/dashboard.test.mjs" "${args[@]}"
