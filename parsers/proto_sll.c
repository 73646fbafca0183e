/*
 * proto_sll.c - Linux "cooked" capture headers, v1 (LINKTYPE_LINUX_SLL,
 * 113) and v2 (LINKTYPE_LINUX_SLL2, 276).
 *
 * Both carry a packet type, an ARPHRD_ hardware type, a link-layer source
 * address in an 8-byte slot and a protocol word; v2 reorders them and adds
 * the interface index.  The protocol word means different things by
 * hardware type, as in Wireshark: a GRE protocol type on ARPHRD_IPGRE, a
 * Linux ETH_P_ value when it is 1500 or less, an ethertype otherwise.  One
 * protocol ("sll" in tshark) serves both versions, chosen by link type.
 */
#include "protos.h"

enum {
	F_PKTTYPE,
	F_HATYPE,
	F_HALEN,
	F_SRC_ETH,
	F_SRC_IPV4,
	F_SRC_OTHER,
	F_UNUSED,
	F_LTYPE,
	F_GRETYPE,
	F_ETYPE,
	F_TRAILER,
	F_IFINDEX,
	F_COUNT
};

enum { ARPHRD_ETHER = 1, ARPHRD_IEEE802 = 6, ARPHRD_LOOPBACK = 772, ARPHRD_IPGRE = 778 };
enum { SLL_P_802_2 = 0x0004 };

static const nm_vals pkttype_vals[] = {
	{0, "Unicast to us"},
	{1, "Broadcast"},
	{2, "Multicast"},
	{3, "Unicast to another host"},
	{4, "Sent by us"},
	{0, NULL},
};

static const nm_vals ltype_vals[] = {
	{0x0001, "Raw 802.3"}, {0x0002, "AX.25"}, {0x0003, "All"},
	{0x0004, "802.2 LLC"}, {0x000c, "CAN"},   {0x000d, "CAN FD"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_PKTTYPE] = {"sll.pkttype", "Packet type", NM_FT_UINT16, NM_BASE_DEC, pkttype_vals, 0, NULL},
	[F_HATYPE] = {"sll.hatype", "Link-layer address type", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_HALEN] = {"sll.halen", "Link-layer address length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_SRC_ETH] = {"sll.src.eth", "Source", NM_FT_ETHER, NM_BASE_NONE, NULL, 0, "Source link-layer address"},
	[F_SRC_IPV4] = {"sll.src.ipv4", "Source", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, "Source link-layer address"},
	[F_SRC_OTHER] = {"sll.src.other", "Source", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, "Source link-layer address"},
	[F_UNUSED] = {"sll.unused", "Unused", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, "Unused bytes"},
	[F_LTYPE] = {"sll.ltype", "Protocol", NM_FT_UINT16, NM_BASE_HEX, ltype_vals, 0, "Linux protocol type"},
	[F_GRETYPE] = {"sll.gretype", "Protocol", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, "GRE protocol type"},
	[F_ETYPE] = {"sll.etype", "Protocol", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, "Ethernet protocol type"},
	[F_TRAILER] = {"sll.trailer", "Trailer", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_IFINDEX] = {"sll.ifindex", "Interface index", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
};

/* The header fields both versions share, gathered before they are shown. */
typedef struct sll_hdr {
	uint16_t pkttype, hatype, halen, proto;
	uint32_t pkttype_off, hatype_off, halen_off, addr_off, proto_off;
	uint32_t pkttype_len, halen_len;
	const uint8_t *addr; /* 8 bytes */
} sll_hdr;

static void add_address(nm_packet *pk, int t, const sll_hdr *h)
{
	uint32_t n = h->halen < 8 ? h->halen : 8;
	bool eth = (h->hatype == ARPHRD_ETHER || h->hatype == ARPHRD_IEEE802 || h->hatype == ARPHRD_LOOPBACK) &&
		   n == 6;
	char s[NM_SUMMARY_ADDR];
	if (eth) {
		nm_add_ether(pk, t, &fields[F_SRC_ETH], h->addr_off, h->addr);
		nm_fmt_ether(s, sizeof s, h->addr);
		nm_set_src_dst(pk, s, "");
	} else if (h->hatype == ARPHRD_IPGRE && n == 4) {
		nm_add_ipv4(pk, t, &fields[F_SRC_IPV4], h->addr_off, h->addr);
		nm_fmt_ipv4(s, sizeof s, h->addr);
		nm_set_src_dst(pk, s, "");
	} else if (n > 0) {
		nm_add_bytes(pk, t, &fields[F_SRC_OTHER], h->addr_off, n, h->addr);
	}
	if (n < 8)
		nm_add_bytes(pk, t, &fields[F_UNUSED], h->addr_off + n, 8 - n, h->addr + n);
}

static int dispatch(nm_packet *pk, nm_cursor *c, int t, const sll_hdr *h)
{
	if (h->hatype == ARPHRD_IPGRE) {
		/* A GRE protocol type: Wireshark dispatches it through GRE's
		 * table, so no "ethertype" step appears in frame.protocols. */
		nm_add_uint(pk, t, &fields[F_GRETYPE], h->proto_off, 2, h->proto);
		int r = NM_OK;
		if (!nm_call_table(NM_TAB_ETHERTYPE, h->proto, pk, c, -1, &r))
			r = nm_call_data(pk, c, -1);
		return r;
	}
	if (h->proto <= 1500) {
		nm_add_uint(pk, t, &fields[F_LTYPE], h->proto_off, 2, h->proto);
		if (h->proto == SLL_P_802_2)
			return nm_call(&nm_proto_llc, pk, c, -1);
		return nm_call_data(pk, c, -1);
	}
	nm_add_uint(pk, t, &fields[F_ETYPE], h->proto_off, 2, h->proto);
	return nm_eth_payload(pk, c, h->proto, t, &fields[F_TRAILER]);
}

static void add_common(nm_packet *pk, int t, const sll_hdr *h)
{
	nm_add_uint(pk, t, &fields[F_PKTTYPE], h->pkttype_off, h->pkttype_len, h->pkttype);
	nm_add_uint(pk, t, &fields[F_HATYPE], h->hatype_off, 2, h->hatype);
	nm_add_uint(pk, t, &fields[F_HALEN], h->halen_off, h->halen_len, h->halen);
	add_address(pk, t, h);
}

static int dissect_v1(nm_packet *pk, nm_cursor *c)
{
	uint32_t s = c->pos;
	sll_hdr h = {.pkttype_off = s, .hatype_off = s + 2, .halen_off = s + 4, .addr_off = s + 6,
		     .proto_off = s + 14, .pkttype_len = 2, .halen_len = 2};
	h.pkttype = nm_cur_be16(c);
	h.hatype = nm_cur_be16(c);
	h.halen = nm_cur_be16(c);
	h.addr = nm_cur_take(c, 8);
	h.proto = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_sll, s, 16);
	add_common(pk, t, &h);
	return dispatch(pk, c, t, &h);
}

static int dissect_v2(nm_packet *pk, nm_cursor *c)
{
	uint32_t s = c->pos;
	sll_hdr h = {.proto_off = s, .hatype_off = s + 8, .pkttype_off = s + 10, .halen_off = s + 11,
		     .addr_off = s + 12, .pkttype_len = 1, .halen_len = 1};
	h.proto = nm_cur_be16(c);
	nm_cur_skip(c, 2); /* reserved */
	uint32_t ifindex = nm_cur_be32(c);
	h.hatype = nm_cur_be16(c);
	h.pkttype = nm_cur_u8(c);
	h.halen = nm_cur_u8(c);
	h.addr = nm_cur_take(c, 8);
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_sll, s, 20);
	nm_add_uint(pk, t, &fields[F_IFINDEX], s + 4, 4, ifindex);
	add_common(pk, t, &h);
	return dispatch(pk, c, t, &h);
}

static int dissect_sll(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	return pk->linktype == 276 ? dissect_v2(pk, c) : dissect_v1(pk, c);
}

static void init_sll(void)
{
	nm_handoff_add(NM_TAB_LINKTYPE, 113, &nm_proto_sll); /* LINKTYPE_LINUX_SLL */
	nm_handoff_add(NM_TAB_LINKTYPE, 276, &nm_proto_sll); /* LINKTYPE_LINUX_SLL2 */
}

nm_protocol nm_proto_sll = {
	"sll", "SLL", "Linux cooked capture", fields, F_COUNT, dissect_sll, init_sll, 0,
};
