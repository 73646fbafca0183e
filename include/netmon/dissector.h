/*
 * netmon/dissector.h - the plugin API for third-party protocol dissectors.
 *
 * A plugin is a shared object in netmond's plugins directory (--plugins DIR,
 * default $(pkglibdir)/plugins).  At start-up netmond dlopens each *.so,
 * reads its `netmon_plugin` symbol, refuses it when its ABI number differs
 * from NETMON_DISSECTOR_ABI, and otherwise calls its register function,
 * which registers one or more nm_protocol descriptors:
 *
 *	#include <netmon/dissector.h>
 *
 *	static nm_protocol proto_foo = {"foo", "FOO", "Foo Protocol",
 *					fields, NFIELDS, dissect_foo, init_foo, 0};
 *	static int register_foo(void) { return nm_register_protocol(&proto_foo); }
 *	const nm_plugin_info netmon_plugin = {NETMON_DISSECTOR_ABI, "foo", "1.0", register_foo};
 *
 * The protocol's init then adds handoffs (nm_handoff_add(NM_TAB_UDP_PORT,
 * 9999, &proto_foo)), and from there it is a protocol like the built-in
 * ones: it is called by handoff, its fields appear in the tree, in
 * GET /api/v1/protocols and in display filters.  Build it with
 *
 *	cc -shared -fPIC -I$(includedir) -o foo.so foo.c
 *
 * This header is a thin layer over the daemon's own framework headers
 * (dissect.h and cursor.h, installed beside it): plugins compile against
 * exactly the declarations netmond is built from.
 */
#ifndef NETMON_DISSECTOR_H
#define NETMON_DISSECTOR_H

#include "dissect.h"

/*
 * The dissector ABI.  Bump it whenever a change to dissect.h or cursor.h
 * changes what a compiled plugin relies on: the layout of nm_field,
 * nm_protocol, nm_packet, nm_cursor or nm_plugin_info (after `abi`), an
 * enum value, or a function's signature.  Adding a function does not.
 */
#define NETMON_DISSECTOR_ABI 2

/* The symbol netmond looks up in each plugin. */
#define NETMON_PLUGIN_SYMBOL "netmon_plugin"

typedef struct nm_plugin_info {
	int abi;             /* NETMON_DISSECTOR_ABI; must stay the first member */
	const char *name;    /* for log lines */
	const char *version; /* the plugin's own version */
	/* Registers the plugin's protocols (nm_register_protocol); 0 on success. */
	int (*register_fn)(void);
} nm_plugin_info;

#endif
