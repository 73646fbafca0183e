#!/bin/sh
# Runs tests/test_api.py (the API contract test) against the bundled sample
# capture and, when the corpus is present, a few Ethernet/IPv4 corpus
# captures (test_api.py compares an Ethernet/IPv4 frame).
# Exit: 0 pass, 1 fail, 77 skip (all skipped).
srcdir=${NETMON_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
netmond=${NETMOND:-./netmond}
corpus=${CORPUS:-$srcdir/../shared/captures/tcpdump-tests}

set -- "$srcdir/data/sample.pcap"
for f in dns_tcp.pcap dhcp-rfc3004.pcap vrrp.pcap; do
	[ -f "$corpus/$f" ] && set -- "$@" "$corpus/$f"
done

status=77
for pcap in "$@"; do
	echo "== test_api.py --pcap $pcap"
	python3 "$srcdir/tests/test_api.py" --netmond "$netmond" --pcap "$pcap"
	rc=$?
	case $rc in
	0) [ $status = 77 ] && status=0 ;;
	77) ;;
	*) status=1 ;;
	esac
done
exit $status
