/*
 * proto_kerberos.c - Kerberos V5 (RFC 4120) on UDP/TCP 88; over TCP each
 * message follows a 4-byte record mark (its length).
 *
 * Messages are [APPLICATION n] SEQUENCEs of context-tagged, explicitly
 * tagged elements, many optional; each SEQUENCE is walked element by
 * element with the BER reader (ber.h) and known tags are decoded, so a
 * missing optional element or an unknown one costs nothing.  Nesting is
 * fixed by the grammar (no recursion on input), and every element is read
 * inside its parent's window.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ber.h"
#include "protos.h"
#include "textfmt.h"

enum {
	F_RM_LENGTH, F_PVNO, F_MSG_TYPE, F_PADATA_TYPE, F_KDC_OPTIONS, F_NAME_TYPE, F_CNAME_STRING, F_CNAMESTRING,
	F_SNAME_STRING, F_SNAMESTRING, F_REALM, F_CREALM, F_FROM, F_TILL, F_RTIME, F_NONCE, F_ENCTYPE, F_ETYPE,
	F_KVNO, F_CIPHER, F_TKT_VNO, F_STIME, F_SUSEC, F_CTIME, F_CUSEC, F_ERROR_CODE, F_E_TEXT, F_COUNT
};

static const nm_vals msg_vals[] = {
	{10, "krb-as-req"}, {11, "krb-as-rep"}, {12, "krb-tgs-req"}, {13, "krb-tgs-rep"}, {14, "krb-ap-req"},
	{15, "krb-ap-rep"}, {20, "krb-safe"}, {21, "krb-priv"}, {22, "krb-cred"}, {30, "krb-error"}, {0, NULL},
};

static const nm_vals info_vals[] = {
	{10, "AS-REQ"}, {11, "AS-REP"}, {12, "TGS-REQ"}, {13, "TGS-REP"}, {14, "AP-REQ"},
	{15, "AP-REP"}, {20, "KRB-SAFE"}, {21, "KRB-PRIV"}, {22, "KRB-CRED"}, {0, NULL},
};

static const nm_vals error_vals[] = {
	{0, "KRB5KDC_ERR_NONE"},
	{1, "KRB5KDC_ERR_NAME_EXP"},
	{2, "KRB5KDC_ERR_SERVICE_EXP"},
	{3, "KRB5KDC_ERR_BAD_PVNO"},
	{6, "KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN"},
	{7, "KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN"},
	{12, "KRB5KDC_ERR_POLICY"},
	{14, "KRB5KDC_ERR_ETYPE_NOSUPP"},
	{18, "KRB5KDC_ERR_CLIENT_REVOKED"},
	{23, "KRB5KDC_ERR_KEY_EXP"},
	{24, "KRB5KDC_ERR_PREAUTH_FAILED"},
	{25, "KRB5KDC_ERR_PREAUTH_REQUIRED"},
	{31, "KRB5KRB_AP_ERR_BAD_INTEGRITY"},
	{32, "KRB5KRB_AP_ERR_TKT_EXPIRED"},
	{37, "KRB5KRB_AP_ERR_SKEW"},
	{41, "KRB5KRB_AP_ERR_MODIFIED"},
	{52, "KRB5KRB_ERR_RESPONSE_TOO_BIG"},
	{60, "KRB5KRB_ERR_GENERIC"},
	{68, "KRB5KDC_ERR_WRONG_REALM"},
	{0, NULL},
};

#define TXT(n, l, t) {n, l, t, NM_BASE_NONE, NULL, 0, NULL}

static const nm_field fields[] = {
	[F_RM_LENGTH] = NM_F_NUM("kerberos.rm.length", "Record Length", NM_FT_UINT32, NM_BASE_DEC),
	[F_PVNO] = NM_F_NUM("kerberos.pvno", "pvno", NM_FT_UINT32, NM_BASE_DEC),
	[F_MSG_TYPE] = {"kerberos.msg_type", "msg-type", NM_FT_INT32, NM_BASE_DEC, msg_vals, 0, NULL},
	[F_PADATA_TYPE] = NM_F_NUM("kerberos.padata_type", "padata-type", NM_FT_INT32, NM_BASE_DEC),
	[F_KDC_OPTIONS] = TXT("kerberos.kdc_options", "kdc-options", NM_FT_BYTES),
	[F_NAME_TYPE] = NM_F_NUM("kerberos.name_type", "name-type", NM_FT_INT32, NM_BASE_DEC),
	[F_CNAME_STRING] = NM_F_NUM("kerberos.cname_string", "cname-string", NM_FT_UINT32, NM_BASE_DEC),
	[F_CNAMESTRING] = TXT("kerberos.CNameString", "CNameString", NM_FT_STRING),
	[F_SNAME_STRING] = NM_F_NUM("kerberos.sname_string", "sname-string", NM_FT_UINT32, NM_BASE_DEC),
	[F_SNAMESTRING] = TXT("kerberos.SNameString", "SNameString", NM_FT_STRING),
	[F_REALM] = TXT("kerberos.realm", "realm", NM_FT_STRING),
	[F_CREALM] = TXT("kerberos.crealm", "crealm", NM_FT_STRING),
	[F_FROM] = TXT("kerberos.from", "from", NM_FT_ABSOLUTE_TIME),
	[F_TILL] = TXT("kerberos.till", "till", NM_FT_ABSOLUTE_TIME),
	[F_RTIME] = TXT("kerberos.rtime", "rtime", NM_FT_ABSOLUTE_TIME),
	[F_NONCE] = NM_F_NUM("kerberos.nonce", "nonce", NM_FT_UINT32, NM_BASE_DEC),
	[F_ENCTYPE] = NM_F_NUM("kerberos.ENCTYPE", "ENCTYPE", NM_FT_INT32, NM_BASE_DEC),
	[F_ETYPE] = NM_F_NUM("kerberos.etype", "etype", NM_FT_INT32, NM_BASE_DEC),
	[F_KVNO] = NM_F_NUM("kerberos.kvno", "kvno", NM_FT_UINT32, NM_BASE_DEC),
	[F_CIPHER] = TXT("kerberos.cipher", "cipher", NM_FT_BYTES),
	[F_TKT_VNO] = NM_F_NUM("kerberos.tkt_vno", "tkt-vno", NM_FT_UINT32, NM_BASE_DEC),
	[F_STIME] = TXT("kerberos.stime", "stime", NM_FT_ABSOLUTE_TIME),
	[F_SUSEC] = NM_F_NUM("kerberos.susec", "susec", NM_FT_UINT32, NM_BASE_DEC),
	[F_CTIME] = TXT("kerberos.ctime", "ctime", NM_FT_ABSOLUTE_TIME),
	[F_CUSEC] = NM_F_NUM("kerberos.cusec", "cusec", NM_FT_UINT32, NM_BASE_DEC),
	[F_ERROR_CODE] = {"kerberos.error_code", "error-code", NM_FT_INT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_E_TEXT] = TXT("kerberos.e_text", "e-text", NM_FT_STRING),
};

typedef struct krb_ctx {
	nm_packet *pk;
	bool bad;
	int32_t msg_type, error_code;
} krb_ctx;

/* One element of a SEQUENCE: its header and a cursor over its contents. */
typedef struct elem {
	nm_ber e;
	nm_cursor body;
} elem;

static bool next_elem(krb_ctx *x, nm_cursor *seq, elem *el)
{
	bool cut = false;
	if (!nm_cur_left(seq))
		return false;
	if (!nm_ber_read(seq, &el->e)) {
		x->bad = true;
		return false;
	}
	/* A cut element is still read as far as it goes, as Wireshark does;
	 * the message is then marked. */
	el->body = nm_ber_sub(seq, &el->e, &cut);
	x->bad |= cut;
	return true;
}

/* The universal element inside an explicit [n] tag, expected to be `tag`. */
static bool inner(krb_ctx *x, elem *outer, uint32_t tag, elem *in)
{
	if (!next_elem(x, &outer->body, in) || in->e.cls != NM_BER_UNIVERSAL || in->e.tag != tag) {
		x->bad = true;
		return false;
	}
	return true;
}

static bool get_int(krb_ctx *x, elem *outer, int parent, int f, int64_t *out)
{
	elem in;
	if (!inner(x, outer, 2, &in) || in.e.len == 0 || in.e.len > 8)
		return x->bad = true, false;
	*out = nm_ber_int(x->pk->data + in.body.pos, in.e.len);
	if (f >= 0)
		nm_add_int(x->pk, parent, &fields[f], in.e.start, in.e.hdr_len + in.e.len, *out);
	return true;
}

static void add_uint_el(krb_ctx *x, elem *outer, int parent, int f)
{
	int64_t v;
	if (get_int(x, outer, -1, -1, &v))
		nm_add_uint(x->pk, parent, &fields[f], outer->e.start, outer->e.hdr_len + outer->e.len, (uint32_t)v);
}

static void add_string_el(krb_ctx *x, elem *outer, int parent, int f)
{
	elem in;
	if (inner(x, outer, 27, &in)) /* GeneralString */
		nm_add_text_field(x->pk, parent, &fields[f], &in.body, in.e.len, false);
}

/* GeneralizedTime "YYYYMMDDHHMMSSZ" shown as tshark shows absolute times. */
static void add_time_el(krb_ctx *x, elem *outer, int parent, int f)
{
	elem in;
	if (!inner(x, outer, 24, &in))
		return;
	char s[20] = {0}, out[64];
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	memcpy(s, x->pk->data + in.body.pos, in.e.len < 19 ? in.e.len : 19);
	if (sscanf(s, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
		   &tm.tm_sec) != 6)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	nm_fmt_abstime(out, sizeof out, (int64_t)timegm(&tm), 0);
	nm_add_string(x->pk, parent, &fields[f], in.e.start, in.e.hdr_len + in.e.len, out);
}

/* PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString } */
static void principal(krb_ctx *x, elem *outer, int parent, bool client)
{
	elem sq, el, list, s;
	int64_t v;
	if (!inner(x, outer, 16, &sq))
		return;
	while (next_elem(x, &sq.body, &el)) {
		if (el.e.tag == 0) {
			get_int(x, &el, parent, F_NAME_TYPE, &v);
		} else if (el.e.tag == 1 && inner(x, &el, 16, &list)) {
			int n = nm_add_uint(x->pk, parent, &fields[client ? F_CNAME_STRING : F_SNAME_STRING], el.e.start,
					    el.e.hdr_len + el.e.len, nm_ber_count(list.body));
			while (next_elem(x, &list.body, &s))
				nm_add_text_field(x->pk, n, &fields[client ? F_CNAMESTRING : F_SNAMESTRING], &s.body, s.e.len,
						  false);
		}
	}
}

/* EncryptedData ::= SEQUENCE { etype [0], kvno [1] OPTIONAL, cipher [2] } */
static void encrypted_data(krb_ctx *x, elem *outer, int parent)
{
	elem sq, el, in;
	int64_t v;
	if (!inner(x, outer, 16, &sq))
		return;
	while (next_elem(x, &sq.body, &el)) {
		if (el.e.tag == 0)
			get_int(x, &el, parent, F_ETYPE, &v);
		else if (el.e.tag == 1)
			add_uint_el(x, &el, parent, F_KVNO);
		else if (el.e.tag == 2 && inner(x, &el, 4, &in))
			nm_add_bytes(x->pk, parent, &fields[F_CIPHER], in.body.pos, in.e.len, x->pk->data + in.body.pos);
	}
}

/* Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] } */
static void ticket(krb_ctx *x, elem *outer, int parent)
{
	elem app, sq, el;
	if (!next_elem(x, &outer->body, &app) || app.e.cls != NM_BER_APPLICATION || app.e.tag != 1 ||
	    !inner(x, &app, 16, &sq))
		return (void)(x->bad = true);
	while (next_elem(x, &sq.body, &el)) {
		if (el.e.tag == 0)
			add_uint_el(x, &el, parent, F_TKT_VNO);
		else if (el.e.tag == 1)
			add_string_el(x, &el, parent, F_REALM);
		else if (el.e.tag == 2)
			principal(x, &el, parent, false);
		else if (el.e.tag == 3)
			encrypted_data(x, &el, parent);
	}
}

/* padata: SEQUENCE OF PA-DATA { padata-type [1], padata-value [2] } */
static void padata(krb_ctx *x, elem *outer, int parent)
{
	elem list, pa, sq, el;
	int64_t v;
	if (!inner(x, outer, 16, &list))
		return;
	while (next_elem(x, &list.body, &pa)) {
		sq = pa;
		while (next_elem(x, &sq.body, &el))
			if (el.e.tag == 1)
				get_int(x, &el, parent, F_PADATA_TYPE, &v);
	}
}

static void kdc_req_body(krb_ctx *x, elem *outer, int parent)
{
	elem sq, el, in, list, it;
	if (!inner(x, outer, 16, &sq))
		return;
	while (next_elem(x, &sq.body, &el)) {
		switch (el.e.tag) {
		case 0: /* kdc-options: BIT STRING, shown without its unused-bits octet */
			if (inner(x, &el, 3, &in) && in.e.len > 1)
				nm_add_bytes(x->pk, parent, &fields[F_KDC_OPTIONS], in.body.pos + 1, in.e.len - 1,
					     x->pk->data + in.body.pos + 1);
			break;
		case 1:
		case 3:
			principal(x, &el, parent, el.e.tag == 1);
			break;
		case 2:
			add_string_el(x, &el, parent, F_REALM);
			break;
		case 4:
		case 5:
		case 6:
			add_time_el(x, &el, parent, F_FROM + (int)el.e.tag - 4);
			break;
		case 7:
			add_uint_el(x, &el, parent, F_NONCE);
			break;
		case 8:
			if (inner(x, &el, 16, &list))
				while (next_elem(x, &list.body, &it))
					if (it.e.tag == 2 && it.e.len && it.e.len <= 8)
						nm_add_int(x->pk, parent, &fields[F_ENCTYPE], it.e.start,
							   it.e.hdr_len + it.e.len, nm_ber_int(x->pk->data + it.body.pos, it.e.len));
			break;
		}
	}
}

/* The fields every message starts with, under the tags `pvno_tag` and
 * `pvno_tag + 1` (KDC-REQ numbers them from 1, the others from 0). */
static bool head_field(krb_ctx *x, elem *el, int parent, uint32_t pvno_tag)
{
	int64_t v;
	if (el->e.tag == pvno_tag) {
		add_uint_el(x, el, parent, F_PVNO);
		return true;
	}
	if (el->e.tag == pvno_tag + 1) {
		if (get_int(x, el, parent, F_MSG_TYPE, &v))
			x->msg_type = (int32_t)v;
		return true;
	}
	return false;
}

static void kdc_req(krb_ctx *x, nm_cursor *sq, int t)
{
	elem el;
	while (next_elem(x, sq, &el))
		if (!head_field(x, &el, t, 1) && el.e.tag == 3)
			padata(x, &el, t);
		else if (el.e.tag == 4)
			kdc_req_body(x, &el, t);
}

static void kdc_rep(krb_ctx *x, nm_cursor *sq, int t)
{
	elem el;
	while (next_elem(x, sq, &el)) {
		if (head_field(x, &el, t, 0))
			continue;
		if (el.e.tag == 2)
			padata(x, &el, t);
		else if (el.e.tag == 3)
			add_string_el(x, &el, t, F_CREALM);
		else if (el.e.tag == 4)
			principal(x, &el, t, true);
		else if (el.e.tag == 5)
			ticket(x, &el, t);
		else if (el.e.tag == 6)
			encrypted_data(x, &el, t);
	}
}

static void krb_error(krb_ctx *x, nm_cursor *sq, int t)
{
	static const int fmap[] = {-1, -1, F_CTIME, F_CUSEC, F_STIME, F_SUSEC, F_ERROR_CODE, F_CREALM, -1, F_REALM, -1, F_E_TEXT};
	elem el;
	int64_t v;
	while (next_elem(x, sq, &el)) {
		if (head_field(x, &el, t, 0) || el.e.tag >= sizeof fmap / sizeof fmap[0])
			continue;
		uint32_t tag = el.e.tag;
		if (tag == 2 || tag == 4)
			add_time_el(x, &el, t, fmap[tag]);
		else if (tag == 3 || tag == 5)
			add_uint_el(x, &el, t, fmap[tag]);
		else if (tag == 6 && get_int(x, &el, t, F_ERROR_CODE, &v))
			x->error_code = (int32_t)v;
		else if (tag == 7 || tag == 9 || tag == 11)
			add_string_el(x, &el, t, fmap[tag]);
		else if (tag == 8 || tag == 10)
			principal(x, &el, t, tag == 8);
	}
}

/* AP-REQ ::= [APPLICATION 14] SEQUENCE { pvno [0], msg-type [1], ap-options [2], ticket [3], authenticator [4] } */
static void ap_req(krb_ctx *x, nm_cursor *sq, int t)
{
	elem el;
	while (next_elem(x, sq, &el))
		if (!head_field(x, &el, t, 0) && el.e.tag == 3)
			ticket(x, &el, t);
		else if (el.e.tag == 4)
			encrypted_data(x, &el, t);
}

static void set_info(krb_ctx *x)
{
	if (x->msg_type == 30) {
		const char *name = nm_val_label(error_vals, (uint32_t)x->error_code, NULL);
		if (name)
			nm_set_info(x->pk, "KRB Error: %s", name);
		else
			nm_set_info(x->pk, "KRB Error: Unknown error code %d", x->error_code);
	} else {
		nm_set_info(x->pk, "%s", nm_val_label(info_vals, (uint32_t)x->msg_type, "Unknown"));
	}
}

static int dissect_message(nm_packet *pk, nm_cursor *c, int t)
{
	krb_ctx x = {pk, false, -1, 0};
	elem app, sq;
	nm_set_info(pk, "%s", "");
	if (!next_elem(&x, c, &app) || app.e.cls != NM_BER_APPLICATION || !inner(&x, &app, 16, &sq))
		return NM_MALFORMED;
	switch (app.e.tag) {
	case 10:
	case 12:
		kdc_req(&x, &sq.body, t);
		break;
	case 11:
	case 13:
		kdc_rep(&x, &sq.body, t);
		break;
	case 14:
		ap_req(&x, &sq.body, t);
		break;
	case 30:
		krb_error(&x, &sq.body, t);
		break;
	default: { /* pvno and msg-type only */
		elem el;
		while (next_elem(&x, &sq.body, &el))
			head_field(&x, &el, t, 0);
	}
	}
	if (x.msg_type >= 0)
		set_info(&x);
	return x.bad ? NM_MALFORMED : NM_OK;
}

static int dissect_kerberos(nm_packet *pk, nm_cursor *c, int parent)
{
	int t = nm_add_proto(pk, parent, &nm_proto_kerberos, c->pos, nm_cur_left(c));
	bool tcp = pk->nprotos >= 2 && pk->proto_ids[pk->nprotos - 2] == nm_proto_tcp.id;
	if (tcp) {
		/* Record mark: top bit reserved, 31-bit length. */
		uint32_t at = c->pos, rm = nm_cur_be32(c);
		if (c->err)
			return NM_TRUNCATED;
		nm_add_uint(pk, t, &fields[F_RM_LENGTH], at, 4, rm & 0x7fffffff);
		nm_cursor msg = nm_cur_sub(c, rm & 0x7fffffff);
		int r = dissect_message(pk, &msg, t);
		c->pos = c->end;
		return r;
	}
	int r = dissect_message(pk, c, t);
	c->pos = c->end;
	return r;
}

static void init_kerberos(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 88, &nm_proto_kerberos);
	nm_handoff_add(NM_TAB_TCP_PORT, 88, &nm_proto_kerberos);
}

nm_protocol nm_proto_kerberos = {
	"kerberos", "KRB5", "Kerberos", fields, F_COUNT, dissect_kerberos, init_kerberos, 0,
};
