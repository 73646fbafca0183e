#!/usr/bin/env bash
# Install (with apt) everything netmon needs on Debian 12.  Idempotent and
# non-interactive; safe to run again.
#
#   tools/setup-deps.sh        build + run + test dependencies (default)
#   tools/setup-deps.sh run    only what building and running netmond needs
#
# Runs apt-get through sudo when not root.
set -euo pipefail

mode=${1:-all}

# Build and run: compiler, Autotools, the libraries configure checks for.
build_pkgs=(
	build-essential autoconf automake pkg-config
	libpcap-dev libmicrohttpd-dev libsqlite3-dev libcjson-dev libpcre2-dev libinih-dev check
)
# Tests and benchmark: the oracles (capinfos/mergecap/tshark/tcpdump),
# Python for the integration tests, GNU time for peak RSS, sqlite3 for
# poking at databases, the sanitizer runtimes, Chromium and Node.js for the
# dashboard's browser test.
test_pkgs=(
	tshark wireshark-common tcpdump python3 time sqlite3
	libasan8 libubsan1 chromium tcpreplay iproute2
)

case $mode in
run) pkgs=("${build_pkgs[@]}") ;;
all | test) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
*)
	echo "usage: $0 [run|all]" >&2
	exit 2
	;;
esac
# Node.js may come from elsewhere (e.g. nodesource); only add Debian's when
# there is none, since Debian's npm conflicts with other node packages.
if [ "$mode" != run ] && ! command -v node >/dev/null 2>&1; then
	pkgs+=(nodejs npm)
fi

sudo=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "setup-deps: run as root or install sudo" >&2
		exit 1
	}
	sudo=sudo
fi

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer "no" up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$sudo debconf-set-selections 2>/dev/null || true

$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${pkgs[@]}"
echo "setup-deps: ${#pkgs[@]} packages present (mode: $mode)"
