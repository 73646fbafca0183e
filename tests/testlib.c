/* testlib.c - see testlib.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testlib.h"

void nm_test_dissect(nm_packet *pk, uint32_t linktype, const uint8_t *b, uint32_t caplen, uint32_t wirelen,
		     bool tree)
{
	memset(pk, 0, sizeof *pk);
	pk->data = b;
	pk->caplen = caplen;
	pk->wirelen = wirelen;
	pk->linktype = linktype;
	pk->number = 1;
	if (tree && !(pk->tree = nm_tree_new(4096, 1 << 20))) {
		fprintf(stderr, "testlib: out of memory for a tree\n");
		abort();
	}
	nm_dissect_frame(pk);
}

const char *nm_test_values(const nm_packet *pk, const char *field, char *out, size_t n)
{
	if (!strcmp(field, "_ws.col.Info"))
		return pk->info;
	if (!strcmp(field, "_ws.col.Protocol"))
		return pk->protocol;
	if (!strcmp(field, "frame.protocols"))
		return pk->protocols;
	size_t used = 0;
	int items = 0;
	out[0] = '\0';
	for (int i = 0; pk->tree && i < pk->tree->count; i++) {
		const nm_node *nd = &pk->tree->nodes[i];
		if (nd->field && nd->value && !strcmp(nd->field->name, field) && used < n)
			used += (size_t)snprintf(out + used, n - used, "%s%s", items++ ? "," : "", nd->value);
	}
	return out;
}
