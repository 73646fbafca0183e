/*
 * proto_llc.c - IEEE 802.2 Logical-Link Control and SNAP.
 *
 * LLC follows an 802.3 length (or a VLAN length, or SLL's 802.2 type).  Its
 * control field is one byte for U frames and two (little-endian, as
 * Wireshark reads it) for I and S frames.  DSAP = SSAP = 0xAA with a UI
 * control is SNAP: a 3-byte OUI and a 2-byte protocol id.  OUI 00-00-00
 * (RFC 1042) and 00-00-F8 (802.1H) carry an ethertype, handed off through
 * the ethertype table like Ethernet II.
 */
#include <stdio.h>

#include "protos.h"

enum {
	F_DSAP,
	F_DSAP_SAP,
	F_DSAP_IG,
	F_SSAP,
	F_SSAP_SAP,
	F_SSAP_CR,
	F_CONTROL,
	F_N_R,
	F_N_S,
	F_P,
	F_F,
	F_S_FTYPE,
	F_U_CMD,
	F_U_RESP,
	F_FTYPE,
	F_FTYPE_I,
	F_TYPE,
	F_OUI,
	F_PID,
	F_CISCO_PID,
	F_COUNT
};

static const nm_vals sap_vals[] = {
	{0x00, "NULL LSAP"},
	{0x02, "LLC Sub-Layer Management Individual"},
	{0x03, "LLC Sub-Layer Management Group"},
	{0x04, "SNA Path Control Individual"},
	{0x05, "SNA Path Control Group"},
	{0x06, "TCP/IP"},
	{0x08, "SNA"},
	{0x0c, "SNA"},
	{0x0e, "PROWAY (IEC955) Network Management and Initialization"},
	{0x10, "NetWare (unofficial?)"},
	{0x18, "Texas Instruments"},
	{0x42, "Spanning Tree BPDU"},
	{0x4e, "EIA RS-511 Manufacturing Message Service"},
	{0x7e, "ISO 8208 (X.25 over 802.2)"},
	{0x80, "XNS"},
	{0x86, "Nestar"},
	{0x8e, "PROWAY (IEC 955) Active Station List Maintenance"},
	{0x98, "ARP"},
	{0xaa, "SNAP"},
	{0xba, "Banyan VINES"},
	{0xbc, "Banyan VINES"},
	{0xe0, "NetWare"},
	{0xf0, "NetBIOS"},
	{0xf4, "IBM Net Management"},
	{0xf8, "HP Extended LLC"},
	{0xfa, "Ungermann-Bass"},
	{0xfc, "Remote Program Load"},
	{0xfe, "ISO Network Layer"},
	{0xff, "Global LSAP"},
	{0, NULL},
};

static const nm_vals u_cmd_vals[] = {
	{0x00, "Unnumbered Information"}, {0x20, "Unnumbered Poll"},
	{0x04, "Request Initialization"}, {0x0c, "Set Normal Response Mode"},
	{0x40, "Disconnect"},             {0x6c, "Set Asynchronous Balanced Mode Extended"},
	{0x80, "Set Asynchronous Response Mode"}, {0xac, "Exchange Identification"},
	{0xe0, "Test"},                   {0, NULL},
};

static const nm_vals u_resp_vals[] = {
	{0x00, "Unnumbered Information"}, {0x04, "Request Initialization"},
	{0x0c, "Disconnected Mode"},      {0x40, "Request Disconnect"},
	{0x60, "Unnumbered Acknowledge"}, {0x84, "Frame Reject"},
	{0xac, "Exchange Identification"}, {0xe0, "Test"},
	{0, NULL},
};

/* Short names for the Info column, by modifier bits (mask 0xec). */
static const nm_vals u_cmd_abbr[] = {
	{0x00, "UI"},  {0x20, "UP"},   {0x04, "RIM"},  {0x0c, "SNRM"}, {0x40, "DISC"},
	{0x6c, "SABME"}, {0x80, "SARM"}, {0xac, "XID"}, {0xe0, "TEST"}, {0, NULL},
};

static const nm_vals u_resp_abbr[] = {
	{0x00, "UI"}, {0x04, "RIM"}, {0x0c, "DM"}, {0x40, "RD"},
	{0x60, "UA"}, {0x84, "FRMR"}, {0xac, "XID"}, {0xe0, "TEST"}, {0, NULL},
};

static const nm_vals s_ftype_vals[] = {
	{0x00, "Receiver ready"}, {0x04, "Receiver not ready"}, {0x08, "Reject"}, {0x0c, "Selective reject"}, {0, NULL},
};

static const nm_vals s_abbr[] = {
	{0x00, "RR"}, {0x04, "RNR"}, {0x08, "REJ"}, {0x0c, "SREJ"}, {0, NULL},
};

static const nm_vals oui_vals[] = {
	{0x000000, "Encapsulated Ethernet"},
	{0x0000f8, "Cisco 90-Compatible"},
	{0x00000c, "Cisco Systems, Inc"},
	{0x0080c2, "IEEE 802.1 Working Group"},
	{0x080007, "Apple Computer"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_DSAP] = {"llc.dsap", "DSAP", NM_FT_UINT8, NM_BASE_HEX, sap_vals, 0, "Destination Service Access Point"},
	[F_DSAP_SAP] = {"llc.dsap.sap", "SAP", NM_FT_UINT8, NM_BASE_DEC, NULL, 0xfe, "Service Access Point"},
	[F_DSAP_IG] = {"llc.dsap.ig", "IG Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x01, "Individual/Group"},
	[F_SSAP] = {"llc.ssap", "SSAP", NM_FT_UINT8, NM_BASE_HEX, sap_vals, 0, "Source Service Access Point"},
	[F_SSAP_SAP] = {"llc.ssap.sap", "SAP", NM_FT_UINT8, NM_BASE_DEC, NULL, 0xfe, "Service Access Point"},
	[F_SSAP_CR] = {"llc.ssap.cr", "CR Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x01, "Command/Response"},
	[F_CONTROL] = {"llc.control", "Control", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_N_R] = {"llc.control.n_r", "N(R)", NM_FT_UINT16, NM_BASE_DEC, NULL, 0xfe00, NULL},
	[F_N_S] = {"llc.control.n_s", "N(S)", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x00fe, NULL},
	[F_P] = {"llc.control.p", "Poll", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x10, NULL},
	[F_F] = {"llc.control.f", "Final", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x10, NULL},
	[F_S_FTYPE] = {"llc.control.s_ftype", "Supervisory frame type", NM_FT_UINT16, NM_BASE_HEX, s_ftype_vals,
		       0x0c, NULL},
	[F_U_CMD] = {"llc.control.u_modifier_cmd", "Command", NM_FT_UINT8, NM_BASE_HEX, u_cmd_vals, 0xec, NULL},
	[F_U_RESP] = {"llc.control.u_modifier_resp", "Response", NM_FT_UINT8, NM_BASE_HEX, u_resp_vals, 0xec, NULL},
	/* Wireshark registers this name twice, as we do: an 8-bit field for
	 * S/U frames and a 16-bit one for I frames (so 0x03 vs 0x0000). */
	[F_FTYPE] = {"llc.control.ftype", "Frame type", NM_FT_UINT8, NM_BASE_HEX, NULL, 0x03, NULL},
	[F_FTYPE_I] = {"llc.control.ftype", "Frame type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0x01, NULL},
	[F_TYPE] = {"llc.type", "Type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	/* BASE_OUI: tshark -T fields prints the number in decimal. */
	[F_OUI] = {"llc.oui", "Organization Code", NM_FT_UINT24, NM_BASE_DEC, oui_vals, 0, NULL},
	[F_PID] = {"llc.pid", "Protocol ID", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_CISCO_PID] = {"llc.cisco_pid", "PID", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
};

static void add_sap(nm_packet *pk, int t, int f, int sap, int bit, uint32_t off, uint8_t v)
{
	int n = nm_add_uint(pk, t, &fields[f], off, 1, v);
	nm_add_uint(pk, n, &fields[sap], off, 1, v);
	nm_add_bool(pk, n, &fields[bit], off, 1, v);
}

/* The control field; returns its length (1 or 2), 0 when truncated. */
static uint32_t dissect_control(nm_packet *pk, nm_cursor *c, int t, bool response)
{
	bool ok;
	uint32_t off = c->pos;
	uint8_t b0 = nm_cur_peek(c, 0, &ok);
	if (!ok)
		return 0;
	if ((b0 & 3) == 3) { /* U frame: one byte */
		nm_cur_skip(c, 1);
		uint8_t mod = b0 & 0xec;
		const char *abbr = nm_val_label(response ? u_resp_abbr : u_cmd_abbr, mod, "Unknown");
		nm_set_info(pk, "U%s, func=%s", b0 & 0x10 ? (response ? " F" : " P") : "", abbr);
		int n = nm_add_uint(pk, t, &fields[F_CONTROL], off, 1, b0);
		if (b0 & 0x10)
			nm_add_bool(pk, n, &fields[response ? F_F : F_P], off, 1, b0);
		nm_add_uint(pk, n, &fields[response ? F_U_RESP : F_U_CMD], off, 1, b0);
		nm_add_uint(pk, n, &fields[F_FTYPE], off, 1, b0);
		return 1;
	}
	uint16_t ctl = nm_cur_le16(c);
	if (c->err)
		return 0;
	int n = nm_add_uint(pk, t, &fields[F_CONTROL], off, 2, ctl);
	nm_add_uint(pk, n, &fields[F_N_R], off, 2, ctl);
	if (b0 & 1) { /* S frame */
		nm_set_info(pk, "S, func=%s, N(R)=%u", nm_val_label(s_abbr, ctl & 0x0c, "Unknown"), ctl >> 9);
		nm_add_uint(pk, n, &fields[F_S_FTYPE], off, 2, ctl);
	} else {
		nm_set_info(pk, "I, N(R)=%u, N(S)=%u", ctl >> 9, (ctl >> 1) & 0x7f);
		nm_add_uint(pk, n, &fields[F_N_S], off, 2, ctl);
	}
	if (b0 & 1)
		nm_add_uint(pk, n, &fields[F_FTYPE], off, 1, b0);
	else
		nm_add_uint(pk, n, &fields[F_FTYPE_I], off, 2, ctl);
	return 2;
}

static int dissect_snap(nm_packet *pk, nm_cursor *c, int t)
{
	uint32_t off = c->pos;
	uint32_t oui = nm_cur_be24(c);
	uint16_t pid = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	nm_append_info(pk, "; SNAP, OUI 0x%06X (%s), PID 0x%04X", oui, nm_val_label(oui_vals, oui, "Unknown"),
		       pid);
	nm_add_uint(pk, t, &fields[F_OUI], off, 3, oui);
	if (oui == 0x000000 || oui == 0x0000f8) {
		nm_add_uint(pk, t, &fields[F_TYPE], off + 3, 2, pid);
		return nm_eth_handoff(pk, c, pid);
	}
	nm_add_uint(pk, t, &fields[oui == 0x00000c ? F_CISCO_PID : F_PID], off + 3, 2, pid);
	return nm_call_data(pk, c, -1);
}

static void sap_info(nm_packet *pk, uint8_t dsap, uint8_t ssap)
{
	char d[8], s[8];
	snprintf(d, sizeof d, "0x%02x", dsap & 0xfe);
	snprintf(s, sizeof s, "0x%02x", ssap & 0xfe);
	nm_append_info(pk, "; DSAP %s %s, SSAP %s %s", nm_val_label(sap_vals, dsap & 0xfe, d),
		       dsap & 1 ? "Group" : "Individual", nm_val_label(sap_vals, ssap & 0xfe, s),
		       ssap & 1 ? "Response" : "Command");
}

static int dissect_llc(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	uint8_t dsap = nm_cur_u8(c);
	uint8_t ssap = nm_cur_u8(c);
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_llc, start, nm_cur_left(c) + 2);
	add_sap(pk, t, F_DSAP, F_DSAP_SAP, F_DSAP_IG, start, dsap);
	add_sap(pk, t, F_SSAP, F_SSAP_SAP, F_SSAP_CR, start + 1, ssap);
	bool u_frame = false;
	bool ok;
	uint8_t b0 = nm_cur_peek(c, 0, &ok);
	if (ok)
		u_frame = (b0 & 3) == 3;
	if (dissect_control(pk, c, t, ssap & 1) == 0)
		return NM_TRUNCATED;
	if (dsap == 0xaa && ssap == 0xaa && u_frame && (b0 & 0xec) == 0)
		return dissect_snap(pk, c, t);
	sap_info(pk, dsap, ssap);
	if (dsap == 0x06 && ssap == 0x06) {
		const nm_protocol *ip = nm_handoff_find(NM_TAB_ETHERTYPE, 0x0800);
		if (ip)
			return nm_call(ip, pk, c, -1);
	}
	return nm_call_data(pk, c, -1);
}

nm_protocol nm_proto_llc = {
	"llc", "LLC", "Logical-Link Control", fields, F_COUNT, dissect_llc, NULL, 0,
};
