/*
 * proto_sctp.c - Stream Control Transmission Protocol (RFC 9260), IP
 * protocol 132: the common header and the chunk list.
 *
 * Chunks are walked by their length fields, each padded to 4 bytes; a
 * chunk length below 4 or past the packet ends the walk (malformed), so
 * the loop always advances.  DATA, INIT/INIT_ACK and SACK get their fixed
 * fields; DATA payload goes to "data".  Wireshark's sctp.data_tsn is
 * relative to the association's first TSN, which needs per-association
 * state; we give the wire value under its absolute name (data_tsn_raw),
 * and the Info line shows it too (tshark's shows the relative one).  The
 * CRC32c checksum is not verified (status 2, as tshark's default).
 */
#include <stdio.h>

#include "protos.h"

enum {
	F_SRCPORT, F_DSTPORT, F_PORT, F_VTAG, F_CHECKSUM, F_CHECKSUM_STATUS, F_CHUNK_TYPE, F_CHUNK_FLAGS,
	F_CHUNK_LENGTH, F_CHUNK_PADDING, F_DATA_E, F_DATA_B, F_DATA_U, F_DATA_I, F_DATA_TSN, F_DATA_SID,
	F_DATA_SSN, F_DATA_PPID, F_INIT_TAG, F_INIT_CREDIT, F_INIT_OUT, F_INIT_IN, F_INIT_TSN, F_INITACK_TAG,
	F_INITACK_CREDIT, F_INITACK_OUT, F_INITACK_IN, F_INITACK_TSN, F_SACK_ACK,
	F_SACK_RWND, F_SACK_GAPS, F_SACK_DUPS, F_COUNT
};

static const nm_vals chunk_vals[] = {
	{0, "DATA"},	      {1, "INIT"},	     {2, "INIT_ACK"},	   {3, "SACK"},
	{4, "HEARTBEAT"},     {5, "HEARTBEAT_ACK"},  {6, "ABORT"},	   {7, "SHUTDOWN"},
	{8, "SHUTDOWN_ACK"},  {9, "ERROR"},	     {10, "COOKIE_ECHO"},  {11, "COOKIE_ACK"},
	{12, "ECNE"},	      {13, "CWR"},	     {14, "SHUTDOWN_COMPLETE"}, {15, "AUTH"},
	{64, "I_DATA"},	      {128, "ASCONF_ACK"},   {130, "RE_CONFIG"},   {132, "PAD"},
	{192, "FORWARD_TSN"}, {193, "ASCONF"},	     {194, "I_FORWARD_TSN"}, {0, NULL},
};

static const nm_vals status_vals[] = {{0, "Bad"}, {1, "Good"}, {2, "Unverified"}, {0, NULL}};

static const nm_field fields[] = {
	[F_SRCPORT] = {"sctp.srcport", "Source port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_DSTPORT] = {"sctp.dstport", "Destination port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_PORT] = {"sctp.port", "Port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_VTAG] = {"sctp.verification_tag", "Verification tag", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
	[F_CHECKSUM] = {"sctp.checksum", "Checksum", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
	[F_CHECKSUM_STATUS] = {"sctp.checksum.status", "Checksum Status", NM_FT_UINT8, NM_BASE_NONE, status_vals,
			       0, NULL},
	[F_CHUNK_TYPE] = {"sctp.chunk_type", "Chunk type", NM_FT_UINT8, NM_BASE_DEC, chunk_vals, 0, NULL},
	[F_CHUNK_FLAGS] = {"sctp.chunk_flags", "Chunk flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
	[F_CHUNK_LENGTH] = {"sctp.chunk_length", "Chunk length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_CHUNK_PADDING] = {"sctp.chunk_padding", "Chunk padding", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_DATA_E] = {"sctp.data_e_bit", "E-Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x1, NULL},
	[F_DATA_B] = {"sctp.data_b_bit", "B-Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x2, NULL},
	[F_DATA_U] = {"sctp.data_u_bit", "U-Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x4, NULL},
	[F_DATA_I] = {"sctp.data_i_bit", "I-Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x8, NULL},
	[F_DATA_TSN] = {"sctp.data_tsn_raw", "Transmission sequence number (absolute)", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_DATA_SID] = {"sctp.data_sid", "Stream identifier", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_DATA_SSN] = {"sctp.data_ssn", "Stream sequence number", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_DATA_PPID] = {"sctp.data_payload_proto_id", "Payload protocol identifier", NM_FT_UINT32, NM_BASE_DEC,
			 NULL, 0, NULL},
	[F_INIT_TAG] = {"sctp.init_initiate_tag", "Initiate tag", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
	[F_INIT_CREDIT] = {"sctp.init_credit", "Advertised receiver window credit (a_rwnd)", NM_FT_UINT32,
			   NM_BASE_DEC, NULL, 0, NULL},
	[F_INIT_OUT] = {"sctp.init_nr_out_streams", "Number of outbound streams", NM_FT_UINT16, NM_BASE_DEC, NULL,
			0, NULL},
	[F_INIT_IN] = {"sctp.init_nr_in_streams", "Number of inbound streams", NM_FT_UINT16, NM_BASE_DEC, NULL, 0,
		       NULL},
	[F_INIT_TSN] = {"sctp.init_initial_tsn", "Initial TSN", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_INITACK_TAG] = {"sctp.initack_initiate_tag", "Initiate tag", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
	[F_INITACK_CREDIT] = {"sctp.initack_credit", "Advertised receiver window credit (a_rwnd)", NM_FT_UINT32,
			      NM_BASE_DEC, NULL, 0, NULL},
	[F_INITACK_OUT] = {"sctp.initack_nr_out_streams", "Number of outbound streams", NM_FT_UINT16, NM_BASE_DEC,
			   NULL, 0, NULL},
	[F_INITACK_IN] = {"sctp.initack_nr_in_streams", "Number of inbound streams", NM_FT_UINT16, NM_BASE_DEC,
			  NULL, 0, NULL},
	[F_INITACK_TSN] = {"sctp.initack_initial_tsn", "Initial TSN", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_SACK_ACK] = {"sctp.sack_cumulative_tsn_ack_raw", "Cumulative TSN ACK (absolute)", NM_FT_UINT32, NM_BASE_DEC, NULL, 0,
			NULL},
	[F_SACK_RWND] = {"sctp.sack_a_rwnd", "Advertised receiver window credit (a_rwnd)", NM_FT_UINT32,
			 NM_BASE_DEC, NULL, 0, NULL},
	[F_SACK_GAPS] = {"sctp.sack_number_of_gap_blocks", "Number of gap acknowledgement blocks", NM_FT_UINT16,
			 NM_BASE_DEC, NULL, 0, NULL},
	[F_SACK_DUPS] = {"sctp.sack_number_of_duplicated_tsns", "Number of duplicated TSNs", NM_FT_UINT16,
			 NM_BASE_DEC, NULL, 0, NULL},
};

static void chunk_data(nm_packet *pk, int t, nm_cursor *v, uint8_t flags, uint32_t at)
{
	uint32_t tsn = nm_cur_be32(v);
	uint16_t sid = nm_cur_be16(v), ssn = nm_cur_be16(v);
	uint32_t ppid = nm_cur_be32(v);
	if (v->err)
		return;
	static const int bits[] = {F_DATA_I, F_DATA_U, F_DATA_B, F_DATA_E};
	for (int i = 0; i < 4; i++)
		nm_add_bool(pk, t, &fields[bits[i]], at + 1, 1, flags);
	nm_add_uint(pk, t, &fields[F_DATA_TSN], at + 4, 4, tsn);
	nm_add_uint(pk, t, &fields[F_DATA_SID], at + 8, 2, sid);
	nm_add_uint(pk, t, &fields[F_DATA_SSN], at + 10, 2, ssn);
	nm_add_uint(pk, t, &fields[F_DATA_PPID], at + 12, 4, ppid);
	nm_append_info(pk, "(TSN=%u) ", tsn);
	if (nm_cur_left(v))
		nm_call_data(pk, v, -1);
}

/* INIT and INIT_ACK share a layout; `f` is the first of five fields. */
static void chunk_init(nm_packet *pk, int t, nm_cursor *v, uint32_t at, int f)
{
	uint32_t tag = nm_cur_be32(v), credit = nm_cur_be32(v);
	uint16_t out = nm_cur_be16(v), in = nm_cur_be16(v);
	uint32_t tsn = nm_cur_be32(v);
	if (v->err)
		return;
	nm_add_uint(pk, t, &fields[f], at + 4, 4, tag);
	nm_add_uint(pk, t, &fields[f + 1], at + 8, 4, credit);
	nm_add_uint(pk, t, &fields[f + 2], at + 12, 2, out);
	nm_add_uint(pk, t, &fields[f + 3], at + 14, 2, in);
	nm_add_uint(pk, t, &fields[f + 4], at + 16, 4, tsn);
}

static void chunk_sack(nm_packet *pk, int t, nm_cursor *v, uint32_t at)
{
	uint32_t ack = nm_cur_be32(v), rwnd = nm_cur_be32(v);
	uint16_t gaps = nm_cur_be16(v), dups = nm_cur_be16(v);
	if (v->err)
		return;
	nm_add_uint(pk, t, &fields[F_SACK_ACK], at + 4, 4, ack);
	nm_add_uint(pk, t, &fields[F_SACK_RWND], at + 8, 4, rwnd);
	nm_add_uint(pk, t, &fields[F_SACK_GAPS], at + 12, 2, gaps);
	nm_add_uint(pk, t, &fields[F_SACK_DUPS], at + 14, 2, dups);
	nm_append_info(pk, "(Ack=%u, Arwnd=%u) ", ack, rwnd);
}

/* One chunk; false when its length is impossible. */
static bool dissect_chunk(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t at = c->pos;
	uint8_t type = nm_cur_u8(c), flags = nm_cur_u8(c);
	uint16_t len = nm_cur_be16(c);
	if (c->err || len < 4)
		return false;
	const char *name = nm_val_label(chunk_vals, type, "UNKNOWN");
	int k = nm_add_text(pk, t, at, len, "%s chunk", name);
	nm_add_uint(pk, k, &fields[F_CHUNK_TYPE], at, 1, type);
	nm_add_uint(pk, k, &fields[F_CHUNK_FLAGS], at + 1, 1, flags);
	nm_add_uint(pk, k, &fields[F_CHUNK_LENGTH], at + 2, 2, len);
	nm_append_info(pk, "%s ", name);
	bool fits = nm_cur_has(c, len - 4u);
	nm_cursor v = nm_cur_sub(c, len - 4u);
	if (type == 0)
		chunk_data(pk, k, &v, flags, at);
	else if (type == 1 || type == 2)
		chunk_init(pk, k, &v, at, type == 1 ? F_INIT_TAG : F_INITACK_TAG);
	else if (type == 3)
		chunk_sack(pk, k, &v, at);
	uint32_t pad = (4 - len % 4) % 4;
	if (pad && nm_cur_has(c, pad)) {
		nm_add_bytes(pk, k, &fields[F_CHUNK_PADDING], c->pos, pad, c->data + c->pos);
		nm_cur_skip(c, pad);
	}
	return fits;
}

static int dissect_sctp(nm_packet *pk, nm_cursor *c, int parent)
{
	uint32_t s = c->pos;
	uint16_t sport = nm_cur_be16(c), dport = nm_cur_be16(c);
	uint32_t vtag = nm_cur_be32(c), sum = nm_cur_be32(c);
	int t = nm_add_proto(pk, parent, &nm_proto_sctp, s, nm_cur_left(c) + (c->pos - s));
	if (c->err)
		return NM_TRUNCATED;
	pk->flow.sport = sport;
	pk->flow.dport = dport;
	nm_set_info(pk, "%s", "");
	nm_add_uint(pk, t, &fields[F_SRCPORT], s, 2, sport);
	nm_add_uint(pk, t, &fields[F_DSTPORT], s + 2, 2, dport);
	nm_add_uint(pk, t, &fields[F_VTAG], s + 4, 4, vtag);
	nm_hide(pk, nm_add_uint(pk, t, &fields[F_PORT], s, 2, sport));
	nm_hide(pk, nm_add_uint(pk, t, &fields[F_PORT], s + 2, 2, dport));
	nm_add_uint(pk, t, &fields[F_CHECKSUM], s + 8, 4, sum);
	nm_add_uint(pk, t, &fields[F_CHECKSUM_STATUS], s + 8, 0, 2);
	while (nm_cur_left(c))
		if (!dissect_chunk(pk, t, c))
			return c->err || pk->caplen < pk->wirelen ? NM_TRUNCATED : NM_MALFORMED;
	return NM_OK;
}

static void init_sctp(void)
{
	nm_handoff_add(NM_TAB_IP_PROTO, 132, &nm_proto_sctp);
}

nm_protocol nm_proto_sctp = {
	"sctp", "SCTP", "Stream Control Transmission Protocol", fields, F_COUNT, dissect_sctp, init_sctp, 0,
};
