/*
 * plugins.c - loading third-party dissectors (see include/netmon/dissector.h).
 *
 * Each *.so of the plugins directory is opened with RTLD_NOW, so a plugin
 * calling a function this netmond lacks fails here with dlerror()'s reason
 * instead of at its first frame, and RTLD_LOCAL, so plugins cannot see or
 * clash with each other's symbols.  A bad plugin is logged and skipped: it
 * never stops the daemon.  Files are taken in name order so that handoff
 * ties between plugins resolve the same way on every start.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netmon/dissector.h"

static bool is_plugin_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 3 && strcmp(name + n - 3, ".so") == 0;
}

/* Open one plugin and register it; false (after a log line) when refused. */
static bool load_one(const char *dir, const char *file)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "netmond: plugin %s: %s: not loaded\n", file, dlerror());
		return false;
	}
	const nm_plugin_info *info = dlsym(h, NETMON_PLUGIN_SYMBOL);
	if (!info) {
		fprintf(stderr, "netmond: plugin %s: no %s symbol: not loaded\n", file, NETMON_PLUGIN_SYMBOL);
		dlclose(h);
		return false;
	}
	if (info->abi != NETMON_DISSECTOR_ABI) {
		fprintf(stderr, "netmond: plugin %s: ABI %d, netmond speaks %d: not loaded\n", file, info->abi,
			NETMON_DISSECTOR_ABI);
		dlclose(h);
		return false;
	}
	/* From here the plugin may have registered pointers into itself, so it
	 * stays mapped even when its registration fails half way. */
	if (!info->register_fn || info->register_fn() != 0) {
		fprintf(stderr, "netmond: plugin %s: registration failed (a name already taken?)\n", file);
		return false;
	}
	fprintf(stderr, "netmond: plugin %s: loaded %s %s\n", file, info->name ? info->name : "?",
		info->version ? info->version : "?");
	return true;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The plugin file names of `dir`, sorted; NULL with errno when unreadable. */
static char **list_plugins(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_plugin_name(e->d_name))
			continue;
		char **more = realloc(names, (n + 1) * sizeof *names);
		if (!more || !(more[n] = strdup(e->d_name))) {
			names = more ? more : names;
			break;
		}
		names = more;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	*count = n;
	return names ? names : calloc(1, sizeof *names);
}

int nm_plugins_load(const char *dir, char *err, size_t n)
{
	nm_parsers_begin();
	size_t count = 0;
	char **names = list_plugins(dir, &count);
	if (!names) {
		snprintf(err, n, "plugins directory %s: %s", dir, strerror(errno));
		return -1;
	}
	int loaded = 0;
	for (size_t i = 0; i < count; i++) {
		loaded += load_one(dir, names[i]);
		free(names[i]);
	}
	free(names);
	return loaded;
}
