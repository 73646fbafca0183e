/*
 * proto_frame.c - the "frame" pseudo-protocol (frame.number, frame.len, ...)
 * and "data", Wireshark's name for payload that no dissector claims.
 */
#include <string.h>

#include "protos.h"

enum { F_NUMBER, F_LEN, F_CAP_LEN, F_TIME_EPOCH, F_TIME_RELATIVE, F_PROTOCOLS, F_MARKED, F_COUNT };

static const nm_field frame_fields[] = {
	[F_NUMBER] = {"frame.number", "Frame Number", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_LEN] = {"frame.len", "Frame Length", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, "Frame length on the wire"},
	[F_CAP_LEN] = {"frame.cap_len", "Capture Length", NM_FT_UINT32, NM_BASE_DEC, NULL, 0,
		       "Frame length stored into the capture file"},
	[F_TIME_EPOCH] = {"frame.time_epoch", "Epoch Time", NM_FT_RELATIVE_TIME, NM_BASE_NONE, NULL, 0,
			  "Epoch time when this frame was captured"},
	[F_TIME_RELATIVE] = {"frame.time_relative", "Time since reference or first frame", NM_FT_RELATIVE_TIME,
			     NM_BASE_NONE, NULL, 0, "Time relative to time reference or first frame"},
	[F_PROTOCOLS] = {"frame.protocols", "Protocols in frame", NM_FT_STRING, NM_BASE_NONE, NULL, 0,
			 "Protocols carried by this frame"},
	[F_MARKED] = {"frame.marked", "Frame is marked", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, NULL},
};

static int dissect_none(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)pk, (void)c, (void)parent;
	return NM_OK;
}

nm_protocol nm_proto_frame = {
	"frame", "Frame", "Frame", frame_fields, F_COUNT, dissect_none, NULL, 0,
};

void nm_dissect_frame_proto(nm_packet *pk)
{
	if (!pk->tree)
		return;
	int t = nm_add_text(pk, -1, 0, pk->caplen, "Frame %llu: %u bytes on wire, %u bytes captured",
			    (unsigned long long)pk->number, pk->wirelen, pk->caplen);
	if (t < 0)
		return;
	pk->tree->nodes[t].proto = &nm_proto_frame;
	nm_add_time(pk, t, &frame_fields[F_TIME_EPOCH], 0, 0, pk->ts_ns, false);
	nm_add_time(pk, t, &frame_fields[F_TIME_RELATIVE], 0, 0, pk->ts_ns - pk->first_ts_ns, true);
	nm_add_uint(pk, t, &frame_fields[F_NUMBER], 0, 0, pk->number);
	nm_add_uint(pk, t, &frame_fields[F_LEN], 0, 0, pk->wirelen);
	nm_add_uint(pk, t, &frame_fields[F_CAP_LEN], 0, 0, pk->caplen);
	nm_add_bool(pk, t, &frame_fields[F_MARKED], 0, 0, 0);
}

void nm_frame_tree_finish(nm_packet *pk)
{
	if (!pk->tree || pk->tree->count == 0)
		return;
	nm_add_string(pk, 0, &frame_fields[F_PROTOCOLS], 0, 0, pk->protocols);
}

enum { D_DATA, D_LEN, D_COUNT };

static const nm_field data_fields[] = {
	[D_DATA] = {"data.data", "Data", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[D_LEN] = {"data.len", "Length", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
};

static int dissect_data(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t n = nm_cur_left(c);
	uint32_t at = c->pos;
	const uint8_t *b = nm_cur_take(c, n);
	int t = nm_add_proto(pk, -1, &nm_proto_data, at, n);
	nm_add_bytes(pk, t, &data_fields[D_DATA], at, n, b);
	nm_add_uint(pk, t, &data_fields[D_LEN], at, n, n);
	return NM_OK;
}

nm_protocol nm_proto_data = {
	"data", "Data", "Data", data_fields, D_COUNT, dissect_data, NULL, 0,
};

int nm_call_data(nm_packet *pk, nm_cursor *c, int parent)
{
	if (nm_cur_left(c) == 0)
		return NM_OK;
	/* "data" names the payload in frame.protocols but is not a protocol
	 * column of its own: the layer that carried it keeps the column. */
	const char *keep = pk->protocol;
	int r = nm_call(&nm_proto_data, pk, c, parent);
	pk->protocol = keep;
	return r;
}
