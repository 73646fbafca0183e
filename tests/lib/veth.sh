# veth.sh - sourced by the live tests and bench/replay_rate.sh:
#
#   veth_up NS HOST PEER || skip "..."
#
# makes network namespace NS and a veth pair, HOST here and PEER inside NS.
# Neither end gets an address or IPv6, so the kernel sends nothing on the
# link: every frame seen on HOST is one tcpreplay sent from PEER.  Returns
# non-zero, with the reason on stderr, when the namespace or the pair
# cannot be made (no root, no veth support).
veth_up() {
	ip netns add "$1" || { echo "cannot create a network namespace" >&2; return 1; }
	ip link add "$2" type veth peer name "$3" || { echo "cannot create a veth pair" >&2; return 1; }
	ip link set "$3" netns "$1"
	sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
	ip netns exec "$1" sysctl -qw "net.ipv6.conf.$3.disable_ipv6=1"
	ip link set "$2" up
	ip netns exec "$1" ip link set "$3" up
	sleep 0.5
}
