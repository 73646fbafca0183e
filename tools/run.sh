#!/usr/bin/env bash
# Quick start: install what netmond needs, build it, and run it, serving the
# dashboard at http://127.0.0.1:8080.  It captures the default-route
# interface when it may (root or CAP_NET_RAW); otherwise it says so in one
# line and imports the bundled sample capture instead.
#
#   tools/run.sh [extra netmond options]
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

tools/setup-deps.sh run
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p build/run
cd build/run
[ -f Makefile ] || ../../configure -q
make -s -j"$(nproc)"
cd "$top"

iface=$(awk '$2 == "00000000" { print $1; exit }' /proc/net/route 2>/dev/null || true)
db=${NETMON_DB:-$top/netmon.db}
web=$top/web
if [ -n "$iface" ] && { [ "$(id -u)" = 0 ] || getcap build/run/netmond 2>/dev/null | grep -q cap_net_raw; }; then
	echo "netmond: capturing on $iface (the default-route interface)"
	exec build/run/netmond -i "$iface" --db "$db" --webdir "$web" "$@"
fi
why=${iface:+"no privilege to capture on $iface (run as root)"}
echo "netmond: ${why:-no default-route interface}; importing the bundled sample capture data/sample.pcap instead"
exec build/run/netmond -r data/sample.pcap --db "$db" --webdir "$web" "$@"
