/*
 * sqlite_keys.c - the block_keys table: for frames whose flow cannot vouch
 * for their addresses and ports (tunnels, ICMP errors quoting a packet,
 * several transports), which keys (nm_key_hash of an address or a port)
 * occur in each block of 2^NM_KEY_BLOCK_SHIFT frame numbers.
 *
 * Address and port filters otherwise re-dissect every such frame, and
 * when the value matches nothing those frames are all there is to read
 * (filter/sql_flow.c).  Which frames count is decided from the protocol
 * path, as the filter's SQL decides it, but more broadly: any frame with
 * two IP layers, two transports, an IP layer after a transport, ICMP, a
 * clipped path, or an IP layer or transport but no flow.  A frame whose
 * keys are unknown (too many, or a UDP fragment, whose reading
 * reassembles) puts NM_KEY_ANY in its block.
 */
#include <string.h>

#include "db/scan.h"
#include "db/sqlite_int.h"
#include "parsers/dissect.h"

_Static_assert(SQ_CHUNK_FRAMES <= NM_SCAN_CHUNK_FRAMES, "filter/sql_flow.c looks that far back for a block's chunks");

enum { KEYS_NONE, KEYS_LISTED, KEYS_ANY };
enum { NAME_OTHER, NAME_IP, NAME_TRANSPORT, NAME_ICMP };

/* What a path's name (n bytes at p) is to keys_needed.  By length first:
 * this runs for every frame's every layer, where a table of names
 * compared with strlen/memcmp was most of the writer's key work. */
static int name_class(const char *p, size_t n)
{
	switch (n) {
	case 2:
		return !memcmp(p, "ip", 2) ? NAME_IP : NAME_OTHER;
	case 3:
		return !memcmp(p, "tcp", 3) || !memcmp(p, "udp", 3) ? NAME_TRANSPORT : NAME_OTHER;
	case 4:
		if (!memcmp(p, "icmp", 4))
			return NAME_ICMP;
		return !memcmp(p, "ipv6", 4) ? NAME_IP : !memcmp(p, "sctp", 4) ? NAME_TRANSPORT : NAME_OTHER;
	case 6:
		return !memcmp(p, "icmpv6", 6) ? NAME_ICMP : NAME_OTHER;
	default:
		return NAME_OTHER;
	}
}

/* What a protocol path alone says of its frames' block: nothing needed,
 * their keys (PATH_ODD: two IP layers or transports, an IP layer after a
 * transport, ICMP), their keys when the frame has no flow (PATH_IP: an IP
 * layer or transport), or the any-key when the keys may miss one (a
 * transport right after another: the dissectors note a transport's ports
 * when the next IP layer starts or an ICMP quote ends, so the first one's
 * are lost) or the path is clipped. */
enum { PATH_PLAIN, PATH_IP, PATH_ODD, PATH_ANY };

static int path_kind(const char *path)
{
	int nip = 0, ntr = 0;
	bool odd = false, ports = false; /* ports: a transport since the last IP layer */
	const char *p = path;
	for (;;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		switch (name_class(p, n)) {
		case NAME_ICMP:
			odd = true;
			break;
		case NAME_IP:
			odd = odd || ++nip > 1 || ntr;
			ports = false;
			break;
		case NAME_TRANSPORT:
			if (ports)
				return PATH_ANY;
			odd = odd || ++ntr > 1;
			ports = true;
			break;
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	if ((size_t)(p - path) + strlen(p) >= NM_PROTOCOLS_LEN - 1)
		return PATH_ANY;
	return odd ? PATH_ODD : nip || ntr ? PATH_IP : PATH_PLAIN;
}

/* Paths by their interned id (s->str_ids), direct-mapped: a batch has few
 * distinct paths, and parsing each frame's was most of the key work. */
#define KINDS 64

typedef struct kind_cache {
	int64_t id[KINDS];
	int8_t kind[KINDS];
} kind_cache;

static int keys_needed(kind_cache *kc, const char *path, int64_t path_id, int64_t flow_id)
{
	if (!path)
		return KEYS_NONE;
	size_t slot = (size_t)path_id % KINDS;
	if (kc->id[slot] != path_id) {
		kc->id[slot] = path_id;
		kc->kind[slot] = (int8_t)path_kind(path);
	}
	switch (kc->kind[slot]) {
	case PATH_ANY:
		return KEYS_ANY;
	case PATH_ODD:
		return KEYS_LISTED;
	case PATH_IP: /* no flow: a header too short or bogus to make one */
		return flow_id == 0 ? KEYS_LISTED : KEYS_NONE;
	default:
		return KEYS_NONE;
	}
}

/* Rows already written in this batch, direct-mapped: most keys repeat
 * within a block (a tunnel's outer addresses). */
#define SEEN 1024

typedef struct seen_row {
	int64_t block;
	uint64_t key;
} seen_row;

static int put_key(sq_store *s, sqlite3_stmt *q, seen_row *seen, int64_t cap, int64_t block, uint64_t key)
{
	seen_row *r = &seen[(key * 31 + (uint64_t)block) % SEEN];
	if (r->block == block && r->key == key)
		return 0;
	r->block = block;
	r->key = key;
	sqlite3_bind_int64(q, 1, (int64_t)key);
	sqlite3_bind_int64(q, 2, cap);
	sqlite3_bind_int64(q, 3, block);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "writing block keys");
}

static int put_frame(sq_store *s, sqlite3_stmt *q, seen_row *seen, int64_t cap, const nm_frame_rec *f, int need)
{
	int64_t block = (int64_t)(f->number >> NM_KEY_BLOCK_SHIFT);
	if (need == KEYS_ANY || !f->keys_known || f->nkeys > NM_FRAME_KEYS || (f->flags & NM_PKT_UDP_FRAGMENT))
		return put_key(s, q, seen, cap, block, NM_KEY_ANY);
	for (uint8_t i = 0; i < f->nkeys; i++)
		if (put_key(s, q, seen, cap, block, f->keys[i]))
			return -1;
	return 0;
}

int sq_write_keys(sq_store *s, const nm_batch *b)
{
	seen_row seen[SEEN];
	kind_cache kc;
	sqlite3_stmt *q = NULL;
	int rc = 0;
	memset(seen, 0, sizeof seen); /* no key is 0 */
	memset(kc.id, 0, sizeof kc.id); /* an interned id is never 0 */
	for (size_t i = 0; i < b->count && !rc; i++) {
		const nm_frame_rec *f = &b->frames[i];
		int need = keys_needed(&kc, f->protocols, s->str_ids[2 * i + 1], f->flow_id);
		if (need == KEYS_NONE)
			continue;
		if (!q && sqlite3_prepare_v2(s->db,
		                             "INSERT OR IGNORE INTO block_keys(key, capture_id, block)"
		                             " VALUES(?1, ?2, ?3)",
		                             -1, &q, NULL) != SQLITE_OK) {
			return sq_fail_db(s, "preparing block keys");
		}
		rc = put_frame(s, q, seen, b->capture_id, f, need);
	}
	sqlite3_finalize(q);
	return rc;
}
