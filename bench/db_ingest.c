/*
 * db_ingest.c - storage micro-benchmark: writes N synthetic frames (text
 * columns like real dissections, 60-1514-byte payloads) through
 * nm_store_write_batch and reports the writer's rows/s and the file size.
 *
 * usage: db_ingest [db-path] [frames] [batch-frames] [max-caplen]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/store.h"

static const char *const protos[][2] = {
	{"TCP", "eth:ethertype:ip:tcp"},
	{"TLSv1.2", "eth:ethertype:ip:tcp:tls"},
	{"DNS", "eth:ethertype:ip:udp:dns"},
	{"HTTP", "eth:ethertype:ip:tcp:http"},
	{"UDP", "eth:ethertype:ip:udp:data"},
	{"QUIC", "eth:ethertype:ipv6:udp:quic"},
	{"ARP", "eth:ethertype:arp"},
	{"ICMP", "eth:ethertype:ip:icmp"},
};

static uint32_t max_caplen = 1514;
static uint64_t rng = 88172645463325252ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Typical size mix: ACKs, full segments, and everything in between. */
static uint32_t pick_caplen(void)
{
	uint32_t r = next_rand() % 100;
	if (r < 40)
		return 60 + next_rand() % 10;
	if (r < 75)
		return 1514;
	return 100 + next_rand() % 500;
}

static void fill_frame(nm_frame_rec *f, uint64_t n, const uint8_t *pool, char *src, char *dst,
		       char *info)
{
	uint32_t r = next_rand();
	const char *const *p = protos[r % 8];
	snprintf(src, 48, "192.168.%u.%u", (r >> 8) % 4, (r >> 12) % 250 + 1);
	snprintf(dst, 48, "10.%u.%u.%u", (r >> 16) % 8, (r >> 20) % 200, (r >> 24) % 250 + 1);
	snprintf(info, 160,
		 "%u \xe2\x86\x92 443 [ACK] Seq=%u Ack=%u Win=501 Len=%u TSval=%u TSecr=%u",
		 40000 + r % 20000, next_rand(), next_rand(), r % 1449, next_rand(), next_rand());
	f->number = n;
	f->ts_ns = 1700000000000000000ll + (int64_t)n * 2500;
	f->len = pick_caplen();
	f->caplen = f->len < max_caplen ? f->len : max_caplen;
	f->iface = 0;
	f->flags = 0;
	f->flow_id = r % 5000 + 1;
	f->src = src;
	f->dst = dst;
	f->protocol = p[0];
	f->protocols = p[1];
	f->info = info;
	f->bytes = pool + next_rand() % (1u << 20);
}

static int check(nm_store *s, int rc)
{
	if (rc < 0) {
		fprintf(stderr, "db_ingest: %s\n", nm_store_errmsg(s));
		exit(1);
	}
	return rc;
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/db_ingest.sqlite";
	uint64_t total = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
	size_t per_batch = argc > 3 ? strtoul(argv[3], NULL, 10) : 1024;
	if (argc > 4)
		max_caplen = (uint32_t)strtoul(argv[4], NULL, 10);
	char err[512], wal[4096], shm[4096], data[4096];
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);
	snprintf(data, sizeof data, "%s-frames", path);
	unlink(path), unlink(wal), unlink(shm), unlink(data);

	uint8_t *pool = malloc((1u << 20) + 2048);
	for (size_t i = 0; i < (1u << 20) + 2048; i++)
		pool[i] = (uint8_t)next_rand();
	nm_batch *b = nm_batch_new(per_batch, per_batch * 2048);
	nm_store *s = nm_store_open(path, false, err, sizeof err);
	if (!s || !b || !pool) {
		fprintf(stderr, "db_ingest: %s\n", s ? "out of memory" : err);
		return 1;
	}
	nm_capture_info ci = {.source = "bench", .kind = "file", .filter = "", .linktype = 1,
			      .snaplen = 262144, .started_ns = 0};
	check(s, nm_store_begin_capture(s, &ci));

	double t0 = now_s(), in_store = 0;
	uint64_t bytes = 0;
	char src[48], dst[48], info[160];
	for (uint64_t n = 1; n <= total;) {
		nm_batch_reset(b);
		b->capture_id = ci.id;
		for (nm_frame_rec f; n <= total; n++) {
			fill_frame(&f, n, pool, src, dst, info);
			if (!nm_batch_add(b, &f))
				break;
			bytes += f.caplen;
		}
		double t = now_s();
		check(s, nm_store_write_batch(s, b));
		in_store += now_s() - t;
	}
	double t = now_s();
	check(s, nm_store_end_capture(s, ci.id));
	in_store += now_s() - t;
	double all = now_s() - t0;
	t = now_s();
	nm_store_close(s); /* final checkpoint and fdatasync */
	double closing = now_s() - t;

	printf("frames %llu (%.0f MB payload), batch %zu: writer %.0f rows/s (%.2f s in store),"
	       " with generation %.0f rows/s, close (sync) %.2f s; db %.1f MB, frames file %.1f MB\n",
	       (unsigned long long)total, bytes / 1e6, per_batch, total / in_store, in_store,
	       total / all, closing, file_size(path) / 1e6, file_size(data) / 1e6);
	nm_batch_free(b);
	free(pool);
	return 0;
}
