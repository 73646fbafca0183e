/*
 * sqlite_append.c - the writer's frame bytes go to the segment files from a
 * thread of their own, while the writer goes on inserting rows.
 *
 * Copying 750 MB into the page cache was a tenth of the writer thread's
 * time on the bench capture, and the writer is the pipeline's slower
 * stage.  The writer reserves the offsets (data_end) as before and hands
 * each chunk's buffer over, taking a written one back; sq_app_drain waits
 * for every write handed over, and runs before each commit, so a committed
 * row still always points at written bytes, and before the writer reads or
 * deletes frame files.
 *
 * The thread has its own file descriptor: the writer's (data_fd) is for
 * reads, and retention closes it when it deletes that segment.  Appends
 * only move forward, so the thread never writes to a deleted segment; it
 * may hold one open (at most one, until its next write) when everything
 * up to the end of its last write was evicted.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "db/sqlite_int.h"

/* Chunks handed over and not yet written; the writer waits beyond. */
#define APP_QUEUE 8

typedef struct app_job {
	uint8_t *buf;
	size_t cap, len;
	uint64_t off;
} app_job;

struct sq_appender {
	const sq_store *s; /* layout only (seg_size, legacy_end, data_path): fixed once open */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* a job queued, done, or stop */
	app_job queue[APP_QUEUE];
	size_t head, count;
	bool busy, stop;
	app_job spare[APP_QUEUE]; /* written buffers for the writer to reuse */
	size_t nspare;
	int fd;
	int64_t seg;
	char err[320]; /* the first failure; "" while none */
};

static void put_spare(sq_appender *a, app_job j)
{
	if (a->nspare < APP_QUEUE)
		a->spare[a->nspare++] = j;
	else
		free(j.buf);
}

static void *app_main(void *arg)
{
	sq_appender *a = arg;
	prctl(PR_SET_NAME, "nm-appender");
	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (!a->count && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		if (!a->count)
			break;
		app_job j = a->queue[a->head];
		a->head = (a->head + 1) % APP_QUEUE;
		a->count--;
		a->busy = true;
		bool failed = a->err[0];
		pthread_mutex_unlock(&a->mu);
		char err[sizeof a->err] = "";
		if (!failed)
			sq_file_io(a->s, &a->fd, &a->seg, true, j.off, j.buf, j.len, err, sizeof err);
		pthread_mutex_lock(&a->mu);
		if (err[0] && !a->err[0])
			snprintf(a->err, sizeof a->err, "%s", err);
		put_spare(a, j);
		a->busy = false;
		pthread_cond_broadcast(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

int sq_app_start(sq_store *s)
{
	sq_appender *a = calloc(1, sizeof *a);
	if (!a)
		return nm_store_fail(&s->base, "out of memory");
	a->s = s;
	a->fd = -1;
	a->seg = -1;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&a->thread, NULL, app_main, a) != 0) {
		free(a);
		return nm_store_fail(&s->base, "cannot start the frame bytes writer");
	}
	s->app = a;
	return 0;
}

/* Hand over *buf (len bytes for offset off) and get a written buffer back
 * in *buf / *cap (NULL and 0 when none is free yet). */
int sq_app_submit(sq_store *s, uint8_t **buf, size_t *cap, size_t len, uint64_t off)
{
	sq_appender *a = s->app;
	pthread_mutex_lock(&a->mu);
	while (a->count == APP_QUEUE)
		pthread_cond_wait(&a->cv, &a->mu);
	a->queue[(a->head + a->count) % APP_QUEUE] = (app_job){*buf, *cap, len, off};
	a->count++;
	app_job back = {NULL, 0, 0, 0};
	if (a->nspare)
		back = a->spare[--a->nspare];
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	*buf = back.buf;
	*cap = back.cap;
	return 0;
}

int sq_app_drain(sq_store *s)
{
	sq_appender *a = s->app;
	if (!a)
		return 0;
	char err[sizeof a->err];
	pthread_mutex_lock(&a->mu);
	while (a->count || a->busy)
		pthread_cond_wait(&a->cv, &a->mu);
	snprintf(err, sizeof err, "%s", a->err);
	pthread_mutex_unlock(&a->mu);
	return err[0] ? nm_store_fail(&s->base, "%s", err) : 0;
}

/* Writes what is queued, then ends the thread; fdatasyncs its file. */
void sq_app_stop(sq_store *s)
{
	sq_appender *a = s->app;
	if (!a)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = true;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->thread, NULL);
	if (a->fd >= 0) {
		fdatasync(a->fd);
		close(a->fd);
	}
	for (size_t i = 0; i < a->nspare; i++)
		free(a->spare[i].buf);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a);
	s->app = NULL;
}
