/*
 * proto_modbus.c - Modbus/TCP (the MBAP header, "mbtcp") and the Modbus
 * PDU it carries ("modbus"), as two protocols the way tshark splits them.
 *
 * tshark accepts TCP port 502 payloads only when the header is sane
 * (protocol 0, a length of at least 2 that the segment holds), so the
 * handoff is a port-restricted content test.  Several ADUs in a segment
 * are decoded in turn.  Of the PDU, the common read/write requests and
 * responses and exceptions are decoded.
 */
#include <stdio.h>

#include "protos.h"

enum { F_TRANS_ID, F_PROT_ID, F_LEN, F_UNIT_ID, F_MBTCP_COUNT };

enum {
	F_FUNC_CODE,
	F_REFERENCE_NUM,
	F_WORD_CNT,
	F_BIT_CNT,
	F_BYTE_CNT,
	F_EXCEPTION_CODE,
	F_REGVAL_UINT16,
	F_DATA,
	F_MODBUS_COUNT
};

static const nm_vals functions[] = {
    {1, "Read Coils"},
    {2, "Read Discrete Inputs"},
    {3, "Read Holding Registers"},
    {4, "Read Input Registers"},
    {5, "Write Single Coil"},
    {6, "Write Single Register"},
    {7, "Read Exception Status"},
    {8, "Diagnostics"},
    {11, "Get Comm Event Counter"},
    {12, "Get Comm Event Log"},
    {15, "Write Multiple Coils"},
    {16, "Write Multiple Registers"},
    {17, "Report Slave ID"},
    {20, "Read File Record"},
    {21, "Write File Record"},
    {22, "Mask Write Register"},
    {23, "Read Write Register"},
    {24, "Read FIFO Queue"},
    {43, "Encapsulated Interface Transport"},
    {0, NULL},
};

static const nm_vals exceptions[] = {
    {1, "Illegal function"},
    {2, "Illegal data address"},
    {3, "Illegal data value"},
    {4, "Slave device failure"},
    {5, "Acknowledge"},
    {6, "Slave device busy"},
    {8, "Memory parity error"},
    {10, "Gateway path unavailable"},
    {11, "Gateway target device failed to respond"},
    {0, NULL},
};


static const nm_field mbtcp_fields[] = {
    [F_TRANS_ID] = NM_F_NUM("mbtcp.trans_id", "Transaction Identifier", NM_FT_UINT16, NM_BASE_DEC),
    [F_PROT_ID] = NM_F_NUM("mbtcp.prot_id", "Protocol Identifier", NM_FT_UINT16, NM_BASE_DEC),
    [F_LEN] = NM_F_NUM("mbtcp.len", "Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_UNIT_ID] = {"mbtcp.unit_id", "Unit Identifier", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
};

static const nm_field fields[] = {
    [F_FUNC_CODE] = {"modbus.func_code", "Function Code", NM_FT_UINT8, NM_BASE_DEC, functions, 0x7f, NULL},
    [F_REFERENCE_NUM] = NM_F_NUM("modbus.reference_num", "Reference Number", NM_FT_UINT16, NM_BASE_DEC),
    [F_WORD_CNT] = NM_F_NUM("modbus.word_cnt", "Word Count", NM_FT_UINT16, NM_BASE_DEC),
    [F_BIT_CNT] = NM_F_NUM("modbus.bit_cnt", "Bit Count", NM_FT_UINT16, NM_BASE_DEC),
    [F_BYTE_CNT] = {"modbus.byte_cnt", "Byte Count", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
    [F_EXCEPTION_CODE] = {"modbus.exception_code", "Exception Code", NM_FT_UINT8, NM_BASE_DEC, exceptions, 0, NULL},
    [F_REGVAL_UINT16] = NM_F_NUM("modbus.regval_uint16", "Register Value (UINT16)", NM_FT_UINT16, NM_BASE_DEC),
    [F_DATA] = {"modbus.data", "Data", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};

static void add16(nm_packet *pk, int t, nm_cursor *c, int f)
{
	uint32_t at = c->pos;
	uint16_t v = nm_cur_be16(c);
	if (!c->err)
		nm_add_uint(pk, t, &fields[f], at, 2, v);
}

static void add_data(nm_packet *pk, int t, nm_cursor *c, uint32_t n)
{
	uint32_t at = c->pos;
	const uint8_t *b = nm_cur_take(c, n);
	if (b && n)
		nm_add_bytes(pk, t, &fields[F_DATA], at, n, b);
}

/* The byte count and the register values (or raw bytes) that follow it. */
static void counted_values(nm_packet *pk, int t, nm_cursor *c, bool registers)
{
	uint32_t at = c->pos;
	uint8_t n = nm_cur_u8(c);
	if (c->err)
		return;
	nm_add_uint(pk, t, &fields[F_BYTE_CNT], at, 1, n);
	if (!registers) {
		add_data(pk, t, c, n < nm_cur_left(c) ? n : nm_cur_left(c));
		return;
	}
	for (uint32_t i = 0; i + 2 <= n && nm_cur_left(c) >= 2; i += 2)
		add16(pk, t, c, F_REGVAL_UINT16);
}

static void request(nm_packet *pk, int t, nm_cursor *c, uint8_t fc)
{
	if (fc >= 1 && fc <= 4) {
		add16(pk, t, c, F_REFERENCE_NUM);
		add16(pk, t, c, fc <= 2 ? F_BIT_CNT : F_WORD_CNT);
	} else if (fc == 5 || fc == 6) {
		add16(pk, t, c, F_REFERENCE_NUM);
		add_data(pk, t, c, 2);
	} else if (fc == 15 || fc == 16) {
		add16(pk, t, c, F_REFERENCE_NUM);
		add16(pk, t, c, fc == 15 ? F_BIT_CNT : F_WORD_CNT);
		counted_values(pk, t, c, fc == 16);
	}
}

static void response(nm_packet *pk, int t, nm_cursor *c, uint8_t fc)
{
	if (fc >= 1 && fc <= 4) {
		counted_values(pk, t, c, fc >= 3);
	} else if (fc == 5 || fc == 6) {
		add16(pk, t, c, F_REFERENCE_NUM);
		add_data(pk, t, c, 2);
	} else if (fc == 15 || fc == 16) {
		add16(pk, t, c, F_REFERENCE_NUM);
		add16(pk, t, c, fc == 15 ? F_BIT_CNT : F_WORD_CNT);
	}
}

static int dissect_modbus(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t at = c->pos;
	int t = nm_add_proto(pk, -1, &nm_proto_modbus, at, nm_cur_left(c));
	uint8_t fc = nm_cur_u8(c);
	if (c->err)
		return NM_MALFORMED;
	nm_add_uint(pk, t, &fields[F_FUNC_CODE], at, 1, fc);
	if (fc & 0x80) {
		uint32_t e = c->pos;
		uint8_t code = nm_cur_u8(c);
		if (!c->err)
			nm_add_uint(pk, t, &fields[F_EXCEPTION_CODE], e, 1, code);
	} else if (pk->flow.dport == 502) {
		request(pk, t, c, fc);
	} else {
		response(pk, t, c, fc);
	}
	nm_cur_skip(c, nm_cur_left(c));
	return NM_OK;
}

/* One ADU: the MBAP header and the PDU its length bounds. */
static int adu(nm_packet *pk, nm_cursor *c)
{
	uint32_t at = c->pos;
	uint16_t trans = nm_cur_be16(c), prot = nm_cur_be16(c), len = nm_cur_be16(c);
	uint8_t unit = nm_cur_u8(c);
	int t = nm_add_proto(pk, -1, &nm_proto_mbtcp, at, 6u + len);
	nm_add_uint(pk, t, &mbtcp_fields[F_TRANS_ID], at, 2, trans);
	nm_add_uint(pk, t, &mbtcp_fields[F_PROT_ID], at + 2, 2, prot);
	nm_add_uint(pk, t, &mbtcp_fields[F_LEN], at + 4, 2, len);
	nm_add_uint(pk, t, &mbtcp_fields[F_UNIT_ID], at + 6, 1, unit);
	bool ok;
	uint8_t fc = nm_cur_peek(c, 0, &ok);
	char fn[40];
	snprintf(fn, sizeof fn, "Unknown function (%u)", fc & 0x7fu);
	/* tshark rewrites Info for each ADU, so the last one shows */
	nm_set_info(pk, "%8s: Trans: %5u; Unit: %3u, Func: %3u: %s%s", pk->flow.dport == 502 ? "Query" : "Response",
	            trans, unit, fc & 0x7fu, nm_val_label(functions, fc & 0x7fu, fn),
	            fc & 0x80 ? ". Exception returned " : "");
	nm_cursor pdu = nm_cur_sub(c, len - 1u);
	int r = nm_call(&nm_proto_modbus, pk, &pdu, -1);
	pk->protocol = nm_proto_mbtcp.short_name;
	return r;
}

/* A whole, sane MBAP header at the cursor (what tshark checks on port 502). */
static bool header_ok(const nm_cursor *c)
{
	bool ok;
	uint8_t b[7];
	for (uint32_t i = 0; i < 7; i++)
		b[i] = nm_cur_peek(c, i, &ok);
	uint32_t len = (uint32_t)b[4] << 8 | b[5];
	return ok && b[2] == 0 && b[3] == 0 && len >= 2 && len <= 256 && nm_cur_has(c, 6 + len);
}

static int dissect_mbtcp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	int r = NM_OK;
	while (r == NM_OK && nm_cur_left(c) >= 8 && header_ok(c))
		r = adu(pk, c);
	return r;
}

static bool mbtcp_heur(const nm_packet *pk, const nm_cursor *c)
{
	return (pk->flow.sport == 502 || pk->flow.dport == 502) && header_ok(c);
}

static void init_mbtcp(void)
{
	nm_heur_add(NM_TAB_TCP_PORT, mbtcp_heur, &nm_proto_mbtcp);
}

nm_protocol nm_proto_mbtcp = {
    "mbtcp", "Modbus/TCP", "Modbus/TCP", mbtcp_fields, F_MBTCP_COUNT, dissect_mbtcp, init_mbtcp, 0,
};

nm_protocol nm_proto_modbus = {
    "modbus", "Modbus", "Modbus", fields, F_MODBUS_COUNT, dissect_modbus, NULL, 0,
};
