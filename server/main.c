/*
 * main.c - netmond: options, signals, and the wiring of the capture
 * pipeline and the HTTP server.
 *
 * Signals are blocked in every thread and taken synchronously here with
 * sigtimedwait(), so a SIGINT or SIGTERM turns into an orderly stop (stop
 * capturing, drain the queue, commit, close) and never interrupts a thread
 * in the middle of a write.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "capture/manager.h"
#include "capture/notify.h"
#include "parsers/dissect.h"
#include "server/settings.h"
#include "server/http.h"
#include "server/runtime.h"

typedef nm_options options;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: netmond [-c CONFIG] [-r FILE | -i IFACE] [options]\n"
		"Capture or import traffic, store parsed frames in SQLite, serve a JSON API and dashboard.\n"
		"\n"
		"  -c, --config FILE      read settings from FILE (INI; see %s/netmond.conf);\n"
		"                         options given here override it\n"
		"  -r, --read FILE        read a pcap or pcapng file\n"
		"  -i, --interface IFACE  capture live on IFACE (promiscuous unless --no-promisc)\n"
		"  -f, --filter EXPR      BPF capture filter (tcpdump syntax)\n"
		"  -s, --snaplen N        bytes to capture per frame (default 262144)\n"
		"  -p, --no-promisc       do not put the interface into promiscuous mode\n"
		"  -w, --db PATH          SQLite database file (default netmon.db)\n"
		"  -l, --listen ADDR:PORT HTTP address (default 127.0.0.1:8080; [::1]:8080 for IPv6)\n"
		"      --webdir DIR       dashboard files (default %s)\n"
		"      --plugins DIR      load dissector plugins (*.so) from DIR (default %s)\n"
		"      --no-http          no HTTP server: import or capture, then exit\n"
		"      --max-flows N      flow table cap; idle flows are evicted past it (default 262144)\n"
		"      --queue N          batches of frames in flight to the writer (default 16)\n"
		"      --batch N          frames per batch (default 4096)\n"
		"      --max-frames N     keep at most N frames in the database (oldest evicted)\n"
		"      --max-bytes SIZE   keep at most SIZE bytes of frames (e.g. 500M, 2G)\n"
		"      --max-age AGE      evict frames older than AGE (e.g. 3600, 90m, 12h, 7d)\n"
		"      --db-ceiling SIZE  keep the database files on disk under SIZE\n"
		"  -h, --help             this help\n"
		"  -V, --version          print the version\n"
		"\n"
		"Without -r or -i, netmond serves the frames already in the database.\n"
		"A live capture stops on SIGINT or SIGTERM; everything counted as stored is committed.\n",
		NM_DATADIR, NM_WEBDIR, NM_PLUGINDIR);
}

/* Parse a positive integer option or exit with a clear message. */
static long parse_num(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "netmond: %s: '%s' is not a number from %ld to %ld\n", opt, s, min, max);
		exit(2);
	}
	return v;
}

static uint64_t parse_size(const char *opt, const char *s)
{
	uint64_t v;
	if (!nm_parse_size(s, &v) || v == 0) {
		fprintf(stderr, "netmond: %s: '%s' is not a size (bytes, or a number with K, M, G or T)\n", opt, s);
		exit(2);
	}
	return v;
}

static int64_t parse_age(const char *opt, const char *s)
{
	int64_t v;
	if (!nm_parse_age(s, &v) || v == 0) {
		fprintf(stderr, "netmond: %s: '%s' is not an age (seconds, or a number with s, m, h, d or w)\n", opt, s);
		exit(2);
	}
	return v;
}

/* The first pass over argv: only -c, so that the command line can
 * override what the file says whatever the order of the options. */
static void load_config(int argc, char **argv, options *o)
{
	static const struct option longs[] = {{"config", required_argument, 0, 'c'}, {0, 0, 0, 0}};
	const char *path = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-c:", longs, NULL)) != -1)
		if (c == 'c')
			path = optarg;
	opterr = 1;
	char err[512];
	if (path && nm_config_load(path, o, err, sizeof err) < 0) {
		fprintf(stderr, "netmond: %s\n", err);
		exit(2);
	}
}

static void parse_args(int argc, char **argv, options *o)
{
	enum { O_WEBDIR = 256, O_NOHTTP, O_MAXFLOWS, O_QUEUE, O_BATCH, O_PLUGINS, O_MAXFRAMES, O_MAXBYTES, O_MAXAGE,
	       O_CEILING };
	static const struct option longs[] = {
		{"read", required_argument, 0, 'r'},   {"interface", required_argument, 0, 'i'},
		{"filter", required_argument, 0, 'f'}, {"snaplen", required_argument, 0, 's'},
		{"no-promisc", no_argument, 0, 'p'},   {"db", required_argument, 0, 'w'},
		{"listen", required_argument, 0, 'l'}, {"webdir", required_argument, 0, O_WEBDIR},
		{"no-http", no_argument, 0, O_NOHTTP}, {"max-flows", required_argument, 0, O_MAXFLOWS},
		{"queue", required_argument, 0, O_QUEUE}, {"batch", required_argument, 0, O_BATCH},
		{"plugins", required_argument, 0, O_PLUGINS}, {"config", required_argument, 0, 'c'},
		{"max-frames", required_argument, 0, O_MAXFRAMES}, {"max-bytes", required_argument, 0, O_MAXBYTES},
		{"max-age", required_argument, 0, O_MAXAGE}, {"db-ceiling", required_argument, 0, O_CEILING},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'},      {0, 0, 0, 0},
	};
	int c;
	optind = 0; /* the second pass over argv: reinitialise getopt */
	while ((c = getopt_long(argc, argv, "c:r:i:f:s:pw:l:hV", longs, NULL)) != -1) {
		switch (c) {
		case 'c': break; /* read before, by load_config */
		case 'r': o->pipe.src.file = optarg; break;
		case 'i': o->pipe.src.iface = optarg; break;
		case 'f': o->pipe.src.filter = optarg; break;
		case 's': o->pipe.src.snaplen = (int)parse_num("-s", optarg, 1, 262144); break;
		case 'p': o->pipe.src.promisc = false; break;
		case 'w': o->pipe.db_path = optarg; break;
		case 'l': o->listen = optarg; break;
		case O_WEBDIR: o->webdir = optarg; break;
		case O_NOHTTP: o->http = 0; break;
		case O_PLUGINS: o->plugins = optarg, o->plugins_given = true; break;
		case O_MAXFLOWS: o->pipe.max_flows = (uint32_t)parse_num("--max-flows", optarg, 16, 1 << 26); break;
		case O_QUEUE: o->pipe.pool_batches = (size_t)parse_num("--queue", optarg, 1, 4096); break;
		case O_BATCH: o->pipe.batch_frames = (size_t)parse_num("--batch", optarg, 1, 65536); break;
		case O_MAXFRAMES: o->pipe.db_limits.frames = (uint64_t)parse_num("--max-frames", optarg, 1, LONG_MAX); break;
		case O_MAXBYTES: o->pipe.db_limits.bytes = parse_size("--max-bytes", optarg); break;
		case O_MAXAGE: o->pipe.db_limits.age_s = parse_age("--max-age", optarg); break;
		case O_CEILING: o->pipe.db_ceiling = parse_size("--db-ceiling", optarg); break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("netmond %s\n", PACKAGE_VERSION); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "netmond: unexpected argument '%s' (see --help)\n", argv[optind]);
		exit(2);
	}
	if (o->pipe.src.file && o->pipe.src.iface) {
		fprintf(stderr, "netmond: give either -r FILE or -i IFACE, not both\n");
		exit(2);
	}
	if (!o->http && !o->pipe.src.file && !o->pipe.src.iface) {
		fprintf(stderr, "netmond: --no-http needs -r FILE or -i IFACE: there would be nothing to do\n");
		exit(2);
	}
}

static void defaults(options *o)
{
	memset(o, 0, sizeof *o);
	o->pipe.db_path = "netmon.db";
	o->pipe.src.promisc = true;
	o->pipe.pool_batches = 16;
	o->pipe.batch_frames = 4096;
	o->pipe.batch_bytes = 4u << 20;
	o->pipe.max_flows = 262144;
	o->listen = "127.0.0.1:8080";
	o->webdir = NM_WEBDIR;
	o->plugins = NM_PLUGINDIR;
	o->http = 1;
	nm_notify.syslog = true;
}

/* Wait until a signal arrives or (with no HTTP) the capture finishes. */
static void wait_for_end(int http)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	struct timespec tick = {0, 100000000};
	for (;;) {
		int sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM)
			return;
		if (!http && nm_mgr_idle())
			return;
	}
}

int main(int argc, char **argv)
{
	/* static: the strings the configuration file gave live as long as the
	 * process, and leak checkers see them reachable from here */
	static options o;
	defaults(&o);
	load_config(argc, argv, &o);
	o.plugins_given = strcmp(o.plugins, NM_PLUGINDIR) != 0; /* named in the file */
	parse_args(argc, argv, &o);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* inherited by every thread */
	signal(SIGPIPE, SIG_IGN);

	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	nm_rt.started_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	nm_rt.db_path = o.pipe.db_path;
	char err[512] = "";
	nm_parsers_begin();
	if (nm_plugins_load(o.plugins, err, sizeof err) < 0 && o.plugins_given)
		fprintf(stderr, "netmond: %s\n", err);
	nm_parsers_finish();
	if (nm_config_apply_decode_as(err, sizeof err) < 0) {
		fprintf(stderr, "netmond: %s\n", err);
		return 2;
	}
	/* Create the database or bring it to this build's schema now: the HTTP
	 * threads open it read-only, and an older schema would otherwise be
	 * refused until some capture opened the writer. */
	nm_store *db = nm_store_open(o.pipe.db_path, false, err, sizeof err);
	if (!db) {
		fprintf(stderr, "netmond: %s\n", err);
		return 1;
	}
	nm_store_close(db);
	nm_mgr_init(&o.pipe);
	/* The command line's capture is the manager's first. */
	int64_t id;
	if ((o.pipe.src.file || o.pipe.src.iface) && nm_mgr_start(&o.pipe.src, &id, err, sizeof err) != NM_MGR_OK) {
		fprintf(stderr, "netmond: %s\n", err);
		nm_mgr_shutdown();
		return 1;
	}
	nm_http *h = NULL;
	if (o.http && !(h = nm_http_start(o.listen, o.pipe.db_path, o.webdir, err, sizeof err))) {
		fprintf(stderr, "netmond: %s\n", err);
		nm_mgr_shutdown();
		return 1;
	}
	if (h)
		fprintf(stderr, "netmond: serving http://%s/\n", o.listen);
	wait_for_end(o.http);
	/* HTTP first: no request may start or control a capture meanwhile */
	if (h)
		nm_http_stop(h);
	return nm_mgr_shutdown() < 0 ? 1 : 0;
}
