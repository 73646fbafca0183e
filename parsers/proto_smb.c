/*
 * proto_smb.c - SMB (CIFS, MS-CIFS 2.2.3.1) message header, word count and
 * byte count.  Command parameters are not decoded; the Info column names
 * the command and whether it is a request or response, and the error when
 * there is one.
 */
#include <stdio.h>

#include "nt_status.h"
#include "protos.h"

enum {
	F_SERVER_COMPONENT,
	F_CMD,
	F_NT_STATUS,
	F_ERROR_CLASS,
	F_ERROR_CODE,
	F_FLAGS,
	F_FL_LOCK,
	F_FL_RECVBUF,
	F_FL_CASELESS,
	F_FL_CANON,
	F_FL_OPLOCK,
	F_FL_NOTIFY,
	F_FL_RESPONSE,
	F_FLAGS2,
	F_F2_LONG_ALLOWED,
	F_F2_EA,
	F_F2_SEC_SIG,
	F_F2_COMPRESSED,
	F_F2_SEC_SIG_REQ,
	F_F2_LONG_USED,
	F_F2_REPARSE,
	F_F2_ESN,
	F_F2_DFS,
	F_F2_ROE,
	F_F2_NT_ERROR,
	F_F2_STRING,
	F_PID_HIGH,
	F_SIGNATURE,
	F_RESERVED,
	F_TID,
	F_PID,
	F_UID,
	F_MID,
	F_WCT,
	F_BCC,
	F_COUNT
};

static const nm_vals commands[] = {
    {0x00, "Create Directory"},
    {0x01, "Delete Directory"},
    {0x02, "Open"},
    {0x03, "Create"},
    {0x04, "Close"},
    {0x05, "Flush"},
    {0x06, "Delete"},
    {0x07, "Rename"},
    {0x08, "Query Information"},
    {0x09, "Set Information"},
    {0x0a, "Read"},
    {0x0b, "Write"},
    {0x0c, "Lock Byte Range"},
    {0x0d, "Unlock Byte Range"},
    {0x0e, "Create Temp"},
    {0x0f, "Create New"},
    {0x10, "Check Directory"},
    {0x11, "Process Exit"},
    {0x12, "Seek"},
    {0x13, "Lock And Read"},
    {0x14, "Write And Unlock"},
    {0x1a, "Read Raw"},
    {0x1b, "Read MPX"},
    {0x1d, "Write Raw"},
    {0x1e, "Write MPX"},
    {0x20, "Write Complete"},
    {0x22, "Set Information2"},
    {0x23, "Query Information2"},
    {0x24, "Locking AndX"},
    {0x25, "Trans"},
    {0x26, "Trans Secondary"},
    {0x27, "IOCTL"},
    {0x28, "IOCTL Secondary"},
    {0x29, "Copy"},
    {0x2a, "Move"},
    {0x2b, "Echo"},
    {0x2c, "Write And Close"},
    {0x2d, "Open AndX"},
    {0x2e, "Read AndX"},
    {0x2f, "Write AndX"},
    {0x31, "Close And Tree Disconnect"},
    {0x32, "Trans2"},
    {0x33, "Trans2 Secondary"},
    {0x34, "Find Close2"},
    {0x35, "Find Notify Close"},
    {0x70, "Tree Connect"},
    {0x71, "Tree Disconnect"},
    {0x72, "Negotiate Protocol"},
    {0x73, "Session Setup AndX"},
    {0x74, "Logoff AndX"},
    {0x75, "Tree Connect AndX"},
    {0x80, "Query Information Disk"},
    {0x81, "Search"},
    {0x82, "Find"},
    {0x83, "Find Unique"},
    {0x84, "Find Close"},
    {0xa0, "NT Trans"},
    {0xa1, "NT Trans Secondary"},
    {0xa2, "NT Create AndX"},
    {0xa4, "NT Cancel"},
    {0xa5, "NT Rename"},
    {0xc0, "Open Print File"},
    {0xc1, "Write Print File"},
    {0xc2, "Close Print File"},
    {0xc3, "Get Print Queue"},
    {0, NULL},
};

#define FLAG(n, l, m)                                                                                                  \
	{                                                                                                              \
		n, l, NM_FT_BOOLEAN, NM_BASE_NONE, NULL, m, NULL                                                       \
	}

static const nm_field fields[] = {
    [F_SERVER_COMPONENT] = {"smb.server_component", "Server Component", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
    [F_CMD] = {"smb.cmd", "SMB Command", NM_FT_UINT8, NM_BASE_HEX, commands, 0, NULL},
    [F_NT_STATUS] = {"smb.nt_status", "NT Status", NM_FT_UINT32, NM_BASE_HEX, nm_nt_status_vals, 0, NULL},
    [F_ERROR_CLASS] = {"smb.error_class", "Error Class", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
    [F_ERROR_CODE] = {"smb.error_code", "Error Code", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
    [F_FLAGS] = {"smb.flags", "Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
    [F_FL_LOCK] = FLAG("smb.flags.lock", "Lock and Read", 0x1),
    [F_FL_RECVBUF] = FLAG("smb.flags.receive_buffer", "Receive Buffer Posted", 0x2),
    [F_FL_CASELESS] = FLAG("smb.flags.caseless", "Case Sensitivity", 0x8),
    [F_FL_CANON] = FLAG("smb.flags.canon", "Canonicalized Pathnames", 0x10),
    [F_FL_OPLOCK] = FLAG("smb.flags.oplock", "Oplocks", 0x20),
    [F_FL_NOTIFY] = FLAG("smb.flags.notify", "Notify", 0x40),
    [F_FL_RESPONSE] = FLAG("smb.flags.response", "Request/Response", 0x80),
    [F_FLAGS2] = {"smb.flags2", "Flags2", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
    [F_F2_LONG_ALLOWED] = FLAG("smb.flags2.long_names_allowed", "Long Names Allowed", 0x1),
    [F_F2_EA] = FLAG("smb.flags2.ea", "Extended Attributes", 0x2),
    [F_F2_SEC_SIG] = FLAG("smb.flags2.sec_sig", "Security Signatures", 0x4),
    [F_F2_COMPRESSED] = FLAG("smb.flags2.compressed", "Compressed", 0x8),
    [F_F2_SEC_SIG_REQ] = FLAG("smb.flags2.sec_sig_required", "Security Signatures Required", 0x10),
    [F_F2_LONG_USED] = FLAG("smb.flags2.long_names_used", "Long Names Used", 0x40),
    [F_F2_REPARSE] = FLAG("smb.flags2.reparse_path", "Reparse Path", 0x400),
    [F_F2_ESN] = FLAG("smb.flags2.esn", "Extended Security Negotiation", 0x800),
    [F_F2_DFS] = FLAG("smb.flags2.dfs", "Dfs", 0x1000),
    [F_F2_ROE] = FLAG("smb.flags2.roe", "Execute-only Reads", 0x2000),
    [F_F2_NT_ERROR] = FLAG("smb.flags2.nt_error", "Error Code Type", 0x4000),
    [F_F2_STRING] = FLAG("smb.flags2.string", "Unicode Strings", 0x8000),
    [F_PID_HIGH] = NM_F_NUM("smb.pid.high", "Process ID High", NM_FT_UINT16, NM_BASE_DEC),
    [F_SIGNATURE] = {"smb.signature", "Signature", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_RESERVED] = {"smb.reserved", "Reserved", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_TID] = NM_F_NUM("smb.tid", "Tree ID", NM_FT_UINT16, NM_BASE_DEC),
    [F_PID] = NM_F_NUM("smb.pid", "Process ID", NM_FT_UINT16, NM_BASE_DEC),
    [F_UID] = NM_F_NUM("smb.uid", "User ID", NM_FT_UINT16, NM_BASE_DEC),
    [F_MID] = NM_F_NUM("smb.mid", "Multiplex ID", NM_FT_UINT16, NM_BASE_DEC),
    [F_WCT] = {"smb.wct", "Word Count (WCT)", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
    [F_BCC] = NM_F_NUM("smb.bcc", "Byte Count (BCC)", NM_FT_UINT16, NM_BASE_DEC),
};

typedef struct smb_hdr {
	uint32_t proto, status;
	uint8_t cmd, flags;
	uint16_t flags2, pid_high, tid, pid, uid, mid;
	const uint8_t *sig, *res;
} smb_hdr;

static bool read_header(nm_cursor *c, smb_hdr *h)
{
	h->proto = nm_cur_le32(c);
	h->cmd = nm_cur_u8(c);
	h->status = nm_cur_le32(c);
	h->flags = nm_cur_u8(c);
	h->flags2 = nm_cur_le16(c);
	h->pid_high = nm_cur_le16(c);
	h->sig = nm_cur_take(c, 8);
	h->res = nm_cur_take(c, 2);
	h->tid = nm_cur_le16(c);
	h->pid = nm_cur_le16(c);
	h->uid = nm_cur_le16(c);
	h->mid = nm_cur_le16(c);
	return !c->err;
}

static void add_flags(nm_packet *pk, int t, uint32_t s, const smb_hdr *h)
{
	int f = nm_add_uint(pk, t, &fields[F_FLAGS], s + 9, 1, h->flags);
	for (int i = F_FL_LOCK; i <= F_FL_RESPONSE; i++)
		nm_add_bool(pk, f, &fields[i], s + 9, 1, h->flags);
	int f2 = nm_add_uint(pk, t, &fields[F_FLAGS2], s + 10, 2, h->flags2);
	for (int i = F_F2_LONG_ALLOWED; i <= F_F2_STRING; i++)
		nm_add_bool(pk, f2, &fields[i], s + 10, 2, h->flags2);
}

static void add_status(nm_packet *pk, int t, uint32_t s, const smb_hdr *h)
{
	if (h->flags2 & 0x4000) {
		nm_add_uint(pk, t, &fields[F_NT_STATUS], s + 5, 4, h->status);
		if (h->status) {
			char unk[32];
			snprintf(unk, sizeof unk, "Unknown (0x%08x)", h->status);
			nm_append_info(pk, ", Error: %s", nm_val_label(nm_nt_status_vals, h->status, unk));
		}
		return;
	}
	nm_add_uint(pk, t, &fields[F_ERROR_CLASS], s + 5, 1, h->status & 0xff);
	nm_add_bytes(pk, t, &fields[F_RESERVED], s + 6, 1, pk->data + s + 6);
	nm_add_uint(pk, t, &fields[F_ERROR_CODE], s + 7, 2, h->status >> 16);
}

static void add_ids(nm_packet *pk, int t, uint32_t s, const smb_hdr *h)
{
	nm_add_uint(pk, t, &fields[F_PID_HIGH], s + 12, 2, h->pid_high);
	nm_add_bytes(pk, t, &fields[F_SIGNATURE], s + 14, 8, h->sig);
	nm_add_bytes(pk, t, &fields[F_RESERVED], s + 22, 2, h->res);
	nm_add_uint(pk, t, &fields[F_TID], s + 24, 2, h->tid);
	nm_add_uint(pk, t, &fields[F_PID], s + 26, 2, h->pid);
	nm_add_uint(pk, t, &fields[F_UID], s + 28, 2, h->uid);
	nm_add_uint(pk, t, &fields[F_MID], s + 30, 2, h->mid);
}

static int dissect_smb(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	smb_hdr h;
	int t = nm_add_proto(pk, -1, &nm_proto_smb, s, nm_cur_left(c));
	if (!read_header(c, &h))
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &fields[F_SERVER_COMPONENT], s, 4, h.proto);
	nm_add_uint(pk, t, &fields[F_CMD], s + 4, 1, h.cmd);
	char unk[40];
	snprintf(unk, sizeof unk, "Unknown Command (0x%02x)", h.cmd);
	nm_set_info(pk, "%s %s", nm_val_label(commands, h.cmd, unk), h.flags & 0x80 ? "Response" : "Request");
	add_status(pk, t, s, &h);
	add_flags(pk, t, s, &h);
	add_ids(pk, t, s, &h);
	uint32_t at = c->pos;
	uint8_t wct = nm_cur_u8(c);
	if (c->err)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &fields[F_WCT], at, 1, wct);
	if (!nm_cur_skip(c, 2u * wct))
		return NM_TRUNCATED;
	at = c->pos;
	uint16_t bcc = nm_cur_le16(c);
	if (c->err)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &fields[F_BCC], at, 2, bcc);
	nm_cur_skip(c, nm_cur_left(c) < bcc ? nm_cur_left(c) : bcc);
	return NM_OK;
}

nm_protocol nm_proto_smb = {
    "smb", "SMB", "SMB (Server Message Block Protocol)", fields, F_COUNT, dissect_smb, NULL, 0,
};
