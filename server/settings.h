/*
 * settings.h - netmond's options: built-in defaults, then the configuration
 * file (-c FILE, INI syntax read with inih), then the command line, each
 * overriding the one before.  See docs/config.md and data/netmond.conf.
 */
#ifndef NETMON_SETTINGS_H
#define NETMON_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/pipeline.h"

typedef struct nm_options {
	nm_pipeline_opts pipe;
	const char *listen;
	const char *webdir;
	const char *plugins;
	bool plugins_given; /* a missing default plugins directory is not an error */
	int http;
} nm_options;

/* Read FILE into o.  Returns 0, or -1 with "FILE:LINE: reason" in err.
 * Handoff overrides ([decode-as]) are kept until nm_config_apply_decode_as. */
int nm_config_load(const char *path, nm_options *o, char *err, size_t errlen);

/* Apply the [decode-as] entries to the handoff tables; call after
 * nm_parsers_finish() (plugins must be loaded: they may be the target).
 * Returns 0, or -1 with the first unknown protocol in err. */
int nm_config_apply_decode_as(char *err, size_t errlen);

/* "10G", "512M", "4096" -> bytes; "7d", "12h", "30m", "45s", "60" -> seconds.
 * Return false on anything else (or overflow). */
bool nm_parse_size(const char *s, uint64_t *out);
bool nm_parse_age(const char *s, int64_t *out);

#endif
