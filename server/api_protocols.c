/*
 * api_protocols.c - GET /api/v1/protocols[/{name}]: the property database
 * (protocols and their fields), like `tshark -G protocols` / `-G fields`.
 */
#include <string.h>

#include "dissect.h"
#include "server/api.h"

static const char *base_name(nm_base b)
{
	switch (b) {
	case NM_BASE_DEC:
		return "BASE_DEC";
	case NM_BASE_HEX:
		return "BASE_HEX";
	case NM_BASE_OCT:
		return "BASE_OCT";
	case NM_BASE_DEC_HEX:
		return "BASE_DEC_HEX";
	case NM_BASE_HEX_DEC:
		return "BASE_HEX_DEC";
	default:
		return "BASE_NONE";
	}
}

static cJSON *field_json(const nm_field *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", f->name);
	cJSON_AddStringToObject(o, "label", f->label);
	cJSON_AddStringToObject(o, "type", nm_ftype_name(f->type));
	cJSON_AddStringToObject(o, "base", base_name(f->base));
	nm_json_add_u64(o, "bitmask", f->mask);
	nm_json_add_str_or_null(o, "description", f->blurb);
	if (f->vals) {
		cJSON *vals = cJSON_AddArrayToObject(o, "values");
		for (const nm_vals *v = f->vals; vals && v->label; v++) {
			cJSON *e = cJSON_CreateObject();
			nm_json_add_u64(e, "value", v->value);
			cJSON_AddStringToObject(e, "label", v->label);
			cJSON_AddItemToArray(vals, e);
		}
	}
	return o;
}

static cJSON *protocol_json(const nm_protocol *p)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "short_name", p->short_name ? p->short_name : p->name);
	cJSON_AddStringToObject(o, "long_name", p->long_name ? p->long_name : p->name);
	cJSON *fields = cJSON_AddArrayToObject(o, "fields");
	for (size_t i = 0; fields && i < p->nfields; i++)
		cJSON_AddItemToArray(fields, field_json(&p->fields[i]));
	return o;
}

enum MHD_Result nm_api_protocols(nm_req *r)
{
	if (r->arg) {
		const nm_protocol *p = nm_protocol_find(r->arg);
		if (!p)
			return nm_api_not_found(r, "no protocol named \"%s\"", r->arg);
		return nm_json_respond(r->conn, MHD_HTTP_OK, protocol_json(p));
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(o, "protocols");
	size_t n = nm_protocol_count();
	for (size_t i = 0; arr && i < n; i++)
		cJSON_AddItemToArray(arr, protocol_json(nm_protocol_at(i)));
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}
