/*
 * proto_smb2.c - SMB2/3 (MS-SMB2 2.2.1) message headers.
 *
 * Each header is decoded (command, status, credits, flags, message, tree
 * and session IDs, signature) with the structure size of the body; related
 * messages chained by NextCommand are walked in turn.  Command bodies are
 * not decoded.
 */
#include <stdio.h>

#include "nt_status.h"
#include "protos.h"

enum {
	F_PROTOCOL_ID,
	F_HEADER_LEN,
	F_CREDIT_CHARGE,
	F_NT_STATUS,
	F_CHANNEL_SEQUENCE,
	F_RESERVED,
	F_CMD,
	F_CREDITS_REQUESTED,
	F_CREDITS_GRANTED,
	F_FLAGS,
	F_FL_RESPONSE,
	F_FL_ASYNC,
	F_FL_CHAINED,
	F_FL_SIGNATURE,
	F_FL_PRIORITY,
	F_FL_DFS,
	F_FL_REPLAY,
	F_CHAIN_OFFSET,
	F_MSG_ID,
	F_AID,
	F_PID,
	F_TID,
	F_SESID,
	F_SIGNATURE,
	F_BUFFER_CODE,
	F_BUFFER_CODE_LEN,
	F_BUFFER_CODE_DYN,
	F_COUNT
};

static const nm_vals commands[] = {
    {0, "Negotiate Protocol"},
    {1, "Session Setup"},
    {2, "Session Logoff"},
    {3, "Tree Connect"},
    {4, "Tree Disconnect"},
    {5, "Create"},
    {6, "Close"},
    {7, "Flush"},
    {8, "Read"},
    {9, "Write"},
    {10, "Lock"},
    {11, "Ioctl"},
    {12, "Cancel"},
    {13, "KeepAlive"},
    {14, "Find"},
    {15, "Notify"},
    {16, "GetInfo"},
    {17, "SetInfo"},
    {18, "Break"},
    {0, NULL},
};

#define FLAG(n, l, m)                                                                                                  \
	{                                                                                                              \
		n, l, NM_FT_BOOLEAN, NM_BASE_NONE, NULL, m, NULL                                                       \
	}

static const nm_field fields[] = {
    [F_PROTOCOL_ID] = {"smb2.protocol_id", "ProtocolId", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
    [F_HEADER_LEN] = NM_F_NUM("smb2.header_len", "Header Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_CREDIT_CHARGE] = NM_F_NUM("smb2.credit.charge", "Credit Charge", NM_FT_UINT16, NM_BASE_DEC),
    [F_NT_STATUS] = {"smb2.nt_status", "NT Status", NM_FT_UINT32, NM_BASE_HEX, nm_nt_status_vals, 0, NULL},
    [F_CHANNEL_SEQUENCE] = NM_F_NUM("smb2.channel_sequence", "Channel Sequence", NM_FT_UINT16, NM_BASE_DEC),
    [F_RESERVED] = {"smb2.reserved", "Reserved", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_CMD] = {"smb2.cmd", "Command", NM_FT_UINT16, NM_BASE_DEC, commands, 0, NULL},
    [F_CREDITS_REQUESTED] = NM_F_NUM("smb2.credits.requested", "Credits requested", NM_FT_UINT16, NM_BASE_DEC),
    [F_CREDITS_GRANTED] = NM_F_NUM("smb2.credits.granted", "Credits granted", NM_FT_UINT16, NM_BASE_DEC),
    [F_FLAGS] = {"smb2.flags", "Flags", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
    [F_FL_RESPONSE] = FLAG("smb2.flags.response", "Response", 0x1),
    [F_FL_ASYNC] = FLAG("smb2.flags.async", "Async command", 0x2),
    [F_FL_CHAINED] = FLAG("smb2.flags.chained", "Chained", 0x4),
    [F_FL_SIGNATURE] = FLAG("smb2.flags.signature", "Signing", 0x8),
    [F_FL_PRIORITY] = FLAG("smb2.flags.priority_mask", "Priority", 0x70),
    [F_FL_DFS] = FLAG("smb2.flags.dfs", "DFS operation", 0x10000000),
    [F_FL_REPLAY] = FLAG("smb2.flags.replay", "Replay operation", 0x20000000),
    [F_CHAIN_OFFSET] = {"smb2.chain_offset", "Chain Offset", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
    [F_MSG_ID] = {"smb2.msg_id", "Message ID", NM_FT_UINT64, NM_BASE_DEC, NULL, 0, NULL},
    [F_AID] = {"smb2.aid", "Async Id", NM_FT_UINT64, NM_BASE_HEX, NULL, 0, NULL},
    [F_PID] = {"smb2.pid", "Process Id", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
    [F_TID] = {"smb2.tid", "Tree Id", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
    [F_SESID] = {"smb2.sesid", "Session Id", NM_FT_UINT64, NM_BASE_HEX, NULL, 0, NULL},
    [F_SIGNATURE] = {"smb2.signature", "Signature", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_BUFFER_CODE] = {"smb2.buffer_code", "StructureSize", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
    [F_BUFFER_CODE_LEN] = {"smb2.buffer_code.length", "Fixed Part Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0xfffe,
                           NULL},
    [F_BUFFER_CODE_DYN] = {"smb2.buffer_code.dynamic", "Dynamic Part", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x1, NULL},
};

static uint64_t le64(nm_cursor *c)
{
	uint64_t lo = nm_cur_le32(c);
	return lo | (uint64_t)nm_cur_le32(c) << 32;
}

static void add_flags(nm_packet *pk, int t, uint32_t at, uint32_t flags)
{
	int f = nm_add_uint(pk, t, &fields[F_FLAGS], at, 4, flags);
	for (int i = F_FL_RESPONSE; i <= F_FL_REPLAY; i++)
		nm_add_bool(pk, f, &fields[i], at, 4, flags);
}

static void add_status(nm_packet *pk, int t, uint32_t s, uint32_t status, bool response)
{
	if (!response) {
		/* In a request these bytes are ChannelSequence and Reserved. */
		nm_add_uint(pk, t, &fields[F_CHANNEL_SEQUENCE], s + 8, 2, status & 0xffff);
		nm_add_bytes(pk, t, &fields[F_RESERVED], s + 10, 2, pk->data + s + 10);
		return;
	}
	nm_add_uint(pk, t, &fields[F_NT_STATUS], s + 8, 4, status);
	if (status) {
		char unk[32];
		snprintf(unk, sizeof unk, "Unknown (0x%08x)", status);
		nm_append_info(pk, ", Error: %s", nm_val_label(nm_nt_status_vals, status, unk));
	}
}

/* The IDs after the chain offset: message, async or process+tree, session. */
static void add_ids(nm_packet *pk, int t, nm_cursor *c, uint32_t flags)
{
	uint32_t at = c->pos;
	nm_add_uint(pk, t, &fields[F_MSG_ID], at, 8, le64(c));
	if (flags & 2) {
		nm_add_uint(pk, t, &fields[F_AID], at + 8, 8, le64(c));
	} else {
		nm_add_uint(pk, t, &fields[F_PID], at + 8, 4, nm_cur_le32(c));
		nm_add_uint(pk, t, &fields[F_TID], at + 12, 4, nm_cur_le32(c));
	}
	nm_add_uint(pk, t, &fields[F_SESID], at + 16, 8, le64(c));
	nm_add_bytes(pk, t, &fields[F_SIGNATURE], at + 24, 16, nm_cur_take(c, 16));
}

/* One header; returns the chain offset (0 for the last message) or -1. */
static int64_t header(nm_packet *pk, nm_cursor *c)
{
	uint32_t s = c->pos;
	int t = nm_add_proto(pk, -1, &nm_proto_smb2, s, nm_cur_left(c));
	if (!nm_cur_has(c, 64)) {
		if (nm_cur_has(c, 4))
			nm_add_uint(pk, t, &fields[F_PROTOCOL_ID], s, 4, nm_cur_be32(c));
		return -1;
	}
	uint32_t proto = nm_cur_be32(c);
	uint16_t hlen = nm_cur_le16(c), charge = nm_cur_le16(c);
	uint32_t status = nm_cur_le32(c);
	uint16_t cmd = nm_cur_le16(c), credits = nm_cur_le16(c);
	uint32_t flags = nm_cur_le32(c), chain = nm_cur_le32(c);
	bool response = flags & 1;
	nm_add_uint(pk, t, &fields[F_PROTOCOL_ID], s, 4, proto);
	nm_add_uint(pk, t, &fields[F_HEADER_LEN], s + 4, 2, hlen);
	nm_add_uint(pk, t, &fields[F_CREDIT_CHARGE], s + 6, 2, charge);
	char unk[32];
	snprintf(unk, sizeof unk, "Unknown (0x%04x)", cmd);
	nm_append_info(pk, "%s%s %s", pk->info[0] ? "; " : "", nm_val_label(commands, cmd, unk),
	               response ? "Response" : "Request");
	add_status(pk, t, s, status, response);
	nm_add_uint(pk, t, &fields[F_CMD], s + 12, 2, cmd);
	nm_add_uint(pk, t, &fields[response ? F_CREDITS_GRANTED : F_CREDITS_REQUESTED], s + 14, 2, credits);
	add_flags(pk, t, s + 16, flags);
	nm_add_uint(pk, t, &fields[F_CHAIN_OFFSET], s + 20, 4, chain);
	add_ids(pk, t, c, flags);
	if (nm_cur_left(c) >= 2) {
		uint16_t code = nm_cur_le16(c);
		int b = nm_add_uint(pk, t, &fields[F_BUFFER_CODE], s + 64, 2, code);
		nm_add_uint(pk, b, &fields[F_BUFFER_CODE_LEN], s + 64, 2, code);
		nm_add_bool(pk, b, &fields[F_BUFFER_CODE_DYN], s + 64, 2, code);
	}
	return chain;
}

static int dissect_smb2(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	pk->info[0] = '\0';
	uint32_t s = c->pos;
	for (int n = 0; n < 64; n++) {
		int64_t chain = header(pk, c);
		if (chain < 0)
			return NM_TRUNCATED;
		if (chain == 0)
			break;
		/* the next message starts `chain` bytes after this one's start */
		if (chain < 64 || (uint64_t)chain > (uint64_t)(c->end - s))
			return NM_MALFORMED;
		s += (uint32_t)chain;
		c->pos = s;
	}
	nm_cur_skip(c, nm_cur_left(c));
	return NM_OK;
}

nm_protocol nm_proto_smb2 = {
    "smb2", "SMB2", "SMB2 (Server Message Block Protocol version 2)", fields, F_COUNT, dissect_smb2, NULL, 0,
};
