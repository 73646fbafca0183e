/*
 * proto_ntp.c - Network Time Protocol (RFC 5905), the 48-byte packet of
 * modes 1-5.  Control (6) and private (7) messages get their flags word and
 * Info line only; Wireshark dissects their bodies as ntpctrl/ntppriv.
 *
 * Timestamps are 32.32 fixed point seconds since 1900; zero shows as
 * "NULL", as tshark prints it.
 */
#include <stdio.h>

#include "protos.h"
#include "textfmt.h"

enum {
	F_FLAGS, F_LI, F_VN, F_MODE, F_STRATUM, F_PPOLL, F_PRECISION, F_ROOTDELAY, F_ROOTDISP, F_REFID,
	F_REFTIME, F_ORG, F_REC, F_XMT, F_COUNT
};

static const nm_vals li_vals[] = {
	{0, "no warning"}, {1, "last minute of the day has 61 seconds"},
	{2, "last minute of the day has 59 seconds"}, {3, "unknown (clock unsynchronized)"}, {0, NULL},
};

static const nm_vals mode_vals[] = {
	{0, "reserved"}, {1, "symmetric active"}, {2, "symmetric passive"}, {3, "client"}, {4, "server"},
	{5, "broadcast"}, {6, "reserved for NTP control message"}, {7, "reserved for private use"}, {0, NULL},
};

/* The Info column's shorter mode names. */
static const nm_vals mode_info[] = {
	{0, "reserved"}, {1, "symmetric active"}, {2, "symmetric passive"}, {3, "client"}, {4, "server"},
	{5, "broadcast"}, {6, "control"}, {7, "private"}, {0, NULL},
};

static const nm_field fields[] = {
	[F_FLAGS] = {"ntp.flags", "Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, "Flags (Leap/Version/Mode)"},
	[F_LI] = {"ntp.flags.li", "Leap Indicator", NM_FT_UINT8, NM_BASE_DEC, li_vals, 0xc0, NULL},
	[F_VN] = {"ntp.flags.vn", "Version number", NM_FT_UINT8, NM_BASE_DEC, NULL, 0x38, NULL},
	[F_MODE] = {"ntp.flags.mode", "Mode", NM_FT_UINT8, NM_BASE_DEC, mode_vals, 0x07, NULL},
	[F_STRATUM] = {"ntp.stratum", "Peer Clock Stratum", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_PPOLL] = {"ntp.ppoll", "Peer Polling Interval", NM_FT_UINT8, NM_BASE_DEC, NULL, 0,
		     "Maximum interval between successive messages"},
	[F_PRECISION] = {"ntp.precision", "Peer Clock Precision", NM_FT_UINT8, NM_BASE_DEC, NULL, 0,
			 "The precision of the system clock"},
	[F_ROOTDELAY] = {"ntp.rootdelay", "Root Delay", NM_FT_UINT32, NM_BASE_DEC, NULL, 0,
			 "Total round-trip delay to the reference clock"},
	[F_ROOTDISP] = {"ntp.rootdispersion", "Root Dispersion", NM_FT_UINT32, NM_BASE_DEC, NULL, 0,
			"Total dispersion to the reference clock"},
	[F_REFID] = {"ntp.refid", "Reference ID", NM_FT_BYTES, NM_BASE_NONE, NULL, 0,
		     "Particular server or reference clock being used"},
	[F_REFTIME] = {"ntp.reftime", "Reference Timestamp", NM_FT_ABSOLUTE_TIME, NM_BASE_NONE, NULL, 0,
		       "Time when the system clock was last set or corrected"},
	[F_ORG] = {"ntp.org", "Origin Timestamp", NM_FT_ABSOLUTE_TIME, NM_BASE_NONE, NULL, 0,
		   "Time at the client when the request departed for the server"},
	[F_REC] = {"ntp.rec", "Receive Timestamp", NM_FT_ABSOLUTE_TIME, NM_BASE_NONE, NULL, 0,
		   "Time at the server when the request arrived from the client"},
	[F_XMT] = {"ntp.xmt", "Transmit Timestamp", NM_FT_ABSOLUTE_TIME, NM_BASE_NONE, NULL, 0,
		   "Time at the server when the response left for the client"},
};

/* Seconds from 1900 (NTP era 0) to 1970. */
#define NTP_UNIX_OFFSET 2208988800u

static void add_ntp_time(nm_packet *pk, int t, int f, uint32_t at, uint64_t ts)
{
	char buf[64];
	uint32_t secs = (uint32_t)(ts >> 32), frac = (uint32_t)ts;
	if (ts == 0) {
		nm_add_string(pk, t, &fields[f], at, 8, "NULL");
		return;
	}
	uint32_t ns = (uint32_t)(((uint64_t)frac * 1000000000u) >> 32);
	/* RFC 5905 eras: a clear top bit means era 1 (from 2036 on). */
	int64_t unix_secs = (int64_t)secs - NTP_UNIX_OFFSET + ((secs & 0x80000000u) ? 0 : (int64_t)1 << 32);
	nm_fmt_abstime(buf, sizeof buf, unix_secs, ns);
	nm_add_string(pk, t, &fields[f], at, 8, buf);
}

static void dissect_body(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t s = c->pos;
	uint8_t stratum = nm_cur_u8(c), ppoll = nm_cur_u8(c), prec = nm_cur_u8(c);
	uint32_t delay = nm_cur_be32(c), disp = nm_cur_be32(c);
	const uint8_t *refid = nm_cur_take(c, 4);
	if (c->err)
		return;
	nm_add_uint(pk, t, &fields[F_STRATUM], s, 1, stratum);
	nm_add_uint(pk, t, &fields[F_PPOLL], s + 1, 1, ppoll);
	nm_add_uint(pk, t, &fields[F_PRECISION], s + 2, 1, prec);
	nm_add_uint(pk, t, &fields[F_ROOTDELAY], s + 3, 4, delay);
	nm_add_uint(pk, t, &fields[F_ROOTDISP], s + 7, 4, disp);
	nm_add_bytes(pk, t, &fields[F_REFID], s + 11, 4, refid);
	static const int ts_fields[] = {F_REFTIME, F_ORG, F_REC, F_XMT};
	for (int i = 0; i < 4; i++) {
		uint32_t at = c->pos;
		uint64_t ts = nm_cur_be64(c);
		if (c->err)
			return;
		add_ntp_time(pk, t, ts_fields[i], at, ts);
	}
}

static int dissect_ntp(nm_packet *pk, nm_cursor *c, int parent)
{
	uint32_t s = c->pos;
	uint8_t flags = nm_cur_u8(c);
	if (c->err)
		return NM_TRUNCATED;
	unsigned vn = (flags >> 3) & 7, mode = flags & 7;
	int t = nm_add_proto(pk, parent, &nm_proto_ntp, s, nm_cur_left(c) + 1);
	nm_set_info(pk, "NTP Version %u, %s", vn, nm_val_label(mode_info, mode, "reserved"));
	int f = nm_add_uint(pk, t, &fields[F_FLAGS], s, 1, flags);
	/* Private (mode 7) messages use those two bits as response/more flags. */
	if (mode != 7)
		nm_add_uint(pk, f, &fields[F_LI], s, 1, flags);
	nm_add_uint(pk, f, &fields[F_VN], s, 1, flags);
	nm_add_uint(pk, f, &fields[F_MODE], s, 1, flags);
	if (mode == 6 || mode == 7) {
		c->pos = c->end;
		return NM_OK;
	}
	dissect_body(pk, t, c);
	if (c->err)
		return NM_TRUNCATED;
	c->pos = c->end; /* extension fields and MAC are not decoded */
	return NM_OK;
}

static void init_ntp(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 123, &nm_proto_ntp);
}

nm_protocol nm_proto_ntp = {
	"ntp", "NTP", "Network Time Protocol", fields, F_COUNT, dissect_ntp, init_ntp, 0,
};
