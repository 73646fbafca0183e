/*
 * plugin_badabi.c - a plugin built for a different dissector ABI.  netmond
 * must refuse it before calling anything in it: its register function
 * aborts, so a daemon that called it would die and fail the test.
 */
#include <stdlib.h>

#include <netmon/dissector.h>

static int register_bad(void)
{
	abort();
}

const nm_plugin_info netmon_plugin = {NETMON_DISSECTOR_ABI + 1, "badabi", "0.1", register_bad};
